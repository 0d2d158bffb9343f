"""Character tables of permutation groups that are never enumerated (Dixon–Schneider).

[`permutation_character_table`][reptheory.characters.dixon.permutation_character_table] (also
``G.character_table()`` of a [`PermutationGroup`][reptheory.groups.permutation.PermutationGroup])
works from the conjugacy classes found by sampling (`reptheory.groups.permutation`) and the
class matrices of a few *small* classes (docs/explanation/routes.md#permutation-groups):

``M_s[k, j] = a_{sjk} = #{x ∈ K_s : x⁻¹ g_k ∈ K_j}``,

the class ``K_s`` listed as the orbit of its representative under conjugation by the
generators.  The class of ``x⁻¹ g_k`` is constant on the orbits of ``C_G(g_k)`` acting on
``K_s`` by conjugation (found with a hashed row index, verified), so one product per orbit is
identified: by its cycle type on the orbits of ``G``, then by its trajectory invariant
(`reptheory.groups._tuple_orbits`), then by an exact backtrack conjugacy test where classes
still share both.  The matrix of the inverse class
follows without more work, ``a_{s* j k} = a_{s k j} |K_j| / |K_k|``.  Common eigenvectors of
random self-adjoint combinations split the centre of the group algebra into lines; an
eigenspace that the known matrices leave unsplit asks for another class: the smallest one, larger
element orders first among classes of one size, skipping the sizes of classes whose matrices split
nothing (PSL(2,97): 6 class matrices instead of 43).  Degrees,
exact cyclotomic values (the lift along the power maps), indicators and the verification are
those of [`character_table`][reptheory.characters.table.character_table]: both paths share
`reptheory.characters._class_algebra`.

Cost: at most ``r · Σ_s |K_s|`` class identifications for ``r`` classes and the classes ``s``
used (one per centraliser orbit),
``O(r³)`` per eigen-solve; memory ``O(r² + |K_s| n)``, never proportional to ``|G|``.

Examples
--------
>>> from reptheory.groups import permutation_group
>>> A5 = permutation_group([[1, 2, 3, 4, 0], [1, 2, 0, 3, 4]], name="A5")
>>> T = permutation_character_table(A5)
>>> T.degrees.tolist(), T.method
([1, 3, 3, 4, 5], 'dixon-schneider')
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from reptheory.characters._class_algebra import characters_from_class_algebra
from reptheory.characters.table import CharacterTable, _assemble
from reptheory.errors import ExactnessError, InvalidArgumentError, TooLargeError
from reptheory.groups.permutation import PermutationClasses, PermutationGroup

__all__ = ["permutation_character_table", "MAX_CLASS_ENUMERATION"]

#: Largest class listed (as a conjugation orbit) for a class matrix.
MAX_CLASS_ENUMERATION = 2_000_000
_SEED = 0xD1C5_0A5D


def permutation_character_table(G: PermutationGroup, *, rng: np.random.Generator | None = None) -> CharacterTable:
    """The character table of a permutation group by Dixon–Schneider (see the module docstring).

    Parameters
    ----------
    G : PermutationGroup
    rng : numpy.random.Generator, optional
        Randomness of the class sampling and of the eigenspace splitting (default: fixed seeds).
        Rows are sorted canonically; columns follow ``G.conjugacy_classes()`` (sorted by element
        order, then size).

    Returns
    -------
    CharacterTable
        ``method == "dixon-schneider"``; ``representatives`` holds the class representatives,
        ``power_maps`` the ``p``-th power maps for every prime ``p`` dividing ``|G|``.

    Raises
    ------
    InvalidArgumentError
        ``G`` is not a ``PermutationGroup`` or ``rng`` not a ``numpy.random.Generator``.
    TooLargeError
        The ``r × r`` table exceeds the memory limit, or every class that would still be needed
        has more than `MAX_CLASS_ENUMERATION` elements.
    ExactnessError
        The exact lift failed its verification (reported, never hidden).

    Examples
    --------
    >>> from reptheory.groups import permutation_group
    >>> S4xS3 = permutation_group([[1, 2, 3, 0, 4, 5, 6], [1, 0, 2, 3, 4, 5, 6],
    ...                            [0, 1, 2, 3, 5, 6, 4], [0, 1, 2, 3, 5, 4, 6]])
    >>> T = permutation_character_table(S4xS3)
    >>> T.num_classes, int((T.degrees ** 2).sum()) == S4xS3.order
    (15, True)
    """
    if not isinstance(G, PermutationGroup):
        raise InvalidArgumentError(f"permutation_character_table: G must be a PermutationGroup, got {type(G).__name__}")
    if rng is not None and not isinstance(rng, np.random.Generator):
        raise InvalidArgumentError(f"rng must be a numpy.random.Generator or None, got {type(rng).__name__}")
    return _compute(G, rng)  # G.character_table() keeps the result on the group object


def _compute(G: PermutationGroup, rng: np.random.Generator | None) -> CharacterTable:
    from reptheory._numerics.limits import check_array

    C = G.conjugacy_classes(rng)
    r = len(C)
    check_array((r, r), f"character_table(G={G.name}): {r} classes squared", 16)
    reps = np.asarray(C.representatives)
    sizes = np.asarray(C.sizes, dtype=np.int64)
    orders = np.asarray(C.orders, dtype=np.int64)
    n = G.order
    e = math.lcm(*orders.tolist())
    inv_class = C._index(np.argsort(reps, axis=1))
    algebra = _DixonAlgebra(G, C, inv_class)

    def power_classes(k: int, o: int) -> np.ndarray:
        return C._index(_power_rows(reps[k], o))

    spectra, degrees, values, info = characters_from_class_algebra(
        G.name, n, sizes, orders, e, inv_class, algebra, power_classes, rng or np.random.default_rng(_SEED)
    )
    info["class_matrices"] = sorted(algebra.support)
    primes = [p for p in range(2, max(orders.max(), 2) + 1) if n % p == 0 and all(p % q for q in range(2, math.isqrt(p) + 1))]
    powers = {p: C._index(_power_each(reps, p)) for p in primes}
    sq = powers[2] if 2 in powers else np.arange(r)
    T = _assemble(
        G, tuple(rep[None, :] for rep in reps), sizes, orders, e, spectra, degrees, values, info,
        "dixon-schneider", sq, representatives=reps,
    )
    T.power_maps.update({p: _ro(v) for p, v in powers.items()})
    return T


class _DixonAlgebra:
    """Class matrices of the smallest classes, computed on demand (see the module docstring)."""

    def __init__(self, G: PermutationGroup, C: PermutationClasses, inv_class: np.ndarray) -> None:
        self.G = G
        self.C = C
        self.inv = inv_class
        self.sizes = np.asarray(C.sizes, dtype=np.int64)
        self.mats: dict[int, np.ndarray] = {}
        # non-identity classes, smallest first (central ones too: an abelian group has no others); among
        # classes of one size, elements of larger order first: a generator of a cyclic subgroup separates
        # more characters than its powers do (on a torus of PSL(2,q), ζ^j + ζ^-j at a generator, against
        # two values at an element of order 3)
        orders = np.asarray(C.orders, dtype=np.int64)
        self.todo = [int(k) for k in np.lexsort((-orders, self.sizes)) if int(orders[k]) > 1]
        self._last: tuple[tuple[int, ...], int] | None = None  # (eigenspace dims, size of the class added)
        self._unhelpful: set[int] = set()
        self.extend([])

    @property
    def support(self) -> set[int]:
        return set(self.mats)

    def left(self, beta: np.ndarray) -> np.ndarray:
        r = len(self.sizes)
        out = np.zeros((r, r), dtype=np.result_type(beta.dtype, np.float64))
        for s, M in self.mats.items():
            out += beta[s] * M
        return out

    def extend(self, pending: list[np.ndarray]) -> bool:
        """Add the class matrix of the smallest unused class whose size has not proved unhelpful (and its inverse class).

        Classes closed under inversion cannot separate ``χ`` from ``conj χ``: when an unsplit
        eigenspace is moved by the inverse-class permutation (it holds non-real characters),
        the smallest unused *non-real* class is taken first.
        """
        self.todo = [s for s in self.todo if s not in self.mats]
        if not self.todo:
            return False
        # a class whose matrix split nothing (the eigenspaces are the same as at the previous call)
        # marks its size as unhelpful: classes of one size are often of one kind (the torus classes of
        # PSL(2,q)), on which whole families of characters are constant alike
        sig = tuple(sorted(int(V.shape[1]) for V in pending))
        if self._last is not None and self._last[0] == sig:
            self._unhelpful.add(self._last[1])
        order = [c for c in self.todo if int(self.sizes[c]) not in self._unhelpful] or self.todo
        s = order[0]
        if any(not np.allclose(V[self.inv], V, atol=1e-8) for V in pending):
            s = next((c for c in order if self.inv[c] != c), s)
        self.todo.remove(s)
        self._last = (sig, int(self.sizes[s]))
        if self.sizes[s] > MAX_CLASS_ENUMERATION:
            raise TooLargeError(
                f"character_table(G={self.G.name}): the next class matrix needs a class of "
                f"{int(self.sizes[s])} elements > MAX_CLASS_ENUMERATION={MAX_CLASS_ENUMERATION}",
                estimate=int(self.sizes[s]),
                limit=MAX_CLASS_ENUMERATION,
            )
        M = self._matrix(s)
        self.mats[s] = M
        t = int(self.inv[s])
        if t != s:
            # a_{s* j k} = a_{s k j} |K_j| / |K_k|
            num = M.T * self.sizes[None, :].astype(np.float64)
            Mt = num / self.sizes[:, None]
            if np.abs(Mt - np.rint(Mt)).max() > 1e-9:
                raise ExactnessError(f"class matrix of the inverse class {t} of {self.G.name} is not integral")
            self.mats[t] = np.rint(Mt)
        return True

    def _matrix(self, s: int) -> np.ndarray:
        K = _conjugation_orbit(self.G.generators, np.asarray(self.C.representatives[s]))
        m = len(K)
        if m != self.sizes[s]:  # pragma: no cover - sizes are exact
            raise ExactnessError(f"class {s} of {self.G.name} has {m} elements, expected {self.sizes[s]}")
        Kinv = np.argsort(K, axis=1)
        ident = self.C._ident
        r = len(self.sizes)
        M = np.zeros((r, r), dtype=np.float64)
        index = _RowIndex(K)
        for k, g in enumerate(np.asarray(self.C.representatives)):
            # c in C_G(g_k) maps x^{-1} g_k to its conjugate (c x c^{-1})^{-1} g_k: the class of the
            # product is constant on the C_G(g_k)-orbits of K_s, so one product per orbit is identified
            lab = index.orbit_labels(self.C.centralizer_generators[k])
            _, heads, counts = np.unique(lab, return_index=True, return_counts=True)
            Q = Kinv[heads][:, g]  # x^{-1} g_k for one x per orbit
            keys, L = ident.keys_lengths(Q)
            cls = np.full(len(heads), -1, dtype=np.int64)
            amb = []
            for j, key in enumerate(keys):
                cands = ident.by_key.get(key)
                if cands is None:
                    raise ExactnessError(f"a product in {self.G.name} has an unknown cycle type: classes incomplete")
                if len(cands) == 1:
                    cls[j] = cands[0]
                else:
                    amb.append(j)
            if amb:
                fine = ident.fine_keys(Q[amb])  # trajectory invariants, in one batch
                for j, f in zip(amb, fine, strict=True):
                    cls[j] = ident.match(Q[j], keys[j], True, L[j], fine=f)
            M[k] = np.bincount(cls, weights=counts, minlength=r)
        return M


class _RowIndex:
    """Row lookup in a list of distinct permutations ``K`` (shape (m, n)) by 64-bit hashes, verified."""

    def __init__(self, K: np.ndarray) -> None:
        self.K = K
        self._w = np.random.default_rng(0x5EED).integers(1, 2**62, size=K.shape[1], dtype=np.int64)
        h = self._hash(K)
        self.order = np.argsort(h, kind="stable")
        self.sorted = h[self.order]
        if len(h) > 1 and (np.diff(self.sorted) == 0).any():  # pragma: no cover - 2^-64 per pair
            raise ExactnessError("hash collision between distinct class elements")

    def _hash(self, X: np.ndarray) -> np.ndarray:
        with np.errstate(over="ignore"):
            return (X * self._w).sum(axis=1)  # wraps modulo 2^64

    def find(self, X: np.ndarray) -> np.ndarray:
        """The row of ``K`` equal to each row of ``X`` (every row must be present)."""
        h = self._hash(X)
        pos = np.searchsorted(self.sorted, h)
        pos = np.minimum(pos, len(self.sorted) - 1)
        idx = self.order[pos]
        if not np.array_equal(self.K[idx], X):
            raise ExactnessError("a conjugate of a class element is missing from its class")
        return idx

    def orbit_labels(self, gens: np.ndarray) -> np.ndarray:
        """Orbits of conjugation by ``gens`` on the rows of ``K`` (a union of classes), as labels."""
        from scipy.sparse import coo_matrix
        from scipy.sparse.csgraph import connected_components

        m = len(self.K)
        if not len(gens):
            return np.arange(m)
        cols = []
        for c in gens:
            ci = np.argsort(c)
            cols.append(self.find(c[self.K[:, ci]]))  # c x c^-1
        rows = np.tile(np.arange(m), len(gens))
        A = coo_matrix((np.ones(len(rows)), (rows, np.concatenate(cols))), shape=(m, m))
        return connected_components(A, directed=True, connection="weak")[1]


def _conjugation_orbit(gens: np.ndarray, x: np.ndarray) -> np.ndarray:
    """All ``g x g⁻¹``: the orbit of ``x`` under conjugation by the generators, shape (m, n)."""
    ginv = np.argsort(gens, axis=1)
    seen = {x.tobytes()}
    out = [x[None, :]]
    frontier = x[None, :]
    while len(frontier):
        new = []
        for g, gi in zip(gens, ginv, strict=True):
            Y = g[frontier[:, gi]]  # g x g^-1 (x = row): (g x g^-1)(p) = g(x(g^-1 p))
            for y in Y:
                b = y.tobytes()
                if b not in seen:
                    seen.add(b)
                    new.append(y)
        frontier = np.stack(new) if new else np.empty((0, len(x)), dtype=np.int64)
        if len(frontier):
            out.append(frontier)
    return np.concatenate(out)


def _power_rows(x: np.ndarray, o: int) -> np.ndarray:
    """``[x^0, x^1, …, x^{o-1}]``."""
    out = np.empty((o, len(x)), dtype=np.int64)
    cur = np.arange(len(x), dtype=np.int64)
    for j in range(o):
        out[j] = cur
        cur = x[cur]
    return out


def _power_each(P: np.ndarray, p: int) -> np.ndarray:
    """The ``p``-th power of every row of ``P``."""
    out = np.broadcast_to(np.arange(P.shape[1]), P.shape).copy()
    for _ in range(p):
        out = np.take_along_axis(P, out, axis=1)
    return out


def _ro(a: Any) -> np.ndarray:
    a = np.ascontiguousarray(a)
    a.setflags(write=False)
    return a
