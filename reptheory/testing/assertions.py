"""Assertions for representations, intertwiners, projectors and equivariant models.

Each assertion raises `AssertionError` whose message names the worst
violating element (or generator, or test matrix) and the size of the violation,
measured by the library's single tolerance policy
([`reptheory._numerics.tolerance.relative_error`][reptheory._numerics.tolerance.relative_error], ``‖a − b‖_F / max(1, ‖a‖_F, ‖b‖_F)``,
against [`reptheory._numerics.tolerance.tolerance`][reptheory._numerics.tolerance.tolerance] of the relevant dtype).  The
functions set ``__tracebackhide__`` so that pytest shows the caller's frame.

Examples
--------
>>> from reptheory import groups, Representation
>>> from reptheory.testing import assert_homomorphism
>>> assert_homomorphism(Representation.regular(groups.symmetric(3)))
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import numpy as np

from reptheory._numerics.tolerance import relative_error, tolerance
from reptheory.errors import InvalidArgumentError
from reptheory.groups.finite import FiniteGroup
from reptheory.reps.representation import Representation

__all__ = [
    "assert_homomorphism",
    "assert_intertwiner",
    "assert_projector",
    "assert_equivariant_model",
]

#: Groups up to this order are checked on all pairs ``(g, h)``; larger ones on ``(g, s)`` for generators s.
ALL_PAIRS_LIMIT = 64


def _rtol(dtype: Any, rtol: float | None) -> float:
    return tolerance(dtype).rtol if rtol is None else float(rtol)


def _batched_errors(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Policy errors of stacked matrices, shape (..., m, n) -> (...)."""
    diff = np.linalg.norm(a - b, axis=(-2, -1))
    scale = np.maximum(1.0, np.maximum(np.linalg.norm(a, axis=(-2, -1)), np.linalg.norm(b, axis=(-2, -1))))
    return diff / scale


def _label(G: Any, g: int) -> str:
    try:
        return str(G.labels[g])
    except Exception:
        return str(g)


def _element_images(rho: Any, group: Any) -> tuple[Any, np.ndarray]:
    """``(G, M)`` with ``M[g] = ρ(g)`` for every element of a finite group."""
    if isinstance(rho, Representation):
        if not isinstance(rho.group, FiniteGroup):
            raise InvalidArgumentError("element images are available for finite groups only")
        return rho.group, np.asarray(rho.matrices())
    if callable(rho):
        if not isinstance(group, FiniteGroup):
            raise InvalidArgumentError(
                "a representation given as a function needs group= (a FiniteGroup), got "
                f"{type(group).__name__}"
            )
        mats = np.stack([np.asarray(rho(g)) for g in range(group.order)])
        if mats.ndim != 3 or mats.shape[1] != mats.shape[2]:
            raise InvalidArgumentError(f"rho(g) must return square matrices, got shape {mats.shape[1:]}")
        return group, mats
    raise InvalidArgumentError(
        f"rho must be a Representation or a function g -> matrix, got {type(rho).__name__}"
    )


def _assert_lie_homomorphism(rho: Representation, n_samples: int, rng: Any, rtol: float | None) -> None:
    __tracebackhide__ = True
    G = rho.group
    A = np.asarray(rho.algebra)
    tol = _rtol(A.dtype if A.size else rho.images.dtype, rtol)
    f = np.asarray(G.structure_constants)
    worst = (-1.0, "")
    for a in range(len(A)):
        for b in range(a + 1, len(A)):
            lhs = A[a] @ A[b] - A[b] @ A[a]
            rhs = np.einsum("c,cij->ij", f[a, b], A)
            err = relative_error(lhs, rhs)
            if err > worst[0]:
                worst = (err, f"[drho(X_{a}), drho(X_{b})] != sum_c f_{a}{b}c drho(X_c)")
    if worst[0] > tol:
        raise AssertionError(
            f"the Lie-algebra images violate the bracket relations: worst {worst[1]} "
            f"(relative error {worst[0]:.3g} > tolerance {tol:.3g})"
        )
    gen = np.random.default_rng(rng)
    gs = G.sample(2 * int(n_samples), gen)
    e = G.identity
    err = relative_error(rho.matrix(e), np.eye(rho.dim))
    if err > tol:
        raise AssertionError(f"rho(e) != I (relative error {err:.3g} > tolerance {tol:.3g})")
    worst = (-1.0, "")
    for i in range(int(n_samples)):
        g, h = gs[2 * i], gs[2 * i + 1]
        err = relative_error(rho.matrix(g * h), rho.matrix(g) @ rho.matrix(h))
        if err > worst[0]:
            worst = (err, f"Haar sample pair {i}")
    if worst[0] > tol:
        raise AssertionError(
            f"rho(g h) != rho(g) rho(h): worst at {worst[1]} (relative error {worst[0]:.3g} > tolerance {tol:.3g})"
        )


def assert_homomorphism(
    rho: Any,
    *,
    group: FiniteGroup | None = None,
    rtol: float | None = None,
    n_samples: int = 8,
    rng: np.random.Generator | int | None = 0,
) -> None:
    """Assert ``ρ(g h) = ρ(g) ρ(h)`` and ``ρ(e) = I``.

    Parameters
    ----------
    rho : Representation or callable
        A representation of a finite group, or a function ``g ↦ ρ(g)`` on element
        indices (then ``group`` is required); every element's matrix is used, so a
        function that is wrong away from the generators is caught.
    group : FiniteGroup, optional
    rtol : float, optional
        Override the policy tolerance of the matrices' dtype.
    n_samples, rng
        Compact Lie groups: the number of Haar-sampled pairs ``(g, h)`` and their source.

    Notes
    -----
    Finite groups: all pairs for ``|G| <= ALL_PAIRS_LIMIT``, otherwise all pairs
    ``(g, s)`` with s a generator (equivalent: the Schreier relations);
    ``O(|G|² d³)`` resp. ``O(|G| k d³)``.  Compact Lie groups: the bracket
    relations ``[dρ(X_a), dρ(X_b)] = Σ_c f_abc dρ(X_c)`` and ``n_samples`` sampled
    pairs (which also exercise the discrete generators).

    Examples
    --------
    >>> import numpy as np
    >>> from reptheory import groups
    >>> G = groups.cyclic(4)
    >>> assert_homomorphism(lambda g: np.array([[(-1.0) ** g]]), group=G)
    >>> assert_homomorphism(lambda g: np.array([[2.0 ** g]]), group=G)
    Traceback (most recent call last):
    ...
    AssertionError: rho(g h) != rho(g) rho(h): worst at g=r, h=r^3 (relative error ... > tolerance ...)
    """
    __tracebackhide__ = True
    if isinstance(rho, Representation) and not isinstance(rho.group, FiniteGroup):
        _assert_lie_homomorphism(rho, n_samples, rng, rtol)
        return
    G, M = _element_images(rho, group)
    tol = _rtol(M.dtype, rtol)
    n, d = M.shape[0], M.shape[1]
    e = G.identity
    err_e = relative_error(M[e], np.eye(d))
    if err_e > tol:
        raise AssertionError(f"rho(e) != I (relative error {err_e:.3g} > tolerance {tol:.3g})")
    hs = np.arange(n) if n <= ALL_PAIRS_LIMIT else np.asarray(G.generators, dtype=np.int64)
    gg = np.arange(n)[:, None]
    prod = np.asarray(G.mul(gg, hs[None, :]))
    lhs = M[prod]  # rho(g h), shape (n, m, d, d)
    rhs = np.einsum("gij,hjk->ghik", M, M[hs])
    errs = _batched_errors(lhs, rhs)
    worst = np.unravel_index(int(np.argmax(errs)), errs.shape)
    if errs[worst] > tol:
        g, h = int(worst[0]), int(hs[worst[1]])
        raise AssertionError(
            f"rho(g h) != rho(g) rho(h): worst at g={_label(G, g)}, h={_label(G, h)} "
            f"(relative error {errs[worst]:.3g} > tolerance {tol:.3g})"
        )


def _generator_images(rho: Representation) -> list[tuple[str, np.ndarray, bool]]:
    """``(name, matrix, is_algebra)`` for every discrete generator and Lie-algebra basis element."""
    out: list[tuple[str, np.ndarray, bool]] = []
    G = rho.group
    for j, m in enumerate(rho.images):
        if isinstance(G, FiniteGroup):
            name = f"generator {j} ({_label(G, G.generators[j])})"
        else:
            name = f"discrete generator {j}"
        out.append((name, np.asarray(m), False))
    for a, x in enumerate(rho.algebra):
        out.append((f"Lie algebra generator {a}", np.asarray(x), True))
    return out


def _check_pair(rho_in: Any, rho_out: Any) -> None:
    for name, r in (("rho_in", rho_in), ("rho_out", rho_out)):
        if not isinstance(r, Representation):
            raise InvalidArgumentError(f"{name} must be a Representation, got {type(r).__name__}")
    if rho_in.group != rho_out.group:
        raise InvalidArgumentError(
            f"rho_in and rho_out are representations of different groups "
            f"({rho_in.group.name} and {rho_out.group.name})"
        )


def intertwiner_residuals(W: Any, rho_in: Representation, rho_out: Representation) -> list[tuple[str, float]]:
    """``(generator, relative error of ρ_out(s) W = W ρ_in(s))`` for every generator (and ``dρ``).

    Examples
    --------
    >>> import numpy as np
    >>> from reptheory import groups
    >>> R = Representation.regular(groups.cyclic(3))
    >>> [round(e, 3) for _, e in intertwiner_residuals(np.ones((3, 3)), R, R)]
    [0.0]
    """
    _check_pair(rho_in, rho_out)
    W = np.asarray(W)
    if W.shape != (rho_out.dim, rho_in.dim):
        raise InvalidArgumentError(f"W must have shape ({rho_out.dim}, {rho_in.dim}), got {W.shape}")
    res = []
    gin = _generator_images(rho_in)
    gout = _generator_images(rho_out)
    for (name, a_in, _), (_, a_out, _) in zip(gin, gout, strict=True):
        lhs, rhs = a_out @ W, W @ a_in
        scale = max(1.0, float(np.linalg.norm(a_out)) * float(np.linalg.norm(W)))
        res.append((name, float(np.linalg.norm(lhs - rhs)) / scale))
    return res


def assert_intertwiner(
    W: Any, rho_in: Representation, rho_out: Representation, *, rtol: float | None = None
) -> None:
    """Assert ``ρ_out(s) W = W ρ_in(s)`` for every generator s (and ``dρ_out(X) W = W dρ_in(X)``).

    By docs/explanation/projector.md#generators-suffice the generators suffice.  ``W`` has shape ``(d_out, d_in)``
    (numpy or anything ``np.asarray`` accepts); the tolerance is that of its dtype.
    The error of each generator is ``‖ρ_out(s) W − W ρ_in(s)‖_F / max(1, ‖ρ_out(s)‖_F ‖W‖_F)``.

    Examples
    --------
    >>> import numpy as np
    >>> from reptheory import groups
    >>> R = Representation.regular(groups.cyclic(3))
    >>> assert_intertwiner(np.ones((3, 3)), R, R)
    >>> assert_intertwiner(np.diag([1.0, 0.0, 0.0]), R, R)
    Traceback (most recent call last):
    ...
    AssertionError: W is not an intertwiner: rho_out(s) W != W rho_in(s), worst at generator 0 (r) (relative error ... > tolerance ...)
    """
    __tracebackhide__ = True
    W = np.asarray(W)
    tol = _rtol(W.dtype if W.dtype.kind in "fc" else np.float64, rtol)
    res = intertwiner_residuals(W, rho_in, rho_out)
    if not res:
        return
    name, err = max(res, key=lambda t: t[1])
    if err > tol:
        raise AssertionError(
            f"W is not an intertwiner: rho_out(s) W != W rho_in(s), worst at {name} "
            f"(relative error {err:.3g} > tolerance {tol:.3g})"
        )


def _as_projection(P: Any) -> Callable[[np.ndarray], np.ndarray]:
    if hasattr(P, "project"):
        return lambda W: np.asarray(P.project(W))
    if callable(P):
        return lambda W: np.asarray(P(W))
    raise InvalidArgumentError(f"P must be a callable W -> P(W) or have .project, got {type(P).__name__}")


def assert_projector(
    P: Any,
    rho_in: Representation,
    rho_out: Representation,
    *,
    n_tests: int = 4,
    rng: np.random.Generator | int | None = 0,
    orthogonal: bool | None = None,
    rtol: float | None = None,
) -> None:
    """Assert that ``P`` is a projector onto ``Hom_G(ρ_in, ρ_out)`` (the Reynolds operator).

    On ``n_tests`` random matrices ``A``: ``P(A)`` is an intertwiner,
    ``P(P(A)) = P(A)``, and, when both representations are orthogonal (or
    ``orthogonal=True``), ``<P(A), B> = <A, P(B)>`` (self-adjoint, hence the
    orthogonal projector).  For finite groups also ``P(A)`` equals the explicit
    group average ``(1/|G|) Σ_g ρ_out(g) A ρ_in(g)⁻¹``, which pins down the range.

    Parameters
    ----------
    P : callable or object with ``.project``
        ``W ↦ P(W)`` on arrays of shape ``(d_out, d_in)`` (an ``IntertwinerSpace`` works).
    rng : numpy Generator, int or None
        Source of the test matrices.

    Examples
    --------
    >>> from reptheory import groups
    >>> from reptheory.testing.laws import explicit_group_average
    >>> R = Representation.regular(groups.dihedral(3))
    >>> assert_projector(lambda W: explicit_group_average(R, R, W), R, R)
    >>> assert_projector(lambda W: W, R, R)
    Traceback (most recent call last):
    ...
    AssertionError: P(A) is not an intertwiner for test matrix 0: worst at generator 0 (r) (relative error ... > tolerance ...)
    """
    __tracebackhide__ = True
    _check_pair(rho_in, rho_out)
    proj = _as_projection(P)
    gen = np.random.default_rng(rng)
    if orthogonal is None:
        orthogonal = rho_in.is_orthogonal() and rho_out.is_orthogonal()
    shape = (rho_out.dim, rho_in.dim)
    tests = gen.standard_normal((max(int(n_tests), 1) + 1, *shape))
    finite = isinstance(rho_in.group, FiniteGroup)
    for i in range(len(tests) - 1):
        A, B = tests[i], tests[i + 1]
        PA = proj(A)
        tol = _rtol(PA.dtype if PA.dtype.kind in "fc" else np.float64, rtol)
        res = intertwiner_residuals(PA, rho_in, rho_out)
        if res:
            name, err = max(res, key=lambda t: t[1])
            if err > tol:
                raise AssertionError(
                    f"P(A) is not an intertwiner for test matrix {i}: worst at {name} "
                    f"(relative error {err:.3g} > tolerance {tol:.3g})"
                )
        err = relative_error(proj(PA), PA)
        if err > tol:
            raise AssertionError(
                f"P is not idempotent: P(P(A)) != P(A) for test matrix {i} (relative error {err:.3g} > tolerance {tol:.3g})"
            )
        if orthogonal:
            lhs, rhs = float(np.vdot(PA, B).real), float(np.vdot(A, proj(B)).real)
            scale = max(1.0, float(np.linalg.norm(A)) * float(np.linalg.norm(B)))
            err = abs(lhs - rhs) / scale
            if err > tol:
                raise AssertionError(
                    f"P is not self-adjoint: <P(A), B> = {lhs:.6g} but <A, P(B)> = {rhs:.6g} for test "
                    f"matrix {i} (relative error {err:.3g} > tolerance {tol:.3g})"
                )
        if finite:
            from reptheory.testing.laws import explicit_group_average

            ref = explicit_group_average(rho_in, rho_out, A)
            err = relative_error(PA, ref)
            if err > tol:
                raise AssertionError(
                    f"P(A) differs from the explicit group average for test matrix {i} "
                    f"(relative error {err:.3g} > tolerance {tol:.3g})"
                )


def _torch_module(f: Any) -> Any:
    torch = sys.modules.get("torch")
    if torch is not None and isinstance(f, torch.nn.Module):
        return torch
    return None


def assert_equivariant_model(
    f: Any,
    rho_in: Representation,
    rho_out: Representation,
    *,
    inputs: Any = None,
    n_inputs: int = 4,
    rng: np.random.Generator | int | None = 0,
    n_samples: int = 8,
    rtol: float | None = None,
) -> None:
    """Assert ``f(ρ_in(g) x) = ρ_out(g) f(x)`` for a model acting on batches of vectors.

    Parameters
    ----------
    f : callable or torch.nn.Module
        Maps inputs of shape ``(batch, d_in)`` to outputs ``(batch, d_out)``.  A
        ``torch.nn.Module`` gets torch tensors of its parameters' dtype.
    rho_in, rho_out : Representation
    inputs : array_like, shape (batch, d_in), optional
        Default: ``n_inputs`` standard normal vectors from ``rng``.
    n_samples : int
        For compact Lie groups, the number of Haar samples (``G.sample``); finite
        groups are checked on their generators, which suffices (if f commutes with
        the action of s and t it commutes with that of st).

    Notes
    -----
    Error per element: ``‖f(x ρ_in(g)ᵀ) − f(x) ρ_out(g)ᵀ‖_F / max(1, ‖·‖_F, ‖·‖_F)``,
    tolerance of the output dtype.

    Examples
    --------
    >>> import numpy as np
    >>> from reptheory import groups
    >>> R = Representation.regular(groups.cyclic(4))
    >>> assert_equivariant_model(lambda x: x + x.sum(axis=1, keepdims=True), R, R)
    >>> assert_equivariant_model(lambda x: x * np.arange(4.0), R, R)
    Traceback (most recent call last):
    ...
    AssertionError: model is not equivariant: f(rho_in(g) x) != rho_out(g) f(x), worst at g = generator 0 (r) (relative error ... > tolerance ...)
    """
    __tracebackhide__ = True
    _check_pair(rho_in, rho_out)
    gen = np.random.default_rng(rng)
    X = (
        gen.standard_normal((int(n_inputs), rho_in.dim))
        if inputs is None
        else np.asarray(inputs, dtype=float)
    )
    if X.ndim != 2 or X.shape[1] != rho_in.dim:
        raise InvalidArgumentError(f"inputs must have shape (batch, {rho_in.dim}), got {X.shape}")
    G = rho_in.group
    elements: list[tuple[str, np.ndarray, np.ndarray]] = []
    if isinstance(G, FiniteGroup):
        for j, s in enumerate(G.generators):
            elements.append((f"generator {j} ({_label(G, s)})", rho_in.images[j], rho_out.images[j]))
    else:
        for i, g in enumerate(G.sample(int(n_samples), gen)):
            elements.append((f"Haar sample {i}", rho_in.matrix(g), rho_out.matrix(g)))
    torch = _torch_module(f)
    if torch is not None:
        params = list(f.parameters())
        tdtype = params[0].dtype if params else torch.get_default_dtype()

        def call(x: np.ndarray) -> np.ndarray:
            with torch.no_grad():
                return f(torch.as_tensor(x, dtype=tdtype)).detach().cpu().numpy()  # type: ignore[no-any-return]

        out_dtype: Any = str(tdtype)
    else:

        def call(x: np.ndarray) -> np.ndarray:
            return np.asarray(f(x))

        out_dtype = None
    fx = call(X)
    if fx.ndim != 2 or fx.shape != (X.shape[0], rho_out.dim):
        raise InvalidArgumentError(
            f"f must map (batch, {rho_in.dim}) to (batch, {rho_out.dim}), got {fx.shape}"
        )
    tol = _rtol(out_dtype if out_dtype is not None else fx.dtype, rtol)
    worst = ("", -1.0)
    for name, m_in, m_out in elements:
        lhs = call(X @ np.asarray(m_in).T)
        rhs = fx @ np.asarray(m_out).T
        err = relative_error(lhs, rhs)
        if err > worst[1]:
            worst = (name, err)
    if worst[1] > tol:
        raise AssertionError(
            f"model is not equivariant: f(rho_in(g) x) != rho_out(g) f(x), worst at g = {worst[0]} "
            f"(relative error {worst[1]:.3g} > tolerance {tol:.3g})"
        )
