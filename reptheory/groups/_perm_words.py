"""Elements of a permutation group as straight-line programs in its generators (never enumerated).

A representation of a [`PermutationGroup`][reptheory.groups.permutation.PermutationGroup] is known
by the images ``ρ(s_j)`` of its generators only.  To evaluate ``ρ(g)`` at an arbitrary element
(for instance at the class representatives, for the character) ``g`` must be written through the
generators.  A *straight-line program* does that without words of exponential length: slots
``0 … k-1`` hold the generators, ``k … 2k-1`` their inverses, and every instruction ``(a, b)``
appends the slot ``a · b``.  Each product is created together with its inverse
``b⁻¹ · a⁻¹``, so inverses never need a matrix inversion.

The program comes from a second stabiliser chain along the base of the group's verified chain
(docs/explanation/routes.md#permutation-groups): for every level ``i`` a few elements ``T_i`` of
the point stabiliser ``G^{(i)}``, each a slot, whose orbit of ``b_i`` is the whole basic orbit
``Δ_i``.  They are the sifted residues of pseudo-random elements (product replacement on slots),
added until every orbit has its known length; then every ``g ∈ G`` factors as
``u_0 u_1 ⋯ u_{k-1}`` with ``u_i`` in the Schreier tree of ``T_i`` (``u_i`` maps ``b_i`` to the
image of ``b_i`` under ``u_{i-1}⁻¹ ⋯ u_0⁻¹ g``), so ``|G| = Π |Δ_i|`` proves the chain complete.
Every transversal element is one instruction from its parent in the tree.  Memory is
``O(slots · n)``, never proportional to ``|G|``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from reptheory.errors import ConvergenceError, InvalidArgumentError
from reptheory.groups._schreier_sims import Chain

__all__ = ["StraightLineProgram"]

#: Pseudo-random elements tried before giving up on completing the chain of programs.
_MAX_RANDOM = 20_000
#: Product-replacement state size and mixing steps.
_STATE = 10
_MIX = 40


@dataclass(frozen=True)
class StraightLineProgram:
    """A program computing group elements from the generators and their inverses.

    Attributes
    ----------
    num_generators : int
        ``k``: slots ``0 … k-1`` are the generators, ``k … 2k-1`` their inverses.
    instructions : ndarray, shape (m, 3)
        Row ``(c, a, b)``: slot ``c`` is ``slot a · slot b`` (``a``, ``b`` computed before ``c``).
    outputs : ndarray, shape (q,)
        The slots holding the requested elements, in the order asked for.

    Examples
    --------
    >>> from reptheory.groups import permutation_group
    >>> G = permutation_group([[1, 2, 0, 3], [0, 2, 3, 1]])  # A4
    >>> prog = G.straight_line_program([[2, 0, 1, 3]])
    >>> out = prog.evaluate(lambda x, y: x[y], list(G.generators) + [np.argsort(g) for g in G.generators])
    >>> out[0].tolist()
    [2, 0, 1, 3]
    """

    num_generators: int
    instructions: np.ndarray
    outputs: np.ndarray

    def evaluate(self, mul: object, inputs: list[object]) -> list[object]:
        """Run the program: ``inputs`` are the images of the generators then of their inverses.

        ``mul(x, y)`` is the product of two values; slots are released after their last use,
        so at most the live values are held at once.

        Raises
        ------
        InvalidArgumentError
            ``inputs`` does not hold ``2k`` values.
        """
        k = self.num_generators
        if len(inputs) != 2 * k:
            raise InvalidArgumentError(f"inputs must hold {2 * k} values (generators, then inverses), got {len(inputs)}")
        last: dict[int, int] = {}
        for t, (_, a, b) in enumerate(self.instructions.tolist()):
            last[a] = t
            last[b] = t
        keep = set(self.outputs.tolist())
        vals: dict[int, object] = dict(enumerate(inputs))
        for t, (c, a, b) in enumerate(self.instructions.tolist()):
            vals[c] = mul(vals[a], vals[b])  # type: ignore[operator]
            for s in {a, b}:
                if last.get(s) == t and s not in keep and s >= 2 * k:
                    del vals[s]
        return [vals[s] for s in self.outputs.tolist()]


class ProgramChain:
    """The chain of programs of one group (see the module docstring); built once per group."""

    def __init__(self, ch: Chain, gens: np.ndarray, rng: np.random.Generator) -> None:
        self.n = ch.n
        k = len(gens)
        self.k = k
        self.perms: list[np.ndarray] = [g.astype(np.int64) for g in gens] + [np.argsort(g) for g in gens]
        self.inv: list[int] = list(range(k, 2 * k)) + list(range(k))
        self.instr: list[tuple[int, int, int]] = []
        self.base = list(ch.base)
        self.target = [len(o) for o in ch.orbits]
        L = len(self.base)
        self.T: list[list[int]] = [[] for _ in range(L)]
        self.tree: list[dict[int, tuple[int, int]]] = [{b: (-1, -1)} for b in self.base]  # point -> (parent, T slot)
        self.slot_of: list[dict[int, int]] = [{} for _ in range(L)]  # transversal slots, built lazily
        self._fill(rng)

    # ----------------------------------------------------------------- slots
    def mul(self, a: int, b: int) -> int:
        """A new slot ``a · b`` (and its inverse ``b⁻¹ · a⁻¹``)."""
        c = len(self.perms)
        self.perms.append(self.perms[a][self.perms[b]])
        self.perms.append(self.perms[self.inv[b]][self.perms[self.inv[a]]])
        self.inv.extend([c + 1, c])
        self.instr.append((c, a, b))
        self.instr.append((c + 1, self.inv[b], self.inv[a]))
        return c

    def _add(self, i: int, s: int) -> None:
        self.T[i].append(s)
        tree = self.tree[i]
        frontier = list(tree)
        while frontier:
            nxt = []
            for p in frontier:
                for t in self.T[i]:
                    q = int(self.perms[t][p])
                    if q not in tree:
                        tree[q] = (p, t)
                        nxt.append(q)
            frontier = nxt
        self.slot_of[i] = {}

    def transversal(self, i: int, point: int) -> int:
        """The slot of ``u`` with ``u(b_i) = point`` (one instruction per new tree node)."""
        memo = self.slot_of[i]
        path = []
        p = point
        while p not in memo and p != self.base[i]:
            path.append(p)
            p = self.tree[i][p][0]
        cur = memo.get(p, -1)
        for q in reversed(path):
            t = self.tree[i][q][1]
            cur = t if cur < 0 else self.mul(t, cur)
            memo[q] = cur
        return cur  # -1: the identity (point == b_i)

    def sift(self, s: int, start: int = 0) -> tuple[int, int]:
        """``(slot, level)``: the residue of ``s`` and the level where it left the known orbits (``len(base)``: none)."""
        for i in range(start, len(self.base)):
            img = int(self.perms[s][self.base[i]])
            if img not in self.tree[i]:
                return s, i
            u = self.transversal(i, img)
            if u >= 0:
                s = self.mul(self.inv[u], s)
        return s, len(self.base)

    def _fill(self, rng: np.random.Generator) -> None:
        k = self.k
        if not self.base:
            return
        state = [j % k for j in range(max(_STATE, k))]
        for step in range(_MAX_RANDOM):
            if all(len(t) == n for t, n in zip(self.tree, self.target, strict=True)):
                return
            a, b = rng.choice(len(state), size=2, replace=False)
            state[a] = self.mul(state[a], state[b]) if rng.random() < 0.5 else self.mul(state[b], state[a])
            if step < _MIX:
                continue
            h, i = self.sift(state[a])
            if i < len(self.base):
                self._add(i, h)
        raise ConvergenceError(f"straight-line programs: the basic orbits were not reached after {_MAX_RANDOM} elements")

    def factor(self, g: np.ndarray) -> list[int]:
        """The slots of ``u_0, u_1, …`` with ``g = u_0 u_1 ⋯`` (identity factors left out); raise when ``g ∉ G``."""
        cur = g.copy()
        out: list[int] = []
        for i, b in enumerate(self.base):
            img = int(cur[b])
            if img not in self.tree[i]:
                raise InvalidArgumentError(f"{g.tolist()} is not an element of the group")
            u = self.transversal(i, img)
            if u >= 0:
                cur = np.argsort(self.perms[u])[cur]
                out.append(u)
        if not np.array_equal(cur, np.arange(self.n)):
            raise InvalidArgumentError(f"{g.tolist()} is not an element of the group")
        return out

    def program(self, elements: np.ndarray, products: Sequence[tuple[int, int]] = ()) -> StraightLineProgram:
        """The pruned program computing ``elements`` (rows), then the products ``a · b`` of chain slots.

        The per-query products live in the returned program only (slot ids past the chain's), so
        the chain grows with its transversal slots alone (at most ``Σ_i |Δ_i|`` of them), however
        many elements are asked for.  ``b = -1`` outputs slot ``a`` itself.
        """
        factors = [self.factor(g) for g in elements]  # may add transversal slots: before any local id
        local: list[tuple[int, int, int]] = []
        nxt = len(self.perms)
        outs: list[int] = []
        chain_needed: set[int] = set()

        def prod(a: int, b: int) -> int:
            nonlocal nxt
            local.append((nxt, a, b))
            nxt += 1
            return nxt - 1

        for f in factors:
            chain_needed.update(f)
            if not f:
                f = [prod(0, self.k)]  # the identity: s_0 s_0⁻¹
            cur = f[0]
            for u in f[1:]:
                cur = prod(cur, u)
            outs.append(cur)
        for a, b in products:
            chain_needed.update((a, b) if b >= 0 else (a,))
            outs.append(a if b < 0 else prod(a, b))
        need = set(chain_needed)
        rows = []
        for c, a, b in reversed(self.instr):
            if c in need:
                rows.append((c, a, b))
                need.update((a, b))
        rows.reverse()
        rows.extend(local)
        return StraightLineProgram(self.k, np.asarray(rows, dtype=np.int64).reshape(-1, 3), np.asarray(outs, dtype=np.int64))
