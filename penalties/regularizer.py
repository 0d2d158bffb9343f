"""Model-level regulariser, specs, hard projection and hard constraints (docs/explanation/penalties.md#the-penalty, docs/explanation/penalties.md#biases, docs/explanation/convolutions.md#convolutions).

A *spec* maps module names (exact or ``fnmatch`` patterns such as ``"blocks.*.fc"``), module
types (``nn.Linear``) to a [`LayerSpec`][penalties.regularizer.LayerSpec] or a tuple ``(rho_in, rho_out)`` /
``(rho_in, rho_out, grid)``.  [`EquivarianceRegularizer`][penalties.regularizer.EquivarianceRegularizer] resolves it once, builds one
torch projector per distinct layer type (buffers, so ``.to()`` and ``state_dict`` work) and
returns ``Σ_layers λ_G‖P W‖² + λ_⊥‖W − P W‖²`` (biases included, docs/explanation/penalties.md#biases) on every call:

```text
reg = EquivarianceRegularizer(model, mlp_spec(model, rho_in, rho_out), lambda_perp=1e-2)
loss = task_loss + reg()
```

Examples
--------
>>> import torch
>>> from torch import nn
>>> from reptheory import groups, Representation
>>> G = groups.dihedral(4)
>>> R, one = Representation.regular(G), Representation.trivial(G)
>>> model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 1))
>>> reg = EquivarianceRegularizer(model, mlp_spec(model, R, one))
>>> reg().item() > 0
True
>>> _ = project_(model, reg)
>>> reg().item() < 1e-10
True
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch import nn
from torch.nn.utils import parametrize

from penalties import _build, _constrained, _fast, _prox, _validate
from penalties._specs import _check_ends, _field, _finite_order
from penalties.errors import GridActionError, SpecError
from penalties.functional import penalty_value, split_norms
from penalties.projectors import (
    OrbitProjection,
    Projection,
    as_projection,
    bias_projection_for,
    kernel_projection_for,
    projection_for,
)
from reptheory.errors import DimensionMismatchError, GroupMismatchError, InvalidArgumentError

__all__ = [
    "EquivarianceRegularizer",
    "LayerSpec",
    "cnn_spec",
    "constrain_",
    "mlp_spec",
    "project_",
    "regular_spec",
    "unconstrain_",
]


@dataclass(frozen=True)
class LayerSpec:
    """How one module's parameters transform.

    Parameters
    ----------
    rho_in, rho_out : Representation, optional
        Input and output representations (channel representations for convolutions).
    grid : Representation, optional
        For ``Conv1d/2d/3d``: the group's action on the kernel grid (signed permutation
        matrices of the spatial rank, docs/explanation/convolutions.md#grid-symmetries), e.g. ``Representation.defining(square_symmetries())``.
        Defaults to the defining representation when the group is a matrix group of that rank.
    param : str
        The parameter to penalise (default ``"weight"``).
    bias : bool
        Also penalise ``module.bias`` by its distance to the invariants of ``rho_out``.
    projector : Projection, optional
        A ready projector (e.g. from [`penalties.spectral`][penalties.spectral]); overrides the representations.
    reshape : tuple of int, optional
        Event shape the projector acts on when it differs from the parameter's shape
        (the parameter is reshaped with ``.reshape`` before projection).
    lambda_eq, lambda_perp : float, optional
        Per-layer overrides of the regulariser's weights.

    Examples
    --------
    >>> from reptheory import groups, Representation
    >>> R = Representation.regular(groups.cyclic(4))
    >>> LayerSpec(R, R).param
    'weight'
    """

    rho_in: Any = None
    rho_out: Any = None
    grid: Any = None
    param: str = "weight"
    bias: bool = True
    projector: Any = None
    reshape: tuple[int, ...] | None = None
    lambda_eq: float | None = None
    lambda_perp: float | None = None

    def __post_init__(self) -> None:  # per-layer weights obey the same rule as the global ones
        _validate.check_layer_spec(self)


def _as_layer_spec(value: Any, where: str) -> LayerSpec:
    if isinstance(value, LayerSpec):
        return value
    if isinstance(value, Projection):
        return LayerSpec(projector=value)
    if isinstance(value, tuple) and len(value) in (2, 3):
        return LayerSpec(*value)
    raise SpecError(
        f"spec entry {where}: expected a LayerSpec, a Projection or a tuple (rho_in, rho_out[, grid]), "
        f"got {type(value).__name__}"
    )


def unwrap(model: nn.Module) -> nn.Module:
    """Strip ``DistributedDataParallel``/``DataParallel`` (``.module``) and ``torch.compile`` (``._orig_mod``).

    Examples
    --------
    >>> from torch import nn
    >>> m = nn.Linear(2, 2)
    >>> unwrap(nn.DataParallel(m)) is m
    True
    """
    while True:
        if isinstance(model, (nn.parallel.DistributedDataParallel, nn.DataParallel)):
            model = model.module
        elif hasattr(model, "_orig_mod") and isinstance(model._orig_mod, nn.Module):
            model = model._orig_mod
        else:
            return model


def _match(model: nn.Module, spec: Mapping[Any, Any]) -> list[tuple[str, nn.Module, LayerSpec]]:
    modules = dict(model.named_modules())
    taken: dict[str, tuple[nn.Module, LayerSpec]] = {}
    for key, value in spec.items():
        where = repr(key) if isinstance(key, str) else getattr(key, "__name__", repr(key))
        ls = _as_layer_spec(value, where)
        if isinstance(key, str):
            names = [key] if key in modules else [n for n in modules if n and fnmatch.fnmatchcase(n, key)]
        elif isinstance(key, type) and issubclass(key, nn.Module):
            names = [n for n, m in modules.items() if isinstance(m, key)]
        else:
            raise SpecError(f"spec key {key!r}: expected a module name, a glob pattern or an nn.Module type")
        if not names:
            avail = ", ".join(repr(n) for n in list(modules)[1:13])
            raise SpecError(
                f"spec entry {where} matches no module of {type(model).__name__} (modules: {avail}"
                f"{', ...' if len(modules) > 13 else ''})"
            )
        for n in names:
            taken.setdefault(n, (modules[n], ls))
    return [(n, m, ls) for n, (m, ls) in taken.items()]


def _default_grid(ls: LayerSpec, ndim: int, where: str) -> Any:
    if ls.grid is not None:
        return ls.grid
    from reptheory.reps.representation import Representation

    G = ls.rho_in.group
    el = getattr(G, "elements", None)
    if el is not None and getattr(el, "ndim", 0) == 3 and el.shape[1:] == (ndim, ndim):
        return Representation.defining(G)
    raise GridActionError(
        f"{where}: a convolution needs the group's action on the {ndim}-D kernel grid; pass LayerSpec(grid=...) "
        f"(a {ndim}-dimensional signed-permutation representation of {getattr(G, 'name', G)})"
    )


@dataclass
class _Entry:
    name: str
    module: nn.Module
    param: str
    proj: int
    reshape: tuple[int, ...] | None
    lambda_eq: float
    lambda_perp: float


class EquivarianceRegularizer(nn.Module):
    """Sum of projection penalties over the layers a spec selects (docs/explanation/penalties.md#the-penalty, docs/explanation/penalties.md#biases, docs/explanation/convolutions.md#convolutions).

    ``R = Σ_l λ_G ‖P_l W_l‖² + λ_⊥ ‖W_l − P_l W_l‖²`` over weights and (invariant-projected)
    biases.  The projectors are sub-modules (buffers); the model is *referenced*, not
    registered, so the regulariser's ``state_dict`` holds only projector structure.

    Parameters
    ----------
    model : nn.Module
        May be wrapped in ``DistributedDataParallel``, ``DataParallel`` or ``torch.compile``.
    spec : mapping
        Module name / glob pattern / type → [`LayerSpec`][penalties.regularizer.LayerSpec] or ``(rho_in, rho_out[, grid])``.
    lambda_eq, lambda_perp : float
        ``λ_G`` and ``λ_⊥``.
    norm : {"fro2", "fro", "spectral"}
    normalize : bool
        Use ``‖·‖ / ‖W‖`` per parameter (see [`penalties.functional.projection_penalty`][penalties.functional.projection_penalty]).
    every : int
        Amortise the cost: compute the penalty on every ``every``-th call only, multiplied by
        ``every`` (so its average over calls, and the average gradient under SGD, are
        unchanged), and return a zero on the other calls.  ``1`` (default) computes it on
        every call.  Useful where a training step is as cheap as one pass over the weights
        (small-batch MLPs); adaptive optimisers see a pulsed gradient, so compare both.
    tolerance : float or mapping, optional
        Constrained mode: ask for ``‖W_l − P W_l‖ / ‖W_l‖ ≤ τ_l`` per layer (weight and bias
        together) instead of giving λ_⊥.  A float applies to every layer; a mapping takes layer
        names or glob patterns to ``τ ∈ (0, 1)``.  The per-layer multipliers are learned by
        projected dual ascent in [`penalties.optim.ProximalEquivariance`][penalties.optim.ProximalEquivariance] (see
        [`penalties._constrained`][penalties._constrained] and the how-to "penalty, proximal step or tolerance").
    tolerance_start, homotopy_steps : float, int
        Homotopy: tighten geometrically from ``tolerance_start`` to ``tolerance`` over ``homotopy_steps``.
    dual_lr : float
        Dual step size ``η``: each dual step moves ``2·lr·λ_l`` (the fraction of ``W − PW``
        one proximal step removes) by ``η · min(d_l²/τ_l² − 1, 1)``, ``d_l`` the relative defect.

    Raises
    ------
    SpecError
        An entry matches no module, or a matched module has no such parameter.
    DimensionMismatchError
        A weight's shape does not fit the representations (message: layer, expected, actual).
    GroupMismatchError
        ``rho_in``, ``rho_out`` (and the grid) belong to different groups.
    GridActionError
        The grid group does not act exactly on a kernel grid.
    InvalidArgumentError
        A non-floating parameter.

    Notes
    -----
    One projection per parameter per call: ``O(#params)`` for orbit and mask projectors.
    Autocast is disabled inside the call (penalties accumulate in the parameters' dtype,
    float32 for half-precision parameters).  Under DDP every rank computes the same value
    and gradient, so the averaged gradient equals the single-process one.

    Examples
    --------
    >>> import torch
    >>> from torch import nn
    >>> from reptheory import groups, Representation
    >>> R = 2 * Representation.regular(groups.cyclic(4))
    >>> lin = nn.Linear(8, 8)
    >>> reg = EquivarianceRegularizer(lin, {"": (R, R)})
    >>> sorted(reg.breakdown())
    ['bias', 'weight']
    """

    def __init__(
        self,
        model: nn.Module,
        spec: Mapping[Any, Any],
        *,
        lambda_eq: float = 0.0,
        lambda_perp: float | None = None,
        norm: str = "fro2",
        normalize: bool = False,
        every: int = 1,
        tolerance: Any = None,
        tolerance_start: float | None = None,
        homotopy_steps: int = 0,
        dual_lr: float = 0.05,
    ):
        super().__init__()
        if lambda_perp is None:  # constrained layers get their λ_⊥ from the multipliers only
            lambda_perp = 1.0 if tolerance is None else 0.0
        _validate.check_regularizer_args(model, spec, lambda_eq, lambda_perp)
        if isinstance(every, bool) or not isinstance(every, int) or every < 1:
            raise InvalidArgumentError(f"every must be a positive integer, got {every!r}")
        self.every = every
        self._calls = 0
        self.lambda_eq = float(lambda_eq)
        self.lambda_perp = float(lambda_perp)
        self.norm = norm
        self.normalize = normalize
        base = unwrap(model)
        self.projectors = nn.ModuleList()
        cache: dict[Any, int] = {}
        entries: list[_Entry] = []

        def add(key: Any, build: Callable[[], Projection]) -> int:
            if key not in cache:
                self.projectors.append(build())
                cache[key] = len(self.projectors) - 1
            return cache[key]

        for name, mod, ls in _match(base, spec):
            le = self.lambda_eq if ls.lambda_eq is None else float(ls.lambda_eq)
            lp = self.lambda_perp if ls.lambda_perp is None else float(ls.lambda_perp)
            label = name or "<root>"
            p = getattr(mod, ls.param, None)
            if not isinstance(p, torch.Tensor):
                raise SpecError(f"layer {label!r} ({type(mod).__name__}) has no tensor parameter {ls.param!r}")
            where = f"layer {label!r} ({type(mod).__name__}).{ls.param}"
            _build.check_floating(p.dtype, where)
            if ls.projector is not None:
                proj = as_projection(ls.projector)
                event = ls.reshape or tuple(p.shape)
                _build.check_weight_shape(tuple(event), tuple(proj.shape), where)
                if ls.reshape is not None and _build.numel(ls.reshape) != p.numel():
                    raise DimensionMismatchError(f"{where}: reshape {ls.reshape} does not fit shape {tuple(p.shape)}")
                idx = add(("proj", id(proj)), lambda proj=proj: proj)
                entries.append(_Entry(name, mod, ls.param, idx, ls.reshape, le, lp))
                continue
            if ls.rho_in is None or ls.rho_out is None:
                raise SpecError(f"{where}: the spec gives neither representations nor a projector")
            if ls.rho_in.group != ls.rho_out.group:
                raise GroupMismatchError(
                    f"{where}: rho_in and rho_out are representations of different groups "
                    f"({ls.rho_in.group.name} and {ls.rho_out.group.name})"
                )
            is_conv = isinstance(mod, nn.modules.conv._ConvNd) and ls.param == "weight"
            if is_conv:
                if getattr(mod, "transposed", False) or mod.groups != 1:
                    raise SpecError(f"{where}: transposed or grouped convolutions are not supported")
                spatial = tuple(p.shape[2:])
                _build.check_weight_shape(tuple(p.shape), (ls.rho_out.dim, ls.rho_in.dim, *spatial), where)
                grid = _default_grid(ls, len(spatial), where)
                if grid.group != ls.rho_in.group:
                    raise GroupMismatchError(f"{where}: the grid representation belongs to {grid.group.name}, "
                                             f"the channels to {ls.rho_in.group.name}")
                key = ("conv", ls.rho_in.key, ls.rho_out.key, grid.key, spatial)
                try:
                    idx = add(key, lambda ls=ls, grid=grid, spatial=spatial: kernel_projection_for(
                        ls.rho_in, ls.rho_out, grid, spatial))
                except GridActionError as exc:
                    raise GridActionError(f"{where}: {exc}") from None
                reshape = None
            else:
                expected = (ls.rho_out.dim, ls.rho_in.dim)
                event = ls.reshape or tuple(p.shape)
                _build.check_weight_shape(tuple(event), expected, where)
                if ls.reshape is not None and _build.numel(ls.reshape) != p.numel():
                    raise DimensionMismatchError(f"{where}: reshape {ls.reshape} does not fit shape {tuple(p.shape)}")
                key = ("hom", ls.rho_in.key, ls.rho_out.key)
                idx = add(key, lambda ls=ls: projection_for(ls.rho_in, ls.rho_out))
                reshape = ls.reshape
            entries.append(_Entry(name, mod, ls.param, idx, reshape, le, lp))
            b = getattr(mod, "bias", None) if ls.bias and ls.param == "weight" else None
            if isinstance(b, torch.Tensor):
                bwhere = f"layer {label!r} ({type(mod).__name__}).bias"
                _build.check_floating(b.dtype, bwhere)
                _build.check_weight_shape(tuple(b.shape), (ls.rho_out.dim,), bwhere)
                bidx = add(("bias", ls.rho_out.key), lambda ls=ls: bias_projection_for(ls.rho_out))
                entries.append(_Entry(name, mod, "bias", bidx, None, le, lp))
        self._entries = entries
        self._con = _constrained.setup(self, tolerance, tolerance_start, homotopy_steps, dual_lr)
        self._build_plans()
        self._build_fused()
        # convert the projectors' buffers once to the parameters' dtype and device (STYLE 14)
        if entries:
            p0 = getattr(entries[0].module, entries[0].param)
            dt = p0.real.dtype if p0.is_complex() else p0.dtype
            dt = torch.float32 if dt in (torch.float16, torch.bfloat16) else dt
            self.to(device=p0.device, dtype=dt)
        _validate.install_state_guard(self)  # state_dict describes the projectors; foreign ones are refused

    def _build_plans(self) -> None:
        """Fast plans (`penalties._fast`) for orbit projectors of row-regular or sparse layout."""
        self._plans = nn.ModuleList()
        self._plan_of: dict[int, int] = {}
        by_proj: dict[int, int | None] = {}
        for i, e in enumerate(self._entries):
            if e.proj not in by_proj:
                plan = _fast.plan_for(self.projectors[e.proj])
                if plan is not None:
                    self._plans.append(plan)
                by_proj[e.proj] = None if plan is None else len(self._plans) - 1
            j = by_proj[e.proj]
            if j is not None and getattr(e.module, e.param).is_floating_point():
                self._plan_of[i] = j
        fro2 = self.norm == "fro2" and not self.normalize
        big = [i for i in sorted(self._plan_of)
               if getattr(self._entries[i].module, self._entries[i].param).numel() >= _fast.PENALTY_MIN_NUMEL]
        self._fast: list[int] = big if fro2 else []

    def _build_fused(self) -> None:
        """Group orbit-projected real parameters by their λ's into fused multi-parameter passes."""
        self._fused: list[tuple[list[int], float, float, bool]] = []
        self._loose: list[int] = [i for i in range(len(self._entries)) if i not in set(self._fast)]
        if self.norm != "fro2" or self.normalize or self._con is not None:
            return
        groups_: dict[tuple[float, float], list[int]] = {}
        for i, e in enumerate(self._entries):
            p = getattr(e.module, e.param)
            if i in self._fast:
                continue
            if isinstance(self.projectors[e.proj], OrbitProjection) and p.is_floating_point():
                groups_.setdefault((e.lambda_eq, e.lambda_perp), []).append(i)
        fused_ids = set()
        for gi, ((le, lp), ids) in enumerate(groups_.items()):
            labels, signs, invs = [], [], []
            offset = 0
            for i in ids:
                P = self.projectors[self._entries[i].proj]
                k = P.dim
                lab = P.labels.clone()
                lab = torch.where(lab == k, torch.full_like(lab, -1), lab)  # forced zeros
                labels.append(torch.where(lab < 0, lab, lab + offset))
                signs.append(P.signs)
                invs.append(P.inv_counts[:k])
                offset += k
            lab = torch.cat(labels)
            lab = torch.where(lab < 0, torch.full_like(lab, offset), lab)
            inv = torch.cat([*invs, torch.zeros(1, dtype=invs[0].dtype, device=invs[0].device)])
            sg = torch.cat(signs)
            signed = bool((sg < 0).any())
            self.register_buffer(f"_fused{gi}_labels", lab, persistent=False)
            self.register_buffer(f"_fused{gi}_signs", sg if signed else None, persistent=False)
            self.register_buffer(f"_fused{gi}_inv", inv, persistent=False)
            self._fused.append((ids, le, lp, signed))
            fused_ids.update(ids)
        self._loose = [i for i in self._loose if i not in fused_ids]

    # ------------------------------------------------------------------ access
    def _weight(self, e: _Entry) -> torch.Tensor:
        w = _prox.full(getattr(e.module, e.param))
        return w if e.reshape is None else w.reshape(e.reshape)

    def _lambdas(self, i: int) -> tuple[float, float]:
        """``(λ_G, λ_⊥)`` of entry ``i`` now (in constrained mode, from the multipliers)."""
        e = self._entries[i]
        return (e.lambda_eq, e.lambda_perp) if self._con is None else self._con.lambdas(self, i)

    def _key(self, e: _Entry) -> str:
        return f"{e.name}.{e.param}" if e.name else e.param

    def forward(self) -> torch.Tensor:
        """The summed penalty (a scalar tensor, differentiable in the model's parameters)."""
        if not self._entries:
            return torch.zeros(())
        w0 = self._weight(self._entries[0])
        if self.every > 1:
            self._calls += 1
            if (self._calls - 1) % self.every:
                return torch.zeros((), dtype=w0.dtype if w0.is_floating_point() else None, device=w0.device)
            return self.every * self._forward(w0)
        return self._forward(w0)

    def _forward(self, w0: torch.Tensor) -> torch.Tensor:
        buf = _fast.first_buffer(self.projectors[self._entries[0].proj])
        if buf is not None and buf.device != w0.device:
            self.to(w0.device)  # the model moved after construction: follow it (buffers only)
        dev = w0.device.type
        if torch.is_autocast_enabled(dev):
            with torch.autocast(device_type=dev, enabled=False):
                return self._penalty()
        return self._penalty()

    def _penalty(self) -> torch.Tensor:
        total = _fast.hot_penalty(self)
        for i in self._loose:
            e = self._entries[i]
            le, lp = self._lambdas(i)
            v = penalty_value(self._weight(e), self.projectors[e.proj], le, lp, norm=self.norm,
                              normalize=self.normalize)
            total = v if total is None else total + v
        assert total is not None
        return total

    @torch.no_grad()
    def breakdown(self) -> dict[str, dict[str, float]]:
        """Per-parameter values for logging.

        Returns
        -------
        dict
            ``"layer.param" → {"penalty", "eq" (‖PW‖²), "perp" (‖W − PW‖²), "norm2" (‖W‖²),
            "relative" (‖W − PW‖ / ‖W‖)}``.
        """
        out: dict[str, dict[str, float]] = {}
        for i, e in enumerate(self._entries):
            eq, perp, n2 = (float(t) for t in split_norms(self._weight(e), self.projectors[e.proj]))
            le, lp = self._lambdas(i)
            pen = float(penalty_value(self._weight(e), self.projectors[e.proj], le, lp, norm=self.norm,
                                      normalize=self.normalize))
            out[self._key(e)] = {
                "penalty": pen,
                "eq": eq,
                "perp": perp,
                "norm2": n2,
                "relative": (perp / n2) ** 0.5 if n2 > 0 else 0.0,
            }
        if self._con is not None:
            self._con.annotate(self, out)
        return out

    @torch.no_grad()
    def layer_defect(self) -> float:
        """``Σ ‖W − PW‖² / Σ ‖W‖²`` over all penalised parameters (docs/explanation/penalties.md#equivariance-error)."""
        b = self.breakdown()
        den = sum(v["norm2"] for v in b.values())
        return sum(v["perp"] for v in b.values()) / den if den > 0 else 0.0

    @torch.no_grad()
    def project_(self) -> None:
        """Replace every penalised parameter by its projection, in place."""
        for e in self._entries:
            p = getattr(e.module, e.param)
            p.copy_(self.projectors[e.proj](self._weight(e)).reshape(p.shape).to(p.dtype))

    def prox_(self, lr: float) -> None:
        """Exact proximal step of ``lr · R`` in place, without autograd ([`penalties._prox`][penalties._prox]).

        ``W ← P W / (1 + 2·lr·λ_G) + (W − P W) / (1 + 2·lr·λ_⊥)`` for every penalised parameter,
        decoupled from the optimiser's preconditioner (constrained mode: λ's from the multipliers).
        Raises [`InvalidArgumentError`][reptheory.errors.InvalidArgumentError] for a negative or non-finite ``lr``,
        ``norm != "fro2"`` or ``normalize=True`` (no closed form), or a tensor penalised twice.

        Examples
        --------
        >>> from torch import nn
        >>> from reptheory import groups, Representation
        >>> R = Representation.regular(groups.cyclic(4))
        >>> lin = nn.Linear(4, 4, bias=False)
        >>> reg = EquivarianceRegularizer(lin, {"": (R, R)}, lambda_perp=1e6)
        >>> reg.prox_(1.0)
        >>> reg().item() < 1e-6
        True
        """
        _prox.prox_(self, lambda p: lr, name="lr", value=lr)

    def multipliers(self) -> dict[str, float]:
        """Constrained mode: ``layer name → λ_l ≥ 0`` (empty without ``tolerance``)."""
        return {} if self._con is None else self._con.multipliers(self)

    def dual_step(self, lr: float) -> None:
        """Constrained mode: one projected dual-ascent step (the wrapper calls it; call it after
        ``optimizer.step()`` yourself when you add ``reg()`` to the loss instead)."""
        if self._con is None:
            raise InvalidArgumentError("dual_step: the regulariser has no tolerance (constrained mode is off)")
        self._con.dual_step(self, lambda p: lr)

    def entries(self) -> list[tuple[str, Projection]]:
        """``("layer.param", projector)`` pairs in evaluation order."""
        return [(self._key(e), self.projectors[e.proj]) for e in self._entries]

    def extra_repr(self) -> str:
        return (f"{len(self._entries)} parameters, {len(self.projectors)} projectors, lambda_eq={self.lambda_eq}, "
                f"lambda_perp={self.lambda_perp}, norm={self.norm!r}")


# ---------------------------------------------------------------------- hard modes
def _as_reg(model: nn.Module, spec: Any) -> EquivarianceRegularizer:
    return spec if isinstance(spec, EquivarianceRegularizer) else EquivarianceRegularizer(model, spec)


def project_(model: nn.Module, spec: Any) -> nn.Module:
    """In-place hard projection ``W ← P(W)``, ``b ← P(b)`` (train-then-project); returns ``model``.

    ``spec`` is a spec mapping or an [`EquivarianceRegularizer`][penalties.regularizer.EquivarianceRegularizer].

    Examples
    --------
    >>> import torch
    >>> from torch import nn
    >>> from reptheory import groups, Representation
    >>> R = Representation.regular(groups.cyclic(3))
    >>> lin = project_(nn.Linear(3, 3), {"": (R, R)})
    >>> bool(torch.allclose(lin.weight, torch.roll(lin.weight, (1, 1), (0, 1))))
    True
    """
    _as_reg(model, spec).project_()
    return model


class _Projected(nn.Module):
    """Parametrization ``V ↦ P(V)`` (exactly equivariant weights)."""

    def __init__(self, proj: Projection, shape: tuple[int, ...] | None):
        super().__init__()
        self.proj = proj
        self.shape = shape

    def forward(self, V: torch.Tensor) -> torch.Tensor:
        if self.shape is None:
            return self.proj(V)
        return self.proj(V.reshape(self.shape)).reshape(V.shape)

    def right_inverse(self, W: torch.Tensor) -> torch.Tensor:
        return W


def constrain_(model: nn.Module, spec: Any) -> nn.Module:
    """Exact hard constraint through `torch.nn.utils.parametrize`: ``W = P(V)`` for free ``V``.

    Every penalised parameter becomes ``P`` of an unconstrained one, so the model is exactly
    equivariant at every step (the "hard-equivariant" baseline).  Undo with
    [`unconstrain_`][penalties.regularizer.unconstrain_].

    Examples
    --------
    >>> import torch
    >>> from torch import nn
    >>> from reptheory import groups, Representation
    >>> R = Representation.regular(groups.cyclic(3))
    >>> lin = constrain_(nn.Linear(3, 3), {"": (R, R)})
    >>> EquivarianceRegularizer(lin, {"": (R, R)})().item() < 1e-12
    True
    """
    reg = _as_reg(model, spec)
    for e in reg._entries:
        parametrize.register_parametrization(e.module, e.param, _Projected(reg.projectors[e.proj], e.reshape))
    return model


def unconstrain_(model: nn.Module) -> nn.Module:
    """Remove the constraints of [`constrain_`][penalties.regularizer.constrain_], keeping the projected values.

    Examples
    --------
    >>> from torch import nn
    >>> from reptheory import groups, Representation
    >>> R = Representation.regular(groups.cyclic(3))
    >>> lin = unconstrain_(constrain_(nn.Linear(3, 3), {"": (R, R)}))
    >>> parametrize.is_parametrized(lin)
    False
    """
    for m in unwrap(model).modules():
        if parametrize.is_parametrized(m):
            for name in list(m.parametrizations.keys()):
                parametrize.remove_parametrizations(m, name, leave_parametrized=True)
    return model


# ---------------------------------------------------------------------- spec helpers
_POINTWISE = (nn.ReLU, nn.LeakyReLU, nn.ELU, nn.GELU, nn.SiLU, nn.Tanh, nn.Sigmoid, nn.Softplus, nn.Mish,
              nn.ReLU6, nn.Hardtanh, nn.SELU, nn.CELU)


def _check_pointwise(model: nn.Module, field: Any, where: str, allow: bool) -> None:
    """Refuse pointwise activations on fields that are not permutation representations (docs/explanation/penalties.md#networks)."""
    if allow:
        return
    acts = sorted({type(m).__name__ for m in unwrap(model).modules() if isinstance(m, _POINTWISE)})
    if not acts:
        return
    mono = _build.monomial_action(field)
    if mono is not None and np.all(mono[1] == 1):
        return
    raise InvalidArgumentError(
        f"{where}: the model applies pointwise activations ({', '.join(acts)}) to hidden fields {field.name!r}, "
        "which are not a permutation representation: every layer could be exactly equivariant while the network "
        "is not (docs/explanation/penalties.md#networks). Use regular/permutation/trivial fields, or pass pointwise_ok=True if the "
        "nonlinearities are gated or norm-based"
    )


def _layers(model: nn.Module, types: tuple[type, ...]) -> list[tuple[str, nn.Module]]:
    return [(n, m) for n, m in unwrap(model).named_modules() if isinstance(m, types)]


def mlp_spec(
    model: nn.Module, rho_in: Any, rho_out: Any, *, hidden: Any = "regular", pointwise_ok: bool = False
) -> dict[str, LayerSpec]:
    """Spec for the ``nn.Linear`` layers of an MLP from ``rho_in`` to ``rho_out``.

    The first layer maps ``rho_in`` to a hidden field, the last a hidden field to ``rho_out``;
    hidden fields are ``hidden`` (``"regular"``: k copies of the regular representation,
    ``"trivial"``, a Representation repeated, or a callable ``width → Representation``), with
    the copies inferred from each width.  Pointwise nonlinearities are equivariant only on
    permutation fields (docs/explanation/penalties.md#networks): a model with pointwise activation modules and other
    hidden fields is refused unless ``pointwise_ok=True``.

    Examples
    --------
    >>> from torch import nn
    >>> from reptheory import groups, Representation
    >>> G = groups.dihedral(8)
    >>> m = nn.Sequential(nn.Linear(16, 128), nn.ReLU(), nn.Linear(128, 1))
    >>> s = mlp_spec(m, Representation.regular(G), Representation.trivial(G))
    >>> [(k, v.rho_in.dim, v.rho_out.dim) for k, v in s.items()]
    [('0', 16, 128), ('2', 128, 1)]
    """
    layers = _layers(model, (nn.Linear,))
    if not layers:
        raise SpecError(f"mlp_spec: {type(model).__name__} has no nn.Linear layer")
    _check_ends(model, rho_in, rho_out, layers[0][1].in_features, layers[-1][1].out_features, "mlp_spec")
    G = rho_in.group
    out: dict[str, LayerSpec] = {}
    for j, (name, m) in enumerate(layers):
        ri = rho_in if j == 0 else _field(hidden, m.in_features, G, f"layer {name!r} input")
        ro = rho_out if j == len(layers) - 1 else _field(hidden, m.out_features, G, f"layer {name!r} output")
        if j < len(layers) - 1:
            _check_pointwise(model, ro, f"mlp_spec, layer {name!r}", pointwise_ok)
        out[name] = LayerSpec(ri, ro)
    return out


def cnn_spec(
    model: nn.Module, rho_in: Any, rho_out: Any, *, grid: Any = None, hidden: Any = "regular",
    pointwise_ok: bool = False,
) -> dict[str, LayerSpec]:
    """Spec for a CNN: ``Conv1d/2d/3d`` layers with ``hidden`` channel fields, then ``nn.Linear`` heads.

    ``rho_in`` is the input field of the first layer and ``rho_out`` the output of the last
    (a linear head after invariant pooling sees the same hidden field).  ``grid`` is the
    group's action on kernel grids (default: the defining representation of a matrix group).

    Examples
    --------
    >>> from torch import nn
    >>> from reptheory import groups, Representation
    >>> G = groups.square_symmetries()
    >>> m = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 8, 3, padding=1))
    >>> s = cnn_spec(m, Representation.trivial(G), Representation.regular(G))
    >>> [(k, v.rho_in.dim, v.rho_out.dim) for k, v in s.items()]
    [('0', 1, 16), ('2', 16, 8)]
    """
    layers = _layers(model, (nn.Conv1d, nn.Conv2d, nn.Conv3d, nn.Linear))
    if not layers:
        raise SpecError(f"cnn_spec: {type(model).__name__} has no convolution or linear layer")
    G = rho_in.group
    out: dict[str, LayerSpec] = {}
    for j, (name, m) in enumerate(layers):
        ci = m.in_channels if isinstance(m, nn.modules.conv._ConvNd) else m.in_features
        co = m.out_channels if isinstance(m, nn.modules.conv._ConvNd) else m.out_features
        ri = rho_in if j == 0 else _field(hidden, ci, G, f"layer {name!r} input")
        ro = rho_out if j == len(layers) - 1 else _field(hidden, co, G, f"layer {name!r} output")
        if j < len(layers) - 1:
            _check_pointwise(model, ro, f"cnn_spec, layer {name!r}", pointwise_ok)
        g = grid if isinstance(m, nn.modules.conv._ConvNd) else None
        out[name] = LayerSpec(ri, ro, grid=g)
    return out


def regular_spec(model: nn.Module, group: Any, *, grid: Any = None) -> dict[str, LayerSpec]:
    """Every ``Linear``/``Conv`` layer maps k copies of the regular representation to k' copies.

    Examples
    --------
    >>> from torch import nn
    >>> from reptheory import groups
    >>> s = regular_spec(nn.Sequential(nn.Linear(8, 16), nn.Linear(16, 8)), groups.cyclic(8))
    >>> [(v.rho_in.dim, v.rho_out.dim) for v in s.values()]
    [(8, 16), (16, 8)]
    """
    from reptheory.reps.representation import Representation

    _finite_order(group, "regular_spec")
    R = Representation.regular(group)
    layers = _layers(model, (nn.Conv1d, nn.Conv2d, nn.Conv3d, nn.Linear))
    if not layers:
        raise SpecError(f"regular_spec: {type(model).__name__} has no convolution or linear layer")
    out: dict[str, LayerSpec] = {}
    for name, m in layers:
        conv = isinstance(m, nn.modules.conv._ConvNd)
        ci = m.in_channels if conv else m.in_features
        co = m.out_channels if conv else m.out_features
        out[name] = LayerSpec(_field(R, ci, group, f"layer {name!r} input"),
                              _field(R, co, group, f"layer {name!r} output"), grid=grid if conv else None)
    return out
