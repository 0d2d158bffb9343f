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
        from reptheory._numerics.limits import check_array

        check_array((n, max(L, 1)), f"word table of a group of order {n} (depth {L})")
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
            raw = np.array(g.evalf(30), dtype=np.complex128) if is_sympy[i] else np.asarray(g)
            if raw.dtype == object or raw.dtype.kind not in "biufc":
                raise TypeError
            a = raw.astype(np.complex128 if raw.dtype.kind == "c" or is_sympy[i] else np.float64)
        except (TypeError, ValueError):
            raise InvalidArgumentError(f"generators[{i}] is not a numeric matrix") from None
        if a.dtype.kind == "c" and not np.any(a.imag):
            a = a.real.copy()
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
    dtype = np.complex128 if any(a.dtype.kind == "c" for a in mats) else np.float64
    return np.stack(mats).astype(dtype), exact_mats


def _check_max_order(max_order: Any) -> int:
    if max_order is None:
        from reptheory._numerics.limits import current_limits

        return current_limits().max_order
    if isinstance(max_order, bool) or not isinstance(max_order, (int, np.integer)) or max_order < 1:
        raise InvalidArgumentError(f"max_order must be a positive integer, got {max_order!r}")
    return int(max_order)


def _check_claimed_order(order: Any, max_order: int) -> None:
    if order is None:
        return
    if isinstance(order, bool) or not isinstance(order, (int, np.integer)) or order < 1:
        raise InvalidArgumentError(f"order must be a positive integer or None, got {order!r}")
    if order > max_order:
        raise TooLargeError(
            f"order={order} is claimed but cannot be verified without enumerating more than "
            f"max_order={max_order} elements; pass a larger max_order (the closure is then "
            "enumerated and checked) or omit order",
            estimate=int(order),
            limit=max_order,
        )


def _fmt_int(n: int) -> str:
    """``str(n)``, or ``~10^e`` for integers too long to print."""
    if n < 10**100:
        return str(n)
    return f"~10^{int(n.bit_length() * 0.30102999566398120)}"


def _check_labels(labels: Any) -> tuple[str, ...]:
    if isinstance(labels, (str, bytes)) or not isinstance(labels, Sequence | np.ndarray):
        raise InvalidArgumentError(
            f"labels must be a sequence of str (one per element), got {type(labels).__name__} {labels!r:.60}"
        )
    return tuple(str(x) for x in labels)


def _check_relators(relators: Any, perms: np.ndarray) -> tuple[Word, ...]:
    """Validate relator words and check that each holds on the generating permutations."""
    k, m = perms.shape
    if isinstance(relators, (str, bytes)) or not isinstance(relators, Sequence):
        raise InvalidArgumentError(f"relators must be a sequence of words, got {type(relators).__name__}")
    from reptheory._numerics.limits import check_limit

    total = 0
    out = []
    for i, w in enumerate(relators):
        if isinstance(w, (str, bytes)) or not isinstance(w, Sequence | np.ndarray):
            raise InvalidArgumentError(f"relators[{i}] must be a sequence of letters, got {w!r:.60}")
        word = []
        for x in w:
            if isinstance(x, bool) or not isinstance(x, (int, np.integer)) or not -k <= int(x) < k:
                raise InvalidArgumentError(
                    f"relators[{i}] has letter {x!r}: letters are generator positions 0..{k - 1} "
                    f"or their inverses ~j (-{k}..-1)"
                )
            word.append(int(x))
        total += len(word)
        check_limit("max_bytes", 8 * total * m, "relators (total length x degree)")
        inv = np.argsort(perms, axis=1)
        p = np.arange(m)
        for x in word:
            p = p[perms[x]] if x >= 0 else p[inv[~x]]
        if not np.array_equal(p, np.arange(m)):
            raise GroupAxiomError(
                f"relators[{i}] = {tuple(word)!r:.80} does not hold: the word in the generators is "
                "not the identity permutation"
            )
        out.append(tuple(word))
    return tuple(out)


def _check_finite_order(g: np.ndarray, i: int, max_order: int) -> int:
    """Return the order of matrix ``g`` or raise [`GroupAxiomError`][reptheory.errors.GroupAxiomError] when it is infinite.

    Finite order means diagonalisable with roots of unity as eigenvalues.  The candidate order is
    the lcm of the denominators of the eigenvalue angles (best rational approximations with
    denominator ``≤ max_order``); it is accepted only if ``g^m = I`` (repeated squaring).
    """
    from fractions import Fraction

    d = g.shape[0]
    ev = np.linalg.eigvals(g)
    mod = np.abs(ev)
    if np.any(np.abs(mod - 1.0) > 1e-6):
        j = int(np.argmax(np.abs(mod - 1.0)))
        raise GroupAxiomError(
            f"generators[{i}] has infinite order: eigenvalue {complex(ev[j]):.6g} has modulus "
            f"{mod[j]:.6g} != 1 (an element of a finite group has roots of unity as eigenvalues)"
        )
    m = 1
    for lam in ev:
        frac = Fraction(float(np.angle(lam)) / (2 * np.pi)).limit_denominator(max_order)
        m = int(np.lcm(m, frac.denominator))
        if m > max_order:
            raise TooLargeError(
                f"generators[{i}] has order > max_order={max_order} (or infinite order)",
                estimate=m,
                limit=max_order,
            )
    # g^m by repeated squaring
    result = np.eye(d, dtype=g.dtype)
    base, e = g, m
    while e:
        if e & 1:
            result = result @ base
        e >>= 1
        if e:
            base = base @ base
    scale = max(1.0, float(np.abs(g).max()))
    err = float(np.abs(result - np.eye(d)).max()) / scale
    if not err <= 1e-7 * max(1, d):
        raise GroupAxiomError(
            f"generators[{i}] has infinite order: its eigenvalues lie on the unit circle but "
            f"g^{m} != I (max deviation {err:.3g}); it is not diagonalisable or its eigenvalue "
            f"angles are not rational with denominator <= max_order={max_order}"
        )
    return m


_GRID = 1e-8


#: Entries beyond this bound mean the generated group is infinite (finite groups are bounded).
_ENTRY_BOUND = 1e8


def _mat_key(m: np.ndarray) -> bytes:
    m = np.ascontiguousarray(m)
    r = m.view(np.float64) if m.dtype.kind == "c" else m
    return np.round(r / _GRID).astype(np.int64).tobytes()


def _closure_matrices(mats: np.ndarray, limit: int) -> _Enumeration:
    k, d, _ = mats.shape
    scale = max(1.0, float(np.abs(mats).max()))
    bound = _ENTRY_BOUND * scale
    ident = np.eye(d, dtype=mats.dtype)
    elems = [ident]
    index = {_mat_key(ident): 0}
    rows = {0: np.zeros(k, dtype=np.int64)}
    frontier = [0]
    while frontier:
        fr = np.stack([elems[i] for i in frontier])
        new_front = []
        for j in range(k):
            prod = fr @ mats[j]
            if not np.abs(prod).max() <= bound:
                raise GroupAxiomError(
                    "the generated matrix group is infinite: products of the generators have entries "
                    f"above {bound:.3g} (a finite group preserves a positive definite form, so its "
                    "elements are bounded)"
                )
            for r, i in enumerate(frontier):
                key = _mat_key(prod[r])
                idx = index.get(key)
                if idx is not None and not np.allclose(elems[idx], prod[r], rtol=0, atol=10 * _GRID * scale):
                    raise GroupAxiomError(
                        "matrix closure is ambiguous: two different products round to the same key "
                        "(the generators are not of finite order to 1e-8 accuracy)"
                    )
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
    payload = np.stack(elems)
    _check_invariant_form(payload, mats)
    return _Enumeration(np.stack([rows[i] for i in range(n)]), 0, payload=payload)


def _check_invariant_form(elems: np.ndarray, mats: np.ndarray) -> None:
    """A finite group fixes ``P = Σ_g gᴴ g``; failure means the closure is not a group."""
    P = np.einsum("nji,njk->ik", elems.conj(), elems)
    norm = float(np.linalg.norm(P))
    for j, s in enumerate(mats):
        err = float(np.linalg.norm(s.conj().T @ P @ s - P)) / norm
        if not err <= 1e-6:
            raise GroupAxiomError(
                f"the enumerated matrix closure is not a finite group: generator {j} does not preserve "
                f"the averaged form sum_g g^H g (relative error {err:.3g})"
            )


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

