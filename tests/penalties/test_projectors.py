"""Torch projectors against the NumPy references and brute-force group averages (docs/explanation/projector.md#reynolds-operator, docs/explanation/projector.md#mask-and-average, docs/explanation/routes.md#orbit-method, docs/explanation/convolutions.md#convolutions)."""

from __future__ import annotations

import io

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from penalties import _build
from penalties._groupbank import act_on_fields
from penalties.errors import GridActionError
from penalties.projectors import (
    IsotypicProjection,
    KernelAverageProjection,
    OrbitProjection,
    as_projection,
    bias_projection_for,
    kernel_projection_for,
    projection_for,
)
from reptheory import Representation, groups
from reptheory._numerics.tolerance import tolerance
from reptheory.errors import DimensionMismatchError
from reptheory.hom.projectors import BasisProjector, IsotypicBlock, IsotypicProjector

TOL64 = tolerance("float64").rtol
TOL32 = tolerance("float32").rtol


def brute_average(rho_in, rho_out, W):
    """(1/|G|) Σ_g ρ_out(g) W ρ_in(g)^{-1}: the oracle."""
    A, B = rho_out.matrices(), rho_in.matrices()
    return sum(A[g] @ W @ np.linalg.inv(B[g]) for g in range(A.shape[0])) / A.shape[0]


def brute_kernel_average(rho_in, rho_out, grid, K):
    """(1/|G|) Σ_g ρ_out(g) K(g⁻¹ t) ρ_in(g)⁻¹, looping over offsets."""
    spatial = K.shape[2:]
    offs = _build.grid_offsets(spatial)
    half = np.array([(s - 1) // 2 for s in spatial])
    A, B, Gm = rho_out.matrices(), rho_in.matrices(), np.round(grid.matrices()).astype(int)
    Kf = K.reshape(K.shape[0], K.shape[1], -1)
    out = np.zeros_like(Kf)
    for g in range(A.shape[0]):
        for ti, t in enumerate(offs):
            u = np.linalg.solve(Gm[g], t).round().astype(int)
            ui = np.ravel_multi_index(tuple(u + half), spatial)
            out[:, :, ti] += A[g] @ Kf[:, :, ui] @ np.linalg.inv(B[g])
    return (out / A.shape[0]).reshape(K.shape)


def rel(a, b):
    a, b = np.asarray(a), np.asarray(b)
    return np.linalg.norm(a - b) / max(1.0, np.linalg.norm(a), np.linalg.norm(b))


D4 = groups.dihedral(4)
REG = Representation.regular(D4)
ONE = Representation.trivial(D4)
SGN = Representation.from_generator_images(D4, [np.array([[1.0]]), np.array([[-1.0]])])  # r ↦ 1, s ↦ −1
SQ = groups.square_symmetries()
SQR = Representation.regular(SQ)
SQ1 = Representation.trivial(SQ)
SQV = Representation.defining(SQ)


@pytest.mark.parametrize(
    "rho_in, rho_out",
    [(REG, REG), (2 * REG, ONE), (ONE, 3 * REG), (REG + ONE, 2 * REG), (SGN, REG)],
)
def test_linear_projection_equals_group_average(rho_in, rho_out, rng):
    P = projection_for(rho_in, rho_out).double()
    W = rng.standard_normal((rho_out.dim, rho_in.dim))
    got = P(torch.from_numpy(W)).numpy()
    assert rel(got, brute_average(rho_in, rho_out, W)) < TOL64
    # idempotent, self-adjoint (docs/explanation/projector.md#reynolds-is-orthogonal)
    V = rng.standard_normal(W.shape)
    PV = P(torch.from_numpy(V)).numpy()
    assert rel(P(torch.from_numpy(got)).numpy(), got) < TOL64
    assert abs(np.sum(got * V) - np.sum(W * PV)) < TOL64 * max(1.0, np.linalg.norm(W) * np.linalg.norm(V))


def test_non_monomial_uses_structured_or_dense_route(rng):
    th = 0.7
    Q = np.array([[np.cos(th), -np.sin(th)], [np.sin(th), np.cos(th)]])
    V = SQV.change_basis(Q)  # orthogonal, not monomial
    P = projection_for(V + SQ1, SQR).double()
    assert not isinstance(P, OrbitProjection)
    W = rng.standard_normal((8, 3))
    assert rel(P(torch.from_numpy(W)).numpy(), brute_average(V + SQ1, SQR, W)) < 1e3 * TOL64


def test_orbit_matches_numpy_reference(rng):
    P = _build.hom_projector(REG, 2 * REG)
    T = as_projection(P).double()
    W = rng.standard_normal((3, *P.shape))
    assert rel(T(torch.from_numpy(W)).numpy(), P.apply(W)) < TOL64


def test_isotypic_and_basis_match_numpy_reference(rng):
    # a random orthogonal change of basis and one block of complex type (basis I, J)
    Qo = np.linalg.qr(rng.standard_normal((5, 5)))[0]
    Qi = np.linalg.qr(rng.standard_normal((4, 4)))[0]
    J = np.array([[0.0, -1.0], [1.0, 0.0]])
    blocks = (
        IsotypicBlock(0, 1, 0, 2, 1, 1, 2, np.ones((1, 1, 1))),
        IsotypicBlock(1, 5, 2, 4, 2, 2, 1, np.stack([np.eye(2), J])),
    )
    iso = IsotypicProjector(Qo, Qi, blocks)
    T = IsotypicProjection(iso).double()
    W = rng.standard_normal((2, 3, 5, 4))
    assert rel(T(torch.from_numpy(W)).numpy(), iso.apply(W)) < TOL64
    basis = np.linalg.qr(rng.standard_normal((20, 3)))[0].T.reshape(3, 5, 4)
    bp = BasisProjector(basis)
    assert rel(as_projection(bp).double()(torch.from_numpy(W)).numpy(), bp.apply(W)) < TOL64


def test_isotypic_projection_with_permutation_q(rng):
    perm = rng.permutation(6)
    Q = np.eye(6)[:, perm]
    iso = IsotypicProjector(Q, Q, (IsotypicBlock(0, 6, 0, 6, 3, 2, 2, np.eye(3)[None]),))
    T = IsotypicProjection(iso).double()
    assert T.perm_out is not None and T.Q_out is None
    W = rng.standard_normal((6, 6))
    assert rel(T(torch.from_numpy(W)).numpy(), iso.apply(W)) < TOL64


@pytest.mark.parametrize(
    "rho_in, rho_out, spatial",
    [(SQ1, SQR, (3, 3)), (SQR, SQR, (3, 3)), (SQR, SQ1, (5, 5)), (SQV, SQR, (3, 3)), (SQ1, SQ1, (3, 5))],
)
def test_kernel_projection_equals_group_average(rho_in, rho_out, spatial, rng):
    if spatial == (3, 5):
        G = groups.flips(2)
        rho_in = rho_out = Representation.trivial(G)
        grid = Representation.defining(G)
    else:
        grid = SQV
    P = kernel_projection_for(rho_in, rho_out, grid, spatial).double()
    K = rng.standard_normal((rho_out.dim, rho_in.dim, *spatial))
    assert rel(P(torch.from_numpy(K)).numpy(), brute_kernel_average(rho_in, rho_out, grid, K)) < TOL64


def test_kernel_average_route_for_general_channels(rng):
    th = 0.3
    Q = np.array([[np.cos(th), -np.sin(th)], [np.sin(th), np.cos(th)]])
    V = SQV.change_basis(Q)
    P = kernel_projection_for(V, V + SQ1, SQV, (3, 3)).double()
    assert isinstance(P, KernelAverageProjection)
    K = rng.standard_normal((3, 2, 3, 3))
    assert rel(P(torch.from_numpy(K)).numpy(), brute_kernel_average(V, V + SQ1, SQV, K)) < TOL64


def test_cube_kernels_3d(rng):
    O = groups.octahedral()
    grid = Representation.defining(O)
    one = Representation.trivial(O)
    P = kernel_projection_for(one, one, grid, (3, 3, 3)).double()
    assert P.dim == 4  # centre, 6 faces, 12 edges, 8 corners
    K = rng.standard_normal((1, 1, 3, 3, 3))
    assert rel(P(torch.from_numpy(K)).numpy(), brute_kernel_average(one, one, grid, K)) < TOL64
    Oh = groups.full_octahedral()
    Ph = kernel_projection_for(Representation.trivial(Oh), Representation.regular(Oh),
                               Representation.defining(Oh), (3, 3, 3))
    assert Ph.dim == 27  # 48·27 entries, free orbits of size 48


def test_projected_conv_is_exactly_equivariant(rng):
    """A conv with a projected kernel satisfies f(g·x) = g·f(x) (docs/explanation/convolutions.md#kernel-action), with zero padding."""
    G = groups.square_rotations()
    R, one, grid = Representation.regular(G), Representation.trivial(G), Representation.defining(G)
    P1 = kernel_projection_for(one, R, grid, (3, 3)).double()
    P2 = kernel_projection_for(R, R, grid, (5, 5)).double()
    K1 = P1(torch.from_numpy(rng.standard_normal((4, 1, 3, 3))))
    K2 = P2(torch.from_numpy(rng.standard_normal((4, 4, 5, 5))))

    def f(x):
        return F.conv2d(torch.relu(F.conv2d(x, K1, padding=1)), K2, padding=2)

    x = torch.from_numpy(rng.standard_normal((2, 1, 9, 9)))
    A, B, Gm = (torch.from_numpy(np.array(r.matrices(), dtype=np.float64)) for r in (one, R, grid))
    for g in range(4):
        lhs = f(act_on_fields(x, A[g], Gm[g]))
        rhs = act_on_fields(f(x), B[g], Gm[g])
        assert rel(lhs.numpy(), rhs.numpy()) < TOL64


def test_bias_projection():
    P = bias_projection_for(REG + SGN).double()
    b = torch.arange(9.0, dtype=torch.float64)
    out = P(b).numpy()
    assert np.allclose(out[:8], np.mean(np.arange(8.0)))
    assert abs(out[8]) < TOL64  # the sign rep has no invariants


def test_buffers_follow_to_and_state_dict():
    P = projection_for(REG, REG)
    assert {"labels", "signs", "inv_counts"} <= set(P.state_dict())
    P32 = P.to(torch.float32)
    assert P32.signs.dtype == torch.float32 and P32.labels.dtype == torch.int64
    buf = io.BytesIO()
    torch.save(P.state_dict(), buf)
    buf.seek(0)
    Q = projection_for(REG, REG)
    Q.load_state_dict(torch.load(buf))
    W = torch.randn(8, 8)
    assert torch.equal(P(W), Q(W))


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64, torch.bfloat16])
def test_dtypes(dtype, rng):
    P = projection_for(REG, 2 * REG)
    W64 = rng.standard_normal((16, 8))
    ref = P.double()(torch.from_numpy(W64)).numpy()
    out = P(torch.from_numpy(W64).to(dtype))
    assert out.dtype == dtype
    assert rel(out.double().numpy(), ref) < 10 * tolerance(dtype).rtol


def test_batched_leading_axes(rng):
    P = projection_for(REG, ONE).double()
    W = torch.from_numpy(rng.standard_normal((2, 3, 1, 8)))
    out = P(W)
    for i in range(2):
        for j in range(3):
            assert torch.allclose(out[i, j], P(W[i, j]))


def test_shape_errors():
    P = projection_for(REG, REG)
    with pytest.raises(DimensionMismatchError, match="does not end with"):
        P(torch.zeros(8, 7))
    with pytest.raises(DimensionMismatchError):
        OrbitProjection([0, 0], [1.0], 1)


def test_grid_errors():
    G = groups.square_rotations()
    one = Representation.trivial(G)
    grid = Representation.defining(G)
    with pytest.raises(GridActionError, match="even side"):
        kernel_projection_for(one, one, grid, (4, 4))
    with pytest.raises(GridActionError, match="equal kernel sizes"):
        kernel_projection_for(one, one, grid, (3, 5))
    C8 = groups.cyclic(8)
    c, s = np.cos(np.pi / 4), np.sin(np.pi / 4)
    rot8 = Representation.from_generator_images(C8, [np.array([[c, -s], [s, c]])])
    with pytest.raises(GridActionError, match="signed permutation"):
        kernel_projection_for(Representation.trivial(C8), Representation.trivial(C8), rot8, (3, 3))
    with pytest.raises(GridActionError, match="dimension 3"):
        kernel_projection_for(one, one, grid, (3, 3, 3))


def test_non_monomial_fields_get_reptheorys_projector(rng):
    th = 0.7
    Q = np.array([[np.cos(th), -np.sin(th)], [np.sin(th), np.cos(th)]])
    V = SQV.change_basis(Q)
    # the defining rep of D4 is irreducible of real type: End_G = R·I (Schur, docs/explanation/projector.md#schur-and-real-types)
    assert projection_for(V, V).dim == 1
    # many copies: End_G(40 V) = Mat_40(R), dim 1600, through reptheory's isotypic route
    P = _build.hom_projector(40 * V, 40 * V)
    assert P.dim == 1600
    W = rng.standard_normal((80, 80))
    from reptheory import intertwiners

    assert np.allclose(P.apply(W), intertwiners(40 * V, 40 * V).project(W), atol=1e-10)


def test_bias_projection_so3_keeps_scalars(rng):
    lie = pytest.importorskip("reptheory.groups.lie_catalog")
    irr = lie.SO3().irreps(1)
    rho = irr[0] + irr[1] + irr[0]
    P = bias_projection_for(rho).double()
    assert isinstance(P, OrbitProjection) and P.dim == 2
    b = torch.from_numpy(rng.standard_normal(5))
    expected = torch.zeros(5, dtype=torch.float64)
    expected[0], expected[4] = b[0], b[4]
    assert torch.allclose(P(b), expected, atol=TOL64)
