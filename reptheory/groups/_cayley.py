"""Private building blocks of finite groups: the enumerated Cayley graph and input validation.

Everything here is internal to `reptheory.groups`; the public entry points live in
`reptheory.groups.finite`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

import numpy as np

from reptheory.errors import GroupAxiomError, InvalidArgumentError, TooLargeError

# A relator is a word in the generators: letter j >= 0 is s_j, letter ~j (= -j-1) is s_j^{-1}.
Word = tuple[int, ...]

class _Enumeration:
    """Enumerated Cayley graph (private; arrays are read-only)."""

    def __init__(
        self,
        right: np.ndarray,
        identity: int,
        payload: np.ndarray | None = None,
    ) -> None:
        n, k = right.shape
        self.n = n
        self.k = k
        self.identity = identity
        self.right = _ro(right.astype(np.int64, copy=False))
        self.payload = None if payload is None else _ro(payload)
        # breadth-first tree from the identity
        parent = np.full(n, -1, dtype=np.int64)
        letter = np.full(n, -1, dtype=np.int64)
        depth = np.full(n, -1, dtype=np.int64)
        depth[identity] = 0
        order = [identity]
        frontier = np.array([identity], dtype=np.int64)
        d = 0
        while frontier.size:
            d += 1
            new = []
            for j in range(k):
                cand = self.right[frontier, j]
                fresh = depth[cand] < 0
                cand_f = cand[fresh]
                # the same element may be reached twice in one level
                cand_u, first = np.unique(cand_f, return_index=True)
                src = frontier[fresh][first]
                still = depth[cand_u] < 0
                cand_u, src = cand_u[still], src[still]
                depth[cand_u] = d
                parent[cand_u] = src
                letter[cand_u] = j
                new.append(cand_u)
            frontier = np.concatenate(new) if new else np.zeros(0, dtype=np.int64)
            order.extend(frontier.tolist())
        if (depth < 0).any():
            missing = int(np.flatnonzero(depth < 0)[0])
            raise GroupAxiomError(
                f"generators do not generate the whole table: element {missing} is not reached"
            )
        self.parent = _ro(parent)
        self.letter = _ro(letter)
        self.depth = _ro(depth)
        self.bfs_order = _ro(np.asarray(order, dtype=np.int64))
        L = int(depth.max())
        words = np.full((n, max(L, 1)), k, dtype=np.int64)  # letter k = identity
        for g in order[1:]:
            p = parent[g]
            dp = depth[p]
            words[g, :dp] = words[p, :dp]
            words[g, dp] = letter[g]
        self.words = _ro(words)
        ext = np.concatenate([self.right, np.arange(n, dtype=np.int64)[:, None]], axis=1)
        self.right_ext = _ro(ext)
        # inverse permutations of the generator columns: right multiplication by s_j^{-1}
        rinv = np.empty_like(self.right)
        for j in range(k):
            rinv[self.right[:, j], j] = np.arange(n)
        self.right_inv = _ro(rinv)
        # g^{-1} = s_{a_m}^{-1} ... s_{a_1}^{-1}: right-multiply e by inverse letters in reverse
        rinv_ext = np.concatenate([rinv, np.arange(n, dtype=np.int64)[:, None]], axis=1)
        inv = np.full(n, identity, dtype=np.int64)
        for col in range(words.shape[1] - 1, -1, -1):
            inv = rinv_ext[inv, words[:, col]]
        self.inverse = _ro(inv)

    def mul(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        a, b = np.broadcast_arrays(np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64))
        out = a.copy()
        w = self.words[b]
        for col in range(w.shape[-1]):
            out = self.right_ext[out, w[..., col]]
        return out


def _ro(a: np.ndarray) -> np.ndarray:
    a = np.asarray(a)
    a.flags.writeable = False
    return a


def _digest(*parts: Any) -> str:
    h = hashlib.sha256()
    for p in parts:
        if isinstance(p, np.ndarray):
            h.update(str(p.dtype).encode())
            h.update(str(p.shape).encode())
            h.update(np.ascontiguousarray(p).tobytes())
        else:
            h.update(repr(p).encode())
    return h.hexdigest()[:16]


def _check_table(table: Any) -> np.ndarray:
    try:
        t = np.asarray(table)
    except Exception as exc:  # ragged input
        raise GroupAxiomError(f"table could not be read as an array: {exc}") from None
    if t.dtype == object:
        raise GroupAxiomError("table is ragged or not numeric: expected an n x n integer array")
    if t.ndim != 2 or t.shape[0] != t.shape[1] or t.shape[0] == 0:
        raise GroupAxiomError(f"table must be a non-empty square n x n array, got shape {t.shape}")
    if t.dtype.kind == "f":
        if not np.isfinite(t).all() or not (t == np.round(t)).all():
            raise GroupAxiomError("table must contain integers, found non-integer entries")
        t = t.astype(np.int64)
    elif t.dtype.kind not in "iu":
        raise GroupAxiomError(f"table must contain integers, got dtype {t.dtype}")
    t = t.astype(np.int64)
    n = t.shape[0]
    bad = np.argwhere((t < 0) | (t >= n))
    if bad.size:
        i, j = (int(v) for v in bad[0])
        raise GroupAxiomError(f"table[{i}, {j}] = {int(t[i, j])} is out of range 0..{n - 1}")
    srt = np.sort(t, axis=1)
    rows_bad = np.flatnonzero((srt != np.arange(n)[None, :]).any(axis=1))
    if rows_bad.size:
        i = int(rows_bad[0])
        vals, counts = np.unique(t[i], return_counts=True)
        v = int(vals[counts > 1][0])
        where = np.flatnonzero(t[i] == v)[:2].tolist()
        raise GroupAxiomError(
            f"table is not a Latin square: row {i} contains {v} twice (columns {where[0]} and {where[1]})"
        )
    srt = np.sort(t, axis=0)
    cols_bad = np.flatnonzero((srt != np.arange(n)[:, None]).any(axis=0))
    if cols_bad.size:
        j = int(cols_bad[0])
        vals, counts = np.unique(t[:, j], return_counts=True)
        v = int(vals[counts > 1][0])
        where = np.flatnonzero(t[:, j] == v)[:2].tolist()
        raise GroupAxiomError(
            f"table is not a Latin square: column {j} contains {v} twice (rows {where[0]} and {where[1]})"
        )
    return t


def _greedy_generators(t: np.ndarray, e: int) -> list[int]:
    n = t.shape[0]
    reached = np.zeros(n, dtype=bool)
    reached[e] = True
    gens: list[int] = []
    orders_hint = None
    while not reached.all():
        cand = np.flatnonzero(~reached)
        if orders_hint is None:
            # prefer elements of large order: fewer generators for cyclic-like groups
            orders_hint = _orders_from_table(t, e)
        g = int(cand[np.argmax(orders_hint[cand])])
        gens.append(g)
        # closure of the right-multiplication orbit of e under the generators
        reached = np.zeros(n, dtype=bool)
        reached[e] = True
        frontier = np.array([e])
        while frontier.size:
            nxt = np.unique(t[frontier][:, gens].ravel())
            nxt = nxt[~reached[nxt]]
            reached[nxt] = True
            frontier = nxt
    return gens


def _orders_from_table(t: np.ndarray, e: int) -> np.ndarray:
    n = t.shape[0]
    ar = np.arange(n)
    cur = ar.copy()
    orders = np.zeros(n, dtype=np.int64)
    todo = np.ones(n, dtype=bool)
    k = 1
    while todo.any() and k <= n:
        hit = todo & (cur == e)
        orders[hit] = k
        todo &= ~hit
        cur = t[cur, ar]
        k += 1
    orders[todo] = n + 1  # not a group power cycle; validated later
    return orders


def _check_perms(generators: Sequence[Any]) -> np.ndarray:
    if isinstance(generators, np.ndarray) and generators.ndim == 2:
        gens_list = list(generators)
    else:
        try:
            gens_list = list(generators)
        except TypeError:
            raise InvalidArgumentError(
                f"generators must be a sequence of permutations, got {type(generators).__name__}"
            ) from None
    if not gens_list:
        raise InvalidArgumentError("generators must contain at least one permutation")
    arrs = []
    for i, p in enumerate(gens_list):
        if hasattr(p, "array_form"):
            p = p.array_form
        a = np.asarray(p)
        if a.ndim != 1 or a.dtype.kind not in "iu":
            raise InvalidArgumentError(
                f"generators[{i}] must be a 1-D integer sequence (p[x] = image of x), got {p!r}"
            )
        if not np.array_equal(np.sort(a), np.arange(a.size)):
            raise InvalidArgumentError(f"generators[{i}] = {a.tolist()} is not a permutation of 0..{a.size - 1}")
        arrs.append(a.astype(np.int64))
    m = max(a.size for a in arrs)
    out = np.empty((len(arrs), m), dtype=np.int64)
    for i, a in enumerate(arrs):
        if a.size != m:
            raise InvalidArgumentError(
                f"generators have different degrees: generators[{i}] acts on {a.size} points, expected {m}"
            )
        out[i] = a
    return out


def _closure_perms(perms: np.ndarray, limit: int) -> _Enumeration:
    k, m = perms.shape
    ident = np.arange(m, dtype=np.int64)
    elems = [ident]
    index = {ident.tobytes(): 0}
    right: list[np.ndarray] = []
    frontier = np.array([0])
    rows = {0: np.zeros(k, dtype=np.int64)}
    while frontier.size:
        fr = np.stack([elems[i] for i in frontier])
        new_front = []
        for j in range(k):
            prod = fr[:, perms[j]]  # (g s)(x) = g(s(x))
            for r, i in enumerate(frontier.tolist()):
                b = prod[r].tobytes()
                idx = index.get(b)
                if idx is None:
                    idx = len(elems)
                    if idx >= limit:
                        raise TooLargeError(
                            f"permutation group has more than max_order={limit} elements; "
                            "pass a larger max_order (or the known order) to enumerate it",
                            estimate=None,
                            limit=limit,
                        )
                    index[b] = idx
                    elems.append(prod[r].copy())
                    rows[idx] = np.zeros(k, dtype=np.int64)
                    new_front.append(idx)
                rows[i][j] = idx
        frontier = np.asarray(new_front, dtype=np.int64)
    n = len(elems)
    right_arr = np.stack([rows[i] for i in range(n)])
    del right
    return _Enumeration(right_arr, 0, payload=np.stack(elems))


def _check_matrices(generators: Sequence[Any], exact: bool | None) -> tuple[np.ndarray, tuple[Any, ...] | None]:
    try:
        gens_list = list(generators)
    except TypeError:
        raise InvalidArgumentError("generators must be a sequence of square matrices") from None
    if not gens_list:
        raise InvalidArgumentError("generators must contain at least one matrix")
    is_sympy = [type(g).__module__.startswith("sympy") for g in gens_list]
    if exact is None:
        exact = all(is_sympy)
    exact_mats = None
    if exact:
        import sympy

        exact_mats = tuple(sympy.ImmutableMatrix(g) for g in gens_list)
    mats = []
    for i, g in enumerate(gens_list):
        try:
            a = np.asarray(np.array(g, dtype=np.float64) if not is_sympy[i] else np.array(g.evalf(30), dtype=np.float64))
        except (TypeError, ValueError):
            raise InvalidArgumentError(f"generators[{i}] is not a numeric matrix") from None
        if a.ndim != 2 or a.shape[0] != a.shape[1]:
            raise InvalidArgumentError(f"generators[{i}] must be a square matrix, got shape {a.shape}")
        if not np.isfinite(a).all():
            raise InvalidArgumentError(f"generators[{i}] has non-finite entries (NaN or inf)")
        if abs(np.linalg.det(a)) < 1e-12 * max(1.0, np.abs(a).max()) ** a.shape[0]:
            raise InvalidArgumentError(f"generators[{i}] is singular, so it is no group element")
        mats.append(a)
    d = mats[0].shape[0]
    for i, a in enumerate(mats):
        if a.shape[0] != d:
            raise InvalidArgumentError(f"generators[{i}] has shape {a.shape}, expected ({d}, {d})")
    return np.stack(mats), exact_mats


_GRID = 1e-8


def _mat_key(m: np.ndarray) -> bytes:
    return np.round(m / _GRID).astype(np.int64).tobytes()


def _closure_matrices(mats: np.ndarray, limit: int) -> _Enumeration:
    k, d, _ = mats.shape
    ident = np.eye(d)
    elems = [ident]
    index = {_mat_key(ident): 0}
    rows = {0: np.zeros(k, dtype=np.int64)}
    frontier = [0]
    while frontier:
        fr = np.stack([elems[i] for i in frontier])
        new_front = []
        for j in range(k):
            prod = fr @ mats[j]
            for r, i in enumerate(frontier):
                key = _mat_key(prod[r])
                idx = index.get(key)
                if idx is None:
                    idx = len(elems)
                    if idx >= limit:
                        raise TooLargeError(
                            f"matrix group has more than max_order={limit} elements "
                            "(or a generator has infinite order)",
                            limit=limit,
                        )
                    index[key] = idx
                    elems.append(prod[r])
                    rows[idx] = np.zeros(k, dtype=np.int64)
                    new_front.append(idx)
                rows[i][j] = idx
        frontier = new_front
    n = len(elems)
    return _Enumeration(np.stack([rows[i] for i in range(n)]), 0, payload=np.stack(elems))


def _cycle_string(p: np.ndarray) -> str:
    seen = np.zeros(p.size, dtype=bool)
    cycles = []
    for x in range(p.size):
        if not seen[x]:
            c = [x]
            seen[x] = True
            y = int(p[x])
            while y != x:
                c.append(y)
                seen[y] = True
                y = int(p[y])
            if len(c) > 1:
                cycles.append("(" + " ".join(map(str, c)) + ")")
    return "".join(cycles) or "()"

