"""NumPy-side construction of structured projectors for layers (no torch here).

Routes, in order of preference (docs/explanation/projector.md#reynolds-is-orthogonal, docs/explanation/projector.md#mask-and-average, docs/explanation/routes.md#orbit-method, docs/explanation/convolutions.md#spatial-projector):

* both representations monomial with ±1 coefficients: orbit labels by a signed union–find
  over the matrix entries (``O(n_gen · n_p)``), [`reptheory.hom.projectors.OrbitProjector`][reptheory.hom.projectors.OrbitProjector];
* otherwise [`reptheory.hom.space.intertwiners`][reptheory.hom.space.intertwiners] when that module is available
  (isotypic or basis projector, whichever it picks);
* otherwise a dense orthonormal basis from the nullspace of the stacked generator
  constraints (small spaces only, [`reptheory.hom.projectors.BasisProjector`][reptheory.hom.projectors.BasisProjector]).

Convolution kernels ``K`` of shape ``(c_out, c_in, *spatial)`` are maps
``R^{c_in} → R^{c_out} ⊗ R^{#offsets}`` (docs/explanation/convolutions.md#kernel-action): the projector for ``ρ_out ⊗ Π`` and
``ρ_in`` is built on the matrix ``M[(o, t), i] = K[o, i, t]`` and, for orbit projectors,
re-indexed to the kernel's native row-major flattening.

Examples
--------
>>> from reptheory import groups, Representation
>>> R = Representation.regular(groups.cyclic(4))
>>> hom_projector(R, R).dim      # circulant 4 x 4 matrices
4
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from penalties.errors import GridActionError
from reptheory._numerics.tolerance import rank_rtol
from reptheory.errors import DimensionMismatchError, GroupMismatchError, InvalidArgumentError, TooLargeError
from reptheory.hom.projectors import BasisProjector, OrbitProjector

__all__ = [
    "MAX_DENSE_ENTRIES",
    "KernelAverage",
    "grid_offsets",
    "hom_projector",
    "invariant_projector",
    "kernel_projector",
    "monomial_action",
    "orbit_projector",
]

#: Largest ``d_out · d_in`` for which the dense nullspace fallback runs (an ``n_p × n_p`` eigh).
MAX_DENSE_ENTRIES = 4096


def monomial_action(rep: Any) -> tuple[np.ndarray, np.ndarray] | None:
    """Generator action ``ρ(s_j) e_i = c[j, i] e_{p[j, i]}`` if every coefficient is real ±1, else None.

    Examples
    --------
    >>> from reptheory import groups, Representation
    >>> p, c = monomial_action(Representation.regular(groups.cyclic(3)))
    >>> p.tolist(), c.tolist()
    ([[1, 2, 0]], [[1.0, 1.0, 1.0]])
    """
    if getattr(rep, "algebra", np.zeros((0,))).shape[0]:
        return None
    mono = rep.monomial
    if mono is None:  # detect signed permutation images (e.g. sums with 1-dim sign characters)
        images = np.asarray(rep.images)
        if np.iscomplexobj(images):
            return None
        if images.shape[0] == 0:
            return np.zeros((0, rep.dim), dtype=np.int64), np.zeros((0, rep.dim))
        cols = [_signed_perm_columns(M) for M in images]
        if any(c is None for c in cols):
            return None
        mono = (np.stack([c[0] for c in cols]), np.stack([c[1] for c in cols]))  # type: ignore[index]
    perm, coeff = mono
    coeff = np.asarray(coeff)
    if np.iscomplexobj(coeff) or not np.all(np.abs(np.abs(coeff) - 1.0) == 0):
        return None
    return np.asarray(perm, dtype=np.int64), np.asarray(coeff, dtype=np.float64)


def orbit_projector(
    perm_out: np.ndarray, coeff_out: np.ndarray, perm_in: np.ndarray, coeff_in: np.ndarray
) -> OrbitProjector:
    """Signed orbit projector of ``Hom(ρ_in, ρ_out)`` for monomial ±1 representations (docs/explanation/routes.md#orbit-method).

    The generator ``s`` maps the entry ``(i, j)`` to ``(p_out(i), p_in(j))`` with the sign
    ``c_out(i) c_in(j)``.  Orbits are the connected components of the *doubled* graph on
    ``(entry, ±)``; an entry whose ``+`` and ``−`` copies are connected is forced to zero.

    Parameters
    ----------
    perm_out, coeff_out : ndarray, shape (k, d_out)
    perm_in, coeff_in : ndarray, shape (k, d_in)

    Notes
    -----
    ``O(k · d_out · d_in)`` time and memory (one sparse graph, one ``connected_components``).

    Examples
    --------
    >>> import numpy as np
    >>> P = orbit_projector(np.array([[1, 0]]), np.ones((1, 2)), np.array([[0]]), np.ones((1, 1)))
    >>> P.labels.tolist(), P.n_orbits       # invariant vectors of the swap: constant
    ([0, 0], 1)
    """
    perm_out = np.asarray(perm_out, dtype=np.int64)
    perm_in = np.asarray(perm_in, dtype=np.int64)
    k, d_out = perm_out.shape
    d_in = perm_in.shape[1]
    n = d_out * d_in
    src = np.arange(n, dtype=np.int64)
    rows, cols = [], []
    for j in range(k):
        dst = (perm_out[j][:, None] * d_in + perm_in[j][None, :]).reshape(-1)
        sgn = (np.asarray(coeff_out[j])[:, None] * np.asarray(coeff_in[j])[None, :]).reshape(-1)
        flip = (sgn < 0).astype(np.int64) * n
        rows += [src, src + n]
        cols += [dst + flip, (dst + n - flip)]
    if rows:
        r = np.concatenate(rows)
        c = np.concatenate(cols)
    else:
        r = c = np.zeros(0, dtype=np.int64)
    graph = coo_matrix((np.ones(r.shape[0], dtype=np.int8), (r, c)), shape=(2 * n, 2 * n)).tocsr()
    _, cc = connected_components(graph, directed=True, connection="weak")
    plus, minus = cc[:n], cc[n:]
    zero = plus == minus
    key = np.minimum(plus, minus)
    signs = np.where(plus < minus, 1.0, -1.0)
    labels = np.full(n, -1, dtype=np.int64)
    if (~zero).any():
        _, inv = np.unique(key[~zero], return_inverse=True)
        labels[~zero] = inv
    signs[zero] = 0.0
    n_orbits = int(labels.max()) + 1 if (labels >= 0).any() else 0
    return OrbitProjector((d_out, d_in), labels, signs, n_orbits)


def _constraint_gram(rho_in: Any, rho_out: Any) -> np.ndarray:
    """``Σ_c C_cᵀ C_c`` over the row-major Sylvester constraints of every generator (docs/explanation/projector.md#sylvester-form)."""
    d_out, d_in = rho_out.dim, rho_in.dim
    n = d_out * d_in
    gram = np.zeros((n, n), dtype=np.complex128 if (rho_in.is_complex or rho_out.is_complex) else np.float64)
    eye_o, eye_i = np.eye(d_out), np.eye(d_in)
    for A, B in zip(rho_out.images, rho_in.images):
        C = np.kron(A, np.linalg.inv(B).T) - np.eye(n)
        gram += C.conj().T @ C
    for A, B in zip(rho_out.algebra, rho_in.algebra):
        C = np.kron(A, eye_i) - np.kron(eye_o, B.T)
        gram += C.conj().T @ C
    return gram


def dense_basis_projector(rho_in: Any, rho_out: Any, *, limit: int = MAX_DENSE_ENTRIES) -> BasisProjector:
    """Orthonormal basis of ``Hom_G(ρ_in, ρ_out)`` from a dense nullspace (small spaces only).

    Raises
    ------
    TooLargeError
        If ``d_out · d_in > limit``.

    Examples
    --------
    >>> from reptheory import groups, Representation
    >>> G = groups.dihedral(3)
    >>> dense_basis_projector(Representation.regular(G), Representation.trivial(G)).dim
    1
    """
    n = rho_out.dim * rho_in.dim
    if n > limit:
        raise TooLargeError(
            f"dense intertwiner basis for Hom({rho_in.name}, {rho_out.name}) needs an {n} x {n} eigenproblem "
            f"(limit {limit} entries); use a monomial or decomposed representation",
            estimate=n,
            limit=limit,
        )
    gram = _constraint_gram(rho_in, rho_out)
    w, v = np.linalg.eigh(gram)
    scale = max(1.0, float(np.abs(w).max(initial=0.0)))
    keep = w <= rank_rtol("float64") * scale * 10.0
    basis = v[:, keep].T.reshape(-1, rho_out.dim, rho_in.dim)
    if np.iscomplexobj(basis) and np.abs(basis.imag).max(initial=0.0) < 1e-12:
        basis = basis.real
    return BasisProjector(basis)


def _check_pair(rho_in: Any, rho_out: Any, where: str) -> None:
    gi, go = rho_in.group, rho_out.group
    if gi is not go and getattr(gi, "key", gi) != getattr(go, "key", go):
        raise GroupMismatchError(
            f"{where}: rho_in and rho_out are representations of different groups "
            f"({getattr(gi, 'name', gi)} and {getattr(go, 'name', go)})"
        )


def hom_projector(rho_in: Any, rho_out: Any, *, where: str = "hom_projector") -> Any:
    """A structured projector onto ``Hom_G(ρ_in, ρ_out)`` (orbit, isotypic or basis kind).

    Examples
    --------
    >>> from reptheory import groups, Representation
    >>> G = groups.dihedral(8)
    >>> P = hom_projector(8 * Representation.regular(G), 8 * Representation.regular(G))
    >>> P.kind, P.dim
    ('orbit', 1024)
    """
    _check_pair(rho_in, rho_out, where)
    mo, mi = monomial_action(rho_out), monomial_action(rho_in)
    if mo is not None and mi is not None:
        return orbit_projector(mo[0], mo[1], mi[0], mi[1])
    try:
        from reptheory.hom.space import intertwiners
    except ImportError:
        return dense_basis_projector(rho_in, rho_out)
    try:
        space = intertwiners(rho_in, rho_out)
    except ImportError:  # the optional disk cache is unavailable
        space = intertwiners(rho_in, rho_out, cache=False)
    return space.structured_projector(kind="orthogonal")


def invariant_projector(rho: Any, *, where: str = "invariant_projector") -> Any:
    """Projector onto the invariant vectors of ``ρ`` as ``Hom(1, ρ)`` (shape ``(d, 1)``, docs/explanation/penalties.md#biases).

    Examples
    --------
    >>> from reptheory import groups, Representation
    >>> invariant_projector(Representation.regular(groups.cyclic(5))).dim
    1
    """
    mono = monomial_action(rho)
    if mono is not None:
        k = mono[0].shape[0]
        return orbit_projector(mono[0], mono[1], np.zeros((k, 1), dtype=np.int64), np.ones((k, 1)))
    from reptheory.reps.representation import Representation

    return hom_projector(Representation.trivial(rho.group), rho, where=where)


# --------------------------------------------------------------------------- kernels
def grid_offsets(spatial: tuple[int, ...]) -> np.ndarray:
    """Integer offsets ``t = index − centre`` of a kernel grid, shape (T, n) in row-major order.

    Raises
    ------
    GridActionError
        If a kernel size is even (the centre is not a grid point, docs/explanation/convolutions.md#grid-symmetries).

    Examples
    --------
    >>> grid_offsets((3,)).ravel().tolist()
    [-1, 0, 1]
    """
    for s in spatial:
        if s % 2 == 0:
            raise GridActionError(
                f"kernel size {tuple(spatial)} has an even side {s}: its centre is off the grid, so no "
                "rotation or flip acts exactly (docs/explanation/convolutions.md#grid-symmetries); use odd kernel sizes"
            )
    axes = [np.arange(s) - (s - 1) // 2 for s in spatial]
    mesh = np.meshgrid(*axes, indexing="ij")
    return np.stack([m.reshape(-1) for m in mesh], axis=1).astype(np.int64)


def _offset_index(spatial: tuple[int, ...], coords: np.ndarray) -> np.ndarray:
    """Row-major index of integer offsets (…, n); −1 where outside the grid."""
    half = np.array([(s - 1) // 2 for s in spatial])
    idx = coords + half
    inside = np.all((idx >= 0) & (idx < np.array(spatial)), axis=-1)
    flat = np.ravel_multi_index(tuple(np.clip(idx, 0, np.array(spatial) - 1).T), spatial)
    return np.where(inside, flat, -1)


def grid_matrices(grid: Any, ndim: int, where: str) -> np.ndarray:
    """Generator images of the grid action as exact integer signed permutation matrices (k, n, n)."""
    images = np.asarray(grid.images)
    if images.ndim != 3 or images.shape[1:] != (ndim, ndim):
        raise GridActionError(
            f"{where}: the grid representation must have dimension {ndim} (the kernel's spatial rank), "
            f"got dimension {images.shape[-1]}"
        )
    if np.iscomplexobj(images) or getattr(grid, "algebra", np.zeros((0,))).shape[0]:
        raise GridActionError(
            f"{where}: {getattr(grid.group, 'name', grid.group)} is a continuous group; it does not act exactly "
            "on a kernel grid. Use the spectral (harmonic) domain, penalties.spectral"
        )
    rounded = np.round(images)
    ok = np.allclose(images, rounded, atol=1e-12) and np.all(np.abs(rounded).sum(axis=1) == 1)
    ok = ok and np.all(np.abs(rounded).sum(axis=2) == 1)
    if not ok:
        raise GridActionError(
            f"{where}: the grid action of {grid.name!r} is not by signed permutation matrices, so it does "
            "not map the kernel grid to itself exactly (only flips, C4/D4 and cube symmetries do, docs/explanation/convolutions.md#grid-symmetries)"
        )
    return rounded.astype(np.int64)


def _spatial_perms(spatial: tuple[int, ...], mats: np.ndarray, where: str) -> np.ndarray:
    """``Π(s)``: for each matrix g, the permutation ``t ↦ g t`` of offsets, shape (k, T)."""
    offs = grid_offsets(spatial)
    out = np.empty((mats.shape[0], offs.shape[0]), dtype=np.int64)
    for j, g in enumerate(mats):
        idx = _offset_index(spatial, offs @ g.T)
        if (idx < 0).any():
            raise GridActionError(
                f"{where}: the grid symmetry {g.tolist()} does not map the kernel grid {tuple(spatial)} to itself "
                "(axes that a rotation exchanges need equal kernel sizes)"
            )
        out[j] = idx
    return out


@dataclass(frozen=True, eq=False)
class KernelAverage:
    """Explicit group average on kernels, ``P(K) = (1/N) Σ_g ρ_out(g) K(g⁻¹ ·) ρ_in(g)ᵀ`` (docs/explanation/convolutions.md#spatial-projector).

    Attributes
    ----------
    out_mats : ndarray, shape (N, c_out, c_out)
    in_mats : ndarray, shape (N, c_in, c_in)
    src : ndarray of int64, shape (N, T)
        ``src[g, t]`` is the offset index of ``g⁻¹ t``.
    spatial : tuple of int
    """

    out_mats: np.ndarray
    in_mats: np.ndarray
    src: np.ndarray
    spatial: tuple[int, ...]
    kind = "kernel_average"

    @property
    def shape(self) -> tuple[int, ...]:
        """Native kernel shape ``(c_out, c_in, *spatial)``."""
        return (self.out_mats.shape[1], self.in_mats.shape[1], *self.spatial)


def kernel_projector(
    rho_in: Any, rho_out: Any, grid: Any, spatial: tuple[int, ...], *, where: str = "kernel_projector"
) -> Any:
    """Projector for conv kernels ``(c_out, c_in, *spatial)`` under a grid group (docs/explanation/convolutions.md#kernel-action, docs/explanation/convolutions.md#spatial-projector).

    Returns an [`OrbitProjector`][reptheory.hom.projectors.OrbitProjector] of shape ``(c_out, c_in·T)`` on
    the kernel's native row-major flattening when both channel representations are monomial
    (trivial, regular, permutation, signed permutation), otherwise a `KernelAverage`.

    Examples
    --------
    >>> from reptheory import groups, Representation
    >>> G = groups.square_symmetries()
    >>> one = Representation.trivial(G)
    >>> P = kernel_projector(one, one, Representation.defining(G), (3, 3))
    >>> P.n_orbits    # centre, edge midpoints, corners
    3
    """
    _check_pair(rho_in, rho_out, where)
    _check_pair(rho_in, grid, where + " (grid)")
    spatial = tuple(int(s) for s in spatial)
    mats = grid_matrices(grid, len(spatial), where)
    pi = _spatial_perms(spatial, mats, where)
    T = pi.shape[1]
    c_out, c_in = rho_out.dim, rho_in.dim
    mo, mi = monomial_action(rho_out), monomial_action(rho_in)
    if mo is not None and mi is not None:
        k = mats.shape[0]
        # rows (o, t) of M, acted on by ρ_out ⊗ Π
        perm_big = (mo[0][:, :, None] * T + pi[:, None, :]).reshape(k, c_out * T)
        coeff_big = np.repeat(mo[1], T, axis=1)
        P = orbit_projector(perm_big, coeff_big, mi[0], mi[1])
        # native flat index n = (o * c_in + i) * T + t  <->  M index e = (o * T + t) * c_in + i
        o, i, t = np.meshgrid(np.arange(c_out), np.arange(c_in), np.arange(T), indexing="ij")
        e = ((o * T + t) * c_in + i).reshape(-1)
        return OrbitProjector((c_out, c_in * T), P.labels[e], P.signs[e], P.n_orbits)
    G = grid.group
    order = getattr(G, "order", None)
    if order is None or not hasattr(grid, "matrices"):
        raise GridActionError(f"{where}: the grid group must be finite")
    gm = np.round(grid.matrices()).astype(np.int64)
    offs = grid_offsets(spatial)
    src = np.stack([_offset_index(spatial, offs @ g) for g in gm])  # g^{-1} t = g^T t
    if (src < 0).any():
        raise GridActionError(f"{where}: the grid group does not map the kernel grid {spatial} to itself")
    size = order * (c_out**2 + c_in**2 + T)
    if size > 50_000_000:
        raise TooLargeError(f"{where}: explicit kernel average would hold {size} numbers", estimate=size,
                            limit=50_000_000)
    return KernelAverage(np.asarray(rho_out.matrices()), np.asarray(rho_in.matrices()), src, spatial)


def _signed_perm_columns(Q: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """``(p, s)`` with ``Q[:, j] = s[j] e_{p[j]}`` if ``Q`` is a signed permutation matrix, else None."""
    Q = np.asarray(Q)
    nz = Q != 0
    if not (np.all(nz.sum(axis=0) == 1) and np.all(nz.sum(axis=1) == 1) and np.all(np.abs(Q[nz]) == 1)):
        return None
    p = np.argmax(nz, axis=0)
    return p.astype(np.int64), Q[p, np.arange(Q.shape[1])].astype(np.float64)


def isotypic_as_orbit(iso: Any) -> OrbitProjector | None:
    """Rewrite an isotypic projector as a signed orbit projector when that is exact, else None.

    Exact when ``Q_out`` and ``Q_in`` are signed permutation matrices and every block basis
    ``{E_u}`` consists of signed permutation matrices with disjoint supports (the standard
    forms ``I``, ``aI + bJ``, quaternionic ``I, J_1, J_2, J_3`` of docs/explanation/projector.md#mask-and-average): then
    ``Σ_u (⟨E_u, B⟩/d) E_u`` averages ``B`` over the ``d`` signed positions of each ``E_u``.
    This covers irreps fields in an isotypic layout (e.g. SO(3) ``k·(l = 0..L)``) and turns
    the ``O(d³)`` changes of basis into ``O(n_p)`` gathers.

    Examples
    --------
    >>> import numpy as np
    >>> from reptheory.hom.projectors import IsotypicBlock, IsotypicProjector
    >>> iso = IsotypicProjector(np.eye(2), np.eye(2), (IsotypicBlock(0, 2, 0, 2, 2, 1, 1, np.eye(2)[None]),))
    >>> isotypic_as_orbit(iso).labels.tolist()      # the trace: diagonal averaged, rest zero
    [0, -1, -1, 0]
    """
    po = _signed_perm_columns(iso.Q_out)
    pi = _signed_perm_columns(iso.Q_in)
    if po is None or pi is None:
        return None
    d_out, d_in = iso.shape
    labels_hat = np.full((d_out, d_in), -1, dtype=np.int64)
    signs_hat = np.zeros((d_out, d_in))
    n = 0
    for b in iso.blocks:
        E = np.asarray(b.basis)
        d = b.irrep_dim
        support = np.abs(E) > 0
        if not (np.all(np.abs(E[support]) == 1) and np.all(support.sum(axis=(1, 2)) == d)
                and np.all(support.sum(axis=0) <= 1)):
            return None
        for a in range(b.m_out):
            for c in range(b.m_in):
                r0 = b.out_start + a * d
                c0 = b.in_start + c * d
                for u in range(E.shape[0]):
                    rr, cc = np.nonzero(support[u])
                    labels_hat[r0 + rr, c0 + cc] = n
                    signs_hat[r0 + rr, c0 + cc] = E[u][rr, cc]
                    n += 1
    # Ŵ = Q_outᵀ W Q_in: Ŵ[j, k] = s_out[j] s_in[k] W[p_out[j], p_in[k]]
    labels = np.empty((d_out, d_in), dtype=np.int64)
    signs = np.empty((d_out, d_in))
    rows, cols = np.ix_(po[0], pi[0])
    labels[rows, cols] = labels_hat
    signs[rows, cols] = signs_hat * po[1][:, None] * pi[1][None, :]
    return OrbitProjector((d_out, d_in), labels.reshape(-1), np.where(labels < 0, 0.0, signs).reshape(-1), n)


def check_weight_shape(shape: tuple[int, ...], expected: tuple[int, ...], where: str) -> None:
    """Raise [`DimensionMismatchError`][penalties._build.DimensionMismatchError] naming ``where`` unless ``shape == expected``."""
    if tuple(shape) != tuple(expected):
        raise DimensionMismatchError(
            f"{where}: weight shape {tuple(shape)} does not fit the representations: expected {tuple(expected)}"
        )


def check_floating(dtype: Any, where: str) -> None:
    """Raise [`InvalidArgumentError`][penalties._build.InvalidArgumentError] unless ``dtype`` is a floating or complex torch dtype."""
    if not (dtype.is_floating_point or dtype.is_complex):
        raise InvalidArgumentError(f"{where}: parameter dtype {dtype} is not floating point; cannot penalise it")


def numel(shape: tuple[int, ...]) -> int:
    """Product of a shape."""
    return int(math.prod(shape))
