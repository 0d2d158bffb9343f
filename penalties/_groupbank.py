"""Banks of group-element matrices and the action of a group on fields (shared by baselines and metrics).

Examples
--------
>>> import torch
>>> x = torch.arange(4.0).reshape(1, 1, 2, 2)
>>> act_on_fields(x, torch.eye(1), torch.tensor([[0, -1], [1, 0]]))[0, 0]
tensor([[1., 3.],
        [0., 2.]])
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from reptheory.errors import GroupMismatchError, InvalidArgumentError

__all__ = ["act_on_fields", "as_rng", "group_bank"]


def as_rng(rng: Any) -> np.random.Generator:
    """``np.random.Generator | int | None`` → Generator (never the global state).

    Examples
    --------
    >>> bool(as_rng(3).integers(10) == as_rng(3).integers(10))
    True
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None or isinstance(rng, (int, np.integer)):
        return np.random.default_rng(rng)
    raise InvalidArgumentError(f"rng must be a numpy Generator, an int or None, got {type(rng).__name__}")


def group_bank(
    rho_in: Any, rho_out: Any, grid: Any = None, bank: Any = None
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor | None]:
    """Matrices of group elements, float64: ``(ρ_in (N, d_in, d_in), ρ_out (N, d_out, d_out), grid (N, n, n) | None)``.

    Finite groups: all elements (uniform sampling from the bank is Haar sampling).  Compact
    Lie groups: pass ``bank = (in_mats, out_mats[, grid_mats])``, e.g. Haar samples drawn once
    with a fixed seed (docs/explanation/penalties.md#equivariance-error).

    Examples
    --------
    >>> from reptheory import groups, Representation
    >>> R = Representation.regular(groups.cyclic(3))
    >>> [t.shape[0] for t in group_bank(R, R)[:2]]
    [3, 3]
    """
    if bank is not None:
        mats = [None if b is None else torch.as_tensor(np.asarray(b), dtype=torch.float64) for b in bank]
        if len(mats) == 2:
            mats.append(None)
        a, b, c = mats
        if a is None or b is None or a.shape[0] != b.shape[0] or a.dim() != 3 or b.dim() != 3:
            raise InvalidArgumentError("bank must be (in_mats (N, d_in, d_in), out_mats (N, d_out, d_out)[, grid])")
        return a, b, c
    if rho_in.group != rho_out.group or (grid is not None and grid.group != rho_in.group):
        raise GroupMismatchError(
            f"rho_in ({rho_in.group.name}), rho_out ({rho_out.group.name})"
            + (f" and grid ({grid.group.name})" if grid is not None else "")
            + " must be representations of one group"
        )
    if not hasattr(rho_in.group, "order") or rho_in.algebra.shape[0]:
        raise InvalidArgumentError(
            f"{rho_in.group.name} is not finite: pass bank=(in_mats, out_mats) of Haar-sampled elements"
        )

    def mats(r: Any) -> torch.Tensor:
        m = np.asarray(r.matrices())
        if np.iscomplexobj(m):
            return torch.as_tensor(m)
        return torch.as_tensor(np.array(m, dtype=np.float64))

    g = None if grid is None else torch.as_tensor(np.round(np.asarray(grid.matrices())), dtype=torch.float64)
    return mats(rho_in), mats(rho_out), g


def act_on_fields(x: torch.Tensor, rho: torch.Tensor, grid: torch.Tensor | None = None) -> torch.Tensor:
    """``(g·x)(u) = ρ(g) x(g⁻¹ u)`` for one element.

    Parameters
    ----------
    x : Tensor, shape (B, d) or (B, d, *spatial)
        Vectors, or fields with channels on axis 1 (coordinates = array indices about the centre).
    rho : Tensor, shape (d, d)
    grid : Tensor, shape (n, n), optional
        A signed permutation matrix acting on the ``n`` spatial axes (square/cubic sizes
        where axes are exchanged).
    """
    rho = rho.to(device=x.device, dtype=x.dtype if not rho.is_complex() else rho.dtype)
    y = torch.einsum("ij,bj...->bi...", rho, x.to(rho.dtype) if rho.is_complex() else x)
    if grid is None:
        return y
    g = np.round(grid.detach().cpu().numpy()).astype(np.int64)
    n = g.shape[0]
    # (g·y)[u] = y[g^{-1} u], g^{-1} = g^T: output axis a reads input axis b (g[a, b] = ±1), flipped if −1
    perm, flip = [], []
    for a in range(n):
        b = int(np.flatnonzero(g[a])[0])
        perm.append(b)
        flip.append(g[a, b] < 0)
    lead = y.dim() - n
    y = y.permute(*range(lead), *[lead + b for b in perm])
    dims = [lead + a for a in range(n) if flip[a]]
    return torch.flip(y, dims) if dims else y
