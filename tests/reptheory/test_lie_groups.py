"""Compact Lie groups: construction and validation, elements, Haar sampling, restriction, products."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reptheory import Representation, groups
from reptheory.errors import (
    DimensionMismatchError,
    GroupAxiomError,
    GroupMismatchError,
    InvalidArgumentError,
    NonCompactError,
    NotAHomomorphismError,
)
from reptheory.groups.lie import CompactLieGroup, LieGroupElement
from reptheory.groups.lie_catalog import O2, O3, SO, SO2, SO3, SU2, U1, O, lie_direct_product
from reptheory.reps.lie import representation_from_algebra_images

LX = np.array([[0, 0, 0], [0, 0, -1], [0, 1, 0]])
LY = np.array([[0, 0, 1], [0, 0, 0], [-1, 0, 0]])
LZ = np.array([[0, -1, 0], [1, 0, 0], [0, 0, 0]])


def lorentz_algebra() -> list[np.ndarray]:
    """so(3, 1): three rotations and three boosts (symmetric) in 4x4 matrices."""
    gens = []
    for L in (LX, LY, LZ):
        M = np.zeros((4, 4))
        M[1:, 1:] = L
        gens.append(M)
    for i in range(3):
        K = np.zeros((4, 4))
        K[0, i + 1] = K[i + 1, 0] = 1
        gens.append(K)
    return gens


def levi_civita() -> np.ndarray:
    eps = np.zeros((3, 3, 3))
    for a, b, c in itertools.permutations(range(3)):
        eps[a, b, c] = np.linalg.det(np.eye(3)[[a, b, c]])
    return eps


# ------------------------------------------------------------------ construction
def test_structure_constants_of_so3_are_levi_civita() -> None:
    G = CompactLieGroup.from_generators([LX, LY, LZ], name="so3")
    assert np.allclose(G.structure_constants, levi_civita(), atol=1e-12)
    assert G.exact_lie_algebra is not None
    exact = np.array(G.exact_structure_constants.tolist(), dtype=float)
    assert np.array_equal(exact, levi_civita())


def test_catalogue_structure_constants_match_the_so_n_rule() -> None:
    # M_ij = E_ij − E_ji satisfy [M_ij, M_kl] = δ_jk M_il − δ_ik M_jl − δ_jl M_ik + δ_il M_jk; L_ij = −M_ij
    n = 4
    G = SO(n)
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]

    def L(i: int, j: int) -> np.ndarray:
        M = np.zeros((n, n))
        M[j, i] += 1
        M[i, j] -= 1
        return M

    for a, (i, j) in enumerate(pairs):
        for b, (k, m) in enumerate(pairs):
            d = np.eye(n)
            rule = -d[j, k] * L(i, m) + d[i, k] * L(j, m) + d[j, m] * L(i, k) - d[i, m] * L(j, k)
            got = np.einsum("c,cij->ij", G.structure_constants[a, b], G.lie_algebra)
            assert np.allclose(got, rule)


def test_non_skew_generators_rejected() -> None:
    D = np.diag([1.0, 2.0, 3.0])
    conj = [D @ L @ np.linalg.inv(D) for L in (LX, LY, LZ)]  # compact algebra, but not skew
    with pytest.raises(InvalidArgumentError, match="skew-symmetric"):
        CompactLieGroup.from_generators(conj)


def test_dependent_generators_rejected() -> None:
    with pytest.raises(InvalidArgumentError, match=r"lie_algebra\[2\] lies in the span"):
        CompactLieGroup.from_generators([LX, LY, LX + 2 * LY])


def test_not_closed_under_bracket_names_the_pair() -> None:
    with pytest.raises(GroupAxiomError, match=r"\[lie_algebra\[0\], lie_algebra\[1\]\]"):
        CompactLieGroup.from_generators([LX, LY])


def test_lorentz_algebra_is_noncompact() -> None:
    with pytest.raises(NonCompactError, match="Haar"):
        CompactLieGroup.from_generators(lorentz_algebra())
    G = CompactLieGroup.from_generators(lorentz_algebra(), name="Lorentz", allow_noncompact=True)
    assert not G.compact
    with pytest.raises(NonCompactError):
        G.sample(1, rng=0)
    rep = G.defining_representation()
    with pytest.raises(NonCompactError):
        rep.decompose()


def test_nilpotent_algebra_is_noncompact() -> None:
    with pytest.raises(NonCompactError, match="nilpotent"):
        CompactLieGroup.from_generators([np.array([[0.0, 1.0], [0.0, 0.0]])])


@pytest.mark.parametrize(
    ("alg", "disc", "err"),
    [
        ([np.zeros((2, 3))], (), DimensionMismatchError),
        ([np.eye(2), np.eye(3)], (), DimensionMismatchError),
        ([np.array([[0.0, np.nan], [0.0, 0.0]])], (), InvalidArgumentError),
        ([], (), DimensionMismatchError),
        ("abc", (), InvalidArgumentError),
        ([[[0, -1], [1, 0]]], [np.eye(3)], DimensionMismatchError),
        ([[[0, -1], [1, 0]]], [np.diag([2.0, 1.0])], InvalidArgumentError),
        ([np.array(LZ)], [np.array([[1, 0, 0], [0, 0, 1], [0, 1, 0]])], InvalidArgumentError),
        ([[["a", "b"], ["c", "d"]]], (), InvalidArgumentError),
    ],
)
def test_bad_generators(alg: object, disc: object, err: type) -> None:
    with pytest.raises(err):
        CompactLieGroup.from_generators(alg, disc)


def test_discrete_generator_normalises() -> None:
    F = np.diag([1, -1])
    G = CompactLieGroup.from_generators([[[0, -1], [1, 0]]], [F], name="O2'")
    assert np.allclose(G.adjoint_discrete, [[[-1.0]]])


def test_group_value_semantics() -> None:
    assert SO(3) == SO3() and hash(SO(3)) == hash(SO3())
    assert SO(3) != O(3)
    assert repr(O2()) == "CompactLieGroup('O(2)', lie_dim=1, discrete=1, n=2)"
    with pytest.raises(AttributeError):
        SO3().name = "x"  # type: ignore[misc]
    with pytest.raises(InvalidArgumentError):
        SO(1)
    with pytest.raises(InvalidArgumentError):
        O("3")  # type: ignore[arg-type]


# ------------------------------------------------------------------ elements
GROUPS = [SO2(), O2(), SO3(), O3(), SO(4), O(4), SO(5), SU2(), U1()]


@settings(max_examples=30)
@given(st.integers(0, len(GROUPS) - 1), st.integers(0, 2**31 - 1))
def test_composition_inverse_and_log(gi: int, seed: int) -> None:
    G = GROUPS[gi]
    g, h = G.sample(2, rng=seed)
    gh = g * h
    assert np.allclose(gh.matrix, g.matrix @ h.matrix, atol=1e-10)
    # the canonical coordinates reproduce the matrix
    assert np.allclose(G.element(gh.coords, gh.discrete).matrix, gh.matrix, atol=1e-9)
    assert g * g.inverse() == G.identity
    assert G.from_matrix(g.matrix) == g
    assert len(gh.factors) == 1


def test_element_api_and_errors() -> None:
    G = O3()
    g = G.element([0.0, np.pi, 0.0], [0])
    assert np.allclose(g.matrix, -np.diag([-1.0, 1.0, -1.0]))
    assert isinstance(g, LieGroupElement) and g.discrete == (0,)
    with pytest.raises(DimensionMismatchError):
        G.element([1.0])
    with pytest.raises(InvalidArgumentError):
        G.element([np.nan, 0, 0])
    with pytest.raises(InvalidArgumentError):
        G.element([0, 0, 0], [3])
    with pytest.raises(InvalidArgumentError):
        SO3().from_matrix(-np.eye(3))  # det −1 is not in SO(3)
    with pytest.raises(InvalidArgumentError):
        SO3().from_matrix(2 * np.eye(3))
    with pytest.raises(DimensionMismatchError):
        SO3().from_matrix(np.eye(2))
    with pytest.raises(GroupMismatchError):
        _ = SO3().identity * O3().identity
    with pytest.raises(AttributeError):
        g.matrix = np.eye(3)  # type: ignore[misc]


def test_rotation_by_pi_logarithm() -> None:
    G = SO3()
    for M in (np.diag([1.0, -1.0, -1.0]), np.diag([-1.0, 1.0, -1.0]), np.array([[0, 1, 0], [1, 0, 0], [0, 0, -1.0]])):
        g = G.from_matrix(M)
        assert np.isclose(np.linalg.norm(g.coords), np.pi)
        assert np.allclose(G.element(g.coords).matrix, M, atol=1e-12)
    S = SU2()
    minus = S.from_matrix(-np.eye(2))
    assert np.allclose(S.element(minus.coords).matrix, -np.eye(2))


def test_user_group_elements_keep_products() -> None:
    G = CompactLieGroup.from_generators([LZ], name="SO(2) in 3d")
    g = G.element([0.3]) * G.element([0.4])
    assert np.allclose(g.coords, [0.7])
    with pytest.raises(InvalidArgumentError, match="Haar"):
        G.sample(1, rng=0)


# ------------------------------------------------------------------ Haar sampling
def _mc_mean(values: np.ndarray) -> tuple[float, float]:
    return float(values.mean()), float(values.std(ddof=1) / np.sqrt(len(values)))


RIORDAN = [1, 0, 1, 1, 3, 6, 15]


@pytest.mark.parametrize("k", [1, 2, 3, 4])
def test_haar_moments_so3(k: int) -> None:
    # ∫ χ_V(g)^k dg = multiplicity of the trivial irrep in V^{⊗k} (Riordan numbers)
    G = SO3()
    mats = np.stack([g.matrix for g in G.sample(4000, rng=k)])
    chi = np.trace(mats, axis1=1, axis2=2)
    mean, se = _mc_mean(chi**k)
    assert abs(mean - RIORDAN[k]) < 5 * se + 1e-9


@pytest.mark.parametrize(
    ("G", "k", "expected"),
    [(SO2(), 2, 2), (O2(), 2, 1), (O2(), 4, 3), (O3(), 2, 1), (O3(), 3, 0), (SO(4), 2, 1), (O(5), 4, 3), (SO(4), 4, 3)],
)
def test_haar_moments_orthogonal_groups(G: CompactLieGroup, k: int, expected: int) -> None:
    mats = np.stack([g.matrix for g in G.sample(4000, rng=7)])
    chi = np.trace(mats, axis1=1, axis2=2)
    mean, se = _mc_mean(chi**k)
    assert abs(mean - expected) < 5 * se + 1e-9


def test_haar_su2_and_u1() -> None:
    # SU(2): ∫ |χ_{1/2}|^4 = 2 (1/2 ⊗ 1/2 ⊗ 1/2 ⊗ 1/2 contains spin 0 twice); U(1): ∫ χ = 0, ∫ |χ|² = 1
    S = SU2()
    chi = np.array([np.trace(g.matrix) for g in S.sample(4000, rng=3)])
    mean, se = _mc_mean(np.abs(chi) ** 4)
    assert abs(mean - 2) < 5 * se
    z = np.array([g.matrix[0, 0] for g in U1().sample(4000, rng=3)])
    assert abs(z.mean()) < 5 / np.sqrt(4000)
    assert np.allclose(np.abs(z), 1)


def test_sampled_matrices_are_in_the_group() -> None:
    for G in GROUPS:
        for g in G.sample(5, rng=11):
            M = g.matrix
            assert np.allclose(M.conj().T @ M, np.eye(G.n), atol=1e-12)
            if G.kind == "SO" or G.kind == "SU2":
                assert np.isclose(np.linalg.det(M), 1)
    with pytest.raises(InvalidArgumentError):
        SO3().sample(-1)
    with pytest.raises(InvalidArgumentError):
        SO3().sample(2, rng="seed")  # type: ignore[arg-type]
    a = [g.matrix for g in SO3().sample(3, rng=5)]
    b = [g.matrix for g in SO3().sample(3, rng=np.random.default_rng(5))]
    assert np.allclose(a, b)


# ------------------------------------------------------------------ restriction
def _octahedral_trivial_multiplicity(l: int) -> float:
    def chi(w: float) -> float:
        return float(2 * l + 1) if w == 0 else float(np.sin((l + 0.5) * w) / np.sin(w / 2))

    # classes of the rotation group of the cube: e, 8 C3, 6 C4, 3 C2 (faces), 6 C2 (edges)
    return (chi(0) + 8 * chi(2 * np.pi / 3) + 6 * chi(np.pi / 2) + 9 * chi(np.pi)) / 24


@pytest.mark.parametrize("l", range(0, 9))
def test_restriction_to_the_cube_group(l: int) -> None:
    R = SO3().irrep(l).restrict(groups.octahedral())
    assert R.group == groups.octahedral()
    avg = np.trace(R.matrices(), axis1=1, axis2=2).mean()
    assert np.isclose(avg, _octahedral_trivial_multiplicity(l))


def test_restriction_to_cyclic_subgroups() -> None:
    G = SO2()
    psi = G.irrep(3)
    C4 = groups.cyclic(4)
    R = G.restrict_representation(psi, C4, generators=[G.element([np.pi / 2])])
    assert np.allclose(R.images[0], G.irrep(3).matrix(G.element([np.pi / 2])))
    with pytest.raises(NotAHomomorphismError):
        G.restrict_representation(psi, C4, generators=[G.element([1.0])])
    with pytest.raises(GroupMismatchError, match="generators="):
        psi.restrict(C4)
    with pytest.raises(DimensionMismatchError):
        G.restrict_representation(psi, C4, generators=[])
    C6 = G.finite_subgroup([G.element([2 * np.pi / 6])], name="C6")
    assert C6.order == 6 and psi.restrict(C6).dim == 2
    with pytest.raises(GroupMismatchError):
        psi.restrict("C4")  # type: ignore[arg-type]
    with pytest.raises(GroupMismatchError):
        SO3().irrep(1).restrict(groups.full_octahedral())  # reflections are not in SO(3)


# ------------------------------------------------------------------ products and reps
def test_direct_products() -> None:
    P = lie_direct_product(SO2(), groups.cyclic(2))
    assert (P.lie_dim, P.num_generators, P.n) == (1, 1, 4)
    V = P.defining_representation()
    g, h = P.sample(2, rng=1)
    assert np.allclose(V.matrix(g * h), V.matrix(g) @ V.matrix(h))
    assert P.from_matrix((g * h).matrix) == g * h
    Q = lie_direct_product(SO3(), O2())
    assert (Q.lie_dim, Q.num_generators) == (4, 1)
    x = Q.sample(1, rng=2)[0]
    assert np.allclose(Q.element(x.coords, x.discrete).matrix, x.matrix)
    with pytest.raises(InvalidArgumentError):
        lie_direct_product(SO2())
    with pytest.raises(InvalidArgumentError):
        lie_direct_product(groups.cyclic(2), groups.cyclic(3))


def test_orthogonalize_and_trivial() -> None:
    rng = np.random.default_rng(0)
    M = rng.standard_normal((5, 5)) + 5 * np.eye(5)
    R = SO3().irrep(2).change_basis(M)
    assert not R.is_orthogonal()
    sigma, T = R.orthogonalize()
    assert sigma.is_orthogonal()
    assert np.allclose(sigma.algebra, T @ R.algebra @ np.linalg.inv(T))
    triv = Representation.trivial(O3())
    assert triv.algebra.shape == (3, 1, 1) and triv.images.shape == (1, 1, 1)


def test_product_reps_check_the_finite_factor_relations() -> None:
    P = lie_direct_product(SO2(), groups.dihedral(3))
    J = SO2().irrep(1).algebra[0]
    R90 = np.array([[0.0, -1.0], [1.0, 0.0]])  # commutes with J but has order 4, not 3
    with pytest.raises(NotAHomomorphismError, match="dihedral"):
        Representation.from_algebra_images(P, [J], [R90, np.eye(2)])
    ok = Representation.from_algebra_images(P, [J], [np.eye(2), np.eye(2)])
    assert ok.dim == 2


def test_noncompact_group_still_validates_algebra_images() -> None:
    G = CompactLieGroup.from_generators(lorentz_algebra(), allow_noncompact=True)
    V = G.defining_representation()
    W = representation_from_algebra_images(G, V.algebra)
    assert W.dim == 4
    with pytest.raises(NotAHomomorphismError):
        representation_from_algebra_images(G, V.algebra[[1, 0, 2, 3, 4, 5]])


def test_orthogonalize_never_factors_the_tall_constraint_system(monkeypatch: pytest.MonkeyPatch) -> None:
    """The invariant-form search solves a (k·d²) × d² system: a full SVD of it would allocate a
    (k·d²)² left factor (34 GB at d = 64).  No SVD on this path may return a tall U."""
    from reptheory.groups.classical import SU, adjoint_representation

    real_svd = np.linalg.svd
    shapes: list[tuple[int, ...]] = []

    def guarded(a, full_matrices=True, *args, **kwargs):  # type: ignore[no-untyped-def]
        a = np.asarray(a)
        shapes.append(a.shape)
        assert not (full_matrices and a.shape[0] > a.shape[1]), f"full SVD of a tall {a.shape} matrix"
        return real_svd(a, full_matrices, *args, **kwargs)

    monkeypatch.setattr(np.linalg, "svd", guarded)
    ad = adjoint_representation(SU(3))  # non-orthogonal, 8-dimensional
    rho = ad
    sigma, T = rho.orthogonalize()
    assert sigma.is_orthogonal()
    for A in rho.algebra:  # T A T⁻¹ is antisymmetric, i.e. Tᴴ T is an invariant form
        M = T.conj().T @ T
        assert np.abs(A.conj().T @ M + M @ A).max() < 1e-9 * np.abs(M).max()


@pytest.mark.slow
def test_su3_adjoint_square_decomposes_by_highest_weight() -> None:
    """8 ⊗ 8 = 1 ⊕ 8 ⊕ 8 ⊕ 10 ⊕ 10̄ ⊕ 27 for SU(3) (non-orthogonal 64-dim input: was 10 GB, unfinished)."""
    from reptheory.groups.classical import SU, adjoint_representation

    ad = adjoint_representation(SU(3))
    dec = (ad @ ad).decompose()
    dims = sorted(c.irrep.dim for c in dec.components for _ in range(c.multiplicity))
    assert dims == [1, 8, 8, 10, 10, 27]
