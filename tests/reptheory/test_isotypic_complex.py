"""The isotypic route over ℂ (issue 16): complex representations, and real ones decomposed over ℂ.

Oracles: the constraints route (its space), Weyl integration on the torus
(``reptheory.characters.weyl.torus_hom_dimension``) or the published dimensions of the issue,
and ``ρ_out(g) X = X ρ_in(g)`` at sampled group elements.
"""

from __future__ import annotations

import numpy as np
import pytest

from reptheory import Representation, intertwiners
from reptheory.characters.weyl import torus_hom_dimension
from reptheory.errors import InvalidArgumentError
from reptheory.groups.classical import SU, U
from reptheory.groups.lie_catalog import SO3, U1, lie_direct_product
from reptheory.hom.projectors import IsotypicProjector, projector_from_arrays
from reptheory.reps.lie import realify


def _check_against_constraints(rho_in, rho_out, expected: int, *, field: str = "C"):
    iso = intertwiners(rho_in, rho_out, method="isotypic", cache=False)
    con = intertwiners(rho_in, rho_out, method="constraints", cache=False)
    assert iso.method == "isotypic"
    assert iso.info["field"] == "C"
    assert iso.dim == con.dim == expected
    B = iso.basis
    assert B.dtype == (np.complex128 if field == "C" else np.float64)
    flat = B.reshape(iso.dim, -1)
    np.testing.assert_allclose(flat @ flat.conj().T, np.eye(iso.dim), atol=1e-12)
    # intertwines at sampled group elements (not only the generators)
    rng = np.random.default_rng(7)
    for g in rho_in.group.sample(3, rng=rng):
        A_out, A_in = rho_out.matrix(g), rho_in.matrix(g)
        err = np.abs(A_out[None] @ B - B @ A_in[None]).max(initial=0.0)
        assert err < 1e-10
    # the same space: the projectors agree on complex and on real matrices
    W = rng.standard_normal((2, *iso.shape)) + 1j * rng.standard_normal((2, *iso.shape))
    np.testing.assert_allclose(iso.project(W), con.project(W), atol=1e-10)
    np.testing.assert_allclose(iso.project(W.real), con.project(W.real), atol=1e-10)
    PW = iso.project(W)
    np.testing.assert_allclose(iso.project(PW), PW, atol=1e-10)
    return iso


def test_su3_mixed_tensor_to_defining_matches_constraints_and_weyl():
    V = Representation.defining(SU(3))
    rho_in = V @ V @ V.dual()
    iso = _check_against_constraints(rho_in, V, torus_hom_dimension(rho_in, V))
    assert iso.dim == 2  # (1,0,0) occurs twice in V ⊗ V ⊗ V̄


def test_su3_commutant_of_cube_matches_weyl():
    V = Representation.defining(SU(3))
    V3 = V @ V @ V
    iso = _check_against_constraints(V3, V3, torus_hom_dimension(V3, V3))
    assert iso.dim == 6  # 1² + 2² + 1²: S³, two copies of the mixed symmetry, Λ³


@pytest.mark.parametrize("which", ["end_square", "sym_to_square", "mixed"])
def test_u2_tensor_squares(which):
    V = Representation.defining(U(2))
    VV = V @ V
    rho_in, rho_out = {
        "end_square": (VV, VV),
        "sym_to_square": (V.symmetric_power(2), VV),
        "mixed": (V @ V.dual(), V @ V.dual()),
    }[which]
    _check_against_constraints(rho_in, rho_out, torus_hom_dimension(rho_in, rho_out))


@pytest.mark.parametrize(("power", "expected"), [("exterior", 2), ("symmetric", 4)])
def test_u1_times_so3_powers(power, expected):
    # V = charge 1 ⊕ R³: Λ²V = (1, ℓ=1) ⊕ (0, ℓ=1); S²V = (2, 0) ⊕ (1, 1) ⊕ (0, 0) ⊕ (0, 2) (issue 16)
    V = Representation.defining(lie_direct_product(U1(), SO3()))
    R = V.exterior_power(2) if power == "exterior" else V.symmetric_power(2)
    _check_against_constraints(R, R, expected)


def test_real_representation_decomposed_over_c_gives_a_real_basis():
    # realify(V) of SU(3) is real; its decomposition is over ℂ ((1,0,0) ⊕ (1,1,0)), Q complex
    rV = realify(Representation.defining(SU(3)))
    rho_in = rV @ rV
    assert rho_in.decompose().field == "C"
    iso = _check_against_constraints(rho_in, rV, torus_hom_dimension(rho_in, rV), field="R")
    W = np.random.default_rng(0).standard_normal(iso.shape)
    assert iso.project(W).dtype == np.float64


def test_complex_isotypic_projector_round_trips_through_arrays():
    V = Representation.defining(SU(3))
    iso = intertwiners(V @ V @ V.dual(), V, method="isotypic", cache=False)
    P = iso.structured_projector()
    assert isinstance(P, IsotypicProjector) and P.field == "C" and np.iscomplexobj(P.Q_in)
    Q = projector_from_arrays(P.kind, P.to_arrays())
    assert Q.field == "C" and Q.dim == P.dim
    W = np.random.default_rng(1).standard_normal((2, *P.shape)) * (1 + 1j)
    np.testing.assert_allclose(Q.apply(W), P.apply(W), atol=1e-13)
    with pytest.raises(InvalidArgumentError, match="field"):
        IsotypicProjector(P.Q_out, P.Q_in, P.blocks, "Q")


def test_known_complex_components_use_the_isotypic_route():
    G = U1()
    rho = G.irrep(1).direct_sum(G.irrep(-1), G.irrep(1))
    space = intertwiners(rho, rho, cache=False)
    assert space.method == "isotypic" and space.dim == 5  # 2² + 1²
    assert space.basis.dtype == np.complex128


def test_product_group_hom_between_different_reps_is_refused_not_wrong():
    # generic decompositions label irreps per call ("psi0", …): no shared basis, so no answer here
    V = Representation.defining(lie_direct_product(U1(), SO3()))
    with pytest.raises(InvalidArgumentError, match="isotypic"):
        intertwiners(V.symmetric_power(2), V @ V, method="isotypic", cache=False)
    auto = intertwiners(V.symmetric_power(2), V @ V, cache=False)
    assert auto.dim == intertwiners(V.symmetric_power(2), V @ V, method="constraints", cache=False).dim


def test_torch_port_falls_back_to_the_basis_for_complex_isotypic_bases():
    torch = pytest.importorskip("torch")
    from penalties.projectors import BasisProjection, IsotypicProjection, as_projection

    rV = realify(Representation.defining(SU(3)))
    iso = intertwiners(rV @ rV, rV, method="isotypic", cache=False)
    proj = as_projection(iso)
    assert isinstance(proj, BasisProjection)
    W = np.random.default_rng(2).standard_normal(iso.shape)
    np.testing.assert_allclose(proj(torch.as_tensor(W)).numpy(), iso.project(W), atol=1e-12)
    with pytest.raises(InvalidArgumentError, match="complex"):
        IsotypicProjection(iso.structured_projector())


def test_auto_prefers_the_isotypic_route_for_large_complex_spaces():
    # SU(3), ψ = (2,1,0): End(ψ ⊗ ψ) has 4096 unknowns; the constraint solver takes minutes here
    psi = SU(3).irrep((2, 1, 0))
    R = psi @ psi
    space = intertwiners(R, R, cache=False)
    assert space.method == "isotypic"
    assert space.dim == torus_hom_dimension(R, R) == 8
    B = space.basis
    for g in SU(3).sample(2, rng=np.random.default_rng(3)):
        M = R.matrix(g)
        assert np.abs(M[None] @ B - B @ M[None]).max() < 1e-10


@pytest.mark.parametrize("real", [False, True])
def test_complex_isotypic_space_survives_save_and_load(tmp_path, real):
    from reptheory.io import load_space, save_space

    V = Representation.defining(SU(3))
    if real:
        V = realify(V)
    rho_in = V @ V
    space = intertwiners(rho_in, V, method="isotypic", cache=False)
    path = tmp_path / "h.npz"
    save_space(space, path)
    back = load_space(path, rho_in=rho_in, rho_out=V)
    assert back.dim == space.dim and back.method == "isotypic"
    assert back.structured_projector().field == ("R" if real else "C")
    W = np.random.default_rng(4).standard_normal((2, *space.shape)) * (1 - 2j)
    np.testing.assert_allclose(back.project(W), space.project(W), atol=1e-12)
    np.testing.assert_allclose(back.basis, space.basis, atol=1e-12)
