"""Spectral-domain projectors (docs/explanation/projector.md#mask-and-average, docs/explanation/convolutions.md#spectral-projector).

* [`CyclicFFTProjection`][penalties.spectral.CyclicFFTProjection]: ``Hom`` between copies of the regular representation of
  ``C_N`` are block-circulant matrices; the DFT diagonalises circulants, so ``P`` keeps the
  diagonal of ``F W F⁻¹`` in each block (``O(N² log N)`` per block, through ``torch.fft``).
* [`FourierMaskProjection`][penalties.spectral.FourierMaskProjection]: complex weights stored in a Fourier basis (the paper's SO(2)
  toy model, or ``C_N`` regular fields after a DFT): all irreps are one-dimensional, so ``P``
  is the 0/1 mask keeping entries whose output and input frequencies agree.
* [`SO2HarmonicProjection`][penalties.spectral.SO2HarmonicProjection]: continuous rotations of 2-D kernels with complex channel
  irreps ``e^{imθ}``.  Kernels are parameterised in the band-limited harmonic basis
  ``K(r, φ) = Σ_{j<J} Σ_{|k|≤L} R_j(r) e^{ikφ} c_{j,k}`` (Gaussian rings ``R_j``); the group
  average keeps exactly ``k = m_out − m_in`` (a mask on coefficients).

**Band limit.**  "Equivariant" means: inside the band-limited steerable basis.  A masked
coefficient tensor gives a continuous kernel that is exactly SO(2)-steerable; sampled on the
grid it is exactly equivariant under the grid's own symmetries (``C_4``, docs/explanation/convolutions.md#grid-symmetries) and only
approximately under other angles.  The coefficient-space projector is orthogonal for the
coefficients; [`SO2HarmonicProjection.grid_projection`][penalties.spectral.SO2HarmonicProjection.grid_projection] returns the projector that is
orthogonal for the sampled kernels' Frobenius product (basis sampled, then orthonormalised).

Examples
--------
>>> import torch
>>> P = FourierMaskProjection([0, 1, 2], [0, 1])
>>> P(torch.ones(3, 2, dtype=torch.complex64))
tensor([[1.+0.j, 0.+0.j],
        [0.+0.j, 1.+0.j],
        [0.+0.j, 0.+0.j]])
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import torch

from penalties.projectors import Projection
from reptheory.errors import DimensionMismatchError, InvalidArgumentError

__all__ = ["CyclicFFTProjection", "FourierMaskProjection", "SO2HarmonicProjection", "so2_harmonic_basis"]


class CyclicFFTProjection(Projection):
    """Projector onto ``Hom(m_in·reg, m_out·reg)`` of ``C_N`` through the FFT (circulant ↔ diagonal).

    The weight ``(m_out·N, m_in·N)`` is cut into ``N × N`` blocks (copies outer, the order of
    ``m * Representation.regular(cyclic(N))``); each block ``W`` becomes the circulant with
    eigenvalues ``diag(F W F⁻¹)``, i.e. ``P(W)_{ij} = (1/N) Σ_k W_{(i+k) mod N, (j+k) mod N}``.

    Notes
    -----
    ``O(m_out m_in N² log N)`` (two batched FFTs), no buffers beyond an index map.

    Examples
    --------
    >>> import torch
    >>> P = CyclicFFTProjection(3)
    >>> P(torch.eye(3)[[1, 2, 0]] + torch.eye(3))   # a circulant is kept
    tensor([[1., 1., 0.],
            [0., 1., 1.],
            [1., 0., 1.]])
    """

    def __init__(self, N: int, m_out: int = 1, m_in: int = 1):
        super().__init__()
        if int(N) < 1 or int(m_out) < 1 or int(m_in) < 1:
            raise InvalidArgumentError(f"N={N}, m_out={m_out}, m_in={m_in} must be positive integers")
        self.N, self.m_out, self.m_in = int(N), int(m_out), int(m_in)
        self.shape = (self.m_out * self.N, self.m_in * self.N)
        self.matrix_shape = self.shape
        self.dim = self.m_out * self.m_in * self.N
        i = torch.arange(self.N)
        self.register_buffer("diff", (i[:, None] - i[None, :]) % self.N)

    def forward(self, W: torch.Tensor) -> torch.Tensor:
        lead = self._check(W)
        N = self.N
        B = W.reshape(*lead, self.m_out, N, self.m_in, N).transpose(-3, -2)  # (..., a, b, N, N)
        lam = torch.fft.ifft(torch.fft.fft(B, dim=-2), dim=-1).diagonal(dim1=-2, dim2=-1)
        c = torch.fft.ifft(lam, dim=-1)
        c = c if W.is_complex() else c.real.to(W.dtype)
        P = c[..., self.diff.to(W.device)]  # circulant with first column c
        return P.transpose(-3, -2).reshape(W.shape)


class FourierMaskProjection(Projection):
    """0/1 mask for complex weights in a Fourier basis: keep ``W[o, i]`` iff ``freq_out[o] == freq_in[i]``.

    Parameters
    ----------
    freq_out : array_like of int, shape (d_out,)
    freq_in : array_like of int, shape (d_in,)

    Notes
    -----
    ``O(n_p)``; buffer: one mask.

    Examples
    --------
    >>> P = FourierMaskProjection([1, -1], [1])
    >>> P.dim
    1
    """

    def __init__(self, freq_out: Any, freq_in: Any):
        super().__init__()
        fo = torch.as_tensor(np.asarray(freq_out, dtype=np.int64))
        fi = torch.as_tensor(np.asarray(freq_in, dtype=np.int64))
        mask = (fo[:, None] == fi[None, :]).to(torch.float64)
        self.shape = (fo.shape[0], fi.shape[0])
        self.matrix_shape = self.shape
        self.dim = int(mask.sum())
        self.register_buffer("mask", mask)

    def forward(self, W: torch.Tensor) -> torch.Tensor:
        self._check(W)
        m = self.mask.to(device=W.device, dtype=W.real.dtype if W.is_complex() else W.dtype)
        return W * m


def so2_harmonic_basis(size: int, n_radial: int, max_freq: int) -> torch.Tensor:
    """Sampled band-limited basis ``R_j(r) e^{ikφ}``, shape ``(n_radial, 2·max_freq + 1, size, size)`` complex128.

    Coordinates are array indices about the centre, ``φ = atan2(u_1, u_0)``, so the grid
    rotation ``[[0, −1], [1, 0]]`` is ``θ = +π/2``.  Rings ``R_j(r) = exp(−(r − r_j)²/(2σ²))``
    with ``r_j`` evenly spaced in ``[0, (size−1)/2]`` and ``σ = 0.6``·spacing; the centre
    pixel carries only ``k = 0``.  Frequency ``k`` sits at index ``k + max_freq``.

    Examples
    --------
    >>> so2_harmonic_basis(5, 3, 2).shape
    torch.Size([3, 5, 5, 5])
    """
    if size % 2 == 0 or size < 1:
        raise InvalidArgumentError(f"size={size} must be odd (the rotation centre must be a pixel)")
    c = (size - 1) / 2
    u0, u1 = np.meshgrid(np.arange(size) - c, np.arange(size) - c, indexing="ij")
    r = np.hypot(u0, u1)
    phi = np.arctan2(u1, u0)
    radii = np.linspace(0.0, c, n_radial) if n_radial > 1 else np.array([0.0])
    sigma = 0.6 * (radii[1] - radii[0]) if n_radial > 1 else max(c, 1.0)
    R = np.exp(-((r[None] - radii[:, None, None]) ** 2) / (2 * sigma**2))
    ks = np.arange(-max_freq, max_freq + 1)
    ang = np.exp(1j * ks[:, None, None] * phi[None])
    ang[:, r == 0] = (ks == 0)[:, None].astype(float)
    return torch.as_tensor(R[:, None] * ang[None], dtype=torch.complex128)


class SO2HarmonicProjection(Projection):
    """Mask on harmonic coefficients ``c (c_out, c_in, J, 2L+1)``: keep ``k = m_out − m_in`` (docs/explanation/convolutions.md#spectral-projector).

    Parameters
    ----------
    freq_out, freq_in : array_like of int
        Channel irreps ``e^{imθ}`` of SO(2) (one complex channel each).
    n_radial : int
        ``J``, the number of rings.
    max_freq : int
        ``L``, the angular band limit.

    Notes
    -----
    ``O(n_p)`` per call.  [`synthesize`][penalties.spectral.SO2HarmonicProjection.synthesize] samples kernels; [`grid_projection`][penalties.spectral.SO2HarmonicProjection.grid_projection] gives
    the Frobenius-orthogonal projector on sampled kernels.

    Examples
    --------
    >>> import torch
    >>> P = SO2HarmonicProjection([1], [0], n_radial=2, max_freq=2)
    >>> P.dim        # one frequency (k = 1) per ring
    2
    """

    def __init__(self, freq_out: Any, freq_in: Any, *, n_radial: int, max_freq: int):
        super().__init__()
        fo = np.asarray(freq_out, dtype=np.int64)
        fi = np.asarray(freq_in, dtype=np.int64)
        self.n_radial, self.max_freq = int(n_radial), int(max_freq)
        ks = np.arange(-self.max_freq, self.max_freq + 1)
        mask = (fo[:, None, None, None] - fi[None, :, None, None] == ks[None, None, None, :])
        mask = np.broadcast_to(mask, (fo.shape[0], fi.shape[0], self.n_radial, ks.shape[0]))
        self.shape = tuple(int(s) for s in mask.shape)
        self.matrix_shape = (self.shape[0], math.prod(self.shape[1:]))
        self.dim = int(mask.sum())
        self.freq_out, self.freq_in = fo, fi
        self.register_buffer("mask", torch.as_tensor(mask.astype(np.float64)))

    def forward(self, C: torch.Tensor) -> torch.Tensor:
        self._check(C)
        return C * self.mask.to(device=C.device, dtype=C.real.dtype if C.is_complex() else C.dtype)

    def synthesize(self, C: torch.Tensor, size: int) -> torch.Tensor:
        """Kernels ``(..., c_out, c_in, size, size)`` (complex) from coefficients ``C``."""
        self._check(C)
        B = so2_harmonic_basis(size, self.n_radial, self.max_freq).to(device=C.device)
        B = B.to(torch.complex64) if C.dtype in (torch.complex64, torch.float32) else B
        return torch.einsum("...oijk,jkxy->...oixy", C.to(B.dtype), B)

    def grid_projection(self, size: int) -> Projection:
        """Projector on sampled complex kernels ``(c_out, c_in, size, size)``, orthogonal for their Frobenius product.

        For each channel pair the allowed basis functions ``R_j e^{ikφ}`` (``k = m_out − m_in``,
        ``|k| ≤ L``) are sampled and orthonormalised (QR); pairs with ``|k| > L`` map to 0.
        """
        B = so2_harmonic_basis(size, self.n_radial, self.max_freq).reshape(self.n_radial, 2 * self.max_freq + 1, -1)
        Qs = []
        for kk in range(2 * self.max_freq + 1):
            q, rr = torch.linalg.qr(B[:, kk].T)
            keep = rr.diagonal().abs() > 1e-10 * rr.diagonal().abs().max()
            q = q[:, keep]
            Qs.append(torch.nn.functional.pad(q, (0, self.n_radial - q.shape[1])))
        Q = torch.stack(Qs)  # (2L+1, size², J)
        slot = self.freq_out[:, None] - self.freq_in[None, :] + self.max_freq
        valid = (slot >= 0) & (slot <= 2 * self.max_freq)
        return _SO2GridProjection(Q, torch.as_tensor(np.where(valid, slot, 0)), torch.as_tensor(valid), size)


class _SO2GridProjection(Projection):
    def __init__(self, Q: torch.Tensor, slot: torch.Tensor, valid: torch.Tensor, size: int):
        super().__init__()
        self.shape = (slot.shape[0], slot.shape[1], size, size)
        self.matrix_shape = (self.shape[0], math.prod(self.shape[1:]))
        self.register_buffer("Q", Q)
        self.register_buffer("slot", slot.to(torch.int64))
        self.register_buffer("valid", valid.to(torch.float64))
        self.dim = int(((Q[slot].abs().sum(-2) > 0).sum(-1) * valid.to(torch.int64)).sum())

    def forward(self, K: torch.Tensor) -> torch.Tensor:
        lead = self._check(K)
        if not K.is_complex():
            raise InvalidArgumentError("the SO(2) grid projection acts on complex kernels")
        Q = self.Q.to(device=K.device, dtype=K.dtype)[self.slot]  # (c_out, c_in, s², J)
        k = K.reshape(*lead, self.shape[0], self.shape[1], -1)
        c = torch.einsum("oinj,...oin->...oij", Q.conj(), k)
        out = torch.einsum("oinj,...oij->...oin", Q, c) * self.valid.to(device=K.device, dtype=K.real.dtype)[..., None]
        return out.reshape(K.shape)


def _check_channels(shape: tuple[int, ...], expected: tuple[int, ...]) -> None:
    if tuple(shape) != tuple(expected):
        raise DimensionMismatchError(f"shape {tuple(shape)} does not match {tuple(expected)}")
