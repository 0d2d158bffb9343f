"""Projector laws, driven through the library's projectors with the shipped strategies.

``space`` here is the library's explicit average (:mod:`reptheory.hom.averaging`); the laws compare
it with the testing module's own brute-force oracle and with the character formula.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from reptheory import Representation, groups
from reptheory.errors import InvalidArgumentError
from reptheory.testing import laws
from reptheory.testing import strategies as rst

SMALL = rst.finite_groups(max_order=16)


def _with_weights(pair, **kw):
    rho_in, rho_out = pair
    return st.tuples(
        st.just(rho_in),
        st.just(rho_out),
        rst.weights_for(rho_in, rho_out, **kw),
        rst.weights_for(rho_in, rho_out),
    )


ORTHO = SMALL.flatmap(lambda G: rst.intertwiner_pairs(G, max_dim=5)).flatmap(_with_weights)
OBLIQUE = SMALL.flatmap(lambda G: rst.intertwiner_pairs(G, max_dim=5, orthogonal=False)).flatmap(
    _with_weights
)
EQUIVARIANT = SMALL.flatmap(lambda G: rst.intertwiner_pairs(G, max_dim=5, orthogonal=False)).flatmap(
    lambda p: _with_weights(p, equivariant=True)
)


def library_average(rho_in, rho_out):
    from reptheory.hom.averaging import group_average

    return lambda W: group_average(rho_in, rho_out, W)


@given(ORTHO)
def test_idempotent(case):
    rho_in, rho_out, A, _ = case
    laws.projector_idempotent(rho_in, rho_out, A, space=library_average(rho_in, rho_out))


@given(OBLIQUE)
def test_idempotent_oblique(case):
    rho_in, rho_out, A, _ = case
    laws.projector_idempotent(rho_in, rho_out, A, space=library_average(rho_in, rho_out))


@given(ORTHO)
def test_self_adjoint_for_orthogonal_reps(case):
    rho_in, rho_out, A, B = case
    laws.projector_self_adjoint(rho_in, rho_out, A, B, space=library_average(rho_in, rho_out))


@given(OBLIQUE)
def test_projection_commutes_with_generators(case):
    rho_in, rho_out, A, _ = case
    laws.projection_commutes_with_generators(rho_in, rho_out, A, space=library_average(rho_in, rho_out))


@given(EQUIVARIANT)
def test_fixes_equivariant(case):
    rho_in, rho_out, W, _ = case
    laws.projector_fixes_equivariant(rho_in, rho_out, W, space=library_average(rho_in, rho_out))


@given(OBLIQUE)
def test_rank_equals_character_formula(case):
    rho_in, rho_out, _, _ = case
    laws.projector_rank(rho_in, rho_out, space=library_average(rho_in, rho_out))


@given(OBLIQUE)
def test_matches_group_average(case):
    rho_in, rho_out, A, _ = case
    laws.projector_matches_group_average(rho_in, rho_out, A, space=library_average(rho_in, rho_out))


@given(
    SMALL.flatmap(lambda G: rst.intertwiner_pairs(G, max_dim=5)).flatmap(
        lambda p: st.tuples(st.just(p), rst.weights_for(*p, violation=(0.5, 2.0)))
    )
)
def test_violation_is_the_distance_to_equivariance(case):
    (rho_in, rho_out), W = case
    E = W - laws.explicit_group_average(rho_in, rho_out, W)
    assert 0.5 - 1e-9 <= np.linalg.norm(E) <= 2.0 + 1e-9


def test_weights_for_invalid_arguments():
    R = Representation.regular(groups.cyclic(3))
    S = Representation.regular(groups.cyclic(4))
    with pytest.raises(InvalidArgumentError, match="different groups"):
        rst.weights_for(R, S)
    with pytest.raises(InvalidArgumentError, match="mutually exclusive"):
        rst.weights_for(R, R, equivariant=True, violation=(0.0, 1.0))
    for bad in ((2.0, 1.0), (-1.0, 1.0), "ab", (0.0, float("inf"))):
        with pytest.raises(InvalidArgumentError, match="violation"):
            rst.weights_for(R, R, violation=bad)
    with pytest.raises(InvalidArgumentError, match="rho_in"):
        rst.weights_for("R", R)


def test_projector_laws_check_shapes():
    R = Representation.regular(groups.cyclic(3))
    with pytest.raises(InvalidArgumentError, match="shape"):
        laws.projector_idempotent(R, R, np.zeros((2, 3)), space=lambda W: W)


# ---------------------------------------------------------- the library's intertwiner spaces
# space=None: the laws call reptheory.hom.space.intertwiners(rho_in, rho_out)


@given(ORTHO)
def test_library_space_idempotent_and_self_adjoint(case):
    rho_in, rho_out, A, B = case
    laws.projector_idempotent(rho_in, rho_out, A)
    laws.projector_self_adjoint(rho_in, rho_out, A, B)


@given(OBLIQUE)
def test_library_space_is_the_reynolds_operator(case):
    rho_in, rho_out, A, _ = case
    laws.projection_commutes_with_generators(rho_in, rho_out, A)
    laws.projector_matches_group_average(rho_in, rho_out, A)


@given(OBLIQUE)
def test_library_space_range_and_rank(case):
    rho_in, rho_out, _, _ = case
    laws.projector_range_is_commutant(rho_in, rho_out)
    laws.projector_rank(rho_in, rho_out)


@given(EQUIVARIANT)
def test_library_space_fixes_equivariant(case):
    rho_in, rho_out, W, _ = case
    laws.projector_fixes_equivariant(rho_in, rho_out, W)


EXACT = (
    rst.finite_groups(max_order=8)
    .flatmap(lambda G: rst.intertwiner_pairs(G, max_dim=4, exact=True))
    .flatmap(lambda p: _with_weights(p))
)


@given(EXACT)
def test_exact_matches_numeric(case):
    rho_in, rho_out, W, _ = case
    laws.projector_exact_matches_numeric(rho_in, rho_out, W)


# --------------------------------------------------------------------- compact Lie groups
LIE_CASES = rst.lie_groups().flatmap(lambda G: rst.intertwiner_pairs(G, max_dim=5)).flatmap(_with_weights)


@given(LIE_CASES)
def test_lie_projector_laws(case):
    rho_in, rho_out, A, B = case
    laws.projector_idempotent(rho_in, rho_out, A)
    laws.projector_self_adjoint(rho_in, rho_out, A, B)
    laws.projection_commutes_with_generators(rho_in, rho_out, A)
    laws.projector_range_is_commutant(rho_in, rho_out)
