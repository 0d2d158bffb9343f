"""Characters of S_n and A_n by partitions: Murnaghan–Nakayama against independent oracles."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest

from reptheory import groups
from reptheory.characters.symmetric import (
    alternating_character_table,
    branching_table,
    conjugate_partition,
    kronecker_coefficient,
    kronecker_table,
    mn_character,
    partition_degree,
    partitions,
    symmetric_character_table,
)
from reptheory.decomposition.irreps.finite import _young_image, young_orthogonal_form
from reptheory.errors import InvalidArgumentError, TooLargeError

P_COUNTS = {1: 1, 2: 2, 3: 3, 4: 5, 5: 7, 6: 11, 7: 15, 8: 22, 10: 42, 15: 176, 20: 627}


def _perm_of_type(mu: tuple[int, ...]) -> np.ndarray:
    p = np.arange(sum(mu))
    start = 0
    for m in mu:
        p[start : start + m] = np.roll(np.arange(start, start + m), -1)
        start += m
    return p


def _cycle_type(p: np.ndarray) -> tuple[int, ...]:
    seen = np.zeros(len(p), dtype=bool)
    out = []
    for x in range(len(p)):
        if not seen[x]:
            c, y = 0, x
            while not seen[y]:
                seen[y] = True
                y = int(p[y])
                c += 1
            out.append(c)
    return tuple(sorted(out, reverse=True))


@pytest.mark.parametrize("n", sorted(P_COUNTS))
def test_partition_counts(n: int) -> None:
    assert len(partitions(n)) == P_COUNTS[n]


@pytest.mark.parametrize("n", range(1, 9))
def test_mn_matches_traces_of_young_orthogonal_form(n: int) -> None:
    """The oracle: traces of products of Young's matrices along a word of a permutation of each type."""
    T = symmetric_character_table(n)
    for lam in partitions(n):
        mats, _ = young_orthogonal_form(lam)
        f = mats.shape[1] if n > 1 else 1
        for k, mu in enumerate(T.cycle_types):
            trace = np.trace(_young_image(mats, _perm_of_type(mu))) if n > 1 else 1.0
            assert round(float(trace)) == T.values[T.row(lam), k] == mn_character(lam, mu)
        assert f == partition_degree(lam)


@pytest.mark.parametrize("n", [1, 2, 5, 9, 12])
def test_orthogonality_and_degrees(n: int) -> None:
    T = symmetric_character_table(n)
    V = T.values.astype(object)
    sizes = np.array(T.class_sizes, dtype=object)
    assert (V * sizes[None, :]).dot(V.T).tolist() == (np.eye(len(V), dtype=object) * math.factorial(n)).tolist()
    z = [math.factorial(n) // s for s in T.class_sizes]
    assert V.T.dot(V).tolist() == np.diag(np.array(z, dtype=object)).tolist()  # column orthogonality
    assert sum(int(d) ** 2 for d in T.degrees) == math.factorial(n)
    assert sum(T.class_sizes) == math.factorial(n)


def test_s20_without_enumeration() -> None:
    G = groups.symmetric(20)
    T = G.character_table()
    assert not G.is_enumerated
    assert T.num_classes == 627 and T.order == math.factorial(20)
    # chi^(19,1) = (fixed points) - 1, chi^(1^20) = sign
    fixed = np.array([Counter(mu)[1] for mu in T.cycle_types])
    assert np.array_equal(T.character((19, 1)), fixed - 1)
    sign = np.array([(-1) ** (20 - len(mu)) for mu in T.cycle_types])
    assert np.array_equal(T.character((1,) * 20), sign)
    # largest degrees of S_n, OEIS A003040: n = 10, 12, 16, 20
    assert T.degrees.max() == 249420600
    assert [symmetric_character_table(m).degrees.max() for m in (10, 12, 16)] == [768, 7700, 1153152]
    assert T.info["orthogonality_residual"] < 1e-9


def test_table_agrees_with_burnside_on_an_enumerated_group() -> None:
    G = groups.symmetric(6)
    B = G.character_table()  # Burnside on the enumerated group
    S = symmetric_character_table(6)
    cols = [S.column(_cycle_type(G.elements[int(c[0])])) for c in B.classes]
    ours = sorted(tuple(row) for row in S.values[:, cols].tolist())
    theirs = sorted(tuple(round(float(v)) for v in row.real) for row in B.values)
    assert ours == theirs


def test_irreps_of_symmetric_groups_are_named_by_partitions() -> None:
    irr = groups.symmetric(4).irreps()
    assert sorted(p.label for p in irr) == sorted(["trivial", "(3,1)", "(2^2)", "(2,1^2)", "(1^4)"])
    assert {p.label for p in irr} == {"trivial" if p.meta["partition"] == (4,) else p.label for p in irr}


@pytest.mark.parametrize("lam", [(4, 2), (3, 2, 1), (2, 2, 1, 1), (6,), (1,) * 6])
def test_irrep_by_partition_has_the_mn_character(lam: tuple[int, ...]) -> None:
    G = groups.symmetric(6)
    rho = G.irrep(lam)
    assert rho.dim == partition_degree(lam) and rho.meta["partition"] == lam
    S = symmetric_character_table(6)
    ref = [S.values[S.row(lam), S.column(_cycle_type(G.elements[int(g)]))] for g in G.class_representatives]
    assert np.allclose(rho.character(), ref)
    images = rho.images
    assert np.allclose(images @ np.swapaxes(images, 1, 2), np.eye(rho.dim))


@pytest.mark.slow
def test_irrep_of_s12_by_partition() -> None:
    G = groups.symmetric(12)
    rho = G.irrep((7, 3, 2))
    assert not G.is_enumerated and rho.dim == 1925
    s, c = rho.images
    assert np.isclose(np.trace(s), mn_character((7, 3, 2), (2,) + (1,) * 10))
    assert np.isclose(np.trace(c), mn_character((7, 3, 2), (12,)))
    assert np.allclose(np.linalg.matrix_power(c, 12), np.eye(1925), atol=1e-8)


def test_bad_partitions_are_refused() -> None:
    with pytest.raises(InvalidArgumentError, match="partition"):
        groups.symmetric(5).irrep((2, 3))
    with pytest.raises(InvalidArgumentError, match="partition of 4"):
        groups.symmetric(5).irrep((3, 1))
    with pytest.raises(InvalidArgumentError, match="mu"):
        mn_character((3, 1), (2, 1))
    with pytest.raises(TooLargeError):
        symmetric_character_table(31)


@pytest.mark.parametrize("n", [3, 4, 5, 6])
def test_kronecker_coefficients(n: int) -> None:
    parts = partitions(n)
    T = symmetric_character_table(n)
    deg = T.degrees
    for lam in parts:
        K = kronecker_table(n, lam)
        # trivial and sign rows; dimension count; symmetry g_{lam,mu,nu} = g_{lam,nu,mu}
        assert np.array_equal(K[T.row((n,))], np.eye(len(parts), dtype=np.int64)[T.row(lam)])
        assert K[T.row((1,) * n), T.row(conjugate_partition(lam))] == 1
        assert np.array_equal(K @ deg, deg[T.row(lam)] * deg)
        assert np.array_equal(K, K.T)
    lam, mu, nu = parts[1], parts[len(parts) // 2], parts[-2]
    g = kronecker_coefficient(lam, mu, nu)
    assert g == kronecker_coefficient(mu, nu, lam) == kronecker_table(n, lam)[T.row(mu), T.row(nu)]


@pytest.mark.parametrize("n", [2, 3, 5, 7])
def test_branching_is_restriction(n: int) -> None:
    B = branching_table(n)
    big, small = symmetric_character_table(n), symmetric_character_table(n - 1)
    assert np.array_equal(B @ small.degrees, big.degrees)
    # restriction: chi^lam on the S_{n-1} class mu is chi^lam(mu + (1,))
    res = np.stack([[big.values[i, big.column(mu + (1,))] for mu in small.cycle_types] for i in range(len(B))])
    assert np.array_equal(res, B @ small.values)


def test_a5_against_the_atlas() -> None:
    T = alternating_character_table(5)
    assert T.degrees.tolist() == [1, 4, 5, 3, 3] and T.order == 60
    assert sorted(T.class_sizes) == [1, 12, 12, 15, 20]
    golden = (1 + math.sqrt(5)) / 2
    k5 = [k for k, (mu, s) in enumerate(T.columns) if mu == (5,)]
    assert sorted(round(float(T.values[3, k].real), 9) for k in k5) == sorted([round(golden, 9), round(1 - golden, 9)])
    assert str(T.exact_value(3, k5[0])) in {"1/2 + sqrt(5)/2", "1/2 - sqrt(5)/2"}


@pytest.mark.parametrize("n", [3, 4, 6, 7])
def test_alternating_tables_match_burnside(n: int) -> None:
    T = alternating_character_table(n)
    B = groups.alternating(n).character_table()
    assert sorted(T.degrees.tolist()) == sorted(B.degrees.tolist())
    assert sorted(T.class_sizes) == sorted(B.class_sizes.tolist())

    def key(r: np.ndarray) -> tuple[tuple[float, float], ...]:
        return tuple(sorted((round(float(z.real), 8) + 0.0, round(float(z.imag), 8) + 0.0) for z in r))

    ours = sorted(key(r) for r in T.values)
    theirs = sorted(key(r) for r in B.values)
    assert ours == theirs
    assert sum(int(d) ** 2 for d in T.degrees) == math.factorial(n) // 2
