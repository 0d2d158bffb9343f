"""Large finite groups: compact Cayley tables, products through the table, tree images.

The products of a group given by a table must not depend on whether the order is
below :data:`TABLE_LIMIT`: the limit is patched down so that the "large" code paths
run on small groups whose answers are known independently.
"""

from __future__ import annotations

import numpy as np
import pytest

from reptheory import Representation, groups
from reptheory.errors import GroupAxiomError
from reptheory.groups import catalog, finite
from reptheory.groups._cayley import small_int_dtype
from reptheory.groups.finite import FiniteGroup
from reptheory.reps._utils import _monomial_word, _word_matrix

from ._groups import relabel


def _relabelled_table(G: FiniteGroup, seed: int = 0) -> np.ndarray:
    perm = np.random.default_rng(seed).permutation(G.order)
    t = np.asarray(G.table)
    out = np.empty_like(t)
    out[perm[:, None], perm[None, :]] = perm[t]
    return out


@pytest.mark.parametrize(("n", "dtype"), [(1, np.int8), (128, np.int8), (129, np.int16), (32768, np.int16), (32769, np.int32)])
def test_small_int_dtype(n: int, dtype: type) -> None:
    assert small_int_dtype(n) == np.dtype(dtype)
    assert np.iinfo(small_int_dtype(n)).max >= n - 1


def test_tables_are_stored_in_the_smallest_type() -> None:
    G = FiniteGroup.from_cayley_table(_relabelled_table(groups.dihedral(100)))  # order 200
    assert G.table.dtype == np.int16 and not G.table.flags.writeable
    assert groups.cyclic(5).table.dtype == np.int8
    assert groups.symmetric(5).table.dtype == np.int8  # built on demand
    assert groups.dihedral(1000).table.dtype == np.int16


def test_table_validation_errors_still_name_the_defect() -> None:
    t = np.asarray(groups.symmetric(3).table, dtype=np.int64)
    bad = t.copy()
    bad[:, [1, 2]] = bad[:, [2, 1]]  # rows stay permutations; the column swap breaks the identity
    bad[1, 1], bad[2, 1] = bad[2, 1], bad[1, 1]
    with pytest.raises(GroupAxiomError):
        FiniteGroup.from_cayley_table(bad)
    cols = np.array([[0, 1, 2], [1, 2, 0], [1, 0, 2]])  # row 2 repeats column 0's value 1
    with pytest.raises(GroupAxiomError, match="Latin square: column 0"):
        FiniteGroup.from_cayley_table(cols)
    nonassoc = np.array([[0, 1, 2, 3, 4], [1, 0, 3, 4, 2], [2, 4, 0, 1, 3], [3, 2, 4, 0, 1], [4, 3, 1, 2, 0]])
    with pytest.raises(GroupAxiomError, match=r"associative|inverses"):
        FiniteGroup.from_cayley_table(nonassoc)


def test_products_use_a_given_table_above_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    base = groups.symmetric(4)
    table = _relabelled_table(base, seed=3)
    ref = FiniteGroup.from_cayley_table(table)
    ref_sizes = sorted(len(c) for c in ref.conjugacy_classes())
    monkeypatch.setattr(finite, "TABLE_LIMIT", 8)
    G = FiniteGroup.from_cayley_table(table)
    a, b = np.meshgrid(np.arange(24), np.arange(24), indexing="ij")
    assert np.array_equal(G.mul(a, b), table)
    assert np.array_equal(G.left_products([3, 5]), table[[3, 5]])
    assert sorted(len(c) for c in G.conjugacy_classes()) == ref_sizes
    assert np.array_equal(G.character_table().degrees, ref.character_table().degrees)


def test_groups_above_the_limit_multiply_without_a_table(monkeypatch: pytest.MonkeyPatch) -> None:
    ref = catalog.dihedral.__wrapped__(9).table
    ref_inv = catalog.dihedral.__wrapped__(9).inverse(np.arange(18))
    ref_dic = catalog.dicyclic.__wrapped__(5).table
    monkeypatch.setattr(finite, "TABLE_LIMIT", 8)
    monkeypatch.setattr(catalog, "TABLE_LIMIT", 8)
    G = catalog.dihedral.__wrapped__(9)  # order 18 > 8: no table, products by the closed form
    assert G._enumeration.table is None and G._enumeration.product is not None
    a, b = np.meshgrid(np.arange(18), np.arange(18), indexing="ij")
    assert np.array_equal(G.mul(a, b), ref)
    assert np.array_equal(G.left_products(np.arange(18)), ref)
    assert np.array_equal(G.inverse(np.arange(18)), ref_inv)
    assert G._enumeration.table is None  # nothing built behind the user's back
    # a permutation group above the limit: products walk the word of the right factor
    S = FiniteGroup.from_permutations([[1, 0, 2, 3], [1, 2, 3, 0]])
    assert S._enumeration.table is None and S._enumeration.product is None
    ref_s = np.array([[S._enumeration.mul(np.array(i), np.array(j)) for j in range(24)] for i in range(24)])
    perm = S.elements
    for i, j in [(0, 5), (7, 11), (23, 17)]:  # against composing the permutations: (g h)(x) = g(h(x))
        assert np.array_equal(perm[ref_s[i, j]], perm[i][perm[j]])
    assert np.array_equal(S.left_products(np.arange(24)), ref_s)
    C = catalog.dicyclic.__wrapped__(5)
    assert np.array_equal(C.mul(*np.meshgrid(np.arange(20), np.arange(20), indexing="ij")), ref_dic)


def _deep_cyclic_rep() -> Representation:
    G = groups.cyclic(37)  # depth 36: binary lifting takes 6 rounds
    th = 2 * np.pi * 5 / 37
    rot = np.array([[np.cos(th), -np.sin(th)], [np.sin(th), np.cos(th)]])
    return Representation.from_generator_images(G, [rot])


@pytest.mark.parametrize("make", [
    _deep_cyclic_rep,
    lambda: Representation.defining(groups.symmetric(5)),
    lambda: Representation.regular(groups.dihedral(12)),
    lambda: groups.dihedral(17).irreps()[-1],
])
def test_tree_images_match_word_products(make) -> None:  # type: ignore[no-untyped-def]
    rep = make()
    G = rep.group
    enum = G._enumeration
    ref = np.stack([_word_matrix(rep.images, G.word(g), rep.dim) for g in range(G.order)])
    assert np.allclose(enum.tree_images(rep.images), ref, atol=1e-10)
    for method in ("levels", "lifting"):  # each strategy, batched over two copies
        out = enum.tree_images(np.stack([rep.images, 2 * rep.images]), method=method)
        assert out.shape == (2, G.order, rep.dim, rep.dim)
        assert np.allclose(out[0], ref, atol=1e-10)
        assert np.allclose(out[1], ref * 2.0 ** enum.depth[:, None, None], atol=1e-8)


@pytest.mark.parametrize("make", [
    lambda: Representation.regular(groups.dihedral(15)),
    lambda: Representation.defining(groups.symmetric(5)),
    lambda: Representation.sign(groups.symmetric(4)).tensor(Representation.defining(groups.symmetric(4))),
])
def test_tree_permutations_match_word_products(make) -> None:  # type: ignore[no-untyped-def]
    rep = make()
    if rep.monomial is None:
        pytest.skip("not monomial")
    G = rep.group
    enum = G._enumeration
    perm, coeff = rep.monomial
    ref = [_monomial_word(rep.monomial, G.word(g), rep.dim) for g in range(G.order)]
    for method in ("levels", "lifting"):
        P, C = enum.tree_permutations(perm, coeff, method=method)
        for g in range(G.order):
            assert np.array_equal(P[g], ref[g][0]) and np.allclose(C[g], ref[g][1])


@pytest.mark.parametrize("G", [groups.cyclic(1), FiniteGroup.from_cayley_table([[0]]), FiniteGroup.from_permutations([[0, 1, 2]])])
def test_trivial_group_has_one_irrep(G: FiniteGroup) -> None:
    irr = G.irreps()
    assert [(p.label, p.dim) for p in irr] == [("trivial", 1)]
    dec = (Representation.trivial(G) * 3).decompose()
    assert dec.multiplicities == {"trivial": 3}


def test_regular_decomposition_of_a_deep_group_is_exact() -> None:
    G = groups.dihedral(60)  # 120 elements, tree depth 30
    R = Representation.regular(G)
    dec = R.decompose()
    assert dec.error < 1e-10
    assert sum(c.multiplicity * c.irrep.dim for c in dec.components) == G.order
    for c in dec.components:  # every real irrep of the regular representation: m = dim / e
        e = {"R": 1, "C": 2, "H": 4}[str(c.irrep.real_type)]
        assert c.multiplicity * e == c.irrep.dim


@pytest.mark.slow
@pytest.mark.parametrize("make", [lambda: groups.dihedral(2500), lambda: groups.direct_product(groups.symmetric(4), groups.cyclic(200))])
def test_relabelled_tables_above_the_old_limit(make) -> None:  # type: ignore[no-untyped-def]
    """Order 5000 / 4800 given as relabelled Cayley tables: classes and characters match the original."""
    G = make()
    perm = np.random.default_rng(1).permutation(G.order)
    H = relabel(G, perm)
    assert H.table.dtype == np.int16
    assert sorted(len(c) for c in H.conjugacy_classes()) == sorted(len(c) for c in G.conjugacy_classes())
    T, U = G.character_table(), H.character_table()
    assert np.array_equal(T.degrees, U.degrees)
    assert (T.degrees**2).sum() == G.order
    # the relabelled classes are the images of the original ones
    for i, c in enumerate(G.conjugacy_classes()):
        j = int(H.class_of[perm[c[0]]])
        assert np.allclose(np.sort_complex(T.values[:, i]), np.sort_complex(U.values[:, j]), atol=1e-9)
