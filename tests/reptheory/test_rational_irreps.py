"""Exact rational images of the rational irreps of never-enumerated permutation groups (issue 17, item 1)."""

from __future__ import annotations

import numpy as np
import pytest
import sympy

from reptheory import Representation
from reptheory.decomposition.irreps.rational import irrational_classes, rational_irrep, rational_irreps
from reptheory.errors import ExactnessError, InvalidArgumentError, NotAHomomorphismError
from reptheory.groups import permutation_group
from reptheory.hom.space import intertwiners
from reptheory.reps.permutation_group import _run, validate_permutation_group

A8_GENS = [[1, 2, 0, 3, 4, 5, 6, 7], [0, 2, 3, 4, 5, 6, 7, 1]]
A5_GENS = [[1, 2, 0, 3, 4], [0, 1, 3, 4, 2]]


def psl2(q: int) -> list[list[int]]:
    t = [q if x == q else (x + 1) % q for x in range(q + 1)]
    s = [0 if x == q else q if x == 0 else (-pow(x, q - 2, q)) % q for x in range(q + 1)]
    return [t, s]


def exact_traces(p: Representation) -> list[sympy.Rational]:
    """tr ψ(g_c) at the class representatives, from the exact generator images (straight-line programs)."""
    G = p.group
    prog = G.straight_line_program(np.asarray(G.conjugacy_classes().representatives))
    return [sum((sympy.Rational(str(m[i, i])) for i in range(p.dim)), sympy.Integer(0))
            for m in _run(p, prog, exact=True)]


@pytest.mark.parametrize("gens,name", [(A8_GENS, "A8"), (psl2(7), "PSL(2,7)")])
def test_rational_irreps_are_exact_and_match_the_table(gens, name) -> None:  # type: ignore[no-untyped-def]
    G = permutation_group(gens, name=name)
    T = G.character_table()
    floats = G.irreps()
    for k, rows in enumerate(T.real_rows()):
        # every real character of A8 and PSL(2,7) is rational, types C included (χ + χ̄: (−1 ± √−7)/2 sum to −1)
        assert all(irrational_classes(T, i) == [] for i in rows) or T.real_types[rows[0]] == "C"
        p = rational_irrep(G, k)
        assert p.label == floats[k].label and p.dim == floats[k].dim and p.meta["characters"] == rows
        assert p.real_type == floats[k].real_type and p.meta["field"] == "QQ"
        assert all(x.is_Rational for m in p.exact_images for x in m)
        assert np.array_equal(p.images, np.array([np.array(m, dtype=float) for m in p.exact_images]))
        if p.dim < 40:  # (the larger ones: test_multiplicity_one_source_is_required; keeps this test < 5 s)
            validate_permutation_group(p, exact=True)  # the Schreier relations, in exact arithmetic
            # traces at the class representatives: exactly the (integer) values of the real character
            assert exact_traces(p) == [round(float(v)) for v in T.real_character(rows)]
        assert np.allclose(p.character().real, floats[k].character().real, atol=1e-8)
        if p.dim <= 8:  # the float (orthogonal) irrep in another basis: End_G(ψ) is R, C or H
            H = intertwiners(floats[k], p)
            assert H.dim == {"R": 1, "C": 2, "H": 4}[p.real_type] and abs(np.linalg.det(H.basis[0])) > 1e-8
    assert [p.label for p in G.irreps(exact=True)] == [f.label for f in floats]


def test_irrational_characters_are_refused_by_name() -> None:
    A5 = permutation_group(A5_GENS, name="A5")
    T = A5.character_table()
    for k in (1, 2):  # the two 3-dimensional irreps: (1 ± √5)/2 on the 5-cycles
        with pytest.raises(ExactnessError, match=f"chi{k} of A5 has no rational images.*irrational at classes 5a, 5b"):
            rational_irrep(A5, k)
    with pytest.raises(ExactnessError, match=r"chi1 of A5.*chi2 of A5"):
        rational_irreps(A5)
    assert [p.meta["field"] for p in A5.irreps(exact=True)] == ["QQ", "QQ(sqrt(5))", "QQ(sqrt(5))", "QQ", "QQ"]
    for k in (0, 3, 4):
        p = rational_irrep(A5, k)
        assert exact_traces(p) == [round(float(v)) for v in T.values[T.real_rows()[k][0]].real]
        validate_permutation_group(p, exact=True)


def test_multiplicity_one_source_is_required() -> None:
    A8 = permutation_group(A8_GENS, name="A8")
    k = len(A8.character_table().real_rows()) - 1
    with pytest.raises(ExactnessError, match=r"chi13 of A8.*multiplicity 1 in no permutation representation.*60"):
        rational_irrep(A8, k, max_degree=60)  # the 70-dimensional irrep needs an orbit of degree > 60
    p = rational_irrep(A8, k)
    assert p.dim == 70
    validate_permutation_group(p, exact=True)
    assert exact_traces(p) == [round(float(v)) for v in A8.character_table().values[13].real]


def test_exact_intertwiners_between_reps_built_from_rational_irreps() -> None:
    A8 = permutation_group(A8_GENS, name="A8")
    triv, seven = rational_irrep(A8, 0), rational_irrep(A8, 1)
    V = Representation.defining(A8)
    rho = seven + triv
    H = intertwiners(rho, V, exact=True)
    assert H.dim == 2 and H.exact
    for B in H.basis_exact:
        assert all(x.is_Rational for x in B)
        for a, b in zip(rho.exact_images, V.exact_images, strict=True):
            assert B * a == b * B  # exactly an intertwiner
    assert intertwiners(seven, seven @ triv, exact=True).dim == 1


def test_exact_validation_is_exact() -> None:
    S4 = permutation_group([[1, 2, 3, 0], [1, 0, 2, 3]])
    sign = sympy.ImmutableMatrix([[-1]])
    ok = Representation.from_generator_images(S4, [sign, sign])
    validate_permutation_group(ok, exact=True)
    bad = Representation.from_generator_images(S4, [sympy.ImmutableMatrix([[-1 - sympy.Rational(1, 10**20)]]), sign],
                                               validate=False)
    validate_permutation_group(bad)  # within the float tolerance ...
    with pytest.raises(NotAHomomorphismError):
        validate_permutation_group(bad, exact=True)  # ... but not exactly a homomorphism
    with pytest.raises(ExactnessError, match="no exact images"):
        validate_permutation_group(S4.irreps()[2], exact=True)
    assert [p.exact_images[0].tolist() for p in rational_irreps(S4)[:2]] == [[[1]], [[-1]]]
    with pytest.raises(InvalidArgumentError, match="k must be an index into the 5 real irreps"):
        rational_irrep(S4, 5)
