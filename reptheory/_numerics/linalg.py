"""Numeric linear algebra for intertwiner spaces: Sylvester constraints and nullspaces (docs/explanation/projector.md#sylvester-form, docs/explanation/routes.md#nullspace-solvers).

Vectorisation convention: **row-major** throughout (NumPy's ``W.reshape(-1)``), so

$$
\\mathrm{vec}_r(A W - W B) = (A ⊗ I_{d_{in}} - I_{d_{out}} ⊗ B^T)\\, \\mathrm{vec}_r(W).
$$

The constraint for one generator pair ``(A, B) = (ρ_out(s), ρ_in(s))`` (or a pair of
Lie-algebra images) is built sparse; several are stacked, optionally restricted to the
columns of an orbit basis ``S`` (then the unknowns are orbit coefficients).  Nullspaces
are found by a dense SVD for small systems (economy: tall systems are first reduced to their
``r × r`` triangular QR factor, so nothing of size ``m × m`` is ever allocated) and by the
eigendecomposition of the Gram matrix ``MᴴM`` otherwise, each after a memory estimate
(`check_dense_bytes`); the rank decision cuts singular values at
``max(rank_rtol · max(shape), 64 · sqrt(eps)) · σ_max`` (the second term covers the
accuracy of Gram eigenvalues) and the gap at the cut is reported.

Examples
--------
>>> import numpy as np
>>> A = np.array([[0.0, 1.0], [1.0, 0.0]])
>>> K = sylvester_operator(A, A)
>>> W = np.array([[1.0, 2.0], [2.0, 1.0]])
>>> bool(np.allclose(K @ W.reshape(-1), (A @ W - W @ A).reshape(-1)))
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from reptheory._numerics.arrays import check_dense_bytes
from reptheory._numerics.tolerance import rank_rtol
from reptheory.errors import TooLargeError

__all__ = [
    "MAX_DENSE_UNKNOWNS",
    "MAX_SPARSE_UNKNOWNS",
    "NullspaceResult",
    "sylvester_operator",
    "stacked_constraints",
    "nullspace",
    "orthonormalize",
    "generator_residual",
]

#: Largest number of unknowns for which a dense nullspace (SVD or Gram eigendecomposition) is attempted.
MAX_DENSE_UNKNOWNS = 4096
#: Largest dense constraint matrix (entries) handed to an SVD; larger systems use the Gram matrix.
MAX_SVD_ENTRIES = 4_000_000


def sylvester_operator(A: np.ndarray, B: np.ndarray) -> Any:
    """Sparse ``(d_out·d_in)²`` matrix of ``W ↦ A W − W B`` in the row-major flattening.

    Parameters
    ----------
    A : ndarray, shape (d_out, d_out)
    B : ndarray, shape (d_in, d_in)

    Examples
    --------
    >>> import numpy as np
    >>> sylvester_operator(np.eye(2), np.eye(3)).nnz
    0
    """
    import scipy.sparse as sp

    d_out, d_in = A.shape[0], B.shape[0]
    As = sp.csr_matrix(A)
    Bs = sp.csr_matrix(B.T)
    K = sp.kron(As, sp.identity(d_in, format="csr", dtype=As.dtype), format="csr") - sp.kron(
        sp.identity(d_out, format="csr", dtype=Bs.dtype), Bs, format="csr"
    )
    K.eliminate_zeros()
    return K


def stacked_constraints(pairs: list[tuple[np.ndarray, np.ndarray]], S: Any = None) -> Any:
    """Stack the Sylvester operators of ``pairs`` (``[(A_out, A_in), …]``), optionally times ``S``.

    Returns a sparse matrix of shape ``(len(pairs)·n, r)`` with ``r = S.shape[1]`` (or ``n``).

    Examples
    --------
    >>> import numpy as np
    >>> stacked_constraints([(np.eye(2), np.eye(2))]).shape
    (4, 4)
    """
    import scipy.sparse as sp

    blocks = []
    for A, B in pairs:
        K = sylvester_operator(A, B)
        blocks.append(K if S is None else (K @ S).tocsr())
    if not blocks:
        r = S.shape[1] if S is not None else 0
        return sp.csr_matrix((0, r))
    return sp.vstack(blocks, format="csr")


@dataclass(frozen=True)
class NullspaceResult:
    """Orthonormal nullspace ``N`` (columns, shape (r, k)) with the rank-decision diagnostics."""

    N: np.ndarray
    singular_values: np.ndarray
    threshold: float
    gap: float
    solver: str


def nullspace(M: Any, *, dtype: Any = "float64", scale: float | None = None) -> NullspaceResult:
    """Orthonormal basis of ``ker M`` for a (sparse or dense) matrix of shape (m, r).

    Parameters
    ----------
    M : array_like or sparse matrix, shape (m, r)
    dtype
        Selects the rank tolerance of the policy.
    scale : float, optional
        The size of the operator ``M`` came from (e.g. ``max ‖A‖ + ‖B‖`` over the Sylvester
        pairs). Singular values are cut relative to ``max(σ_max, scale)``, so a reduced
        system whose entries are all rounding noise is recognised as zero.

    Raises
    ------
    TooLargeError
        If ``r`` exceeds `MAX_DENSE_UNKNOWNS`.

    Notes
    -----
    Dense SVD (``O(m r²)``; tall systems through the ``r × r`` factor of ``M = QR``, memory
    ``O(m r)``) when ``m·r ≤`` `MAX_SVD_ENTRIES`, else the Gram matrix
    ``MᴴM`` (sparse product, then a dense ``O(r³)`` eigendecomposition).  Mid-sized sparse
    problems (``MAX_DENSE_UNKNOWNS < r ≤ MAX_SPARSE_UNKNOWNS`` with a sparse Gram matrix) use
    shift-invert Lanczos (``scipy.sparse.linalg.eigsh``) on ``MᴴM − σI`` with a small negative
    shift ``σ`` (so the sparse LU factorisation exists), requesting more eigenpairs until one
    above the rank threshold is found.

    Examples
    --------
    >>> import numpy as np
    >>> res = nullspace(np.array([[1.0, -1.0]]))
    >>> res.N.shape, bool(abs(abs(res.N[0, 0]) - 2 ** -0.5) < 1e-12)
    ((2, 1), True)
    """
    import scipy.sparse as sp

    m, r = M.shape
    if r > MAX_DENSE_UNKNOWNS and sp.issparse(M) and r <= MAX_SPARSE_UNKNOWNS:
        res = _nullspace_shift_invert(M, dtype, scale)
        if res is not None:
            return res
    if r > MAX_DENSE_UNKNOWNS:
        raise TooLargeError(
            f"the nullspace problem has {r} unknowns (limit {MAX_DENSE_UNKNOWNS}); a dense solve would need "
            f"{8 * r * r / 2**30:.2f} GiB and O(r^3) time. Use a structured route (monomial/orbit or isotypic "
            "representations) or a smaller problem",
            estimate=r,
            limit=MAX_DENSE_UNKNOWNS,
        )
    eps = float(np.finfo(np.float64).eps)
    if r == 0:
        return NullspaceResult(np.zeros((0, 0)), np.zeros(0), 0.0, np.inf, "empty")
    if m == 0:
        return NullspaceResult(np.eye(r), np.zeros(r), 0.0, np.inf, "empty")
    item = 16 if (np.iscomplexobj(M) if not sp.issparse(M) else M.dtype.kind == "c") else 8
    if m * r <= MAX_SVD_ENTRIES:
        # peak: the dense copy, LAPACK's QR copy, and two r x r factors; never the m x m U of a full SVD
        check_dense_bytes(item * (2 * m * r + 2 * r * r), f"the dense nullspace of a {m} x {r} system")
        D = M.toarray() if sp.issparse(M) else np.asarray(M)
        if m > r:
            # tall: same singular values and right vectors as the r x r triangular factor
            D = np.linalg.qr(D, mode="r")
        _, s, Vh = np.linalg.svd(D, full_matrices=True)
        if s.size < r:
            s = np.concatenate([s, np.zeros(r - s.size)])
        V = Vh.conj().T
        solver = "svd"
        rel = rank_rtol(dtype) * max(m, r)
    else:
        check_dense_bytes(item * 3 * r * r + (0 if sp.issparse(M) else item * m * r),
                          f"the Gram-matrix nullspace of a {m} x {r} system")
        G = M.conj().T @ M
        G = G.toarray() if sp.issparse(G) else np.asarray(G)
        lam, V = np.linalg.eigh((G + G.conj().T) / 2)
        order = np.argsort(lam)[::-1]
        lam, V = lam[order], V[:, order]
        s = np.sqrt(np.clip(lam, 0.0, None))
        solver = "gram-eigh"
        rel = max(rank_rtol(dtype) * max(m, r), 64 * np.sqrt(eps))
    smax = float(s[0]) if s.size else 0.0
    threshold = rel * max(smax, scale or 0.0, 1e-300)
    rank = int(np.sum(s > threshold))
    N = V[:, rank:]
    if rank == 0:
        gap = np.inf
    else:
        zero_part = s[rank:]
        largest_zero = float(zero_part.max()) if zero_part.size else 0.0
        gap = float(s[rank - 1]) / max(largest_zero, eps * max(smax, 1e-300))
    return NullspaceResult(np.ascontiguousarray(N), s, threshold, gap, solver)


#: Largest number of unknowns for the sparse shift-invert Lanczos solver.
MAX_SPARSE_UNKNOWNS = 200_000
#: Largest nullspace dimension the sparse solver looks for.
MAX_SPARSE_NULLITY = 1024
#: The sparse solver is used only while the Gram matrix has at most this many non-zeros per row on average.
MAX_SPARSE_ROW_DENSITY = 200


def _nullspace_shift_invert(M: Any, dtype: Any, scale: float | None = None) -> NullspaceResult | None:
    """Sparse nullspace by shift-invert Lanczos on the Gram matrix; None if the Gram matrix is too dense."""
    import scipy.sparse as sp
    import scipy.sparse.linalg as spla

    m, r = M.shape
    if m == 0 or (M.nnz / m) * (M.nnz / r) > MAX_SPARSE_ROW_DENSITY:
        return None  # the Gram matrix would be too dense (estimate: row fill times column fill)
    G = (M.conj().T @ M).tocsc()
    if G.nnz > MAX_SPARSE_ROW_DENSITY * r:
        return None
    eps = float(np.finfo(np.float64).eps)
    lam_max = float(abs(G).sum(axis=1).max()) if G.nnz else 0.0  # Gershgorin bound >= largest eigenvalue
    lam_max = max(lam_max, (scale or 0.0) ** 2)
    if lam_max == 0.0:
        return NullspaceResult(np.eye(r), np.zeros(r), 0.0, np.inf, "empty")
    rel = max(rank_rtol(dtype) * max(m, r), 64 * np.sqrt(eps))
    lam_thr = (rel**2) * lam_max
    sigma = -1e-3 * rel * lam_max  # small negative shift: G - sigma I is positive definite
    lu = spla.splu((G - sigma * sp.identity(r, format="csc", dtype=G.dtype)).tocsc())
    op = spla.LinearOperator((r, r), matvec=lu.solve, dtype=G.dtype)
    k = 16
    while True:
        k_req = min(k, r - 2)
        # a fixed but generic start (a symmetric one such as all-ones would stay in one isotypic
        # sector): the same answer on every call
        v0 = np.random.default_rng(0x5EED).standard_normal(r).astype(G.dtype)
        try:
            vals, vecs = spla.eigsh(G, k=k_req, sigma=sigma, which="LM", OPinv=op, tol=1e-12, v0=v0)
        except (spla.ArpackError, spla.ArpackNoConvergence, RuntimeError, ValueError):
            return None  # the caller falls back to a dense solve or to another route
        order = np.argsort(vals)
        vals, vecs = vals[order], vecs[:, order]
        zero = vals <= lam_thr
        nz = int(np.sum(zero))
        if nz < k_req or k_req >= r - 2:
            break
        if k >= MAX_SPARSE_NULLITY:
            return None
        k *= 2
    N = vecs[:, :nz]
    if nz:
        N, _ = np.linalg.qr(N)
    s = np.sqrt(np.clip(vals, 0.0, None))
    smallest_nonzero = float(s[nz]) if nz < s.size else np.inf
    largest_zero = float(s[nz - 1]) if nz else 0.0
    gap = smallest_nonzero / max(largest_zero, eps * np.sqrt(lam_max))
    return NullspaceResult(np.ascontiguousarray(N), s[::-1], float(np.sqrt(lam_thr)), gap, "shift-invert-lanczos")


def orthonormalize(B: np.ndarray) -> np.ndarray:
    """Frobenius-orthonormal basis (shape (k, d_out, d_in)) of the span of ``B`` (same shape; full rank).

    Examples
    --------
    >>> import numpy as np
    >>> Q = orthonormalize(np.array([[[1.0, 1.0]], [[1.0, 0.0]]]))
    >>> bool(np.allclose(np.einsum("aij,bij->ab", Q, Q), np.eye(2)))
    True
    """
    k = B.shape[0]
    if k == 0:
        return B.astype(np.float64 if not np.iscomplexobj(B) else np.complex128)
    flat = B.reshape(k, -1)
    q, _ = np.linalg.qr(flat.T)
    return np.ascontiguousarray(q.T.reshape(B.shape))


def span_basis(B: np.ndarray) -> np.ndarray:
    """Orthonormal basis (rows) of the span of the rows of ``B`` (shape (k, n)), rank-deficient allowed.

    The rank is decided by the tolerance policy: singular values ``σ ≤ rank_rtol · max(k, n) · σ_max``
    count as zero.  Economy SVD, ``O(k · n · min(k, n))`` time, no ``n × n`` factor.

    Examples
    --------
    >>> import numpy as np
    >>> Q = span_basis(np.array([[1.0, 1.0, 0.0], [2.0, 2.0, 0.0], [0.0, 0.0, 3.0]]))
    >>> Q.shape, bool(np.allclose(Q @ Q.T, np.eye(2)))
    ((2, 3), True)
    """
    B = np.asarray(B)
    if B.ndim != 2 or B.shape[0] == 0:
        return np.zeros((0, B.shape[-1] if B.ndim else 0), dtype=B.dtype if B.ndim else np.float64)
    _, s, vh = np.linalg.svd(B, full_matrices=False)
    cut = rank_rtol(B.dtype if B.dtype.kind in "fc" else "float64") * max(B.shape) * (s[0] if s.size else 0.0)
    return np.ascontiguousarray(vh[s > cut])


def generator_residual(pairs: list[tuple[np.ndarray, np.ndarray]], W: np.ndarray) -> np.ndarray:
    """``max_s ‖A_s W − W B_s‖_F`` for ``W`` of shape (..., d_out, d_in); shape ``W.shape[:-2]``.

    Examples
    --------
    >>> import numpy as np
    >>> float(generator_residual([(np.eye(2), np.eye(2))], np.ones((2, 2))))
    0.0
    """
    W = np.asarray(W)
    out = np.zeros(W.shape[:-2])
    for A, B in pairs:
        R = A @ W - W @ B
        out = np.maximum(out, np.sqrt(np.sum(np.abs(R) ** 2, axis=(-2, -1))))
    return out
