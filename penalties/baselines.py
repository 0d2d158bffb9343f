"""Baselines for honest comparison, with the same interfaces as the projection penalty (docs/explanation/penalties.md#sample-based, docs/explanation/penalties.md#rpp).

* [`SampleBasedPenalty`][penalties.baselines.SampleBasedPenalty]: ``E_g ‖f(ρ_in(g) x) − ρ_out(g) f(x)‖²`` with ``m`` group draws
  per call (``m`` extra forward passes), one element per batch or (``per_example=True``) one
  per example; [`layerwise_sample_penalty`][penalties.baselines.layerwise_sample_penalty] is its per-layer form
  ``‖ρ_out(g) W − W ρ_in(g)‖²`` (mean ``2‖W − PW‖²``, docs/explanation/penalties.md#orbit-identity).
* [`InterpolatedRotationPenalty`][penalties.baselines.InterpolatedRotationPenalty] and [`rotate_images`][penalties.baselines.rotate_images]: the sample-based penalty for
  continuous rotations of images (bilinear interpolation, one angle per example).
* [`GroupAugmentation`][penalties.baselines.GroupAugmentation]: plain data augmentation, one group element per example.
* [`GeneratorPenalty`][penalties.baselines.GeneratorPenalty]: ``Σ_s ‖ρ_out(s) W − W ρ_in(s)‖² + Σ_a ‖dρ_out(X_a) W − W dρ_in(X_a)‖²``
  (Lie-derivative form for Lie groups), same spec as [`EquivarianceRegularizer`][penalties.EquivarianceRegularizer].
* [`RPPLinear`][penalties.baselines.RPPLinear], [`RPPConv`][penalties.baselines.RPPConv]: Residual Pathway Priors, ``W = P(A) + B`` with
  separate weight decays; at the optimum the same objective as the projection penalty
  with ``λ_G = ab/(a+b)``, ``λ_⊥ = b`` (docs/explanation/penalties.md#rpp); [`rpp_`][penalties.baselines.rpp_] turns any spec'd
  parameter of an existing model into the two pathways ([`RPPPathways`][penalties.baselines.RPPPathways]).

Examples
--------
>>> import torch
>>> from reptheory import groups, Representation
>>> R = Representation.regular(groups.cyclic(4))
>>> lin = RPPLinear(R, R)
>>> lin(torch.randn(2, 4)).shape
torch.Size([2, 4])
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from penalties import _build, _validate
from penalties._groupbank import act_on_fields, as_rng, group_bank
from penalties.errors import SpecError
from penalties.projectors import bias_projection_for, kernel_projection_for, projection_for
from penalties.regularizer import _default_grid, _match, unwrap
from reptheory.errors import GroupMismatchError, InvalidArgumentError

__all__ = [
    "GeneratorPenalty",
    "GroupAugmentation",
    "InterpolatedRotationPenalty",
    "RPPConv",
    "RPPLinear",
    "RPPPathways",
    "SampleBasedPenalty",
    "layerwise_sample_penalty",
    "rotate_images",
    "rpp_",
    "rpp_lambdas",
]


# ----------------------------------------------------------------------------- sample-based
def layerwise_sample_penalty(
    W: torch.Tensor, out_mats: torch.Tensor, in_mats: torch.Tensor, idx: torch.Tensor
) -> torch.Tensor:
    """``(1/m) Σ_j ‖ρ_out(g_j) W − W ρ_in(g_j)‖²`` over the drawn elements ``idx`` (docs/explanation/penalties.md#orbit-identity, docs/explanation/penalties.md#sample-based).

    An unbiased estimate of ``2 ‖W − P(W)‖²`` when ``g_j`` are Haar (uniform) draws.

    Parameters
    ----------
    W : Tensor, shape (d_out, d_in)
    out_mats : Tensor, shape (N, d_out, d_out)
    in_mats : Tensor, shape (N, d_in, d_in)
    idx : Tensor of int64, shape (m,)

    Examples
    --------
    >>> import torch
    >>> swap = torch.tensor([[[1.0, 0.0], [0.0, 1.0]], [[0.0, 1.0], [1.0, 0.0]]])
    >>> W = torch.tensor([[1.0, 0.0], [0.0, 0.0]])
    >>> layerwise_sample_penalty(W, swap, swap, torch.tensor([0, 1]))   # (0 + 2) / 2
    tensor(1.)
    """
    A = out_mats[idx].to(W.dtype)
    B = in_mats[idx].to(W.dtype)
    R = A @ W - W @ B
    return (R * R).sum() / idx.shape[0]


class SampleBasedPenalty(nn.Module):
    """``(1/m) Σ_j mean_x ‖f(ρ_in(g_j) x) − ρ_out(g_j) f(x)‖²`` with m Haar-sampled elements per call.

    Parameters
    ----------
    model : nn.Module
        ``f``; inputs ``(B, d_in)`` vectors or ``(B, d_in, *spatial)`` fields.
    rho_in, rho_out : Representation
    m : int
        Group draws per call (each one extra forward pass over the batch).
    grid : Representation, optional
        For fields: the group's action on the spatial axes (signed permutation matrices).
    output_grid : bool
        Whether the output is a field too (default: when ``grid`` is given).
    bank : tuple, optional
        ``(in_mats, out_mats[, grid_mats])`` for compact Lie groups (Haar samples).
    rng : numpy Generator, int or None
        Draws of group elements (uniform on the bank).
    per_example : bool
        Draw a fresh element for every example of each of the ``m`` copies (the literature's
        estimator, lower variance) instead of one element shared by the whole batch.

    Notes
    -----
    About ``m`` forward and backward passes extra per step, growing with the batch
    (docs/explanation/penalties.md#cost-model); variance decays like ``1/m`` (docs/explanation/penalties.md#sample-based).

    Examples
    --------
    >>> import torch
    >>> from torch import nn
    >>> from reptheory import groups, Representation
    >>> R = Representation.regular(groups.cyclic(4))
    >>> pen = SampleBasedPenalty(nn.Linear(4, 4, bias=False), R, R, m=2, rng=0)
    >>> pen(torch.randn(8, 4)).shape
    torch.Size([])
    """

    def __init__(
        self,
        model: nn.Module,
        rho_in: Any,
        rho_out: Any,
        *,
        m: int = 1,
        grid: Any = None,
        output_grid: bool | None = None,
        bank: Any = None,
        rng: Any = None,
        per_example: bool = False,
    ):
        super().__init__()
        self.m = _validate.check_positive_int(m, "m")
        self.per_example = bool(per_example)
        object.__setattr__(self, "_model", model)
        a, b, g = group_bank(rho_in, rho_out, grid, bank)
        self.register_buffer("in_mats", a)
        self.register_buffer("out_mats", b)
        self.register_buffer("grid_mats", g)
        self.output_grid = (g is not None) if output_grid is None else bool(output_grid)
        self._rng = as_rng(rng)

    def draw(self) -> np.ndarray:
        """Indices of ``m`` uniform draws from the bank."""
        return self._rng.integers(0, self.in_mats.shape[0], size=self.m)

    def forward(self, x: torch.Tensor, fx: torch.Tensor | None = None) -> torch.Tensor:
        """The penalty on the batch ``x``; pass ``fx = f(x)`` to reuse the training forward pass.

        The ``m`` transformed copies of the batch go through the model as one batch of size
        ``m · B`` (same arithmetic as ``m`` passes, less Python overhead).
        """
        f = self._model
        if fx is None:
            fx = f(x)
        if self.per_example:
            B = x.shape[0]
            draws = self._rng.integers(0, self.in_mats.shape[0], size=(self.m, B))
            gx = torch.cat([_act_each(x, self.in_mats, self.grid_mats, d) for d in draws])
            gout = self.grid_mats if self.output_grid else None
            gfx = torch.cat([_act_each(fx, self.out_mats, gout, d) for d in draws])
            r = f(gx) - gfx
            return (r * r).sum() / (self.m * B)
        idx = self.draw()
        gxs, gfxs = [], []
        for j in idx:
            gi = self.grid_mats[j] if self.grid_mats is not None else None
            gxs.append(act_on_fields(x, self.in_mats[j], gi))
            gfxs.append(act_on_fields(fx, self.out_mats[j], gi if self.output_grid else None))
        r = f(torch.cat(gxs)) - torch.cat(gfxs)
        return (r * r).sum() / (self.m * x.shape[0])


def _act_each(x: torch.Tensor, mats: torch.Tensor, grid: torch.Tensor | None, idx: np.ndarray) -> torch.Tensor:
    """``g_b · x_b`` with element ``idx[b]`` of the bank for example ``b`` (fields: grouped by element)."""
    if grid is None:
        M = mats[torch.as_tensor(idx, device=mats.device)]
        if M.is_complex():
            return torch.einsum("bij,bj...->bi...", M.to(x.device), x.to(M.dtype))
        return torch.einsum("bij,bj...->bi...", M.to(device=x.device, dtype=x.dtype), x)
    out: torch.Tensor | None = None
    for u in np.unique(idx):
        sel = torch.as_tensor(np.flatnonzero(idx == u), device=x.device)
        part = act_on_fields(x[sel], mats[int(u)], grid[int(u)])
        if out is None:
            out = part.new_empty((x.shape[0], *part.shape[1:]))
        out[sel] = part
    assert out is not None
    return out


class GroupAugmentation:
    """Plain data augmentation: ``(x_b, y_b) ↦ (ρ_in(g_b) x_b, ρ_out(g_b) y_b)``, one uniform element per example.

    Parameters
    ----------
    rho_in, rho_out : Representation
        ``rho_out`` trivial for invariant targets.
    p : float
        Probability that an example is transformed (the others are left as they are).
    grid, output_grid, bank, rng
        As for [`SampleBasedPenalty`][penalties.baselines.SampleBasedPenalty] (``bank`` for compact Lie groups: Haar samples).

    Examples
    --------
    >>> import torch
    >>> from reptheory import groups, Representation
    >>> R = Representation.regular(groups.cyclic(4))
    >>> aug = GroupAugmentation(R, Representation.trivial(R.group), rng=0)
    >>> x, y = torch.eye(4), torch.ones(4, 1)
    >>> gx, gy = aug(x, y)
    >>> bool((gx.sum(1) == 1).all()), bool((gy == y).all())
    (True, True)
    """

    def __init__(self, rho_in: Any, rho_out: Any, *, p: float = 1.0, grid: Any = None,
                 output_grid: bool | None = None, bank: Any = None, rng: Any = None):
        if not 0.0 <= float(p) <= 1.0:
            raise InvalidArgumentError(f"p={p} must lie in [0, 1]")
        self.p = float(p)
        self.in_mats, self.out_mats, self.grid_mats = group_bank(rho_in, rho_out, grid, bank)
        self.output_grid = (self.grid_mats is not None) if output_grid is None else bool(output_grid)
        self._rng = as_rng(rng)

    def __call__(self, x: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        B = x.shape[0]
        idx = self._rng.integers(0, self.in_mats.shape[0], size=B)
        keep = torch.as_tensor(self._rng.random(B) >= self.p, device=x.device)
        gx = _act_each(x, self.in_mats, self.grid_mats, idx)
        gy = _act_each(y, self.out_mats, self.grid_mats if self.output_grid else None, idx)
        kx = keep.reshape(B, *([1] * (x.dim() - 1)))
        ky = keep.reshape(B, *([1] * (y.dim() - 1)))
        return torch.where(kx, x, gx.to(x.dtype)), torch.where(ky, y, gy.to(y.dtype))


def rotate_images(x: torch.Tensor, angle: Any) -> torch.Tensor:
    """Rotate square images by ``angle`` (radians) about their centre, bilinear, zeros outside.

    ``(R_θ x)(u) = x(R_{−θ} u)`` with coordinates ``u = (row, col)`` about the centre pixel
    position ``(H − 1)/2`` and ``R_θ = [[cos θ, −sin θ], [sin θ, cos θ]]``: the convention of
    [`penalties.spectral.so2_harmonic_basis`][penalties.spectral.so2_harmonic_basis], so ``θ = π/2`` is the exact grid rotation
    ``[[0, −1], [1, 0]]`` (tested).  Other angles interpolate, and corners leave the image.

    Parameters
    ----------
    x : Tensor, shape (B, C, H, H)
    angle : float or Tensor of shape (B,)

    Examples
    --------
    >>> import math, torch
    >>> x = torch.zeros(1, 1, 3, 3); x[0, 0, 0, 1] = 1.0
    >>> rotate_images(x, math.pi / 2)[0, 0].round(decimals=4).abs()
    tensor([[0., 0., 0.],
            [1., 0., 0.],
            [0., 0., 0.]])
    """
    if x.dim() != 4 or x.shape[-1] != x.shape[-2]:
        raise InvalidArgumentError(f"x must have shape (B, C, H, H), got {tuple(x.shape)}")
    B = x.shape[0]
    th = torch.as_tensor(angle, dtype=x.dtype, device=x.device).reshape(-1).expand(B)
    c, s = torch.cos(th), torch.sin(th)
    z = torch.zeros_like(c)
    # affine_grid works in (x = col, y = row): the source of output (row, col) is R_{−θ}(row, col)
    theta = torch.stack([torch.stack([c, -s, z], -1), torch.stack([s, c, z], -1)], -2)
    grid = F.affine_grid(theta, list(x.shape), align_corners=True)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=True)


class InterpolatedRotationPenalty(nn.Module):
    """Sample-based penalty for continuous rotations of images: ``(1/m) Σ_j mean_b ‖f(R_{θ_jb} x_b) − ρ_out(θ_jb) f(x_b)‖²``.

    One angle ``θ ~ U[0, 2π)`` per example and copy, images rotated by [`rotate_images`][penalties.baselines.rotate_images]
    (bilinear interpolation); the ``m`` copies go through the model as one batch.

    Parameters
    ----------
    model : nn.Module
        Maps images ``(B, C, H, H)`` to outputs ``(B, ...)``.
    m : int
        Copies (extra forward passes) per call.
    output_action : callable, optional
        ``(y, angles) → ρ_out(θ) y``; default: invariant outputs (``ρ_out`` trivial).
    rng : numpy Generator, int or None

    Notes
    -----
    Interpolation and the lost corners make even an exactly SO(2)-steerable network pay a small
    penalty; this is the price of the baseline on continuous groups, next to ``m`` extra passes.

    Examples
    --------
    >>> import torch
    >>> from torch import nn
    >>> f = nn.Sequential(nn.Flatten(), nn.Linear(25, 1))
    >>> InterpolatedRotationPenalty(f, m=2, rng=0)(torch.randn(3, 1, 5, 5)).shape
    torch.Size([])
    """

    def __init__(self, model: nn.Module, *, m: int = 1, output_action: Callable[..., torch.Tensor] | None = None,
                 rng: Any = None):
        super().__init__()
        if int(m) < 1:
            raise InvalidArgumentError(f"m={m} must be a positive integer")
        self.m = int(m)
        object.__setattr__(self, "_model", model)
        self.output_action = output_action
        self._rng = as_rng(rng)

    def forward(self, x: torch.Tensor, fx: torch.Tensor | None = None) -> torch.Tensor:
        """The penalty on ``x``; pass ``fx = f(x)`` to reuse the training forward pass."""
        f = self._model
        if fx is None:
            fx = f(x)
        B = x.shape[0]
        ang = torch.as_tensor(self._rng.uniform(0.0, 2 * math.pi, size=self.m * B), dtype=x.dtype, device=x.device)
        xs = rotate_images(x.repeat(self.m, *([1] * (x.dim() - 1))), ang)
        tgt = fx.repeat(self.m, *([1] * (fx.dim() - 1)))
        if self.output_action is not None:
            tgt = self.output_action(tgt, ang)
        r = f(xs) - tgt
        return (r * r).sum() / (self.m * B)


# ----------------------------------------------------------------------------- generator penalty
class _GenResidual(nn.Module):
    """``Σ_s ‖s·W − W‖²`` for generators (and ``‖dρ_out W − W dρ_in‖²`` for Lie algebra elements)."""

    def __init__(self, rho_in: Any, rho_out: Any, src: np.ndarray | None = None, spatial: tuple[int, ...] = ()):
        super().__init__()
        f64 = torch.float64
        self.register_buffer("A", torch.as_tensor(np.array(rho_out.images, dtype=np.float64), dtype=f64))
        self.register_buffer("B", torch.as_tensor(np.array(rho_in.images, dtype=np.float64), dtype=f64))
        self.register_buffer("dA", torch.as_tensor(np.array(rho_out.algebra, dtype=np.float64), dtype=f64))
        self.register_buffer("dB", torch.as_tensor(np.array(rho_in.algebra, dtype=np.float64), dtype=f64))
        self.register_buffer("src", None if src is None else torch.as_tensor(src, dtype=torch.int64))
        self.spatial = spatial

    def forward(self, W: torch.Tensor) -> torch.Tensor:
        A, B = self.A.to(W.dtype), self.B.to(W.dtype)
        total = W.new_zeros(())
        if self.src is None:
            if A.shape[0]:
                R = A @ W - W @ B  # (k, d_out, d_in): ρ_out(s) W − W ρ_in(s)
                total = total + (R * R).sum()
            if self.dA.shape[0]:
                R = self.dA.to(W.dtype) @ W - W @ self.dB.to(W.dtype)
                total = total + (R * R).sum()
            return total
        c_out, c_in = W.shape[0], W.shape[1]
        K = W.reshape(c_out, c_in, -1)
        Ks = K[..., self.src]  # (c_out, c_in, k, T): K(s^{-1} t)
        gK = torch.einsum("koa,abkt,kib->koit", A, Ks, B)  # s·K
        R = gK - K.unsqueeze(0)
        return total + (R * R).sum()


class GeneratorPenalty(nn.Module):
    """Generator residual penalty over the layers of a spec (docs/explanation/penalties.md#generator-penalty; Otto et al. 2023).

    ``λ Σ_layers Σ_s ‖s·W − W‖²`` with ``s·W = ρ_out(s) W ρ_in(s)⁻¹`` (kernels: docs/explanation/convolutions.md#kernel-action),
    plus ``‖dρ_out(X_a) W − W dρ_in(X_a)‖²`` for Lie-algebra generators; biases by
    ``‖ρ_out(s) b − b‖²``.  It vanishes exactly on ``Hom_G`` and equals ``⟨E, L_S E⟩`` with a
    Cayley-graph Laplacian, so it is a reweighted projection penalty.

    Parameters
    ----------
    model, spec
        As for [`EquivarianceRegularizer`][penalties.EquivarianceRegularizer] (projector-only entries are refused).
    lam : float

    Examples
    --------
    >>> from torch import nn
    >>> from reptheory import groups, Representation
    >>> R = Representation.regular(groups.cyclic(4))
    >>> pen = GeneratorPenalty(nn.Linear(4, 4), {"": (R, R)})
    >>> pen().item() > 0
    True
    """

    def __init__(self, model: nn.Module, spec: Mapping[Any, Any], *, lam: float = 1.0):
        super().__init__()
        self.lam = float(lam)
        self.residuals = nn.ModuleList()
        self._entries: list[tuple[nn.Module, str, int]] = []
        cache: dict[Any, int] = {}
        for name, mod, ls in _match(unwrap(model), spec):
            where = f"layer {name or '<root>'!r} ({type(mod).__name__}).{ls.param}"
            if ls.rho_in is None or ls.rho_out is None:
                raise SpecError(f"{where}: GeneratorPenalty needs representations, not a projector")
            if ls.rho_in.group != ls.rho_out.group:
                raise GroupMismatchError(f"{where}: rho_in and rho_out are representations of different groups")
            p = getattr(mod, ls.param)
            _build.check_floating(p.dtype, where)
            if isinstance(mod, nn.modules.conv._ConvNd) and ls.param == "weight":
                spatial = tuple(p.shape[2:])
                _build.check_weight_shape(tuple(p.shape), (ls.rho_out.dim, ls.rho_in.dim, *spatial), where)
                grid = _default_grid(ls, len(spatial), where)
                mats = _build.grid_matrices(grid, len(spatial), where)
                offs = _build.grid_offsets(spatial)
                src = np.stack([_build._offset_index(spatial, offs @ g) for g in mats])
                key: Any = ("conv", ls.rho_in.key, ls.rho_out.key, grid.key, spatial)
                if key not in cache:
                    self.residuals.append(_GenResidual(ls.rho_in, ls.rho_out, src, spatial))
                    cache[key] = len(self.residuals) - 1
            else:
                _build.check_weight_shape(tuple(p.shape), (ls.rho_out.dim, ls.rho_in.dim), where)
                key = ("hom", ls.rho_in.key, ls.rho_out.key)
                if key not in cache:
                    self.residuals.append(_GenResidual(ls.rho_in, ls.rho_out))
                    cache[key] = len(self.residuals) - 1
            self._entries.append((mod, ls.param, cache[key]))
            b = getattr(mod, "bias", None) if ls.bias else None
            if isinstance(b, torch.Tensor):
                from reptheory.reps.representation import Representation

                one = Representation.trivial(ls.rho_out.group)
                bkey = ("bias", ls.rho_out.key)
                if bkey not in cache:
                    self.residuals.append(_GenResidual(one, ls.rho_out))
                    cache[bkey] = len(self.residuals) - 1
                self._entries.append((mod, "bias", cache[bkey]))

    def forward(self) -> torch.Tensor:
        """The summed generator residual times ``lam``."""
        total = None
        for mod, pname, j in self._entries:
            w = getattr(mod, pname)
            w = w.unsqueeze(-1) if pname == "bias" else w
            v = self.residuals[j](w.float() if w.dtype in (torch.float16, torch.bfloat16) else w)
            total = v if total is None else total + v
        return self.lam * total if total is not None else torch.zeros(())


# ----------------------------------------------------------------------------- RPP
def rpp_lambdas(a: float, b: float) -> tuple[float, float]:
    """``(λ_G, λ_⊥) = (ab/(a+b), b)``: the projection penalty equal to RPP's optimum (docs/explanation/penalties.md#rpp).

    Examples
    --------
    >>> rpp_lambdas(1.0, 1.0)
    (0.5, 1.0)
    """
    a, b = _validate.check_lambda(a, "a"), _validate.check_lambda(b, "b")  # type: ignore[assignment]
    if a + b == 0:
        raise InvalidArgumentError(f"weight decays a={a}, b={b} must be >= 0 and not both 0")
    return a * b / (a + b), b


class _RPPMixin(nn.Module):
    """Shared parts: ``W = P(A) + B`` and the two-weight prior."""

    proj: nn.Module
    weight_eq: nn.Parameter
    weight_res: nn.Parameter
    bias_eq: nn.Parameter | None
    bias_res: nn.Parameter | None
    bias_proj: nn.Module | None

    def _init_pathways(
        self, proj: nn.Module, rho_out: Any, shape: tuple[int, ...], fan_in: int, bias: bool, residual_scale: float
    ) -> None:
        """Both weight pathways (uniform ``±1/√fan_in``, residual scaled), optional biases, float32 projectors."""
        self.proj = proj
        bound = 1.0 / math.sqrt(fan_in)
        self.weight_eq = nn.Parameter(torch.empty(*shape).uniform_(-bound, bound))
        self.weight_res = nn.Parameter(torch.empty(*shape).uniform_(-bound, bound) * residual_scale)
        if bias:
            self.bias_proj = bias_projection_for(rho_out)
            self.bias_eq = nn.Parameter(torch.empty(shape[0]).uniform_(-bound, bound))
            self.bias_res = nn.Parameter(torch.zeros(shape[0]))
        else:
            self.bias_proj = None
            self.register_parameter("bias_eq", None)
            self.register_parameter("bias_res", None)
        self.proj.float()
        if self.bias_proj is not None:
            self.bias_proj.float()

    @property
    def weight(self) -> torch.Tensor:
        """The effective weight ``P(A) + B``."""
        return self.proj(self.weight_eq) + self.weight_res

    @property
    def bias(self) -> torch.Tensor | None:
        """The effective bias ``P_b(a) + b`` (or None)."""
        if self.bias_eq is None or self.bias_proj is None or self.bias_res is None:
            return None
        return self.bias_proj(self.bias_eq) + self.bias_res

    def prior(self, a: float, b: float) -> torch.Tensor:
        """``a ‖P(A)‖² + b ‖B‖²`` (biases included): RPP's objective as an explicit penalty."""
        PA = self.proj(self.weight_eq)
        val = a * (PA * PA).sum() + b * (self.weight_res * self.weight_res).sum()
        if self.bias_eq is not None and self.bias_proj is not None and self.bias_res is not None:
            pb = self.bias_proj(self.bias_eq)
            val = val + a * (pb * pb).sum() + b * (self.bias_res * self.bias_res).sum()
        return val

    def param_groups(self, a: float, b: float) -> list[dict[str, Any]]:
        """Optimizer groups with weight decay ``a`` on the equivariant pathway and ``b`` on the residual."""
        eq = [self.weight_eq] + ([self.bias_eq] if self.bias_eq is not None else [])
        res = [self.weight_res] + ([self.bias_res] if self.bias_res is not None else [])
        return [{"params": eq, "weight_decay": a}, {"params": res, "weight_decay": b}]


class RPPLinear(_RPPMixin):
    """Residual Pathway Prior linear layer (Finzi, Benton, Wilson 2021): ``y = (P(A) + B) x + b``.

    Parameters
    ----------
    rho_in, rho_out : Representation
    bias : bool
    residual_scale : float
        Initial scale of ``B`` relative to ``A`` (RPP starts close to equivariant).

    Notes
    -----
    Twice the parameters and one projection per forward pass (docs/explanation/penalties.md#cost-model).  The minimum of
    ``a‖P(A)‖² + b‖B‖²`` over all splits of a fixed ``W`` is
    ``(ab/(a+b))‖PW‖² + b‖W − PW‖²`` (docs/explanation/penalties.md#rpp, tested).

    Examples
    --------
    >>> from reptheory import groups, Representation
    >>> R = Representation.regular(groups.cyclic(4))
    >>> RPPLinear(R, R).weight.shape
    torch.Size([4, 4])
    """

    def __init__(self, rho_in: Any, rho_out: Any, *, bias: bool = True, residual_scale: float = 0.1):
        super().__init__()
        d_in, d_out = rho_in.dim, rho_out.dim
        self._init_pathways(projection_for(rho_in, rho_out), rho_out, (d_out, d_in), d_in, bias, residual_scale)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.linear(x, self.weight, self.bias)


class RPPConv(_RPPMixin):
    """Residual Pathway Prior convolution: kernel ``P(A) + B`` with ``P`` the grid-group projector.

    Parameters
    ----------
    rho_in, rho_out : Representation
        Channel representations.
    kernel_size : int or tuple
    grid : Representation, optional
        The group's action on the kernel grid (default: the defining representation).
    ndim : int
        1, 2 or 3 spatial dimensions.
    **conv_kwargs
        ``stride``, ``padding``, ``dilation``, ``padding_mode`` as in ``nn.Conv2d``.

    Examples
    --------
    >>> import torch
    >>> from reptheory import groups, Representation
    >>> G = groups.square_rotations()
    >>> conv = RPPConv(Representation.trivial(G), Representation.regular(G), 3, padding=1)
    >>> conv(torch.randn(1, 1, 5, 5)).shape
    torch.Size([1, 4, 5, 5])
    """

    def __init__(
        self,
        rho_in: Any,
        rho_out: Any,
        kernel_size: Any,
        *,
        grid: Any = None,
        ndim: int = 2,
        bias: bool = True,
        residual_scale: float = 0.1,
        **conv_kwargs: Any,
    ):
        super().__init__()
        from penalties.regularizer import LayerSpec

        ks = (kernel_size,) * ndim if isinstance(kernel_size, int) else tuple(kernel_size)
        grid = _default_grid(LayerSpec(rho_in, rho_out, grid=grid), len(ks), "RPPConv")
        c_in, c_out = rho_in.dim, rho_out.dim
        self._init_pathways(
            kernel_projection_for(rho_in, rho_out, grid, ks), rho_out, (c_out, c_in, *ks), c_in * math.prod(ks),
            bias, residual_scale,
        )
        self._conv: Callable[..., torch.Tensor] = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}[len(ks)]
        self.conv_kwargs = conv_kwargs

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self._conv(x, self.weight, self.bias, **self.conv_kwargs)


def _sq(t: torch.Tensor) -> torch.Tensor:
    """``‖t‖²`` as a real tensor."""
    return torch.view_as_real(t).square().sum() if t.is_complex() else (t * t).sum()


class _ResidualPathway(nn.Module):
    """Parametrization ``A ↦ P(A) + B`` with the residual ``B`` a parameter of its own."""

    def __init__(self, proj: nn.Module, shape: tuple[int, ...] | None, residual: torch.Tensor):
        super().__init__()
        self.proj = proj
        self.shape = shape
        self.residual = nn.Parameter(residual)

    def equivariant(self, A: torch.Tensor) -> torch.Tensor:
        if self.shape is None:
            return self.proj(A)
        return self.proj(A.reshape(self.shape)).reshape(A.shape)

    def forward(self, A: torch.Tensor) -> torch.Tensor:
        return self.equivariant(A) + self.residual

    def right_inverse(self, W: torch.Tensor) -> torch.Tensor:
        return W


class RPPPathways(nn.Module):
    """The pathways created by [`rpp_`][penalties.baselines.rpp_]: RPP's prior and optimiser groups for a whole model.

    Examples
    --------
    >>> from torch import nn
    >>> from reptheory import groups, Representation
    >>> R = Representation.regular(groups.cyclic(4))
    >>> paths = rpp_(nn.Linear(4, 4), {"": (R, R)})
    >>> len(paths.equivariant_params()), len(paths.residual_params())
    (2, 2)
    """

    def __init__(self, entries: list[tuple[nn.Module, str]]):
        super().__init__()
        self._entries = entries

    def _pathways(self) -> list[tuple[_ResidualPathway, torch.Tensor]]:
        out = []
        for mod, name in self._entries:
            par = mod.parametrizations[name]
            out.append((par[0], par.original))
        return out

    def equivariant_params(self) -> list[nn.Parameter]:
        """The free ``A`` of every pathway (the model sees ``P(A)``)."""
        return [A for _, A in self._pathways()]

    def residual_params(self) -> list[nn.Parameter]:
        """The residuals ``B``."""
        return [pw.residual for pw, _ in self._pathways()]

    def forward(self, a: float, b: float) -> torch.Tensor:
        """``a Σ ‖P(A)‖² + b Σ ‖B‖²``: RPP's prior as an explicit penalty (real, also for complex weights)."""
        total = torch.zeros(())
        for pw, A in self._pathways():
            total = total + a * _sq(pw.equivariant(A)) + b * _sq(pw.residual)
        return total

    def param_groups(self, a: float, b: float) -> list[dict[str, Any]]:
        """Optimizer groups with weight decay ``a`` on the ``A`` and ``b`` on the ``B`` (decoupled decay)."""
        return [{"params": self.equivariant_params(), "weight_decay": a},
                {"params": self.residual_params(), "weight_decay": b}]


def rpp_(model: nn.Module, spec: Any, *, residual_scale: float = 0.1) -> RPPPathways:
    """Residual Pathway Priors on an existing model: every spec'd parameter becomes ``W = P(A) + B``.

    Works for any entry [`EquivarianceRegularizer`][penalties.EquivarianceRegularizer] accepts (weights, biases,
    kernels, projector entries such as harmonic coefficients).  ``A`` starts at the current
    weight ``W₀`` and ``B`` at ``residual_scale · (W₀ − P W₀)``, so ``residual_scale = 1``
    leaves the initial function unchanged and ``0`` starts exactly equivariant.  Through
    `torch.nn.utils.parametrize`; undo with [`penalties.unconstrain_`][penalties.unconstrain_].

    Returns
    -------
    RPPPathways
        ``paths(a, b)`` is the prior ``a‖P(A)‖² + b‖B‖²``, equal at its optimum over splits to the
        projection penalty with ``(λ_G, λ_⊥) = rpp_lambdas(a, b)`` (docs/explanation/penalties.md#rpp).

    Examples
    --------
    >>> import torch
    >>> from torch import nn
    >>> from reptheory import groups, Representation
    >>> R = Representation.regular(groups.cyclic(3))
    >>> lin = nn.Linear(3, 3)
    >>> paths = rpp_(lin, {"": (R, R)}, residual_scale=0.0)
    >>> bool(torch.allclose(lin.weight, torch.roll(lin.weight, (1, 1), (0, 1))))
    True
    """
    from torch.nn.utils import parametrize

    from penalties.regularizer import EquivarianceRegularizer

    if residual_scale < 0:
        raise InvalidArgumentError(f"residual_scale={residual_scale} must be >= 0")
    reg = spec if isinstance(spec, EquivarianceRegularizer) else EquivarianceRegularizer(model, spec)
    entries = []
    for e in reg._entries:
        W = getattr(e.module, e.param).detach()
        P = reg.projectors[e.proj]
        PW = (P(W) if e.reshape is None else P(W.reshape(e.reshape)).reshape(W.shape)).to(W.dtype)
        pw = _ResidualPathway(P, e.reshape, (residual_scale * (W - PW)).clone())
        parametrize.register_parametrization(e.module, e.param, pw)
        entries.append((e.module, e.param))
    return RPPPathways(entries)
