"""NumPy-side glue between layers and `reptheory.hom` (no torch here).

Every projector comes from `reptheory`: the signed orbit projector of
[`reptheory.hom.orbits`][reptheory.hom.orbits] when both representations act by signed permutations, otherwise
[`reptheory.intertwiners`][reptheory.intertwiners] (isotypic or basis projector, whichever route it picks).  This
module only expresses layers as ``Hom`` spaces: biases as ``Hom(1, ρ_out)``, and convolution
kernels through the action of a grid group on kernel offsets.

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

from penalties.errors import GridActionError
from reptheory.errors import DimensionMismatchError, GroupMismatchError, InvalidArgumentError, TooLargeError
from reptheory.hom.orbits import (
    isotypic_as_orbit,
    monomial_actions,
    monomial_orbit_projector,
    orbit_projector,
)
from reptheory.hom.projectors import OrbitProjector
from reptheory.hom.space import intertwiners

__all__ = [
    "KernelAverage",
    "grid_offsets",
    "hom_projector",
    "invariant_projector",
    "isotypic_as_orbit",
    "kernel_projector",
    "monomial_action",
]


def monomial_action(rep: Any) -> tuple[np.ndarray, np.ndarray] | None:
    """Generator action ``ρ(s_j) e_i = c[j, i] e_{p[j, i]}`` stacked as ``(p, c)`` if every coefficient is ±1, else None.

    A thin stacking of [`reptheory.hom.orbits.monomial_actions`][reptheory.hom.orbits.monomial_actions].

    Examples
    --------
    >>> from reptheory import groups, Representation
    >>> p, c = monomial_action(Representation.regular(groups.cyclic(3)))
    >>> p.tolist(), c.tolist()
    ([[1, 2, 0]], [[1.0, 1.0, 1.0]])
    """
    acts = monomial_actions(rep)
    if acts is None:
        return None
    if not acts:
        return np.zeros((0, rep.dim), dtype=np.int64), np.zeros((0, rep.dim))
    return np.stack([a[0] for a in acts]), np.stack([a[1] for a in acts])


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
    orbit = monomial_orbit_projector([rho_out], [rho_in])
    if orbit is not None:
        return orbit
    return intertwiners(rho_in, rho_out).structured_projector(kind="orthogonal")


def invariant_projector(rho: Any, *, where: str = "invariant_projector") -> Any:
    """Projector onto the invariant vectors of ``ρ`` as ``Hom(1, ρ)`` (shape ``(d, 1)``, docs/explanation/penalties.md#biases).

    Examples
    --------
    >>> from reptheory import groups, Representation
    >>> invariant_projector(Representation.regular(groups.cyclic(5))).dim
    1
    """
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
        P = orbit_projector((c_out * T, c_in), list(zip(perm_big, coeff_big)), list(zip(mi[0], mi[1])))
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
