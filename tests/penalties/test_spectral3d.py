"""SO(3)/O(3) spherical-harmonic projector (docs/explanation/convolutions.md#spectral-projector): invariance, steerability on the grid, dimensions."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from scipy.linalg import block_diag

from penalties import _build
from penalties.spectral3d import SO3HarmonicProjection, clebsch_gordan_real, real_spherical_harmonics
from reptheory import groups
from reptheory._numerics.tolerance import tolerance

lie = pytest.importorskip("reptheory.groups.lie_catalog")
TOL = tolerance("float64").rtol
G = lie.SO3()
IRR = G.irreps(3)
L_OUT, L_IN = [0, 1, 2, 1], [1, 0]


def dsum(ls, g):
    return block_diag(*[G.representation_matrix(IRR[l], g) for l in ls])


def test_projection_is_haar_invariant_idempotent_with_triangle_dimension(rng):
    P = SO3HarmonicProjection(L_OUT, L_IN, n_radial=2, max_J=3).double()
    # dimension: one CG tensor per (field pair, J in the triangle range, J ≤ 3), per shell
    expected = 2 * sum(1 for lo in L_OUT for li in L_IN for J in range(abs(lo - li), min(lo + li, 3) + 1))
    assert P.dim == expected
    C = torch.from_numpy(rng.standard_normal(P.shape))
    PC = P(C)
    assert torch.allclose(P(PC), PC, atol=TOL)
    assert abs(float((PC * C).sum() - (PC * PC).sum())) < TOL * float((C * C).sum())  # orthogonal
    for g in G.sample(3, rng=1):
        DJ = block_diag(*[G.representation_matrix(IRR[J], g) for J in range(4)])
        Y = np.einsum("oa,ib,km,abrm->oirk", dsum(L_OUT, g), dsum(L_IN, g), DJ, PC.numpy())
        assert np.abs(Y - PC.numpy()).max() < 1e3 * TOL


@pytest.mark.slow
def test_monte_carlo_haar_average_agrees(rng):
    """P equals the Haar average of the coefficient action (Monte Carlo, loose)."""
    P = SO3HarmonicProjection([1], [1], n_radial=1, max_J=2).double()
    C = rng.standard_normal(P.shape)
    gs = G.sample(400, rng=2)
    D1 = G.representation_matrices(IRR[1], gs)
    Ds = [G.representation_matrices(IRR[J], gs) for J in range(3)]
    DJ = np.zeros((len(gs), 9, 9))
    for J in range(3):
        DJ[:, J * J:(J + 1) ** 2, J * J:(J + 1) ** 2] = Ds[J]
    acc = np.einsum("noa,nib,nkm,abrm->oirk", D1, D1, DJ, C)
    acc /= len(gs)  # Monte-Carlo error ~ 1/√400
    assert np.linalg.norm(acc - P(torch.from_numpy(C)).numpy()) < 0.15 * np.linalg.norm(C)


def test_synthesized_kernels_steerable_under_cube_rotations(rng):
    P = SO3HarmonicProjection(L_OUT, L_IN, n_radial=2, max_J=3).double()
    K = P.synthesize(P(torch.from_numpy(rng.standard_normal(P.shape))), 5).numpy()
    Kf = K.reshape(K.shape[0], K.shape[1], -1)
    offs = _build.grid_offsets((5, 5, 5))
    O = groups.octahedral()
    els = [G.from_matrix(np.round(O.elements[e])) for e in range(O.order)]
    D = {l: G.representation_matrices(IRR[l], els) for l in (0, 1, 2)}
    for e in range(O.order):
        R = np.round(O.elements[e]).astype(int)
        idx = _build._offset_index((5, 5, 5), offs @ R.T)  # index of R t
        Do = block_diag(*[D[l][e] for l in L_OUT])
        Di = block_diag(*[D[l][e] for l in L_IN])
        rhs = np.einsum("oa,abt,ib->oit", Do, Kf, Di)
        assert np.abs(Kf[:, :, idx] - rhs).max() < 1e3 * TOL


def test_harmonics_and_cg():
    pts = np.random.default_rng(0).standard_normal((5, 3))
    for J in range(4):
        Y = real_spherical_harmonics(J, pts)
        assert np.allclose(np.linalg.norm(Y, axis=1), 1.0)
        g = G.sample(1, rng=J)[0]
        Rm = G.representation_matrix(IRR[1], g)
        assert np.allclose(real_spherical_harmonics(J, pts @ Rm.T), Y @ G.representation_matrix(IRR[J], g).T)
    assert clebsch_gordan_real(2, 1, 0) is None and clebsch_gordan_real(2, 1, 3).shape == (5, 3, 7)


def test_parity_mask_and_grid_projection(rng):
    P = SO3HarmonicProjection([1], [0], n_radial=2, max_J=2, parity_out=[-1], parity_in=[1])
    assert P.dim == 2  # J = 1 only, odd: allowed for p_out p_in = −1
    Q = SO3HarmonicProjection([1], [0], n_radial=2, max_J=2, parity_out=[1], parity_in=[1])
    assert Q.dim == 0
    S = SO3HarmonicProjection([1], [1], n_radial=2, max_J=2).double()
    GP = S.grid_projection(5)
    assert GP.dim == S.dim
    K = torch.from_numpy(rng.standard_normal((3, 3, 5, 5, 5)))
    assert torch.allclose(GP(GP(K)), GP(K), atol=TOL)
