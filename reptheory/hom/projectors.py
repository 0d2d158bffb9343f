"""Structured forms of the Reynolds projector onto ``Hom_G(ρ_in, ρ_out)``.

Three immutable, array-only classes describe the projector

$$
P(W) = ∫_G ρ_{out}(g)\\, W\\, ρ_{in}(g)^{-1}\\, dg
$$

of orthogonal representations without ever forming the dense
``(d_out·d_in) × (d_out·d_in)`` matrix (docs/explanation/projector.md#reynolds-is-orthogonal, docs/explanation/projector.md#mask-and-average, docs/explanation/routes.md#orbit-method):

* [`OrbitProjector`][reptheory.hom.projectors.OrbitProjector] (``kind = "orbit"``): for permutation and monomial
  representations, one orbit label and one phase per entry of ``W`` (docs/explanation/routes.md#orbit-method).
  ``W`` is flattened **row-major** (entry ``W[i, j]`` has flat index ``i·d_in + j``).
  With ``s = signs`` and ``ℓ = labels``,
  ``P(W)_flat[e] = s[e] · mean{ s[e'] W_flat[e'] : ℓ[e'] = ℓ[e] }`` and ``0`` where ``ℓ[e] = −1``
  (orbits whose phases are inconsistent are forced to zero).
* [`IsotypicProjector`][reptheory.hom.projectors.IsotypicProjector] (``kind = "isotypic"``): mask-and-average in the isotypic
  bases (docs/explanation/projector.md#mask-and-average).  With ``Ŵ = Q_outᵀ W Q_in``, each block region
  ``Ŵ[out_start:out_stop, in_start:in_stop]`` is viewed as ``m_out × m_in`` sub-blocks
  ``B_ab`` of size ``irrep_dim × irrep_dim``; each is replaced by
  ``Σ_u (⟨E_u, B_ab⟩ / irrep_dim) E_u``, everything outside the blocks becomes 0, and
  ``P(W) = Q_out P̂ Q_inᵀ``.
* [`BasisProjector`][reptheory.hom.projectors.BasisProjector] (``kind = "basis"``): a Frobenius-orthonormal basis
  ``B`` of shape ``(k, d_out, d_in)`` and ``P(W) = Σ_i ⟨B_i, W⟩ B_i``.

All three share ``kind``, ``shape = (d_out, d_in)``, ``dim = k = dim Hom_G``,
``apply(W)`` (numpy, batched over leading axes), ``to_arrays()`` and
``from_arrays(arrays)``; [`projector_from_arrays`][reptheory.hom.projectors.projector_from_arrays] dispatches on a kind name.
They are the exchange format with [`penalties`][penalties] (which ports ``apply`` to torch),
so they hold plain ``numpy`` arrays and ints only.  These forms are the
Frobenius-*orthogonal* projector; for orthogonal representations that is the
Reynolds operator (docs/explanation/projector.md#reynolds-is-orthogonal).

Examples
--------
>>> import numpy as np
>>> P = OrbitProjector.from_labels((2, 2), np.array([0, 1, 1, 0]))
>>> P.apply(np.array([[1.0, 2.0], [4.0, 3.0]])).tolist()
[[2.0, 3.0], [3.0, 2.0]]
>>> P.dim, P.kind
(2, 'orbit')
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from reptheory._numerics.linalg import span_basis
from reptheory.errors import DecompositionError, DimensionMismatchError, InvalidArgumentError

__all__ = [
    "OrbitProjector",
    "IsotypicBlock",
    "IsotypicProjector",
    "BasisProjector",
    "DiagramProjector",
    "StructuredProjector",
    "projector_from_arrays",
]


def _as_input(W: Any, shape: tuple[int, int]) -> tuple[np.ndarray, Any]:
    """Validate ``W`` of shape ``(..., d_out, d_in)``; return it as float64/complex128 and its dtype."""
    try:
        arr = np.asarray(W)
    except Exception:  # pragma: no cover - exotic inputs
        raise InvalidArgumentError(f"W must be an array, got {type(W).__name__}") from None
    if arr.dtype.kind not in "fciub":
        raise InvalidArgumentError(f"W must be a numeric array, got dtype {arr.dtype}")
    if arr.ndim < 2 or tuple(arr.shape[-2:]) != tuple(shape):
        raise DimensionMismatchError(f"W must have shape (..., {shape[0]}, {shape[1]}), got {arr.shape}")
    out_dtype = arr.dtype if arr.dtype.kind in "fc" else np.dtype(np.float64)
    work = arr.astype(np.complex128 if arr.dtype.kind == "c" else np.float64, copy=False)
    return work, out_dtype


def _signed_perm_of(Q: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """``(rows, signs)`` with ``Q[:, j] = signs[j] e_{rows[j]}``, or None if Q is not a signed permutation."""
    nz = Q != 0
    if not (np.all(nz.sum(axis=0) == 1) and np.all(nz.sum(axis=1) == 1)):
        return None
    rows = np.argmax(nz, axis=0)
    vals = Q[rows, np.arange(Q.shape[1])]
    if not np.all(np.abs(vals) == 1.0):
        return None
    return rows, vals.astype(np.float64)


@dataclass(frozen=True, eq=False)
class OrbitProjector:
    """Orbit-averaging projector of a permutation or monomial representation (docs/explanation/routes.md#orbit-method).

    Attributes
    ----------
    shape : tuple of int
        ``(d_out, d_in)``.
    labels : ndarray of int64, shape (d_out·d_in,)
        Orbit id in ``[0, n_orbits)`` of each row-major entry, or ``−1`` for entries forced to 0.
    signs : ndarray of float64, shape (d_out·d_in,)
        Phase (±1) linking each entry to its orbit root; 0 where ``labels == −1``.  Read-only;
        for permutation fields (all +1) the orbit algorithms return a broadcast of one value.
    n_orbits : int
        Number of (consistent) orbits, the dimension of ``Hom_G``.

    Notes
    -----
    ``apply`` costs ``O(batch · d_out · d_in)`` (one weighted ``bincount``); memory is one
    integer and one float per entry.

    Examples
    --------
    >>> import numpy as np
    >>> P = OrbitProjector((1, 2), np.array([0, 0]), np.array([1.0, -1.0]), 1)
    >>> P.apply(np.array([[3.0, 1.0]])).tolist()
    [[1.0, -1.0]]
    """

    shape: tuple[int, int]
    labels: np.ndarray
    signs: np.ndarray
    n_orbits: int
    kind: ClassVar[str] = "orbit"

    def __post_init__(self) -> None:
        shape = (int(self.shape[0]), int(self.shape[1]))
        n = shape[0] * shape[1]
        labels = np.ascontiguousarray(self.labels, dtype=np.int64).reshape(-1)
        signs = np.ascontiguousarray(self.signs, dtype=np.float64).reshape(-1)
        if labels.shape != (n,) or signs.shape != (n,):
            raise DimensionMismatchError(
                f"labels and signs must have shape ({n},) for shape {shape}, got {labels.shape} and {signs.shape}"
            )
        n_orbits = int(self.n_orbits)
        if n and (labels.min(initial=-1) < -1 or labels.max(initial=-1) >= n_orbits):
            raise InvalidArgumentError(f"labels must lie in [-1, {n_orbits}), got range "
                                       f"[{labels.min()}, {labels.max()}]")
        labels.setflags(write=False)
        signs.setflags(write=False)
        object.__setattr__(self, "shape", shape)
        object.__setattr__(self, "labels", labels)
        object.__setattr__(self, "signs", signs)
        object.__setattr__(self, "n_orbits", n_orbits)

    @classmethod
    def _trusted(cls, shape: tuple[int, int], labels: np.ndarray, signs: np.ndarray, n_orbits: int,
                 zero_entries: int | None = None) -> OrbitProjector:
        """Construction without the checks of ``__post_init__`` (the orbit algorithms' output: contiguous
        int64 labels in ``[-1, n_orbits)`` and float64 signs of the right length, owned by the caller)."""
        obj = object.__new__(cls)
        if zero_entries is not None:
            obj.__dict__["zero_entries"] = int(zero_entries)
        labels.setflags(write=False)
        signs.setflags(write=False)
        object.__setattr__(obj, "shape", (int(shape[0]), int(shape[1])))
        object.__setattr__(obj, "labels", labels)
        object.__setattr__(obj, "signs", signs)
        object.__setattr__(obj, "n_orbits", int(n_orbits))
        return obj

    @classmethod
    def from_labels(cls, shape: tuple[int, int], labels: np.ndarray) -> OrbitProjector:
        """A permutation-type orbit projector (all signs +1) from labels ``0..n-1``.

        Examples
        --------
        >>> OrbitProjector.from_labels((1, 3), np.array([0, 1, 0])).dim
        2
        """
        labels = np.asarray(labels, dtype=np.int64).reshape(-1)
        n = int(labels.max()) + 1 if labels.size else 0
        return cls(shape, labels, np.where(labels >= 0, 1.0, 0.0), n)

    @property
    def dim(self) -> int:
        """``k = dim Hom_G`` (the number of orbits)."""
        return self.n_orbits

    @functools.cached_property
    def zero_entries(self) -> int:
        """Number of entries forced to zero (``labels == −1``: orbits with inconsistent phases)."""
        return int(np.count_nonzero(self.labels < 0))

    @property
    def counts(self) -> np.ndarray:
        """Orbit sizes, shape (n_orbits,)."""
        valid = self.labels >= 0
        return np.bincount(self.labels[valid], minlength=self.n_orbits)

    def apply(self, W: Any) -> np.ndarray:
        """``P(W)`` for ``W`` of shape ``(..., d_out, d_in)``.

        Examples
        --------
        >>> P = OrbitProjector.from_labels((1, 2), np.array([0, 0]))
        >>> P.apply(np.ones((3, 1, 2))).shape
        (3, 1, 2)
        """
        W, out_dtype = _as_input(W, self.shape)
        if W.dtype.kind == "c":
            return (self.apply(W.real) + 1j * self.apply(W.imag)).astype(out_dtype, copy=False)
        batch = W.shape[:-2]
        n = self.shape[0] * self.shape[1]
        flat = W.reshape(-1, n)
        B = flat.shape[0]
        k = self.n_orbits
        valid = self.labels >= 0
        lab = self.labels[valid]
        sg = self.signs[valid]
        counts = np.bincount(lab, minlength=k).astype(np.float64)
        counts[counts == 0] = 1.0
        idx = (lab[None, :] + k * np.arange(B)[:, None]).ravel()
        sums = np.bincount(idx, weights=(flat[:, valid] * sg).ravel(), minlength=B * k).reshape(B, k)
        means = sums / counts
        out = np.zeros((B, n))
        out[:, valid] = means[:, lab] * sg
        return out.reshape(*batch, *self.shape).astype(out_dtype, copy=False)

    def basis(self) -> np.ndarray:
        """The Frobenius-orthonormal basis (one normalised orbit indicator each), shape (k, d_out, d_in).

        Examples
        --------
        >>> OrbitProjector.from_labels((1, 2), np.array([0, 0])).basis().round(3).tolist()
        [[[0.707, 0.707]]]
        """
        k = self.n_orbits
        n = self.shape[0] * self.shape[1]
        out = np.zeros((k, n))
        valid = np.flatnonzero(self.labels >= 0)
        cnt = self.counts.astype(np.float64)
        out[self.labels[valid], valid] = self.signs[valid] / np.sqrt(cnt[self.labels[valid]])
        return out.reshape(k, *self.shape)

    def to_arrays(self) -> dict[str, np.ndarray]:
        """Plain arrays: ``shape`` (2,), ``labels``, ``signs``, ``n_orbits`` (0-d), all numeric."""
        return {
            "shape": np.asarray(self.shape, dtype=np.int64),
            "labels": self.labels,
            "signs": self.signs,
            "n_orbits": np.asarray(self.n_orbits, dtype=np.int64),
        }

    @classmethod
    def from_arrays(cls, d: dict[str, Any]) -> OrbitProjector:
        """Inverse of [`to_arrays`][reptheory.hom.projectors.OrbitProjector.to_arrays].

        Examples
        --------
        >>> P = OrbitProjector.from_labels((2, 1), np.array([0, 0]))
        >>> OrbitProjector.from_arrays(P.to_arrays()).dim
        1
        """
        shape = tuple(int(x) for x in np.asarray(d["shape"]).reshape(-1))
        return cls((shape[0], shape[1]), np.asarray(d["labels"]), np.asarray(d["signs"]), int(np.asarray(d["n_orbits"]).reshape(-1)[0]))


@dataclass(frozen=True, eq=False)
class IsotypicBlock:
    """One ``(ψ, ψ)`` block of an [`IsotypicProjector`][reptheory.hom.projectors.IsotypicProjector] (rows/columns in the isotypic bases).

    Attributes
    ----------
    out_start, out_stop, in_start, in_stop : int
        The region ``Ŵ[out_start:out_stop, in_start:in_stop]``; its size is
        ``(m_out·irrep_dim, m_in·irrep_dim)``.
    irrep_dim : int
    m_out, m_in : int
        Multiplicities of ψ in ``ρ_out`` and ``ρ_in``.
    basis : ndarray of float64, shape (e, irrep_dim, irrep_dim)
        Frobenius-orthogonal basis ``{E_u}`` of ``End_G(ψ)`` with ``‖E_u‖² = irrep_dim``
        (``E_0 = I``; ``e`` is 1, 2 or 4 for real, complex, quaternionic type).
    """

    out_start: int
    out_stop: int
    in_start: int
    in_stop: int
    irrep_dim: int
    m_out: int
    m_in: int
    basis: np.ndarray

    def __post_init__(self) -> None:
        for name in ("out_start", "out_stop", "in_start", "in_stop", "irrep_dim", "m_out", "m_in"):
            object.__setattr__(self, name, int(getattr(self, name)))
        b = np.ascontiguousarray(self.basis, dtype=np.float64)
        dp = self.irrep_dim
        if b.ndim != 3 or b.shape[1:] != (dp, dp):
            raise DimensionMismatchError(f"block basis must have shape (e, {dp}, {dp}), got {b.shape}")
        if self.out_stop - self.out_start != self.m_out * dp or self.in_stop - self.in_start != self.m_in * dp:
            raise DimensionMismatchError(
                f"block region {self.out_stop - self.out_start}x{self.in_stop - self.in_start} does not match "
                f"m_out={self.m_out}, m_in={self.m_in}, irrep_dim={dp}"
            )
        b.setflags(write=False)
        object.__setattr__(self, "basis", b)

    @property
    def dim(self) -> int:
        """``m_out · m_in · e``."""
        return self.m_out * self.m_in * int(self.basis.shape[0])


@dataclass(frozen=True, eq=False)
class IsotypicProjector:
    """Mask-and-average projector in isotypic bases (docs/explanation/projector.md#mask-and-average).

    Attributes
    ----------
    Q_out : ndarray, shape (d_out, d_out)
        Orthogonal, ``ρ_out(g) Q_out = Q_out ⊕_ψ (I_m ⊗ ψ(g))``.
    Q_in : ndarray, shape (d_in, d_in)
        Same for ``ρ_in``.
    blocks : tuple of IsotypicBlock
        One block per irrep type occurring in both.
    field : {"R", "C"}
        ``"R"``: the space is real (real ``ρ_in``, ``ρ_out``).  ``"C"``: it is the complex space
        ``Hom_G`` of complex representations, each block of a complex irrep having the basis
        ``{I}`` (Schur's lemma over ℂ; docs/explanation/projector.md#mask-and-average-over-c).
        ``Q_out``, ``Q_in`` may be complex unitary in both cases (a real representation decomposed
        over ℂ, e.g. of SU(n)); then ``P(W) = Q_out P̂(Q_outᴴ W Q_in) Q_inᴴ`` and a real space's
        [`basis`][reptheory.hom.projectors.IsotypicProjector.basis] is the real span of the complex one.

    Notes
    -----
    A real ``W`` is mapped to ``Re P(W)`` (as [`BasisProjector`][reptheory.hom.projectors.BasisProjector]
    does): for a real space that is ``P(W)`` itself.

    ``apply`` costs ``O(d_out² d_in + d_out d_in²)`` per matrix for the two changes of basis
    plus ``O(Σ m_out m_in e d_ψ²)`` for the blocks; memory ``O(d_out² + d_in²)``.

    Examples
    --------
    >>> import numpy as np
    >>> blk = IsotypicBlock(0, 2, 0, 2, 1, 2, 2, np.ones((1, 1, 1)))
    >>> P = IsotypicProjector(np.eye(3), np.eye(2), (blk,))
    >>> P.dim, P.shape
    (4, (3, 2))
    >>> P.apply(np.ones((3, 2))).tolist()
    [[1.0, 1.0], [1.0, 1.0], [0.0, 0.0]]
    >>> Pc = IsotypicProjector(np.eye(3), np.eye(2), (blk,), "C")    # the same space over ℂ
    >>> Pc.basis().dtype, Pc.apply(1j * np.ones((3, 2)))[2].tolist()
    (dtype('complex128'), [0j, 0j])
    """

    Q_out: np.ndarray
    Q_in: np.ndarray
    blocks: tuple[IsotypicBlock, ...]
    field: str = "R"
    kind: ClassVar[str] = "isotypic"

    def __post_init__(self) -> None:
        qo, qi = (np.ascontiguousarray(q, dtype=np.complex128 if np.iscomplexobj(q) else np.float64)
                  for q in (self.Q_out, self.Q_in))
        if self.field not in ("R", "C"):
            raise InvalidArgumentError(f"field must be 'R' or 'C', got {self.field!r}")
        if qo.ndim != 2 or qo.shape[0] != qo.shape[1] or qi.ndim != 2 or qi.shape[0] != qi.shape[1]:
            raise DimensionMismatchError(f"Q_out and Q_in must be square, got {qo.shape} and {qi.shape}")
        blocks = tuple(self.blocks)
        for b in blocks:
            if not isinstance(b, IsotypicBlock):
                raise InvalidArgumentError(f"blocks must be IsotypicBlock instances, got {type(b).__name__}")
            if b.out_stop > qo.shape[0] or b.in_stop > qi.shape[0] or b.out_start < 0 or b.in_start < 0:
                raise DimensionMismatchError(f"block {b.out_start}:{b.out_stop} x {b.in_start}:{b.in_stop} "
                                             f"exceeds the shape {(qo.shape[0], qi.shape[0])}")
        qo.setflags(write=False)
        qi.setflags(write=False)
        object.__setattr__(self, "Q_out", qo)
        object.__setattr__(self, "Q_in", qi)
        object.__setattr__(self, "blocks", blocks)

    @property
    def shape(self) -> tuple[int, int]:
        """``(d_out, d_in)``."""
        return (int(self.Q_out.shape[0]), int(self.Q_in.shape[0]))

    @property
    def dim(self) -> int:
        """``Σ m_out · m_in · e`` over blocks."""
        return sum(b.dim for b in self.blocks)

    def apply_hat(self, What: np.ndarray) -> np.ndarray:
        """The mask-and-average ``P̂`` in the isotypic bases, ``What`` of shape ``(..., d_out, d_in)``."""
        out = np.zeros_like(What)
        batch = What.shape[:-2]
        for b in self.blocks:
            dp = b.irrep_dim
            region = What[..., b.out_start:b.out_stop, b.in_start:b.in_stop]
            blk = region.reshape(*batch, b.m_out, dp, b.m_in, dp)
            if b.basis.shape[0] == 1:
                # real type with E_0 = I: (tr B / d) I
                tr = np.einsum("...aibi->...ab", blk) / dp
                new = tr[..., :, None, :, None] * np.eye(dp)[:, None, :]
            else:
                coef = np.einsum("...aibj,uij->...abu", blk, b.basis) / dp
                new = np.einsum("...abu,uij->...aibj", coef, b.basis)
            out[..., b.out_start:b.out_stop, b.in_start:b.in_stop] = new.reshape(region.shape)
        return out

    @functools.cached_property
    def _signed_perms(self) -> tuple[Any, Any]:
        """``(rows, signs)`` for each Q that is a real signed permutation (column j = ±e_rows[j]), else None."""
        po = None if np.iscomplexobj(self.Q_out) else _signed_perm_of(self.Q_out)
        pi = None if np.iscomplexobj(self.Q_in) else _signed_perm_of(self.Q_in)
        return po, pi

    @functools.cached_property
    def _adjoints(self) -> tuple[np.ndarray, np.ndarray]:
        """``(Q_outᴴ, Q_inᴴ)`` (the transposes for real Q)."""
        def adj(Q: np.ndarray) -> np.ndarray:
            return np.ascontiguousarray(Q.conj().T) if np.iscomplexobj(Q) else Q.T

        return adj(self.Q_out), adj(self.Q_in)

    def apply(self, W: Any) -> np.ndarray:
        """``P(W) = Q_out P̂(Q_outᵀ W Q_in) Q_inᵀ`` for ``W`` of shape ``(..., d_out, d_in)``.

        Signed-permutation ``Q``'s (e.g. decompositions that are known block orders) are applied
        by indexing instead of matrix products.
        """
        W, out_dtype = _as_input(W, self.shape)
        po, pi = self._signed_perms
        if po is not None and pi is not None:
            (ro, so), (ri, si) = po, pi
            ident = bool(np.array_equal(ro, np.arange(ro.size)) and np.array_equal(ri, np.arange(ri.size)))
            positive = bool(np.all(so > 0) and np.all(si > 0))
            What = W if ident else W[..., ro, :][..., :, ri]
            if not positive:
                What = What * so[:, None] * si[None, :]
            Phat = self.apply_hat(What)
            if not positive:
                Phat = Phat * so[:, None] * si[None, :]
            if ident:
                return Phat.astype(out_dtype, copy=False)
            out = np.empty_like(Phat)
            out[..., ro[:, None], ri[None, :]] = Phat
            return out.astype(out_dtype, copy=False)
        Qoh, Qih = self._adjoints
        out = self.Q_out @ self.apply_hat(Qoh @ W @ self.Q_in) @ Qih
        if out_dtype.kind == "f" and np.iscomplexobj(out):
            out = out.real
        return out.astype(out_dtype, copy=False)

    def basis(self) -> np.ndarray:
        """Frobenius-orthonormal basis of the range, shape (k, d_out, d_in).

        float64 for a real space, complex128 for a complex one (``field == "C"``).  A real space
        with complex ``Q`` gets an orthonormal basis of the real span of the real and imaginary
        parts of the complex basis ``{Q_out E Q_inᴴ}`` (that span is real of dimension ``k``: the
        Reynolds operator maps real matrices to real ones).

        Raises
        ------
        DecompositionError
            If that real span does not have dimension ``k`` (the ``Q``'s do not come from real
            representations).
        """
        d_out, d_in = self.shape
        cplx = np.iscomplexobj(self.Q_out) or np.iscomplexobj(self.Q_in)
        dt = np.complex128 if cplx or self.field == "C" else np.float64
        _, Qih = self._adjoints
        mats = []
        for b in self.blocks:
            dp = b.irrep_dim
            for a in range(b.m_out):
                for c in range(b.m_in):
                    for E in b.basis:
                        M = np.zeros((d_out, d_in), dtype=dt)
                        r0 = b.out_start + a * dp
                        c0 = b.in_start + c * dp
                        M[r0:r0 + dp, c0:c0 + dp] = E / np.sqrt(dp)
                        mats.append(self.Q_out @ M @ Qih)
        B = np.stack(mats) if mats else np.zeros((0, d_out, d_in), dtype=dt)
        if self.field == "R" and cplx:
            B = _real_span(B)
        return B

    def to_arrays(self) -> dict[str, np.ndarray]:
        """Plain arrays: ``Q_out``, ``Q_in``, ``blocks`` int64 (n, 8) = (out_start, out_stop, in_start,
        in_stop, irrep_dim, m_out, m_in, e) and ``block_bases`` float64, the concatenated flattened bases."""
        meta = np.array(
            [[b.out_start, b.out_stop, b.in_start, b.in_stop, b.irrep_dim, b.m_out, b.m_in, b.basis.shape[0]]
             for b in self.blocks],
            dtype=np.int64,
        ).reshape(-1, 8)
        flat = np.concatenate([b.basis.reshape(-1) for b in self.blocks]) if self.blocks else np.zeros(0)
        return {"Q_out": self.Q_out, "Q_in": self.Q_in, "blocks": meta, "block_bases": flat,
                "complex_field": np.array(int(self.field == "C"), dtype=np.int64)}

    @classmethod
    def from_arrays(cls, d: dict[str, Any]) -> IsotypicProjector:
        """Inverse of [`to_arrays`][reptheory.hom.projectors.IsotypicProjector.to_arrays].

        Examples
        --------
        >>> blk = IsotypicBlock(0, 1, 0, 1, 1, 1, 1, np.ones((1, 1, 1)))
        >>> P = IsotypicProjector(np.eye(1), np.eye(1), (blk,))
        >>> IsotypicProjector.from_arrays(P.to_arrays()).dim
        1
        """
        meta = np.asarray(d["blocks"], dtype=np.int64).reshape(-1, 8)
        flat = np.asarray(d["block_bases"], dtype=np.float64).reshape(-1)
        blocks = []
        off = 0
        for row in meta:
            os_, oe, is_, ie, dp, mo, mi, e = (int(x) for x in row)
            size = e * dp * dp
            if off + size > flat.size:
                raise DimensionMismatchError("block_bases is shorter than the block table requires")
            blocks.append(IsotypicBlock(os_, oe, is_, ie, dp, mo, mi, flat[off:off + size].reshape(e, dp, dp)))
            off += size
        if off != flat.size:
            raise DimensionMismatchError("block_bases is longer than the block table requires")
        field = "C" if int(np.asarray(d.get("complex_field", 0))) else "R"
        return cls(np.asarray(d["Q_out"]), np.asarray(d["Q_in"]), tuple(blocks), field)


def _real_span(B: np.ndarray) -> np.ndarray:
    """Orthonormal real basis of the real span of ``Re B_i, Im B_i`` (which must have dimension ``k``)."""
    k = B.shape[0]
    if k == 0:
        return np.zeros(B.shape, dtype=np.float64)
    flat = B.reshape(k, -1)
    R = span_basis(np.concatenate([flat.real, flat.imag]))
    if R.shape[0] != k:
        raise DecompositionError(f"the real and imaginary parts of the {k} complex basis matrices span "
                                 f"{R.shape[0]} real dimensions, not {k}: the isotypic bases are not those of "
                                 "real representations")
    return np.ascontiguousarray(R.reshape(B.shape))


@dataclass(frozen=True, eq=False)
class BasisProjector:
    """Projector from a Frobenius-orthonormal basis: ``P(W) = Σ_i ⟨B_i, W⟩ B_i``.

    Attributes
    ----------
    basis : ndarray of float64, shape (k, d_out, d_in)

    Notes
    -----
    ``apply`` costs ``O(k · d_out · d_in)`` per matrix; memory ``O(k · d_out · d_in)``.

    Examples
    --------
    >>> import numpy as np
    >>> P = BasisProjector(np.eye(2)[None] / np.sqrt(2))
    >>> P.apply(np.array([[1.0, 5.0], [0.0, 3.0]])).round(12).tolist()
    [[2.0, 0.0], [0.0, 2.0]]
    """

    basis: np.ndarray
    kind: ClassVar[str] = "basis"

    def __post_init__(self) -> None:
        b = np.asarray(self.basis)
        b = np.ascontiguousarray(b, dtype=np.complex128 if b.dtype.kind == "c" else np.float64)
        if b.ndim != 3:
            raise DimensionMismatchError(f"basis must have shape (k, d_out, d_in), got {b.shape}")
        b.setflags(write=False)
        object.__setattr__(self, "basis", b)

    @property
    def shape(self) -> tuple[int, int]:
        """``(d_out, d_in)``."""
        return (int(self.basis.shape[1]), int(self.basis.shape[2]))

    @property
    def dim(self) -> int:
        """``k``."""
        return int(self.basis.shape[0])

    def apply(self, W: Any) -> np.ndarray:
        """``P(W)`` for ``W`` of shape ``(..., d_out, d_in)``."""
        W, out_dtype = _as_input(W, self.shape)
        k = self.dim
        n = self.shape[0] * self.shape[1]
        Bf = self.basis.reshape(k, n)
        flat = W.reshape(-1, n)
        coef = flat @ Bf.conj().T
        out = (coef @ Bf).reshape(*W.shape)
        if out_dtype.kind == "f" and np.iscomplexobj(out):
            out = out.real
        return out.astype(out_dtype, copy=False)

    def to_arrays(self) -> dict[str, np.ndarray]:
        """Plain arrays: ``basis``."""
        return {"basis": self.basis}

    @classmethod
    def from_arrays(cls, d: dict[str, Any]) -> BasisProjector:
        """Inverse of [`to_arrays`][reptheory.hom.projectors.BasisProjector.to_arrays].

        Examples
        --------
        >>> BasisProjector.from_arrays({"basis": np.zeros((0, 2, 3))}).shape
        (2, 3)
        """
        return cls(np.asarray(d["basis"]))


@dataclass(frozen=True, eq=False)
class DiagramProjector:
    """Orthogonal projector onto the span of integer diagram tensors (docs/explanation/routes.md#diagram-method).

    ``P(W) = D (DᵀD)⁻¹ Dᵀ vec(W)`` with ``D`` sparse (columns: linearly independent diagrams
    flattened row-major, entries 0, ±1) and the Gram matrix ``DᵀD`` factorised once
    (Cholesky). The dense basis is never formed unless [`basis`][reptheory.hom.projectors.DiagramProjector.basis] is called.

    Attributes
    ----------
    shape : tuple of int
        ``(d_out, d_in)``.
    D : scipy.sparse.csc_matrix, shape (d_out·d_in, k)
    gram : ndarray of int64, shape (k, k)

    Notes
    -----
    ``apply`` costs ``O(nnz(D) + k²)`` per matrix (``nnz(D) = k · n^{(p)/2}`` for Brauer
    diagrams on ``p`` legs), memory ``O(nnz(D) + k²)``.

    Examples
    --------
    >>> import numpy as np, scipy.sparse as sp
    >>> D = sp.csc_matrix(np.eye(4)[:, [0]] + np.eye(4)[:, [3]])   # the identity of R^2, flattened
    >>> P = DiagramProjector((2, 2), D, np.array([[2]]))
    >>> P.apply(np.array([[1.0, 5.0], [0.0, 3.0]])).round(12).tolist()
    [[2.0, 0.0], [0.0, 2.0]]
    """

    shape: tuple[int, int]
    D: Any
    gram: np.ndarray
    kind: ClassVar[str] = "diagram"

    def __post_init__(self) -> None:
        import scipy.sparse as sp

        D = sp.csc_matrix(self.D)
        if D.shape != (self.shape[0] * self.shape[1], np.asarray(self.gram).shape[0]):
            raise DimensionMismatchError(f"D has shape {D.shape}, expected ({self.shape[0] * self.shape[1]}, k)")
        object.__setattr__(self, "shape", (int(self.shape[0]), int(self.shape[1])))
        object.__setattr__(self, "D", D)
        object.__setattr__(self, "gram", np.asarray(self.gram, dtype=np.int64))

    @property
    def dim(self) -> int:
        """``k``."""
        return int(self.gram.shape[0])

    @functools.cached_property
    def _chol(self) -> np.ndarray:
        return np.linalg.cholesky(self.gram.astype(np.float64)) if self.dim else np.zeros((0, 0))

    @functools.cached_property
    def _Df(self) -> Any:
        return self.D.astype(np.float64)

    def apply(self, W: Any) -> np.ndarray:
        """``P(W)`` for ``W`` of shape ``(..., d_out, d_in)``."""
        import scipy.linalg

        W, out_dtype = _as_input(W, self.shape)
        n = self.shape[0] * self.shape[1]
        flat = W.reshape(-1, n)
        if self.dim == 0:
            return np.zeros(W.shape, dtype=out_dtype)
        c = self._Df.T @ flat.T  # (k, batch)
        c = scipy.linalg.cho_solve((self._chol, True), c)
        out = (self._Df @ c).T.reshape(W.shape)
        if out_dtype.kind == "f" and np.iscomplexobj(out):
            out = out.real
        return np.asarray(out).astype(out_dtype, copy=False)

    def basis(self) -> np.ndarray:
        """Frobenius-orthonormal basis ``D L⁻ᵀ`` (``DᵀD = L Lᵀ``), shape ``(k, d_out, d_in)`` (dense: large)."""
        import scipy.linalg

        if self.dim == 0:
            return np.zeros((0, *self.shape))
        Linv_t = scipy.linalg.solve_triangular(self._chol, np.eye(self.dim), lower=True).T
        B = np.asarray(self._Df @ Linv_t).T
        return np.ascontiguousarray(B.reshape(self.dim, *self.shape))

    def to_arrays(self) -> dict[str, np.ndarray]:
        """Plain arrays: ``shape``, ``indptr``, ``indices``, ``data`` (of ``D``) and ``gram``."""
        return {"shape": np.array(self.shape, dtype=np.int64), "indptr": self.D.indptr, "indices": self.D.indices,
                "data": self.D.data, "gram": self.gram}

    @classmethod
    def from_arrays(cls, d: dict[str, Any]) -> DiagramProjector:
        """Inverse of [`to_arrays`][reptheory.hom.projectors.DiagramProjector.to_arrays]."""
        import scipy.sparse as sp

        shape = tuple(int(x) for x in np.asarray(d["shape"]))
        gram = np.asarray(d["gram"])
        D = sp.csc_matrix((np.asarray(d["data"]), np.asarray(d["indices"]), np.asarray(d["indptr"])),
                          shape=(shape[0] * shape[1], gram.shape[0]))
        return cls((shape[0], shape[1]), D, gram)


StructuredProjector = OrbitProjector | IsotypicProjector | BasisProjector | DiagramProjector

_KINDS: dict[str, Any] = {"orbit": OrbitProjector, "isotypic": IsotypicProjector, "basis": BasisProjector,
                          "diagram": DiagramProjector}


def projector_from_arrays(kind: str, arrays: dict[str, Any]) -> StructuredProjector:
    """Rebuild a structured projector from its ``kind`` and `to_arrays` output.

    Examples
    --------
    >>> import numpy as np
    >>> projector_from_arrays("basis", {"basis": np.ones((1, 1, 1))}).dim
    1
    """
    if kind == "diagram_sum":  # defined in reptheory.hom.diagram_sums (imports this module)
        from reptheory.hom.diagram_sums import DiagramSumProjector

        return DiagramSumProjector.from_arrays(arrays)  # type: ignore[return-value]
    if kind == "diagram_span":  # defined in reptheory.hom.diagram_span (imports this module lazily)
        from reptheory.hom.diagram_span import DiagramSpanProjector

        return DiagramSpanProjector.from_arrays(arrays)  # type: ignore[return-value]
    try:
        cls = _KINDS[kind]
    except KeyError:
        raise InvalidArgumentError(f"unknown projector kind {kind!r}; expected one of "
                                   f"{sorted([*_KINDS, 'diagram_sum', 'diagram_span'])}") from None
    return cls.from_arrays(arrays)  # type: ignore[no-any-return]


def dense_matrix(P: StructuredProjector) -> np.ndarray:
    """The dense ``(d_out·d_in)²`` matrix of a structured projector, row-major (tests, toy sizes).

    Examples
    --------
    >>> import numpy as np
    >>> dense_matrix(OrbitProjector.from_labels((1, 2), np.array([0, 0]))).tolist()
    [[0.5, 0.5], [0.5, 0.5]]
    """
    d_out, d_in = P.shape
    n = d_out * d_in
    E = np.eye(n).reshape(n, d_out, d_in)
    return P.apply(E).reshape(n, n).T
