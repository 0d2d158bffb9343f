"""The sample-based equivariance test metric (docs/explanation/penalties.md#equivariance-error).

For a model ``f``, test inputs ``x`` and group elements ``g``:

```text
err(f; x, g) = 2 ‖f(ρ_in(g) x) − ρ_out(g) f(x)‖ / (‖f(ρ_in(g) x)‖ + ‖ρ_out(g) f(x)‖ + 1e-12)
```

reported as the median and the maximum over all test points and a fixed set of elements:
every element for finite groups, ``n_samples`` draws from a bank (Haar samples for compact
groups) otherwise.  [`rotation_error`][penalties.metrics.rotation_error] is the same figure for images under continuous
rotations (bilinear interpolation, [`penalties.baselines.rotate_images`][penalties.baselines.rotate_images]).

Examples
--------
>>> import torch
>>> from torch import nn
>>> from reptheory import groups, Representation
>>> R = Representation.regular(groups.cyclic(4))
>>> equivariance_error(nn.Identity(), torch.randn(5, 4), R, R)["max"]
0.0
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from penalties._groupbank import act_on_fields, as_rng, group_bank
from reptheory.errors import DimensionMismatchError, InvalidArgumentError

__all__ = ["equivariance_error", "rotation_error"]


@torch.no_grad()
def equivariance_error(
    model: nn.Module | Any,
    x: torch.Tensor,
    rho_in: Any,
    rho_out: Any,
    n_samples: int | None = None,
    rng: Any = None,
    *,
    grid: Any = None,
    output_grid: bool | None = None,
    bank: Any = None,
) -> dict[str, float]:
    """Relative equivariance error of ``model`` on ``x`` (docs/explanation/penalties.md#equivariance-error).

    Parameters
    ----------
    model : callable
    x : Tensor, shape (B, d_in) or (B, d_in, *spatial)
    rho_in, rho_out : Representation
    n_samples : int, optional
        Number of group elements; ``None`` means every element of a finite group (or the
        whole bank).  Drawn uniformly with ``rng`` otherwise.
    rng : numpy Generator, int or None
    grid : Representation, optional
        Spatial action for field inputs (signed permutation matrices).
    output_grid : bool, optional
        Whether outputs are fields too (default: when ``grid`` is given).
    bank : tuple, optional
        ``(in_mats, out_mats[, grid_mats])`` for compact Lie groups.

    Returns
    -------
    dict
        ``{"median", "max", "mean", "n_elements"}``.

    Notes
    -----
    ``n_samples + 1`` forward passes over the batch.

    Examples
    --------
    >>> import torch
    >>> from torch import nn
    >>> from reptheory import groups, Representation
    >>> R = Representation.regular(groups.cyclic(4))
    >>> err = equivariance_error(nn.Linear(4, 4), torch.randn(3, 4), R, R, n_samples=2, rng=0)
    >>> sorted(err), err["n_elements"]
    (['max', 'mean', 'median', 'n_elements'], 2)
    """
    A, B, Gm = group_bank(rho_in, rho_out, grid, bank)
    N = A.shape[0]
    if not isinstance(x, torch.Tensor) or x.dim() < 2 or x.shape[1] != A.shape[-1]:
        got = tuple(x.shape) if isinstance(x, torch.Tensor) else type(x).__name__
        raise DimensionMismatchError(
            f"equivariance_error: x must have shape (B, {A.shape[-1]}, ...) to match rho_in "
            f"(dimension {A.shape[-1]}), got {got}"
        )
    if n_samples is None:
        idx = list(range(N))
    else:
        if int(n_samples) < 1:
            raise InvalidArgumentError(f"n_samples={n_samples} must be a positive integer")
        idx = [int(i) for i in as_rng(rng).integers(0, N, size=int(n_samples))]
    out_grid = (Gm is not None) if output_grid is None else bool(output_grid)
    fx = model(x)
    if not isinstance(fx, torch.Tensor) or fx.dim() < 2 or fx.shape[1] != B.shape[-1]:
        got = tuple(fx.shape) if isinstance(fx, torch.Tensor) else type(fx).__name__
        raise DimensionMismatchError(
            f"equivariance_error: the model's output must have shape (B, {B.shape[-1]}, ...) to match rho_out "
            f"(dimension {B.shape[-1]}), got {got}"
        )
    errs = []
    for j in idx:
        gi = Gm[j] if Gm is not None else None
        lhs = model(act_on_fields(x, A[j], gi))
        rhs = act_on_fields(fx, B[j], gi if out_grid else None)
        num = (lhs - rhs).reshape(lhs.shape[0], -1).norm(dim=-1)
        den = lhs.reshape(lhs.shape[0], -1).norm(dim=-1) + rhs.reshape(rhs.shape[0], -1).norm(dim=-1) + 1e-12
        errs.append(2 * num / den)
    e = torch.cat(errs).double()
    return {
        "median": float(e.median()),
        "max": float(e.max()),
        "mean": float(e.mean()),
        "n_elements": len(idx),
    }


@torch.no_grad()
def rotation_error(
    model: nn.Module | Any,
    x: torch.Tensor,
    angles: Any = 8,
    *,
    output_action: Any = None,
) -> dict[str, float]:
    """Relative equivariance error of an image model under interpolated rotations.

    ``2 ‖f(R_θ x) − ρ_out(θ) f(x)‖ / (‖f(R_θ x)‖ + ‖ρ_out(θ) f(x)‖ + 1e-12)`` over the images
    and the angles, with ``R_θ`` from [`penalties.baselines.rotate_images`][penalties.baselines.rotate_images].

    Parameters
    ----------
    model : callable
        Images ``(B, C, H, H)`` to outputs ``(B, ...)``.
    x : Tensor, shape (B, C, H, H)
    angles : int or sequence of float
        An int ``k`` means the ``k`` angles ``2π j / k`` for ``j = 1..k`` (the identity excluded);
        multiples of ``π/2`` are exact grid rotations, the others interpolate.
    output_action : callable, optional
        ``(y, θ) → ρ_out(θ) y`` (default: invariant outputs).

    Returns
    -------
    dict
        ``{"median", "max", "mean", "n_elements"}`` as [`equivariance_error`][penalties.metrics.equivariance_error].

    Examples
    --------
    >>> import torch
    >>> from torch import nn
    >>> err = rotation_error(lambda t: t.sum((1, 2, 3))[:, None], torch.rand(2, 1, 4, 4), [3.141592653589793])
    >>> err["max"] < 1e-6
    True
    """
    import math

    from penalties.baselines import rotate_images

    if isinstance(angles, (int,)) and not isinstance(angles, bool):
        if angles < 1:
            raise InvalidArgumentError(f"angles={angles} must be a positive integer or a sequence of angles")
        angles = [2 * math.pi * j / angles for j in range(1, angles + 1)]
    fx = model(x)
    errs = []
    for th in angles:
        lhs = model(rotate_images(x, float(th)))
        rhs = fx if output_action is None else output_action(fx, torch.full((x.shape[0],), float(th), dtype=x.dtype))
        num = (lhs - rhs).reshape(lhs.shape[0], -1).norm(dim=-1)
        den = lhs.reshape(lhs.shape[0], -1).norm(dim=-1) + rhs.reshape(rhs.shape[0], -1).norm(dim=-1) + 1e-12
        errs.append(2 * num / den)
    e = torch.cat(errs).double()
    return {"median": float(e.median()), "max": float(e.max()), "mean": float(e.mean()), "n_elements": len(errs)}
