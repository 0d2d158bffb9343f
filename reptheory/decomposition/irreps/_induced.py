"""Monomial representations induced from centralisers and normalisers: ``Ind_H^G λ`` for the sign characters ``λ``.

A private helper of the irreps searches, for an enumerated
[`FiniteGroup`][reptheory.groups.finite.FiniteGroup] and a
[`PermutationGroup`][reptheory.groups.permutation.PermutationGroup] alike (elements as indices or as
permutations): the sources beyond the subset and coset actions.

**The action.**  ``G`` acts by conjugation on the class ``x^G`` (stabiliser ``H = C_G(x)``) or on the
conjugates of the cyclic subgroup ``⟨x⟩`` (stabiliser ``H = N_G(⟨x⟩)``, a point keyed by the least of
its generators): a transitive action on ``G/H``, found by a breadth-first search from ``x`` that records
a transversal ``r_y`` (``r_y x r_y⁻¹ = y``).  For a homomorphism ``λ : H → {±1}`` the induced
representation on the basis ``e_y = r_y ⊗ 1`` is monomial with signs,

    s e_y = λ(h) e_{s·y},    h = r_{s·y}⁻¹ s r_y ∈ H,

and its character at ``g`` is ``Σ_{y : g·y = y} λ(r_y⁻¹ g r_y)``.  ``N_G(⟨x⟩)`` is ``C_G(x)`` with
the conjugators ``x ↦ x^a`` for the ``a`` with ``x^a`` in the class of ``x``; where there are none the
normaliser is the centraliser and is not repeated.

**The sign characters of H.**  ``H`` is enumerated from its generators (at most `MAX_CENTRALIZER`
elements) with its breadth-first tree: ``v(y) ∈ F₂^k`` the letters along the tree path to ``y``, and
every edge ``y → y s_j`` of the Cayley graph a relation ``v(y) + e_j + v(y s_j) = 0``.  A sign
character is a vector ``a ∈ F₂^k`` orthogonal to all relations, ``λ(y) = (−1)^{a·v(y)}``: the cycles of
the Cayley graph generate every relation of ``H``.

**Why.**  They reach irreps that no subset action holds once: the discrete series of ``PSL(2, q)``
(degree ``q ∓ 1``) occurs exactly once in ``Ind_{D}^G λ`` from the dihedral centraliser ``D`` of an
involution, ``λ`` with kernel a dihedral subgroup of index 2; the irreps of ``SL(2, p)`` trivial on the
centre come from normalisers of cyclic subgroups (``Q8 = N(⟨x⟩)`` for ``x`` of order 4 in ``SL(2, 5)``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from reptheory.groups._cayley import _Enumeration
from reptheory.groups.finite import FiniteGroup
from reptheory.groups.permutation import PermutationGroup

#: Largest centraliser enumerated (its elements are listed to evaluate its sign characters).
MAX_CENTRALIZER = 1 << 16
#: Most sign characters tried per centraliser (an elementary abelian quotient of rank > 6 is cut).
MAX_SIGNS = 64


@dataclass(frozen=True)
class InducedAction:
    """``Ind_{C_G(x)}^G λ`` as signed permutations ``s e_y = coeff[s, y] e_{perm[s, y]}`` (int64 ±1) of the generators
    and of the class representatives (``class_perm``, ``class_coeff``), and its ``character`` there."""

    name: str
    perm: np.ndarray
    coeff: np.ndarray
    class_perm: np.ndarray
    class_coeff: np.ndarray
    character: np.ndarray


def sign_characters(right: np.ndarray, parent: np.ndarray, letter: np.ndarray, bfs_order: np.ndarray,
                    limit: int = MAX_SIGNS) -> np.ndarray:
    """Every homomorphism of an enumerated group to ``{±1}`` (at most ``limit``, the trivial one first), as rows of ±1.

    ``right[y, j] = y s_j`` is the Cayley graph and ``parent``/``letter``/``bfs_order`` its breadth-first
    tree from the identity (as in the enumerations of `reptheory.groups`).  With more than 62
    generators only the trivial character is returned.

    Examples
    --------
    >>> right = np.array([[1, 2], [0, 3], [3, 0], [2, 1]])   # C2 x C2: y s_0 = y ^ 1, y s_1 = y ^ 2
    >>> signs = sign_characters(right, np.array([-1, 0, 0, 1]), np.array([-1, 0, 1, 1]), np.array([0, 1, 2, 3]))
    >>> signs.tolist()
    [[1, 1, 1, 1], [1, -1, 1, -1], [1, 1, -1, -1], [1, -1, -1, 1]]
    """
    n, k = right.shape
    if k > 62:
        return np.ones((1, n), dtype=np.int64)
    bit = np.left_shift(np.int64(1), np.arange(k, dtype=np.int64))
    v = np.zeros(n, dtype=np.int64)
    for y in bfs_order[1:].tolist():
        v[y] = v[parent[y]] ^ bit[letter[y]]
    relations = np.unique(v[:, None] ^ bit[None, :] ^ v[right])
    free = _f2_kernel(relations[relations != 0], k)
    homs = [0]
    for f in free:  # the span of the kernel basis
        homs += [h ^ f for h in homs]
        if len(homs) >= limit:
            break
    out = np.empty((min(len(homs), limit), n), dtype=np.int64)
    for i, a in enumerate(homs[:limit]):
        x = v & np.int64(a)
        for shift in (32, 16, 8, 4, 2, 1):  # parity of the bits of x
            x ^= x >> shift
        out[i] = 1 - 2 * (x & 1)
    return out


def _f2_kernel(rows: np.ndarray, k: int) -> list[int]:
    """A basis of ``{a ∈ F₂^k : a·r = 0 for every r in rows}`` (bit vectors as integers; rows eliminated in bulk)."""
    pivots: dict[int, int] = {}  # pivot bit -> row, reduced against the later pivots
    while rows.size:
        r = int(rows[0])
        p = r.bit_length() - 1
        for q in pivots:
            if pivots[q] >> p & 1:
                pivots[q] ^= r
        pivots[p] = r
        rows = rows[1:]
        rows = np.where((rows >> p) & 1 == 1, rows ^ np.int64(r), rows)
        rows = np.unique(rows[rows != 0])
    basis = []
    for f in range(k):
        if f in pivots:
            continue
        a = 1 << f
        for p, row in pivots.items():  # row = e_p + (bits of free positions): a_p = row_f
            if row >> f & 1:
                a |= 1 << p
        basis.append(a)
    return basis


def conjugation_actions(G: FiniteGroup | PermutationGroup, T: Any, cap: int, *, signed: bool = True
                        ) -> Iterator[InducedAction]:
    """``Ind_H^G λ`` for ``H = C_G(x)`` (``G`` on the class of ``x``) and ``H = N_G(⟨x⟩)`` (``G`` on the conjugates of
    ``⟨x⟩``), one pair per cyclic subgroup ``⟨x⟩``, degrees ``2 … cap``, smallest first.

    ``λ`` runs over the sign characters of ``H`` (only the trivial one, the permutation action, when
    ``signed`` is false).  The normaliser is skipped where it is the centraliser (no ``x^a ≠ x`` conjugate
    to ``x``), stabilisers above `MAX_CENTRALIZER` elements are skipped, and so is an action whose
    character was seen already.  Each action is built when the search reaches it.
    """
    ops = _Ops.of(G)
    sizes, orders = ops.class_sizes, ops.class_orders
    seen: set[int] = set()
    cands = []
    for c in range(len(sizes)):
        o, size = int(orders[c]), int(sizes[c])
        if size == 1:
            continue
        units = [a for a in range(1, o) if math.gcd(a, o) == 1]
        classes = ops.class_index(np.stack([ops.power(ops.reps[c], a) for a in units]))
        if int(classes.min()) in seen:  # ⟨x⟩ = ⟨x^a⟩: one centraliser, one normaliser
            continue
        seen.add(int(classes.min()))
        fused = [a for a, k in zip(units, classes.tolist(), strict=True) if k == c]  # x^a ~ x: N/C ≅ these a
        cands.append((size, 0, c, fused))
        if len(fused) > 1:
            cands.append((size // len(fused), 1, c, fused))
    characters: set[bytes] = set()  # equal characters: isomorphic representations
    for degree, kind, c, fused in sorted(cands, key=lambda t: t[:3]):
        if degree > cap:
            return
        if G.order // degree > MAX_CENTRALIZER:
            continue
        x = ops.reps[c]
        stab = ops.stabilizer(c, fused if kind else [1])
        lam = sign_characters(stab.right, stab.parent, stab.letter, stab.bfs_order) if signed else np.ones((1, stab.n), np.int64)
        where = {ops.key(h): i for i, h in enumerate(np.asarray(stab.payload))}
        perm, h_gen, class_perm, h_class = _class_orbit(ops, x, degree, where, int(orders[c]) if kind else 0)
        what = f"conjugates of {T.class_names[c]}" if kind == 0 else f"conjugates of <{T.class_names[c]}>"
        for i, sgn in enumerate(lam):
            class_coeff = sgn[h_class]
            chi = np.where(class_perm == np.arange(degree), class_coeff, 0).sum(axis=1).astype(np.float64)
            if chi.tobytes() in characters:
                continue
            characters.add(chi.tobytes())
            label = what + (f" (sign character {i} of the {'normaliser' if kind else 'centraliser'})" if i else "")
            yield InducedAction(label, perm, sgn[h_gen], class_perm, class_coeff, chi)


@dataclass(frozen=True)
class _Ops:
    """The element arithmetic of either kind of group (batched; permutations as rows, enumerated elements as indices)."""

    mul: Callable[[Any, Any], Any]
    inv: Callable[[Any], Any]
    key: Callable[[Any], Any]
    identity: Any
    gens: np.ndarray
    reps: np.ndarray
    class_sizes: np.ndarray
    class_orders: np.ndarray
    class_index: Callable[[Any], np.ndarray]
    stabilizer: Callable[[int, list[int]], Any]

    def power(self, x: Any, a: int) -> Any:
        """``x^a`` for ``a ≥ 1`` (repeated squaring)."""
        out, base = None, x
        while a:
            if a & 1:
                out = base if out is None else self.mul(out, base)
            base = self.mul(base, base)
            a >>= 1
        return out

    @staticmethod
    def of(G: FiniteGroup | PermutationGroup) -> _Ops:
        if isinstance(G, PermutationGroup):
            C = G.conjugacy_classes()

            def stab_perm(c: int, fused: list[int]) -> Any:  # C_G(x), with conjugators x -> x^a: N_G(<x>)
                from reptheory.groups._closure import _closure_perms

                x = np.asarray(C.representatives[c], dtype=np.int64)
                gens = [np.asarray(g, dtype=np.int64) for g in C.centralizer_generators[c]]
                for a in fused[1:]:
                    g = G.conjugator(x, ops.power(x, a))
                    assert g is not None  # x^a is in the class of x
                    gens.append(np.asarray(g, dtype=np.int64))
                return _closure_perms(np.stack(gens), MAX_CENTRALIZER + 1)

            ops = _Ops(_compose,
                       lambda a: np.argsort(a, axis=-1), lambda a: a.tobytes(), np.arange(G.degree, dtype=np.int64),
                       np.asarray(G.generators, dtype=np.int64), np.asarray(C.representatives, dtype=np.int64),
                       np.asarray(C.sizes), np.asarray(C.orders), C.index, stab_perm)
            return ops

        def stab_finite(c: int, fused: list[int]) -> Any:  # {g : g x g⁻¹ = x^a, a in fused}
            from reptheory.groups._closure import _generating_subset

            x = int(G.class_representatives[c])
            everything = np.arange(G.order)
            targets = np.array([G.power(x, a) for a in fused], dtype=np.int64)
            members = everything[np.isin(G.mul(G.mul(everything, x), G.inverse(everything)), targets)]
            H = G.subgroup(_generating_subset(G.mul, G.identity, G.order, members))
            e = H._enumeration
            return _Enumeration(e.right, e.identity, payload=H.embedding)

        return _Ops(G.mul, G.inverse, int, G.identity, np.asarray(G.generators, dtype=np.int64),
                    np.asarray(G.class_representatives), G.class_sizes, G.element_orders[G.class_representatives],
                    lambda e: G.class_of[np.asarray(e)], stab_finite)


def _compose(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a ∘ b`` of permutations (rows, broadcasting): ``(a ∘ b)[i] = a[b[i]]``."""
    A, B = np.broadcast_arrays(a, b)
    return np.take_along_axis(A, B, axis=-1)


def _class_orbit(ops: _Ops, x: Any, size: int, where: dict[Any, int], subgroup: int = 0
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The class of ``x`` (``subgroup = 0``) or of ``⟨x⟩`` (``subgroup`` its order) under conjugation: the action
    of the generators and of the class representatives.

    Returns ``perm[j, i]`` (the point ``s_j y_i s_j⁻¹``) and ``h[j, i] = r_t⁻¹ s_j r_i ∈ H`` (``t = perm[j, i]``,
    ``H`` the stabiliser of ``x`` or ``⟨x⟩``, as an index into its elements through ``where``), and the same for
    the class representatives.  A point ``⟨y⟩`` is looked up by any of its generators: each is registered once.
    """
    gens = ops.gens
    ginv = ops.inv(gens)
    units = [a for a in range(1, subgroup) if math.gcd(a, subgroup) == 1] if subgroup else [1]
    points: list[Any] = []
    trans: list[Any] = []
    index: dict[Any, int] = {}

    def add(z: Any, r: Any) -> int:
        t = len(points)
        points.append(z)
        trans.append(r)
        for a in units:  # y, or every generator y^a of ⟨y⟩
            index[ops.key(ops.power(z, a))] = t
        return t

    add(x, ops.identity)
    perm = np.empty((len(gens), size), dtype=np.int64)
    i = 0
    while i < len(points):
        y, r = points[i], trans[i]
        for j in range(len(gens)):
            z = ops.mul(ops.mul(gens[j], y), ginv[j])
            t = index.get(ops.key(z))
            perm[j, i] = add(z, ops.mul(gens[j], r)) if t is None else t
        i += 1
    P, R = np.stack(points), np.stack(trans)
    Rinv = ops.inv(R)

    def act(elements: np.ndarray, targets: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        out_p, out_h = [], []
        for j, s in enumerate(elements):
            sb = np.broadcast_to(s, R.shape)
            if targets is None:
                conj = ops.mul(ops.mul(sb, P), np.broadcast_to(ops.inv(s), R.shape))
                tp = np.array([index[ops.key(z)] for z in conj], dtype=np.int64)
            else:
                tp = targets[j]
            hs = ops.mul(Rinv[tp], ops.mul(sb, R))
            out_p.append(tp)
            out_h.append([where[ops.key(h)] for h in hs])
        return np.stack(out_p), np.asarray(out_h, dtype=np.int64)

    _, h_gen = act(gens, perm)
    class_perm, h_class = act(ops.reps, None)
    return perm, h_gen, class_perm, h_class
