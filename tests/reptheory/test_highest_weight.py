"""Irreps labelled by highest weights (U(n), SU(n), Sp(n), SO(n), O(n)) and the highest-weight decomposition.

Oracles: Weyl's dimension formula, Weyl integration (exact constant terms), the Lie-algebra
brackets of the group, the commutant computed from scratch, Littlewood–Richardson / known
tensor-product multiplicities, and the constraint solver for Hom spaces.
"""

from __future__ import annotations

import zlib

import numpy as np
import pytest

from reptheory import Representation, intertwiners
from reptheory.characters.lie import hom_dimension
from reptheory.characters.weyl import torus_hom_dimension, weights, weyl_dimension
from reptheory.decomposition.irreps.highest_weight import (
    _standard,
    hw_dimension,
    hw_irrep,
    parse_weight,
    root_data,
    torus_weight,
)
from reptheory.errors import InvalidArgumentError
from reptheory.groups.classical import SU, Sp, U, adjoint_representation
from reptheory.groups.lie_catalog import SO, O


def _random_weight(G, rng, top=3):
    """A random dominant label of G (small, so that the irreps stay small)."""
    kind, n = G.kind, G.params[0]
    L = {"U": n, "SU": n, "Sp": n, "O": n}.get(kind, n // 2)
    rows = {"SU": n - 1, "Sp": n, "O": n // 2, "U": n}.get(kind, n // 2)
    for _ in range(100):
        parts = sorted(rng.integers(0, top, size=rows).tolist(), reverse=True)
        lab = parts + [0] * (L - rows)
        if kind == "U":
            lab = [v - int(rng.integers(0, 2)) for v in lab]
            lab = sorted(lab, reverse=True)
        if kind == "SO" and n % 2 == 0 and rng.random() < 0.5:
            lab[-1] = -lab[-1]
        if hw_dimension(G, tuple(lab)) <= 70:
            return tuple(lab)
    return (0,) * L  # pragma: no cover


GROUPS = [SU(2), SU(3), SU(4), U(2), U(3), Sp(1), Sp(2), Sp(3), SO(4), SO(5), SO(6), SO(7), SO(8), O(4), O(5), O(6)]


def _commutant_dim(rep) -> int:
    """dim_C of {X : X dρ(a) = dρ(a) X, X ρ(s) = ρ(s) X} from a nullspace, independent of the library."""
    d = rep.dim
    I = np.eye(d)
    rows = [np.kron(I, M) - np.kron(M.T, I) for M in list(rep.algebra) + list(rep.images)]
    C = np.concatenate(rows, axis=0).astype(complex)
    s = np.linalg.svd(C, compute_uv=False)
    return int((s < 1e-9 * max(1.0, s[0])).sum()) + max(0, d * d - len(s))


@pytest.mark.parametrize("G", GROUPS, ids=lambda G: G.name)
def test_random_irreps_brackets_dimension_irreducible_highest_weight(G) -> None:
    rng = np.random.default_rng(zlib.crc32(G.name.encode()))
    f = np.asarray(G.structure_constants)
    rd = root_data(G)
    labs = {_random_weight(G, rng) for _ in range(4)} | {parse_weight(G, 1)}
    for lab in sorted(labs):
        psi = G.irrep(lab)
        A = psi.algebra
        # dρ is a Lie-algebra homomorphism: [dρ(X_a), dρ(X_b)] = Σ_c f_abc dρ(X_c)
        for a in range(len(A)):
            for b in range(a + 1, len(A)):
                lhs = A[a] @ A[b] - A[b] @ A[a]
                assert np.abs(lhs - np.tensordot(f[a, b], A, axes=1)).max() < 1e-11
        assert np.abs(A + np.conj(np.transpose(A, (0, 2, 1)))).max() < 1e-12  # skew-Hermitian (orthogonal)
        # dimension: Weyl's formula (real dimension doubles for the complex-type SO(4k+2) and O(2r) with λ_r != 0)
        assert psi.dim == hw_dimension(G, lab)
        # irreducible: commutant of dimension 1 over C (real type), 2 for the realifications (complex type)
        if psi.dim <= 24:  # (the from-scratch nullspace has d² unknowns; larger ones: Weyl integration below)
            assert _commutant_dim(psi) == (1 if psi.is_complex or psi.real_type == "R" else 2)
        # highest weight: the stored vector has weight λ and is killed by every raising operator
        e = psi.meta["highest_weight_vector"]
        H = np.tensordot(rd.cartan, A, axes=1)
        # O(n): [λ] ⊗ det has the highest weight of [λ]; SO(4k+2): (…, −λ_r) is the real irrep (…, λ_r)
        w0 = torus_weight(G, _standard(G, parse_weight(G, psi.label))[0])
        for j in range(len(H)):
            assert np.allclose(H[j] @ e, 1j * w0[j] * e, atol=1e-10)
        E = np.tensordot(rd.raising, A.astype(complex), axes=1)
        assert np.abs(E @ e).max() < 1e-10
        # the label round-trips
        assert G.irrep(psi.label) is psi
        assert repr(psi).startswith(f"Representation({G.name}, 'V{psi.label}'")


@pytest.mark.parametrize("G", [SU(3), U(2), Sp(2), SU(4)], ids=lambda G: G.name)
def test_weyl_integration_irreducible_and_weights(G) -> None:
    rng = np.random.default_rng(3)
    for _ in range(3):
        lab = _random_weight(G, rng)
        psi = G.irrep(lab)
        assert torus_hom_dimension(psi, psi) == 1  # Weyl integration: <χ, χ> = 1
        top = max(weights(psi))  # lexicographically largest weight = the highest weight
        assert top == torus_weight(G, lab)


@pytest.mark.parametrize("G", [SO(5), SO(6), SO(7), SO(8), O(5)], ids=lambda G: G.name)
def test_weyl_integration_real_groups(G) -> None:
    rng = np.random.default_rng(5)
    for _ in range(3):
        lab = _random_weight(G, rng)
        psi = G.irrep(lab)
        assert hom_dimension(psi, psi) == (1 if psi.real_type == "R" else 2)


def test_named_irreps() -> None:
    G = SU(3)
    V = G.defining_representation()
    assert V.components[0][0] is G.irrep((1, 0, 0))
    assert G.irrep((1, 1, 0)).dim == 3 and G.irrep((1, 1, 0)).meta["dual"] == "(1,0,0)"
    ad = adjoint_representation(G)
    dec = ad.decompose()
    assert dec.multiplicities == {"(2,1,0)": 1} and G.irrep((2, 1, 0)).dim == 8
    dual = V.dual().decompose()
    assert dual.multiplicities == {"(1,1,0)": 1}
    det = U(3).defining_representation().exterior_power(3).decompose()
    assert det.multiplicities == {"(1,1,1)": 1}
    assert U(3).irrep((0, 0, -1)).meta["dual"] == "(1,0,0)"
    assert Sp(2).irrep(1).real_type == "H" and Sp(2).irrep((1, 1)).real_type == "R"
    assert SU(4).irrep((1, 1, 0, 0)).real_type == "R" and SU(2).irrep(1).real_type == "H"
    assert SO(6).irrep((1, 1, 1)).real_type == "C" and SO(6).irrep((1, 1, -1)) is SO(6).irrep((1, 1, 1))
    assert SO(8).irrep((1, 1, 1, -1)) is not SO(8).irrep((1, 1, 1, 1))
    J = SO(6).irrep((1, 1, 1)).meta["commutant_basis"][1]
    assert np.allclose(J @ J, -np.eye(20)) and all(np.allclose(J @ X, X @ J) for X in SO(6).irrep((1, 1, 1)).algebra)
    # O(n): [λ] ⊗ det is labelled by the associated partition
    assert O(5).irrep((1, 1, 1, 1, 1)).images[0].tolist() == [[-1.0]] and O(5).irrep(0).images[0].tolist() == [[1.0]]
    a, b = O(5).irrep((1, 1, 0, 0, 0)), O(5).irrep((1, 1, 1, 0, 0))
    assert np.array_equal(a.algebra, b.algebra) and np.array_equal(a.images, -b.images)
    assert O(4).irrep((1, 1, 0, 0)).dim == 6 and O(4).irrep((1, 1, 0, 0)).real_type == "R"


def test_adjoint_representations_are_the_expected_irreps() -> None:
    expected = {SU(3): {"(2,1,0)": 1}, U(3): {"(0,0,0)": 1, "(1,0,-1)": 1}, Sp(2): {"(2,0)": 1},
                SO(5): {"(1,1)": 1}, SO(6): {"(1,1,0)": 1}, SO(4): {"(1,1)": 1, "(1,-1)": 1},
                O(5): {"(1,1,0,0,0)": 1}, O(4): {"(1,1,0,0)": 1}}
    for G, mult in expected.items():
        ad = adjoint_representation(G)
        dec = ad.decompose()
        assert dec.multiplicities == mult, G.name
        _check_against_weyl(ad, dec)


def test_labels_parse_and_refuse() -> None:
    assert parse_weight(SU(3), "(3,2,1)") == (2, 1, 0)
    assert parse_weight(SU(3), [2, 1]) == (2, 1, 0)
    assert parse_weight(U(2), "1, -1") == (1, -1)
    assert parse_weight(SO(6), "(1,1,-1)") == (1, 1, -1)
    for G, lab in [(SU(3), (1, 2, 0)), (SU(3), (1, 0, 0, 1)), (Sp(2), (1, -1)), (SO(5), (1, -1)), (SO(6), (1, 0, 1)),
                   (O(5), (1, 1, 1, 0, 0, 0, 1)), (O(5), (2, 2, 2, 0, 0)), (SU(3), "x"), (SU(3), True), (SU(3), 1.5)]:
        with pytest.raises(InvalidArgumentError):
            G.irrep(lab)
    with pytest.raises(InvalidArgumentError):
        SU(3).irreps(-1)
    from reptheory.errors import TooLargeError

    with pytest.raises(TooLargeError):  # Weyl's formula sizes it before anything is built
        SU(6).irrep((40, 30, 20, 10, 5, 0))


def test_irreps_listing() -> None:
    # degree Σλ_i of the normal form (λ_n = 0 for SU(n))
    assert [r.label for r in SU(3).irreps(3)] == ["(0,0,0)", "(1,0,0)", "(2,0,0)", "(1,1,0)", "(3,0,0)", "(2,1,0)"]
    # O(n): partitions with λ'_1 + λ'_2 <= n; degree 3 for O(4) has (3), (2,1), (1,1,1)
    labs = [r.label for r in O(4).irreps(3)]
    assert labs[-3:] == ["(3,0,0,0)", "(2,1,0,0)", "(1,1,1,0)"]
    assert [r.label for r in SO(4).irreps(2)] == ["(0,0)", "(1,0)", "(2,0)", "(1,1)", "(1,-1)"]
    assert {r.label for r in U(2).irreps(1)} == {"(0,0)", "(1,0)", "(0,-1)"}


def _check_against_weyl(rho, dec) -> None:
    """Each multiplicity equals the Weyl integral <χ_ρ, χ_ψ> (over C), or the real one divided by dim End(ψ)."""
    G = rho.group
    for c in dec.components:
        if G.kind in ("U", "SU", "Sp"):
            assert torus_hom_dimension(c.irrep, rho) == c.multiplicity
        else:
            assert hom_dimension(c.irrep, rho) == c.multiplicity * (1 if c.irrep.real_type == "R" else 2)
    Q = dec.Q
    o = 0
    for c in dec.components:
        for _ in range(c.multiplicity):
            blk = Q[:, o:o + c.irrep.dim]
            for X, Y in zip(rho.algebra, c.irrep.algebra, strict=True):
                assert np.abs(X @ blk - blk @ Y).max() < 1e-10
            for X, Y in zip(rho.images, c.irrep.images, strict=True):
                assert np.abs(X @ blk - blk @ Y).max() < 1e-10
            o += c.irrep.dim
    if rho.is_orthogonal():  # otherwise ρ was orthogonalised first and Q carries that change of basis
        assert np.abs(Q.conj().T @ Q - np.eye(rho.dim)).max() < 1e-10


def test_tensor_product_multiplicities() -> None:
    V = SU(3).defining_representation()
    cases = [
        (V @ V.dual(), {"(0,0,0)": 1, "(2,1,0)": 1}),  # 3 ⊗ 3̄ = 1 ⊕ 8
        (V @ V @ V, {"(0,0,0)": 1, "(3,0,0)": 1, "(2,1,0)": 2}),  # 3⊗3⊗3 = 10 ⊕ 8 ⊕ 8 ⊕ 1
    ]
    W = Sp(2).defining_representation()
    cases.append((W @ W, {"(0,0)": 1, "(2,0)": 1, "(1,1)": 1}))  # 4 ⊗ 4 = 10 ⊕ 5 ⊕ 1
    X = SO(5).defining_representation()
    cases.append((X @ X, {"(0,0)": 1, "(2,0)": 1, "(1,1)": 1}))  # 5 ⊗ 5 = 14 ⊕ 10 ⊕ 1
    cases.append((X @ X @ X, {"(1,0)": 3, "(1,1)": 1, "(3,0)": 1, "(2,1)": 2}))
    Y = SO(4).defining_representation()
    cases.append((Y @ Y, {"(0,0)": 1, "(2,0)": 1, "(1,1)": 1, "(1,-1)": 1}))  # self-dual and anti-self-dual 2-forms
    Z = O(4).defining_representation()
    cases.append((Z @ Z @ Z, {"(1,0,0,0)": 3, "(3,0,0,0)": 1, "(2,1,0,0)": 2, "(1,1,1,0)": 1}))
    A = SU(4).defining_representation()
    cases.append((A.exterior_power(2) @ A.exterior_power(2), {"(0,0,0,0)": 1, "(2,2,0,0)": 1, "(2,1,1,0)": 1}))
    for rho, expected in cases:
        dec = rho.decompose()
        assert dec.multiplicities == expected, rho.name
        assert dec.method in ("highest-weight", "known components")
        _check_against_weyl(rho, dec)


def test_so6_cube_real_and_complex_type() -> None:
    V = SO(6).defining_representation(exact=False)
    dec = (V @ V @ V).decompose()
    assert dec.multiplicities == {"(1,0,0)": 3, "(3,0,0)": 1, "(2,1,0)": 2, "(1,1,1)": 1}
    assert dec.Q.dtype.kind == "f"
    _check_against_weyl(V @ V @ V, dec)


def test_o5_decompose_and_parity() -> None:
    V = O(5).defining_representation()
    one = Representation.trivial(O(5))
    det = O(5).irrep((1, 1, 1, 1, 1))
    rho = V @ V @ det + V.exterior_power(3) + one
    dec = rho.decompose()
    assert dec.field == "R" and dec.real_form is None and dec.Q.dtype.kind == "f"
    # [2] ⊗ det = [2,1,1,1], [1,1] ⊗ det = [1,1,1] = Λ³V, [0] ⊗ det = [1,1,1,1,1]
    assert dec.multiplicities == {"(0,0,0,0,0)": 1, "(1,1,1,0,0)": 2, "(1,1,1,1,1)": 1, "(2,1,1,1,0)": 1}
    _check_against_weyl(rho, dec)


def test_complex_decomposition_reports_real_form() -> None:
    V = SU(3).defining_representation()
    rng = np.random.default_rng(0)
    T = rng.standard_normal((9, 9)) + 1j * rng.standard_normal((9, 9))
    rho = (V @ V).change_basis(T)  # complex and not unitary
    dec = rho.decompose()
    assert dec.multiplicities == {"(2,0,0)": 1, "(1,1,0)": 1} and dec.field == "C"
    assert dec.real_form == dec.info["real_form"] and len(dec.real_form) == 2
    assert any("(2,0,0) ⊕ (2,2,0): complex type" in line for line in dec.info["real_form"])
    # a real representation of SU(3) decomposes over C, with its real form beside it
    ad = adjoint_representation(SU(3))
    assert ad.decompose().info["real_form"][0].startswith("(2,1,0): real type")
    # quaternionic: Sp(1) = SU(2) defining
    W = Sp(1).defining_representation()
    report = (W @ W @ W).decompose().info["real_form"]
    assert any(line.startswith("(1): quaternionic type") for line in report)


def test_complex_representations_of_so3_and_so2() -> None:
    from reptheory.groups.lie_catalog import SO2, SO3

    V = SO3().defining_representation()
    U = np.array([[1, 1j, 0], [1j, 1, 0], [0, 0, np.sqrt(2)]]) / np.sqrt(2)
    Vc = V.change_basis(U)
    dec = (Vc @ Vc).decompose()
    assert dec.multiplicities == {"0": 1, "1": 1, "2": 1} and dec.info["field"] == "C"
    W = SO2().defining_representation().change_basis(np.array([[1, 1j], [1j, 1]]) / np.sqrt(2))
    dec2 = (W @ W).decompose()
    assert dec2.multiplicities == {"0c": 2, "2c": 1, "-2c": 1}
    assert any("2c ⊕ -2c: complex type" in s for s in dec2.info["real_form"])


def test_su3_hom_exact_and_o5_isotypic() -> None:
    V = SU(3).defining_representation()
    space = intertwiners(V @ V @ V.dual(), V, exact=True)
    assert space.dim == 2 == torus_hom_dimension(V @ V @ V.dual(), V)
    G = O(5)
    X = G.defining_representation()
    rho = 8 * Representation.trivial(G) + 8 * X + 4 * (X @ X)
    iso = intertwiners(rho, rho, method="isotypic")
    # multiplicities: trivial 8 + 4, V 8, (2) 4, (1,1) 4 → 144 + 64 + 16 + 16
    assert iso.method == "isotypic" and iso.dim == 240
    B = iso.basis if hasattr(iso, "basis") else None
    if B is not None:
        M = np.asarray(B)[0]
        for a in range(rho.algebra.shape[0]):
            assert np.abs(rho.algebra[a] @ M - M @ rho.algebra[a]).max() < 1e-9


def test_weyl_dimension_formula_spot_values() -> None:
    assert weyl_dimension("A", (2, 1, 0)) == 8 and weyl_dimension("C", (1, 1)) == 5
    assert hw_dimension(SO(8), (1, 1, 1, 1)) == 35 and hw_dimension(SO(10), (1, 1, 1, 1, 1)) == 252
    assert hw_irrep(SO(10), (1, 0, 0, 0, 0)).dim == 10


def test_gelfand_tsetlin_exact_images() -> None:
    import sympy

    G = SU(3)
    psi = G.irrep((2, 1, 0))
    assert psi.meta["basis"] == "Gelfand-Tsetlin" and psi.is_exact
    ex = psi.exact_algebra
    f = np.asarray(G.structure_constants)
    for a, (E, F) in enumerate(zip(ex, psi.algebra, strict=True)):
        assert np.abs(np.array(E.evalf(), dtype=complex) - F).max() < 1e-14
        for b in range(a + 1, len(ex)):  # exact brackets: [dρ(X_a), dρ(X_b)] = Σ_c f_abc dρ(X_c)
            lhs = E * ex[b] - ex[b] * E
            rhs = sum((sympy.nsimplify(round(float(f[a, b, c]))) * ex[c] for c in range(len(ex)) if f[a, b, c]),
                      sympy.zeros(psi.dim, psi.dim))
            assert (lhs - rhs).applyfunc(sympy.simplify) == sympy.zeros(psi.dim, psi.dim)
    # every entry of a U(n) irrep is a Gaussian combination of square roots of rationals
    W = U(2).irrep((3, -1))
    assert W.dim == 5 and all(e.is_algebraic for M in W.exact_algebra for e in M)
