"""Fast paths of the squared-Frobenius penalty and of the proximal step for orbit projectors.

Two layouts of [`OrbitProjection`][penalties.projectors.OrbitProjection] cover the common cases and are
detected from the orbit labels alone (no assumption on the representations):

* **row-regular blocks** (`RegularPlan`): the weight, viewed as ``(m_out, n, m_in, C)``
  blocks, has in every block ``C`` orbits of size ``n``, each meeting every one of the ``n``
  block rows exactly once, with the same pattern in every block and no signs.  This is
  ``Hom_G(a·R, b·R)`` for the regular representation ``R`` of a group of order ``n``
  (``C = n``), the same with a kernel grid (``C = n·T``), and the invariant biases of
  ``a·R`` (``C = 1``).  One index of ``n·m_in·C`` entries (one block row of the weight) is
  shared by the ``m_out`` block rows instead of an int64 label per entry, so the projection
  reads each weight once: ``M = Σ_h W[:, h, sel]`` and ``P W = M[:, exp] / n``.
* **sparse support** (`SparsePlan`): many forced zeros (e.g. ``Hom_SO(3)`` between
  fields of several ``l``, where ``P W`` is nonzero on ``1/16`` of the entries for
  ``8·(l=0..3)``): only the support is gathered, averaged and written back, with int32
  indices.

Both give the same ``P W`` as [`penalties.functional.orbit_project`][penalties.functional.orbit_project] (tested), and each
plan offers ``project`` (differentiable), ``penalty`` (the value and the half-gradient
``λ_⊥ E + λ_G P W`` in one pass) and ``prox_`` (in place).

Examples
--------
>>> import torch
>>> from reptheory import groups, Representation
>>> from penalties.projectors import projection_for
>>> P = projection_for(2 * Representation.regular(groups.cyclic(4)), 3 * Representation.regular(groups.cyclic(4)))
>>> plan = plan_for(P)
>>> type(plan).__name__, plan.n, plan.C
('RegularPlan', 4, 4)
>>> W = torch.randn(12, 8, dtype=torch.float64)
>>> torch.allclose(plan.project(W.reshape(-1)).reshape(12, 8), P(W))
True
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import torch
from torch import nn

from penalties.functional import _as_grad, multi_orbit_penalty

__all__ = ["RegularPlan", "SparsePlan", "fast_penalty", "plan_for"]

#: Use the sparse plan when at most this fraction of the entries can be nonzero after projection.
SPARSE_FRACTION = 0.5
#: The penalty uses a plan for parameters of at least this many entries; smaller ones go to the
#: concatenated fused orbit pass (fewer, larger operations win where Python overhead dominates).
#: ``prox_`` uses the plans for every size.
PENALTY_MIN_NUMEL = 1 << 15


def _index_dtype(n: int) -> torch.dtype:
    return torch.int32 if n < 2**31 - 1 else torch.int64


class RegularPlan(nn.Module):
    """Projection onto row-regular orbit blocks through one shared block-row index.

    Parameters
    ----------
    m_out, n, m_in, C : int
        The weight's flattening viewed as ``(m_out, n, m_in, C)``.
    L : Tensor of int64, shape (n, C)
        ``L[h, c]``: the orbit (within its block) of the entry in block row ``h``, column ``c``.

    Notes
    -----
    ``P W[a, h, b, c] = M[a, b, L[h, c]]`` with ``M[a, b, k] = (1/n) Σ_h W[a, h, b, T[h, k]]``
    and ``T[h] = L[h]⁻¹``: one ``index_select`` and one sum for ``M``, one ``index_select``
    to spread it; ``O(n_p)`` time, index buffers of ``2 n m_in C`` entries.

    Examples
    --------
    >>> import torch
    >>> L = torch.tensor([[0, 1], [1, 0]])           # C_2 acting regularly
    >>> plan = RegularPlan(1, 2, 1, 2, L)
    >>> plan.project(torch.tensor([1.0, 2.0, 4.0, 3.0]))   # orbits {(0,0),(1,1)} and {(0,1),(1,0)}
    tensor([2., 3., 3., 2.])
    """

    def __init__(self, m_out: int, n: int, m_in: int, C: int, L: torch.Tensor):
        super().__init__()
        self.m_out, self.n, self.m_in, self.C = int(m_out), int(n), int(m_in), int(C)
        T = torch.argsort(L, dim=1)  # inverse permutation of every row
        h = torch.arange(n).view(n, 1, 1)
        b = torch.arange(m_in).view(1, m_in, 1)
        sel = (h * (m_in * C) + b * C + T.view(n, 1, C)).reshape(-1)
        exp = (b * C + L.view(n, 1, C)).expand(n, m_in, C).reshape(-1)
        # int64: index_select along a non-leading axis is ~6 % slower with int32 indices on CPU,
        # and these indices are one block row (1/m_out of the weight), cache resident
        self.register_buffer("sel", sel.to(torch.int64), persistent=False)
        self.register_buffer("exp", exp.to(torch.int64), persistent=False)
        self.numel = self.m_out * n * self.m_in * C
        self._scratch: dict[tuple[torch.dtype, torch.device], torch.Tensor] = {}

    def _buffer(self, w: torch.Tensor) -> torch.Tensor | None:
        """A scratch tensor of the weight's size, kept across calls (no fresh allocation per call), or None.

        Fresh allocations of this size cost page faults on every call, comparable to a pass over
        the weight; the gathered block rows and the spread means are written here instead.
        """
        if torch.compiler.is_compiling() or self.m_in * self.C == 1:
            return None
        key = (w.dtype, w.device)
        b = self._scratch.get(key)
        if b is None:
            b = self._scratch[key] = torch.empty(self.numel, dtype=w.dtype, device=w.device)
        return b

    def _sums(self, w: torch.Tensor, buf: torch.Tensor | None = None) -> torch.Tensor:
        W2 = w.reshape(self.m_out, -1)
        if self.m_in * self.C == 1:
            return W2.sum(1, keepdim=True)
        if buf is None:
            return W2.index_select(1, self.sel).view(self.m_out, self.n, -1).sum(1)
        return torch.index_select(W2, 1, self.sel, out=buf.view(self.m_out, -1)).view(self.m_out, self.n, -1).sum(1)

    def _spread(self, M: torch.Tensor, out: torch.Tensor | None = None) -> torch.Tensor:
        if self.m_in * self.C == 1:
            return M.repeat(1, self.n).reshape(-1)
        if out is None:
            return M.index_select(1, self.exp).reshape(-1)
        return torch.index_select(M, 1, self.exp, out=out.view(self.m_out, -1)).view(-1)

    def project(self, w: torch.Tensor) -> torch.Tensor:
        """``P w`` for the flattened weight ``w`` (differentiable)."""
        return self._spread(self._sums(w) * (1.0 / self.n))

    def coefficients(self, w: torch.Tensor) -> torch.Tensor:
        """Orbit means ``M`` (``(m_out, m_in·C)``); ``‖P w‖² = n ‖M‖²``."""
        return self._sums(w).mul_(1.0 / self.n)

    def penalty(self, w: torch.Tensor, lambda_eq: float, lambda_perp: float, scale: float = 2.0
                ) -> tuple[torch.Tensor, torch.Tensor]:
        """``(λ_G‖Pw‖² + λ_⊥‖w − Pw‖², scale·(λ_⊥(w − Pw) + λ_G Pw))`` without autograd.

        ``E = w − Pw`` is computed directly, never as a difference of squared norms.  With
        ``λ_G = 0`` the scaled residual is one fused pass, ``c·w − (c/n)·spread(S)``.
        """
        buf = self._buffer(w)
        S = self._sums(w, buf)
        G = None if buf is None else torch.empty_like(w)  # the gradient: handed to autograd, never reused
        if not lambda_eq:
            c = scale * lambda_perp
            if c == 0.0:
                return w.new_zeros(()), torch.zeros_like(w)
            G = self._spread(S.mul_(-c / self.n), G).add_(w, alpha=c)  # c (w − P w), one pass
            return torch.dot(G, G) * (lambda_perp / (c * c)), G
        M = S.mul_(1.0 / self.n)
        PW = self._spread(M, G)
        E = torch.sub(w, PW, out=PW)
        value = lambda_perp * torch.dot(E, E) + (lambda_eq * self.n) * torch.dot(M.reshape(-1), M.reshape(-1))
        E.mul_(scale * lambda_perp).add_(self._spread(M, buf), alpha=scale * lambda_eq)
        return value, E

    def prox_(self, w: torch.Tensor, a: float, b: float) -> None:
        """``w ← a P w + b (w − P w)`` in place."""
        buf = self._buffer(w)
        PW = self._spread(self._sums(w, buf).mul_(1.0 / self.n), buf)  # the gathered rows are summed: reuse
        if a == 1.0:  # λ_G = 0: one pass, w ← w + (1 − b)(P w − w)
            w.lerp_(PW, 1.0 - b)
        else:
            w.mul_(b).add_(PW, alpha=a - b)


class SparsePlan(nn.Module):
    """Orbit projection restricted to the entries that can be nonzero after projection.

    Parameters
    ----------
    support : Tensor of int, shape (s,)
        Flat positions of the entries with an orbit (not forced to zero).
    labels : Tensor of int, shape (s,)
        Their orbit ids in ``[0, k)``.
    signs : Tensor, shape (s,), or None
    inv_counts : Tensor, shape (k,)
        ``1 / |orbit|``.
    numel : int

    Notes
    -----
    ``O(s)`` gathers and scatters plus ``O(n_p)`` for the residual; int32 indices.

    Examples
    --------
    >>> import torch
    >>> plan = SparsePlan(torch.tensor([0, 3]), torch.tensor([0, 0]), None, torch.tensor([0.5]), 4)
    >>> plan.project(torch.tensor([1.0, 5.0, 6.0, 3.0]))
    tensor([2., 0., 0., 2.])
    """

    def __init__(self, support: torch.Tensor, labels: torch.Tensor, signs: torch.Tensor | None,
                 inv_counts: torch.Tensor, numel: int):
        super().__init__()
        self.numel = int(numel)
        idt = _index_dtype(self.numel)
        self.register_buffer("support", support.to(idt), persistent=False)
        self.register_buffer("labels", labels.to(idt), persistent=False)
        self.register_buffer("signs", signs, persistent=False)
        self.register_buffer("inv_counts", inv_counts.to(torch.float64), persistent=False)

    def _support_projection(self, w: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        ws = w.index_select(0, self.support)
        sg = None if self.signs is None else self.signs.to(w.dtype)
        src = ws if sg is None else ws * sg
        sums = torch.zeros(self.inv_counts.shape[0], dtype=w.dtype, device=w.device).index_add(0, self.labels, src)
        PWs = (sums * self.inv_counts.to(w.dtype)).index_select(0, self.labels)
        return ws, PWs if sg is None else PWs * sg

    def project(self, w: torch.Tensor) -> torch.Tensor:
        """``P w`` for the flattened weight ``w`` (differentiable)."""
        _, PWs = self._support_projection(w)
        return torch.zeros_like(w).index_add(0, self.support, PWs)

    def penalty(self, w: torch.Tensor, lambda_eq: float, lambda_perp: float, scale: float = 2.0
                ) -> tuple[torch.Tensor, torch.Tensor]:
        """As `RegularPlan.penalty`; ``E`` equals ``w`` off the support."""
        _, PWs = self._support_projection(w)
        c = scale * lambda_perp
        if not lambda_eq and c != 0.0:  # c (w − P w): one pass over w, the support corrected in place
            G = torch.mul(w, c).index_add_(0, self.support, PWs, alpha=-c)
            return torch.dot(G, G) * (lambda_perp / (c * c)), G
        E = w.clone().index_add_(0, self.support, PWs, alpha=-1.0)
        value = lambda_perp * torch.dot(E, E)
        if lambda_eq:
            value = value + lambda_eq * torch.dot(PWs, PWs)
        if scale * lambda_perp != 1.0:
            E.mul_(scale * lambda_perp)
        if lambda_eq:
            E.index_add_(0, self.support, PWs, alpha=scale * lambda_eq)
        return value, E

    def prox_(self, w: torch.Tensor, a: float, b: float) -> None:
        """``w ← a P w + b (w − P w)`` in place."""
        _, PWs = self._support_projection(w)
        w.mul_(b).index_add_(0, self.support, PWs, alpha=a - b)


def _regular_plan(P: Any) -> RegularPlan | None:
    if P.signed or not len(P.shape):
        return None
    lab = P.labels
    k = int(P.dim)
    numel = lab.shape[0]
    if k == 0 or numel == 0 or bool((lab == k).any()):
        return None
    inv = P.inv_counts[:k]
    n = round(1.0 / float(inv[0]))
    if not torch.allclose(inv, torch.full_like(inv, 1.0 / n)):
        return None
    shape = tuple(P.shape)
    rows = shape[0] if len(shape) > 1 else numel
    cols = numel // rows
    C = 1 if len(shape) == 1 else n * math.prod(shape[2:])
    if rows % n or cols % C:
        return None
    m_out, m_in = rows // n, cols // C
    if m_out * m_in * C != k:
        return None
    B = lab.view(m_out, n, m_in, C).permute(0, 2, 1, 3).reshape(m_out * m_in, n, C)
    row0 = B[:, 0, :]
    s0, order0 = row0.sort(dim=-1)
    if not bool((B.sort(dim=-1).values == s0[:, None, :]).all()):
        return None  # some row of a block does not meet every orbit of the block once
    if torch.unique(s0).numel() != k:
        return None  # an orbit spans two blocks
    pos = torch.searchsorted(s0.contiguous(), B.reshape(m_out * m_in, n * C).contiguous())
    Lb = order0.gather(1, pos)  # (blocks, n·C): the orbit of each entry as a column of row 0
    if not bool((Lb == Lb[:1]).all()):
        return None  # the pattern differs between blocks
    return RegularPlan(m_out, n, m_in, C, Lb[0].view(n, C).clone())


def _sparse_plan(P: Any) -> SparsePlan | None:
    lab = P.labels
    k = int(P.dim)
    keep = lab != k
    s = int(keep.sum())
    if s > SPARSE_FRACTION * lab.shape[0]:
        return None
    support = torch.nonzero(keep).reshape(-1)
    signs = P.signs[support] if P.signed else None
    return SparsePlan(support, lab[support], signs, P.inv_counts[:k], lab.shape[0])


def plan_for(P: Any) -> RegularPlan | SparsePlan | None:
    """The fast plan for an [`OrbitProjection`][penalties.projectors.OrbitProjection], or None.

    Examples
    --------
    >>> from reptheory import groups, Representation
    >>> from penalties.projectors import bias_projection_for
    >>> plan_for(bias_projection_for(4 * Representation.regular(groups.dihedral(4)))).n
    8
    """
    from penalties.projectors import OrbitProjection

    if not isinstance(P, OrbitProjection):
        return None
    return _regular_plan(P) or _sparse_plan(P)


def _work(p: torch.Tensor) -> torch.Tensor:
    w = p.detach()
    if w.dtype in (torch.float16, torch.bfloat16):
        w = w.float()
    return w.reshape(-1)


class _FastFro2(torch.autograd.Function):
    """``Σ λ_G‖P W‖² + λ_⊥‖W − P W‖²`` over fast-planned parameters; the gradients are saved in forward.

    The saved gradients are returned as they are when the incoming gradient is a CPU 1 (the
    usual ``loss.backward()``), so backward writes nothing but the accumulation into ``.grad``;
    a second backward through the same graph (``retain_graph=True``) recomputes them.
    """

    @staticmethod
    def forward(ctx: Any, plans: Sequence[Any], lambdas: Sequence[tuple[float, float]], *params: torch.Tensor) -> Any:
        value: torch.Tensor | None = None
        saved = []
        for plan, (le, lp), p in zip(plans, lambdas, params):
            v, G = plan.penalty(_work(p), le, lp)
            value = v if value is None else value + v
            saved.append(G)
        # the gradients live on ctx, outside autograd's version checks: once handed out they may
        # become .grad and be modified in place, and are never read again
        ctx.save_for_backward(*params)
        ctx.grads, ctx.plans, ctx.lambdas, ctx.handed_out = saved, plans, lambdas, False
        return value

    @staticmethod
    def backward(ctx: Any, g: torch.Tensor) -> Any:
        params, Gs = ctx.saved_tensors, ctx.grads
        if torch.is_grad_enabled() or ctx.handed_out:  # create_graph=True, or a second backward: recompute
            out = []
            for plan, (le, lp), p in zip(ctx.plans, ctx.lambdas, params):
                w = p.float().reshape(-1) if p.dtype in (torch.float16, torch.bfloat16) else p.reshape(-1)
                PW = plan.project(w)
                out.append(((2 * g) * (lp * (w - PW) + le * PW)).view(p.shape).to(p.dtype))
            return (None, None, *out)
        if not torch.compiler.is_compiling() and g.device.type == "cpu" and float(g) == 1.0:
            ctx.handed_out, ctx.grads = True, None  # autograd may adopt them as .grad
            return (None, None, *(_as_grad(G, p) for G, p in zip(Gs, params)))
        return (None, None, *(G.mul(g).view(p.shape).to(p.dtype) for G, p in zip(Gs, params)))


def fast_penalty(plans: Sequence[Any], lambdas: Sequence[tuple[float, float]], params: Sequence[torch.Tensor]
                 ) -> torch.Tensor:
    """Fused penalty over parameters with fast plans (one pass per parameter).

    Examples
    --------
    >>> import torch
    >>> plan = RegularPlan(1, 2, 1, 2, torch.tensor([[0, 1], [1, 0]]))
    >>> fast_penalty([plan], [(0.0, 1.0)], [torch.tensor([[1.0, 2.0], [4.0, 3.0]])])
    tensor(4.)
    """
    return _FastFro2.apply(list(plans), list(lambdas), *params)


def first_buffer(module: nn.Module) -> torch.Tensor | None:
    """A buffer of ``module`` (its own first, without walking submodules when it has one), or None.

    Examples
    --------
    >>> first_buffer(RegularPlan(1, 2, 1, 2, torch.tensor([[0, 1], [1, 0]]))).dtype
    torch.int64
    """
    for b in module._buffers.values():
        if b is not None:
            return b
    return next(module.buffers(), None)


def _params(pairs: Sequence[tuple[nn.Module, str]]) -> list[torch.Tensor]:
    out = [getattr(m, n) for m, n in pairs]
    if any(type(p) is not nn.Parameter for p in out):
        from penalties._prox import full

        out = [full(p) for p in out]
    return out


class _Hot:
    """What `hot_penalty` needs per call, resolved once (module/name pairs, buffer names)."""

    def __init__(self, reg: Any):
        self.key = (reg._fast, reg._fused)
        ents = reg._entries
        self.fast_plans = [reg._plans[reg._plan_of[i]] for i in reg._fast]
        self.fast_pairs = [(ents[i].module, ents[i].param) for i in reg._fast]
        self.fused = [([(ents[i].module, ents[i].param) for i in ids], le, lp,
                       (f"_fused{gi}_labels", f"_fused{gi}_signs" if signed else None, f"_fused{gi}_inv"))
                      for gi, (ids, le, lp, signed) in enumerate(reg._fused)]


def hot_penalty(reg: Any) -> torch.Tensor | None:
    """The fast-planned and fused orbit parts of ``reg``'s penalty (None when it has neither).

    The per-call Python work is a few list comprehensions: plans, ``(module, name)`` pairs and
    buffer names are resolved once and re-resolved when ``reg``'s plans are rebuilt.

    Examples
    --------
    >>> from torch import nn
    >>> from reptheory import groups, Representation
    >>> from penalties import EquivarianceRegularizer
    >>> R = Representation.regular(groups.cyclic(2))
    >>> lin = nn.Linear(2, 2, bias=False)
    >>> with torch.no_grad():
    ...     _ = lin.weight.copy_(torch.tensor([[1.0, 2.0], [4.0, 3.0]]))
    >>> hot_penalty(EquivarianceRegularizer(lin, {"": (R, R)}))
    tensor(4., grad_fn=<_MultiOrbitFro2Backward>)
    """
    hot = reg.__dict__.get("_hot_cache")
    if hot is None or hot.key[0] is not reg._fast or hot.key[1] is not reg._fused:
        hot = reg.__dict__["_hot_cache"] = _Hot(reg)
    total: torch.Tensor | None = None
    if hot.fast_plans:
        total = fast_penalty(hot.fast_plans, [reg._lambdas(i) for i in reg._fast], _params(hot.fast_pairs))
    bufs = reg._buffers
    for pairs, le, lp, (lab, sg, inv) in hot.fused:
        v = multi_orbit_penalty(_params(pairs), bufs[lab], None if sg is None else bufs[sg], bufs[inv],
                                lambda_eq=le, lambda_perp=lp)
        total = v if total is None else total + v
    return total
