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
from reptheory.hom.projectors import DiagramProjector, _as_input

__all__ = ["tensor_layout", "DiagramBlock", "DiagramSumProjector", "DENSE_BLOCK_ENTRIES"]

#: A block pair whose orthonormal basis has at most this many entries is applied densely (else sparse).
DENSE_BLOCK_ENTRIES = 2**21


class _Restricted:
    """The restriction of a block-diagonal representation to one block (duck-types what the degree checks read)."""

    def __init__(self, rep: Any, idx: np.ndarray) -> None:
        self.group = rep.group
        self.images = np.asarray(rep.images)[:, idx][:, :, idx]
        self.algebra = np.asarray(rep.algebra)[:, idx][:, :, idx]
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
        if stack.shape[0]:
            pattern |= np.any(stack != 0, axis=0)
    n, labels = connected_components(sp.csr_matrix(pattern), directed=False)
    order = np.argsort(labels, kind="stable")
    cuts = np.cumsum(np.bincount(labels, minlength=n))[:-1]
    comps = [np.sort(c) for c in np.split(order, cuts)]
    comps.sort(key=lambda c: int(c[0]))
    return comps


def tensor_layout(rep: Any, family: str, V: Any = None) -> list[tuple[np.ndarray, Any]] | None:
    """The blocks of ``rep`` as tensor powers of the defining representation, or None.

    Parameters
    ----------
    rep : Representation
    family : {"tensor", "mixed"}
        ``"tensor"``: each block must be ``V^{⊗k}`` (key ``k``); ``"mixed"`` (U(n), SU(n)): a
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
    from reptheory.hom.diagrams import mixed_signature, tensor_power_degree

    if family not in ("tensor", "mixed"):
        raise InvalidArgumentError(f"family must be 'tensor' or 'mixed', got {family!r}")
    if V is None:
        V = rep.group.defining_representation(exact=False)
    if V.dim < 2:
        return None
    out: list[tuple[np.ndarray, Any]] = []
    seen: dict[str, Any] = {}
    for idx in _blocks(rep):
        r = _Restricted(rep, idx)
        dg = r.digest()
        if dg not in seen:
            seen[dg] = tensor_power_degree(r, V) if family == "tensor" else mixed_signature(r, V)
        key = seen[dg]
        if key is None:
            return None
        out.append((idx.astype(np.int64), key))
    return out


def group_layout(layout: list[tuple[np.ndarray, Any]]) -> dict[Any, np.ndarray]:
    """``key → (m, d_key)`` array of the coordinates of each copy (copies in order of appearance)."""
    groups: dict[Any, list[np.ndarray]] = {}
    for idx, key in layout:
        groups.setdefault(key, []).append(idx)
    return {key: np.stack(lst) for key, lst in groups.items()}


@dataclass(frozen=True, eq=False)
class DiagramBlock:
    """One block pair ``Hom_G(V^{⊗k}, V^{⊗l}) ⊗ ℂ^{m_out × m_in}`` of a [`DiagramSumProjector`][reptheory.hom.diagram_sums.DiagramSumProjector].

    Attributes
    ----------
    rows : ndarray of int64, shape (m_out, d_l)
        ``rows[a]``: the output coordinates of copy ``a`` of ``V^{⊗l}``.
    cols : ndarray of int64, shape (m_in, d_k)
        ``cols[b]``: the input coordinates of copy ``b`` of ``V^{⊗k}``.
    proj : DiagramProjector
        The orthogonal projector onto the diagram span of ``Hom_G(V^{⊗k}, V^{⊗l})`` (shape ``(d_l, d_k)``).
    """

    rows: np.ndarray
    cols: np.ndarray
    proj: DiagramProjector

    def __post_init__(self) -> None:
        rows = np.ascontiguousarray(self.rows, dtype=np.int64)
        cols = np.ascontiguousarray(self.cols, dtype=np.int64)
        if rows.ndim != 2 or cols.ndim != 2 or (rows.shape[1], cols.shape[1]) != tuple(self.proj.shape):
            raise DimensionMismatchError(f"rows {rows.shape} and cols {cols.shape} do not fit a block projector of "
                                         f"shape {self.proj.shape}")
        rows.setflags(write=False)
        cols.setflags(write=False)
        object.__setattr__(self, "rows", rows)
        object.__setattr__(self, "cols", cols)

    @property
    def m_out(self) -> int:
        """Copies of ``V^{⊗l}`` in ``ρ_out``."""
        return int(self.rows.shape[0])

    @property
    def m_in(self) -> int:
        """Copies of ``V^{⊗k}`` in ``ρ_in``."""
        return int(self.cols.shape[0])

    @property
    def dim(self) -> int:
        """``m_out · m_in · dim Hom_G(V^{⊗k}, V^{⊗l})``."""
        return self.m_out * self.m_in * self.proj.dim

    @functools.cached_property
    def orthonormal(self) -> np.ndarray | None:
        """``Q = L⁻¹ Dᵀ`` (rows orthonormal, shape ``(e, d_l·d_k)``) when small, else None (apply sparsely)."""
        import scipy.linalg

        e = self.proj.dim
        n = self.proj.shape[0] * self.proj.shape[1]
        if e * n > DENSE_BLOCK_ENTRIES:
            return None
        if e == 0:
            return np.zeros((0, n))
        Dt = np.asarray(self.proj.D.T.toarray(), dtype=np.float64)
        return np.ascontiguousarray(scipy.linalg.solve_triangular(self.proj._chol, Dt, lower=True))

    def project(self, X: np.ndarray) -> np.ndarray:
        """``P_{kl}`` applied to ``X`` of shape ``(N, d_l, d_k)`` (a batch of sub-blocks)."""
        N = X.shape[0]
        flat = X.reshape(N, -1)
        Q = self.orthonormal
        if Q is None:
            return self.proj.apply(X)
        return ((flat @ Q.T) @ Q).reshape(X.shape)


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
            if Q is None:
                Q = b.proj.basis().reshape(b.proj.dim, -1)
            Qm = Q.reshape(-1, *b.proj.shape)
            for ra in b.rows:
                for cb in b.cols:
                    mats[i:i + Qm.shape[0], ra[:, None], cb[None, :]] = Qm
                    i += Qm.shape[0]
        return mats

    def exact_columns(self) -> Any:
        """The integer basis (pivot diagrams at each copy pair) as a sparse ``(d_out·d_in, k)`` matrix."""
        import scipy.sparse as sp

        d_in = self.shape[1]
        rows_all, cols_all, vals_all = [], [], []
        off = 0
        for b in self.blocks:
            D = b.proj.D.tocoo()
            dk = b.proj.shape[1]
            e = b.proj.dim
            i, j = D.row // dk, D.row % dk
            for a, ra in enumerate(b.rows):
                for c, cb in enumerate(b.cols):
                    rows_all.append(ra[i] * d_in + cb[j])
                    cols_all.append(off + (a * b.m_in + c) * e + D.col)
                    vals_all.append(D.data.astype(np.int64))
            off += b.dim
        n = self.shape[0] * d_in
        if not rows_all:
            return sp.csr_matrix((n, 0), dtype=np.int64)
        return sp.csr_matrix((np.concatenate(vals_all), (np.concatenate(rows_all), np.concatenate(cols_all))),
                             shape=(n, off), dtype=np.int64)

    def to_arrays(self) -> dict[str, np.ndarray]:
        """Plain arrays: ``shape``, a block table ``blocks`` (nb, 5) = (m_out, d_l, m_in, d_k, e), the
        concatenated ``rows``/``cols``, and the concatenated sparse diagrams (``indptr``, ``indices``,
        ``data``, column-compressed per block) and flattened Gram matrices ``gram``."""
        table = np.array([[b.m_out, b.proj.shape[0], b.m_in, b.proj.shape[1], b.proj.dim] for b in self.blocks],
                         dtype=np.int64).reshape(-1, 5)
        cat = np.concatenate

        def c(arrs: list[np.ndarray], dt: Any) -> np.ndarray:
            return cat(arrs).astype(dt) if arrs else np.zeros(0, dtype=dt)

        return {
            "shape": np.array(self.shape, dtype=np.int64), "blocks": table,
            "rows": c([b.rows.reshape(-1) for b in self.blocks], np.int64),
            "cols": c([b.cols.reshape(-1) for b in self.blocks], np.int64),
            "nnz": np.array([b.proj.D.nnz for b in self.blocks], dtype=np.int64),
            "indptr": c([b.proj.D.indptr for b in self.blocks], np.int64),
            "indices": c([b.proj.D.indices for b in self.blocks], np.int64),
            "data": c([b.proj.D.data for b in self.blocks], np.int64),
            "gram": c([b.proj.gram.reshape(-1) for b in self.blocks], np.int64),
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
                                       DiagramProjector((dl, dk), D, G)))
            o_r, o_c, o_p, o_n, o_g = o_r + mo * dl, o_c + mi * dk, o_p + e + 1, o_n + z, o_g + e * e
        if (o_r, o_c, o_p, o_n, o_g) != (rows.size, cols.size, indptr.size, data.size, gram.size):
            raise DimensionMismatchError("diagram_sum arrays do not match their block table")
        return cls((shape[0], shape[1]), tuple(blocks))
