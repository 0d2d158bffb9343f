"""The explicit group average over all elements of a finite group: the oracle (docs/explanation/projector.md#reynolds-operator).

$$
P(W) = \\frac{1}{|G|} \\sum_{g ∈ G} ρ_{out}(g)\\, W\\, ρ_{in}(g)^{-1}
$$

is the Reynolds operator for *any* pair of representations (orthogonal or not).  This module
computes it numerically (batched over leading axes of ``W``), as a dense ``(d_out·d_in)²``
matrix in the row-major flattening (``vec_r(A W B) = (A ⊗ Bᵀ) vec_r(W)``), exactly over ℚ for
representations with rational images, and a basis of its range.  It enumerates the group,
so it is meant for tests and small groups; the structured routes of
[`reptheory.hom.space`][reptheory.hom.space] are checked against it.

Examples
--------
>>> import numpy as np
>>> from reptheory import groups, Representation
>>> R = Representation.regular(groups.cyclic(3))
>>> W = np.zeros((3, 3)); W[0, 1] = 3.0
>>> group_average(R, R, W).round(6).tolist()   # circulant: averages along wrapped diagonals
[[0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from reptheory.errors import (
    DimensionMismatchError,
    ExactnessError,
    GroupMismatchError,
    InvalidArgumentError,
    TooLargeError,
)

__all__ = ["group_average", "reynolds_matrix", "reynolds_matrix_exact", "average_basis", "MAX_AVERAGE_WORK"]

#: Largest ``|G| · (d_out·d_in)²`` (dense matrix) or ``|G| · d_out · d_in · (d_out + d_in)`` handled here.
MAX_AVERAGE_WORK = 2_000_000_000


def _check_pair(rho_in: Any, rho_out: Any) -> Any:
    from reptheory.groups.finite import FiniteGroup

    G = rho_in.group
    if rho_out.group != G:
        raise GroupMismatchError(
            f"rho_in and rho_out are representations of different groups ({G.name} and {rho_out.group.name})"
        )
    if not isinstance(G, FiniteGroup):
        raise InvalidArgumentError(f"the explicit group average needs a finite group, got {getattr(G, 'name', G)!r}")
    return G


def _inverse_images(rho: Any) -> np.ndarray:
    G = rho.group
    mats = rho.matrices()
    inv = np.asarray(G.inverse(np.arange(G.order)))
    return mats[inv]


def group_average(rho_in: Any, rho_out: Any, W: Any) -> np.ndarray:
    """``(1/|G|) Σ_g ρ_out(g) W ρ_in(g)⁻¹`` for ``W`` of shape (..., d_out, d_in).

    Notes
    -----
    Time ``O(|G| · (d_out² d_in + d_out d_in²))`` per matrix; enumerates G.
    """
    G = _check_pair(rho_in, rho_out)
    W = np.asarray(W)
    if W.ndim < 2 or W.shape[-2:] != (rho_out.dim, rho_in.dim):
        raise DimensionMismatchError(f"W must have shape (..., {rho_out.dim}, {rho_in.dim}), got {W.shape}")
    work = G.order * rho_out.dim * rho_in.dim * (rho_out.dim + rho_in.dim) * max(1, W[..., 0, 0].size)
    if work > MAX_AVERAGE_WORK:
        raise TooLargeError(f"explicit average over {G.order} elements would cost {work:.3g} flops "
                            f"(limit {MAX_AVERAGE_WORK:.3g})", estimate=work, limit=MAX_AVERAGE_WORK)
    A = rho_out.matrices()
    Binv = _inverse_images(rho_in)
    out = np.zeros(np.broadcast_shapes(W.shape, (rho_out.dim, rho_in.dim)), dtype=np.result_type(W, A, np.float64))
    for g in range(G.order):
        out = out + A[g] @ W @ Binv[g]
    return out / G.order


def reynolds_matrix(rho_in: Any, rho_out: Any) -> np.ndarray:
    """Dense Reynolds matrix, shape ``(d_out·d_in, d_out·d_in)``, row-major: ``Σ_g ρ_out(g) ⊗ ρ_in(g⁻¹)ᵀ / |G|``.

    Examples
    --------
    >>> from reptheory import groups, Representation
    >>> S = Representation.sign(groups.symmetric(3))
    >>> float(reynolds_matrix(S, Representation.trivial(groups.symmetric(3)))[0, 0])
    0.0
    """
    G = _check_pair(rho_in, rho_out)
    n = rho_out.dim * rho_in.dim
    work = G.order * n * n
    if work > MAX_AVERAGE_WORK:
        raise TooLargeError(f"dense Reynolds matrix over {G.order} elements would cost {work:.3g} operations "
                            f"(limit {MAX_AVERAGE_WORK:.3g})", estimate=work, limit=MAX_AVERAGE_WORK)
    A = rho_out.matrices()
    Binv = _inverse_images(rho_in)
    P = np.einsum("gab,gji->aibj", A, Binv).reshape(n, n)
    return P / G.order


def _exact_generator_images(rho: Any) -> list[np.ndarray]:
    """Generator images as object arrays of Fractions (exact), or ExactnessError."""
    if rho.exact_images is not None:
        out = []
        for m in rho.exact_images:
            ents = list(m)
            if not all(getattr(x, "is_Rational", False) for x in ents):
                raise ExactnessError(f"exact average over Q needs rational images; {rho.name!r} has irrational entries")
            out.append(np.array([Fraction(int(x.p), int(x.q)) for x in ents], dtype=object).reshape(m.shape))
        return out
    imgs = np.asarray(rho.images)
    if np.iscomplexobj(imgs) or not np.all(imgs == np.round(imgs)):
        raise ExactnessError(f"{rho.name!r} has only floating-point images; exact averaging needs exact images")
    return [np.array([Fraction(int(x)) for x in m.reshape(-1)], dtype=object).reshape(m.shape) for m in imgs]


def _exact_all(rho: Any) -> np.ndarray:
    G = rho.group
    gens = _exact_generator_images(rho)
    enum = G._enumeration
    d = rho.dim
    out = np.empty((enum.n, d, d), dtype=object)
    eye = np.array([[Fraction(int(i == j)) for j in range(d)] for i in range(d)], dtype=object)
    out[enum.identity] = eye
    for g in enum.bfs_order[1:]:
        out[g] = out[enum.parent[g]].dot(gens[enum.letter[g]])
    return out


def reynolds_matrix_exact(rho_in: Any, rho_out: Any) -> np.ndarray:
    """The Reynolds matrix over ℚ (object array of `fractions.Fraction`), row-major.

    Raises
    ------
    ExactnessError
        If a representation has no rational images.

    Examples
    --------
    >>> from reptheory import groups, Representation
    >>> R = Representation.regular(groups.cyclic(2))
    >>> str(reynolds_matrix_exact(R, R)[0, 3])
    '1/2'
    """
    G = _check_pair(rho_in, rho_out)
    n = rho_out.dim * rho_in.dim
    if G.order * n * n > MAX_AVERAGE_WORK // 1000:
        raise TooLargeError(f"exact Reynolds matrix of size {n} over {G.order} elements is too large",
                            estimate=G.order * n * n, limit=MAX_AVERAGE_WORK // 1000)
    A = _exact_all(rho_out)
    B = _exact_all(rho_in)
    inv = np.asarray(G.inverse(np.arange(G.order)))
    P = np.zeros((n, n), dtype=object)
    for g in range(G.order):
        P = P + np.kron(A[g], B[inv[g]].T)
    return P / G.order


def average_basis(rho_in: Any, rho_out: Any) -> np.ndarray:
    """Frobenius-orthonormal basis of the range of the Reynolds operator, shape (k, d_out, d_in).

    The rank is decided with the project's tolerance policy on the singular values of the
    Reynolds matrix (which are 1 on the range for orthogonal representations).

    Examples
    --------
    >>> from reptheory import groups, Representation
    >>> R = Representation.regular(groups.dihedral(3))
    >>> average_basis(R, R).shape
    (6, 6, 6)
    """
    from reptheory._numerics.tolerance import rank_rtol

    P = reynolds_matrix(rho_in, rho_out)
    n = P.shape[0]
    U, s, _ = np.linalg.svd(P)
    k = int(np.sum(s > rank_rtol() * max(1.0, float(s[0]) if s.size else 1.0) * n))
    return np.ascontiguousarray(U[:, :k].T.reshape(k, rho_out.dim, rho_in.dim))
