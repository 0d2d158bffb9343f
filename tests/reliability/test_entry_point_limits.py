"""Estimate-first refusals on powers and character tables: typed, naming the argument, immediate."""

from __future__ import annotations

import time

import numpy as np
import pytest

from reptheory import Representation, TooLargeError, groups
from reptheory._numerics.limits import resource_limits
from reptheory.characters.table import character_table
from tests.reliability.conftest import names

O = groups.octahedral()
V = Representation.defining(O)  # d = 3
REG = Representation.regular(groups.cyclic(20))  # d = 20

REFUSED = [
    (lambda: V.symmetric_power(10**9), ["symmetric_power", "k=1000000000", "max_dim"]),
    (lambda: V.symmetric_power(12), ["symmetric_power", "k=12", "max_dim"]),
    (lambda: REG.exterior_power(5), ["exterior_power", "k=5", "max_dim"]),
    (lambda: REG.exterior_power(19), ["exterior_power", "k=19", "max_dim"]),
    (lambda: character_table(groups.cyclic(100_000)), ["character_table", "classes", "max_bytes"]),
    (lambda: character_table(groups.cyclic(150_000)), ["character_table", "cyclic(150000)"]),
]


@pytest.mark.parametrize("case", range(len(REFUSED)))
def test_refused_before_building(case):
    fn, words = REFUSED[case]
    t0 = time.perf_counter()
    with pytest.raises(TooLargeError) as info:
        fn()
    assert time.perf_counter() - t0 < 2.0, "the refusal must come from an estimate, not from building"
    assert names(info.value, *words), str(info.value)
    assert info.value.estimate > info.value.limit


@pytest.mark.parametrize(("kind", "k"), [("symmetric", 6), ("exterior", 3)])
def test_power_images_and_basis_checked_against_max_bytes(kind, k):
    rep = Representation.defining(groups.symmetric(4)).direct_sum(Representation.trivial(groups.symmetric(4), 2))
    with resource_limits(max_bytes=1 << 16), pytest.raises(TooLargeError) as info:
        getattr(rep, f"{kind}_power")(k)
    assert names(info.value, f"{kind}_power", f"k={k}", "max_bytes")


@pytest.mark.parametrize("k", [2, 12, 50, 10**6])
def test_powers_of_a_line_need_no_factorial_loop(k):
    # d = 1: Sym^k is the k-th power of the character, Λ^k (k ≥ 2) is zero; the old basis looped over k! permutations
    G = groups.cyclic(6)
    sign = Representation.from_generator_images(G, [np.array([[-1.0]])])
    S = sign.symmetric_power(k)
    assert S.dim == 1
    assert S.matrix(1)[0, 0] == (-1.0) ** k


@pytest.mark.parametrize(("d", "k"), [(3, 2), (3, 3), (4, 2), (4, 3), (2, 5)])
def test_power_dimensions_and_equivariance(d, k):
    from math import comb

    G = groups.symmetric(d)
    rho = Representation.defining(G)
    S, L = rho.symmetric_power(k), rho.exterior_power(min(k, d))
    assert S.dim == comb(d + k - 1, k)
    assert L.dim == comb(d, min(k, d))
    for P in (S, L):  # images are orthogonal and multiply like the group
        for j in range(P.images.shape[0]):
            assert np.allclose(P.images[j] @ P.images[j].T, np.eye(P.dim))
    assert np.allclose(S.character(), S.character().real)


def test_from_function_on_a_huge_group_checks_only_generators():
    # |G| = 10^6 > max_order: fn is not evaluated on every element (that would be 10^6 Python calls)
    calls = []
    G = groups.cyclic(10**6)
    R = Representation.from_function(G, lambda g: calls.append(g) or [[1.0]])
    assert R.dim == 1
    assert len(calls) == G.num_generators
