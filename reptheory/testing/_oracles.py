"""Oracles and helpers shared by the laws (private).

The brute-force Reynolds operator [`explicit_group_average`][reptheory.testing._oracles.explicit_group_average], characters from
element matrices, and the small argument helpers of [`reptheory.testing.laws`][reptheory.testing.laws].
"""

from __future__ import annotations

from typing import Any

import numpy as np

from reptheory._numerics.tolerance import tolerance
from reptheory.errors import InvalidArgumentError
from reptheory.groups.finite import FiniteGroup
from reptheory.reps.representation import Representation
from reptheory.testing.assertions import _check_pair

__all__ = ["explicit_group_average"]

#: Groups up to this order get the brute-force O(n³) associativity check.
BRUTE_FORCE_ORDER = 64

_TOL = tolerance("float64").rtol


def _fail(message: str) -> None:
    __tracebackhide__ = True
    raise AssertionError(message)


# =========================================================================== oracles
def _finite_group_of(rho: Representation, law: str) -> FiniteGroup:
    G = rho.group
    if not isinstance(G, FiniteGroup):
        raise InvalidArgumentError(f"{law} is stated for finite groups; got {getattr(G, 'name', G)!r}")
    return G


def explicit_group_average(rho_in: Representation, rho_out: Representation, W: Any) -> np.ndarray:
    """The Reynolds operator by brute force: ``(1/|G|) Σ_g ρ_out(g) W ρ_in(g)⁻¹`` (finite G).

    The oracle for every projector law (docs/explanation/projector.md#reynolds-operator); ``W`` has shape ``(d_out, d_in)``
    or ``(batch, d_out, d_in)``.  Cost ``O(|G| d_out d_in (d_out + d_in))`` per matrix.

    Examples
    --------
    >>> import numpy as np
    >>> from reptheory import groups
    >>> R = Representation.regular(groups.cyclic(3))
    >>> explicit_group_average(R, R, np.diag([3.0, 0.0, 0.0]))
    array([[1., 0., 0.],
           [0., 1., 0.],
           [0., 0., 1.]])
    """
    _check_pair(rho_in, rho_out)
    G = _finite_group_of(rho_in, "explicit_group_average")
    M_in = np.asarray(rho_in.matrices())
    M_out = np.asarray(rho_out.matrices())
    inv = np.asarray(G.inverse(np.arange(G.order)))
    W = np.asarray(W)
    out = np.einsum("gij,...jk,gkl->...il", M_out, W, M_in[inv], optimize=True) / G.order
    if not (np.iscomplexobj(M_in) or np.iscomplexobj(M_out) or np.iscomplexobj(W)):
        out = out.real
    return np.asarray(out)


def _characters(rho: Representation) -> np.ndarray:
    """``χ(g) = tr ρ(g)`` on every element (from the element matrices)."""
    return np.trace(np.asarray(rho.matrices()), axis1=1, axis2=2)


def _inner(G: FiniteGroup, chi: np.ndarray, psi: np.ndarray) -> complex:
    return complex(np.sum(chi * np.conj(psi)) / G.order)


def _space(rho_in: Representation, rho_out: Representation, space: Any, **kw: Any) -> Any:
    _check_pair(rho_in, rho_out)
    if space is not None:
        return space
    from reptheory.hom.space import intertwiners

    return intertwiners(rho_in, rho_out, **kw)


def _project(space: Any, W: np.ndarray) -> np.ndarray:
    return np.asarray(space.project(W) if hasattr(space, "project") else space(W))


def _check_W(rho_in: Representation, rho_out: Representation, W: Any, name: str = "W") -> np.ndarray:
    W = np.asarray(W)
    if W.shape != (rho_out.dim, rho_in.dim):
        raise InvalidArgumentError(f"{name} must have shape ({rho_out.dim}, {rho_in.dim}), got {W.shape}")
    return W


def _reference_space(rho_in: Representation, rho_out: Representation, space: Any) -> Any:
    """``space`` if given; else the explicit average (finite G) or the library's intertwiner space."""
    _check_pair(rho_in, rho_out)
    if space is not None:
        return space
    if isinstance(rho_in.group, FiniteGroup):
        return lambda W: explicit_group_average(rho_in, rho_out, W)
    return _space(rho_in, rho_out, None)
