"""Backbones of the experiments, built on the public API only.

* :class:`FieldMLP`: an EMLP-style MLP on O(n) tensor fields (ranks 0, 1, 2), for Modified
  Inertia (O(3)) and O5Synthetic (O(5)).  Every layer is one ``nn.Linear`` (bias folded into a
  constant input, as in EMLP); its projector is ``reptheory.intertwiners(ρ_in ⊕ 1, ρ_out)``
  turned into a torch projector by :func:`penalties.as_projection`.
* :class:`HarmonicCNN`: an SO(2)-steerable CNN on images whose kernels live in the
  band-limited harmonic basis; the projector is :class:`penalties.SO2HarmonicProjection`
  (a mask on the coefficients: the spectral-domain projection).
* :func:`regular_mlp`, :func:`regular_cnn`, :func:`so3_mlp`: plain ``nn.Sequential`` models for
  the cost rows, with :func:`penalties.mlp_spec` / :func:`penalties.cnn_spec`.

Each model exposes ``spec`` (the penalties spec), ``rho_in`` / ``rho_out`` and, for the
sample-based baselines, how the group acts on its data (:meth:`FieldMLP.bank`).

Examples
--------
>>> import torch
>>> net = FieldMLP(3, [(0, 5), (1, 5)], [(2, 1)], width=2, depth=1)
>>> net(torch.randn(4, 20, dtype=torch.float64)).shape
torch.Size([4, 9])
"""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

import penalties
import reptheory
from reptheory import Representation, groups

__all__ = ["FieldMLP", "HarmonicCNN", "field_rep", "regular_cnn", "regular_mlp", "so3_mlp"]


@functools.cache
def _group(n: int) -> Any:
    return groups.O(n)


def field_rep(n: int, layout: list[tuple[int, int]] | tuple[tuple[int, int], ...]) -> Representation:
    """``⊕ c · V^{⊗r}`` of O(n) for ``layout = [(r, c), ...]`` (blocks in order, copies outer)."""
    G = _group(n)
    V = Representation.defining(G)
    unit = {0: Representation.trivial(G), 1: V, 2: V.tensor(V)}
    parts = [c * unit[r] for r, c in layout if c]
    out = parts[0]
    for p in parts[1:]:
        out = out + p
    return out


@functools.cache
def _projection(n: int, lay_in: tuple[tuple[int, int], ...], lay_out: tuple[tuple[int, int], ...],
                dtype: torch.dtype = torch.float64) -> Any:
    """Torch projector onto ``Hom_{O(n)}(ρ_in ⊕ 1, ρ_out)`` (the isotypic route: exact and fast here)."""
    rin = field_rep(n, (*lay_in, (0, 1)))
    rout = field_rep(n, lay_out)
    try:
        space = reptheory.intertwiners(rin, rout, method="isotypic")
    except reptheory.errors.InvalidArgumentError:  # no catalogue irreps (O(5)): the default route
        space = reptheory.intertwiners(rin, rout)
    return rin, rout, penalties.as_projection(space).to(dtype)


class FieldMLP(nn.Module):
    """EMLP-style MLP on O(n) tensor fields (gated nonlinearities), weights ``(d_out, d_in + 1)``.

    With ``rank2`` (default) a hidden layer is ``3w`` scalars, ``3w`` vectors, ``w`` matrices;
    nonlinearity: SiLU on ``w`` scalars, sigmoid gates from the other ``2w`` scalars on ``w``
    vectors and on ``w`` matrices ``M + a bᵀ`` (bilinear term from the remaining ``2w``
    vectors), giving ``w·1 ⊕ w·V ⊕ w·V⊗V``.  Without (``rank2=False``, used for O5Synthetic,
    whose target is a function of the invariants of two vectors): ``3w`` scalars and ``3w`` vectors to
    ``2w·1 ⊕ w·V`` (SiLU, gated vectors, and the invariants ``⟨a_j, b_j⟩`` of ``w`` vector pairs).
    With every weight in ``Hom_{O(n)}`` the network is exactly O(n)-equivariant.
    """

    def __init__(self, n: int, layout_in: list[tuple[int, int]], layout_out: list[tuple[int, int]],
                 width: int = 16, depth: int = 2, rank2: bool = True, seed: int = 0,
                 dtype: torch.dtype = torch.float64):
        super().__init__()
        gen = torch.Generator().manual_seed(seed)
        self.n, self.w, self.rank2 = n, width, rank2
        w = width
        if rank2:
            hid_out, hid_in = ((0, 3 * w), (1, 3 * w), (2, w)), ((0, w), (1, w), (2, w))
        else:
            hid_out, hid_in = ((0, 3 * w), (1, 3 * w)), ((0, 2 * w), (1, w))
        self.layers = nn.ModuleList()
        self.spec: dict[str, penalties.LayerSpec] = {}
        cur = tuple(layout_in)
        for li in range(depth + 1):
            out = hid_out if li < depth else tuple(layout_out)
            rin, rout, P = _projection(n, tuple(cur), tuple(out), dtype)
            lin = nn.Linear(rin.dim, rout.dim, bias=False).to(dtype)
            with torch.no_grad():  # the same draw in every dtype (float64, then cast)
                lin.weight.copy_(torch.randn(rout.dim, rin.dim, generator=gen, dtype=torch.float64) / math.sqrt(rin.dim))
                lin.weight[:, -1] = 0.0
            self.layers.append(lin)
            self.spec[f"layers.{li}"] = penalties.LayerSpec(rin, rout, projector=P, bias=False)
            cur = hid_in
        self.rho_in = field_rep(n, layout_in)
        self.rho_out = field_rep(n, layout_out)

    def _nonlin(self, h: torch.Tensor) -> torch.Tensor:
        n, w = self.n, self.w
        s = h[..., :3 * w]
        v = h[..., 3 * w:3 * w + 3 * w * n].reshape(*h.shape[:-1], 3 * w, n)
        if not self.rank2:
            vec = v[..., :w, :] * torch.sigmoid(s[..., w:2 * w])[..., None]
            inner = (v[..., w:2 * w, :] * v[..., 2 * w:, :]).sum(-1)
            return torch.cat([F.silu(s[..., :w]), inner, vec.flatten(-2)], dim=-1)
        M = h[..., 3 * w + 3 * w * n:].reshape(*h.shape[:-1], w, n, n)
        gv, gm = torch.sigmoid(s[..., w:2 * w]), torch.sigmoid(s[..., 2 * w:])
        vec = v[..., :w, :] * gv[..., None]
        mat = (M + v[..., w:2 * w, :, None] * v[..., 2 * w:, None, :]) * gm[..., None, None]
        return torch.cat([F.silu(s[..., :w]), vec.flatten(-2), mat.flatten(-3)], dim=-1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        one = torch.ones(*x.shape[:-1], 1, dtype=x.dtype)
        h = x
        for i, lay in enumerate(self.layers):
            h = lay(torch.cat([h, one], dim=-1))
            if i < len(self.layers) - 1:
                h = self._nonlin(h)
        return h

    def bank(self, size: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
        """``size`` Haar samples of O(n) as ``(ρ_in, ρ_out)`` matrices (the sample-based baselines' bank)."""
        G = _group(self.n)
        els = G.sample(size, rng=np.random.default_rng(seed))
        return G.representation_matrices(self.rho_in, els), G.representation_matrices(self.rho_out, els)


# --------------------------------------------------------------------------- SO(2) images
class _HarmonicConv(nn.Module):
    """Complex convolution whose kernel is ``synthesize(coef)``: ``coef`` is what the penalties see."""

    def __init__(self, P: penalties.SO2HarmonicProjection, size: int, gen: torch.Generator):
        super().__init__()
        self.P, self.size = P, size
        shape = P.shape
        fan = shape[1] * shape[2]
        re = torch.randn(shape, generator=gen) / math.sqrt(2 * fan)
        im = torch.randn(shape, generator=gen) / math.sqrt(2 * fan)
        self.coef = nn.Parameter(torch.complex(re, im))

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        K = self.P.synthesize(self.coef, self.size)  # (c_out, c_in, k, k) complex
        Kr = torch.cat([torch.cat([K.real, -K.imag], 1), torch.cat([K.imag, K.real], 1)], 0)
        return F.conv2d(h, Kr, padding=self.size // 2)  # h: (B, 2 c_in, H, W) = (re, im)


class HarmonicCNN(nn.Module):
    """SO(2)-steerable CNN on ``(B, 1, S, S)`` images with an invariant scalar output.

    Channels are complex with SO(2) frequencies ``freqs`` (``copies`` each).  The image is
    first average-pooled 2×2 (``pool_input``), then three harmonic convolutions (``J`` rings,
    band limit ``L``, ``k × k`` kernels) with norm-ReLU between them and one more 2×2 average
    pooling after the first.  Read-out: the disk averages ``a_c = ⟨h_c⟩`` (complex, frequency
    ``m_c``) and ``⟨|h_c|²⟩``; the output is ``head(log(1 + ⟨|h|²⟩)) + Re Σ_c u_c a_c``.  The
    first term is invariant for any weights; the complex read-out ``u`` is in the spec with
    :class:`penalties.FourierMaskProjection` (only ``m_c = 0`` survives), so a model off
    ``Hom_G`` can use the orientation (``Re a_c ∝ cos 2θ`` for ``m_c = 2``) and a projected one
    cannot.  Pooling on even sizes commutes with the quarter turns.  The projector of every layer is :class:`penalties.SO2HarmonicProjection`
    on the coefficients (``k = m_out − m_in`` kept), so the spec has projector entries only.
    Exactly equivariant (hard mode) under the grid's quarter turns; under other angles up to
    interpolation and band-limit error.
    """

    def __init__(self, freqs: tuple[int, ...] = (0, 1, 2), copies: int = 2, ksize: int = 5, n_radial: int = 3,
                 max_freq: int = 3, layers: int = 3, pool_input: bool = True, seed: int = 0):
        super().__init__()
        self.pool_input = pool_input
        gen = torch.Generator().manual_seed(seed)
        fh = np.repeat(np.asarray(freqs), copies)
        self.convs = nn.ModuleList()
        self.spec: dict[str, penalties.LayerSpec] = {}
        fin = np.array([0])
        for li in range(layers):
            P = penalties.SO2HarmonicProjection(fh, fin, n_radial=n_radial, max_freq=max_freq)
            self.convs.append(_HarmonicConv(P, ksize, gen))
            self.spec[f"convs.{li}"] = penalties.LayerSpec(projector=P, param="coef")
            fin = fh
        c = len(fh)
        self.gate_bias = nn.Parameter(torch.zeros(layers - 1, c))
        self.head = nn.Linear(c, 1)
        self.readout = _ComplexReadout(fh, gen)
        self.spec["readout"] = penalties.LayerSpec(projector=penalties.FourierMaskProjection([0], fh))
        self.c = c

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.pool_input:
            x = F.avg_pool2d(x, 2)
        h = torch.cat([x, torch.zeros_like(x)], 1)
        for i, conv in enumerate(self.convs):
            h = conv(h)
            if i < len(self.convs) - 1:
                re, im = h[:, :self.c], h[:, self.c:]
                mod = torch.sqrt(re * re + im * im + 1e-6)
                g = torch.relu(mod + self.gate_bias[i][None, :, None, None]) / mod
                h = torch.cat([re * g, im * g], 1)
                if i == 0:
                    h = F.avg_pool2d(h, 2)
        re, im = h[:, :self.c], h[:, self.c:]
        S = h.shape[-1]
        u = torch.arange(S, dtype=x.dtype) - (S - 1) / 2
        disk = ((u[:, None] ** 2 + u[None, :] ** 2) <= (S / 2) ** 2).to(x.dtype)
        area = disk.sum()
        inv = ((re * re + im * im) * disk).sum((-2, -1)) / area
        a_re, a_im = (re * disk).sum((-2, -1)) / area, (im * disk).sum((-2, -1)) / area
        return self.head(torch.log1p(inv)) + self.readout(a_re, a_im)


class _ComplexReadout(nn.Module):
    """``Re Σ_c u_c a_c`` with a complex weight ``u`` of shape (1, c)."""

    def __init__(self, freqs: np.ndarray, gen: torch.Generator):
        super().__init__()
        c = len(freqs)
        self.weight = nn.Parameter(torch.complex(torch.randn(1, c, generator=gen), torch.randn(1, c, generator=gen))
                                   / math.sqrt(2 * c))

    def forward(self, a_re: torch.Tensor, a_im: torch.Tensor) -> torch.Tensor:
        return a_re @ self.weight.real.T - a_im @ self.weight.imag.T


# --------------------------------------------------------------------------- cost rows
def regular_mlp(group: Any, copies: int = 32, depth: int = 3) -> tuple[nn.Module, dict[str, Any]]:
    """``regular → copies·regular → … → regular`` ReLU MLP and its spec (D8 row of the cost table)."""
    R = Representation.regular(group)
    d = R.dim
    mods: list[nn.Module] = [nn.Linear(d, copies * d), nn.ReLU()]
    for _ in range(depth - 2):
        mods += [nn.Linear(copies * d, copies * d), nn.ReLU()]
    mods.append(nn.Linear(copies * d, d))
    model = nn.Sequential(*mods)
    return model, penalties.mlp_spec(model, R, R)


def so3_mlp(lmax: int = 3, copies: int = 8, depth: int = 3) -> tuple[nn.Module, dict[str, Any]]:
    """MLP between ``copies·(l = 0..lmax)`` fields of SO(3) (cost row; gated nonlinearities in practice)."""
    G = groups.SO3()
    irr = G.irreps(lmax)
    unit = irr[0]
    for r in irr[1:]:
        unit = unit + r
    field = copies * unit
    d = field.dim
    mods: list[nn.Module] = [nn.Linear(d, d)]
    for _ in range(depth - 1):
        mods += [nn.SiLU(), nn.Linear(d, d)]
    model = nn.Sequential(*mods)
    return model, penalties.mlp_spec(model, field, field, hidden=unit, pointwise_ok=True)


def regular_cnn(group: Any, copies: int = 4, ksize: int = 5, layers: int = 3) -> tuple[nn.Module, dict[str, Any]]:
    """Lifting CNN ``1 → copies·regular → … → 1`` with ``k × k`` kernels (D4 row of the cost table)."""
    one, R = Representation.trivial(group), Representation.regular(group)
    c = copies * R.dim
    mods: list[nn.Module] = [nn.Conv2d(1, c, ksize, padding=ksize // 2), nn.ReLU()]
    for _ in range(layers - 2):
        mods += [nn.Conv2d(c, c, ksize, padding=ksize // 2), nn.ReLU()]
    mods.append(nn.Conv2d(c, 1, ksize, padding=ksize // 2))
    model = nn.Sequential(*mods)
    return model, penalties.cnn_spec(model, one, one)
