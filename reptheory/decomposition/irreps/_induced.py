"""Monomial representations induced from centralisers: ``Ind_{C_G(x)}^G λ`` for the sign characters ``λ``.

A private helper of the irreps searches, for an enumerated
[`FiniteGroup`][reptheory.groups.finite.FiniteGroup] and a
[`PermutationGroup`][reptheory.groups.permutation.PermutationGroup] alike (elements as indices or as
permutations): the sources beyond the subset and coset actions.

**The action.**  ``G`` acts on the conjugacy class ``x^G`` by conjugation, ``y ↦ s y s⁻¹``: a transitive
action on the cosets of ``C = C_G(x)`` (degree ``|x^G|``), found by a breadth-first search from ``x``
that records a transversal ``r_y`` (``r_y x r_y⁻¹ = y``).  For a homomorphism ``λ : C → {±1}`` the
induced representation on the basis ``e_y = r_y ⊗ 1`` is monomial with signs,

    s e_y = λ(h) e_{s y s⁻¹},    h = r_{s y s⁻¹}⁻¹ s r_y ∈ C,

and its character at ``g`` is ``Σ_{y : g y = y g} λ(r_y⁻¹ g r_y)``.

**The sign characters of C.**  ``C`` is enumerated from its generators (at most `MAX_CENTRALIZER`
elements) with its breadth-first tree: ``v(y) ∈ F₂^k`` the letters along the tree path to ``y``, and
every edge ``y → y s_j`` of the Cayley graph a relation ``v(y) + e_j + v(y s_j) = 0``.  A sign
character is a vector ``a ∈ F₂^k`` orthogonal to all relations, ``λ(y) = (−1)^{a·v(y)}``: the cycles of
the Cayley graph generate every relation of ``C``.

**Why.**  Sign characters of centralisers reach irreps that no subset action holds once: the
discrete series of ``PSL(2, q)`` (degree ``q ∓ 1``) occurs exactly once in ``Ind_{D}^G λ`` from the
dihedral centraliser ``D`` of an involution, ``λ`` with kernel a dihedral subgroup of index 2.
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


def centralizer_actions(G: FiniteGroup | PermutationGroup, T: Any, cap: int, *, signed: bool = True
                        ) -> Iterator[InducedAction]:
    """``Ind_{C_G(x)}^G λ`` for the classes ``x^G`` of size ``2 … cap`` (one per cyclic subgroup ``⟨x⟩``), smallest first.

    ``λ`` runs over the sign characters of the centraliser (only the trivial one, the permutation
    action on ``x^G``, when ``signed`` is false); centralisers above `MAX_CENTRALIZER` elements are
    skipped, and an action whose character was seen already.  Each is built when the search reaches it.
    """
    ops = _Ops.of(G)
    sizes, orders = ops.class_sizes, ops.class_orders
    seen: set[int] = set()
    characters: set[bytes] = set()  # equal characters: isomorphic representations
    for c in sorted(range(len(sizes)), key=lambda c: (int(sizes[c]), c)):
        size = int(sizes[c])
        if size > cap:
            return
        if size == 1 or G.order // size > MAX_CENTRALIZER:
            continue
        x = ops.reps[c]
        o = int(orders[c])
        power = [ops.identity]
        for _ in range(o - 1):
            power.append(ops.mul(x, power[-1]))
        key = int(ops.class_index(np.stack([power[a] for a in range(1, o) if math.gcd(a, o) == 1])).min())
        if key in seen:  # ⟨x⟩ = ⟨x^a⟩: one centraliser
            continue
        seen.add(key)
        cent = ops.centralizer(c)
        lam = sign_characters(cent.right, cent.parent, cent.letter, cent.bfs_order) if signed else np.ones((1, cent.n), np.int64)
        where = {ops.key(h): i for i, h in enumerate(np.asarray(cent.payload))}
        perm, h_gen, class_perm, h_class = _class_orbit(ops, x, size, where)
        name = T.class_names[c]
        for i, sgn in enumerate(lam):
            class_coeff = sgn[h_class]
            chi = np.where(class_perm == np.arange(size), class_coeff, 0).sum(axis=1).astype(np.float64)
            if chi.tobytes() in characters:
                continue
            characters.add(chi.tobytes())
            label = f"conjugates of {name}" + (f" (sign character {i} of the centraliser)" if i else "")
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
    centralizer: Callable[[int], Any]

    @staticmethod
    def of(G: FiniteGroup | PermutationGroup) -> _Ops:
        if isinstance(G, PermutationGroup):
            C = G.conjugacy_classes()

            def cent_perm(c: int) -> Any:
                from reptheory.groups._closure import _closure_perms

                return _closure_perms(np.asarray(C.centralizer_generators[c], dtype=np.int64), MAX_CENTRALIZER + 1)

            return _Ops(_compose,
                        lambda a: np.argsort(a, axis=-1), lambda a: a.tobytes(), np.arange(G.degree, dtype=np.int64),
                        np.asarray(G.generators, dtype=np.int64), np.asarray(C.representatives, dtype=np.int64),
                        np.asarray(C.sizes), np.asarray(C.orders), C.index, cent_perm)

        def cent_finite(c: int) -> Any:
            from reptheory.groups._closure import _generating_subset

            x = int(G.class_representatives[c])
            everything = np.arange(G.order)
            members = everything[G.mul(everything, x) == G.mul(x, everything)]
            H = G.subgroup(_generating_subset(G.mul, G.identity, G.order, members))
            e = H._enumeration
            return _Enumeration(e.right, e.identity, payload=H.embedding)

        return _Ops(G.mul, G.inverse, int, G.identity, np.asarray(G.generators, dtype=np.int64),
                    np.asarray(G.class_representatives), G.class_sizes, G.element_orders[G.class_representatives],
                    lambda e: G.class_of[np.asarray(e)], cent_finite)


def _compose(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a ∘ b`` of permutations (rows, broadcasting): ``(a ∘ b)[i] = a[b[i]]``."""
    A, B = np.broadcast_arrays(a, b)
    return np.take_along_axis(A, B, axis=-1)


def _class_orbit(ops: _Ops, x: Any, size: int, where: dict[Any, int]
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The class of ``x`` under conjugation: the action of the generators and of the class representatives.

    Returns ``perm[j, i]`` (the point ``s_j y_i s_j⁻¹``) and ``h[j, i] = r_t⁻¹ s_j r_i ∈ C_G(x)`` (``t = perm[j, i]``,
    as an index into the centraliser through ``where``), and the same for the class representatives.
    """
    gens = ops.gens
    ginv = ops.inv(gens)
    points = [x]
    trans = [ops.identity]
    index = {ops.key(x): 0}
    perm = np.empty((len(gens), size), dtype=np.int64)
    i = 0
    while i < len(points):
        y, r = points[i], trans[i]
        for j in range(len(gens)):
            z = ops.mul(ops.mul(gens[j], y), ginv[j])
            t = index.get(ops.key(z))
            if t is None:
                t = len(points)
                index[ops.key(z)] = t
                points.append(z)
                trans.append(ops.mul(gens[j], r))
            perm[j, i] = t
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
