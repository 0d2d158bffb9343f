"""Character tables: published tables, orthogonality laws, exactness, relabelling invariance."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from reptheory import FiniteGroup, Representation, groups
from reptheory.characters import (
    complex_multiplicities,
    frobenius_schur_indicator,
    hom_dimension,
    inner_product,
    real_multiplicities,
)
from reptheory.characters.table import CharacterTable, character_table, format_cyclotomic
from reptheory.errors import DimensionMismatchError, GroupMismatchError, InvalidArgumentError
from reptheory.testing import strategies as rst
from tests.reptheory._groups import relabel, sl23

W = complex(-0.5, math.sqrt(3) / 2)  # E(3)
W2 = W.conjugate()
PHI = (1 + math.sqrt(5)) / 2


# ---------------------------------------------------------------- helpers


def same_table(T: CharacterTable, classes: list[tuple[int, int]], published: list[list[complex]]) -> bool:
    """Equal up to row permutation and a class bijection preserving (order, size)."""
    pub = np.asarray(published, dtype=complex)
    keys = list(zip(T.class_orders.tolist(), T.class_sizes.tolist(), strict=True))
    if sorted(keys) != sorted(classes):
        return False
    blocks: dict[tuple[int, int], list[int]] = {}
    for j, key in enumerate(classes):
        blocks.setdefault(key, []).append(j)
    ours_by_key: dict[tuple[int, int], list[int]] = {}
    for k, key in enumerate(keys):
        ours_by_key.setdefault(key, []).append(k)
    options = [list(itertools.permutations(ours_by_key[key])) for key in blocks]
    pub_rows = sorted((tuple(np.round(r.real, 8)), tuple(np.round(r.imag, 8))) for r in pub)
    for choice in itertools.product(*options):
        col = np.empty(len(classes), dtype=int)
        for key, perm in zip(blocks, choice, strict=True):
            for j, k in zip(blocks[key], perm, strict=True):
                col[j] = k
        ours = T.values[:, col]
        rows = sorted((tuple(np.round(r.real, 8)), tuple(np.round(r.imag, 8))) for r in ours)
        if rows == pub_rows:
            return True
    return False


PUBLISHED = {
    "S4": (
        lambda: groups.symmetric(4),
        [(1, 1), (2, 6), (2, 3), (3, 8), (4, 6)],
        [[1, 1, 1, 1, 1], [1, -1, 1, 1, -1], [2, 0, 2, -1, 0], [3, 1, -1, 0, -1], [3, -1, -1, 0, 1]],
    ),
    "A5": (
        lambda: groups.alternating(5),
        [(1, 1), (2, 15), (3, 20), (5, 12), (5, 12)],
        [[1, 1, 1, 1, 1], [3, -1, 0, PHI, 1 - PHI], [3, -1, 0, 1 - PHI, PHI], [4, 0, 1, -1, -1], [5, 1, -1, 0, 0]],
    ),
    "Q8": (
        groups.quaternion,
        [(1, 1), (2, 1), (4, 2), (4, 2), (4, 2)],
        [[1, 1, 1, 1, 1], [1, 1, 1, -1, -1], [1, 1, -1, 1, -1], [1, 1, -1, -1, 1], [2, -2, 0, 0, 0]],
    ),
    "D4": (
        lambda: groups.dihedral(4),
        [(1, 1), (2, 1), (4, 2), (2, 2), (2, 2)],
        [[1, 1, 1, 1, 1], [1, 1, 1, -1, -1], [1, 1, -1, 1, -1], [1, 1, -1, -1, 1], [2, -2, 0, 0, 0]],
    ),
    "SL(2,3)": (
        sl23,
        [(1, 1), (2, 1), (4, 6), (3, 4), (3, 4), (6, 4), (6, 4)],
        [
            [1, 1, 1, 1, 1, 1, 1],
            [1, 1, 1, W, W2, W, W2],
            [1, 1, 1, W2, W, W2, W],
            [3, 3, -1, 0, 0, 0, 0],
            [2, -2, 0, -1, -1, 1, 1],
            [2, -2, 0, -W, -W2, W, W2],
            [2, -2, 0, -W2, -W, W2, W],
        ],
    ),
    "S5": (
        lambda: groups.symmetric(5),
        [(1, 1), (2, 10), (2, 15), (3, 20), (6, 20), (4, 30), (5, 24)],
        [
            [1, 1, 1, 1, 1, 1, 1],
            [1, -1, 1, 1, -1, -1, 1],
            [4, 2, 0, 1, -1, 0, -1],
            [4, -2, 0, 1, 1, 0, -1],
            [5, 1, 1, -1, 1, -1, 0],
            [5, -1, 1, -1, -1, 1, 0],
            [6, 0, -2, 0, 0, 0, 1],
        ],
    ),
}


@pytest.mark.parametrize("name", sorted(PUBLISHED))
def test_published_tables(name: str) -> None:
    make, classes, table = PUBLISHED[name]
    T = character_table(make())
    assert same_table(T, classes, table)


def test_published_table_detects_a_wrong_entry() -> None:
    make, classes, table = PUBLISHED["S4"]
    wrong = [row[:] for row in table]
    wrong[3][1] = -1
    assert not same_table(character_table(make()), classes, wrong)


def test_published_indicators() -> None:
    assert sorted(character_table(groups.quaternion()).indicators.tolist()) == [-1, 1, 1, 1, 1]
    assert sorted(character_table(sl23()).indicators.tolist()) == [-1, 0, 0, 0, 0, 1, 1]
    assert set(character_table(groups.symmetric(5)).indicators.tolist()) == {1}
    # C_n: two real characters for even n, the rest complex
    assert sorted(character_table(groups.cyclic(6)).indicators.tolist()) == [0, 0, 0, 0, 1, 1]


# ---------------------------------------------------------------- laws
CATALOGUE = [
    groups.cyclic(1),
    groups.cyclic(2),
    groups.cyclic(9),
    groups.dihedral(5),
    groups.dihedral(6),
    groups.klein_four(),
    groups.quaternion(),
    groups.dicyclic(3),
    groups.symmetric(3),
    groups.symmetric(4),
    groups.alternating(4),
    groups.alternating(5),
    groups.octahedral(),
    groups.full_octahedral(),
    groups.icosahedral(),
    groups.direct_product(groups.cyclic(3), groups.symmetric(3)),
]


def check_laws(T: CharacterTable) -> None:
    G = T.group
    n = G.order
    v = T.values
    sizes = T.class_sizes
    r = len(G.conjugacy_classes())
    assert v.shape == (r, r)
    assert [len(c) for c in T.classes] == [len(c) for c in G.conjugacy_classes()]
    assert int((T.degrees**2).sum()) == n
    assert np.allclose(v[0], 1)  # trivial first
    assert np.allclose(v[:, 0], T.degrees)
    # row orthogonality: <chi_i, chi_j> = delta_ij
    assert np.allclose((v * sizes) @ v.conj().T / n, np.eye(r), atol=1e-9)
    # column orthogonality: sum_i chi_i(g_k) conj chi_i(g_l) = delta_kl |C_G(g_k)|
    assert np.allclose(v.conj().T @ v, np.diag(n / sizes), atol=1e-9)
    # indicators: nonzero exactly for real-valued rows; agree with the characters module
    for i in range(r):
        real_row = np.allclose(v[i].imag, 0)
        assert (T.indicators[i] != 0) == real_row
        assert frobenius_schur_indicator(G, v[i]) == T.indicators[i]
    # the regular character contains chi_i with multiplicity chi_i(1)
    reg = np.zeros(r)
    reg[0] = n
    mult = (v.conj() * (sizes * reg)).sum(axis=1) / n
    assert np.allclose(mult, T.degrees)
    # spectra are consistent with values and with the degree
    for i in range(r):
        assert T.spectra[i].shape == (r, T.degrees[i])
        assert np.allclose(np.exp(2j * np.pi * T.spectra[i] / T.exponent).sum(axis=1), v[i])


@pytest.mark.parametrize("G", CATALOGUE, ids=lambda g: g.name)
def test_table_laws(G: FiniteGroup) -> None:
    check_laws(character_table(G))


def test_sl23_laws() -> None:
    check_laws(character_table(sl23()))


@pytest.mark.parametrize("G", CATALOGUE[:10], ids=lambda g: g.name)
def test_galois_conjugation_matches_power_maps(G: FiniteGroup) -> None:
    """Exact law: chi(g^u) = sigma_u(chi(g)) for u prime to |G|, on the spectra."""
    T = character_table(G)
    e = T.exponent
    for u in range(1, e + 1):
        if math.gcd(u, e) != 1:
            continue
        pm = G.power_map(u)
        for i in range(T.num_classes):
            lhs = np.sort(T.spectra[i][pm], axis=1)
            rhs = np.sort((T.spectra[i] * u) % e, axis=1)
            assert np.array_equal(lhs, rhs)


@pytest.mark.parametrize("G", [groups.alternating(5), groups.dicyclic(3), groups.cyclic(5), sl23()], ids=str)
def test_exact_values_agree_with_floats(G: FiniteGroup) -> None:
    T = character_table(G)
    ex = np.array(T.exact.evalf(30).tolist(), dtype=complex)
    assert np.allclose(ex, T.values, atol=1e-12)
    assert T.exact_value(1, 1) == T.exact[1, 1]


def test_a5_exact_golden_ratio() -> None:
    T = character_table(groups.alternating(5))
    five = [k for k in range(5) if T.class_orders[k] == 5]
    vals = {T.exact_value(1, k) for k in five}
    phi = (1 + sympy.sqrt(5)) / 2
    assert {sympy.simplify(x - phi) == 0 or sympy.simplify(x - (1 - phi)) == 0 for x in vals} == {True}


def test_direct_product_table_is_kronecker() -> None:
    A, B = groups.dihedral(4), groups.cyclic(3)
    G = groups.direct_product(A, B)
    TA, TB, TG = character_table(A), character_table(B), character_table(G)
    reps = G.class_representatives
    a_cls = A.class_of[reps // B.order]
    b_cls = B.class_of[reps % B.order]
    products = [TA.values[i][a_cls] * TB.values[j][b_cls] for i in range(TA.num_classes) for j in range(TB.num_classes)]
    assert len(products) == TG.num_classes
    for p in products:
        assert np.abs(TG.values - p[None, :]).max(axis=1).min() < 1e-9


@settings(max_examples=25)
@given(st.sampled_from(["dihedral(5)", "dicyclic(3)", "symmetric(4)", "cyclic(10)", "klein", "quaternion"]),
       st.randoms(use_true_random=False))
def test_relabelled_tables_give_the_same_table(which: str, rnd) -> None:  # type: ignore[no-untyped-def]
    G = {
        "dihedral(5)": groups.dihedral(5),
        "dicyclic(3)": groups.dicyclic(3),
        "symmetric(4)": groups.symmetric(4),
        "cyclic(10)": groups.cyclic(10),
        "klein": groups.klein_four(),
        "quaternion": groups.quaternion(),
    }[which]
    perm = np.array(rnd.sample(range(G.order), G.order))
    H = relabel(G, perm)
    T, TH = character_table(G), character_table(H)
    check_laws(TH)
    # columns of H's table correspond to classes pi(K) of G
    col = np.array([int(H.class_of[perm[c[0]]]) for c in T.classes])
    def rows(v: np.ndarray) -> list[tuple[tuple[float, ...], tuple[float, ...]]]:
        return sorted((tuple(np.round(r.real, 8)), tuple(np.round(r.imag, 8))) for r in v)

    assert rows(TH.values[:, col]) == rows(T.values)
    assert np.array_equal(TH.degrees, T.degrees)
    assert np.array_equal(np.sort(TH.indicators), np.sort(T.indicators))


@pytest.mark.parametrize("G", [groups.symmetric(3), groups.quaternion(), groups.cyclic(5), groups.alternating(4)], ids=str)
def test_multiplicities_of_characters(G: FiniteGroup) -> None:
    T = character_table(G)
    R = Representation.regular(G)
    assert complex_multiplicities(R).tolist() == T.degrees.tolist()
    irr = G.irreps()
    # real regular: psi appears dim/e times
    e = {"R": 1, "C": 2, "H": 4}
    assert real_multiplicities(R).tolist() == [p.dim // e[p.real_type] for p in irr]
    assert hom_dimension(R, R) == G.order
    assert hom_dimension(Representation.trivial(G), R) == 1
    assert inner_product(G, T.values[0], T.values[0]) == pytest.approx(1)


def test_character_helpers_reject_bad_input() -> None:
    G = groups.symmetric(3)
    with pytest.raises(InvalidArgumentError, match="FiniteGroup"):
        character_table("S3")  # type: ignore[arg-type]
    with pytest.raises(DimensionMismatchError, match="shape"):
        inner_product(G, np.ones(2), np.ones(3))
    with pytest.raises(InvalidArgumentError, match="numeric"):
        inner_product(G, np.array(["a", "b", "c"]), np.ones(3))
    with pytest.raises(GroupMismatchError, match="different groups"):
        hom_dimension(Representation.trivial(G), Representation.trivial(groups.cyclic(2)))
    from reptheory.errors import DecompositionError

    with pytest.raises(DecompositionError, match="not in"):
        frobenius_schur_indicator(G, np.array([2.0, 0.0, 2.0]))


# ---------------------------------------------------------------- text
def test_format_cyclotomic() -> None:
    assert format_cyclotomic(np.array([0, 0, 0]), 4) == "3"
    assert format_cyclotomic(np.array([1, 2]), 3) == "-1"  # E(3) + E(3)^2
    assert format_cyclotomic(np.array([1]), 3) == "E(3)"
    assert format_cyclotomic(np.array([0, 1]), 3) == "-E(3)^2"  # 1 + E(3)
    assert format_cyclotomic(np.array([1, 4]), 5) == "-1/2 + sqrt(5)/2"
    assert format_cyclotomic(np.array([0, 2]), 4) == "0"


def test_text_and_latex_and_json() -> None:
    T = character_table(groups.alternating(5))
    text = str(T)
    assert "alternating(5)" in text and "sqrt(5)" in text and "5a" in text and "15" in text
    assert text.count("\n") == 2 + T.num_classes
    assert "\\begin{array}" in T._repr_latex_()
    import json

    data = json.loads(json.dumps(T.to_json()))
    assert data["degrees"] == [1, 3, 3, 4, 5]
    assert "E(3)" in str(character_table(groups.cyclic(3)))
    assert repr(T).startswith("CharacterTable(alternating(5)")


def test_real_rows_partition_the_characters() -> None:
    T = character_table(sl23())
    rows = T.real_rows()
    flat = sorted(i for grp in rows for i in grp)
    assert flat == list(range(T.num_classes))
    for grp in rows:
        if len(grp) == 2:
            assert np.allclose(T.values[grp[1]], T.values[grp[0]].conj())


def test_exactness_is_certified() -> None:
    assert character_table(groups.alternating(5)).info["verified"].startswith("exact")
    assert character_table(groups.cyclic(12)).info["verified"].startswith("exact")


@pytest.mark.slow
def test_large_groups() -> None:
    for G in (groups.symmetric(7), relabel(groups.direct_product(groups.cyclic(25), groups.dihedral(20)), np.random.default_rng(0).permutation(1000))):
        check_laws(character_table(G))


@settings(max_examples=60)
@given(rst.finite_groups(max_order=60))
def test_laws_on_random_groups(G: FiniteGroup) -> None:
    """Tables, irreps and the regular decomposition of groups from the shared strategy."""
    T = character_table(G)
    check_laws(T)
    irr = G.irreps()
    e = {"R": 1, "C": 2, "H": 4}
    assert sum(p.dim**2 // e[p.real_type] for p in irr) == G.order
    R = Representation.regular(G)
    assert real_multiplicities(R).tolist() == [p.dim // e[p.real_type] for p in irr]
