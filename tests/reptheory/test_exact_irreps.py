"""Exact images of the real irreps of finite groups over ℚ or the character field (issue 17).

Oracles: the character table (traces of the exact images equal the real character exactly, as
algebraic numbers), exact group relations (``ψ(g)^o(g) = I``, ``ψ(a) ψ(b) = ψ(ab)`` along the
words of an enumerated group), and the library's float irreps (the same character).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import sympy

from reptheory import FiniteGroup, Representation, groups
from reptheory.decomposition.irreps import exact as exact_module
from reptheory.decomposition.irreps.exact import exact_irrep, exact_irreps, galois_conjugates
from reptheory.errors import ExactnessError, InvalidArgumentError, TooLargeError
from reptheory.groups import permutation_group
from reptheory.reps.permutation_group import class_character, validate_permutation_group

A5_GENS = [[1, 2, 0, 3, 4], [0, 1, 3, 4, 2]]


def psl2(q: int) -> list[list[int]]:
    """Generators of PSL(2, q) on the projective line (the library's `projective_special_linear`)."""
    return groups.projective_special_linear(q).generators.tolist()


def equal(a: Any, b: Any) -> bool:
    """Exact equality of algebraic numbers (radicals, CRootOf, cyclotomic exponentials): minimal polynomial x."""
    x = sympy.Symbol("x")
    return bool(sympy.minimal_polynomial(sympy.expand(a - b), x) == x)


def real_character(T: Any, rows: tuple[int, ...], c: int) -> Any:
    """The exact real character χ, χ + χ̄ or 2χ at class c, from the table's cyclotomic values."""
    v = sum((T.exact_value(i, c) for i in rows), sympy.Integer(0))
    return 2 * v if len(rows) == 1 and T.real_types[rows[0]] == "H" else v


def in_field(p: Any) -> tuple[Any, list[Any]]:
    """The field K of ``meta["field"]`` and the exact generator images as DomainMatrices over K."""
    from sympy import QQ
    from sympy.polys.matrices import DomainMatrix

    f = p.meta["field"]
    K = QQ if f == "QQ" else QQ.algebraic_field(sympy.sympify(f[3:-1]))
    return K, [DomainMatrix([[K.from_sympy(x) for x in row] for row in m.tolist()], (p.dim, p.dim), K)
               for m in p.exact_images]


def same(A: Any, B: Any) -> bool:
    """Exact equality of two DomainMatrices (whatever their dense/sparse storage)."""
    return bool(A.to_dense().to_list() == B.to_dense().to_list())


def word_image(p: Any, g: int, K: Any, ims: list[Any]) -> Any:
    """ψ(g) of an enumerated group: the product of the generator images along a shortest word."""
    from sympy.polys.matrices import DomainMatrix

    M = DomainMatrix.eye(p.dim, K)
    for s in p.group.word(int(g)):
        M = M * ims[s]
    return M


def class_images(p: Any, K: Any, ims: list[Any]) -> list[Any]:
    G = p.group
    if isinstance(G, FiniteGroup):
        return [word_image(p, g, K, ims) for g in G.class_representatives]
    prog = G.straight_line_program(np.asarray(G.conjugacy_classes().representatives))
    return list(prog.evaluate(lambda a, b: a * b, ims + [m.inv() for m in ims]))


def check_exact(p: Any, *, relations: bool = True) -> None:
    """Traces equal the table exactly at every class; ψ(g)^o(g) = I; float images = exact ones."""
    from sympy.polys.matrices import DomainMatrix

    T = p.group.character_table()
    rows = p.meta["characters"]
    K, ims = in_field(p)
    for c, M in enumerate(class_images(p, K, ims)):
        L = M.to_list()
        tr = K.to_sympy(sum((L[i][i] for i in range(p.dim)), K.zero))
        assert equal(tr, real_character(T, rows, c)), (p.label, c, tr)
        if relations:
            assert same(M ** int(T.class_orders[c]), DomainMatrix.eye(p.dim, K))
    floats = np.array([np.array(m.evalf(30), dtype=float) for m in p.exact_images])
    assert np.allclose(floats, p.images, atol=1e-12)


def check_against_float_irreps(G: Any, exact: tuple[Any, ...]) -> None:
    floats = G.irreps()
    assert [p.label for p in exact] == [f.label for f in floats]
    for p, f in zip(exact, floats, strict=True):
        assert p.dim == f.dim and p.real_type == f.real_type and p.meta["characters"] == f.meta["characters"]
        assert np.allclose(np.real(p.character()), np.real(f.character()), atol=1e-8)


def check_homomorphism(p: Any, rng: np.random.Generator, pairs: int = 6) -> None:
    G = p.group
    K, ims = in_field(p)
    for a, b in rng.integers(0, G.order, (pairs, 2)):
        ab = G.mul(int(a), int(b))
        assert same(word_image(p, a, K, ims) * word_image(p, b, K, ims), word_image(p, ab, K, ims))


# =========================================================================== irrational characters
def test_a5_enumerated_sqrt5() -> None:
    A5 = groups.alternating(5)
    ps = A5.irreps(exact=True)
    assert [p.meta["field"] for p in ps] == ["QQ", "QQ(sqrt(5))", "QQ(sqrt(5))", "QQ", "QQ"]
    assert galois_conjugates(A5.character_table(), 1) == (1, 2)
    rng = np.random.default_rng(5)
    for p in ps:
        check_exact(p)
        check_homomorphism(p, rng)
    check_against_float_irreps(A5, ps)
    assert exact_irrep(A5, 1) is ps[1]  # stored on the group
    assert any(not x.is_Rational for x in ps[1].exact_images[1])  # really over Q(√5)


def test_a5_as_permutation_group() -> None:
    A5 = permutation_group(A5_GENS, name="A5")
    ps = A5.irreps(exact=True)
    assert [(p.dim, p.meta["field"]) for p in ps] == [(1, "QQ"), (3, "QQ(sqrt(5))"), (3, "QQ(sqrt(5))"),
                                                      (4, "QQ"), (5, "QQ")]
    for p in ps[1:3]:
        check_exact(p)
        validate_permutation_group(p)
        validate_permutation_group(p, exact=True)  # the relations over Q(√5), in the field's arithmetic
    check_against_float_irreps(A5, ps)


@pytest.mark.parametrize("G,types", [(groups.dihedral(5), ["R", "R", "R", "R"]), (groups.cyclic(5), ["R", "C", "C"])])
def test_d5_c5_cos_2pi_over_5(G: Any, types: list[str]) -> None:
    ps = exact_irreps(G)
    assert [p.real_type for p in ps] == types
    assert [p.meta["field"] for p in ps if p.dim == 2] == ["QQ(sqrt(5))"] * 2
    rng = np.random.default_rng(0)
    for p in ps:
        check_exact(p)
        check_homomorphism(p, rng)
    check_against_float_irreps(G, ps)


def test_cubic_field_c7() -> None:
    ps = exact_irreps(groups.cyclic(7))  # 2cos(2π/7): a cubic field, presented by a CRootOf
    assert all(p.meta["field"].startswith("QQ(CRootOf(x**3 + x**2 - 2*x - 1") for p in ps[1:])
    for p in ps[1:]:
        check_exact(p)
    check_against_float_irreps(groups.cyclic(7), ps)


# =========================================================================== types C and H
@pytest.mark.parametrize("enumerated", [True, False])
def test_psl27_complex_characters(enumerated: bool) -> None:
    G = FiniteGroup.from_permutations(psl2(7)) if enumerated else permutation_group(psl2(7), name="PSL(2,7)")
    ps = G.irreps(exact=True)
    c = [p for p in ps if p.real_type == "C"]
    assert [(p.dim, p.meta["field"]) for p in c] == [(6, "QQ")]  # (−1 ± √−7)/2 sum to −1: rational real character
    for p in ps:
        assert all(x.is_Rational for m in p.exact_images for x in m)
        if p.dim <= 7:
            check_exact(p, relations=p.dim <= 6)
    if enumerated:
        check_homomorphism(c[0], np.random.default_rng(1), pairs=4)
    check_against_float_irreps(G, ps)


@pytest.mark.parametrize("G", [groups.quaternion(), groups.dicyclic(3)])
def test_quaternionic_type(G: Any) -> None:
    ps = exact_irreps(G)
    h = [p for p in ps if p.real_type == "H"]
    assert h and all(p.dim == 4 and p.meta["field"] == "QQ" for p in h)
    rng = np.random.default_rng(2)
    for p in ps:
        check_exact(p)
        check_homomorphism(p, rng)
    z = [g for g in range(G.order) if G.element_orders[g] == 2 and len({G.mul(g, x) == G.mul(x, g) for x in range(G.order)}) == 1]
    for p in h:  # the central involution acts by −I on a quaternionic irrep
        K, ims = in_field(p)
        assert word_image(p, z[0], K, ims).to_Matrix() == -sympy.eye(4)
    check_against_float_irreps(G, ps)


# =========================================================================== rational
@pytest.mark.parametrize("G", [groups.symmetric(4), permutation_group([[1, 2, 3, 0], [1, 0, 2, 3]], name="S4")])
def test_s4_rational(G: Any) -> None:
    ps = G.irreps(exact=True)
    assert [p.meta["field"] for p in ps] == ["QQ"] * 5
    for p in ps:
        check_exact(p)
        if isinstance(G, FiniteGroup):
            check_homomorphism(p, np.random.default_rng(3))
    check_against_float_irreps(G, ps)


# =========================================================================== refusals
def test_refusals_are_typed_and_name_the_irrep(monkeypatch: pytest.MonkeyPatch) -> None:
    A5 = permutation_group(A5_GENS, name="A5")
    with pytest.raises(ExactnessError, match=r"chi1 of A5 has no exact images: its character field has degree 2 > "
                                             r"max_field_degree=1"):
        exact_irrep(A5, 1, max_field_degree=1)
    with pytest.raises(ExactnessError, match=r"chi2 of A5 .*multiplicity 1 in no permutation representation of "
                                             r"degree <= max_degree=5"):
        exact_irrep(A5, 2, max_degree=5)  # Ind_{D10} sign (degree 6) and the signed 2-subsets (degree 10) hold it once
    with pytest.raises(ExactnessError, match=r"chi1 of A5.*chi2 of A5.*exact_irrep\(G, k\) builds the others"):
        exact_irreps(A5, max_degree=5)
    assert exact_irrep(A5, 2, max_degree=10).meta["split_from"] == "signed 2-subsets (orbit of 0)"  # subsets first
    assert permutation_group(A5_GENS).irreps(exact=True, max_degree=6)[2].meta["split_from"] == \
        "conjugates of <5a> (sign character 1 of the normaliser)"
    monkeypatch.setattr(exact_module, "MAX_FIELD_DIM", 4)
    with pytest.raises(TooLargeError, match=r"chi1 of A5 .*size 6 > 4"):
        exact_irrep(FiniteGroup.from_permutations(A5_GENS, name="A5"), 1)
    with pytest.raises(InvalidArgumentError, match="k must be an index into the 5 real irreps"):
        exact_irrep(A5, 5)
    with pytest.raises(InvalidArgumentError, match="FiniteGroup or a PermutationGroup"):
        exact_irrep("A5", 0)  # type: ignore[arg-type]
    for bad in ({"max_degree": "8192"}, {"max_degree": 0}, {"max_degree": 2.5}, {"max_field_degree": -1},
                {"max_degree": True}):
        with pytest.raises(InvalidArgumentError, match=f"{next(iter(bad))} must be a positive integer"):
            exact_irrep(A5, 1, **bad)  # type: ignore[arg-type]


# =========================================================================== heavier cases
@pytest.mark.slow
def test_psl2_13_quadratic_and_cubic_fields() -> None:
    G = permutation_group(psl2(13), name="PSL(2,13)")
    ps = G.irreps(exact=True)
    fields = {p.meta["field"].split(",")[0] for p in ps}
    assert fields == {"QQ", "QQ(sqrt(13))", "QQ(CRootOf(x**3 - x**2 - 2*x + 1"}
    for p in ps:
        if p.meta["field"] == "QQ(sqrt(13))":
            check_exact(p, relations=False)
    check_against_float_irreps(G, ps)


def test_quaternionic_permutation_group_and_exact_polynomial_of_a_matrix() -> None:
    Q8 = permutation_group(np.asarray(Representation.regular(groups.quaternion()).monomial[0]).tolist(), name="Q8")
    ps = Q8.irreps(exact=True)
    assert [(p.dim, p.real_type) for p in ps][-1] == (4, "H")
    check_exact(ps[-1])
    # m(S) by Horner, exactly, on both sides of the float64 bound (2^52)
    rng = np.random.default_rng(0)
    S = rng.integers(-1000, 1000, (12, 12))
    S = S + S.T
    for m in ([1, -3, 2], [1, 12345, -7, 99999999, 5, -3]):
        ref = np.zeros((12, 12), dtype=object)
        for a in m:
            ref = ref @ S.astype(object)
            ref[np.diag_indices(12)] += a
        assert (exact_module._poly_at(m, S) == ref).all()


def test_signed_sources_reach_an_irrep_no_permutation_action_holds_once() -> None:
    """PSL(2,11)'s rational chi3 (degree 10) occurs twice or not at all in every unsigned orbit within the cap; a
    signed subset action (e_S ↦ sgn e_gS) holds it once, and the construction runs on signed orbital matrices."""
    from reptheory.decomposition.irreps.permutation_group import orbit_sources

    G = permutation_group(psl2(11), name="PSL(2,11)")
    T = G.character_table()
    assert T.real_rows()[2] == (3,) and int(T.degrees[3]) == 10
    assert not any(True for _ in orbit_sources(G, T, {2}, 2048, signed=False, exactly_once=True))
    ps = G.irreps(exact=True)  # every real irrep of PSL(2,11) now has exact images
    p = ps[2]
    assert p.meta["split_from"].startswith("signed") and p.meta["field"] == "QQ"
    check_exact(p, relations=True)
    check_against_float_irreps(G, ps)


# =========================================================================== several copies in every source
def test_type_c_irrep_that_no_signed_source_holds_once_is_split_off_two_copies() -> None:
    """C3 × Q8's faithful irrep of type C (real character rational, real dimension 4): every signed monomial
    source holds it 0 or 2 times (brute force over the 12 subgroups and their sign characters, by hand: the
    regular representation and the sign of the centre hold it twice); a symmetric commutant element of the
    regular representation with a rational eigenvalue on its two copies splits one off."""
    G = groups.direct_product(groups.cyclic(3), groups.quaternion())
    T = G.character_table()
    k = next(k for k, rows in enumerate(T.real_rows()) if len(rows) == 2 and T.degrees[rows[0]] == 2)
    assert next(exact_module._sources(G, T, k, 2048), None) is None  # no source holds it once
    p = exact_irrep(G, k)
    assert (p.dim, p.real_type, p.meta["field"]) == (4, "C", "QQ")
    assert p.meta["split_from"] == "regular"
    check_exact(p)
    check_homomorphism(p, np.random.default_rng(24))


def test_irrational_irreps_split_off_several_copies(monkeypatch: pytest.MonkeyPatch) -> None:
    """With the one-copy sources hidden, A5's irreps over Q(√5) come from sources holding them 2 to 4 times:
    ker f(S) for an integer factor f of S's polynomial with one root per Galois conjugate, then the split over K."""
    original = exact_module._sources

    def several_only(G: Any, T: Any, k: int, cap: int, copies: tuple[int, ...] = (1,)) -> Any:
        return iter(()) if copies == (1,) else original(G, T, k, cap, copies)

    split = exact_module._splitting_element
    found: list[int] = []

    def spy(cond: Any, traces: Any, src: Any, *args: Any) -> Any:
        got = split(cond, traces, src, *args)
        found.extend([src.copies] if got is not None else [])
        return got

    monkeypatch.setattr(exact_module, "_sources", several_only)
    monkeypatch.setattr(exact_module, "_splitting_element", spy)
    for G in (FiniteGroup.from_permutations(A5_GENS, name="A5"), permutation_group(A5_GENS, name="A5")):  # fresh: none stored
        found.clear()
        p = exact_irrep(G, 1)
        assert found and found[-1] >= 2  # split off a source holding it several times
        assert p.meta["field"] == "QQ(sqrt(5))" and p.dim == 3
        check_exact(p)
        if isinstance(G, FiniteGroup):
            check_homomorphism(p, np.random.default_rng(1))
        else:
            validate_permutation_group(p, exact=True)


def test_split_over_the_field_without_flint_agrees(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without python-flint the split over K row-reduces over K in sympy; with it, the idempotent
    ``p(S_V)`` is built in rational arithmetic.  Both give exact irreps with the table's character."""
    import sys

    with_flint = exact_irrep(FiniteGroup.from_permutations(A5_GENS, name="A5"), 1)
    monkeypatch.setitem(sys.modules, "flint", None)  # makes 'import flint' fail
    without = exact_irrep(FiniteGroup.from_permutations(A5_GENS, name="A5"), 1)
    for p in (with_flint, without):
        assert p.meta["field"] == "QQ(sqrt(5))"
        check_exact(p)
        check_homomorphism(p, np.random.default_rng(2))


def test_quintic_character_field_through_the_idempotent() -> None:
    """PSL(2,23)'s irreps of degree 24 live over a quintic field: the split through ``p(S_V)`` handles only
    24 x 24 matrices over K. The library verifies the traces in Q(zeta_e) and the invariance in Q; here,
    independently: the field's degree, the character of the images at every class (straight-line programs
    on the float images) and the float values of the exact images."""
    G = permutation_group(psl2(23), name="PSL(2,23)")
    T = G.character_table()
    k = next(k for k, rows in enumerate(T.real_rows()) if T.degrees[rows[0]] == 24)
    assert len(galois_conjugates(T, k)) == 5
    p = exact_irrep(G, k)
    assert p.dim == 24 and p.meta["field"].startswith("QQ(CRootOf(x**5")
    ref = T.real_character(T.real_rows()[k])
    assert np.allclose(np.real(class_character(p)), ref, atol=1e-6)
    floats = np.array([np.array(m.evalf(30), dtype=float) for m in p.exact_images])
    assert np.allclose(floats, p.images, atol=1e-9 * max(1.0, float(np.abs(p.images).max())))
