"""Representation laws driven by the shipped strategies."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from reptheory import Representation, groups
from reptheory._numerics.tolerance import relative_error, tolerance
from reptheory.errors import InvalidArgumentError
from reptheory.testing import laws
from reptheory.testing import strategies as rst

SMALL = rst.finite_groups(max_order=16)
ORTHOGONAL_REPS = SMALL.flatmap(lambda G: rst.representations(G, max_dim=6))
GENERAL_REPS = SMALL.flatmap(lambda G: rst.representations(G, max_dim=6, orthogonal=False))
PAIRS = SMALL.flatmap(lambda G: rst.intertwiner_pairs(G, max_dim=5))


@given(ORTHOGONAL_REPS)
def test_homomorphism(rho):
    laws.homomorphism(rho)


@given(GENERAL_REPS)
def test_homomorphism_non_orthogonal(rho):
    laws.homomorphism(rho)


@given(ORTHOGONAL_REPS)
def test_orthogonality(rho):
    laws.orthogonality(rho)


@given(GENERAL_REPS)
def test_weyl_trick(rho):
    laws.weyl_trick(rho)


@given(PAIRS)
def test_character_dimension_formula(pair):
    laws.character_dimension_formula(*pair)


@given(
    SMALL.flatmap(
        lambda G: st.tuples(
            rst.subgroups(G).flatmap(lambda H: rst.representations(H, max_dim=3)),
            rst.representations(G, max_dim=4),
        )
    )
)
def test_frobenius_reciprocity(pair):
    sigma, rho = pair
    laws.frobenius_reciprocity(sigma, rho)


@given(rst.finite_groups(max_order=8).flatmap(lambda G: rst.representations(G, max_dim=4, exact=True)))
def test_exact_representations_are_exact(rho):
    """Exact draws carry sympy images that evaluate to the float images (exact equals numeric)."""
    assert rho.exact_images is not None
    for j, m in enumerate(rho.exact_images):
        assert all(x.is_Rational for x in m)
        assert relative_error(np.array(m, dtype=float), rho.images[j]) <= tolerance().rtol
    laws.homomorphism(rho)
    laws.orthogonality(rho)


@given(
    rst.finite_groups(max_order=12).flatmap(
        lambda G: rst.representations(G, max_dim=5, orthogonal=False, exact=True)
    )
)
def test_exact_non_orthogonal_representations(rho):
    assert rho.exact_images is not None
    laws.homomorphism(rho)


@given(SMALL.flatmap(lambda G: rst.representations(G, max_dim=7)))
def test_dimension_bound(rho):
    assert 1 <= rho.dim <= 7


def test_representations_invalid_arguments():
    G = groups.cyclic(3)
    for kwargs in ({"max_dim": 0}, {"max_dim": 2.0}, {"orthogonal": "yes"}, {"exact": 1}):
        with pytest.raises(InvalidArgumentError):
            rst.representations(G, **kwargs)
    with pytest.raises(InvalidArgumentError):
        rst.representations("C3")


def test_homomorphism_law_on_functions():
    G = groups.dihedral(3)
    R = Representation.regular(G)
    laws.homomorphism(R.matrix, group=G)
    with pytest.raises(InvalidArgumentError, match="group="):
        laws.homomorphism(R.matrix)


def test_orthogonality_law_rejects_non_orthogonal():
    R = Representation.regular(groups.cyclic(3)).change_basis(np.diag([1.0, 2.0, 3.0]))
    with pytest.raises(AssertionError, match="not orthogonal"):
        laws.orthogonality(R)


def test_frobenius_reciprocity_argument_errors():
    G = groups.symmetric(3)
    with pytest.raises(InvalidArgumentError, match="subgroup"):
        laws.frobenius_reciprocity(Representation.trivial(G), Representation.trivial(G))
    H = G.subgroup([G.generators[0]])
    with pytest.raises(InvalidArgumentError, match="rho must be"):
        laws.frobenius_reciprocity(Representation.trivial(H), Representation.trivial(groups.cyclic(2)))


@given(SMALL.flatmap(lambda G: rst.representations(G, max_dim=6, orthogonal=False)))
def test_decomposition_reconstructs(rho):
    laws.decomposition_reconstructs(rho)


@given(rst.finite_groups(max_order=24))
def test_character_orthogonality(G):
    laws.character_orthogonality(G)


LIE_REPS = rst.lie_groups().flatmap(lambda G: rst.representations(G, max_dim=6))


@given(LIE_REPS)
def test_lie_homomorphism(rho):
    laws.homomorphism(rho)


@given(LIE_REPS)
def test_lie_orthogonality(rho):
    laws.orthogonality(rho)


@given(rst.lie_groups().flatmap(lambda G: rst.representations(G, max_dim=5, orthogonal=False)))
def test_lie_homomorphism_non_orthogonal(rho):
    laws.homomorphism(rho)
