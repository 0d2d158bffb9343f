"""Representations: sizes are estimated before allocation; wrong types get typed errors naming the argument."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reptheory import Representation, TooLargeError, groups
from reptheory._numerics.limits import current_limits, resource_limits
from reptheory.errors import InvalidArgumentError
from tests.reliability.conftest import assert_typed_error

C2 = groups.cyclic(2)
T = Representation.trivial(C2)
R = Representation.regular(C2)

BAD = [
    (lambda: Representation.trivial(C2, 2.5), InvalidArgumentError, ["dim", "2.5"]),
    (lambda: Representation.trivial(C2, 0), InvalidArgumentError, ["dim"]),
    (lambda: Representation.trivial(None), InvalidArgumentError, ["group"]),
    (lambda: Representation.trivial(C2, 10**6), TooLargeError, ["dimension", "max_dim"]),
    (lambda: Representation.regular(groups.SO3()), InvalidArgumentError, ["group", "finitegroup"]),
    (lambda: 10**6 * T, TooLargeError, ["dimension", "max_dim"]),
    (lambda: "3" * T, InvalidArgumentError, ["multiplicity"]),
    (lambda: Representation.trivial(C2, 140) @ Representation.trivial(C2, 140), TooLargeError, ["max_bytes"]),
    (lambda: R ** 10**7, TooLargeError, ["max_dim"]),
    (lambda: R ** -1, InvalidArgumentError, ["tensor power"]),
    (lambda: R ** 2.0, InvalidArgumentError, ["tensor power"]),
    (lambda: R.direct_sum(*([R] * 40000)), TooLargeError, ["direct sum", "max_dim"]),
    (lambda: Representation.regular(groups.cyclic(10**6)), TooLargeError, ["regular"]),
]


@pytest.mark.parametrize("case", range(len(BAD)))
def test_bad_inputs_get_typed_errors(case):
    assert_typed_error(*BAD[case])


def test_too_large_error_carries_estimate_and_limit():
    with pytest.raises(TooLargeError) as info:
        10**6 * T
    err = info.value
    assert err.estimate == 10**6 and err.limit == current_limits().max_dim


def test_limits_are_overridable_and_scoped():
    with resource_limits(max_dim=4):
        with pytest.raises(TooLargeError):
            Representation.trivial(C2, 5)
    assert Representation.trivial(C2, 5).dim == 5
    with pytest.raises(InvalidArgumentError, match="unknown limit"):
        with resource_limits(max_dimension=3):
            pass


def test_limits_from_the_environment(monkeypatch):
    monkeypatch.setenv("REPTHEORY_LIMITS", "max_dim=3")
    with pytest.raises(TooLargeError):
        Representation.trivial(C2, 4)
    monkeypatch.setenv("REPTHEORY_LIMITS", "max_dim=lots")
    with pytest.raises(InvalidArgumentError, match="max_dim"):
        Representation.trivial(C2, 4)


def test_trivial_tensor_power_is_logarithmic():
    assert (T ** 10**7).dim == 1  # repeated squaring: instant
    np.testing.assert_allclose((R ** 5).images, (R @ R @ R @ R @ R).images)


@given(st.integers(1, 5), st.integers(0, 4))
@settings(max_examples=20, deadline=None)
def test_tensor_power_matches_repeated_products(d, k):
    rho = Representation.trivial(C2) if d == 1 else Representation.regular(groups.cyclic(d))
    out = rho ** k
    assert out.dim == rho.dim**k
    if k >= 1:
        ref = rho
        for _ in range(k - 1):
            ref = ref @ rho
        np.testing.assert_allclose(out.images, ref.images)


@given(st.integers(2, 10**9))
@settings(max_examples=40, deadline=None)
def test_multiples_over_the_limit_refused_before_allocating(k):
    with resource_limits(max_dim=64, max_bytes=16 << 10):
        if 2 * k <= 64 and 8 * (2 * k) ** 2 <= 16 << 10:
            assert (k * R).dim == 2 * k
        else:
            with pytest.raises(TooLargeError):
                k * R
