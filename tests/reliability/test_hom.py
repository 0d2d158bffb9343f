"""Intertwiners: valid inputs get correct, repeatable answers; zero spaces work; bad inputs get typed errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reptheory import Representation, commutant, groups, intertwiners
from reptheory.characters.finite import hom_dimension
from reptheory.errors import DimensionMismatchError, ReptheoryError


def _icosahedral_images():
    G = groups.icosahedral()
    V = Representation.defining(G)
    return G, Representation.from_generator_images(G, [np.array(m) for m in V.images])


@pytest.mark.parametrize("copies", [40, 100])
def test_many_copies_of_an_irrep_given_by_images(copies):
    _, rho = _icosahedral_images()
    answers = [commutant(copies * rho, cache=False) for _ in range(2)]
    for H in answers:
        assert H.dim == copies * copies
        assert H.error_bound["residual"] < 1e-9
    W = np.random.default_rng(0).standard_normal(answers[0].shape)
    np.testing.assert_allclose(answers[0].project(W), answers[1].project(W), atol=1e-10)


@pytest.mark.parametrize("G", [groups.dihedral(4), groups.symmetric(3), groups.cyclic(5), groups.octahedral()],
                         ids=lambda g: g.name)
def test_zero_spaces(G):
    irr = G.irreps()
    for a in irr:
        for b in irr:
            if a is b:
                continue
            H = intertwiners(a, b, cache=False)
            assert H.dim == 0 == hom_dimension(a, b)
            eb = H.error_bound
            assert eb["residual"] == 0.0 and eb["idempotence"] == 0.0
            assert H.basis.shape == (0, b.dim, a.dim)


BAD = [
    (lambda: intertwiners(None, None), ["rho"]),
    (lambda: commutant(Representation.regular(groups.cyclic(3)), method="magic"), ["method"]),
    (lambda: commutant(Representation.regular(groups.cyclic(3)), bogus=1), ["bogus"]),
    (lambda: intertwiners(Representation.regular(groups.cyclic(3)), Representation.regular(groups.cyclic(4))),
     ["group"]),
]


@pytest.mark.parametrize("case", range(len(BAD)))
def test_bad_inputs_get_typed_errors(case):
    fn, words = BAD[case]
    with pytest.raises(ReptheoryError) as info:
        fn()
    assert all(w.lower() in str(info.value).lower() for w in words), str(info.value)


@given(st.integers(1, 6), st.integers(1, 6))
@settings(max_examples=10, deadline=None)
def test_dimension_matches_characters_for_image_given_reps(a, b):
    G, rho = _icosahedral_images()
    triv = Representation.trivial(G)
    H = intertwiners(a * rho + triv, b * rho, cache=False)
    assert H.dim == a * b
    with pytest.raises(DimensionMismatchError, match="W"):
        H.project(np.zeros((2, 2)))
