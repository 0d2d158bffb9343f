"""Shared backbones with a method switch on every linear / conv weight (BENCHMARKS.md section 3).

Every weight lives in a :class:`PWeight`, which knows its projector ``P`` and realises one of
the methods:

=============  ==========================  ==============================================
kind           effective weight            penalty (per weight)
=============  ==========================  ==============================================
``free``       ``W``                       ``wd ‖W‖²`` (plain weight decay, tuned)
``hard``       ``P(V)``                    ``wd ‖V‖²``
``proj``       ``W``                       ``λ_G ‖P W‖² + λ_⊥ ‖W − P W‖²`` (ours)
``proj0``      ``W``, init. in Hom_G         same as ``proj`` (ablation: initialised like ``hard``)
``spectral``   ``W``                       same, ``‖W − P W‖²`` computed in the C4 Fourier basis
``gen``        ``W``                       ``λ Σ_a ‖dρ_out(X_a) W − W dρ_in(X_a)‖² + …``
``rpp``        ``P(A) + B``                ``a ‖P A‖² + b ‖B‖²`` (Residual Pathway Prior)
``sample``     ``W``                       none here; the loop adds the function-space term
=============  ==========================  ==============================================

The projection penalty itself is :func:`penalties.functional.projection_penalty`.

Backbones: :class:`HarmonicSO2Net` (T1), :class:`PlainMLP` (T1 baseline), :class:`TensorFieldMLP`
(T2, T3: O(n) fields of rank 0, 1, 2 with gated and bilinear nonlinearities, MATH.md 7.8),
:class:`RegularCNN` (T4: C4/D4 lifting CNN with regular fields) and :class:`RegularMLP` (T6: D8).

Examples
--------
>>> import torch
>>> net = TensorFieldMLP(3, [(0, 5), (1, 5)], [(2, 1)], width=4, kind="hard")
>>> g = torch.linalg.qr(torch.randn(3, 3, dtype=torch.float64))[0].float()
>>> x = torch.randn(7, 20)
>>> err = (net(net.act_in(g, x)) - net.act_out(g, net(x))).abs().max().item()
>>> err < 1e-4
True
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from experiments.groups import (
    BlockHomProjector,
    FiniteMatrixGroup,
    GatherMeanProjector,
    MaskProjector,
    SpectralC4Projector,
)

try:  # the library's functional penalty (another helper's module)
    from penalties.functional import projection_penalty
except ImportError:  # pragma: no cover - fallback while the library is in flight
    def projection_penalty(weight, projector, *, lambda_eq=0.0, lambda_perp=1.0, **_):  # type: ignore[no-redef]
        PW = projector(weight)
        out = lambda_perp * ((weight - PW) ** 2).sum()
        return out + lambda_eq * (PW**2).sum() if lambda_eq else out

__all__ = [
    "HarmonicSO2Net",
    "Method",
    "PWeight",
    "PlainMLP",
    "RegularCNN",
    "RegularMLP",
    "TensorFieldMLP",
    "model_defect",
    "model_penalty",
]

KINDS = ("free", "hard", "proj", "proj0", "spectral", "gen", "rpp", "sample")


@dataclass(frozen=True)
class Method:
    """One method with its hyper-parameters (see the module table)."""

    name: str
    kind: str
    lam_G: float = 0.0
    lam_perp: float = 0.0
    lam: float = 0.0
    m: int = 0
    a: float = 0.0
    b: float = 0.0
    wd: float = 0.0

    def label(self) -> str:
        k = self.kind
        if k in ("free", "hard"):
            return f"wd={self.wd:g}"
        if k in ("proj", "proj0", "spectral"):
            return f"λ_G={self.lam_G:g}, λ_⊥={self.lam_perp:g}"
        if k == "rpp":
            return f"a={self.a:g}, b={self.b:g}"
        if k == "sample":
            return f"λ={self.lam:g}, m={self.m}"
        return f"λ={self.lam:g}"


class PWeight(nn.Module):
    """A weight tensor with its projector and the method switch (module table)."""

    def __init__(self, init: torch.Tensor, projector: nn.Module, kind: str, spectral: nn.Module | None = None):
        super().__init__()
        if kind not in KINDS:
            raise ValueError(f"kind={kind!r} is not one of {KINDS}")
        self.kind = kind
        self.P = projector
        self.spectral = spectral
        raw = init
        if kind in ("hard", "rpp", "proj0"):
            # start the effective weight at the norm of an unconstrained draw
            with torch.no_grad():
                Pi = projector(init)
                scale = float(init.norm()) / max(float(Pi.norm()), 1e-12)
                init = Pi * scale if float(Pi.norm()) > 0 else init
        if kind == "rpp":
            self.A = nn.Parameter(init.clone())
            self.B = nn.Parameter(raw.clone() * 0.1)
        else:
            self.W = nn.Parameter(init.clone())

    def forward(self) -> torch.Tensor:
        if self.kind == "hard":
            return self.P(self.W)
        if self.kind == "rpp":
            return self.P(self.A) + self.B
        return self.W

    def penalty(self, m: Method) -> torch.Tensor:
        k = self.kind
        if k in ("free", "hard"):
            return m.wd * (self.W**2).sum() if m.wd else self.W.new_zeros(())
        if k in ("proj", "proj0"):
            return projection_penalty(self.W, self.P, lambda_eq=m.lam_G, lambda_perp=m.lam_perp)
        if k == "spectral":
            assert self.spectral is not None
            out = m.lam_perp * self.spectral.defect(self.W)
            return out + m.lam_G * (self.spectral(self.W) ** 2).sum() if m.lam_G else out
        if k == "gen":
            return m.lam * self.P.generator_residual(self.W)
        if k == "rpp":
            return m.a * (self.P(self.A) ** 2).sum() + m.b * (self.B**2).sum()
        return self.W.new_zeros(())

    @torch.no_grad()
    def defect(self) -> tuple[float, float]:
        """``(‖W − P W‖², ‖W‖²)`` of the effective weight."""
        W = self()
        return float(((W - self.P(W)) ** 2).sum()), float((W**2).sum())


def model_penalty(model: nn.Module, m: Method) -> torch.Tensor:
    """Sum of the per-weight penalties of ``model`` for method ``m``."""
    tot = torch.zeros(())
    for mod in model.modules():
        if isinstance(mod, PWeight):
            tot = tot + mod.penalty(m)
    return tot


def model_defect(model: nn.Module) -> float:
    """Layer defect ``Σ_l ‖W_l − P W_l‖² / Σ_l ‖W_l‖²`` of the effective weights (BENCHMARKS 1)."""
    num = den = 0.0
    for mod in model.modules():
        if isinstance(mod, PWeight):
            a, b = mod.defect()
            num, den = num + a, den + b
    return num / max(den, 1e-30)


# --------------------------------------------------------------------------- T1: SO(2)
class HarmonicSO2Net(nn.Module):
    """The harmonic model of the SO(2) toy (BENCHMARKS T1).

    ``z_{m,c} = e^{imφ} b_c(r)`` (``m = −M..M``, ``C`` Gaussian radial channels on ``[0, 4]``);
    two complex linear layers (stored as real/imaginary pairs, shape (2, d_out, d_in)) with
    ``channels`` copies per frequency and a phase-preserving nonlinearity ``h ↦ h |h|/(1 + |h|)``
    between them; the invariant contraction ``|h_{m,c}|²``; a real linear head to one logit.
    P is the frequency mask (MATH.md 3.4); the generator residual weights entries by
    ``(m_out − m_in)²``.  ``invariant_output = True``: ``f(R x) = f(x)`` is the symmetry.
    """

    invariant_output = True

    def __init__(self, kind: str = "free", max_freq: int = 4, radial: int = 4, channels: int = 8,
                 r_max: float = 4.0, seed: int = 0):
        super().__init__()
        gen = torch.Generator().manual_seed(seed)
        freqs = np.arange(-max_freq, max_freq + 1)
        self.register_buffer("freqs", torch.as_tensor(freqs, dtype=torch.float32))
        self.register_buffer("centres", torch.linspace(0.0, r_max, radial))
        self.width = r_max / max(radial - 1, 1)
        f_in = np.repeat(freqs, radial)
        f_hid = np.repeat(freqs, channels)
        self.layers = nn.ModuleList()
        for fo, fi in ((f_hid, f_in), (f_hid, f_hid)):
            mask = (fo[:, None] == fi[None, :]).astype(np.float64)
            w = ((fo[:, None] - fi[None, :]) ** 2).astype(np.float64)
            P = MaskProjector(np.stack([mask, mask]), np.stack([w, w]))
            init = torch.randn(2, len(fo), len(fi), generator=gen) / math.sqrt(2 * len(fi))
            self.layers.append(PWeight(init, P, kind))
        self.head = nn.Linear(len(f_hid), 1)

    def features(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        r = torch.linalg.norm(x, dim=-1, keepdim=True)
        phi = torch.atan2(x[..., 1], x[..., 0])[..., None]
        b = torch.exp(-0.5 * ((r - self.centres) / self.width) ** 2)  # (n, C)
        ang = phi * self.freqs  # (n, F)
        re = (torch.cos(ang)[..., :, None] * b[..., None, :]).flatten(-2)
        im = (torch.sin(ang)[..., :, None] * b[..., None, :]).flatten(-2)
        return re, im

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        re, im = self.features(x)
        for i, lay in enumerate(self.layers):
            W = lay()
            re, im = re @ W[0].T - im @ W[1].T, re @ W[1].T + im @ W[0].T
            if i == 0:
                mod = torch.sqrt(re**2 + im**2 + 1e-8)
                s = mod / (1 + mod)
                re, im = re * s, im * s
        inv = torch.log1p(re**2 + im**2)
        return self.head(inv).squeeze(-1)

    @staticmethod
    def act_in(angle: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
        c, s = torch.cos(angle), torch.sin(angle)
        return torch.stack([c * x[..., 0] - s * x[..., 1], s * x[..., 0] + c * x[..., 1]], dim=-1)


class PlainMLP(nn.Module):
    """The plain MLP baseline (hidden width 96, depth 4, GELU)."""

    invariant_output = True

    def __init__(self, d_in: int = 2, d_out: int = 1, width: int = 96, depth: int = 4):
        super().__init__()
        layers: list[nn.Module] = []
        d = d_in
        for _ in range(depth):
            layers += [nn.Linear(d, width), nn.GELU()]
            d = width
        layers.append(nn.Linear(d, d_out))
        self.net = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x).squeeze(-1)


# --------------------------------------------------------------------------- T2, T3: O(n) fields
def _act(n: int, layout: list[tuple[int, int]], g: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    parts, i = [], 0
    for r, c in layout:
        d = n**r
        sub = x[..., i:i + c * d].reshape(*x.shape[:-1], c, *([n] * r))
        if r == 1:
            sub = sub @ g.T
        elif r == 2:
            sub = g @ sub @ g.T
        parts.append(sub.reshape(*x.shape[:-1], c * d))
        i += c * d
    return torch.cat(parts, dim=-1)


class TensorFieldMLP(nn.Module):
    """EMLP-style MLP on O(n) tensor fields of rank 0, 1, 2 (BENCHMARKS T2, T3; MATH.md 7.8).

    Each hidden layer maps ``⊕ c_a V^{⊗a} ⊕ 1`` (the constant 1 carries the bias, MATH.md 7.7)
    to ``(w + 2w) scalars ⊕ 3w vectors ⊕ w matrices``.  The nonlinearity: SiLU on ``w`` scalars,
    sigmoid gates (``2w`` scalars) on ``w`` vectors and on ``w`` matrices ``M + a bᵀ`` (bilinear
    term from the remaining ``2w`` vectors), giving ``w·1 ⊕ w·V ⊕ w·V⊗V``.  With the weights in
    ``Hom_{O(n)}`` the network is exactly O(n)-equivariant.
    """

    invariant_output = False

    def __init__(self, n: int, layout_in: list[tuple[int, int]], layout_out: list[tuple[int, int]],
                 width: int = 16, depth: int = 2, kind: str = "free", seed: int = 0):
        super().__init__()
        gen = torch.Generator().manual_seed(seed)
        self.n, self.w = n, width
        self.layout_in, self.layout_out = list(layout_in), list(layout_out)
        w = width
        lay_hid_out = [(0, 3 * w), (1, 3 * w), (2, w)]
        lay_hid_in = [(0, w), (1, w), (2, w)]
        self.layers = nn.ModuleList()
        cur = list(layout_in)
        for li in range(depth + 1):
            out = lay_hid_out if li < depth else list(layout_out)
            P = BlockHomProjector(n, cur + [(0, 1)], out)
            init = torch.randn(P.d_out, P.d_in, generator=gen) / math.sqrt(P.d_in)
            init[:, -1] = 0.0
            self.layers.append(PWeight(init, P, kind))
            cur = lay_hid_in

    def _nonlin(self, h: torch.Tensor) -> torch.Tensor:
        n, w = self.n, self.w
        s = h[..., :3 * w]
        v = h[..., 3 * w:3 * w + 3 * w * n].reshape(*h.shape[:-1], 3 * w, n)
        M = h[..., 3 * w + 3 * w * n:].reshape(*h.shape[:-1], w, n, n)
        gv, gm = torch.sigmoid(s[..., w:2 * w]), torch.sigmoid(s[..., 2 * w:])
        vec = v[..., :w, :] * gv[..., None]
        mat = (M + v[..., w:2 * w, :, None] * v[..., 2 * w:, None, :]) * gm[..., None, None]
        return torch.cat([F.silu(s[..., :w]), vec.flatten(-2), mat.flatten(-3)], dim=-1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        one = torch.ones(*x.shape[:-1], 1, dtype=x.dtype)
        h = x
        for i, lay in enumerate(self.layers):
            h = torch.cat([h, one], dim=-1) @ lay().T
            if i < len(self.layers) - 1:
                h = self._nonlin(h)
        return h

    def act_in(self, g: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
        return _act(self.n, self.layout_in, g, x)

    def act_out(self, g: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        return _act(self.n, self.layout_out, g, y)


# --------------------------------------------------------------------------- T4: regular CNN
def _kernel_perms(G: FiniteMatrixGroup, g_out: bool, g_in: bool, c_out: int, c_in: int, k: int) -> np.ndarray:
    """Index permutations of ``(g·K).flat = K.flat[perm[g]]`` for regular/trivial channel fields."""
    n = G.order
    h = k // 2
    inv = G.inverse
    go, gi = (n if g_out else 1), (n if g_in else 1)
    co, ho, ci, hi, a, b = np.meshgrid(np.arange(c_out), np.arange(go), np.arange(c_in), np.arange(gi),
                                       np.arange(k), np.arange(k), indexing="ij")
    perms = []
    for g in range(n):
        gi_ = inv[g]
        M = np.rint(G.elements[gi_]).astype(np.int64)
        ho2 = G.table[gi_, ho] if g_out else ho
        hi2 = G.table[gi_, hi] if g_in else hi
        t = np.stack([a - h, b - h], axis=-1) @ M.T  # g^{-1} t
        a2, b2 = t[..., 0] + h, t[..., 1] + h
        flat = ((((co * go + ho2) * (c_in * gi) + ci * gi + hi2) * k + a2) * k + b2)
        perms.append(flat.reshape(-1))
    return np.stack(perms)


def _bias_perms(G: FiniteMatrixGroup, regular: bool, c: int) -> np.ndarray:
    if not regular:
        return np.tile(np.arange(c), (G.order, 1))
    cc, hh = np.meshgrid(np.arange(c), np.arange(G.order), indexing="ij")
    return np.stack([(cc * G.order + G.table[G.inverse[g], hh]).reshape(-1) for g in range(G.order)])


def grid_perm(G: FiniteMatrixGroup, size: int) -> np.ndarray:
    """``(g·u).flat = u.flat[perm[g]]`` for scalar fields on a periodic ``size²`` grid."""
    a, b = np.meshgrid(np.arange(size), np.arange(size), indexing="ij")
    out = []
    for g in range(G.order):
        M = np.rint(G.elements[G.inverse[g]]).astype(np.int64)
        t = np.stack([a, b], axis=-1) @ M.T
        out.append(((t[..., 0] % size) * size + (t[..., 1] % size)).reshape(-1))
    return np.stack(out)


class RegularCNN(nn.Module):
    """Lifting CNN with regular fields of a grid group (BENCHMARKS T4; MATH.md 8.1–8.3).

    Scalar field → ``c`` regular fields (lifting conv) → ``hidden`` regular-to-regular convs
    with ReLU → scalar field; ``k × k`` kernels, circular padding.  Kernels and biases are
    projected by orbit averaging; ``kind="spectral"`` (C4 only) penalises ``‖K − P K‖²`` in the
    Fourier basis of C4 instead.
    """

    invariant_output = False

    def __init__(self, G: FiniteMatrixGroup, channels: int = 1, hidden: int = 2, ksize: int = 5,
                 kind: str = "free", seed: int = 0):
        super().__init__()
        gen = torch.Generator().manual_seed(seed)
        self.G, self.k = G, ksize
        n = G.order
        specs = [(True, False, channels, 1)] + [(True, True, channels, channels)] * hidden + [(False, True, 1, channels)]
        self.weights, self.biases = nn.ModuleList(), nn.ModuleList()
        for g_out, g_in, c_out, c_in in specs:
            d_out, d_in = c_out * (n if g_out else 1), c_in * (n if g_in else 1)
            shape = (d_out, d_in, ksize, ksize)
            P = GatherMeanProjector(_kernel_perms(G, g_out, g_in, c_out, c_in, ksize), shape, G.generators)
            spec = None
            if kind == "spectral":
                if n != 4:
                    raise ValueError("the spectral projector is implemented for C4 only")
                spec = SpectralC4Projector(c_out, 4 if g_out else 1, c_in, 4 if g_in else 1, ksize)
            init = torch.randn(shape, generator=gen) * math.sqrt(2.0 / (d_in * ksize * ksize))
            self.weights.append(PWeight(init, P, kind, spectral=spec))
            Pb = GatherMeanProjector(_bias_perms(G, g_out, c_out), (d_out,), G.generators)
            self.biases.append(PWeight(torch.zeros(d_out), Pb, "proj" if kind == "spectral" else kind))
        self._gp: dict[int, torch.Tensor] = {}

    def forward(self, u: torch.Tensor) -> torch.Tensor:
        h = u[:, None]
        p = self.k // 2
        for i, (w, b) in enumerate(zip(self.weights, self.biases)):
            h = F.conv2d(F.pad(h, (p, p, p, p), mode="circular"), w(), b())
            if i < len(self.weights) - 1:
                h = F.relu(h)
        return h[:, 0]

    def _perm(self, size: int) -> torch.Tensor:
        if size not in self._gp:
            self._gp[size] = torch.as_tensor(grid_perm(self.G, size))
        return self._gp[size]

    def act_in(self, g: int, u: torch.Tensor) -> torch.Tensor:
        s = u.shape[-1]
        return u.reshape(*u.shape[:-2], -1)[..., self._perm(s)[g]].reshape(u.shape)

    act_out = act_in


# --------------------------------------------------------------------------- T6: D8 MLP
class RegularMLP(nn.Module):
    """MLP between multiples of the regular representation of a finite group (pointwise ReLU)."""

    invariant_output = False

    def __init__(self, G: FiniteMatrixGroup, copies: tuple[int, ...] = (8, 8, 8, 1), kind: str = "free", seed: int = 0):
        super().__init__()
        gen = torch.Generator().manual_seed(seed)
        self.G = G
        n = G.order
        self.layers, self.biases = nn.ModuleList(), nn.ModuleList()
        for ci, co in itertools.pairwise(copies):
            oo, hh_o, cc, hh_i = np.meshgrid(np.arange(co), np.arange(n), np.arange(ci), np.arange(n), indexing="ij")
            perms = np.stack([((oo * n + G.table[G.inverse[g], hh_o]) * (ci * n) + cc * n
                               + G.table[G.inverse[g], hh_i]).reshape(-1) for g in range(n)])
            P = GatherMeanProjector(perms, (co * n, ci * n), G.generators)
            init = torch.randn(co * n, ci * n, generator=gen) / math.sqrt(ci * n)
            self.layers.append(PWeight(init, P, kind))
            self.biases.append(PWeight(torch.zeros(co * n), GatherMeanProjector(_bias_perms(G, True, co), (co * n,),
                                                                                 G.generators), kind))
        self.copies = copies

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = x
        for i, (w, b) in enumerate(zip(self.layers, self.biases)):
            h = h @ w().T + b()
            if i < len(self.layers) - 1:
                h = F.relu(h)
        return h

    def _act(self, g: int, x: torch.Tensor) -> torch.Tensor:
        n = self.G.order
        c = x.shape[-1] // n
        src = self.G.table[self.G.inverse[g], np.arange(n)]
        return x.reshape(*x.shape[:-1], c, n)[..., torch.as_tensor(src)].reshape(x.shape)

    act_in = _act
    act_out = _act
