"""Penalty laws (docs/explanation/penalties.md#basic-facts, docs/explanation/penalties.md#orbit-identity); re-exported by [`reptheory.testing.laws`][reptheory.testing.laws].

Torch and [`penalties`][penalties] are imported inside the functions only.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from reptheory._numerics.tolerance import relative_error
from reptheory.groups.finite import FiniteGroup
from reptheory.reps.representation import Representation
from reptheory.testing._oracles import _TOL, _check_W, _fail, _project, _reference_space, _space  # noqa: F401

__all__ = ["orbit_identity", "penalty_nonnegative", "penalty_zero_iff_equivariant", "penalty_gradient"]


def orbit_identity(
    rho_in: Representation,
    rho_out: Representation,
    W: Any,
    *,
    space: Any = None,
    n_samples: int = 4096,
    rng: np.random.Generator | int | None = 0,
) -> None:
    """``∫_G ‖ρ_out(g) W − W ρ_in(g)‖² dg = 2 ‖W − P(W)‖²`` for orthogonal representations (docs/explanation/penalties.md#orbit-identity).

    Finite groups: the exact average over all elements, tolerance of the policy.
    Compact Lie groups: a Monte-Carlo mean over ``n_samples`` Haar draws
    (``G.sample``); it must lie within ``6 σ̂/√n`` of the target, σ̂ the sample
    standard deviation (a 6-sigma band: spurious failures have probability below 1e-8
    for a Gaussian mean).

    Examples
    --------
    >>> import numpy as np
    >>> from reptheory import groups
    >>> R = Representation.regular(groups.dihedral(3))
    >>> orbit_identity(R, R, np.arange(36.0).reshape(6, 6))
    """
    __tracebackhide__ = True
    W = _check_W(rho_in, rho_out, W).astype(np.float64)
    sp = _reference_space(rho_in, rho_out, space)
    E = W - _project(sp, W)
    target = 2.0 * float(np.vdot(E, E).real)
    G = rho_in.group
    if isinstance(G, FiniteGroup):
        M_in, M_out = np.asarray(rho_in.matrices()), np.asarray(rho_out.matrices())
        D = np.einsum("gij,jk->gik", M_out, W) - np.einsum("ij,gjk->gik", W, M_in)
        vals = np.sum(np.abs(D) ** 2, axis=(1, 2))
        mean = float(vals.mean())
        band = _TOL * max(1.0, 2 * float(np.vdot(W, W).real))
    else:
        gs = G.sample(int(n_samples), np.random.default_rng(rng))
        vals = np.array([np.sum(np.abs(rho_out.matrix(g) @ W - W @ rho_in.matrix(g)) ** 2) for g in gs])
        mean = float(vals.mean())
        band = 6.0 * float(vals.std()) / np.sqrt(len(vals)) + _TOL * max(1.0, target)
    if abs(mean - target) > band:
        _fail(
            f"orbit identity fails: mean ||rho_out(g) W - W rho_in(g)||^2 = {mean:.6g} but "
            f"2 ||W - P(W)||^2 = {target:.6g} (allowed deviation {band:.3g})"
        )


def _default_penalty(rho_in: Representation, rho_out: Representation) -> Any:
    from penalties.functional import projection_penalty
    from penalties.projectors import projection_for

    P = projection_for(rho_in, rho_out).double()

    def pen(weight: Any) -> Any:
        return projection_penalty(weight, P, lambda_eq=0.0, lambda_perp=1.0)

    return pen


def _penalty_setup(rho_in: Representation, rho_out: Representation, W: Any, space: Any, penalty: Any) -> Any:
    import torch

    W = _check_W(rho_in, rho_out, W).astype(np.float64)
    sp = _reference_space(rho_in, rho_out, space)
    pen = penalty if penalty is not None else _default_penalty(rho_in, rho_out)
    return torch, W, sp, pen


def penalty_nonnegative(
    rho_in: Representation, rho_out: Representation, W: Any, *, space: Any = None, penalty: Any = None
) -> None:
    """``R(W) = ‖W − P(W)‖² ≥ 0`` and equals ``‖W − P(W)‖_F²`` computed in numpy.

    ``penalty`` maps a float64 torch tensor ``W`` (shape ``(d_out, d_in)``) to a scalar;
    by default ``penalties.functional.projection_penalty`` with ``lambda_eq=0``,
    ``lambda_perp=1`` and ``penalties.projectors.projection_for(rho_in, rho_out)``.
    The reference ``P`` (``space``) defaults to the explicit group average for finite
    groups and to [`reptheory.hom.space.intertwiners`][reptheory.hom.space.intertwiners] otherwise, so the
    penalty is checked against an independent oracle.  Torch is imported inside.

    Examples
    --------
    >>> import numpy as np
    >>> from reptheory import groups
    >>> R = Representation.regular(groups.cyclic(3))
    >>> penalty_nonnegative(R, R, np.diag([1.0, 2.0, 3.0]))
    """
    __tracebackhide__ = True
    torch, W, sp, pen = _penalty_setup(rho_in, rho_out, W, space, penalty)
    val = float(pen(torch.as_tensor(W, dtype=torch.float64)))
    E = W - _project(sp, W)
    want = float(np.vdot(E, E).real)
    if val < 0:
        _fail(f"penalty is negative: R(W) = {val:.6g}")
    if abs(val - want) > _TOL * max(1.0, float(np.vdot(W, W).real)):
        _fail(f"penalty R(W) = {val:.6g} but ||W - P(W)||^2 = {want:.6g}")


def penalty_zero_iff_equivariant(
    rho_in: Representation, rho_out: Representation, W: Any, *, space: Any = None, penalty: Any = None
) -> None:
    """``R(P(W)) = 0``, and ``R(W) > 0`` exactly when ``W`` is not equivariant.

    "Equivariant" means ``‖W − P(W)‖_F² ≤ tol · max(1, ‖W‖_F²)`` with the reference P and
    the float64 tolerance of the policy.  Arguments as in [`penalty_nonnegative`][reptheory.testing._penalty_laws.penalty_nonnegative].

    Examples
    --------
    >>> import numpy as np
    >>> from reptheory import groups
    >>> R = Representation.regular(groups.cyclic(3))
    >>> penalty_zero_iff_equivariant(R, R, np.ones((3, 3)))
    """
    __tracebackhide__ = True
    torch, W, sp, pen = _penalty_setup(rho_in, rho_out, W, space, penalty)
    PW = _project(sp, W)
    scale = max(1.0, float(np.vdot(W, W).real))
    at_p = float(pen(torch.as_tensor(PW, dtype=torch.float64)))
    if abs(at_p) > _TOL * scale:
        _fail(f"penalty does not vanish on the equivariant P(W): R(P(W)) = {at_p:.3g}")
    val = float(pen(torch.as_tensor(W, dtype=torch.float64)))
    E = W - PW
    dist2 = float(np.vdot(E, E).real)
    if dist2 <= _TOL * scale and abs(val) > _TOL * scale:
        _fail(f"W is equivariant (||W - P(W)||^2 = {dist2:.3g}) but R(W) = {val:.3g}")
    if dist2 > _TOL * scale and not val > 0:
        _fail(f"W is not equivariant (||W - P(W)||^2 = {dist2:.3g}) but R(W) = {val:.3g}")


def penalty_gradient(
    rho_in: Representation, rho_out: Representation, W: Any, *, space: Any = None, penalty: Any = None
) -> None:
    """``∇_W ‖W − P(W)‖² = 2 (W − P(W))`` (docs/explanation/penalties.md#basic-facts), by torch autograd.

    Arguments as in [`penalty_nonnegative`][reptheory.testing._penalty_laws.penalty_nonnegative].

    Examples
    --------
    >>> import numpy as np
    >>> from reptheory import groups
    >>> R = Representation.regular(groups.dihedral(3))
    >>> penalty_gradient(R, R, np.arange(36.0).reshape(6, 6))
    """
    __tracebackhide__ = True
    torch, W, sp, pen = _penalty_setup(rho_in, rho_out, W, space, penalty)
    w = torch.as_tensor(W, dtype=torch.float64).clone().requires_grad_(True)
    pen(w).backward()
    grad = w.grad.detach().numpy()
    want = 2.0 * (W - _project(sp, W))
    err = relative_error(grad, want)
    if err > _TOL:
        _fail(
            f"gradient of the penalty differs from 2 (W - P(W)) (relative error {err:.3g} > tolerance {_TOL:.3g})"
        )
