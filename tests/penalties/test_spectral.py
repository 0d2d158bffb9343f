"""Spectral-domain projectors (docs/explanation/projector.md#mask-and-average, docs/explanation/convolutions.md#spectral-projector)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from penalties import _build, projection_for
from penalties.spectral import CyclicFFTProjection, FourierMaskProjection, SO2HarmonicProjection
from reptheory import Representation, groups
from reptheory._numerics.tolerance import tolerance

TOL = tolerance("float64").rtol


@pytest.mark.parametrize("N, m_out, m_in", [(4, 1, 1), (5, 2, 3), (8, 2, 1)])
def test_cyclic_fft_equals_orbit_route(N, m_out, m_in, rng):
    R = Representation.regular(groups.cyclic(N))
    orbit = projection_for(m_in * R, m_out * R).double()
    fft = CyclicFFTProjection(N, m_out, m_in)
    W = torch.from_numpy(rng.standard_normal((2, m_out * N, m_in * N)))
    assert torch.allclose(fft(W), orbit(W), atol=TOL)
    assert fft.dim == orbit.dim


def test_fourier_mask_is_dft_of_circulant_projection(rng):
    """In the unitary DFT basis of C_N the commutant of the regular rep is diagonal: P is a mask."""
    N = 6
    F = np.fft.fft(np.eye(N)) / np.sqrt(N)
    W = rng.standard_normal((N, N))
    P = CyclicFFTProjection(N)
    spatial = P(torch.from_numpy(W)).numpy()
    mask = FourierMaskProjection(np.arange(N), np.arange(N))
    What = torch.from_numpy(F @ W @ F.conj().T)
    assert np.allclose(F.conj().T @ mask(What).numpy() @ F, spatial, atol=TOL)


def test_so2_mask_is_group_average_over_coefficients(rng):
    """Averaging e^{i(m_out − m_in − k)θ} c over θ keeps k = m_out − m_in (docs/explanation/convolutions.md#spectral-projector)."""
    fo, fi = np.array([0, 1, 3]), np.array([-1, 2])
    P = SO2HarmonicProjection(fo, fi, n_radial=2, max_freq=3)
    C = rng.standard_normal(P.shape) + 1j * rng.standard_normal(P.shape)
    ks = np.arange(-3, 4)
    thetas = 2 * np.pi * np.arange(64) / 64  # exact for |frequencies| < 64
    phase = fo[:, None, None, None] - fi[None, :, None, None] - ks[None, None, None, :]
    avg = np.mean([np.exp(1j * phase * t) * C for t in thetas], axis=0)
    assert np.allclose(P(torch.from_numpy(C)).numpy(), avg, atol=1e-12)


def test_so2_synthesized_kernels_are_c4_steerable(rng):
    """Masked coefficients give kernels with K(g t) = e^{i(m_out − m_in)π/2} K(t) for the exact grid rotation."""
    fo, fi = np.array([1, 0, 2]), np.array([0, -1])
    P = SO2HarmonicProjection(fo, fi, n_radial=3, max_freq=3)
    C = torch.from_numpy(rng.standard_normal(P.shape) + 1j * rng.standard_normal(P.shape))
    K = P.synthesize(P(C), 7).reshape(3, 2, 49)
    pi = _build._spatial_perms((7, 7), np.array([[[0, -1], [1, 0]]]), "test")[0]  # index of g t
    phase = torch.from_numpy(np.exp(1j * (fo[:, None] - fi[None, :]) * np.pi / 2))
    assert torch.allclose(K[..., pi], phase[..., None] * K, atol=1e-12)
    # unmasked coefficients break it
    K2 = P.synthesize(C, 7).reshape(3, 2, 49)
    assert not torch.allclose(K2[..., pi], phase[..., None] * K2, atol=1e-3)


def test_so2_grid_projection(rng):
    P = SO2HarmonicProjection([1, 0], [0], n_radial=3, max_freq=2)
    G = P.grid_projection(7)
    K = torch.from_numpy(rng.standard_normal((2, 1, 7, 7)) + 1j * rng.standard_normal((2, 1, 7, 7)))
    GK = G(K)
    assert torch.allclose(G(GK), GK, atol=TOL)
    # orthogonal for the sampled kernels' Frobenius product: <G K, L> = <K, G L>
    L = torch.from_numpy(rng.standard_normal((2, 1, 7, 7)) + 1j * rng.standard_normal((2, 1, 7, 7)))
    assert abs(complex((GK.conj() * L).sum()) - complex((K.conj() * G(L)).sum())) < 1e-10
    # synthesized masked kernels are fixed points
    C = torch.from_numpy(rng.standard_normal(P.shape) + 0j)
    Ks = P.synthesize(P(C), 7)
    assert torch.allclose(G(Ks), Ks, atol=1e-10)
    assert G.dim == P.dim
