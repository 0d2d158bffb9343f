"""The projector onto the span of *all* diagrams, with no basis chosen (docs/explanation/routes.md#diagram-span).

`reptheory.hom.diagrams` picks an exactly independent subset of the Brauer diagrams of
``Hom_G(V^{⊗k}, V^{⊗l})`` by eliminating their integer Gram matrix, which is cubic in their number.
Beyond ``MAX_DIAGRAMS`` of `reptheory.hom.diagrams` (SO(3) on ``End(V^{⊗6})``: 10,395
Brauer diagrams, of which 4213 are independent) the orthogonal projector onto their span is still
cheap, because it needs no basis:

$$
P(w) = D c^\\star, \\qquad c^\\star \\in \\arg\\min_c \\lVert w - D c \\rVert_2 ,
$$

with ``D`` the sparse matrix whose columns are all the diagrams (flattened row-major, entries
0, ±1). ``c*`` solves the normal equations ``DᵀD c = Dᵀ w``; conjugate gradients on them (CGLS)
apply ``D`` and ``Dᵀ`` once per step and never form ``DᵀD``. The residual ``w − P(w)`` is
what CGLS updates, so ``P(w)`` never needs ``c``.

**Few steps.** CG ends in at most as many steps as ``DᵀD`` has distinct non-zero eigenvalues.
For Brauer diagrams of O(n) there are few: ``A = DDᵀ = Σ_m |m⟩⟨m|`` (sum over all perfect
matchings ``m`` of the ``p = k + l`` legs) commutes with O(n) and with the permutations of the
legs, and the invariants ``(V^{⊗p})^{O(n)}`` form a multiplicity-free ``S_p``-module
(``⊕ S^{2λ}`` over ``λ ⊢ p/2`` with at most ``n`` rows), so ``A`` is a scalar on each summand:

$$
c_λ = \\prod_{(i, j) ∈ λ} (n + 2j − i) \\qquad (\\text{rows } i, \\text{ columns } j \\text{ from } 0),
$$

[`brauer_eigenvalues`][reptheory.hom.diagram_span.brauer_eigenvalues]. SO(3) on ``End(V^{⊗6})``
has 7 of them, from 360 to 135,135; CGLS stops after about 10 steps.

**The dimension** comes from Schur–Weyl duality, not from a rank decision: ``V^{⊗p} = ⊕_μ
S_μ(V) ⊗ S^μ`` over partitions ``μ ⊢ p`` with at most ``dim V`` rows, and ``S_μ(V)`` holds a
G-invariant line (exactly one) when all parts of ``μ`` are even (O(n)), when its first ``n`` parts
have one parity (SO(n)), or when all its columns have even length (Sp on ``ℂ^{2m}``):
``dim (V^{⊗p})^G = Σ f^μ`` over those ``μ``, with ``f^μ`` from the hook-length formula
([`invariant_dimension`][reptheory.hom.diagram_span.invariant_dimension]).

Examples
--------
>>> from reptheory.groups.lie_catalog import SO
>>> from reptheory.hom import intertwiners
>>> V = SO(3).defining_representation()
>>> invariant_dimension(3, 12, "SO"), brauer_eigenvalues(3, 12)[:3]
(4213, (360, 840, 1890))
>>> P = diagram_span_projector(3, 2, 2, "O")           # 3 diagrams, all independent
>>> import numpy as np
>>> W = np.arange(81.0).reshape(9, 9)
>>> bool(np.allclose(P.apply(P.apply(W)), P.apply(W))), P.dim
(True, 3)
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from reptheory.characters.symmetric import conjugate_partition, partition_degree, partitions
from reptheory.errors import ConvergenceError, DimensionMismatchError, InvalidArgumentError, TooLargeError
from reptheory.hom.diagrams import _diagram_columns, _double_factorial, _symplectic_columns, count_diagrams

__all__ = ["DiagramSpanProjector", "diagram_span_projector", "invariant_dimension", "brauer_eigenvalues", "span_counts",
           "MAX_SPAN_NNZ"]

#: Largest number of non-zeros of the all-diagram matrix ``D`` (12 bytes each as float64 + int32 index).
MAX_SPAN_NNZ = 1 << 25

#: Largest working memory of one `DiagramSpanProjector.apply` chunk (bytes); larger batches are chunked.
_CHUNK_BYTES = 256 << 20

_KINDS = ("O", "SO", "Sp")


def _check_kind(n: Any, p: Any, kind: Any) -> tuple[int, int, str]:
    if kind not in _KINDS:
        raise InvalidArgumentError(f"kind must be one of {_KINDS}, got {kind!r}")
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 1:
        raise InvalidArgumentError(f"n must be a positive integer, got {n!r}")
    if not isinstance(p, (int, np.integer)) or isinstance(p, bool) or p < 0:
        raise InvalidArgumentError(f"p must be a non-negative integer, got {p!r}")
    return int(n), int(p), str(kind)


def invariant_dimension(n: int, p: int, kind: str) -> int:
    """``dim (V^{⊗p})^G`` by Schur–Weyl duality: ``Σ f^μ`` over the partitions ``μ ⊢ p`` with an invariant line.

    ``G = O(n)`` or ``SO(n)`` on ``V = ℝⁿ``, or ``Sp`` on ``V = ℂ^{n}`` (``n`` even; the library's
    ``Sp(m)`` acts on ``ℂ^{2m}``). ``μ`` has at most ``dim V`` rows and: all parts even (O(n));
    ``μ_1 ≡ … ≡ μ_n`` mod 2, parts beyond the length counting as 0 (SO(n)); all columns of even
    length (Sp). This is ``dim Hom_G(V^{⊗k}, V^{⊗l})`` for ``k + l = p``.

    Examples
    --------
    >>> invariant_dimension(3, 10, "O"), invariant_dimension(3, 11, "SO"), invariant_dimension(4, 4, "Sp")
    (603, 1585, 3)
    """
    n, p, kind = _check_kind(n, p, kind)
    if kind == "Sp" and n % 2:
        raise InvalidArgumentError(f"Sp acts on an even-dimensional space; got n = {n}")
    if p > 40:
        raise TooLargeError(f"p = {p} legs: the sum runs over partitions of {p} (limit 40)", estimate=p, limit=40)
    total = 0
    for mu in partitions(p):
        if len(mu) > n:
            continue
        if kind == "O":
            ok = all(x % 2 == 0 for x in mu)
        elif kind == "SO":
            parts = list(mu) + [0] * (n - len(mu))
            ok = len({x % 2 for x in parts}) == 1
        else:
            ok = all(x % 2 == 0 for x in conjugate_partition(mu))
        if ok:
            total += partition_degree(mu)
    return total


def brauer_eigenvalues(n: int, p: int) -> tuple[int, ...]:
    """The distinct non-zero eigenvalues ``c_λ = ∏_{(i,j)∈λ} (n + 2j − i)`` of ``DDᵀ`` for the Brauer diagrams of O(n).

    ``λ ⊢ p/2`` with at most ``n`` rows (see the module docstring); sorted increasingly.

    Examples
    --------
    >>> brauer_eigenvalues(3, 4)           # D = the three matchings of 4 legs: Gram [[9,3,3],[3,9,3],[3,3,9]]
    (6, 15)
    """
    n, p, _ = _check_kind(n, p, "O")
    if p % 2:
        return ()
    vals = set()
    for lam in partitions(p // 2):
        if len(lam) <= n:
            vals.add(math.prod(n + 2 * j - i for i, row in enumerate(lam) for j in range(row)))
    return tuple(sorted(vals))


def _all_columns(n: int, k: int, l: int, kind: str) -> tuple[int, Any]:
    """``(N, D)``: every diagram of ``Hom(V^{⊗k}, V^{⊗l})`` as a sparse float64 column of length ``N``."""
    import scipy.sparse as sp

    N = n ** (k + l)
    itype = np.int32 if N < 2**31 else np.int64
    if kind == "Sp":
        pos, sign, _ = _symplectic_columns(n // 2, k, l, with_labels=False)
        g, m = pos.shape
        D = sp.csc_matrix((sign.T.ravel().astype(np.float64), pos.T.ravel().astype(itype),
                           np.arange(0, g * m + 1, g, dtype=np.int64)), shape=(N, m))
        D.sort_indices()
        return N, D
    cols, vals, _ = _diagram_columns(n, k, l, kind, with_labels=False)
    indptr = np.concatenate([[0], np.cumsum([c.size for c in cols])]).astype(np.int64)
    if not cols:
        return N, sp.csc_matrix((N, 0))
    D = sp.csc_matrix((np.concatenate(vals).astype(np.float64), np.concatenate(cols).astype(itype), indptr),
                      shape=(N, len(cols)))
    D.sort_indices()
    return N, D


def span_counts(n: int, k: int, l: int, kind: str) -> tuple[int, int]:
    """``(number of diagrams, non-zeros)`` of the all-diagram matrix, before building it.

    Examples
    --------
    >>> span_counts(3, 6, 6, "SO")
    (10395, 7577955)
    """
    n, p, kind = _check_kind(n, k + l, kind)
    if kind == "Sp":
        m = _double_factorial(p - 1) if p % 2 == 0 else 0
        return m, m * n ** (p // 2)
    return count_diagrams(n, k, l, kind)


def diagram_span_projector(n: int, k: int, l: int, kind: str) -> DiagramSpanProjector:
    """The projector onto the span of all diagrams of ``Hom_G(V^{⊗k}, V^{⊗l})`` (``G`` = O(n), SO(n), Sp).

    ``n = dim V`` (for Sp: ``V = ℂⁿ``, ``n`` even). Its ``dim`` is
    [`invariant_dimension`][reptheory.hom.diagram_span.invariant_dimension]``(n, k + l, kind)``.

    Raises
    ------
    TooLargeError
        More than `MAX_SPAN_NNZ` non-zeros (estimated before anything is built).

    Examples
    --------
    >>> diagram_span_projector(3, 3, 4, "SO").dim        # 105 ε-diagrams (ε on 3 legs, 2 pairs)
    36
    """
    n, p, kind = _check_kind(n, k + l, kind)
    m, nnz = span_counts(n, k, l, kind)
    if nnz > MAX_SPAN_NNZ:
        raise TooLargeError(f"Hom(V^{k}, V^{l}) of {kind} on dim V = {n} has {m} diagrams with {nnz} non-zeros "
                            f"(limit {MAX_SPAN_NNZ}, about {12 * nnz / 2**30:.1f} GiB)", estimate=nnz, limit=MAX_SPAN_NNZ)
    _, D = _all_columns(n, k, l, kind)
    return DiagramSpanProjector((n**l, n**k), D, invariant_dimension(n, p, kind))


@dataclass(frozen=True, eq=False)
class DiagramSpanProjector:
    """Orthogonal projector onto the column span of a sparse matrix ``D``, by CGLS (see the module docstring).

    ``P(W) = D c*`` with ``DᵀD c* = Dᵀ vec(W)``; ``D`` holds every diagram, dependent or not, and
    no basis, Gram matrix or factorisation is formed.

    Attributes
    ----------
    shape : tuple of int
        ``(d_out, d_in)``.
    D : scipy.sparse.csc_matrix, shape (d_out·d_in, m)
        All diagrams, flattened row-major.
    dim : int
        The dimension of the span (from `invariant_dimension`, not from a rank decision).

    Notes
    -----
    Each CGLS step reads the non-zeros of ``D`` twice; the number of steps is bounded by the
    number of distinct eigenvalues of ``DᵀD`` (7 for SO(3) on ``End(V^{⊗6})``, about 10 steps in
    floating point). A column stops when ``‖Dᵀ(w − P(w))‖ ≤ max(rtol·‖Dᵀw‖, 16 ε ‖D‖ ‖w‖)``, so
    the error of ``P(w)`` is at most that bound over the smallest singular value of ``D`` on its
    range. Memory: ``D`` plus four arrays of the batch; batches are chunked to 256 MiB.

    Examples
    --------
    >>> import numpy as np, scipy.sparse as sp
    >>> D = sp.csc_matrix(np.array([[1.0, 1.0], [0.0, 0.0], [0.0, 0.0], [1.0, 1.0]]))   # I of R^2, twice
    >>> P = DiagramSpanProjector((2, 2), D, 1)
    >>> P.apply(np.array([[1.0, 5.0], [0.0, 3.0]])).round(12).tolist()
    [[2.0, 0.0], [0.0, 2.0]]
    """

    shape: tuple[int, int]
    D: Any
    dim: int
    kind: ClassVar[str] = "diagram_span"
    #: Relative tolerance on the normal-equation residual ``‖Dᵀ r‖ / ‖Dᵀ w‖``.
    rtol: ClassVar[float] = 1e-13
    #: CGLS steps before `ConvergenceError`.
    max_iter: ClassVar[int] = 500

    def __post_init__(self) -> None:
        import scipy.sparse as sp

        if not sp.issparse(self.D):
            raise InvalidArgumentError(f"D must be a scipy sparse matrix, got {type(self.D).__name__}")
        D = sp.csc_matrix(self.D, dtype=np.float64)
        shape = (int(self.shape[0]), int(self.shape[1]))
        if D.shape[0] != shape[0] * shape[1]:
            raise DimensionMismatchError(f"D has {D.shape[0]} rows, expected d_out·d_in = {shape[0] * shape[1]}")
        if not np.all(np.isfinite(D.data)):
            raise InvalidArgumentError("D has non-finite entries")
        dim = int(self.dim)
        if not 0 <= dim <= min(D.shape):
            raise InvalidArgumentError(f"dim must lie in [0, {min(D.shape)}] (rank bound of D), got {self.dim!r}")
        object.__setattr__(self, "shape", shape)
        object.__setattr__(self, "D", D)
        object.__setattr__(self, "dim", dim)

    @property
    def n_diagrams(self) -> int:
        """``m``, the number of columns of ``D``."""
        return int(self.D.shape[1])

    @functools.cached_property
    def _Dt(self) -> Any:
        return self.D.T  # the transpose of a CSC matrix is a CSR view of the same arrays: no copy

    @functools.cached_property
    def _Dr(self) -> Any:
        return self.D.tocsr()  # row-major products are about 1.4x faster than CSC ones

    @functools.cached_property
    def norm_bound(self) -> float:
        """``√(‖D‖₁ ‖D‖_∞) ≥ ‖D‖₂`` (Hölder), used in the absolute stopping floor."""
        D = self.D
        a = np.abs(D.data)
        c = float(np.max(np.add.reduceat(a, D.indptr[:-1]) * (np.diff(D.indptr) > 0), initial=0.0)) if a.size else 0.0
        r = float(np.max(np.bincount(D.indices, weights=a, minlength=D.shape[0]), initial=0.0))
        return math.sqrt(c * r)

    def _cgls(self, X: np.ndarray) -> tuple[np.ndarray, int]:
        """``P`` applied to the columns of the real array ``X`` (N, B); returns ``(P X, steps)``."""
        D, Dt = self._Dr, self._Dt
        R = X.copy()
        S = Dt @ R
        g0 = np.einsum("ij,ij->j", S, S)
        floor = (16 * np.finfo(np.float64).eps * self.norm_bound * np.linalg.norm(X, axis=0)) ** 2
        thr = np.maximum(self.rtol**2 * g0, floor)
        g, Pd = g0.copy(), S.copy()
        steps = 0
        while np.any(g > thr):
            if steps >= self.max_iter:
                worst = float(np.max(np.sqrt(g / np.maximum(g0, 1e-300))))
                raise ConvergenceError(f"CGLS on {self.n_diagrams} diagrams did not converge in {self.max_iter} steps "
                                       f"(relative normal residual {worst:.2e}, target {self.rtol:.0e})")
            steps += 1
            Q = D @ Pd
            qq = np.einsum("ij,ij->j", Q, Q)
            a = np.divide(g, qq, out=np.zeros_like(g), where=qq > 0)
            R -= Q * a
            S = Dt @ R
            gn = np.einsum("ij,ij->j", S, S)
            beta = np.divide(gn, g, out=np.zeros_like(g), where=g > 0)
            Pd = S + Pd * beta
            g = gn
        return X - R, steps

    def apply(self, W: Any) -> np.ndarray:
        """``P(W)`` for ``W`` of shape ``(..., d_out, d_in)`` (real or complex; batched)."""
        from reptheory.hom.projectors import _as_input

        W, out_dtype = _as_input(W, self.shape)
        N = self.shape[0] * self.shape[1]
        flat = W.reshape(-1, N)
        if self.dim == 0 or flat.shape[0] == 0:
            return np.zeros(W.shape, dtype=out_dtype)
        cols = np.concatenate([flat.real, flat.imag]) if np.iscomplexobj(flat) else flat
        chunk = max(1, _CHUNK_BYTES // (40 * N))
        out = np.empty_like(cols)
        for s in range(0, cols.shape[0], chunk):
            out[s:s + chunk] = self._cgls(np.ascontiguousarray(cols[s:s + chunk].T))[0].T
        if np.iscomplexobj(flat):
            b = flat.shape[0]
            res = out[:b] + 1j * out[b:]
            return res.reshape(W.shape).astype(out_dtype if out_dtype.kind == "c" else np.complex128, copy=False)
        return out.reshape(W.shape).astype(out_dtype, copy=False)

    def steps(self, W: Any) -> int:
        """The number of CGLS steps `apply` takes on ``W`` (real; for benchmarks and tests)."""
        from reptheory.hom.projectors import _as_input

        arr, _ = _as_input(W, self.shape)
        return self._cgls(np.ascontiguousarray(arr.reshape(-1, self.D.shape[0]).real.T))[1]

    def basis(self) -> np.ndarray:
        """A Frobenius-orthonormal basis, shape ``(dim, d_out, d_in)``: ``P`` of ``dim + 8`` Gaussian matrices, then an SVD.

        Raises
        ------
        TooLargeError
            If ``(dim + 8) · d_out · d_in`` exceeds 2²⁶ numbers (512 MiB).
        """
        N = self.shape[0] * self.shape[1]
        size = (self.dim + 8) * N
        if size > 1 << 26:
            raise TooLargeError(f"a dense basis of {self.dim} matrices of shape {self.shape} needs {size} numbers "
                                f"(limit {1 << 26}); use apply()", estimate=size, limit=1 << 26)
        if self.dim == 0:
            return np.zeros((0, *self.shape))
        rng = np.random.default_rng(0)
        Y = self.apply(rng.standard_normal((self.dim + 8, *self.shape))).reshape(self.dim + 8, N)
        U, sv, _ = np.linalg.svd(Y.T, full_matrices=False)
        if sv[self.dim - 1] <= 1e-8 * sv[0] or (self.dim < sv.size and sv[self.dim] > 1e-8 * sv[0]):
            raise ConvergenceError(f"the projected samples have numerical rank {int(np.sum(sv > 1e-8 * sv[0]))}, "
                                   f"not the stated dim {self.dim}")
        return np.ascontiguousarray(U[:, : self.dim].T.reshape(self.dim, *self.shape))

    def to_arrays(self) -> dict[str, np.ndarray]:
        """Plain arrays: ``shape``, ``dim``, and ``indptr``, ``indices``, ``data`` of ``D`` (int8 when its entries are small integers)."""
        data = self.D.data
        small = data.size and np.all(data == np.round(data)) and np.max(np.abs(data)) <= 127
        return {"shape": np.array(self.shape, dtype=np.int64), "dim": np.array(self.dim, dtype=np.int64),
                "indptr": self.D.indptr, "indices": self.D.indices,
                "data": data.astype(np.int8) if small else data}

    @classmethod
    def from_arrays(cls, d: dict[str, Any]) -> DiagramSpanProjector:
        """Inverse of [`to_arrays`][reptheory.hom.diagram_span.DiagramSpanProjector.to_arrays].

        Examples
        --------
        >>> P = diagram_span_projector(2, 2, 2, "O")         # identity, swap, trace of O(2) on V ⊗ V
        >>> DiagramSpanProjector.from_arrays(P.to_arrays()).dim
        3
        """
        import scipy.sparse as sp

        shape = tuple(int(x) for x in np.asarray(d["shape"]))
        indptr, indices, data = (np.asarray(d[key]) for key in ("indptr", "indices", "data"))
        if len(shape) != 2 or indptr.ndim != 1 or indptr.size < 1 or indices.ndim != 1 or data.shape != indices.shape \
                or indptr[0] != 0 or indptr[-1] != indices.size or np.any(np.diff(indptr) < 0):
            raise InvalidArgumentError("malformed diagram_span arrays (shape, indptr, indices or data)")
        try:
            D = sp.csc_matrix((data, indices, indptr),
                              shape=(shape[0] * shape[1], indptr.size - 1))
            D.check_format(full_check=True)
        except ValueError as exc:
            raise InvalidArgumentError(f"malformed diagram_span arrays: {exc}") from None
        return cls((shape[0], shape[1]), D, int(np.asarray(d["dim"])))
