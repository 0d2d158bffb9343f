"""Canonical images of point tuples under a permutation group, and the trajectory invariant of elements.

The canonical image of a tuple ``(p_1, …, p_k)`` under ``G`` is its lexicographically least
image: ``p_1`` is moved to the least point ``m_1`` of its ``G``-orbit, then ``p_2`` to the least
point of its orbit under the stabiliser ``G_{m_1}``, and so on.  Two tuples lie in one
``G``-orbit exactly when their canonical images agree.  Each stabiliser met on the way is a
node: its generators (from a stabiliser chain whose base starts at the fixed point, certified
by the known order), the least point of every orbit and, for each point, an element moving it
there.  Nodes are built on first use and kept on the object; their number is the number of
``G``-orbits on the tuple prefixes met, at most `MAX_NODES`.

**Trajectory invariant.**  For an element ``x``, the multiset over the points ``α`` of the
canonical images of ``(α, xα, …, x^{k-1}α)``.  Conjugating ``x`` by ``h ∈ G`` maps the
trajectory of ``α`` to ``h`` applied to the trajectory of ``x`` at ``h⁻¹α``, so conjugate
elements have equal invariants.  Unlike any permutation character it separates classes of
one rational class: in PSL(2, q) on the projective line the orbit of ``(α, xα, x²α, x³α)``
carries the cross-ratio, a function of the trace of ``x``.
"""

from __future__ import annotations

import numpy as np

from reptheory.groups._schreier_sims import Chain

__all__: list[str] = []

#: Most stabiliser nodes kept (beyond it `TupleOrbits.canonical` returns None).
MAX_NODES = 512
#: Bytes all nodes together may hold (two ``n × n`` int64 tables each); lowers `MAX_NODES` at large degree.
MAX_BYTES = 256 * 2**20


class _Node:
    """One stabiliser: least point of each orbit (``low``) and, per point, an element moving it there (``to_low``)."""

    def __init__(self, gens: np.ndarray, n: int, order: int) -> None:
        self.gens = gens
        self.order = order
        low = np.full(n, -1, dtype=np.int64)
        # forward transversal: V[p] maps the orbit's least point to p (BFS from each least point)
        V = np.empty((n, n), dtype=np.int64)
        ident = np.arange(n, dtype=np.int64)
        self.orbit_size = np.zeros(n, dtype=np.int64)
        for m in range(n):
            if low[m] >= 0:
                continue
            low[m] = m
            V[m] = ident
            members = [m]
            frontier = np.array([m])
            while frontier.size:
                new = []
                for s in gens:
                    img = s[frontier]
                    fresh = low[img] < 0
                    if fresh.any():
                        pts, idx = np.unique(img[fresh], return_index=True)
                        src = frontier[fresh][idx]
                        low[pts] = m
                        V[pts] = s[V[src]]  # s · V[src] maps m to s(src) = pt
                        new.append(pts)
                        members.extend(pts.tolist())
                frontier = np.concatenate(new) if new else np.empty(0, dtype=np.int64)
            self.orbit_size[members] = len(members)
        self.low = low
        self.to_low = np.argsort(V, axis=1)  # V[p]⁻¹ maps p to low[p]
        self.children: dict[int, _Node] = {}


class TupleOrbits:
    """Canonical images of ``k``-tuples of points under the group of a stabiliser chain."""

    def __init__(self, ch: Chain) -> None:
        self.ch = ch
        self.n = ch.n
        self.max_nodes = max(1, min(MAX_NODES, MAX_BYTES // (16 * ch.n * ch.n)))
        self.root = _Node(ch.gens_array, ch.n, ch.order)
        self.nodes = 1

    def _child(self, node: _Node, m: int) -> _Node | None:
        c = node.children.get(m)
        if c is None:
            if self.nodes >= self.max_nodes:
                return None
            order = node.order // int(node.orbit_size[m])
            if order == 1:
                gens = np.arange(self.n, dtype=np.int64)[None, :]
            else:
                sub = Chain.build(node.gens, self.n, base_prefix=(m,), order=node.order)
                lv = sub.level_gens(1)
                gens = np.stack(lv) if lv else np.arange(self.n, dtype=np.int64)[None, :]
            c = _Node(gens, self.n, order)
            node.children[m] = c
            self.nodes += 1
        return c

    def canonical(self, T: np.ndarray) -> np.ndarray | None:
        """The canonical image of every row of ``T`` (shape (r, k)), or None past the node limit."""
        T = np.array(T, dtype=np.int64, copy=True)
        out = np.empty_like(T)
        if not self._canon(self.root, T, np.arange(len(T)), 0, out):
            return None
        return out

    def _canon(self, node: _Node, T: np.ndarray, rows: np.ndarray, j: int, out: np.ndarray) -> bool:
        k = T.shape[1]
        p = T[:, j]
        T = node.to_low[p[:, None], T]  # apply the element moving p to its least point (only the k entries)
        if j == k - 1:
            out[rows] = T
            return True
        m = T[:, j]
        for v in np.unique(m).tolist():
            sel = m == v
            child = self._child(node, v)
            if child is None or not self._canon(child, T[sel], rows[sel], j + 1, out):
                return False
        return True

    def trajectory_keys(self, X: np.ndarray, k: int = 4) -> list[bytes] | None:
        """The trajectory invariant (module docstring) of every row of ``X`` (shape (m, n)) as bytes,
        or None past the node limit."""
        X = np.atleast_2d(np.asarray(X, dtype=np.int64))
        m, n = X.shape
        T = np.empty((m, n, k), dtype=np.int64)
        T[:, :, 0] = np.arange(n)
        for j in range(1, k):
            T[:, :, j] = np.take_along_axis(X, T[:, :, j - 1], axis=1)
        C = self.canonical(T.reshape(m * n, k))
        if C is None:
            return None
        code = np.zeros(m * n, dtype=np.int64)
        for j in range(k):
            code = code * n + C[:, j]
        return [row.tobytes() for row in np.sort(code.reshape(m, n), axis=1)]
