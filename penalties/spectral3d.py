"""SO(3) / O(3) on 3-D kernels through a band-limited spherical-harmonic basis (docs/explanation/convolutions.md#spectral-projector).

Kernels are parameterised as

$$
K(x) = \\sum_{r < R} \\sum_{J \\le J_{max}} \\sum_{M} \\rho_r(|x|)\\, Y_J^M(\\hat x)\\, c_{r,J,M},
\\qquad c_{r,J,M} \\in \\mathbb{R}^{d_{out} \\times d_{in}},
$$

with channel fields ``ρ_out = ⊕ D^{l_o}``, ``ρ_in = ⊕ D^{l_i}`` (the real Wigner matrices of
`reptheory.decomposition.irreps.lie`), Gaussian shells ``ρ_r`` and real harmonics ``Y_J`` in the basis
of ``D^J`` (``Y_J(R x) = D^J(R) Y_J(x)``).  Steerability ``K(Rx) = D_out(R) K(x) D_in(R)ᵀ``
says that each ``(l_o, l_i)`` block of ``c_{r,J}``, a tensor of shape
``(2l_o+1, 2l_i+1, 2J+1)``, is invariant under ``D^{l_o} ⊗ D^{l_i} ⊗ D^J``: a multiple of the
real Clebsch–Gordan tensor ``C_J`` ([`reptheory.decomposition.coupling.clebsch_gordan`][reptheory.decomposition.coupling.clebsch_gordan]) when ``|l_o − l_i| ≤ J ≤ l_o + l_i`` (and, for O(3), when
``(−1)^J = p_o p_i``), zero otherwise.  So the Haar average is **mask and project onto one
tensor**: ``P(c_{r,J}) = ⟨Ĉ_J, c_{r,J}⟩ Ĉ_J`` with ``Ĉ = C/‖C‖``.

**Band limit.**  ``J ≤ J_max`` and ``R`` shells: "equivariant" means exactly SO(3)-steerable
*inside the band-limited basis*.  Sampled on a voxel grid the kernels are exactly equivariant
under the cube rotations that map the grid to itself (docs/explanation/convolutions.md#grid-symmetries) and only approximately
under other rotations.  The coefficient projector is orthogonal for coefficients;
[`SO3HarmonicProjection.grid_projection`][penalties.spectral3d.SO3HarmonicProjection.grid_projection] is orthogonal for the sampled kernels'
Frobenius product (basis sampled on the grid, then orthonormalised; docs/explanation/convolutions.md#spectral-projector "two inner
products").

Examples
--------
>>> P = SO3HarmonicProjection([0, 1], [1], n_radial=2, max_J=2)
>>> P.shape, P.dim     # (0 ← 1): J = 1; (1 ← 1): J = 0, 1, 2; times 2 shells
((4, 3, 2, 9), 8)
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import numpy as np
import torch

from penalties.projectors import Projection
from reptheory.decomposition.coupling import clebsch_gordan
from reptheory.decomposition.irreps.lie import so3_generators
from reptheory.errors import DimensionMismatchError, InvalidArgumentError

__all__ = ["SO3HarmonicProjection", "clebsch_gordan_real", "real_spherical_harmonics"]


def clebsch_gordan_real(l_out: int, l_in: int, J: int) -> np.ndarray | None:
    """Unit-norm invariant tensor of ``D^{l_out} ⊗ D^{l_in} ⊗ D^J`` (shape (2l_out+1, 2l_in+1, 2J+1)), or None.

    The coupling coefficients of [`reptheory.decomposition.coupling.clebsch_gordan`][reptheory.decomposition.coupling.clebsch_gordan] (e3nn's
    normalisation); None outside the triangle rule.

    Examples
    --------
    >>> C = clebsch_gordan_real(1, 1, 0)
    >>> bool(np.allclose(np.abs(C[:, :, 0]), np.eye(3) / np.sqrt(3)))
    True
    >>> clebsch_gordan_real(1, 1, 3) is None
    True
    """
    return clebsch_gordan(int(l_out), int(l_in), int(J))


def _rotation_to(xhat: np.ndarray) -> np.ndarray:
    """Axis-angle coefficients ``θ`` with ``exp(Σ θ_a L_a) e_z = xhat`` (L_a the standard generators)."""
    z = np.array([0.0, 0.0, 1.0])
    axis = np.cross(z, xhat)
    s = np.linalg.norm(axis)
    c = float(np.clip(xhat @ z, -1.0, 1.0))
    if s < 1e-12:
        return np.zeros(3) if c > 0 else np.array([np.pi, 0.0, 0.0])
    return axis / s * math.atan2(s, c)


@lru_cache(maxsize=64)
def _zonal(J: int) -> np.ndarray:
    """Unit vector of ``D^J`` fixed by rotations about ``e_z`` (the ``M = 0`` harmonic).

    The invariant vectors of ``D^J`` restricted to the rotations about ``e_z`` (an SO(2) whose
    Lie-algebra image is ``dρ(L_z)``), from [`reptheory.invariants`][reptheory.invariants].
    """
    from reptheory import Representation, invariants
    from reptheory.groups import SO2

    Lz = np.asarray(so3_generators(J), dtype=np.float64)[2]
    u = invariants(Representation.from_algebra_images(SO2(), [Lz])).basis[0, :, 0]
    return u * np.sign(u[np.argmax(np.abs(u))])


def real_spherical_harmonics(J: int, points: np.ndarray) -> np.ndarray:
    """``Y_J(x̂) = D^J(R_x̂) Y_J(e_z)``, shape (n, 2J+1), unit norm, with ``Y_J(Rx) = D^J(R) Y_J(x)``.

    ``R_x̂`` is any rotation with ``R_x̂ e_z = x̂``; the result does not depend on the choice
    because ``Y_J(e_z)`` is fixed by the rotations about ``e_z``.  Points at the origin get
    ``Y_0 = 1`` and ``Y_J = 0`` for ``J > 0``.

    Examples
    --------
    >>> Y = real_spherical_harmonics(1, np.array([[0.0, 0.0, 2.0], [1.0, 0.0, 0.0]]))
    >>> np.abs(Y).round(6).tolist()      # D^1 is the identity map on coordinates
    [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]
    """
    L = np.asarray(so3_generators(J), dtype=np.float64)
    v = _zonal(J)
    pts = np.asarray(points, dtype=np.float64).reshape(-1, 3)
    r = np.linalg.norm(pts, axis=1)
    origin = r < 1e-12
    th = np.stack([np.zeros(3) if o else _rotation_to(x / n) for x, n, o in zip(pts, r, origin)]) if len(pts) else np.zeros((0, 3))
    gen = torch.as_tensor(np.einsum("na,aij->nij", th, L))
    out = torch.linalg.matrix_exp(gen).numpy() @ v  # batched exp(Σ θ_a dρ(L_a))
    out[origin] = 1.0 if J == 0 else 0.0
    return out


def _fields(ls: Any, parities: Any, name: str) -> tuple[np.ndarray, np.ndarray]:
    ls = np.asarray(ls, dtype=np.int64).reshape(-1)
    if ls.size == 0 or ls.min() < 0:
        raise InvalidArgumentError(f"{name} must be a non-empty list of non-negative degrees, got {ls.tolist()}")
    p = np.ones_like(ls) if parities is None else np.asarray(parities, dtype=np.int64).reshape(-1)
    if p.shape != ls.shape or not np.all(np.abs(p) == 1):
        raise InvalidArgumentError(f"parities of {name} must be ±1, one per field, got {np.asarray(parities).tolist()}")
    return ls, p


class SO3HarmonicProjection(Projection):
    """Projector on spherical-harmonic coefficients ``c (d_out, d_in, R, (J_max+1)²)`` (see the module docstring).

    Parameters
    ----------
    l_out, l_in : sequence of int
        Degrees of the output / input fields (each field is one copy of ``D^l``, in order).
    n_radial : int
        ``R``, the number of Gaussian shells.
    max_J : int
        The angular band limit ``J_max``.
    parity_out, parity_in : sequence of ±1, optional
        O(3) parities; with them only ``J`` with ``(−1)^J = p_out p_in`` survive.

    Notes
    -----
    ``O(n_p)`` per call (one contraction with ``Ĉ`` per (l_out, l_in, J) type, channels
    grouped by degree); buffers: the unit CG tensors and two channel permutations.

    Examples
    --------
    >>> import torch
    >>> P = SO3HarmonicProjection([1], [1], n_radial=1, max_J=2).double()
    >>> C = torch.randn(P.shape, dtype=torch.float64)
    >>> bool(torch.allclose(P(P(C)), P(C)))
    True
    >>> P.synthesize(P(C), 3).shape
    torch.Size([3, 3, 3, 3, 3])
    """

    def __init__(self, l_out: Any, l_in: Any, *, n_radial: int, max_J: int, parity_out: Any = None,
                 parity_in: Any = None):
        super().__init__()
        lo, po = _fields(l_out, parity_out, "l_out")
        li, pi = _fields(l_in, parity_in, "l_in")
        self.n_radial, self.max_J = int(n_radial), int(max_J)
        if self.n_radial < 1 or self.max_J < 0:
            raise InvalidArgumentError(f"n_radial={n_radial} must be >= 1 and max_J={max_J} >= 0")
        self.l_out, self.l_in, self.p_out, self.p_in = lo, li, po, pi
        d_out, d_in = int((2 * lo + 1).sum()), int((2 * li + 1).sum())
        self.shape = (d_out, d_in, self.n_radial, (self.max_J + 1) ** 2)
        self.matrix_shape = (d_out, math.prod(self.shape[1:]))
        # group fields by (degree, parity): channel permutations to a layout with equal types adjacent
        self._groups_out, perm_out = self._group(lo, po)
        self._groups_in, perm_in = self._group(li, pi)
        self.register_buffer("perm_out", torch.as_tensor(perm_out))
        self.register_buffer("perm_in", torch.as_tensor(perm_in))
        self._terms: list[tuple[int, int, int, int, int, int, int, str]] = []
        dim = 0
        for (la, pa, sa, ma) in self._groups_out:
            for (lb, pb, sb, mb) in self._groups_in:
                for J in range(abs(la - lb), min(la + lb, self.max_J) + 1):
                    if (-1) ** J != pa * pb and (parity_out is not None or parity_in is not None):
                        continue
                    C = clebsch_gordan_real(la, lb, J)
                    name = f"cg_{la}_{lb}_{J}"
                    if not hasattr(self, name):
                        self.register_buffer(name, torch.as_tensor(np.array(C)))
                    self._terms.append((sa, ma, la, sb, mb, lb, J, name))
                    dim += ma * mb * self.n_radial
        self.dim = dim

    @staticmethod
    def _group(ls: np.ndarray, ps: np.ndarray) -> tuple[list[tuple[int, int, int, int]], np.ndarray]:
        offsets = np.concatenate([[0], np.cumsum(2 * ls + 1)])
        groups, perm, start = [], [], 0
        for key in sorted({(int(a), int(b)) for a, b in zip(ls, ps)}):
            idx = [i for i in range(ls.shape[0]) if (int(ls[i]), int(ps[i])) == key]
            for i in idx:
                perm.extend(range(offsets[i], offsets[i + 1]))
            groups.append((key[0], key[1], start, len(idx)))
            start += len(idx) * (2 * key[0] + 1)
        return groups, np.asarray(perm, dtype=np.int64)

    def forward(self, C: torch.Tensor) -> torch.Tensor:
        lead = self._check(C)
        X = C.index_select(-4, self.perm_out).index_select(-3, self.perm_in)
        out = torch.zeros_like(X)
        for sa, ma, la, sb, mb, lb, J, name in self._terms:
            da, db = 2 * la + 1, 2 * lb + 1
            cg = getattr(self, name).to(dtype=X.real.dtype if X.is_complex() else X.dtype)
            blk = X[..., sa:sa + ma * da, sb:sb + mb * db, :, J * J:(J + 1) * (J + 1)]
            blk = blk.reshape(*lead, ma, da, mb, db, self.n_radial, 2 * J + 1)
            coef = torch.einsum("...xaybrm,abm->...xyr", blk, cg.to(blk.dtype))
            proj = torch.einsum("...xyr,abm->...xaybrm", coef, cg.to(blk.dtype))
            out[..., sa:sa + ma * da, sb:sb + mb * db, :, J * J:(J + 1) * (J + 1)] = proj.reshape(
                *lead, ma * da, mb * db, self.n_radial, 2 * J + 1)
        inv_o = torch.empty_like(self.perm_out)
        inv_o[self.perm_out] = torch.arange(self.perm_out.shape[0], device=inv_o.device)
        inv_i = torch.empty_like(self.perm_in)
        inv_i[self.perm_in] = torch.arange(self.perm_in.shape[0], device=inv_i.device)
        return out.index_select(-4, inv_o).index_select(-3, inv_i)

    def basis_functions(self, size: int) -> torch.Tensor:
        """Sampled ``ρ_r(|x|) Y_J^M(x̂)`` on a ``size³`` grid, shape (R, (J_max+1)², size, size, size), float64.

        Offsets are array indices about the centre, axes (0, 1, 2) = (x, y, z) of ``D^1``;
        shells ``ρ_r`` are Gaussians centred at radii evenly spaced in ``[0, (size−1)/2]``.
        """
        if size % 2 == 0 or size < 1:
            raise InvalidArgumentError(f"size={size} must be odd (the rotation centre must be a voxel)")
        c = (size - 1) / 2
        ax = np.arange(size) - c
        pts = np.stack(np.meshgrid(ax, ax, ax, indexing="ij"), axis=-1).reshape(-1, 3)
        r = np.linalg.norm(pts, axis=1)
        radii = np.linspace(0.0, c, self.n_radial) if self.n_radial > 1 else np.array([0.0])
        sigma = 0.6 * (radii[1] - radii[0]) if self.n_radial > 1 else max(c, 1.0)
        shells = np.exp(-((r[None] - radii[:, None]) ** 2) / (2 * sigma**2))  # (R, n)
        Y = np.concatenate([real_spherical_harmonics(J, pts) for J in range(self.max_J + 1)], axis=1)  # (n, (J+1)²)
        B = shells[:, None, :] * Y.T[None]
        return torch.as_tensor(B.reshape(self.n_radial, -1, size, size, size))

    def synthesize(self, C: torch.Tensor, size: int) -> torch.Tensor:
        """Voxel kernels ``(..., d_out, d_in, size, size, size)`` from coefficients ``C``."""
        self._check(C)
        B = self.basis_functions(size).to(device=C.device, dtype=C.dtype)
        return torch.einsum("...oirk,rkxyz->...oixyz", C, B)

    def grid_projection(self, size: int) -> Projection:
        """Projector on voxel kernels ``(d_out, d_in, size, size, size)``, orthogonal for their Frobenius product.

        The synthesized images of the allowed coefficient directions are orthonormalised
        on the grid (their span, rank decided by the tolerance policy); the projector is ``QQᵀ``
        (dense, ``O(dim · n_p)``: for small layers).
        """
        eye = torch.eye(math.prod(self.shape), dtype=torch.float64).reshape(-1, *self.shape)
        allowed = self.forward(eye).reshape(eye.shape[0], -1)
        keep = allowed.abs().sum(1) > 0
        basis = self.synthesize(allowed[keep].reshape(-1, *self.shape), size).reshape(int(keep.sum()), -1)
        from penalties.projectors import BasisProjection
        from reptheory._numerics.linalg import span_basis

        q = torch.as_tensor(span_basis(basis.numpy()))  # the images repeat: a rank-revealing basis
        return BasisProjection(q.reshape(-1, self.shape[0], self.shape[1], size, size, size))


def _check(shape: tuple[int, ...], expected: tuple[int, ...]) -> None:  # pragma: no cover - helper
    if tuple(shape) != tuple(expected):
        raise DimensionMismatchError(f"shape {tuple(shape)} does not match {tuple(expected)}")
