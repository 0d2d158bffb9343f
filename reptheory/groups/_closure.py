"""Input checks and closures of the ways a user gives a finite group (private helpers of `reptheory.groups.finite`).

Cayley tables (square, Latin, identity, inverses, associativity by Light's test on a greedy
generating set), permutations and matrices (closure by breadth-first search over right
multiplication by the generators, with an element limit; generators of infinite order refused),
claimed orders, labels and relators.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from reptheory.errors import GroupAxiomError, InvalidArgumentError, TooLargeError
from reptheory.groups._cayley import Word, _Enumeration, _row_chunks, _table_inverse, small_int_dtype


def _check_table(table: Any) -> np.ndarray:
    """Validate the shape and the entries (integers in ``0 … n-1``); return the table in the smallest int type.

    The Latin property is not checked here: a finite table with a two-sided identity, two-sided
    inverses and associativity is a group, so its rows and columns are permutations.  When one
    of those axioms fails, `_check_columns` reports a repeated entry of a row or a column first.
    """
    try:
        t = np.asarray(table)
    except Exception as exc:  # ragged input
        raise GroupAxiomError(f"table could not be read as an array: {exc}") from None
    if t.dtype == object:
        raise GroupAxiomError("table is ragged or not numeric: expected an n x n integer array")
    if t.ndim != 2 or t.shape[0] != t.shape[1] or t.shape[0] == 0:
        raise GroupAxiomError(f"table must be a non-empty square n x n array, got shape {t.shape}")
    n = t.shape[0]
    if t.dtype.kind == "f":
        for sl in _row_chunks(n):
            c = t[sl]
            if not np.isfinite(c).all() or not (c == np.round(c)).all():
                raise GroupAxiomError("table must contain integers, found non-integer entries")
    elif t.dtype.kind not in "iub" or t.dtype.kind == "b":
        raise GroupAxiomError(f"table must contain integers, got dtype {t.dtype}")
    lo, hi = t.min(), t.max()
    if lo < 0 or hi >= n:
        bad_val = lo if lo < 0 else hi
        i, j = (int(v) for v in np.argwhere(t == bad_val)[0])
        raise GroupAxiomError(f"table[{i}, {j}] = {int(t[i, j])} is out of range 0..{n - 1}")
    return np.ascontiguousarray(t, dtype=small_int_dtype(n))


def _check_rows(t: np.ndarray) -> None:
    """Every row of the table is a permutation (chunked bincount)."""
    n = t.shape[0]
    for sl in _row_chunks(n):
        c = t[sl].astype(np.int64)
        m = c.shape[0]
        counts = np.bincount((c + n * np.arange(m)[:, None]).ravel(), minlength=m * n).reshape(m, n)
        bad = np.flatnonzero((counts != 1).any(axis=1))
        if bad.size:
            i = sl.start + int(bad[0])
            v = int(np.flatnonzero(counts[bad[0]] > 1)[0])
            where = np.flatnonzero(t[i] == v)[:2].tolist()
            raise GroupAxiomError(
                f"table is not a Latin square: row {i} contains {v} twice (columns {where[0]} and {where[1]})"
            )


def _check_columns(t: np.ndarray) -> None:
    """Every row and every column of the table is a permutation (chunked bincount); called when an axiom
    failed, to report a repeated entry first."""
    _check_rows(t)
    n = t.shape[0]
    for sl in _row_chunks(n):
        c = t[:, sl].astype(np.int64)
        m = c.shape[1]
        counts = np.bincount((c + n * np.arange(m)[None, :]).ravel(), minlength=m * n).reshape(m, n)
        bad = np.flatnonzero((counts != 1).any(axis=1))
        if bad.size:
            j = sl.start + int(bad[0])
            v = int(np.flatnonzero(counts[bad[0]] > 1)[0])
            where = np.flatnonzero(t[:, j] == v)[:2].tolist()
            raise GroupAxiomError(
                f"table is not a Latin square: column {j} contains {v} twice (rows {where[0]} and {where[1]})"
            )


def _table_identity_inverse(t: np.ndarray) -> tuple[int, np.ndarray]:
    """Identity and inverses of a Latin square, checked (``O(n²)`` time, ``O(n)`` extra memory)."""
    n = t.shape[0]
    ar = np.arange(n)
    # the identity e has e*0 = 0; the first such row is the only candidate in a Latin square
    cand = np.flatnonzero(t[:, 0] == 0)
    e = int(cand[0]) if cand.size else -1
    if e < 0 or not (np.array_equal(t[e], ar) and np.array_equal(t[:, e], ar)):
        raise GroupAxiomError("table has no identity element: no e with e*x = x*e = x for all x")
    rinv = _table_inverse(t, e)  # the first y with x * y = e
    bad = np.flatnonzero(t[ar, rinv] != e)
    if bad.size:
        raise GroupAxiomError(f"element {int(bad[0])} has no inverse: no y with x*y = e")
    bad = np.flatnonzero(t[rinv, ar] != e)  # two-sided
    if bad.size:
        x = int(bad[0])
        left = np.flatnonzero(t[:, x] == e)
        linv = f"{int(left[0])}*x = e" if left.size else "no y has y*x = e"
        raise GroupAxiomError(f"inverses are inconsistent for x={x}: x*{int(rinv[x])} = e but {linv}")
    return e, rinv


def _check_associative(t: np.ndarray, gens: Sequence[int]) -> None:
    """Light's test ``(x s) y = x (s y)`` for the generators s, in row chunks.

    Rows are gathered with ``np.take`` (several times faster than fancy indexing along the
    second axis) and compared as 64-bit words where the chunk's byte length allows it.
    """
    n = t.shape[0]
    width = 8 if (n * t.itemsize) % 8 == 0 else t.itemsize
    word = np.dtype(f"<i{width}") if width in (1, 2, 4, 8) else t.dtype
    for s in gens:
        col = t[:, s].astype(np.intp)
        row = t[s, :].astype(np.intp)
        for sl in _row_chunks(n, n, chunk=1 << 18):
            lhs = np.take(t, col[sl], axis=0)  # (x s) y
            rhs = np.take(t[sl], row, axis=1)  # x (s y)
            if not np.array_equal(lhs.reshape(-1).view(word), rhs.reshape(-1).view(word)):
                diff = np.argwhere(lhs != rhs)
                x, y = (int(v) for v in diff[0])
                raise GroupAxiomError(
                    f"table is not associative: (a*b)*c != a*(b*c) for a={sl.start + x}, b={s}, c={y}"
                )


def _greedy_generators(t: np.ndarray, e: int) -> list[int]:
    """A small generating set: repeatedly add an unreached element of large order.

    The orders are those of at most 64 sampled unreached candidates (a fixed seed),
    so the heuristic costs ``O(64 · exponent)`` look-ups rather than ``O(n · exponent)``.
    """
    n = t.shape[0]
    rng = np.random.default_rng(0)
    reached = np.zeros(n, dtype=bool)
    reached[e] = True
    gens: list[int] = []
    while not reached.all():
        cand = np.flatnonzero(~reached)
        if cand.size > 64:
            cand = np.sort(rng.choice(cand, size=64, replace=False))
        g = int(cand[np.argmax(_orders_from_table(t, e, cand))])
        gens.append(g)
        _grow(lambda a, b: t[a, b], reached, gens)
    return gens


def _grow(mul: Any, reached: np.ndarray, gens: Sequence[int]) -> None:
    """Close the mask ``reached`` (the elements of a subgroup, or the identity) under right multiplication by ``gens``, in place.

    ``mul`` is a vectorised product of element indices (a table look-up or ``FiniteGroup.mul``).
    """
    gi = np.asarray(gens, dtype=np.intp)
    frontier = np.flatnonzero(reached)
    while frontier.size:
        nxt = np.unique(np.asarray(mul(frontier[:, None], gi[None, :])).ravel()).astype(np.int64)
        nxt = nxt[~reached[nxt]]
        reached[nxt] = True
        frontier = nxt


def _generating_subset(mul: Any, identity: int, order: int, members: np.ndarray) -> list[int]:
    """A generating set of the subgroup whose elements are ``members``: each next generator is the first member not reached yet."""
    reached = np.zeros(order, dtype=bool)
    reached[identity] = True
    gens: list[int] = []
    for y in np.asarray(members).tolist():
        if not reached[y]:
            gens.append(int(y))
            _grow(mul, reached, gens)
    return gens


def _orders_from_table(t: np.ndarray, e: int, elements: np.ndarray) -> np.ndarray:
    """Orders of the given elements (``n + 1`` where no power up to n is e: not a group)."""
    n = t.shape[0]
    idx = np.arange(len(elements))
    base = np.asarray(elements, dtype=np.int64)
    cur = base.copy()
    orders = np.full(len(elements), n + 1, dtype=np.int64)
    k = 1
    while idx.size and k <= n:
        hit = cur == e
        orders[idx[hit]] = k
        idx, cur = idx[~hit], cur[~hit]
        cur = t[cur, base[idx]].astype(np.int64)
        k += 1
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
    if m <= 256:
        # before any enumeration: a lower bound of the order from a random Schreier-Sims chain
        # (exact, by the deterministic phase, for small degrees)
        from reptheory.groups._schreier_sims import Chain

        order = Chain.build(perms, m, verify=m <= 24, stop_above=None if m <= 24 else limit).order
        if order > limit:
            bound = f"order {order}" if m <= 24 else f"order at least {order}"
            raise TooLargeError(
                f"permutation group has {bound} > max_order={limit}: enumerating it is refused; "
                "reptheory.groups.permutation_group(generators) gives its order, membership, random "
                "elements, conjugacy classes and character table without enumerating it (or pass a "
                "larger max_order to enumerate)",
                estimate=order,
                limit=limit,
            )
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
                            "pass a larger max_order (or the known order) to enumerate it, or use "
                            "reptheory.groups.permutation_group(generators), which does not enumerate",
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


def _subgroup_closure(mul: Any, identity: int, gens: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """Elements of the subgroup generated by ``gens`` (breadth-first, identity first) and its right-multiplication table.

    ``right[i, j]`` is the position of ``elems[i] · gens[j]``; one vectorised product per level of the
    breadth-first search (``mul`` broadcasts over arrays of element indices).
    """
    gi = np.asarray(gens, dtype=np.int64)
    elems = [np.array([identity], dtype=np.int64)]
    seen = {int(identity)}
    frontier = elems[0]
    while frontier.size:
        prod = np.asarray(mul(frontier[:, None], gi[None, :]), dtype=np.int64).ravel()
        _, first = np.unique(prod, return_index=True)
        new = [int(p) for p in prod[np.sort(first)].tolist() if p not in seen]  # first occurrences, row-major
        seen.update(new)
        frontier = np.asarray(new, dtype=np.int64)
        elems.append(frontier)
    out = np.concatenate(elems)
    pos = {int(g): i for i, g in enumerate(out.tolist())}
    prod = np.asarray(mul(out[:, None], gi[None, :]), dtype=np.int64)
    right = np.array([pos[int(p)] for p in prod.ravel().tolist()], dtype=np.int64).reshape(prod.shape)
    return out, right


def _cosets(order: int, coset_of: Any) -> list[np.ndarray]:
    """The cosets ``coset_of(g)`` (arrays of indices) partitioning ``0 … order-1``, each sorted."""
    seen = np.zeros(order, dtype=bool)
    out = []
    for g in range(order):
        if not seen[g]:
            c = np.asarray(coset_of(g))
            seen[c] = True
            out.append(np.sort(c))
    return out

