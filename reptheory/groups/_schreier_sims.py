"""Stabiliser chains of permutation groups (deterministic Schreier–Sims) and backtrack search.

Permutations are ``int64`` arrays ``p`` with ``p[x]`` the image of ``x``; the product is
``(g · h)(x) = g(h(x))``, i.e. ``g[h]``, as everywhere in `reptheory.groups`.

A *stabiliser chain* for the base ``b_0, …, b_{k-1}`` stores, for every level ``i``, the
strong generators fixing ``b_0 … b_{i-1}``, the orbit ``Δ_i`` of ``b_i`` under them and an
explicit transversal: ``U_i[j]`` maps ``b_i`` to ``Δ_i[j]`` (and its inverse).  Then
``|G| = Π_i |Δ_i|`` and every element is uniquely ``u_0 · u_1 ⋯ u_{k-1}`` with ``u_i ∈ U_i``
(docs/explanation/routes.md#permutation-groups).  Memory is ``Σ_i |Δ_i| · n`` integers, at
most ``n³`` for degree ``n``, never proportional to ``|G|``.

The backtrack search (`search`) looks for ``g ∈ G`` with ``g x g⁻¹ = y`` along the chain:
the image of ``b_i`` is chosen in ``t(Δ_i)`` (``t`` the product of the transversal elements
chosen above), and each choice fixes ``g`` on a whole cycle of ``x`` through the constraint
``g(x(p)) = y(g(p))``, which prunes every later choice.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import numpy as np

__all__: list[str] = []


class Chain:
    """A base and strong generating set with explicit transversals (see the module docstring)."""

    def __init__(self, degree: int) -> None:
        self.n = degree
        self.base: list[int] = []
        self.gens: list[np.ndarray] = []  # strong generators
        self.fix_depth: list[int] = []  # gens[s] fixes base[:fix_depth[s]] (and moves base[fix_depth[s]])
        self.orbits: list[np.ndarray] = []
        self.pos: list[np.ndarray] = []  # pos[i][pt] = index in orbits[i], -1 outside
        self.U: list[np.ndarray] = []
        self.Uinv: list[np.ndarray] = []
        self.active: list[int] = []
        self._orbit_lists: list[list[int]] = []

    # ----------------------------------------------------------------- data
    @property
    def order(self) -> int:
        out = 1
        for o in self.orbits:
            out *= len(o)
        return out

    @property
    def gens_array(self) -> np.ndarray:
        return np.stack(self.gens) if self.gens else np.arange(self.n, dtype=np.int64)[None, :]

    @property
    def lists(self) -> tuple[list[list[list[int]]], list[list[list[int]]], list[list[int]]]:
        """Transversals, their inverses and orbit positions as Python lists (fast single-element work)."""
        key = tuple(len(o) for o in self.orbits)
        if getattr(self, "_lists_key", None) != key:
            self._lists = ([u.tolist() for u in self.U], [u.tolist() for u in self.Uinv], [p.tolist() for p in self.pos])
            self._orbit_lists = [o.tolist() for o in self.orbits]
            self.active = [i for i, o in enumerate(self.orbits) if len(o) > 1]  # levels with a choice
            self._lists_key = key
        return self._lists

    def contains_list(self, g: list[int]) -> bool:
        """Membership of one permutation given as a list (sifting in pure Python, skipping trivial levels)."""
        _, Uinv, pos = self.lists
        base = self.base
        for i in self.active:
            j = pos[i][g[base[i]]]
            if j < 0:
                return False
            u = Uinv[i][j]
            g = [u[v] for v in g]
        return all(v == p for p, v in enumerate(g))

    def level_gens(self, i: int) -> list[np.ndarray]:
        """Strong generators fixing ``base[:i]``."""
        return [g for g, d in zip(self.gens, self.fix_depth, strict=True) if d >= i]

    # ----------------------------------------------------------------- building
    def _orbit(self, i: int) -> None:
        n = self.n
        b = self.base[i]
        gens = self.level_gens(i)
        pos = np.full(n, -1, dtype=np.int64)
        pos[b] = 0
        pts = [b]
        trans = [np.arange(n, dtype=np.int64)]
        frontier = [0]
        while frontier:
            nxt = []
            for j in frontier:
                u = trans[j]
                d = pts[j]
                for s in gens:
                    c = int(s[d])
                    if pos[c] < 0:
                        pos[c] = len(pts)
                        pts.append(c)
                        trans.append(s[u])
                        nxt.append(len(pts) - 1)
            frontier = nxt
        U = np.stack(trans)
        Uinv = np.empty_like(U)
        np.put_along_axis(Uinv, U, np.broadcast_to(np.arange(n), U.shape), axis=1)
        self.orbits[i] = np.asarray(pts, dtype=np.int64)
        self.pos[i] = pos
        self.U[i] = U
        self.Uinv[i] = Uinv

    def _add_level(self, point: int) -> None:
        self.base.append(int(point))
        self.orbits.append(np.empty(0, dtype=np.int64))
        self.pos.append(np.empty(0, dtype=np.int64))
        self.U.append(np.empty((0, self.n), dtype=np.int64))
        self.Uinv.append(np.empty((0, self.n), dtype=np.int64))

    def _depth(self, g: np.ndarray) -> int:
        """Number of leading base points fixed by ``g`` (extending the base if it fixes all)."""
        for i, b in enumerate(self.base):
            if g[b] != b:
                return i
        moved = np.flatnonzero(g != np.arange(self.n))
        self._add_level(int(moved[0]))
        return len(self.base) - 1

    def sift(self, H: np.ndarray, start: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """Sift the rows of ``H`` (shape (m, n)) from level ``start``: residues and drop levels.

        ``drop[j] = len(base)`` when row ``j`` sifted through every level (its residue then
        fixes the whole base); otherwise the level where its image of the base point left the orbit.
        """
        H = np.array(H, dtype=np.int64, copy=True)
        m = H.shape[0]
        drop = np.full(m, len(self.base), dtype=np.int64)
        active = np.arange(m)
        for i in range(start, len(self.base)):
            if not active.size:
                break
            img = H[active, self.base[i]]
            p = self.pos[i][img]
            bad = p < 0
            drop[active[bad]] = i
            active = active[~bad]
            p = p[~bad]
            if active.size:
                H[active] = np.take_along_axis(self.Uinv[i][p], H[active], axis=1)
        return H, drop

    def contains(self, g: np.ndarray) -> bool:
        H, drop = self.sift(g[None, :])
        return bool(drop[0] == len(self.base) and np.array_equal(H[0], np.arange(self.n)))

    @classmethod
    def build(cls, gens: np.ndarray, degree: int, base_prefix: tuple[int, ...] = (), *, verify: bool = True,
              stop_above: int | None = None, order: int | None = None) -> Chain:
        """Deterministic Schreier–Sims (every Schreier generator of every level sifts to 1).

        A random phase comes first (it only saves time).  ``verify=False`` stops after it: the
        chain may then be incomplete and its ``order`` is a *lower bound* of ``|G|`` (its basic
        orbits are subsets of the true ones); ``stop_above`` ends the random phase as soon as that
        bound exceeds it.

        ``order``: ``|G|``, when already proven (e.g. by another chain of the same group).  The
        product of the basic orbit lengths of a partial chain is at most ``|G|``, with equality
        exactly when every level's stabiliser is generated by the next level's generators, so a
        random phase that reaches ``order`` proves the chain complete and the deterministic
        phase is skipped.
        """
        ch = cls(degree)
        ident = np.arange(degree, dtype=np.int64)
        for b in base_prefix:
            ch._add_level(int(b))
        for g in gens:
            g = np.asarray(g, dtype=np.int64)
            if np.array_equal(g, ident) or any(np.array_equal(g, h) for h in ch.gens):
                continue
            ch.fix_depth.append(ch._depth(g))
            ch.gens.append(g)
        for i in range(len(ch.base)):
            ch._orbit(i)
        if ch.gens:
            ch._random_phase(degree, stop_above if order is None else order - 1, patient=order is not None)
        if not verify or (order is not None and ch.order == order):
            return ch
        i = len(ch.base) - 1
        while i >= 0:
            new = ch._schreier_residue(i)
            if new is None:
                i -= 1
                continue
            h, j = new
            if j == len(ch.base):
                j = ch._depth(h)
            ch.gens.append(h)
            ch.fix_depth.append(j)
            for lv in range(i + 1, j + 1):
                ch._orbit(lv)
            i = j
        return ch

    def _random_phase(self, degree: int, stop_above: int | None = None, patient: bool = False) -> None:
        """Random Schreier–Sims: sift random elements (product replacement) and keep their residues.

        Stops after 30 consecutive random elements sift to the identity (100 when ``patient``: the
        order to reach is known).  Only a speed-up: the deterministic phase that follows proves the
        chain complete whatever this phase found.
        """
        rng = np.random.default_rng(0x5C4E1E)
        state = [g.copy() for g in self.gens]
        while len(state) < 10:
            state.extend(g.copy() for g in self.gens)
        state = state[:max(10, len(self.gens))]
        acc = np.arange(degree, dtype=np.int64)
        ident = np.arange(degree, dtype=np.int64)
        misses = 0
        steps = 0
        max_misses = 100 if patient else 30
        while misses < max_misses and steps < 20000:
            if stop_above is not None and self.order > stop_above:
                return
            steps += 1
            a, b = rng.choice(len(state), size=2, replace=False)
            state[a] = state[a][state[b]] if rng.random() < 0.5 else state[b][state[a]]
            acc = acc[state[a]]
            if steps <= 50:
                continue  # mixing
            R, drop = self.sift(acc[None, :])
            h, j = R[0], int(drop[0])
            if j == len(self.base) and np.array_equal(h, ident):
                misses += 1
                continue
            misses = 0
            if j == len(self.base):
                j = self._depth(h)
            self.gens.append(h)
            self.fix_depth.append(j)
            for lv in range(1, j + 1):
                self._orbit(lv)

    def _schreier_residue(self, i: int) -> tuple[np.ndarray, int] | None:
        """A non-trivial residue of a Schreier generator of level ``i`` (sifted from ``i + 1``), or None."""
        U, Uinv, pos = self.U[i], self.Uinv[i], self.pos[i]
        ident = np.arange(self.n)
        for s in self.level_gens(i):
            sU = s[U]  # s · u_δ for every δ
            img = pos[sU[:, self.base[i]]]
            H = np.take_along_axis(Uinv[img], sU, axis=1)  # u_{s(δ)}⁻¹ · s · u_δ
            H = H[~(H == ident).all(axis=1)]
            if not H.size:
                continue
            R, drop = self.sift(H, i + 1)
            bad = (drop < len(self.base)) | ~(R == ident).all(axis=1)
            if bad.any():
                j = int(np.flatnonzero(bad)[0])
                return R[j], int(drop[j])
        return None

    # ----------------------------------------------------------------- elements
    def random(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """``size`` uniformly random elements (rows): products of random transversal elements."""
        out = np.broadcast_to(np.arange(self.n, dtype=np.int64), (size, self.n)).copy()
        for i in range(len(self.base) - 1, -1, -1):
            j = rng.integers(0, len(self.orbits[i]), size=size)
            out = np.take_along_axis(self.U[i][j], out, axis=1)  # u_i · (rest)
        return out


# =========================================================================== search
def cycle_index(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each point, the index of its cycle under ``x`` and that cycle's length."""
    n = len(x)
    cyc = np.full(n, -1, dtype=np.int64)
    length = np.zeros(n, dtype=np.int64)
    c = 0
    xl = x.tolist()
    for p in range(n):
        if cyc[p] >= 0:
            continue
        pts = [p]
        q = xl[p]
        while q != p:
            pts.append(q)
            q = xl[q]
        cyc[pts] = c
        length[pts] = len(pts)
        c += 1
    return cyc, length



def cycle_type(x: Any) -> tuple[int, ...]:
    """The cycle lengths of the permutation ``x`` (fixed points included), largest first."""
    cyc, length = cycle_index(np.asarray(x, dtype=np.int64))
    _, first = np.unique(cyc, return_index=True)
    return tuple(sorted(length[first].tolist(), reverse=True))


def permutation_sign(x: Any) -> int:
    """``sgn(x) = (−1)^{Σ_c (|c| − 1)}`` over the cycles ``c`` of ``x``."""
    return -1 if sum(c - 1 for c in cycle_type(x)) % 2 else 1

def search(ch: Chain, x: np.ndarray, y: np.ndarray, **kw: Any) -> np.ndarray | None:
    """An element ``g`` with ``g x g⁻¹ = y`` (see `search_steps` for the keywords), or None."""
    it = search_steps(ch, x, y, **kw)
    while True:
        try:
            next(it)
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]


def first_conjugate(chains: list[Chain], reps: list[np.ndarray], x: np.ndarray, rep_lens: list[list[int]], xlen: list[int]) -> int:
    """The index ``j`` of the one ``reps[j]`` conjugate to ``x``, by running the searches side by side (-1: none).

    ``chains[j]`` is a chain of the group with a base along the cycles of ``reps[j]`` (the search
    is for ``h`` with ``h r_j h⁻¹ = x``).  A failing search is exhaustive and can cost far more
    than a successful one; when exactly one candidate is conjugate, interleaving costs about
    ``len(reps)`` successful searches.
    """
    its = {j: search_steps(chains[j], y, x, xlen=rep_lens[j], ylen=xlen) for j, y in enumerate(reps)}
    while its:
        for j in list(its):
            try:
                next(its[j])
            except StopIteration as stop:
                if stop.value is not None:
                    return j
                del its[j]
    return -1


def search_steps(
    ch: Chain,
    x: np.ndarray,
    y: np.ndarray,
    *,
    level: int = 0,
    fixed: tuple[int, ...] = (),
    xlen: list[int] | None = None,
    ylen: list[int] | None = None,
) -> Generator[None, None, np.ndarray | None]:
    """An element ``g`` of the level-``level`` stabiliser with ``g x g⁻¹ = y`` and ``g(p) = p`` for ``p`` in ``fixed``.

    ``xlen``, ``ylen``: the cycle length through each point, when known.  Returns None when no
    such element exists (the search is exhaustive).  Once the propagated images cover every
    point, the candidate is the permutation itself and one membership test decides the branch.
    """
    n = ch.n
    xl = x.tolist()
    yl = y.tolist()
    xlen_l = xlen if xlen is not None else cycle_index(x)[1].tolist()
    ylen_l = ylen if ylen is not None else cycle_index(y)[1].tolist()
    pi = [-1] * n
    used = [False] * n

    def assign(p: int, c: int, undo: list[int]) -> bool:
        # g(p) = c forces g(x^j p) = y^j c along the cycle of p
        if xlen_l[p] != ylen_l[c]:
            return False
        for _ in range(xlen_l[p]):
            if pi[p] >= 0:
                if pi[p] != c:
                    return False
            else:
                if used[c]:
                    return False
                pi[p] = c
                used[c] = True
                undo.append(p)
            p = xl[p]
            c = yl[c]
        return True

    def release(undo: list[int]) -> None:
        for p in undo:
            used[pi[p]] = False
            pi[p] = -1

    def total() -> np.ndarray | None:
        # every point has its image: the only candidate in this branch
        return np.array(pi, dtype=np.int64) if ch.contains_list(pi) else None

    start: list[int] = []
    for p in fixed:
        if not assign(int(p), int(p), start):
            release(start)
            return None
    base = ch.base
    U, Uinv, pos = ch.lists
    orbits = ch._orbit_lists
    # levels with a trivial orbit impose no choice: skipped (the leaf check covers them)
    levels = [i for i in ch.active if i >= level]
    k = len(levels)

    def rec(li: int, t: list[int], tinv: list[int]) -> Generator[None, None, np.ndarray | None]:
        yield None
        if li == k:
            ok = all(t[xl[p]] == yl[t[p]] for p in range(n))
            return np.array(t, dtype=np.int64) if ok else None
        i = levels[li]
        b = base[i]
        posi = pos[i]
        forced = pi[b] >= 0
        if forced:
            d = tinv[pi[b]]
            if posi[d] < 0:
                return None
            cands = [d]
        else:
            cands = orbits[i]
        for d in cands:
            c = t[d]
            undo: list[int] = []
            if not forced:
                if used[c] or not assign(b, c, undo):
                    release(undo)
                    continue
                if -1 not in pi:
                    r = total()
                    release(undo)
                    if r is not None:
                        return r
                    continue
            u = U[i][posi[d]]
            ui = Uinv[i][posi[d]]
            r = yield from rec(li + 1, [t[v] for v in u], [ui[v] for v in tinv])
            release(undo)
            if r is not None:
                return r
        return None

    try:
        if -1 not in pi:
            return total()
        yield None
        ident = list(range(n))
        return (yield from rec(0, ident, ident))
    finally:
        release(start)


def adapted_chain(ch: Chain, x: np.ndarray) -> Chain:
    """A chain of the same group whose base runs along the cycles of ``x``, longest cycle first.

    Searches for ``h`` with ``h x h⁻¹ = y`` (or ``h`` centralising ``x``) on it branch only on
    the image of the first point of each cycle: the rest of the cycle follows from
    ``h(x(p)) = y(h(p))``.  The known order of ``ch`` certifies the new chain (`Chain.build`).
    """
    xl = [int(v) for v in x.tolist()]
    lens = cycle_index(x)[1].tolist()
    order: list[int] = []
    seen = [False] * ch.n
    for p in sorted(range(ch.n), key=lambda p: -lens[p]):
        while not seen[p]:
            seen[p] = True
            order.append(p)
            p = xl[p]
    return Chain.build(ch.gens_array, ch.n, base_prefix=tuple(order), order=ch.order)


def centraliser_order(ch: Chain, x: np.ndarray) -> tuple[int, list[np.ndarray]]:
    """``|C_G(x)|`` as a product of orbit lengths, by subgroup search along the chain, and generators.

    Level by level from the bottom: ``C^{(i)} = C ∩ G^{(i)}`` has ``|C^{(i)}| = |C^{(i+1)}| · |b_i^{C^{(i)}}|``;
    the orbit of ``b_i`` is grown by searching, for one point ``δ`` of each ``C^{(i+1)}``-orbit
    on ``Δ_i`` not yet reached, an element of ``C^{(i)}`` mapping ``b_i`` to ``δ``
    (a failure rules out that whole ``C^{(i+1)}``-orbit).  ``x`` itself is a known element of
    ``C^{(d)}`` (``d`` the number of leading base points it fixes): its cycle through ``b_d`` is
    reached without a search.  The searches are cheapest on a chain from `adapted_chain`.
    """
    n = ch.n
    k = len(ch.base)
    gens: list[tuple[np.ndarray, int]] = []  # (element, number of leading base points fixed)
    x = np.asarray(x, dtype=np.int64)
    d0 = next((i for i, b in enumerate(ch.base) if x[b] != b), None)
    if d0 is not None:
        gens.append((x, d0))
    order = 1
    _, xlen = cycle_index(x)
    xlen_l = xlen.tolist()
    for i in range(k - 1, -1, -1):
        b = ch.base[i]
        lower = [g for g, d in gens if d >= i + 1]
        # points reachable: same cycle length as b under x, inside Delta_i
        cand = [int(d) for d in ch.orbits[i].tolist() if xlen[d] == xlen[b]]
        orbit = _orbit_points(b, [g for g, d in gens if d >= i], n)
        dead = np.zeros(n, dtype=bool)
        for d in cand:
            if orbit[d] or dead[d]:
                continue
            g = _search_from(ch, x, i, d, xlen_l)
            if g is None:
                dead |= _orbit_points(d, lower, n)
            else:
                gens.append((g, i))
                orbit = _orbit_points(b, [h for h, dd in gens if dd >= i], n)
        order *= int(orbit.sum())
    return order, [g for g, _ in gens]


def _search_from(ch: Chain, x: np.ndarray, i: int, d: int, xlen: list[int] | None = None) -> np.ndarray | None:
    """An element of ``G^{(i)}`` centralising ``x`` and mapping ``b_i`` to ``d``."""
    posi = ch.pos[i]
    t0 = ch.U[i][posi[d]]
    n = ch.n
    fixed = tuple(ch.base[:i])
    # g = u_d · h with h in G^{(i+1)}: search h with (u_d h) x (u_d h)^-1 = x, i.e. h x h^-1 = u_d^-1 x u_d
    tinv = np.empty(n, dtype=np.int64)
    tinv[t0] = np.arange(n)
    y = tinv[x[t0]]
    xl = xlen if xlen is not None else cycle_index(x)[1].tolist()
    h = search(ch, x, y, level=i + 1, fixed=fixed + (ch.base[i],), xlen=xl, ylen=[xl[v] for v in t0.tolist()])
    return None if h is None else t0[h]


def _orbit_points(b: int, gens: list[np.ndarray], n: int) -> np.ndarray:
    seen = np.zeros(n, dtype=bool)
    seen[b] = True
    stack = [b]
    gl = [g.tolist() for g in gens]
    while stack:
        p = stack.pop()
        for g in gl:
            q = g[p]
            if not seen[q]:
                seen[q] = True
                stack.append(q)
    return seen
