"""Public functions that forward ``**kwargs``: unknown names are a typed error naming the keyword."""

from __future__ import annotations

import pytest

from reptheory import Representation, groups
from reptheory.decomposition import decompose
from reptheory.errors import InvalidArgumentError
from reptheory.hom.space import commutant, invariants
from reptheory.testing.laws import decomposition_reconstructs
from tests.reliability.conftest import names

S3 = Representation.regular(groups.symmetric(3))
V = Representation.defining(groups.SO3())

CASES = [
    (lambda: S3.decompose(seed=1), ["decompose", "'seed'", "rng"]),
    (lambda: S3.decompose(verify=False), ["decompose", "'verify'"]),  # Lie-only keyword on a finite group
    (lambda: decompose(S3, rng=0, tol=1e-3), ["decompose", "'tol'"]),
    (lambda: V.decompose(verfy=False), ["decompose", "'verfy'", "verify"]),
    (lambda: decomposition_reconstructs(S3, bogus=1), ["decompose", "'bogus'"]),
    (
        lambda: Representation.from_algebra_images(groups.SO3(), list(V.algebra), nme="x"),
        ["from_algebra_images", "'nme'", "name"],
    ),
    (lambda: commutant(S3, bogus=1), ["commutant", "bogus"]),
    (lambda: invariants(S3, bogus=1), ["invariants", "bogus"]),
]


@pytest.mark.parametrize("case", range(len(CASES)))
def test_unknown_keywords_are_typed_errors(case):
    fn, words = CASES[case]
    with pytest.raises(InvalidArgumentError) as info:
        fn()
    assert names(info.value, *words), str(info.value)


def test_known_keywords_still_work():
    assert S3.decompose(rng=3).multiplicities == S3.decompose().multiplicities
    dec = V.decompose(rng=0, verify=False)
    assert sum(c.multiplicity * c.irrep.dim for c in dec.components) == 3
    W = Representation.from_algebra_images(groups.SO3(), list(V.algebra), name="W", validate=True)
    assert W.name == "W" and W.dim == 3
