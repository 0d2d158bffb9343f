"""Pure, differentiable penalty functions (the functional core; docs/explanation/penalties.md#the-penalty).

The projection penalty of one weight ``W`` (docs/explanation/penalties.md#the-penalty, Berndt & Stühmer 2026) is

$$
R(W) = \\lambda_G \\,\\|P(W)\\| + \\lambda_\\perp \\,\\|W - P(W)\\|,
$$

with ``P`` the Reynolds operator (the orthogonal projector onto ``Hom_G`` for orthogonal
representations) and ``‖·‖`` one of ``"fro2"`` (squared Frobenius, the default and the only
variant for which the identities of docs/explanation/penalties.md#basic-facts, docs/explanation/penalties.md#rpp hold), ``"fro"`` (Frobenius) or
``"spectral"`` (largest singular value of the weight's matrix form).  The ``λ_⊥`` term is
also Kim et al.'s (2023) PER regulariser.

Every function here is pure: no state, no Python objects on the forward path except the
projector's buffers.  Functions accept leading batch axes and work for float32, float64,
bfloat16/float16 (computed and returned in float32) and complex weights, on any device.

Examples
--------
>>> import torch
>>> from penalties.projectors import OrbitProjection
>>> P = OrbitProjection(torch.tensor([0, 0]), torch.tensor([1.0, 1.0]), 1, shape=(1, 2))
>>> W = torch.tensor([[1.0, 3.0]])
>>> projection_penalty(W, P)          # ‖W − mean‖² = 1 + 1
tensor(2.)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import torch

from reptheory.errors import ConvergenceError, DimensionMismatchError, InvalidArgumentError

__all__ = [
    "multi_orbit_penalty",
    "basis_project",
    "isotypic_project",
    "kernel_average_project",
    "orbit_project",
    "penalty_value",
    "span_project",
    "projection_penalty",
    "split_norms",
]

_NORMS = ("fro2", "fro", "spectral")
_REDUCTIONS = ("sum", "mean", "none")


def _work_dtype(x: torch.Tensor) -> torch.Tensor:
    """Upcast half-precision tensors to float32 (projections and norms accumulate)."""
    if x.dtype in (torch.float16, torch.bfloat16):
        return x.float()
    return x


def _as_grad(g: torch.Tensor, p: torch.Tensor) -> torch.Tensor:
    """``g`` in the shape and dtype of ``p``, with no dispatch where it already has them (hot path)."""
    if g.shape != p.shape:
        g = g.view(p.shape)
    return g if g.dtype == p.dtype else g.to(p.dtype)


def _real_like(buf: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """``buf`` cast to the real dtype matching ``x`` and moved to its device (no-op when equal)."""
    dt = x.real.dtype if x.is_complex() else x.dtype
    if buf.dtype != dt or buf.device != x.device:
        buf = buf.to(device=x.device, dtype=dt)
    return buf


def orbit_project(
    w: torch.Tensor, labels: torch.Tensor, signs: torch.Tensor | None, inv_counts: torch.Tensor
) -> torch.Tensor:
    """Signed orbit averaging on the last axis (docs/explanation/routes.md#orbit-method).

    ``P(w)[e] = signs[e] · mean_{e' : labels[e'] = labels[e]} signs[e'] w[e']``.

    Parameters
    ----------
    w : Tensor, shape (..., n)
    labels : Tensor of int64, shape (n,)
        Orbit ids in ``[0, k]``; the extra id ``k`` collects forced-zero entries.
    signs : Tensor, shape (n,), or None
        ±1, and 0 on forced-zero entries; ``None`` when no sign is negative (forced-zero
        entries then read the extra slot, whose ``inv_counts`` is 0).
    inv_counts : Tensor, shape (k + 1,)
        ``1 / |orbit|`` (and 0 for the forced-zero slot).

    Notes
    -----
    ``O(n)`` per matrix: one ``index_add`` and one gather.

    Examples
    --------
    >>> import torch
    >>> orbit_project(torch.tensor([1.0, 3.0, 5.0]), torch.tensor([0, 0, 1]),
    ...               torch.tensor([1.0, 1.0, 0.0]), torch.tensor([0.5, 0.0]))
    tensor([2., 2., 0.])
    """
    inv_counts = _real_like(inv_counts, w)
    if signs is not None:
        signs = _real_like(signs, w)
        w = w * signs
    sums = torch.zeros(*w.shape[:-1], inv_counts.shape[0], dtype=w.dtype, device=w.device)
    sums = sums.index_add(-1, labels, w) if w.dim() > 1 else sums.scatter_add(0, labels, w)
    out = (sums * inv_counts).index_select(-1, labels)
    return out if signs is None else out * signs


def isotypic_project(
    W: torch.Tensor,
    Q_out: torch.Tensor | None,
    Q_in: torch.Tensor | None,
    blocks: Sequence[tuple[int, int, int, int, int, int, int, torch.Tensor | None]],
) -> torch.Tensor:
    """Mask-and-average projection in isotypic bases (docs/explanation/projector.md#mask-and-average).

    ``Ŵ = Q_outᵀ W Q_in``; every block region, viewed as ``(m_out, d, m_in, d)`` sub-blocks
    ``B_ab``, is replaced by ``Σ_u (⟨E_u, B_ab⟩ / d) E_u``; the rest of ``Ŵ`` is masked to 0;
    ``P(W) = Q_out P̂ Q_inᵀ``.

    Parameters
    ----------
    W : Tensor, shape (..., d_out, d_in)
    Q_out, Q_in : Tensor or None
        Orthogonal changes of basis; ``None`` means the identity.
    blocks : sequence of (out_start, out_stop, in_start, in_stop, d, m_out, m_in, basis)
        ``basis`` has shape ``(e, d, d)``, or is ``None`` for the real type (``E_0 = I``).

    Notes
    -----
    ``O(d_out² d_in + d_out d_in²)`` for the changes of basis (skipped for identities) plus
    ``O(n_p)`` for the blocks.

    Examples
    --------
    >>> import torch
    >>> W = torch.arange(6.0).reshape(3, 2)
    >>> isotypic_project(W, None, None, [(0, 2, 0, 2, 1, 2, 2, None)])
    tensor([[0., 1.],
            [2., 3.],
            [0., 0.]])
    """
    Wh = W
    if Q_out is not None:
        Q_out = _real_like(Q_out, W)
        Wh = Q_out.transpose(0, 1) @ Wh
    if Q_in is not None:
        Q_in = _real_like(Q_in, W)
        Wh = Wh @ Q_in
    lead = Wh.shape[:-2]
    out = torch.zeros_like(Wh)
    for os_, oe, is_, ie, d, m_out, m_in, basis in blocks:
        B = Wh[..., os_:oe, is_:ie].reshape(*lead, m_out, d, m_in, d)
        if basis is None:
            c = B.diagonal(dim1=-3, dim2=-1).sum(-1) / d  # (..., m_out, m_in)
            eye = torch.eye(d, dtype=Wh.dtype, device=Wh.device)
            Pb = c[..., :, None, :, None] * eye[:, None, :]
        else:
            E = _real_like(basis, Wh).to(Wh.dtype)
            c = torch.einsum("...aibj,uij->...abu", B, E) / d
            Pb = torch.einsum("...abu,uij->...aibj", c, E)
        out[..., os_:oe, is_:ie] = Pb.reshape(*lead, oe - os_, ie - is_)
    if Q_out is not None:
        out = Q_out @ out
    if Q_in is not None:
        out = out @ Q_in.transpose(0, 1)
    return out


def basis_project(w: torch.Tensor, basis: torch.Tensor) -> torch.Tensor:
    """``P(w) = Σ_i ⟨B_i, w⟩ B_i`` for an orthonormal basis (rows of ``basis``).

    Parameters
    ----------
    w : Tensor, shape (..., n)
    basis : Tensor, shape (k, n)

    Notes
    -----
    ``O(k · n)``: one ``Bᵀ w`` and one ``B c``.

    Examples
    --------
    >>> import torch
    >>> basis_project(torch.tensor([3.0, 1.0]), torch.tensor([[1.0, 0.0]]))
    tensor([3., 0.])
    """
    if basis.is_complex() or w.is_complex():
        B = basis.to(device=w.device, dtype=torch.promote_types(basis.dtype, w.dtype))
        c = w.to(B.dtype) @ B.conj().transpose(0, 1)
        out = c @ B
        return out if w.is_complex() else out.real.to(w.dtype)
    B = _real_like(basis, w)
    return (w @ B.transpose(0, 1)) @ B


def _cgls(X: torch.Tensor, D: torch.Tensor, Dt: torch.Tensor, norm_bound: float, rtol: float, max_iter: int
          ) -> torch.Tensor:
    """``P`` applied to the columns of the real float64 ``X`` (N, B): CGLS on ``DᵀD c = Dᵀ x``, returns ``x − r``."""
    R = X.clone()
    S = (Dt @ R)
    g0 = (S * S).sum(0)
    floor = (16 * torch.finfo(torch.float64).eps * norm_bound * torch.linalg.vector_norm(X, dim=0)) ** 2
    thr = torch.maximum(rtol**2 * g0, floor)
    g, Pd = g0.clone(), S.clone()
    for _ in range(max_iter):
        if not bool((g > thr).any()):
            return X - R
        Q = (D @ Pd)
        qq = (Q * Q).sum(0)
        a = torch.where(qq > 0, g / qq.clamp_min(1e-300), torch.zeros_like(g))
        R = R - Q * a
        S = (Dt @ R)
        gn = (S * S).sum(0)
        beta = torch.where(g > 0, gn / g.clamp_min(1e-300), torch.zeros_like(g))
        Pd = S + Pd * beta
        g = gn
    if bool((g > thr).any()):
        raise ConvergenceError(f"span_project: CGLS did not converge in {max_iter} steps")
    return X - R


class _SpanProject(torch.autograd.Function):
    """``P(W)`` with ``P`` symmetric: the backward pass is ``P`` applied to the incoming gradient."""

    @staticmethod
    def forward(ctx: Any, w: torch.Tensor, D: torch.Tensor, Dt: torch.Tensor, norm_bound: float, rtol: float,
                max_iter: int) -> torch.Tensor:
        ctx.save_for_backward(D, Dt)
        ctx.args = (norm_bound, rtol, max_iter)
        return _span_apply(w, D, Dt, norm_bound, rtol, max_iter)

    @staticmethod
    def backward(ctx: Any, grad: torch.Tensor) -> Any:
        D, Dt = ctx.saved_tensors
        return (_SpanProject.apply(grad, D, Dt, *ctx.args), None, None, None, None, None)


def _span_apply(w: torch.Tensor, D: torch.Tensor, Dt: torch.Tensor, norm_bound: float, rtol: float,
                max_iter: int) -> torch.Tensor:
    n = D.shape[0]
    if w.numel() == 0:
        return torch.zeros_like(w)
    if D.dtype != torch.float64:  # e.g. after module.to(torch.float32): entries 0, ±1 are exact in any float type
        D, Dt = D.to(torch.float64), Dt.to(torch.float64)
    flat = w.reshape(-1, n)
    cols = torch.cat([flat.real, flat.imag]) if flat.is_complex() else flat
    X = cols.to(device=D.device, dtype=torch.float64).T.contiguous()
    chunk = max(1, (256 << 20) // (40 * n))  # five float64 work arrays of the batch within 256 MiB
    Y = torch.cat([_cgls(X[:, s:s + chunk].contiguous(), D, Dt, norm_bound, rtol, max_iter)
                   for s in range(0, X.shape[1], chunk)], dim=1).T
    if flat.is_complex():
        b = flat.shape[0]
        return torch.complex(Y[:b], Y[b:]).to(w.dtype).reshape(w.shape)
    return Y.to(w.dtype).reshape(w.shape)


def span_project(w: torch.Tensor, D: torch.Tensor, Dt: torch.Tensor, *, norm_bound: float, rtol: float = 1e-13,
                 max_iter: int = 500) -> torch.Tensor:
    """Orthogonal projection onto the column span of a sparse ``D`` by CGLS (docs/explanation/routes.md#diagram-span).

    ``P(w) = D c*`` with ``DᵀD c* = Dᵀ w``; no basis of the span is formed. Computed in float64 and
    returned in the dtype of ``w``; differentiable (``P`` is symmetric, so the gradient of ``P(w)``
    is ``P`` of the incoming gradient).

    Parameters
    ----------
    w : Tensor, shape (..., n)
    D, Dt : sparse Tensor (CSR or COO), float64, shapes (n, m) and (m, n)
        The diagrams as columns, and their transpose (CSR is much faster on CPU).
    norm_bound : float
        An upper bound of ``‖D‖₂`` (the absolute stopping floor ``16 ε ‖D‖ ‖w‖``).
    rtol : float
        Stop a column when ``‖Dᵀ(w − P w)‖ ≤ rtol ‖Dᵀ w‖`` (or the floor).
    max_iter : int
        CGLS steps before `reptheory.errors.ConvergenceError`.

    Examples
    --------
    >>> import torch
    >>> D = torch.tensor([[1.0, 1.0], [0.0, 0.0], [0.0, 0.0], [1.0, 1.0]], dtype=torch.float64).to_sparse()
    >>> span_project(torch.tensor([1.0, 5.0, 0.0, 3.0]), D, D.t().coalesce(), norm_bound=2.0)
    tensor([2., 0., 0., 2.])
    """
    if w.shape[-1] != D.shape[0]:
        raise DimensionMismatchError(f"span_project: w has last axis {w.shape[-1]}, D has {D.shape[0]} rows")
    return _SpanProject.apply(w, D, Dt, float(norm_bound), float(rtol), int(max_iter))  # type: ignore[no-any-return]


def kernel_average_project(
    K: torch.Tensor, out_mats: torch.Tensor, in_mats: torch.Tensor, src: torch.Tensor
) -> torch.Tensor:
    """Explicit group average of kernels, ``(1/N) Σ_g ρ_out(g) K(g⁻¹ t) ρ_in(g)ᵀ`` (docs/explanation/convolutions.md#spatial-projector).

    Parameters
    ----------
    K : Tensor, shape (..., c_out, c_in, T)
    out_mats : Tensor, shape (N, c_out, c_out)
    in_mats : Tensor, shape (N, c_in, c_in)
    src : Tensor of int64, shape (N, T)
        ``src[g, t]`` = offset index of ``g⁻¹ t``.

    Notes
    -----
    ``O(N · n_p · (c_out + c_in))`` time, ``O(N · n_p)`` memory.

    Examples
    --------
    >>> import torch
    >>> flip = torch.tensor([[0, 1, 2], [2, 1, 0]])
    >>> eye = torch.ones(2, 1, 1)
    >>> kernel_average_project(torch.tensor([[[1.0, 0.0, 3.0]]]), eye, eye, flip)
    tensor([[[2., 0., 2.]]])
    """
    A = _real_like(out_mats, K).to(K.dtype)
    B = _real_like(in_mats, K).to(K.dtype)
    Kg = K[..., src]  # (..., c_out, c_in, N, T)
    return torch.einsum("noa,...abnt,nib->...oit", A, Kg, B) / src.shape[0]


def _sq(x: torch.Tensor, dims: tuple[int, ...]) -> torch.Tensor:
    if x.is_complex():
        x = torch.view_as_real(x)
        dims = (*[d - 1 if d < 0 else d for d in dims], -1)
    return (x * x).sum(dim=dims)


def _norm(x: torch.Tensor, kind: str, event: int, matrix_shape: tuple[int, int] | None) -> torch.Tensor:
    dims = tuple(range(-event, 0))
    if kind == "fro2":
        return _sq(x, dims)
    if kind == "fro":
        return torch.linalg.vector_norm(x, dim=dims)
    lead = x.shape[: x.dim() - event]
    if matrix_shape is None:
        if event != 2:
            raise InvalidArgumentError(
                "norm='spectral' needs a matrix shape: the projector has no 'matrix_shape' and the weight is not 2-D"
            )
        matrix_shape = (x.shape[-2], x.shape[-1])
    return torch.linalg.matrix_norm(x.reshape(*lead, *matrix_shape), ord=2)


def _event_shape(weight: torch.Tensor, projector: Any) -> tuple[int, ...]:
    shape = getattr(projector, "shape", None)
    if shape is None:
        return tuple(weight.shape)
    shape = tuple(int(s) for s in shape)
    if tuple(weight.shape[weight.dim() - len(shape):]) != shape or weight.dim() < len(shape):
        raise DimensionMismatchError(
            f"weight of shape {tuple(weight.shape)} does not end with the projector's shape {shape}"
        )
    return shape


def split_norms(weight: torch.Tensor, projector: Callable[[torch.Tensor], torch.Tensor]) -> tuple[
    torch.Tensor, torch.Tensor, torch.Tensor
]:
    """Squared norms ``(‖P W‖², ‖W − P W‖², ‖W‖²)`` over the projector's event axes.

    Examples
    --------
    >>> import torch
    >>> from penalties.projectors import OrbitProjection
    >>> P = OrbitProjection(torch.tensor([0, 0]), torch.tensor([1.0, 1.0]), 1, shape=(1, 2))
    >>> [float(t) for t in split_norms(torch.tensor([[1.0, 3.0]]), P)]
    [8.0, 2.0, 10.0]
    """
    W = _work_dtype(weight)
    event = len(_event_shape(W, projector))
    PW = projector(W)
    dims = tuple(range(-event, 0))
    return _sq(PW, dims), _sq(W - PW, dims), _sq(W, dims)


class _Fro2Penalty(torch.autograd.Function):
    """``λ_⊥‖W − PW‖² + λ_G‖PW‖²`` with the gradient ``2λ_G PW + 2λ_⊥(W − PW)`` (docs/explanation/penalties.md#basic-facts) saved in forward.

    One projection per call instead of a projection in forward and its adjoint in backward.
    Double backward recomputes the gradient with differentiable operations.
    """

    @staticmethod
    def forward(ctx: Any, W: torch.Tensor, projector: Any, lambda_eq: float, lambda_perp: float, event: int) -> Any:
        dims = tuple(range(-event, 0))
        PW = projector(W)
        E = W - PW
        value = lambda_perp * (E * E).sum(dim=dims)
        if lambda_eq:
            value = value + lambda_eq * (PW * PW).sum(dim=dims)
            grad = (2 * lambda_perp) * E + (2 * lambda_eq) * PW
        else:
            grad = (2 * lambda_perp) * E
        ctx.save_for_backward(W, grad)
        ctx.projector, ctx.lambdas, ctx.event = projector, (lambda_eq, lambda_perp), event
        return value

    @staticmethod
    def backward(ctx: Any, g: torch.Tensor) -> Any:
        W, grad = ctx.saved_tensors
        if torch.is_grad_enabled():  # create_graph=True: make the gradient itself differentiable
            lambda_eq, lambda_perp = ctx.lambdas
            PW = ctx.projector(W)
            grad = (2 * lambda_perp) * (W - PW) + (2 * lambda_eq) * PW
        g = g.reshape(*g.shape, *([1] * ctx.event))
        return g * grad, None, None, None, None


#: Below this many entries the fused pass concatenates the parameters (fewer, larger operations).
_CAT_LIMIT = 1 << 18


class _MultiOrbitFro2(torch.autograd.Function):
    """Fused ``Σ_params λ_⊥‖W − PW‖² + λ_G‖PW‖²`` for orbit projectors sharing one table of orbit sums.

    Forward (no autograd recording): one ``scatter_add`` per parameter into the orbit sums,
    one gather and one subtraction per parameter; the scaled residual is saved and is the
    gradient (docs/explanation/penalties.md#basic-facts).  No concatenation copy of the parameters.
    """

    @staticmethod
    def forward(ctx: Any, labels: torch.Tensor, signs: torch.Tensor | None, inv_counts: torch.Tensor,
                lambda_eq: float, lambda_perp: float, *params: torch.Tensor) -> Any:
        flats = [_work_dtype(p).reshape(-1) for p in params]
        sizes = [f.shape[0] for f in flats]
        catted = sum(sizes) <= _CAT_LIMIT and len(flats) > 1  # few large ops beat many small ones
        if catted:
            flats = [torch.cat(flats)]
            labs: Sequence[torch.Tensor] = [labels]
            sgs: Sequence[torch.Tensor | None] = [signs]
        else:
            labs = labels.split(sizes)
            sgs = signs.split(sizes) if signs is not None else [None] * len(flats)
        dt = flats[0].dtype
        inv = inv_counts if inv_counts.dtype == dt else inv_counts.to(dt)
        sums = torch.zeros(inv.shape[0], dtype=dt, device=inv.device)
        for f, lab, sg in zip(flats, labs, sgs):
            sums.scatter_add_(0, lab, f if sg is None else f * sg.to(dt))
        c = 2 * lambda_perp
        # λ_G = 0 and λ_⊥ > 0: the scale folds into the (short) means, ∇ = c·f − c·PW in one fused pass
        fold = not lambda_eq and c != 0.0
        means = sums.mul_(inv * -c if fold else inv)
        value: Any = None
        saved = []
        for f, lab, sg in zip(flats, labs, sgs):
            PW = means.index_select(0, lab)
            if sg is not None:
                PW.mul_(sg.to(dt))
            if fold:
                E = torch.add(PW, f, alpha=c, out=PW)  # c (f − PW)
                v = torch.dot(E, E) * (lambda_perp / (c * c))
            elif lambda_eq:
                v = lambda_eq * torch.dot(PW, PW)
                E = f - PW
                v = v + lambda_perp * torch.dot(E, E)
                E = E.mul_(c).add_(PW, alpha=2 * lambda_eq)  # ∇ = 2λ_⊥ E + 2λ_G PW
            else:  # λ_G = λ_⊥ = 0
                v, E = torch.zeros((), dtype=dt, device=inv.device), torch.zeros_like(f)
            value = v if value is None else value + v
            saved.append(E)
        if catted:
            saved = list(saved[0].split(sizes))
        # the gradients live on ctx, outside autograd's version checks: once handed out they may
        # become .grad and be modified in place, and are never read again
        ctx.save_for_backward(*params)
        ctx.grads, ctx.lambdas, ctx.handed_out = saved, (lambda_eq, lambda_perp), False
        ctx.orbits = (labels, signs, inv_counts)  # constant buffers: no version checks needed
        return value

    @staticmethod
    def backward(ctx: Any, g: torch.Tensor) -> Any:
        params = ctx.saved_tensors
        saved = ctx.grads
        lambda_eq, lambda_perp = ctx.lambdas
        if torch.is_grad_enabled() or ctx.handed_out:  # create_graph=True, or a second backward: recompute
            flat = torch.cat([_work_dtype(p).reshape(-1) for p in params])
            PW = orbit_project(flat, *ctx.orbits)
            grad = (2 * lambda_perp) * (flat - PW) + (2 * lambda_eq) * PW
            gg = grad.mul(g).split([p.numel() for p in params])
            return (None, None, None, None, None, *(c.view(p.shape).to(p.dtype) for c, p in zip(gg, params)))
        if not torch.compiler.is_compiling() and g.device.type == "cpu" and float(g) == 1.0:
            # the saved gradients themselves (autograd may adopt them as .grad): no pass at all;
            # a later backward through the same graph recomputes instead of reading them again
            ctx.handed_out, ctx.grads = True, None
            return (None, None, None, None, None, *(_as_grad(E, p) for E, p in zip(saved, params)))
        return (None, None, None, None, None, *(E.mul(g).view(p.shape).to(p.dtype) for E, p in zip(saved, params)))


def multi_orbit_penalty(
    params: Sequence[torch.Tensor],
    labels: torch.Tensor,
    signs: torch.Tensor | None,
    inv_counts: torch.Tensor,
    *,
    lambda_eq: float = 0.0,
    lambda_perp: float = 1.0,
) -> torch.Tensor:
    """Squared-Frobenius projection penalty of many parameters with orbit projectors, in one fused pass.

    ``labels``/``signs``/``inv_counts`` describe one orbit projector on the concatenation of
    the flattened parameters (orbit ids offset per parameter), as in [`orbit_project`][penalties.functional.orbit_project].

    Notes
    -----
    About ten tensor operations for the whole model instead of about ten per layer;
    ``O(#params)`` time and memory.

    Examples
    --------
    >>> import torch
    >>> a, b = torch.tensor([1.0, 3.0]), torch.tensor([[2.0]])
    >>> multi_orbit_penalty([a, b], torch.tensor([0, 0, 1]), None, torch.tensor([0.5, 1.0, 0.0]))
    tensor(2.)
    """
    return _MultiOrbitFro2.apply(labels, signs, inv_counts, float(lambda_eq), float(lambda_perp), *params)


def projection_penalty(
    weight: torch.Tensor,
    projector: Callable[[torch.Tensor], torch.Tensor],
    *,
    lambda_eq: float = 0.0,
    lambda_perp: float = 1.0,
    norm: str = "fro2",
    reduction: str = "sum",
    normalize: bool = False,
) -> torch.Tensor:
    """``λ_G ‖P(W)‖ + λ_⊥ ‖W − P(W)‖`` (docs/explanation/penalties.md#the-penalty), optionally divided by ``‖W‖``.

    Parameters
    ----------
    weight : Tensor, shape (..., *projector.shape)
        Leading axes are a batch of independent weights.
    projector : callable
        A module from [`penalties.projectors`][penalties.projectors] (or any callable mapping a weight to its
        projection, with an optional ``shape`` attribute giving the event shape and an
        optional ``matrix_shape`` for the spectral norm).
    lambda_eq, lambda_perp : float
        Weights ``λ_G`` on the equivariant part and ``λ_⊥`` on the non-equivariant part.
    norm : {"fro2", "fro", "spectral"}
        Squared Frobenius (default), Frobenius, or spectral norm.  ``"fro"`` is not
        differentiable where its argument vanishes; torch's subgradient there is 0.
    reduction : {"sum", "mean", "none"}
        Over the leading batch axes.
    normalize : bool
        Divide each term by ``‖W‖`` in the same norm (a relative penalty; 0 for ``W = 0``).

    Returns
    -------
    Tensor
        A scalar (or the batch shape for ``reduction="none"``), in the weight's dtype, or
        float32 for half-precision weights.

    Notes
    -----
    One projection per call, ``O(n_p)`` for orbit and mask projectors; the ``λ_G`` term is
    skipped when ``λ_G = 0``.  ``E = W − P(W)`` is computed directly, never as
    ``‖W‖² − ‖PW‖²`` (which cancels when ``‖E‖ ≪ ‖W‖``, docs/explanation/penalties.md#basic-facts).

    Examples
    --------
    >>> import torch
    >>> from penalties.projectors import OrbitProjection
    >>> P = OrbitProjection(torch.tensor([0, 0]), torch.tensor([1.0, 1.0]), 1, shape=(1, 2))
    >>> W = torch.tensor([[1.0, 3.0]])
    >>> projection_penalty(W, P, lambda_eq=0.5)            # 0.5·8 + 1·2
    tensor(6.)
    >>> projection_penalty(W, P, norm="fro", normalize=True)   # √2 / √10
    tensor(0.4472)
    """
    from penalties import _validate

    _validate.check_tensor(weight, "weight")
    lambda_eq = _validate.check_lambda(lambda_eq, "lambda_eq")  # type: ignore[assignment]
    lambda_perp = _validate.check_lambda(lambda_perp, "lambda_perp")  # type: ignore[assignment]
    return penalty_value(weight, projector, lambda_eq, lambda_perp, norm=norm, reduction=reduction,
                         normalize=normalize)


def penalty_value(
    weight: torch.Tensor,
    projector: Any,
    lambda_eq: float,
    lambda_perp: float,
    *,
    norm: str = "fro2",
    reduction: str = "sum",
    normalize: bool = False,
) -> torch.Tensor:
    """`projection_penalty` without the checks of ``λ_G, λ_⊥ ≥ 0`` (internal).

    The constrained mode's Lagrangian term ``λ_l (‖E‖² − τ² ‖W‖²)`` is this penalty with
    ``λ_G = −λ_l τ²`` (docs/explanation/penalties.md#constrained-mode).

    Examples
    --------
    >>> import torch
    >>> from penalties.projectors import OrbitProjection
    >>> P = OrbitProjection(torch.tensor([0, 0]), torch.tensor([1.0, 1.0]), 1, shape=(1, 2))
    >>> penalty_value(torch.tensor([[1.0, 3.0]]), P, -0.25, 1.0)     # −0.25·8 + 1·2
    tensor(0.)
    """
    if norm not in _NORMS:
        raise InvalidArgumentError(f"norm={norm!r} is not one of {_NORMS}")
    if reduction not in _REDUCTIONS:
        raise InvalidArgumentError(f"reduction={reduction!r} is not one of {_REDUCTIONS}")
    if not (weight.is_floating_point() or weight.is_complex()):
        raise InvalidArgumentError(f"weight has dtype {weight.dtype}; a floating or complex dtype is required")
    W = _work_dtype(weight)
    event = len(_event_shape(W, projector))
    if norm == "fro2" and not normalize and not W.is_complex():
        value = _Fro2Penalty.apply(W, projector, float(lambda_eq), float(lambda_perp), event)
        if reduction == "sum":
            return value.sum()
        return value.mean() if reduction == "mean" else value
    mshape = getattr(projector, "matrix_shape", None)
    PW = projector(W)
    value = lambda_perp * _norm(W - PW, norm, event, mshape)
    if lambda_eq:
        value = value + lambda_eq * _norm(PW, norm, event, mshape)
    if normalize:
        scale = _norm(W, norm, event, mshape)
        value = value / torch.where(scale > 0, scale, torch.ones_like(scale))
    if reduction == "sum":
        return value.sum()
    if reduction == "mean":
        return value.mean()
    return value
