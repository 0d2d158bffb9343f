"""Catalogue irreps of compact Lie groups, algebra-image representations, irreps strings."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import scipy.linalg
from hypothesis import given, settings
from hypothesis import strategies as st

from reptheory import Representation
from reptheory.decomposition.irreps._strings import irreps_string, parse_irreps_string
from reptheory.decomposition.irreps.lie import su2_complex_irrep
from reptheory.errors import DimensionMismatchError, InvalidArgumentError, NotAHomomorphismError
from reptheory.groups.lie_catalog import O2, O3, SO, SO2, SO3, SU2, U1
from reptheory.reps.lie import realify, representation_from_algebra_images


def _commutant_dim(rep: Representation) -> int:
    """dim End_G(ρ) by a dense nullspace (independent of the irreps module)."""
    d = rep.dim
    rows = [np.kron(np.eye(d), A) - np.kron(A.T, np.eye(d)) for A in rep.algebra]
    rows += [np.kron(np.eye(d), S) - np.kron(S.T, np.eye(d)) for S in rep.images]
    M = np.concatenate(rows) if rows else np.zeros((1, d * d))
    s = np.linalg.svd(M, compute_uv=False)
    return int((s < 1e-9 * max(1.0, s[0])).sum() + (d * d - len(s) if len(s) < d * d else 0))


ALL_IRREPS = (
    [(SO3(), l) for l in range(7)]
    + [(O3(), f"{l}{p}") for l in range(4) for p in "eo"]
    + [(SO2(), k) for k in range(5)]
    + [(O2(), x) for x in ["0", "det", 1, 2, 3]]
    + [(SU2(), Fraction(t, 2)) for t in range(6)]
    + [(U1(), q) for q in (-2, 0, 1, 3)]
)


@pytest.mark.parametrize(("G", "label"), ALL_IRREPS, ids=lambda x: str(x))
def test_every_catalogue_irrep_is_a_homomorphism(G: object, label: object) -> None:
    psi = G.irrep(label)  # type: ignore[attr-defined]
    # validated as a Lie-algebra homomorphism with the global relations
    again = representation_from_algebra_images(G, psi.algebra, psi.images)  # type: ignore[arg-type]
    assert again.dim == psi.dim
    assert psi.components == ((psi, 1),)
    assert G.irrep(label) is psi  # type: ignore[attr-defined]
    # orthogonal / unitary matrices on sampled elements, and ψ(gh) = ψ(g) ψ(h)
    g, h = G.sample(2, rng=3)  # type: ignore[attr-defined]
    M, N, MN = psi.matrix(g), psi.matrix(h), psi.matrix(g * h)
    assert np.allclose(M.conj().T @ M, np.eye(psi.dim), atol=1e-10)
    assert np.allclose(MN, M @ N, atol=1e-9)
    # irreducible with the declared real type: dim End = 1, 2, 4 for R, C, H (complex reps: 1)
    e = {"R": 1, "C": 2, "H": 4}[psi.real_type] if not psi.is_complex else 1
    if psi.is_complex:  # U(1) charge q: the realification is ψ_|q| of SO(2) (End = C) or 2 trivials
        assert _commutant_dim(realify(psi)) == (2 if label else 4)
    else:
        assert _commutant_dim(psi) == e
    if psi.real_type in ("C", "H") and not psi.is_complex:
        E = psi.meta["commutant_basis"]
        assert E.shape == (e, psi.dim, psi.dim)
        assert np.allclose(E[0], np.eye(psi.dim))
        gram = np.einsum("uij,vij->uv", E, E)
        assert np.allclose(gram, psi.dim * np.eye(e))
        for u in range(1, e):
            assert np.allclose(E[u].T, -E[u]) and np.allclose(E[u].T @ E[u], np.eye(psi.dim))
            for A in psi.algebra:
                assert np.allclose(A @ E[u], E[u] @ A)


@settings(max_examples=9)
@given(st.integers(0, 8))
def test_so3_casimir(l: int) -> None:
    L = SO3().irrep(l).algebra
    assert np.allclose(sum(x @ x for x in L), -l * (l + 1) * np.eye(2 * l + 1))
    assert np.allclose(L[0] @ L[1] - L[1] @ L[0], L[2])


@settings(max_examples=8)
@given(st.integers(0, 7))
def test_so2_frequency(k: int) -> None:
    A = SO2().irrep(k).algebra[0]
    assert np.allclose(A @ A, -(k**2) * np.eye(A.shape[0]))
    assert SO2().irrep(k).real_type == ("C" if k else "R")


def test_exact_generators_agree_and_satisfy_exact_brackets() -> None:
    import sympy

    for l in range(4):
        psi = SO3().irrep(l)
        X = psi.exact_algebra
        assert X is not None
        assert np.allclose(np.array(sympy.Matrix.vstack(*X).evalf().tolist(), dtype=float).reshape(3, 2 * l + 1, -1), psi.algebra)
        assert (X[0] * X[1] - X[1] * X[0] - X[2]).applyfunc(sympy.simplify).is_zero_matrix


# --------------------------------------------------------------- conventions
def _y2(v: np.ndarray) -> np.ndarray:
    x, y, z = v
    s3 = np.sqrt(3)
    return np.array([s3 * x * z, s3 * x * y, y * y - (x * x + z * z) / 2, s3 * y * z, s3 / 2 * (z * z - x * x)])


def test_so3_real_basis_convention_via_harmonic_polynomials(rng: np.random.Generator) -> None:
    G = SO3()
    for g in G.sample(5, rng=rng):
        R = g.matrix
        assert np.allclose(G.irrep(1).matrix(g), R)
        v = rng.standard_normal(3)
        assert np.allclose(G.irrep(2).matrix(g) @ _y2(v), _y2(R @ v))


def test_agrees_with_e3nn_wigner_d(rng: np.random.Generator) -> None:
    torch = pytest.importorskip("torch", reason="torch is needed for the e3nn comparison")
    o3 = pytest.importorskip("e3nn.o3", reason="e3nn is not installed; the e3nn convention test is skipped")
    G = SO3()
    for _ in range(5):
        a, b, c = rng.uniform(-np.pi, np.pi, size=3)
        g = G.element([0, a, 0]) * G.element([b, 0, 0]) * G.element([0, c, 0])
        for l in range(5):
            ang = [torch.tensor(float(t), dtype=torch.float64) for t in (a, b, c)]
            De = o3.wigner_D(l, *ang).numpy()
            assert np.abs(G.irrep(l).matrix(g) - De).max() < 1e-5  # e3nn builds its generators in float32


def test_su2_integer_spins_factor_through_so3() -> None:
    for j in range(3):
        S = SU2().irrep(j)
        assert np.array_equal(S.algebra, SO3().irrep(j).algebra)
        assert np.allclose(scipy.linalg.expm(2 * np.pi * S.algebra[2]), np.eye(S.dim))
    half = SU2().irrep("1/2")
    assert half.dim == 4 and half.real_type == "H"
    assert np.allclose(scipy.linalg.expm(2 * np.pi * half.algebra[2]), -np.eye(4))
    c = su2_complex_irrep("1/2")
    assert np.allclose(c.algebra, SU2().lie_algebra)


def test_spinor_images_are_not_a_representation_of_so3() -> None:
    with pytest.raises(NotAHomomorphismError, match="covering group"):
        representation_from_algebra_images(SO3(), SU2().irrep("1/2").algebra)


# --------------------------------------------------------------- algebra images: bad input
def test_algebra_images_bad_input() -> None:
    G = O3()
    L = SO3().irrep(1).algebra
    with pytest.raises(DimensionMismatchError):
        representation_from_algebra_images(G, L[:2], [-np.eye(3)])
    with pytest.raises(DimensionMismatchError):
        representation_from_algebra_images(G, L, [])
    with pytest.raises(DimensionMismatchError):
        representation_from_algebra_images(G, L, [np.eye(2)])
    with pytest.raises(InvalidArgumentError):
        representation_from_algebra_images(G, L * np.nan, [-np.eye(3)])
    with pytest.raises(NotAHomomorphismError, match=r"\[X_0, X_1\]"):
        representation_from_algebra_images(G, L[[1, 0, 2]], [-np.eye(3)])
    with pytest.raises(NotAHomomorphismError, match="discrete_images"):
        representation_from_algebra_images(O2(), [SO2().irrep(1).algebra[0]], [np.eye(2)])
    with pytest.raises(NotAHomomorphismError, match=r"\^2"):
        representation_from_algebra_images(G, np.zeros((3, 1, 1)), [[[2.0]]])
    with pytest.raises(InvalidArgumentError):
        representation_from_algebra_images(G, L, [np.zeros((3, 3))])
    with pytest.raises(InvalidArgumentError):
        representation_from_algebra_images("SO3", L)  # type: ignore[arg-type]
    rep = Representation.from_algebra_images(G, L.astype(int), [-np.eye(3, dtype=int)])
    assert rep.exact_algebra is not None and rep.exact_images is not None


def test_labels_bad_input() -> None:
    for G, lab in [(SO3(), -1), (SO3(), "x"), (O3(), "1"), (O3(), (1, 2)), (SU2(), "1/3"), (O2(), -1), (SO(4), (1, 2)), (SO(4), (1, 0, 1)), (SO3(), 1.5)]:
        with pytest.raises(InvalidArgumentError):
            G.irrep(lab)
    with pytest.raises(InvalidArgumentError):
        SO3().irreps(-1)


# --------------------------------------------------------------- strings
@pytest.mark.parametrize(
    ("G", "text", "dim", "canon"),
    [
        (O3(), "2x0e + 1x1o + 1x2e", 10, "2x0e+1x1o+1x2e"),
        (O3(), "1o", 3, "1x1o"),
        (SO3(), "l=1 + l=2", 8, "1x1+1x2"),
        (SO3(), "2x0+1x1", 5, "2x0+1x1"),
        (SO2(), "3x1", 6, "3x1"),
        (O2(), "0 + det + 2x3", 6, "1x0+1xdet+2x3"),
        (SU2(), "1/2 + 2x1", 10, "1x1/2+2x1"),
        (U1(), "2x-1 + 3", 3, "2x-1+1x3"),
    ],
)
def test_irreps_strings_round_trip(G: object, text: str, dim: int, canon: str) -> None:
    R = Representation.from_irreps_string(G, text)
    assert R.dim == dim
    assert irreps_string(R) == canon
    again = parse_irreps_string(G, irreps_string(R))
    assert np.array_equal(again.algebra, R.algebra) and np.array_equal(again.images, R.images)
    dec = R.decompose()
    total = {}
    for psi, m in R.components:
        total[psi.label] = total.get(psi.label, 0) + m
    assert dec.multiplicities == total


@pytest.mark.parametrize("text", ["", "2x", "1x1o + + 2e", "1x7q", "x1o", "1.5x1o"])
def test_irreps_strings_bad(text: str) -> None:
    with pytest.raises(InvalidArgumentError):
        parse_irreps_string(O3(), text)


def test_irreps_strings_bad_types() -> None:
    with pytest.raises(InvalidArgumentError):
        parse_irreps_string(O3(), 3)  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError):
        parse_irreps_string(SO(4), "1x(1,2)")
    with pytest.raises(InvalidArgumentError):
        irreps_string(SO3().irrep(1) @ SO3().irrep(1))


def test_exact_data_survives_the_algebra_of_representations() -> None:
    import sympy

    G = SO3()
    R = G.irrep(1) @ G.irrep(2) + G.irrep(0)
    X = R.exact_algebra
    assert X is not None and len(X) == 3
    assert (X[0] * X[1] - X[1] * X[0] - X[2]).applyfunc(sympy.simplify).is_zero_matrix
    assert np.allclose(np.array(X[1].evalf().tolist(), dtype=float), R.algebra[1])
    V = SO(4).defining_representation()
    assert all(m.is_Matrix for m in V.exact_algebra)  # integer generators L_ij
    assert SO(4).defining_representation(exact=False).exact_algebra is None
