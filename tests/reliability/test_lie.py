"""Compact Lie groups: big requests are refused by estimate, lazy data stays lazy."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reptheory import TooLargeError, groups
from reptheory.cli._expr import parse_rep
from reptheory.errors import InvalidArgumentError
from tests.reliability.conftest import assert_typed_error

BAD = [
    (lambda: groups.SO(40), TooLargeError, ["structure constants", "max_bytes"]),
    (lambda: groups.SO3().irrep(10**6), TooLargeError, ["irrep", "max_dim"]),
    (lambda: groups.SO3().irrep(-1), InvalidArgumentError, []),
    (lambda: groups.SO3().irrep("x"), InvalidArgumentError, []),
    (lambda: parse_rep(groups.O3(), "100000x0e"), TooLargeError, ["max_dim"]),
    (lambda: groups.SO(2.5), InvalidArgumentError, []),
]


@pytest.mark.parametrize("case", range(len(BAD)))
def test_bad_inputs_get_typed_errors(case):
    assert_typed_error(*BAD[case])


def test_large_irrep_builds_exact_generators_lazily():
    D = groups.SO3().irrep(300)
    assert D.dim == 601
    assert not callable(D.algebra) and D.algebra.shape == (3, 601, 601)
    assert callable(D._exact_algebra)  # the sympy matrices are built only on request


@given(st.integers(0, 12))
@settings(max_examples=13, deadline=None)
def test_irreps_below_the_limit_are_built(l):
    D = groups.SO3().irrep(l)
    assert D.dim == 2 * l + 1
