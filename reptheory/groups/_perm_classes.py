"""Conjugacy classes of a permutation group without enumerating it.

Classes are found by sampling (docs/explanation/routes.md#permutation-groups):

1. **Candidates**: uniformly random elements (products of random transversal elements), the
   powers of every new representative, and, when sampling stalls, products
   ``r_i · r_j^g`` of known representatives with random conjugates.
2. **Identification**: a cheap invariant, the cycle type of ``x`` on every orbit of ``G``
   (identical for conjugate elements); where several classes share the invariant, an exact
   conjugacy test by backtrack search along the stabiliser chain.
3. **Sizes**: ``|x^G| = |G| / |C_G(x)|``, the centraliser order a product of orbit lengths from
   a subgroup search.  Sampling stops when the class sizes sum to ``|G|``, which proves the
   list complete.

Memory is ``O(r · n)`` for ``r`` classes of degree ``n``, never proportional to ``|G|``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from reptheory.errors import ConvergenceError, InvalidArgumentError
from reptheory.groups._schreier_sims import Chain, adapted_chain, centraliser_order, first_conjugate
from reptheory.groups._tuple_orbits import TupleOrbits

__all__ = ["PermutationClasses"]

#: Candidates drawn per sampling round.
_BATCH = 64
#: Sampling rounds without a new class after which every candidate is tested exactly.
_STALL = 8
#: Rounds after which class discovery gives up (ConvergenceError).
_MAX_ROUNDS = 20000


def cycle_lengths(P: np.ndarray) -> np.ndarray:
    """For each row ``x`` of ``P`` (shape (m, n)) and point ``p``: the length of the cycle of ``x`` through ``p``.

    Each cycle is labelled by its least point through pointer doubling (``⌈log₂ n⌉`` rounds of
    ``label ← min(label, label∘x^{2^t})``), and the lengths are the label counts.
    """
    P = np.atleast_2d(np.asarray(P, dtype=np.int64))
    m, n = P.shape
    if n == 0 or m == 0:
        return np.zeros((m, n), dtype=np.int64)
    lab = np.broadcast_to(np.arange(n, dtype=np.int64), (m, n)).copy()
    ptr = P.copy()
    span = 1
    while span < n:
        lab = np.minimum(lab, np.take_along_axis(lab, ptr, axis=1))
        ptr = np.take_along_axis(ptr, ptr, axis=1)
        span *= 2
    flat = lab + (np.arange(m, dtype=np.int64) * n)[:, None]
    counts = np.bincount(flat.ravel(), minlength=m * n)
    return counts[flat]


def element_orders(P: np.ndarray) -> np.ndarray:
    """Orders of the rows of ``P`` (lcm of the cycle lengths)."""
    L = cycle_lengths(P)
    return np.array([math.lcm(*np.unique(row).tolist()) for row in L], dtype=np.int64)


@dataclass(frozen=True, eq=False)
class PermutationClasses:
    """The conjugacy classes of a [`PermutationGroup`][reptheory.groups.permutation.PermutationGroup].

    Attributes
    ----------
    representatives : ndarray, shape (r, n)
        One element of each class (row ``k``), the identity first; classes sorted by element
        order, then by size.
    sizes : ndarray, shape (r,)
        ``|K_k| = |G| / |C_G(g_k)|``.
    orders : ndarray, shape (r,)
        Element order of each class.
    centralizer_orders : ndarray, shape (r,)
    centralizer_generators : tuple of ndarray
        Generators of ``C_G(g_k)`` (shape (s_k, n); empty when the centraliser is trivial).

    Examples
    --------
    >>> from reptheory.groups import permutation_group
    >>> C = permutation_group([[1, 2, 3, 0], [1, 0, 2, 3]]).conjugacy_classes()
    >>> C.sizes.tolist(), C.orders.tolist()
    ([1, 3, 6, 8, 6], [1, 2, 2, 3, 4])
    """

    representatives: np.ndarray
    sizes: np.ndarray
    orders: np.ndarray
    centralizer_orders: np.ndarray
    centralizer_generators: tuple[np.ndarray, ...]
    _ident: Any = field(repr=False)

    def power_map(self, p: int) -> np.ndarray:
        """``out[k]``: the class of ``g_k^p``."""
        if isinstance(p, bool) or not isinstance(p, (int, np.integer)):
            raise InvalidArgumentError(f"p must be an integer, got {p!r}")
        R = np.asarray(self.representatives)
        out = np.broadcast_to(np.arange(R.shape[1]), R.shape).copy()
        for _ in range(int(p) % math.lcm(*self.orders.tolist())):
            out = np.take_along_axis(R, out, axis=1)
        return self.index(out)

    def __len__(self) -> int:
        return len(self.sizes)

    def index(self, perms: Any) -> np.ndarray:
        """The class index of each row of ``perms`` (shape (m, n) or (n,)), always an array.

        Raises
        ------
        InvalidArgumentError
            A row is not a permutation of the right degree, or not an element of the group.
        """
        P = np.atleast_2d(np.asarray(perms))
        n = self.representatives.shape[1]
        if P.ndim != 2 or P.shape[1] != n or P.dtype.kind not in "iu":
            raise InvalidArgumentError(f"perms must be integer permutations of degree {n}, got shape {np.shape(perms)}")
        P = P.astype(np.int64)
        ok = (np.sort(P, axis=1) == np.arange(n)).all(axis=1)
        R, drop = self._ident.ch.sift(P)
        ok &= (drop == len(self._ident.ch.base)) & (R == np.arange(n)).all(axis=1)
        if not ok.all():
            j = int(np.flatnonzero(~ok)[0])
            raise InvalidArgumentError(f"perms[{j}] = {P[j].tolist()} is not an element of the group")
        return self._index(P)

    def _index(self, P: np.ndarray) -> np.ndarray:
        """``index`` without the checks (rows known to be elements)."""
        return self._ident.identify(P)


class _Identifier:
    """Invariants and exact conjugacy tests against a list of class representatives."""

    def __init__(self, ch: Chain, orbit_label: np.ndarray) -> None:
        self.ch = ch
        self.n = ch.n
        self.label = orbit_label
        self.reps: list[np.ndarray] = []
        self.rep_len: list[list[int]] = []
        self._adapted: dict[int, Chain] = {}
        self.by_key: dict[bytes, list[int]] = {}
        self._tuples: TupleOrbits | None = None
        self._fine: dict[int, bytes | None] = {}

    def fine_keys(self, P: np.ndarray) -> list[bytes] | list[None]:
        """The trajectory invariant of each row (`TupleOrbits.trajectory_keys`), None past its node limit."""
        if self._tuples is None:
            self._tuples = TupleOrbits(self.ch)
        out = self._tuples.trajectory_keys(P)
        return [None] * len(P) if out is None else out

    def fine_key(self, x: np.ndarray) -> bytes | None:
        return self.fine_keys(x[None, :])[0]

    def rep_fine(self, c: int) -> bytes | None:
        if c not in self._fine:
            self._fine[c] = self.fine_key(self.reps[c])
        return self._fine[c]

    def keys(self, P: np.ndarray) -> list[bytes]:
        return self.keys_lengths(P)[0]

    def keys_lengths(self, P: np.ndarray) -> tuple[list[bytes], np.ndarray]:
        L = cycle_lengths(P)
        code = np.sort(self.label[None, :] * (self.n + 1) + L, axis=1)
        return [row.tobytes() for row in code], L

    def add(self, x: np.ndarray, key: bytes) -> int:
        self.reps.append(x)
        self.rep_len.append(cycle_lengths(x[None, :])[0].tolist())
        self.by_key.setdefault(key, []).append(len(self.reps) - 1)
        return len(self.reps) - 1

    def match(self, x: np.ndarray, key: bytes, complete: bool, xlen: np.ndarray | None = None,
              fine: bytes | None = None) -> int:
        """The class of ``x`` (-1: none of the known ones); ``complete``: the list is known to be complete.

        ``fine``: the trajectory invariant of ``x`` when already computed (`fine_keys`)."""
        cands = self.by_key.get(key, [])
        if not cands:
            return -1
        if complete and len(cands) == 1:
            return cands[0]
        # classes sharing a cycle type (e.g. the powers of one element) are told apart by the
        # trajectory invariant before any search; a search then only confirms a match
        fx = fine if fine is not None else self.fine_key(x)
        if fx is not None:
            cands = [c for c in cands if (f := self.rep_fine(c)) is None or f == fx]
            if not cands:
                return -1
            if complete and len(cands) == 1:
                return cands[0]
        xl = cycle_lengths(x[None, :])[0].tolist() if xlen is None else xlen.tolist()
        j = first_conjugate([self.adapted(c) for c in cands], [self.reps[c] for c in cands], x,
                            [self.rep_len[c] for c in cands], xl)
        return -1 if j < 0 else cands[j]

    def adapted(self, c: int) -> Chain:
        """A chain of G whose base runs along the cycles of representative ``c`` (`adapted_chain`)."""
        ch = self._adapted.get(c)
        if ch is None:
            ch = adapted_chain(self.ch, self.reps[c])
            self._adapted[c] = ch
        return ch

    def identify(self, P: np.ndarray) -> np.ndarray:
        out = np.empty(len(P), dtype=np.int64)
        keys, L = self.keys_lengths(P)
        for j, key in enumerate(keys):
            c = self.match(P[j], key, True, L[j])
            if c < 0:
                raise InvalidArgumentError(f"perms[{j}] = {P[j].tolist()} is not an element of the group")
            out[j] = c
        return out


def conjugacy_classes(ch: Chain, gens: np.ndarray, orbit_label: np.ndarray, rng: np.random.Generator) -> PermutationClasses:
    """Classes by sampling, identification and centraliser orders (see the module docstring)."""
    n = ch.n
    order = ch.order
    ident = _Identifier(ch, orbit_label)
    sizes: list[int] = []
    cents: list[int] = []
    cgens: list[np.ndarray] = []
    pending: list[np.ndarray] = []

    def add(x: np.ndarray, key: bytes) -> None:
        j = ident.add(x.copy(), key)
        c, gens_c = centraliser_order(ident.adapted(j), x)
        cents.append(c)
        cgens.append(np.stack(gens_c) if gens_c else np.empty((0, n), dtype=np.int64))
        sizes.append(order // c)
        pending.append(_powers(x))

    e = np.arange(n, dtype=np.int64)
    add(e, ident.keys(e[None, :])[0])
    total = 1
    stall = 0
    rounds = 0
    while total < order:
        rounds += 1
        if rounds > _MAX_ROUNDS:
            raise ConvergenceError(
                f"conjugacy classes: {len(sizes)} classes of total size {total} < |G| = {order} after {rounds} rounds"
            )
        strict = stall >= _STALL
        batch = [ch.random(rng, _BATCH)]
        if pending:
            batch.extend(pending)
            pending.clear()
        if stall >= 2 and len(ident.reps) > 1:
            batch.append(_products(ch, ident.reps, rng))
        P = np.concatenate(batch)
        found = False
        keys, L = ident.keys_lengths(P)
        for x, key, xlen in zip(P, keys, L, strict=True):
            if key in ident.by_key and not strict:
                continue
            if ident.match(x, key, False, xlen) < 0:
                add(x, key)
                total += sizes[-1]
                found = True
                if total >= order:
                    break
        stall = 0 if found else stall + 1
    if total != order:  # pragma: no cover - sizes of distinct classes cannot exceed |G|
        raise ConvergenceError(f"conjugacy classes: sizes sum to {total}, expected |G| = {order}")
    reps = np.stack(ident.reps)
    orders = element_orders(reps)
    sz = np.array(sizes, dtype=np.int64)
    perm = np.lexsort((sz, orders))
    out_ident = _Identifier(ch, orbit_label)
    keys = ident.keys(reps)
    for k in perm.tolist():
        j = out_ident.add(reps[k], keys[k])
        if k in ident._adapted:
            out_ident._adapted[j] = ident._adapted[k]
        if k in ident._fine:
            out_ident._fine[j] = ident._fine[k]
    out_ident._tuples = ident._tuples
    return PermutationClasses(
        representatives=_ro(reps[perm]),
        sizes=_ro(sz[perm]),
        orders=_ro(orders[perm]),
        centralizer_orders=_ro(np.array(cents, dtype=np.int64)[perm]),
        centralizer_generators=tuple(_ro(cgens[k]) for k in perm.tolist()),
        _ident=out_ident,
    )


def _powers(x: np.ndarray) -> np.ndarray:
    """``x^2, …, x^{o-1}`` (rows)."""
    out = [x]
    n = len(x)
    cur = x[x]
    while not np.array_equal(cur, np.arange(n)):
        out.append(cur)
        cur = x[cur]
    return np.stack(out[1:]) if len(out) > 1 else np.empty((0, n), dtype=np.int64)


def _products(ch: Chain, reps: list[np.ndarray], rng: np.random.Generator) -> np.ndarray:
    """``r_i · g r_j g⁻¹`` for random pairs of known representatives and random ``g``, with their powers."""
    m = 8
    i = rng.integers(0, len(reps), size=m)
    j = rng.integers(0, len(reps), size=m)
    G = ch.random(rng, m)
    Ginv = np.argsort(G, axis=1)
    R = np.stack(reps)
    conj = np.take_along_axis(G, np.take_along_axis(R[j], Ginv, axis=1), axis=1)  # g r_j g^-1
    prod = np.take_along_axis(R[i], conj, axis=1)
    return np.concatenate([prod, *(_powers(p) for p in prod)])


def _ro(a: np.ndarray) -> np.ndarray:
    a = np.ascontiguousarray(a)
    a.setflags(write=False)
    return a
