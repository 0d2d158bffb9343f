"""The exact proximal map of the squared-Frobenius projection penalty (decoupled from the optimiser).

For an orthogonal projector ``P`` (every projector of [`penalties`][penalties] is one: orbit
averages, isotypic masks in orthonormal bases, orthonormal bases, group averages over
orthogonal representations, unitary Fourier masks) the penalty
``R(W) = λ_G ‖P W‖² + λ_⊥ ‖W − P W‖²`` splits along ``W = P W + (W − P W)``, and

$$
\\operatorname{prox}_{lr R}(W) = \\arg\\min_X \\tfrac12 \\|X - W\\|^2 + lr\\,R(X)
= \\frac{P W}{1 + 2\\,lr\\,\\lambda_G} + \\frac{W - P W}{1 + 2\\,lr\\,\\lambda_\\perp}
$$

(set the gradient ``X − W + 2 lr (λ_G P X + λ_⊥ (X − P X))`` to zero and project).  A
training step ``W ← prox_{lr R}(W − lr · D⁻¹ ∇L)`` applies the optimiser's preconditioner
``D`` (Adam's running RMS) to the task loss only: the pull towards ``Hom_G`` has the same
strength on every coordinate, as weight decay has in AdamW.  For ``lr → 0`` it agrees with a
gradient step of the penalty to first order; for ``λ_⊥ → ∞`` it is the hard projection.

``normalize=True`` (``R/‖W‖``) and the ``"fro"``/``"spectral"`` norms have no such closed form
and are refused.  Parameters sharded by ``torch.distributed.fsdp.fully_shard`` (``DTensor``)
are gathered, updated identically on every rank and written back shard by shard.

Examples
--------
>>> import torch
>>> from torch import nn
>>> from reptheory import groups, Representation
>>> from penalties import EquivarianceRegularizer
>>> R = Representation.regular(groups.cyclic(2))
>>> lin = nn.Linear(2, 2, bias=False)
>>> with torch.no_grad():
...     _ = lin.weight.copy_(torch.tensor([[1.0, 2.0], [4.0, 3.0]]))
>>> reg = EquivarianceRegularizer(lin, {"": (R, R)}, lambda_eq=0.5, lambda_perp=1.5)
>>> reg.prox_(1.0)             # P W = [[2, 3], [3, 2]] / 2, W − P W = [[-1, -1], [1, 1]] / 4
>>> lin.weight.detach()
tensor([[0.7500, 1.2500],
        [1.7500, 1.2500]])
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import torch
from torch.nn.utils import parametrize

from penalties._fast import first_buffer
from reptheory.errors import InvalidArgumentError

__all__ = ["check_lr", "factors", "full", "prox_"]


def _is_dtensor(p: torch.Tensor) -> bool:
    return type(p).__name__ == "DTensor" and hasattr(p, "full_tensor")


def full(p: torch.Tensor) -> torch.Tensor:
    """The whole parameter: a sharded ``DTensor`` is all-gathered (differentiably), others returned as they are.

    Examples
    --------
    >>> import torch
    >>> t = torch.ones(2)
    >>> full(t) is t
    True
    """
    return p.full_tensor() if _is_dtensor(p) else p


def check_lr(lr: Any, name: str = "lr") -> float:
    """``lr`` as a float, or [`InvalidArgumentError`][reptheory.errors.InvalidArgumentError] naming ``name``.

    Examples
    --------
    >>> check_lr(0.1)
    0.1
    """
    try:
        v = float(lr)
    except (TypeError, ValueError):
        raise InvalidArgumentError(f"{name}={lr!r}: expected a non-negative finite number") from None
    if not math.isfinite(v) or v < 0:
        raise InvalidArgumentError(f"{name}={lr!r}: expected a non-negative finite number")
    return v


def factors(lr: float, lambda_eq: float, lambda_perp: float) -> tuple[float, float]:
    """``(a, b) = (1/(1 + 2·lr·λ_G), 1/(1 + 2·lr·λ_⊥))``; a negative λ_G (constrained mode) is capped at ``a ≤ 2``.

    Examples
    --------
    >>> factors(0.5, 1.0, 3.0)
    (0.5, 0.25)
    """
    de = 1.0 + 2.0 * lr * lambda_eq
    return 1.0 / max(de, 0.5), 1.0 / (1.0 + 2.0 * lr * lambda_perp)


def _check_closed_form(reg: Any) -> None:
    if reg.norm != "fro2":
        raise InvalidArgumentError(
            f"prox_: norm={reg.norm!r} has no closed-form proximal map; use norm='fro2' or add reg() to the loss")
    if reg.normalize:
        raise InvalidArgumentError(
            "prox_: normalize=True (the penalty divided by ‖W‖) has no closed-form proximal map; "
            "use normalize=False or add reg() to the loss")
    if not getattr(reg, "_prox_checked", False):
        seen: dict[int, str] = {}
        for e in reg._entries:
            key = f"{e.name}.{e.param}" if e.name else e.param
            if parametrize.is_parametrized(e.module, e.param):
                raise InvalidArgumentError(f"prox_: parameter {key!r} is parametrised (constrain_); "
                                           "it is already exactly projected")
            p = getattr(e.module, e.param)
            if id(p) in seen:
                raise InvalidArgumentError(
                    f"prox_: parameter {key!r} is the same tensor as {seen[id(p)]!r}; the proximal map of a sum "
                    "of two penalties on one tensor is not the composition of their maps")
            seen[id(p)] = key
        reg._prox_checked = True


@torch.no_grad()
def _apply(reg: Any, i: int, p: torch.Tensor, a: float, b: float) -> None:
    e = reg._entries[i]
    plan = reg._plans[reg._plan_of[i]] if i in reg._plan_of else None
    dt = _is_dtensor(p)
    W = p.full_tensor() if dt else p
    half = W.dtype in (torch.float16, torch.bfloat16)
    inplace = not dt and not half and W.is_contiguous()
    w = W.float() if half else (W if inplace else W.clone())
    if plan is not None:
        plan.prox_(w.view(-1), a, b)
    else:
        ev = w.reshape(e.reshape) if e.reshape is not None else w
        PW = reg.projectors[e.proj](ev).reshape(w.shape)
        if a == 1.0 and not w.is_complex():
            w.lerp_(PW, 1.0 - b)
        else:
            w.mul_(b).add_(PW, alpha=a - b)
    if inplace:
        return
    if dt:
        from torch.distributed.tensor import distribute_tensor

        w = distribute_tensor(w.to(p.dtype), p.device_mesh, p.placements, src_data_rank=None)
    p.copy_(w)


@torch.no_grad()
def _prox_fused_(reg: Any, lr_of: Callable[[torch.Tensor], float], name: str) -> set[int]:
    """Small orbit-projected parameters of one fused group in one concatenated pass (fewer, larger ops)."""
    from penalties.functional import _CAT_LIMIT, orbit_project

    done: set[int] = set()
    if reg._con is not None:
        return done
    for gi, (ids, le, lp, signed) in enumerate(reg._fused):
        ps = [getattr(reg._entries[i].module, reg._entries[i].param) for i in ids]
        sizes = [p.numel() for p in ps]
        if len(ps) < 2 or sum(sizes) > _CAT_LIMIT or any(
                _is_dtensor(p) or not p.is_contiguous() or p.dtype != ps[0].dtype or not p.is_floating_point()
                or p.dtype in (torch.float16, torch.bfloat16) for p in ps):
            continue
        lrs = {check_lr(lr_of(p), name) for p in ps}
        if len(lrs) != 1:
            continue
        a, b = factors(lrs.pop(), le, lp)
        if a == 1.0 and b == 1.0:
            done.update(ids)
            continue
        flat = torch.cat([p.reshape(-1) for p in ps])
        bufs = reg._buffers
        PW = orbit_project(flat, bufs[f"_fused{gi}_labels"], bufs[f"_fused{gi}_signs"] if signed else None,
                           bufs[f"_fused{gi}_inv"])
        if a == 1.0:
            flat.lerp_(PW, 1.0 - b)
        else:
            flat.mul_(b).add_(PW, alpha=a - b)
        for p, chunk in zip(ps, flat.split(sizes)):
            p.copy_(chunk.view(p.shape))
        done.update(ids)
    return done


@torch.no_grad()
def prox_(reg: Any, lr_of: Callable[[torch.Tensor], float], *, name: str = "lr", value: Any = None) -> None:
    """Apply the proximal map to every parameter of ``reg``, ``lr_of(param)`` giving its step size.

    Parameters
    ----------
    reg : EquivarianceRegularizer
    lr_of : callable
        Parameter → learning rate (the wrapper passes each parameter's group ``lr``).
    name, value
        How to name a bad ``lr`` in the error (checked once here when ``value`` is given).

    Examples
    --------
    >>> import torch
    >>> from torch import nn
    >>> from reptheory import groups, Representation
    >>> from penalties import EquivarianceRegularizer
    >>> R = Representation.regular(groups.cyclic(3))
    >>> reg = EquivarianceRegularizer(nn.Linear(3, 3), {"": (R, R)})
    >>> prox_(reg, lambda p: -1.0)
    Traceback (most recent call last):
    ...
    reptheory.errors.InvalidArgumentError: lr=-1.0: expected a non-negative finite number
    """
    if value is not None:
        check_lr(value, name)
    _check_closed_form(reg)
    done = _prox_fused_(reg, lr_of, name)
    dev = None
    for i, e in enumerate(reg._entries):
        if i in done:
            continue
        p = getattr(e.module, e.param)
        if dev is None:
            dev = p.device
            buf = first_buffer(reg.projectors[e.proj])
            if buf is not None and buf.device != dev and not _is_dtensor(p):
                reg.to(dev)
        lr = check_lr(lr_of(p), name)
        if lr == 0.0:
            continue
        a, b = factors(lr, *reg._lambdas(i))
        if a == 1.0 and b == 1.0:
            continue
        _apply(reg, i, p, a, b)
