"""Hecke condensation: the commutant of a transitive signed permutation representation, on its ``λ``-fixed vectors.

A private helper of the exact irreps (`reptheory.decomposition.irreps.exact`).  Let ``P`` be a
transitive monomial representation of ``G`` on the points ``0 … N−1``, ``P(s) e_x = c_s(x) e_{s(x)}``
(``c = ±1``), ``H = G_{x₀}`` the stabiliser of ``x₀ = 0`` and ``λ(h) = c_h(x₀)`` (so ``P = Ind_H^G λ``).

**The condensed space.**  ``E = {v : P(h) v = λ(h) v for h ∈ H}`` has the basis ``f_O = Σ_{y∈O} σ(y) e_y``,
one for each *consistent suborbit* ``O`` (an ``H``-orbit on which ``v_{h y} = λ(h) c_h(y) v_y`` has a
non-zero solution; ``σ = 1`` at its least point ``y_O``), and ``dim E = dim End_G(P) = ⟨χ, χ⟩``.  The
suborbits are the orbits of a few random Schreier generators ``r_{s y}⁻¹ s r_y`` of ``H`` (``r_y`` the
breadth-first transversal, ``P(r_y) e₀ = c_y e_y``): a subgroup of ``H`` has at least as many consistent
orbits, and as many exactly when its fixed space is ``E``, so generators are added until the count is
``⟨χ, χ⟩`` (a certificate, not a probability).

**The commutant on E.**  Every ``X`` in the commutant is fixed by ``x = X e₀ ∈ E``:
``X e_y = c_y P(r_y) x``.  Its rows at the suborbit representatives are
``X[y_P, y] = c_y ⟨P(r_y)⁻¹ e_{y_P}, x⟩``, read off one backward walk of ``y_P`` along the transversal
per ``P``; so ``X f_Q = Σ_P L[P, Q] f_P`` with ``L[P, Q] = Σ_{y∈Q} σ(y) X[y_P, y]``, an ``r × r`` integer
matrix (``r = ⟨χ, χ⟩``) for integer ``x``, built in ``O(r N)`` without any ``N × N`` matrix.  With
``D = diag(|O|)``, ``Xᵀ`` acts by ``D⁻¹ Lᵀ D``, so the symmetric ``S = X + Xᵀ`` acts by ``D⁻¹ A`` with
``A = D L + Lᵀ D`` symmetric.

**Characters of eigenspaces.**  For an eigenspace ``U`` of ``S`` (in ``P``), ``Π_U e₀ ∈ E`` is its
``E``-part's projection ``w`` of ``e₀``, and ``tr(P(g) Π_U) = Σ_y c_y ⟨P(r_y)⁻¹ P(g)⁻¹ e_y, w⟩``: one more
backward walk per class representative.  At ``g = 1`` this is ``dim U = N ‖w‖²``.

**The component itself** is spun from its condensed vectors: ``U = span{P(g) u : u ∈ U ∩ E}``, grown by
the generators (independence judged in floating point, the basis exact and checked by the caller).

Why: the orbital matrices of ``P`` and the exact nullspace of an ``N × N`` matrix cost ``O(N²)`` memory
and ``O(N³)`` time (M22's 45-dimensional pair, from a source of degree 6160: 529 s and 10 GB); here
everything is ``O(r N)`` and ``O(N D²)`` for a component of dimension ``D``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from reptheory.errors import GroupAxiomError
from reptheory.groups._cayley import _Enumeration

#: Largest ``r · N`` (suborbits times points) condensed: the backward walks store ``r × N`` integers.
MAX_CONDENSED = 1 << 26
#: Random Schreier generators drawn per round, and rounds before a source is given up.
_BATCH, _ROUNDS = 8, 16


@dataclass(frozen=True)
class Condensed:
    """A transitive signed permutation representation condensed onto its ``λ``-fixed vectors (module docstring)."""

    gens: np.ndarray         #: (k, N) permutations of the generators
    inv: np.ndarray          #: (k, N) their inverses
    signs: np.ndarray        #: (k, N) their signs, ``P(s_j) e_x = signs[j, x] e_{gens[j, x]}``
    parent: np.ndarray       #: breadth-first tree: ``r_y = s_{letter[y]} r_{parent[y]}``
    letter: np.ndarray
    c: np.ndarray            #: ``P(r_y) e₀ = c[y] e_y``
    label: np.ndarray        #: the consistent suborbit of each point (−1: none)
    sigma: np.ndarray        #: ``f_O[y] = sigma[y]`` for ``y ∈ O`` (0 off the consistent suborbits)
    reps: np.ndarray         #: the least point of each suborbit (``reps[0] = 0``)
    size: np.ndarray         #: ``|O|``
    row_label: np.ndarray    #: (r, N): the suborbit of ``z`` with ``P(r_y)⁻¹ e_{y_P} = ± e_z``
    row_sign: np.ndarray     #: (r, N): ``c_y · (±) · σ(z)`` (0 where ``z`` is in no consistent suborbit)

    @property
    def rank(self) -> int:
        """``r = dim E``."""
        return int(self.reps.size)

    @property
    def degree(self) -> int:
        """``N``."""
        return int(self.gens.shape[1])

    def hecke(self, x: np.ndarray) -> np.ndarray:
        """``A = D L + Lᵀ D`` (int64, symmetric) for ``X e₀ = Σ_O x_O f_O``: ``S = X + Xᵀ`` acts on ``E`` by ``D⁻¹ A``."""
        r = self.rank
        x = np.asarray(x, dtype=np.int64)
        ok = self.label >= 0
        lab = self.label[ok]
        L = np.empty((r, r), dtype=np.int64)
        for p in range(r):  # L[P, Q] = Σ_{y ∈ Q} σ(y) X[y_P, y]
            w = (self.sigma[ok] * self.row_sign[p, ok] * x[self.row_label[p, ok]]).astype(np.float64)
            L[p] = np.rint(np.bincount(lab, weights=w, minlength=r)).astype(np.int64)
        DL = self.size[:, None] * L
        return DL + DL.T  # type: ignore[no-any-return]

    def expand(self, v: np.ndarray) -> np.ndarray:
        """The vectors ``Σ_O v[O] f_O`` of ``P``'s space for the columns of ``v`` (``r × m``, any dtype)."""
        out = v[np.maximum(self.label, 0)] * self.sigma[:, None].astype(v.dtype if v.dtype != object else np.int64)
        out[self.label < 0] = 0
        return out  # type: ignore[no-any-return]

    def walk_back(self, start: np.ndarray, sign: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``P(r_y)⁻¹ (sign[y] e_{start[y]}) = s e_z`` for every ``y`` at once: ``(z, s)``."""
        return _walk_back(self.inv, self.signs, self.parent, self.letter, start, sign)

    def trace_rows(self, perms: np.ndarray, signs: np.ndarray) -> np.ndarray:
        """``T`` (one row per element ``g``) with ``tr(P(g) Π_U) = T[g] · w`` for ``w = Π_U e₀`` in the orthonormal
        coordinates ``f_O / √|O|`` of ``E``."""
        r = self.rank
        out = np.empty((len(perms), r))
        for i, (q, cq) in enumerate(zip(perms, signs, strict=True)):
            qinv = np.argsort(q)
            z, s = self.walk_back(qinv, cq[qinv])  # P(g)⁻¹ e_y = c_g(g⁻¹y) e_{g⁻¹y}
            lab = self.label[z]
            ok = lab >= 0
            wts = (self.c[ok] * s[ok] * self.sigma[z[ok]]).astype(np.float64)
            out[i] = np.bincount(lab[ok], weights=wts, minlength=r) / np.sqrt(self.size)
        return out


def condense(gens: np.ndarray, signs: np.ndarray, norm: int, rng: np.random.Generator) -> Condensed | None:
    """Condense the transitive signed permutation representation of ``gens``/``signs`` (``norm = ⟨χ, χ⟩``).

    None where it is not transitive, ``r · N > MAX_CONDENSED``, or the random Schreier generators do not
    reach ``norm`` consistent suborbits within their budget.
    """
    gens = np.asarray(gens, dtype=np.int64)
    signs = np.asarray(signs, dtype=np.int64)
    k, n = gens.shape
    if norm * n > MAX_CONDENSED:
        return None
    try:
        tree = _Enumeration(gens.T, 0)  # the Schreier graph of the points: y = s_{letter[y]} · parent[y]
    except GroupAxiomError:
        return None  # not transitive
    parent, letter = np.asarray(tree.parent), np.asarray(tree.letter)
    c = np.ones(n, dtype=np.int64)
    for ys, ps, js in tree.levels:  # P(r_y) e₀ = c_y e_y, r_y = s_j r_parent
        c[ys] = c[ps] * signs[js, ps]
    inv = np.argsort(gens, axis=1)
    found = None
    hs: list[tuple[np.ndarray, np.ndarray]] = []
    for _ in range(_ROUNDS):
        for _ in range(_BATCH):
            hs.append(_schreier(gens, signs, parent, letter, int(rng.integers(n)), int(rng.integers(k))))
        found = _suborbits(hs, n)
        if found is not None and found[2].size == norm:
            break
    else:
        return None
    assert found is not None
    label, sigma, reps = found
    size = np.bincount(label[label >= 0], minlength=reps.size)
    rl = np.empty((reps.size, n), dtype=np.int32)
    rs = np.empty((reps.size, n), dtype=np.int8)
    for p, yp in enumerate(reps.tolist()):  # X[y_P, y] = c_y ⟨P(r_y)⁻¹ e_{y_P}, x⟩
        z, s = _walk_back(inv, signs, parent, letter, np.full(n, yp), np.ones(n, np.int64))
        lab = label[z]
        rl[p] = np.maximum(lab, 0)
        rs[p] = np.where(lab >= 0, c * s * sigma[z], 0)
    return Condensed(gens, inv, signs, parent, letter, c, label, sigma, reps, size, rl, rs)


def _walk_back(inv: np.ndarray, signs: np.ndarray, parent: np.ndarray, letter: np.ndarray, start: np.ndarray,
               sign: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``P(r_y)⁻¹ (sign[y] e_{start[y]}) = s e_z`` for every point ``y`` at once (``r_y = s_{letter[y]} r_{parent[y]}``)."""
    cur = np.arange(start.size)
    z, s = start.astype(np.int64).copy(), sign.astype(np.int64).copy()
    live = np.flatnonzero(cur != 0)
    while live.size:  # P(r_y)⁻¹ = P(r_parent)⁻¹ P(s_letter)⁻¹: peel the last letter first
        j = letter[cur[live]]
        zz = inv[j, z[live]]
        s[live] *= signs[j, zz]
        z[live] = zz
        cur[live] = parent[cur[live]]
        live = live[cur[live] != 0]
    return z, s


def _forward(gens: np.ndarray, signs: np.ndarray, parent: np.ndarray, letter: np.ndarray, y: int
             ) -> tuple[np.ndarray, np.ndarray]:
    """``P(r_y)`` as a signed permutation ``(perm, sign)``: ``P(r_y) e_x = sign[x] e_{perm[x]}``."""
    path = []
    while y != 0:
        path.append(int(letter[y]))
        y = int(parent[y])
    n = gens.shape[1]
    perm, sign = np.arange(n), np.ones(n, dtype=np.int64)
    for j in reversed(path):  # r_y = s_{j_m} ⋯ s_{j_1}: apply s_{j_1} first
        sign = sign * signs[j, perm]
        perm = gens[j, perm]
    return perm, sign


def _schreier(gens: np.ndarray, signs: np.ndarray, parent: np.ndarray, letter: np.ndarray, y: int, j: int) -> tuple[np.ndarray, np.ndarray]:
    """The Schreier generator ``h = r_t⁻¹ s_j r_y`` (``t = s_j y``) of the stabiliser of 0, as a signed permutation."""
    perm, sign = _forward(gens, signs, parent, letter, y)
    sign = sign * signs[j, perm]
    perm = gens[j, perm]
    pt, st = _forward(gens, signs, parent, letter, int(gens[j, y]))
    inv = np.empty_like(pt)
    inv[pt] = np.arange(pt.size)
    sign = sign * st[inv[perm]]  # P(r_t)⁻¹ e_{pt[x]} = st[x] e_x
    return inv[perm], sign


def _suborbits(hs: list[tuple[np.ndarray, np.ndarray]], n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """The consistent orbits of the signed permutations ``hs`` (which fix 0): ``(label, sigma, reps)``.

    A vector fixed up to ``λ(h) = sign_h(0)`` satisfies ``v_{h(y)} = λ(h) sign_h(y) v_y``: an edge of parity
    ``[λ(h) sign_h(y) = −1]``.  An orbit is consistent when the parities along a spanning tree agree with
    every edge.
    """
    import scipy.sparse as sp
    from scipy.sparse.csgraph import breadth_first_order, connected_components

    a = np.concatenate([np.arange(n)] * len(hs))
    b = np.concatenate([p for p, _ in hs])
    par = np.concatenate([(s * s[0] < 0).astype(np.int64) for _, s in hs])
    g = sp.coo_matrix((np.ones(a.size), (a, b)), shape=(n, n)).tocsr()
    ncomp, comp = connected_components(g, directed=True, connection="weak")
    roots = np.full(ncomp, n, dtype=np.int64)
    np.minimum.at(roots, comp, np.arange(n))  # the least point of each orbit
    # a spanning forest: one breadth-first search from a virtual root joined to every orbit's least point
    rows = np.concatenate([a, b, np.full(ncomp, n)])
    cols = np.concatenate([b, a, roots])
    tree = sp.coo_matrix((np.ones(rows.size), (rows, cols)), shape=(n + 1, n + 1)).tocsr()
    order, pred = breadth_first_order(tree, n, directed=True, return_predecessors=True)
    keys = np.concatenate([a * n + b, b * n + a])
    pars = np.concatenate([par, par])
    srt = np.argsort(keys, kind="stable")
    keys, pars = keys[srt], pars[srt]
    via = np.full(n + 1, -1, dtype=np.int64)  # the parity of the tree edge into each point
    inner = order[1:][pred[order[1:]] != n]
    via[inner] = pars[np.searchsorted(keys, pred[inner] * n + inner)]
    parity = np.zeros(n + 1, dtype=np.int64)
    for v in order[1:].tolist():  # breadth-first: the predecessor is done
        u = int(pred[v])
        if u != n:
            parity[v] = parity[u] ^ via[v]
    bad = np.zeros(ncomp, dtype=bool)
    bad[comp[a[(parity[a] ^ parity[b] ^ par) != 0]]] = True
    if bad[comp[0]]:
        return None  # pragma: no cover - 0 is fixed by every h with sign λ(h)
    good = np.flatnonzero(~bad)
    good = good[np.argsort(roots[good])]
    new = np.full(ncomp, -1, dtype=np.int64)
    new[good] = np.arange(good.size)
    label = new[comp]
    sigma = np.where(label >= 0, 1 - 2 * parity[:n], 0)
    return label, sigma, roots[good]


def inner_norm(chi: np.ndarray, sizes: np.ndarray, order: int) -> int:
    """``⟨χ, χ⟩ = Σ_c |C_c| χ_c² / |G|`` for an integer character at the classes."""
    total = sum(int(s) * round(float(x)) ** 2 for s, x in zip(sizes, chi, strict=True))
    return total // int(order)


def spin(cond: Condensed, start: np.ndarray, extra: np.ndarray | None, dim: int) -> tuple[np.ndarray, Any] | None:
    """A basis (``N × dim``, exact integers) of the ``G``-span of the columns of ``start``, grown by the generators,
    and the same words applied to the columns of ``extra`` (``S`` times the start vectors); None if the span is
    not ``dim``-dimensional.

    Independence is judged on floats (relative residual ``> 1e-8``); the caller proves it exactly.
    """
    n = cond.degree
    Q = np.zeros((n, dim))
    basis: list[np.ndarray] = []
    images: list[np.ndarray] = []
    queue = [(start[:, i], None if extra is None else extra[:, i]) for i in range(start.shape[1])]
    pos = 0

    def residual(v: np.ndarray, k: int) -> np.ndarray:  # v's unit vector less its projection on the basis so far
        f = np.array([float(a) for a in v]) if v.dtype == object else v.astype(np.float64)
        f /= max(float(np.linalg.norm(f)), 1e-300)
        for _ in range(2):  # twice is enough (Kahan)
            f -= Q[:, :k] @ (Q[:, :k].T @ f)
        return f

    while pos < len(queue) and len(basis) < dim:
        v, sv = queue[pos]
        pos += 1
        k = len(basis)
        f = residual(v, k)
        res = float(np.linalg.norm(f))
        if res < 1e-8:
            continue
        Q[:, k] = f / res
        basis.append(v)
        if sv is not None:
            images.append(sv)
        for j in range(cond.gens.shape[0]):
            w = np.empty_like(v)
            w[cond.gens[j]] = v * cond.signs[j]  # P(s) e_x = c(x) e_{s(x)}
            sw = None
            if sv is not None:
                sw = np.empty_like(sv)
                sw[cond.gens[j]] = sv * cond.signs[j]
            queue.append((w, sw))
    if len(basis) != dim:
        return None
    # closed under the generators (else the span is larger: not the component): the images of the basis vectors
    # not yet tested are the rest of the queue
    if any(float(np.linalg.norm(residual(v, dim))) >= 1e-8 for v, _ in queue[pos:]):
        return None
    B = np.stack(basis, axis=1)
    return B, (np.stack(images, axis=1) if extra is not None else None)
