"""One place that turns a method name and its knobs into (model, optimiser, extra loss).

This is the only module of the experiments that touches the training modes of the
penalty-method issue (``reg.prox_``, :class:`penalties.optim.ProximalEquivariance`, the
constrained mode ``EquivarianceRegularizer(..., tolerance=τ)``, ``reg.multipliers()``).
While they are missing from the installed ``penalties`` the two modes that need them
(``ours-prox``, ``ours-tol``) are reported by :func:`available` and skipped by the protocol
with a logged "mode unavailable"; nothing here re-implements them.

Methods and their one knob (every knob swept on the same log-spaced grid, see
:mod:`experiments.protocol`):

==================  ==========================================================================
``unconstrained``   weight decay ``wd·‖W‖²`` (through the regulariser: ``λ_G = λ_⊥ = wd``)
``hard``            ``penalties.constrain_`` (``W = P V``), weight decay ``wd·‖W‖²``
``ours``            ``λ_G‖PW‖² + λ_⊥‖W − PW‖²`` in the loss, ``λ_G = ρ λ_⊥``
``ours-PW0``        the same, started from the projected initialisation ``P W₀``
``ours-prox``       the same λ's applied as the exact proximal step after each Adam step
``ours-tol``        constrained mode: relative defect ≤ τ per layer, learned multipliers
``sample-m1/m4``    :class:`penalties.baselines.SampleBasedPenalty` (or the interpolated-rotation
                    penalty for images), one group element per example, ``m`` copies, weight λ
``augment``         :class:`penalties.baselines.GroupAugmentation` (or random rotations), prob. p
``generator``       :class:`penalties.GeneratorPenalty` with weight λ (representation specs only)
``rpp``             :func:`penalties.baselines.rpp_`, prior ``a‖P A‖² + b‖B‖²`` with
                    ``rpp_lambdas(a, b) = (λ_G, λ_⊥)`` of ``ours``
==================  ==========================================================================

Examples
--------
>>> sorted(available())[:3]
['augment', 'generator', 'hard']
>>> rpp_ab(0.01, 1.0)
(0.010101010101010102, 1.0)
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch import nn

import penalties
from penalties import baselines

__all__ = ["METHODS", "OURS", "RHO", "Setup", "available", "build", "rpp_ab", "unavailable_reason"]

OURS = ("ours", "ours-PW0", "ours-prox", "ours-tol")
METHODS = ("unconstrained", "hard", *OURS, "sample-m1", "sample-m4", "augment", "generator", "rpp")
RHO = 1e-2  # λ_G = ρ λ_⊥ along the λ grid of the two-knob methods (ours, RPP)


def _has_prox() -> bool:
    try:
        from penalties.optim import ProximalEquivariance  # noqa: F401
    except ImportError:
        return False
    return hasattr(penalties.EquivarianceRegularizer, "prox_")


def _has_tolerance() -> bool:
    try:
        params = inspect.signature(penalties.EquivarianceRegularizer.__init__).parameters
    except (TypeError, ValueError):
        return False
    return "tolerance" in params and _has_prox() and hasattr(penalties.EquivarianceRegularizer, "multipliers")


def unavailable_reason(method: str) -> str | None:
    """Why ``method`` cannot run with the installed ``penalties`` (None when it can)."""
    if method == "ours-prox" and not _has_prox():
        return "mode unavailable: penalties.optim.ProximalEquivariance / EquivarianceRegularizer.prox_ missing"
    if method == "ours-tol" and not _has_tolerance():
        return "mode unavailable: EquivarianceRegularizer(tolerance=...) / multipliers() missing"
    return None


def available() -> list[str]:
    """The methods that can run now."""
    return [m for m in METHODS if unavailable_reason(m) is None]


def rpp_ab(lam_G: float, lam_perp: float) -> tuple[float, float]:
    """RPP's weight decays ``(a, b)`` with ``penalties.rpp_lambdas(a, b) == (λ_G, λ_⊥)``.

    ``λ_G = ab/(a + b)`` and ``λ_⊥ = b`` give ``a = λ_G λ_⊥ / (λ_⊥ − λ_G)`` (needs ``λ_G < λ_⊥``).
    """
    if not 0 <= lam_G < lam_perp:
        raise ValueError(f"need 0 <= lam_G < lam_perp, got {lam_G}, {lam_perp}")
    return lam_G * lam_perp / (lam_perp - lam_G), lam_perp


@dataclass
class Setup:
    """What the training loop needs for one run.

    ``extra(x, y, pred)`` is added to the task loss; ``transform(x, y, rng)`` changes the
    batch (augmentation); ``reg`` measures the layer defect of the spec'd weights.
    """

    model: nn.Module
    optimizer: Any
    extra: Callable[[torch.Tensor, torch.Tensor, torch.Tensor], torch.Tensor] | None
    transform: Callable[[torch.Tensor, torch.Tensor], tuple[torch.Tensor, torch.Tensor]] | None
    reg: penalties.EquivarianceRegularizer
    info: dict[str, Any]


def _zero(x: torch.Tensor, y: torch.Tensor, p: torch.Tensor) -> torch.Tensor:
    return p.new_zeros(())


def build(method: str, knob: float, task: Any, seed: int, lr: float) -> Setup:
    """Model, optimiser and loss terms of ``method`` with knob value ``knob`` for ``task`` and ``seed``.

    ``task`` provides ``make_model(seed)`` (a model with ``.spec``), ``sample_penalty(model, m,
    rng)`` and ``augmentation(p, rng)``.
    """
    reason = unavailable_reason(method)
    if reason is not None:
        raise RuntimeError(f"{method}: {reason}")
    torch.manual_seed(seed)
    model = task.make_model(seed)
    spec = model.spec
    rng = np.random.default_rng(10_000 + seed)
    extra: Callable[..., torch.Tensor] | None = None
    transform = None
    info: dict[str, Any] = {}
    params: Any = model.parameters()
    if method in ("unconstrained", "hard"):
        if method == "hard":
            penalties.constrain_(model, spec)
        wd = penalties.EquivarianceRegularizer(model, spec, lambda_eq=knob, lambda_perp=knob)
        extra = lambda x, y, p: wd()  # noqa: E731
        info.update(weight_decay=knob)
    elif method in ("ours", "ours-PW0"):
        reg_ = penalties.EquivarianceRegularizer(model, spec, lambda_eq=RHO * knob, lambda_perp=knob)
        if method == "ours-PW0":
            reg_.project_()
        extra = lambda x, y, p: reg_()  # noqa: E731
        info.update(lambda_G=RHO * knob, lambda_perp=knob)
    elif method in ("sample-m1", "sample-m4"):
        m = 1 if method == "sample-m1" else 4
        pen = task.sample_penalty(model, m, rng)
        extra = lambda x, y, p: knob * pen(x, p)  # noqa: E731
        info.update(lam=knob, m=m)
    elif method == "augment":
        transform = task.augmentation(knob, rng)
        info.update(p=knob)
    elif method == "generator":
        gen = penalties.GeneratorPenalty(model, spec, lam=knob)
        extra = lambda x, y, p: gen()  # noqa: E731
        info.update(lam=knob)
    elif method == "rpp":
        a, b = rpp_ab(RHO * knob, knob)
        paths = baselines.rpp_(model, spec)
        extra = lambda x, y, p: paths(a, b)  # noqa: E731
        params = model.parameters()
        info.update(a=a, b=b, lambda_G=RHO * knob, lambda_perp=knob)
    optimizer: Any = torch.optim.Adam(params, lr=lr)
    if method in ("ours-prox", "ours-tol"):
        optimizer, info = _new_modes(method, knob, model, spec, optimizer)
    reg = penalties.EquivarianceRegularizer(model, spec)
    return Setup(model, optimizer, extra or _zero, transform, reg, info)


def _new_modes(method: str, knob: float, model: nn.Module, spec: Any, inner: Any) -> tuple[Any, dict[str, Any]]:
    """The penalty-method issue's proximal and constrained modes (the only calls into that API).

    ``ours-prox``: Adam on the task loss, then the exact proximal map of
    ``lr·(λ_G‖PW‖² + λ_⊥‖W − PW‖²)`` after every step.  ``ours-tol``: the constrained mode with
    tolerance ``τ = knob``; the wrapper's ``step()`` updates the multipliers (and applies the
    proximal step with them), so no penalty enters the loss.
    """
    from penalties.optim import ProximalEquivariance  # type: ignore[import-not-found]

    if method == "ours-prox":
        reg = penalties.EquivarianceRegularizer(model, spec, lambda_eq=RHO * knob, lambda_perp=knob)
        return ProximalEquivariance(inner, reg), {"lambda_G": RHO * knob, "lambda_perp": knob}
    reg = penalties.EquivarianceRegularizer(model, spec, tolerance=knob)  # type: ignore[call-arg]
    opt = ProximalEquivariance(inner, reg)
    opt.constrained_reg = reg
    return opt, {"tolerance": knob}
