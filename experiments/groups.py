"""Small group toolkit for the experiments: finite matrix groups, O(n) tensor fields, projectors.

Everything here is the minimum the backbones need, written for speed of the training loop:

* :func:`matrix_group` closes a set of generator matrices into a finite group (elements and
  multiplication table); :func:`c4`, :func:`d4`, :func:`d8` are the grid and polygon groups.
* :func:`on_hom_basis` is an orthonormal basis of ``Hom_{O(n)}(V^{⊗a}, V^{⊗b})`` from the dense
  nullspace of the constraints ``ρ_b(g) W = W ρ_a(g)`` for two random rotations and one
  reflection (a generating set of a dense subgroup of O(n); exact up to rounding).
* :class:`GatherMeanProjector` (orbit average ``P(W) = (1/|G|) Σ_g g·W`` with precomputed index
  permutations), :class:`MaskProjector` (the SO(2) frequency mask, MATH.md 3.4),
  :class:`BlockHomProjector` (block-wise projection onto tensor-field Hom bases),
  :class:`SpectralC4Projector` (the C4 projector in the Fourier basis, MATH.md 8.4).

Examples
--------
>>> G = d4()
>>> G.order, G.table.shape
(8, (8, 8))
>>> on_hom_basis(3, 2, 2).shape     # identity, transpose, trace: dim Hom_{O(3)}(V⊗V, V⊗V) = 3
(3, 9, 9)
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

__all__ = [
    "BlockHomProjector",
    "FiniteMatrixGroup",
    "GatherMeanProjector",
    "MaskProjector",
    "SpectralC4Projector",
    "c4",
    "d4",
    "d8",
    "haar_on",
    "matrix_group",
    "on_hom_basis",
    "tensor_rep",
]


@dataclass(frozen=True)
class FiniteMatrixGroup:
    """A finite group given by matrices; ``table[g, h]`` is the index of ``g h``."""

    elements: np.ndarray  # (n, d, d)
    table: np.ndarray  # (n, n)
    generators: tuple[int, ...]

    @property
    def order(self) -> int:
        return int(self.elements.shape[0])

    @property
    def inverse(self) -> np.ndarray:
        return np.argmax(self.table == 0, axis=1)


def matrix_group(gens: list[np.ndarray]) -> FiniteMatrixGroup:
    """Close generator matrices into a finite group (identity first, then breadth-first words)."""
    d = gens[0].shape[0]

    def key(M: np.ndarray) -> tuple[float, ...]:
        return tuple(np.round(M, 8).reshape(-1).tolist())

    elems = [np.eye(d)]
    index = {key(elems[0]): 0}
    frontier = [0]
    while frontier:
        new = []
        for i in frontier:
            for s in gens:
                M = s @ elems[i]
                k = key(M)
                if k not in index:
                    index[k] = len(elems)
                    elems.append(M)
                    new.append(index[k])
        frontier = new
    E = np.stack(elems)
    n = len(elems)
    table = np.empty((n, n), dtype=np.int64)
    for a in range(n):
        for b in range(n):
            table[a, b] = index[key(E[a] @ E[b])]
    gen_idx = tuple(index[key(s)] for s in gens)
    return FiniteMatrixGroup(E, table, gen_idx)


_R90 = np.array([[0.0, -1.0], [1.0, 0.0]])
_FLIP = np.array([[1.0, 0.0], [0.0, -1.0]])


def c4() -> FiniteMatrixGroup:
    """The rotations of the square acting on (row, col) offsets; element k is ``r^k``."""
    return matrix_group([_R90])


def d4() -> FiniteMatrixGroup:
    """The eight symmetries of the square acting on (row, col) offsets."""
    return matrix_group([_R90, _FLIP])


def d8() -> FiniteMatrixGroup:
    """The dihedral group of order 16 (symmetries of the regular octagon)."""
    c, s = np.cos(np.pi / 4), np.sin(np.pi / 4)
    return matrix_group([np.array([[c, -s], [s, c]]), _FLIP])


# --------------------------------------------------------------------------- O(n) tensor fields
def haar_on(n: int, m: int, rng: np.random.Generator, *, special: bool = False) -> np.ndarray:
    """``m`` Haar-distributed matrices of O(n) (or SO(n)), shape (m, n, n)."""
    A = rng.standard_normal((m, n, n))
    Q, R = np.linalg.qr(A)
    Q = Q * np.sign(np.diagonal(R, axis1=1, axis2=2))[:, None, :]
    det = np.linalg.det(Q)
    if special:
        Q[:, :, 0] *= np.sign(det)[:, None]
    else:
        flip = rng.random(m) < 0.5
        Q[:, :, 0] *= np.where(det * np.where(flip, -1, 1) < 0, -1.0, 1.0)[:, None]
    return Q


def tensor_rep(g: np.ndarray, rank: int) -> np.ndarray:
    """``g^{⊗rank}`` (row-major vectorisation), shape (n^rank, n^rank)."""
    out = np.ones((1, 1))
    for _ in range(rank):
        out = np.kron(out, g)
    return out


@functools.cache
def on_hom_basis(n: int, a: int, b: int) -> np.ndarray:
    """Orthonormal basis of ``Hom_{O(n)}(V^{⊗a}, V^{⊗b})``, shape (k, n^b, n^a), float64.

    Dense nullspace (SVD) of the stacked constraints ``ρ_b(g) W − W ρ_a(g)`` for two random
    rotations (seed fixed) and the reflection ``diag(−1, 1, …)``.  ``O((n^{a+b})³)``; the
    experiments use ``a, b ≤ 2`` and ``n ≤ 5``.
    """
    rng = np.random.default_rng(20260101 + 97 * n)
    gs = list(haar_on(n, 2, rng, special=True)) + [np.diag([-1.0] + [1.0] * (n - 1))]
    da, db = n**a, n**b
    rows = []
    for g in gs:
        ra, rb = tensor_rep(g, a), tensor_rep(g, b)
        # row-major vec(rb W − W ra) = (rb ⊗ I − I ⊗ ra^T) vec(W)
        rows.append(np.kron(rb, np.eye(da)) - np.kron(np.eye(db), ra.T))
    C = np.concatenate(rows)
    _, s, Vt = np.linalg.svd(C)
    tol = 1e-8 * max(1.0, s[0] if s.size else 1.0)
    rank = int((s > tol).sum())
    B = Vt[rank:]
    return B.reshape(-1, db, da)


def on_algebra(n: int) -> np.ndarray:
    """The basis ``E_ij − E_ji`` (i < j) of so(n), shape (n(n−1)/2, n, n)."""
    out = []
    for i in range(n):
        for j in range(i + 1, n):
            X = np.zeros((n, n))
            X[i, j], X[j, i] = 1.0, -1.0
            out.append(X)
    return np.stack(out)


def tensor_algebra(X: np.ndarray, rank: int) -> np.ndarray:
    """``dρ(X)`` on ``V^{⊗rank}`` (Leibniz rule), shape (n^rank, n^rank)."""
    n = X.shape[0]
    if rank == 0:
        return np.zeros((1, 1))
    out = np.zeros((n**rank, n**rank))
    for pos in range(rank):
        term = np.ones((1, 1))
        for q in range(rank):
            term = np.kron(term, X if q == pos else np.eye(n))
        out += term
    return out


# --------------------------------------------------------------------------- torch projectors
class GatherMeanProjector(nn.Module):
    """``P(W) = (1/|G|) Σ_g (g·W)`` with ``(g·W).flat = W.flat[perm[g]]`` (MATH.md 4.1, 8.3).

    ``perms`` has shape (|G|, numel) and ``shape`` is the event shape.  The average is taken
    as a mean over orbits of entries (label of an entry = smallest index in its orbit), one
    ``index_add`` and one gather, ``O(numel)``; the library's
    :class:`penalties.projectors.OrbitProjection` does the work where it is importable.
    ``gens`` (indices into perms) define the finite generator residual ``Σ_s ‖s·W − W‖²``
    (MATH.md 7.5).
    """

    def __init__(self, perms: np.ndarray, shape: tuple[int, ...], gens: tuple[int, ...]):
        super().__init__()
        perms = np.asarray(perms, dtype=np.int64)
        rep = perms.min(axis=0)
        uniq, labels = np.unique(rep, return_inverse=True)
        self.shape = tuple(shape)
        self.n_orbits = len(uniq)
        self.register_buffer("gen_perms", torch.as_tensor(perms[list(gens)]))
        self.gens = tuple(range(len(gens)))
        try:
            from penalties.projectors import OrbitProjection

            self.impl = OrbitProjection(labels, np.ones(len(labels)), self.n_orbits, shape=self.shape)
        except Exception:  # pragma: no cover - library in flight
            self.impl = None
            counts = np.bincount(labels, minlength=self.n_orbits).astype(np.float32)
            self.register_buffer("labels", torch.as_tensor(labels, dtype=torch.long))
            self.register_buffer("inv_counts", torch.as_tensor(1.0 / counts))

    def forward(self, W: torch.Tensor) -> torch.Tensor:
        if self.impl is not None:
            return self.impl(W)
        lead = W.shape[: W.dim() - len(self.shape)]
        w = W.reshape(-1, int(np.prod(self.shape)))
        sums = torch.zeros(w.shape[0], self.n_orbits, dtype=W.dtype).index_add(1, self.labels, w)
        return (sums * self.inv_counts.to(W.dtype))[:, self.labels].reshape(*lead, *self.shape)

    def generator_residual(self, W: torch.Tensor) -> torch.Tensor:
        lead = W.shape[: W.dim() - len(self.shape)]
        w = W.reshape(*lead, -1)
        return sum(((w[..., self.gen_perms[s]] - w) ** 2).sum() for s in self.gens)


class MaskProjector(nn.Module):
    """``P(W) = M ⊙ W`` with a 0/1 mask (MATH.md 3.4: the SO(2) frequency mask).

    ``weights`` (same shape as the mask) define the generator residual ``Σ w_ij W_ij²``; for
    the SO(2) harmonic features ``w_ij = (m_i − m_j)²``.
    """

    def __init__(self, mask: np.ndarray, weights: np.ndarray):
        super().__init__()
        self.register_buffer("mask", torch.as_tensor(np.asarray(mask, dtype=np.float32)))
        self.register_buffer("gen_w", torch.as_tensor(np.asarray(weights, dtype=np.float32)))
        self.shape = tuple(mask.shape)

    def forward(self, W: torch.Tensor) -> torch.Tensor:
        return W * self.mask

    def generator_residual(self, W: torch.Tensor) -> torch.Tensor:
        return (W**2 * self.gen_w).sum()


class BlockHomProjector(nn.Module):
    """Block-wise projection of ``W: ⊕ c_a V^{⊗a} → ⊕ c_b V^{⊗b}`` onto ``Hom_{O(n)}``.

    ``layout_in`` / ``layout_out`` are lists of ``(rank, copies)``; rows and columns are ordered
    block after block, copies outer.  For every pair of blocks the sub-matrix, reshaped to
    ``(C_out, d_out, C_in, d_in)``, is projected on the orthonormal basis of
    :func:`on_hom_basis` (``O(#params · k)``).  The generator residual uses the so(n) basis and
    the reflection ``diag(−1, 1, …)``.
    """

    def __init__(self, n: int, layout_in: list[tuple[int, int]], layout_out: list[tuple[int, int]]):
        super().__init__()
        self.n = n
        self.layout_in, self.layout_out = list(layout_in), list(layout_out)
        self.d_in = sum(c * n**r for r, c in layout_in)
        self.d_out = sum(c * n**r for r, c in layout_out)
        self.shape = (self.d_out, self.d_in)
        self.blocks = []
        o = 0
        for bi, (rb, cb) in enumerate(layout_out):
            i = 0
            for ai, (ra, ca) in enumerate(layout_in):
                E = on_hom_basis(n, ra, rb)
                if E.shape[0] and ca and cb:
                    name = f"E_{bi}_{ai}"
                    self.register_buffer(name, torch.as_tensor(E, dtype=torch.float64))
                    self.blocks.append((o, cb, n**rb, i, ca, n**ra, name))
                i += ca * n**ra
            o += cb * n**rb
        X = on_algebra(n)
        s = np.diag([-1.0] + [1.0] * (n - 1))
        for side, layout in (("in", layout_in), ("out", layout_out)):
            for r in {r for r, _ in layout}:
                self.register_buffer(f"L_{side}_{r}", torch.as_tensor(np.stack([tensor_algebra(x, r) for x in X]),
                                                                   dtype=torch.float32))
                self.register_buffer(f"S_{side}_{r}", torch.as_tensor(tensor_rep(s, r), dtype=torch.float32))

    def forward(self, W: torch.Tensor) -> torch.Tensor:
        lead = W.shape[:-2]
        out = torch.zeros_like(W)
        for o, cb, db, i, ca, da, name in self.blocks:
            E = getattr(self, name).to(W.dtype)
            sub = W[..., o:o + cb * db, i:i + ca * da].reshape(*lead, cb, db, ca, da)
            coef = torch.einsum("...aibj,kij->...abk", sub, E)
            out[..., o:o + cb * db, i:i + ca * da] = torch.einsum("...abk,kij->...aibj", coef, E).reshape(
                *lead, cb * db, ca * da)
        return out

    def _left(self, W: torch.Tensor, mats: str) -> torch.Tensor:
        # apply ⊕ M_rank (per copy) from the left; M has a leading generator axis
        parts, o = [], 0
        for r, c in self.layout_out:
            d = self.n**r
            M = getattr(self, f"{mats}_out_{r}")
            sub = W[o:o + c * d].reshape(c, d, -1)
            if M.dim() == 3:
                parts.append(torch.einsum("gij,cjk->gcik", M, sub).reshape(M.shape[0], c * d, -1))
            else:
                parts.append(torch.einsum("ij,cjk->cik", M, sub).reshape(c * d, -1))
            o += c * d
        return torch.cat(parts, dim=-2)

    def _right(self, W: torch.Tensor, mats: str) -> torch.Tensor:
        parts, i = [], 0
        for r, c in self.layout_in:
            d = self.n**r
            M = getattr(self, f"{mats}_in_{r}")
            sub = W[:, i:i + c * d].reshape(W.shape[0], c, d)
            if M.dim() == 3:
                parts.append(torch.einsum("ocj,gjk->gock", sub, M).reshape(M.shape[0], W.shape[0], c * d))
            else:
                parts.append(torch.einsum("ocj,jk->ock", sub, M).reshape(W.shape[0], c * d))
            i += c * d
        return torch.cat(parts, dim=-1)

    def generator_residual(self, W: torch.Tensor) -> torch.Tensor:
        alg = ((self._left(W, "L") - self._right(W, "L")) ** 2).sum()
        disc = ((self._left(W, "S") - self._right(W, "S")) ** 2).sum()
        return alg + disc


class SpectralC4Projector(nn.Module):
    """The C4 kernel projector in the Fourier basis of C4 (MATH.md 3.4, 8.4).

    For a kernel ``(c_out·|G_out|, c_in·|G_in|, k, k)`` between trivial (``|G| = 1``) or regular
    (``|G| = 4``) C4 fields, each entry is addressed as (copy_out, h_out, copy_in, h_in, orbit,
    j) with ``t = r^j t_0`` along the C4 orbit of kernel offsets.  The group shifts ``h_out``,
    ``h_in`` and ``j`` jointly, so after a unitary DFT over those three axes the projector keeps
    the frequencies with ``a + b + c ≡ 0 (mod 4)`` and the penalty ``‖W − P W‖²`` is the energy
    of the discarded coefficients (Parseval).  Agrees with the spatial orbit average to
    rounding.
    """

    def __init__(self, c_out: int, g_out: int, c_in: int, g_in: int, ksize: int):
        super().__init__()
        h = ksize // 2
        offs = [(a - h, b - h) for a in range(ksize) for b in range(ksize)]
        pos = {t: i for i, t in enumerate(offs)}
        seen, orbits = set(), []
        for t in offs:
            if t == (0, 0) or t in seen:
                continue
            orb, cur = [], t
            for _ in range(4):
                orb.append(pos[cur])
                seen.add(cur)
                cur = (-cur[1], cur[0])  # r = [[0, -1], [1, 0]] on (row, col)
            orbits.append(orb)
        T = ksize * ksize
        co, ho, ci, hi = np.meshgrid(np.arange(c_out), np.arange(g_out), np.arange(c_in), np.arange(g_in), indexing="ij")
        base = ((co * g_out + ho) * (c_in * g_in) + (ci * g_in + hi)) * T  # (c_out, g_out, c_in, g_in)
        orb = np.asarray(orbits)  # (n_orb, 4)
        self.register_buffer("idx", torch.as_tensor(base[..., None, None] + orb[None, None, None, None], dtype=torch.long))
        self.register_buffer("idx_c", torch.as_tensor(base + pos[(0, 0)], dtype=torch.long))
        fo, fi, fj = np.meshgrid(np.arange(g_out), np.arange(g_in), np.arange(4), indexing="ij")
        keep = ((fo * (4 // g_out) + fi * (4 // g_in) + fj) % 4 == 0)  # (g_out, g_in, 4)
        keep_c = ((np.arange(g_out)[:, None] * (4 // g_out) + np.arange(g_in)[None] * (4 // g_in)) % 4 == 0)
        self.register_buffer("keep", torch.as_tensor(keep[None, :, None, :, None, :], dtype=torch.float32))
        self.register_buffer("keep_c", torch.as_tensor(keep_c[None, :, None, :], dtype=torch.float32))
        self.shape = (c_out * g_out, c_in * g_in, ksize, ksize)
        self.numel = int(np.prod(self.shape))

    def _split(self, W: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        w = W.reshape(-1)
        Ko = torch.fft.fftn(w[self.idx], dim=(1, 3, 5), norm="ortho")  # (co, go, ci, gi, orb, 4)
        Kc = torch.fft.fftn(w[self.idx_c], dim=(1, 3), norm="ortho")
        return Ko, Kc

    def forward(self, W: torch.Tensor) -> torch.Tensor:
        Ko, Kc = self._split(W)
        Po = torch.fft.ifftn(Ko * self.keep, dim=(1, 3, 5), norm="ortho").real
        Pc = torch.fft.ifftn(Kc * self.keep_c, dim=(1, 3), norm="ortho").real
        out = torch.zeros(self.numel, dtype=W.dtype, device=W.device)
        out = out.index_put((self.idx.reshape(-1),), Po.reshape(-1))
        out = out.index_put((self.idx_c.reshape(-1),), Pc.reshape(-1))
        return out.reshape(W.shape)

    def defect(self, W: torch.Tensor) -> torch.Tensor:
        """``‖W − P W‖²`` computed in the Fourier domain (energy of the masked-out coefficients)."""
        Ko, Kc = self._split(W)
        return (Ko.abs() ** 2 * (1 - self.keep)).sum() + (Kc.abs() ** 2 * (1 - self.keep_c)).sum()
