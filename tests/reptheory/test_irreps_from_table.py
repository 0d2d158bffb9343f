"""``G.irreps()`` above the regular-representation limit: irreps split off coset representations of cyclic
subgroups, built from the character table (issue 17).  The limit is lowered so that small groups take the
same route; oracles: the character table, Frobenius–Schur indicators, products of element matrices."""

from __future__ import annotations

import numpy as np
import pytest

from reptheory import FiniteGroup, groups
from reptheory.characters.table import character_table
from reptheory.decomposition.irreps import finite as finite_irreps_module
from reptheory.errors import TooLargeError


@pytest.fixture
def table_route(monkeypatch):
    """Every group without a closed form above 'the limit': G.irreps() goes through irreps_from_table."""
    monkeypatch.setattr(finite_irreps_module, "REGULAR_LIMIT", 0)
    finite_irreps_module._finite_irreps.cache_clear()
    yield
    finite_irreps_module._finite_irreps.cache_clear()


def _psl2(q: int) -> FiniteGroup:
    return FiniteGroup.from_permutations(groups.projective_special_linear(q).generators, name=f"PSL(2,{q})")


def _relabelled(G: FiniteGroup, seed: int = 1) -> FiniteGroup:
    t = np.asarray(G.table)
    p = np.random.default_rng(seed).permutation(len(t))
    t2 = np.empty_like(t)
    t2[p[:, None], p[None, :]] = p[t]
    return FiniteGroup.from_cayley_table(t2)


def _fs_indicator(G: FiniteGroup, chi: np.ndarray) -> int:
    """(1/|G|) Σ_g χ(g²), from the power map (independent of the table's own indicators)."""
    T = character_table(G)
    val = np.sum(T.class_sizes * chi[G.power_map(2)]) / G.order
    return round(float(np.real(val)))


CASES = [
    ("S5 by permutations", lambda: FiniteGroup.from_permutations([[1, 2, 3, 4, 0], [1, 0, 2, 3, 4]])),
    ("A5 by permutations", lambda: FiniteGroup.from_permutations([[1, 2, 0, 3, 4], [0, 2, 3, 4, 1]])),
    ("PSL(2,7)", lambda: _psl2(7)),
    ("C7 x| C3 (complex irreps)", lambda: FiniteGroup.from_permutations([[1, 2, 3, 4, 5, 6, 0],
                                                                       [0, 2, 4, 6, 1, 3, 5]])),
    ("relabelled S4 table", lambda: _relabelled(groups.symmetric(4))),
]


@pytest.mark.parametrize("name, make", CASES, ids=[c[0] for c in CASES])
def test_irreps_from_the_table_are_the_irreps(table_route, name, make):
    G = make()
    T = character_table(G)
    irr = G.irreps()
    assert len(irr) == len(T.real_rows())
    assert sum(p.dim ** 2 // (1 if p.real_type == "R" else 2 if p.real_type == "C" else 4) for p in irr) == G.order
    rng = np.random.default_rng(3)
    for psi, rows in zip(irr, T.real_rows(), strict=True):
        if T.degrees[rows[0]] > 1:  # the route under test, not a closed form or the regular representation
            assert str(psi.meta.get("split_from", "")).startswith(("cosets of", "1-subsets", "2-subsets"))
        # character of the real irrep = its real character from the table (χ, χ + χ̄ or 2χ)
        chi = np.array([np.trace(psi.matrix(int(g))) for g in G.class_representatives])
        np.testing.assert_allclose(chi, T.real_character(rows), atol=1e-8)
        # real type from the Frobenius–Schur indicator of the complex character
        nu = _fs_indicator(G, T.values[rows[0]])
        assert psi.real_type == {1: "R", 0: "C", -1: "H"}[nu]
        # a homomorphism (products of element matrices), orthogonal
        for a, b in rng.integers(G.order, size=(6, 2)):
            np.testing.assert_allclose(psi.matrix(int(a)) @ psi.matrix(int(b)), psi.matrix(int(G.mul(int(a), int(b)))),
                                       atol=1e-9)
        M = psi.matrix(int(rng.integers(G.order)))
        np.testing.assert_allclose(M @ M.T, np.eye(psi.dim), atol=1e-9)


def test_decomposition_uses_the_same_matrices(table_route):
    """G.irreps() first, then decompose(): the components carry exactly those irreps (one cache)."""
    from reptheory import Representation

    G = _psl2(7)
    irr = G.irreps()
    V = Representation.defining(G)
    dec = (V @ V).decompose()
    by_label = {p.label: p for p in irr}
    for c in dec.components:
        np.testing.assert_array_equal(c.irrep.images, by_label[c.irrep.label].images)
    assert dec.error < 1e-9


def test_irreps_in_no_cyclic_coset_space_are_refused_by_name(table_route):
    """Q8's 2-dim irrep (type H) has -1 acting as -I: it fixes no vector of any cyclic subgroup
    containing -1, and every non-trivial cyclic subgroup of Q8 contains -1."""
    Q = _relabelled(groups.quaternion())
    with pytest.raises(TooLargeError, match="chi4"):
        Q.irreps()


@pytest.mark.slow
def test_psl_2_31_above_the_regular_limit():
    """PSL(2,31) (order 14,880 > the limit) by two permutations: all real irreps, checked on the table."""
    G = _psl2(31)
    assert G.order > finite_irreps_module.REGULAR_LIMIT
    T = character_table(G)
    irr = G.irreps()
    assert [p.dim for p in irr][:1] == [1] and len(irr) == len(T.real_rows())
    for psi, rows in zip(irr, T.real_rows(), strict=True):
        chi = np.array([np.trace(psi.matrix(int(g))) for g in G.class_representatives])
        np.testing.assert_allclose(chi, T.real_character(rows), atol=1e-7)
        assert psi.real_type == {1: "R", 0: "C", -1: "H"}[_fs_indicator(G, T.values[rows[0]])]


@pytest.mark.slow
def test_a8_by_permutations_above_the_regular_limit():
    """A8 (order 20160) by two permutations: the degree-14 irrep fixes no vector of an element of order 15,
    so it comes from the action on 4-subsets; the complex pairs (21, 45) are split with their complex structure."""
    A8 = FiniteGroup.from_permutations([[1, 2, 0, 3, 4, 5, 6, 7], [0, 2, 3, 4, 5, 6, 7, 1]])
    T = character_table(A8)
    irr = A8.irreps()
    assert len(irr) == len(T.real_rows())
    assert sum(p.dim ** 2 // {"R": 1, "C": 2, "H": 4}[p.real_type] for p in irr) == A8.order
    for psi, rows in zip(irr, T.real_rows(), strict=True):
        chi = np.array([np.trace(psi.matrix(int(g))) for g in A8.class_representatives])
        np.testing.assert_allclose(chi, T.real_character(rows), atol=1e-7)
        assert psi.real_type == {1: "R", 0: "C", -1: "H"}[_fs_indicator(A8, T.values[rows[0]])]
        if psi.real_type == "C":
            J = psi.meta["commutant_basis"][1]
            np.testing.assert_allclose(J @ J, -np.eye(psi.dim), atol=1e-9)
            for im in psi.images:
                np.testing.assert_allclose(im @ J, J @ im, atol=1e-9)
