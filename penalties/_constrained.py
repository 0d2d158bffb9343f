"""Constrained mode: a tolerance per layer instead of λ_⊥, multipliers by projected dual ascent.

For each constrained layer ``l`` (its weight and bias together) the constraint

$$
g_l(W) = \\|W_l - P W_l\\|^2 - \\tau_l^2 \\|W_l\\|^2 \\le 0
\\quad\\Longleftrightarrow\\quad \\frac{\\|W_l - P W_l\\|}{\\|W_l\\|} \\le \\tau_l
$$

is a quadratic form of the penalty's shape, so the Lagrangian ``L(W) + Σ_l λ_l g_l(W)`` is
the task loss plus the projection penalty with

$$
\\lambda_{\\perp,l} = \\lambda_l (1 - \\tau_l^2), \\qquad \\lambda_{G,l} = \\lambda_G - \\lambda_l \\tau_l^2,
$$

whose proximal map is exact ([`penalties._prox`][penalties._prox]).  One training step of
[`penalties.optim.ProximalEquivariance`][penalties.optim.ProximalEquivariance] is a primal step on the task loss, the proximal
step of the multiplier term, then a projected dual-ascent step with the relative defect
``d_l = ‖W_l − P W_l‖ / ‖W_l‖`` measured at the new weights:

$$
\\lambda_l \\leftarrow \\max\\Bigl(0,\\; \\lambda_l + \\frac{\\eta}{2\\,lr_l}
\\bigl(d_l^2 / \\tau_l^2 - 1\\bigr)\\Bigr).
$$

This is dual ascent on ``g_l / (τ_l² ‖W_l‖²)`` (a positive rescaling of the constraint, which
keeps the same KKT points) with the step ``η / (2 lr_l)``: it moves ``2·lr_l·λ_l``, the
fraction of ``W_l − P W_l`` one proximal step removes, by ``η (d_l²/τ_l² − 1)``, whatever the
scale of the loss or of the weights (``η = dual_lr``, default 0.05).  A layer inside its
tolerance sees a negative increment and its multiplier decays to 0 and stays there.  With
``tolerance_start``, ``τ_l`` follows ``τ_start^{1−s} τ_target^{s}``, ``s = min(1, t / homotopy_steps)``
over the dual steps ``t`` (ACE's homotopy from a loose to the target tolerance).

The multipliers are a persistent buffer of the regulariser (in its ``state_dict``) and in
the wrapper's ``state_dict``.

Examples
--------
>>> import torch
>>> from torch import nn
>>> from reptheory import groups, Representation
>>> from penalties import EquivarianceRegularizer
>>> R = Representation.regular(groups.cyclic(4))
>>> model = nn.Sequential(nn.Linear(4, 4), nn.ReLU(), nn.Linear(4, 4))
>>> reg = EquivarianceRegularizer(model, {"0": (R, R), "2": (R, R)}, tolerance={"0": 0.1})
>>> reg.multipliers()
{'0': 0.0}
"""

from __future__ import annotations

import fnmatch
import math
from collections.abc import Callable, Mapping
from typing import Any

import torch

from penalties.errors import SpecError
from reptheory.errors import InvalidArgumentError

__all__ = ["Constraint", "setup"]


def _tau(value: Any, where: str) -> float:
    try:
        t = float(value)
    except (TypeError, ValueError):
        raise InvalidArgumentError(f"{where}={value!r}: expected a number in (0, 1)") from None
    if not (0.0 < t < 1.0) or not math.isfinite(t):
        raise InvalidArgumentError(f"{where}={value!r}: a relative tolerance must lie in (0, 1)")
    return t


class Constraint:
    """The constrained-mode state of one regulariser (layers, tolerances, step rule).

    The multipliers themselves live in the regulariser's buffer ``constraint_multipliers``
    (and the dual step count in ``constraint_steps``) so that ``state_dict`` carries them.
    """

    def __init__(self, layers: list[str], taus: list[float], entry_layer: dict[int, int],
                 start: list[float] | None, homotopy_steps: int, dual_lr: float):
        self.layers, self.taus, self.entry_layer = layers, taus, entry_layer
        self.start, self.homotopy_steps, self.dual_lr = start, homotopy_steps, dual_lr

    def current_taus(self, reg: Any) -> list[float]:
        """Tolerances at the current dual step (the homotopy schedule)."""
        if self.start is None or self.homotopy_steps <= 0:
            return self.taus
        s = min(1.0, int(reg.constraint_steps) / self.homotopy_steps)
        return [a ** (1 - s) * b**s for a, b in zip(self.start, self.taus)]

    def lambdas(self, reg: Any, i: int) -> tuple[float, float]:
        e = reg._entries[i]
        layer = self.entry_layer.get(i)
        if layer is None:
            return e.lambda_eq, e.lambda_perp
        lam = float(reg.constraint_multipliers[layer])
        t2 = self.current_taus(reg)[layer] ** 2
        return e.lambda_eq - lam * t2, lam * (1.0 - t2)

    @torch.no_grad()
    def defects(self, reg: Any) -> list[float]:
        """Relative defect ``d_l`` of every constrained layer (``E`` computed directly)."""
        perp = [0.0] * len(self.layers)
        n2 = [0.0] * len(self.layers)
        for i, layer in self.entry_layer.items():
            e = reg._entries[i]
            w = reg._weight(e)
            w = w.float() if w.dtype in (torch.float16, torch.bfloat16) else w
            E = w - reg.projectors[e.proj](w)
            perp[layer] += float((E.abs() ** 2).sum())
            n2[layer] += float((w.abs() ** 2).sum())
        return [math.sqrt(p / n) if n > 0 else 0.0 for p, n in zip(perp, n2)]

    @torch.no_grad()
    def dual_step(self, reg: Any, lr_of: Callable[[torch.Tensor], float]) -> None:
        """``λ_l ← max(0, λ_l + η/(2 lr_l) · min(d_l²/τ_l² − 1, 1))``, then advance the homotopy."""
        from penalties._prox import check_lr

        taus = self.current_taus(reg)
        d = self.defects(reg)
        lrs: dict[int, float] = {}
        for i, layer in self.entry_layer.items():
            if layer not in lrs:
                e = reg._entries[i]
                lrs[layer] = check_lr(lr_of(getattr(e.module, e.param)))
        lam = reg.constraint_multipliers
        for layer, (dl, t) in enumerate(zip(d, taus)):
            lr = lrs[layer]
            if lr > 0:
                r = min(dl * dl / (t * t) - 1.0, 1.0)
                lam[layer] = max(0.0, float(lam[layer]) + self.dual_lr / (2 * lr) * r)
        reg.constraint_steps += 1

    def multipliers(self, reg: Any) -> dict[str, float]:
        return {name: float(v) for name, v in zip(self.layers, reg.constraint_multipliers)}

    def annotate(self, reg: Any, out: dict[str, dict[str, float]]) -> None:
        taus = self.current_taus(reg)
        d = self.defects(reg)
        for i, layer in self.entry_layer.items():
            key = reg._key(reg._entries[i])
            out[key].update(layer=self.layers[layer], tolerance=taus[layer],  # type: ignore[arg-type]
                            multiplier=float(reg.constraint_multipliers[layer]), layer_relative=d[layer])


def setup(reg: Any, tolerance: Any, tolerance_start: Any, homotopy_steps: Any, dual_lr: Any) -> Constraint | None:
    """Parse the constrained-mode arguments and register the multiplier buffers on ``reg``."""
    if tolerance is None:
        if tolerance_start is not None:
            raise InvalidArgumentError("tolerance_start is given without tolerance")
        return None
    names: list[str] = []
    for e in reg._entries:
        if e.name not in names:
            names.append(e.name)
    label = {n: n or "<root>" for n in names}
    if isinstance(tolerance, Mapping):
        chosen: dict[str, float] = {}
        for key, val in tolerance.items():
            hit = [n for n in names if n == key or (isinstance(key, str) and fnmatch.fnmatchcase(n, key))]
            if not hit:
                raise SpecError(f"tolerance key {key!r} matches no penalised layer (layers: "
                                f"{', '.join(repr(label[n]) for n in names)})")
            t = _tau(val, f"tolerance[{key!r}]")
            for n in hit:
                chosen.setdefault(n, t)
        layers = [n for n in names if n in chosen]
        taus = [chosen[n] for n in layers]
    else:
        t = _tau(tolerance, "tolerance")
        layers, taus = list(names), [t] * len(names)
    start = None
    if tolerance_start is not None:
        t0 = _tau(tolerance_start, "tolerance_start")
        start = [max(t0, t) for t in taus]
    if isinstance(homotopy_steps, bool) or not isinstance(homotopy_steps, int) or homotopy_steps < 0:
        raise InvalidArgumentError(f"homotopy_steps={homotopy_steps!r}: expected a non-negative integer")
    eta = float(dual_lr)
    if not (eta > 0 and math.isfinite(eta)):
        raise InvalidArgumentError(f"dual_lr={dual_lr!r}: expected a positive finite number")
    index = {n: j for j, n in enumerate(layers)}
    entry_layer = {i: index[e.name] for i, e in enumerate(reg._entries) if e.name in index}
    reg.register_buffer("constraint_multipliers", torch.zeros(len(layers), dtype=torch.float64))
    reg.register_buffer("constraint_steps", torch.zeros((), dtype=torch.int64))
    return Constraint([label[n] for n in layers], taus, entry_layer, start, homotopy_steps, eta)
