"""Diagram bases on direct sums of tensor powers, with multiplicities (docs/explanation/routes.md#diagram-method).

A representation that is block diagonal with blocks ``V^{⊗k}`` (in any order, with repeats;
``V^{⊗0}`` the trivial representation; for U(n)/SU(n) mixed words in ``V`` and ``V*``) is a
*tensor layout* ``ρ ≅ ⊕_k V^{⊗k} ⊗ ℂ^{m_k}``.  Since ``Hom_G(A ⊗ ℂ^m, B ⊗ ℂ^{m'}) =
Hom_G(A, B) ⊗ ℂ^{m' × m}``,

$$
\\mathrm{Hom}_G(ρ_{in}, ρ_{out}) = \\bigoplus_{(k, l)} \\mathrm{Hom}_G(V^{⊗k}, V^{⊗l}) ⊗ ℂ^{m^{out}_l × m^{in}_k},
$$

and the Frobenius-orthogonal projector acts block by block: every ``(d_l × d_k)`` sub-block
``W[a, b]`` (output copy ``a`` of ``V^{⊗l}``, input copy ``b`` of ``V^{⊗k}``) is replaced by
``P_{kl}(W[a, b])``, the orthogonal projector onto the diagram span of ``Hom_G(V^{⊗k}, V^{⊗l})``,
and every entry outside the block pairs becomes 0.  ``P_{kl}`` is applied to all ``m_l · m_k``
sub-blocks at once (one matrix product with an orthonormal basis of the small diagram space,
``Q = L⁻¹ Dᵀ`` with ``DᵀD = L Lᵀ`` the integer Gram matrix of the pivot diagrams, or the sparse
``D (DᵀD)⁻¹ Dᵀ`` for large blocks); no basis of the whole space is formed.

Examples
--------
>>> import numpy as np
>>> from reptheory import Representation
>>> from reptheory.groups.lie_catalog import O
>>> G = O(3)
>>> V, one = G.defining_representation(exact=False), Representation.trivial(G)
>>> [(idx.tolist(), key) for idx, key in tensor_layout(one + V + one, "tensor")]
[([0], 0), ([1, 2, 3], 1), ([4], 0)]
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from reptheory.errors import DimensionMismatchError, InvalidArgumentError
from reptheory.hom.projectors import _as_input

__all__ = ["tensor_layout", "key_degree", "BlockSpan", "block_span", "DiagramBlock", "DiagramSumProjector",
           "DENSE_BLOCK_ENTRIES"]

#: A block pair whose orthonormal basis has at most this many entries is applied densely (else sparse).
DENSE_BLOCK_ENTRIES = 2**21


class _Restricted:
    """The restriction of a block-diagonal representation to one block (duck-types what the degree checks read)."""

    def __init__(self, rep: Any, idx: np.ndarray) -> None:
        self.group = rep.group
        whole = idx.size == rep.dim  # one block: no copy
        self.images = np.asarray(rep.images) if whole else np.asarray(rep.images)[:, idx][:, :, idx]
        self.algebra = np.asarray(rep.algebra) if whole else np.asarray(rep.algebra)[:, idx][:, :, idx]
        self.dim = int(idx.size)

    def digest(self) -> str:
        h = hashlib.sha1()
        for a in (self.images, self.algebra):
            h.update(str(a.shape).encode())
            h.update(np.ascontiguousarray(a).tobytes())
        return h.hexdigest()


def _blocks(rep: Any) -> list[np.ndarray]:
    """Index sets of the connected components of the joint sparsity pattern of all images (sorted)."""
    import scipy.sparse as sp
    from scipy.sparse.csgraph import connected_components

    d = rep.dim
    mats = [np.asarray(rep.images), np.asarray(rep.algebra)]
    pattern = np.eye(d, dtype=bool)
    for stack in mats:
        for m in stack:  # one image at a time: no (g, d, d) boolean temporary
            pattern |= m != 0
    n, labels = connected_components(sp.csr_matrix(pattern), directed=False)
    order = np.argsort(labels, kind="stable")
    cuts = np.cumsum(np.bincount(labels, minlength=n))[:-1]
    comps = [np.sort(c) for c in np.split(order, cuts)]
    comps.sort(key=lambda c: int(c[0]))
    return comps


def _act(mats: np.ndarray, y: np.ndarray, k: int, additive: bool) -> np.ndarray:
    """``Σ_i X`` on tensor factor ``i`` (additive, Lie algebra) or ``Y^{⊗k}`` (group) applied to ``y`` of shape (n,)*k."""
    if additive:
        return np.asarray(sum(np.moveaxis(np.tensordot(mats, y, axes=([1], [i])), 0, i) for i in range(k)))
    out = y
    for i in range(k):
        out = np.moveaxis(np.tensordot(mats, out, axes=([1], [i])), 0, i)
    return out


def _is_power(r: Any, V: Any, k: int, kind: str) -> bool:
    """Whether ``r`` equals ``Bᵀ V^{⊗k} B`` with ``B`` the orthonormal symmetric/exterior power basis."""
    from reptheory.reps._utils import power_basis

    n = V.dim
    B = power_basis(n, k, "symmetric" if kind == "S" else "exterior")
    if B.shape[1] != r.dim or r.images.shape[0] != V.images.shape[0] or r.algebra.shape[0] != V.algebra.shape[0]:
        return False
    x = np.random.default_rng(12345).standard_normal(r.dim)
    y = (B @ x).reshape((n,) * k)
    for A, X, add in [(a, b, True) for a, b in zip(r.algebra, V.algebra, strict=True)] + \
            [(a, b, False) for a, b in zip(r.images, V.images, strict=True)]:
        want = B.T @ _act(X, y, k, add).reshape(-1)
        scale = max(1.0, float(np.abs(A).max(initial=0.0)))
        if not np.allclose(A @ x, want, rtol=1e-12, atol=1e-12 * scale * max(1.0, float(np.abs(x).max()))):
            return False
    return True


def _power_key(r: Any, V: Any) -> tuple[str, int] | None:
    """``("S", k)`` or ``("L", k)`` if ``r`` is ``Sym^k V`` or ``Λ^k V`` in the library's power basis, else None."""
    import math

    n = V.dim
    for k in range(2, 13):
        cs, ce = math.comb(n + k - 1, k), math.comb(n, k)
        for kind, c in (("S", cs), ("L", ce)):
            if c == r.dim and n**k <= 2**16 and _is_power(r, V, k, kind):
                return (kind, k)
    return None


def key_degree(key: Any) -> int:
    """The tensor degree of a layout key (``k``, ``("S", k)`` or ``("L", k)``).

    Examples
    --------
    >>> key_degree(3), key_degree(("S", 2))
    (3, 2)
    """
    if isinstance(key, tuple):
        return int(key[1]) if key and isinstance(key[0], str) else len(key)
    return int(key)


def tensor_layout(rep: Any, family: str, V: Any = None) -> list[tuple[np.ndarray, Any]] | None:
    """The blocks of ``rep`` as tensor powers of the defining representation, or None.

    Parameters
    ----------
    rep : Representation
    family : {"tensor", "mixed"}
        ``"tensor"``: each block must be ``V^{⊗k}`` (key ``k``) or a symmetric / exterior power
        in the basis of ``Representation.symmetric_power`` (key ``("S", k)`` / ``("L", k)``); ``"mixed"`` (U(n), SU(n)): a
        word in ``V`` and ``V*`` (key: the signature, a tuple of bools, ``True`` for ``V*``).
    V : Representation, optional
        The defining representation (default ``rep.group.defining_representation(exact=False)``).

    Returns
    -------
    list of (ndarray of int64, key) or None
        One entry per block, ordered by first index; the indices are the block's coordinates in
        ``rep`` in increasing order (the restriction to them is exactly ``V^{⊗k}``).

    Examples
    --------
    >>> from reptheory.groups.lie_catalog import SO
    >>> V = SO(3).defining_representation(exact=False)
    >>> [key for _, key in tensor_layout(2 * V + V @ V, "tensor")]
    [1, 1, 2]
    """
    if family not in ("tensor", "mixed"):
        raise InvalidArgumentError(f"family must be 'tensor' or 'mixed', got {family!r}")
    if V is None:
        V = rep.group.defining_representation(exact=False)
    if V.dim < 2:
        return None
    cached = _cached_layout(rep, family, V)
    return None if cached is None else [(idx.copy(), key) for idx, key in cached]


def _plausible(d: int, n: int, family: str) -> bool:
    """Whether a block of dimension ``d`` can be ``V^{⊗k}`` (or a symmetric / exterior power) for ``dim V = n``."""
    import math

    if d == 1:
        return True
    k = round(math.log(d, n))
    if n**k == d:
        return True
    return family == "tensor" and any(math.comb(n + j - 1, j) == d or math.comb(n, j) == d for j in range(2, 13))


@functools.lru_cache(maxsize=128)
def _cached_layout(rep: Any, family: str, V: Any) -> tuple[tuple[np.ndarray, Any], ...] | None:
    """`tensor_layout`, cached by the (immutable, hashable) representations."""
    from reptheory.hom.diagrams import mixed_signature, tensor_power_degree

    out: list[tuple[np.ndarray, Any]] = []
    seen: dict[str, Any] = {}
    blocks = _blocks(rep)
    if not all(_plausible(idx.size, V.dim, family) for idx in blocks):  # before copying anything
        return None
    for idx in blocks:
        r = _Restricted(rep, idx)
        dg = r.digest() if len(blocks) > 1 else ""
        if dg not in seen:
            if family == "tensor":
                k = tensor_power_degree(r, V)
                seen[dg] = k if k is not None else _power_key(r, V)
            else:
                seen[dg] = mixed_signature(r, V)
        key = seen[dg]
        if key is None:
            return None
        out.append((idx.astype(np.int64), key))
    return tuple(out)


def group_layout(layout: list[tuple[np.ndarray, Any]]) -> dict[Any, np.ndarray]:
    """``key → (m, d_key)`` array of the coordinates of each copy (copies in order of appearance)."""
    groups: dict[Any, list[np.ndarray]] = {}
    for idx, key in layout:
        groups.setdefault(key, []).append(idx)
    return {key: np.stack(lst) for key, lst in groups.items()}


@functools.lru_cache(maxsize=64)
def _embedding(n: int, key: Any) -> tuple[Any, np.ndarray]:
    """``(U, c)``: the power basis is ``B = U diag(c)^{-1/2}``, ``U`` integer (0, ±1), ``c`` positive integers."""
    import math

    import scipy.sparse as sp

    from reptheory.reps._utils import power_basis

    if not isinstance(key, tuple):
        N = n ** int(key)
        return sp.identity(N, dtype=np.int64, format="csr"), np.ones(N, dtype=np.int64)
    kind, k = key
    B = power_basis(n, int(k), "symmetric" if kind == "S" else "exterior")
    if kind == "S":
        c = np.rint(1.0 / np.max(np.abs(B), axis=0) ** 2).astype(np.int64)
    else:
        c = np.full(B.shape[1], math.factorial(int(k)), dtype=np.int64)
    U = np.rint(B * np.sqrt(c)[None, :]).astype(np.int64)
    return sp.csr_matrix(U), c


@dataclass(frozen=True, eq=False)
class BlockSpan:
    """The span of ``Hom_G(V_k, V_l)`` for two layout keys: ``D = diag(c_l ⊗ c_k)^{-1/2} N`` with ``N`` integer.

    Attributes
    ----------
    N : scipy.sparse.csc_matrix of int64, shape (d_l·d_k, e)
        Independent integer spanning matrices (diagrams, or diagrams compressed to the power bases
        with the integer ``U`` of the power basis), flattened row-major.
    weights : ndarray of int64, shape (d_l·d_k,)
        ``c_l[a] · c_k[b]``: entry ``(a, b)`` of a spanning matrix is ``N[(a, b)] / sqrt(weights)``.
    n_diagrams : int
        Diagrams of the underlying tensor powers.
    """

    N: Any
    weights: np.ndarray
    n_diagrams: int
    shape: tuple[int, int]

    @property
    def dim(self) -> int:
        """``e``."""
        return int(self.N.shape[1])

    @property
    def relations(self) -> int:
        """``n_diagrams − e``."""
        return self.n_diagrams - self.dim

    @property
    def integral(self) -> bool:
        """Whether the weights are all 1 (tensor powers on both sides)."""
        return bool(np.all(self.weights == 1))

    def D_and_gram(self) -> tuple[Any, np.ndarray]:
        """``D = diag(w)^{-1/2} N`` (float) and ``DᵀD`` (for integral spans, the integer Gram)."""
        import scipy.sparse as sp

        if self.integral:
            return self.N, np.asarray((self.N.T @ self.N).toarray(), dtype=np.float64)
        D = sp.diags(1.0 / np.sqrt(self.weights.astype(np.float64))) @ self.N.astype(np.float64)
        return sp.csc_matrix(D), np.asarray((D.T @ D).toarray())


def block_span(base: Any, n: int, key_in: Any, key_out: Any) -> BlockSpan:
    """Compress a diagram span of ``Hom(V^{⊗k}, V^{⊗l})`` to the layout keys and extract a basis exactly.

    ``N_u = U_lᵀ D_u U_k`` for every pivot diagram ``D_u`` of ``base`` (a
    [`DiagramSpan`][reptheory.hom.diagrams.DiagramSpan]); the power bases are ``B = U diag(c)^{-1/2}``, so the
    spanning matrices ``B_lᵀ D_u B_k = diag(c_l)^{-1/2} N_u diag(c_k)^{-1/2}`` have the same linear relations
    as the integer ``N_u``; the independent ones are found on the integer Gram matrix as in
    [`diagram_span`][reptheory.hom.diagrams.diagram_span].

    Examples
    --------
    >>> from reptheory.hom.diagrams import diagram_span
    >>> block_span(diagram_span(6, 3, 3, "SO"), 6, ("S", 3), ("S", 3)).dim   # End_{SO(6)}(S³V)
    2
    """
    import scipy.sparse as sp

    from reptheory.errors import ConvergenceError
    from reptheory.hom.diagrams import _exact_pivots

    Ui, ci = _embedding(n, key_in)
    Uo, co = _embedding(n, key_out)
    dl, dk = Uo.shape[1], Ui.shape[1]
    weights = np.outer(co, ci).reshape(-1)
    Dint = base.D.astype(np.int64)
    if not isinstance(key_in, tuple) and not isinstance(key_out, tuple):
        return BlockSpan(sp.csc_matrix(Dint), weights, int(base.n_diagrams), (dl, dk))
    nl, nk = Uo.shape[0], Ui.shape[0]
    cols = []
    for u in range(Dint.shape[1]):
        col = Dint[:, u].tocoo()
        M = sp.csr_matrix((col.data, (col.row // nk, col.row % nk)), shape=(nl, nk))
        cols.append(sp.csr_matrix((Uo.T @ M @ Ui).reshape(1, dl * dk)))
    N = sp.vstack(cols).T.tocsc() if cols else sp.csc_matrix((dl * dk, 0), dtype=np.int64)
    N.eliminate_zeros()
    if N.shape[1] == 0:
        return BlockSpan(N, weights, int(base.n_diagrams), (dl, dk))
    G = np.asarray((N.T @ N).toarray(), dtype=np.int64)
    keep = np.flatnonzero(np.diag(G) > 0)
    piv = _exact_pivots(G[np.ix_(keep, keep)]) if keep.size else np.zeros(0, dtype=np.int64)
    if piv is None:  # pragma: no cover - three unlucky primes
        raise ConvergenceError("exact basis extraction in the power bases failed for three primes")
    return BlockSpan(sp.csc_matrix(N[:, keep[piv]]), weights, int(base.n_diagrams), (dl, dk))


@dataclass(frozen=True, eq=False)
class DiagramBlock:
    """One block pair ``Hom_G(V_k, V_l) ⊗ ℂ^{m_out × m_in}`` of a [`DiagramSumProjector`][reptheory.hom.diagram_sums.DiagramSumProjector].

    ``V_k`` is a tensor power ``V^{⊗k}`` or a symmetric / exterior power (in the orthonormal
    power basis of ``Representation.symmetric_power``); the small space is spanned by the
    independent columns of ``D`` (diagrams, or diagrams compressed to the power basis).

    Attributes
    ----------
    rows : ndarray of int64, shape (m_out, d_l)
        ``rows[a]``: the output coordinates of copy ``a`` of ``V_l``.
    cols : ndarray of int64, shape (m_in, d_k)
        ``cols[b]``: the input coordinates of copy ``b`` of ``V_k``.
    D : scipy.sparse.csc_matrix, shape (d_l·d_k, e)
        Linearly independent spanning matrices, flattened row-major.
    gram : ndarray of float64, shape (e, e)
        ``DᵀD`` (positive definite).
    """

    rows: np.ndarray
    cols: np.ndarray
    D: Any
    gram: np.ndarray

    def __post_init__(self) -> None:
        import scipy.sparse as sp

        rows = np.ascontiguousarray(self.rows, dtype=np.int64)
        cols = np.ascontiguousarray(self.cols, dtype=np.int64)
        D = sp.csc_matrix(self.D)
        gram = np.ascontiguousarray(self.gram, dtype=np.float64)
        if rows.ndim != 2 or cols.ndim != 2 or D.shape != (rows.shape[1] * cols.shape[1], gram.shape[0]) \
                or gram.shape != (D.shape[1], D.shape[1]):
            raise DimensionMismatchError(f"rows {rows.shape}, cols {cols.shape}, D {D.shape} and gram {gram.shape} "
                                         "do not fit together")
        for a in (rows, cols, gram):
            a.setflags(write=False)
        object.__setattr__(self, "rows", rows)
        object.__setattr__(self, "cols", cols)
        object.__setattr__(self, "D", D)
        object.__setattr__(self, "gram", gram)

    @property
    def shape(self) -> tuple[int, int]:
        """``(d_l, d_k)``: the shape of one sub-block."""
        return (int(self.rows.shape[1]), int(self.cols.shape[1]))

    @property
    def e(self) -> int:
        """``dim Hom_G(V_k, V_l)``."""
        return int(self.gram.shape[0])

    @property
    def m_out(self) -> int:
        """Copies of ``V_l`` in ``ρ_out``."""
        return int(self.rows.shape[0])

    @property
    def m_in(self) -> int:
        """Copies of ``V_k`` in ``ρ_in``."""
        return int(self.cols.shape[0])

    @property
    def dim(self) -> int:
        """``m_out · m_in · e``."""
        return self.m_out * self.m_in * self.e

    @functools.cached_property
    def _chol(self) -> np.ndarray:
        return np.linalg.cholesky(self.gram) if self.e else np.zeros((0, 0))

    @functools.cached_property
    def _Df(self) -> Any:
        return self.D.astype(np.float64)

    @functools.cached_property
    def orthonormal(self) -> np.ndarray | None:
        """``Q = L⁻¹ Dᵀ`` (rows orthonormal, shape ``(e, d_l·d_k)``) when small, else None (applied sparsely)."""
        n = self.shape[0] * self.shape[1]
        if self.e * n > DENSE_BLOCK_ENTRIES:
            return None
        return self._orthonormal_rows()

    def _orthonormal_rows(self) -> np.ndarray:
        import scipy.linalg

        n = self.shape[0] * self.shape[1]
        if self.e == 0:
            return np.zeros((0, n))
        Dt = np.asarray(self._Df.T.toarray())
        return np.ascontiguousarray(scipy.linalg.solve_triangular(self._chol, Dt, lower=True))

    def project(self, X: np.ndarray) -> np.ndarray:
        """``P_{kl}`` applied to ``X`` of shape ``(N, d_l, d_k)`` (a batch of sub-blocks)."""
        import scipy.linalg

        N = X.shape[0]
        flat = X.reshape(N, -1)
        Q = self.orthonormal
        if Q is not None:
            return ((flat @ Q.T) @ Q).reshape(X.shape)
        c = scipy.linalg.cho_solve((self._chol, True), np.asarray(self._Df.T @ flat.T))
        return np.asarray(self._Df @ c).T.reshape(X.shape)


@dataclass(frozen=True, eq=False)
class DiagramSumProjector:
    """Orthogonal projector onto ``Hom_G`` of two tensor layouts, block pair by block pair (module docstring).

    ``P(W)[rows_a, cols_b] = P_{kl}(W[rows_a, cols_b])`` for every block pair and copies ``a, b``;
    zero elsewhere.

    Attributes
    ----------
    shape : tuple of int
        ``(d_out, d_in)``.
    blocks : tuple of DiagramBlock

    Notes
    -----
    ``apply`` costs ``O(Σ m_out m_in e_{kl} d_l d_k)`` per matrix (dense small blocks) or
    ``O(Σ m_out m_in (nnz(D_{kl}) + e_{kl}²))`` (sparse large ones); memory is the small block
    projectors only.

    Examples
    --------
    >>> import numpy as np
    >>> from reptheory import Representation, intertwiners
    >>> from reptheory.groups.lie_catalog import O
    >>> V = O(3).defining_representation(exact=False)
    >>> one = Representation.trivial(O(3))
    >>> H = intertwiners(2 * one + V @ V, one + V + V @ V)
    >>> P = H.structured_projector()
    >>> P.kind, P.dim, [(b.m_out, b.m_in) for b in P.blocks]
    ('diagram_sum', 8, [(1, 2), (1, 1), (1, 2), (1, 1)])
    >>> W = np.random.default_rng(0).standard_normal(P.shape)
    >>> bool(np.allclose(P.apply(P.apply(W)), P.apply(W)))
    True
    """

    shape: tuple[int, int]
    blocks: tuple[DiagramBlock, ...]
    kind: ClassVar[str] = "diagram_sum"

    def __post_init__(self) -> None:
        shape = (int(self.shape[0]), int(self.shape[1]))
        blocks = tuple(self.blocks)
        for b in blocks:
            if not isinstance(b, DiagramBlock):
                raise InvalidArgumentError(f"blocks must be DiagramBlock instances, got {type(b).__name__}")
            if (b.rows.size and (b.rows.min() < 0 or b.rows.max() >= shape[0])) or \
                    (b.cols.size and (b.cols.min() < 0 or b.cols.max() >= shape[1])):
                raise DimensionMismatchError(f"a block's coordinates exceed the shape {shape}")
        object.__setattr__(self, "shape", shape)
        object.__setattr__(self, "blocks", blocks)

    @property
    def dim(self) -> int:
        """``Σ m_out · m_in · e_{kl}`` over block pairs."""
        return sum(b.dim for b in self.blocks)

    def apply(self, W: Any) -> np.ndarray:
        """``P(W)`` for ``W`` of shape ``(..., d_out, d_in)``."""
        W, out_dtype = _as_input(W, self.shape)
        batch = W.shape[:-2]
        Wf = W.reshape(-1, *self.shape)
        B = Wf.shape[0]
        out = np.zeros_like(Wf)
        for b in self.blocks:
            mo, dl = b.rows.shape
            mi, dk = b.cols.shape
            r, c = b.rows.reshape(-1), b.cols.reshape(-1)
            X = Wf[:, r[:, None], c[None, :]].reshape(B, mo, dl, mi, dk).transpose(0, 1, 3, 2, 4)
            Y = b.project(np.ascontiguousarray(X).reshape(B * mo * mi, dl, dk))
            out[:, r[:, None], c[None, :]] = Y.reshape(B, mo, mi, dl, dk).transpose(0, 1, 3, 2, 4).reshape(
                B, mo * dl, mi * dk)
        return out.reshape(*batch, *self.shape).astype(out_dtype, copy=False)

    def basis(self) -> np.ndarray:
        """Frobenius-orthonormal basis, shape ``(k, d_out, d_in)``: each block basis element placed at each copy pair."""
        mats = np.zeros((self.dim, *self.shape))
        i = 0
        for b in self.blocks:
            Q = b.orthonormal
            Qm = (b._orthonormal_rows() if Q is None else Q).reshape(-1, *b.shape)
            for ra in b.rows:
                for cb in b.cols:
                    mats[i:i + Qm.shape[0], ra[:, None], cb[None, :]] = Qm
                    i += Qm.shape[0]
        return mats

    @property
    def integral(self) -> bool:
        """Whether every block's spanning matrices are integer (then `exact_columns` is an exact basis)."""
        return all(b.D.dtype.kind in "iu" or bool(np.all(b.D.data == np.round(b.D.data))) for b in self.blocks)

    def exact_columns(self) -> Any:
        """The integer basis (pivot diagrams at each copy pair) as a sparse ``(d_out·d_in, k)`` matrix.

        Only for integral blocks (tensor powers); power-basis blocks have irrational entries.
        """
        import scipy.sparse as sp

        if not self.integral:
            raise InvalidArgumentError("the spanning matrices are not integral (symmetric or exterior powers)")
        d_in = self.shape[1]
        rows_all, cols_all, vals_all = [], [], []
        off = 0
        for b in self.blocks:
            D = b.D.tocoo()
            dk = b.shape[1]
            i, j = D.row // dk, D.row % dk
            mo, mi = b.m_out, b.m_in
            rows_all.append((b.rows[:, i][:, None, :] * d_in + b.cols[:, j][None, :, :]).reshape(-1))
            pair = (np.arange(mo)[:, None] * mi + np.arange(mi)[None, :])[:, :, None]
            cols_all.append((off + pair * b.e + D.col[None, None, :]).reshape(-1))
            vals_all.append(np.tile(np.rint(D.data).astype(np.int64), mo * mi))
            off += b.dim
        n = self.shape[0] * d_in
        if not rows_all:
            return sp.csr_matrix((n, 0), dtype=np.int64)
        return sp.csr_matrix((np.concatenate(vals_all), (np.concatenate(rows_all), np.concatenate(cols_all))),
                             shape=(n, off), dtype=np.int64)

    def to_arrays(self) -> dict[str, np.ndarray]:
        """Plain arrays: ``shape``, a block table ``blocks`` (nb, 5) = (m_out, d_l, m_in, d_k, e), the
        concatenated ``rows``/``cols``, the concatenated sparse spanning matrices (``nnz``, ``indptr``,
        ``indices``, ``data``, column-compressed per block) and the flattened Gram matrices ``gram``."""
        table = np.array([[b.m_out, b.shape[0], b.m_in, b.shape[1], b.e] for b in self.blocks],
                         dtype=np.int64).reshape(-1, 5)

        def c(arrs: list[np.ndarray], dt: Any) -> np.ndarray:
            return np.concatenate(arrs).astype(dt) if arrs else np.zeros(0, dtype=dt)

        return {
            "shape": np.array(self.shape, dtype=np.int64), "blocks": table,
            "rows": c([b.rows.reshape(-1) for b in self.blocks], np.int64),
            "cols": c([b.cols.reshape(-1) for b in self.blocks], np.int64),
            "nnz": np.array([b.D.nnz for b in self.blocks], dtype=np.int64),
            "indptr": c([b.D.indptr for b in self.blocks], np.int64),
            "indices": c([b.D.indices for b in self.blocks], np.int64),
            "data": c([b.D.data for b in self.blocks], np.float64),
            "gram": c([b.gram.reshape(-1) for b in self.blocks], np.float64),
        }

    @classmethod
    def from_arrays(cls, d: dict[str, Any]) -> DiagramSumProjector:
        """Inverse of [`to_arrays`][reptheory.hom.diagram_sums.DiagramSumProjector.to_arrays]."""
        import scipy.sparse as sp

        shape = tuple(int(x) for x in np.asarray(d["shape"]).reshape(-1))
        table = np.asarray(d["blocks"], dtype=np.int64).reshape(-1, 5)
        rows, cols = np.asarray(d["rows"]), np.asarray(d["cols"])
        nnz = np.asarray(d["nnz"], dtype=np.int64)
        indptr, indices, data, gram = (np.asarray(d[k]) for k in ("indptr", "indices", "data", "gram"))
        blocks = []
        o_r = o_c = o_p = o_n = o_g = 0
        for (mo, dl, mi, dk, e), z in zip(table.tolist(), nnz.tolist(), strict=True):
            D = sp.csc_matrix((data[o_n:o_n + z], indices[o_n:o_n + z], indptr[o_p:o_p + e + 1]), shape=(dl * dk, e))
            G = gram[o_g:o_g + e * e].reshape(e, e)
            blocks.append(DiagramBlock(rows[o_r:o_r + mo * dl].reshape(mo, dl), cols[o_c:o_c + mi * dk].reshape(mi, dk),
                                       D, G))
            o_r, o_c, o_p, o_n, o_g = o_r + mo * dl, o_c + mi * dk, o_p + e + 1, o_n + z, o_g + e * e
        if (o_r, o_c, o_p, o_n, o_g) != (rows.size, cols.size, indptr.size, data.size, gram.size):
            raise DimensionMismatchError("diagram_sum arrays do not match their block table")
        return cls((shape[0], shape[1]), tuple(blocks))
