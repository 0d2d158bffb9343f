"""Private building blocks of finite groups: the enumerated Cayley graph and input validation.

Everything here is internal to `reptheory.groups`; the public entry points live in
`reptheory.groups.finite`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import cached_property
from typing import Any

import numpy as np

from reptheory.errors import GroupAxiomError, InvalidArgumentError, TooLargeError

# A relator is a word in the generators: letter j >= 0 is s_j, letter ~j (= -j-1) is s_j^{-1}.
Word = tuple[int, ...]

def small_int_dtype(n: int) -> np.dtype:
    """The smallest signed integer type holding the indices ``0 … n-1``.

    Examples
    --------
    >>> small_int_dtype(100), small_int_dtype(15_000), small_int_dtype(100_000)
    (dtype('int8'), dtype('int16'), dtype('int32'))
    """
    for dt in (np.int8, np.int16, np.int32):
        if n - 1 <= np.iinfo(dt).max:
            return np.dtype(dt)
    return np.dtype(np.int64)


#: Entries handled at once by the chunked (linear-memory) passes over an n × n table.
_CHUNK = 1 << 22


def _row_chunks(n: int, width: int | None = None) -> list[slice]:
    step = max(1, _CHUNK // max(1, width if width is not None else n))
    return [slice(lo, min(n, lo + step)) for lo in range(0, n, step)]


class _Enumeration:
    """Enumerated Cayley graph (private; arrays are read-only).

    ``right[g, j] = g · s_j``.  The breadth-first tree from the identity gives
    ``parent``, ``letter`` (``g = parent[g] · s_{letter[g]}``) and ``depth``.  When a
    full multiplication table is known (``table``), every product is one look-up;
    otherwise products walk the word of the right factor (``O(L)`` look-ups, ``L``
    the depth of the tree).  ``words`` and ``inverse`` are computed on first use.
    """

    def __init__(
        self,
        right: np.ndarray,
        identity: int,
        payload: np.ndarray | None = None,
        *,
        table: np.ndarray | None = None,
        inverse: np.ndarray | None = None,
        product: Any = None,
    ) -> None:
        n, k = right.shape
        self.n = n
        self.k = k
        self.identity = identity
        self.right = _ro(right.astype(np.int64, copy=False))
        self.payload = None if payload is None else _ro(payload)
        self.table = None if table is None else _ro(table)
        self.product = product  # closed-form a · b (broadcasting), for catalogue groups above TABLE_LIMIT
        if inverse is not None:
            self.__dict__["inverse"] = _ro(np.asarray(inverse, dtype=np.int64))
        # breadth-first tree from the identity
        parent = np.full(n, -1, dtype=np.int64)
        letter = np.full(n, -1, dtype=np.int64)
        depth = np.full(n, -1, dtype=np.int64)
        depth[identity] = 0
        order = [np.array([identity], dtype=np.int64)]
        frontier = order[0]
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
            order.append(frontier)
        if (depth < 0).any():
            missing = int(np.flatnonzero(depth < 0)[0])
            raise GroupAxiomError(
                f"generators do not generate the whole table: element {missing} is not reached"
            )
        self.parent = _ro(parent)
        self.letter = _ro(letter)
        self.depth = _ro(depth)
        self.bfs_order = _ro(np.concatenate(order))
        self.max_depth = int(depth.max())

    # ------------------------------------------------------------ derived data
    @cached_property
    def levels(self) -> tuple[tuple[np.ndarray, np.ndarray, np.ndarray], ...]:
        """Per depth ``1 … L``: (elements, their parents, their letters)."""
        order = self.bfs_order
        dep = self.depth[order]
        bounds = np.searchsorted(dep, np.arange(self.max_depth + 2))
        out = []
        for lev in range(1, self.max_depth + 1):
            lvl = order[bounds[lev] : bounds[lev + 1]]
            out.append((_ro(lvl), _ro(self.parent[lvl]), _ro(self.letter[lvl])))
        return tuple(out)

    @cached_property
    def words(self) -> np.ndarray:
        """``words[g]``: the tree word of ``g`` padded with the letter ``k`` (identity), shape (n, max(L, 1))."""
        from reptheory._numerics.limits import check_array

        dt = small_int_dtype(self.k + 1)
        check_array((self.n, max(self.max_depth, 1)), f"word table of a group of order {self.n} (depth {self.max_depth})",
                    np.dtype(dt).itemsize)
        words = np.full((self.n, max(self.max_depth, 1)), self.k, dtype=dt)
        for lev, (lvl, par, let) in enumerate(self.levels, start=1):
            words[lvl, : lev - 1] = words[par, : lev - 1]
            words[lvl, lev - 1] = let
        return _ro(words)

    def word(self, g: int) -> tuple[int, ...]:
        """The tree word of ``g`` (a shortest word), by walking up the parent pointers."""
        out = []
        g = int(g)
        while g != self.identity:
            out.append(int(self.letter[g]))
            g = int(self.parent[g])
        return tuple(out[::-1])

    @cached_property
    def right_ext(self) -> np.ndarray:
        return _ro(np.concatenate([self.right, np.arange(self.n, dtype=np.int64)[:, None]], axis=1))

    @cached_property
    def right_inv(self) -> np.ndarray:
        """Right multiplication by ``s_j^{-1}``: the inverse permutations of the generator columns."""
        rinv = np.empty_like(self.right)
        for j in range(self.k):
            rinv[self.right[:, j], j] = np.arange(self.n)
        return _ro(rinv)

    @cached_property
    def inverse(self) -> np.ndarray:
        """``inverse[g] = g⁻¹``: from the table when known, else from the words.

        ``g = s_{a_1} ⋯ s_{a_m}`` gives ``g⁻¹ = s_{a_m}⁻¹ ⋯ s_{a_1}⁻¹``: right-multiply the
        identity by the inverse letters in reverse order (``O(n L)`` look-ups).
        """
        if self.table is not None:
            return _ro(_table_inverse(self.table, self.identity))
        n = self.n
        if self.product is not None:  # x · y = e  <=>  y = x^{-1}: one row of products per chunk
            inv = np.empty(n, dtype=np.int64)
            for sl in _row_chunks(n):
                inv[sl] = np.argmax(self.left_products(np.arange(sl.start, sl.stop)) == self.identity, axis=1)
            return _ro(inv)
        inv = np.full(n, self.identity, dtype=np.int64)
        w = self.words
        rinv_ext = np.concatenate([self.right_inv, np.arange(n, dtype=np.int64)[:, None]], axis=1)
        for col in range(w.shape[1] - 1, -1, -1):
            inv = rinv_ext[inv, w[:, col]]
        return _ro(inv)

    # ------------------------------------------------------------ products
    def mul(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Products ``a · b`` (broadcasting): one table look-up, else a walk along b's word."""
        if self.table is not None:
            return np.asarray(self.table[a, b], dtype=np.int64)
        if self.product is not None:
            return np.asarray(self.product(np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)), dtype=np.int64)
        a, b = np.broadcast_arrays(np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64))
        out = a.copy()
        w = self.words[b]
        for col in range(w.shape[-1]):
            out = self.right_ext[out, w[..., col]]
        return out

    def left_products(self, a: np.ndarray, dtype: Any = np.int64) -> np.ndarray:
        """``out[i, x] = a_i · x`` for all elements ``x``, shape (len(a), n).

        One gather of table rows when the table is known; otherwise along the
        breadth-first tree, level by level (``a_i · x = (a_i · parent(x)) · s``):
        ``O(len(a) · n)`` look-ups in ``L`` vectorised steps.
        """
        a = np.asarray(a, dtype=np.int64).reshape(-1)
        if self.table is not None:
            return np.asarray(self.table[a], dtype=dtype)
        if self.product is not None:
            return np.asarray(self.product(a[:, None], np.arange(self.n)[None, :]), dtype=dtype)
        out = np.empty((len(a), self.n), dtype=dtype)
        out[:, self.identity] = a
        for lvl, par, let in self.levels:
            out[:, lvl] = self.right[out[:, par], let[None, :]]
        return out

    @cached_property
    def ancestors(self) -> tuple[np.ndarray, ...]:
        """``ancestors[j][g]``: the tree ancestor ``2^j`` levels above g (clamped at the identity)."""
        par = self.parent.copy()
        par[self.identity] = self.identity
        out = [par]
        for _ in range(1, max(1, self.max_depth.bit_length())):
            out.append(out[-1][out[-1]])
        return tuple(_ro(a) for a in out)

    def tree_images(self, images: np.ndarray, method: str | None = None) -> np.ndarray:
        """Images of all elements from generator images along the tree.

        ``images`` has shape (..., k, d, d) (a batch of representations); the result
        (..., n, d, d), with ``out[g] = images[w_1] ⋯ images[w_m]`` for the tree word of
        ``g``.  Level by level (``L`` steps) when the tree is shallow, else by binary
        lifting: ``M_j(g)``, the product of the last ``2^j`` letters of g's word, obeys
        ``M_{j+1}(g) = M_j(anc_j(g)) M_j(g)``, and ``out[g]`` multiplies the ``M_j`` of the
        set bits of ``depth(g)``: ``O(log L)`` batched products instead of ``L``.
        ``method`` (``"levels"`` or ``"lifting"``) overrides the cost model.
        """
        d = images.shape[-1]
        batch = images.shape[:-3]
        B = int(np.prod(batch, dtype=np.int64))
        n = self.n
        # element-major layout (k, B, d, d): a tree step gathers contiguous blocks
        gens = np.moveaxis(images.reshape(B, self.k, d, d), 1, 0)
        eye = np.eye(d, dtype=images.dtype)
        L = self.max_depth
        bits = max(1, L.bit_length())
        work = B * n * (d**3 * 1e-9 + 3e-8)
        if method is None:
            method = "levels" if L * self.k * 2e-5 + work <= (2 * bits + 1) * (2e-5 + work) else "lifting"
        if method == "levels":
            out = np.empty((n, B, d, d), dtype=images.dtype)
            out[self.identity] = eye
            for lvl, par, let in self.levels:
                out[lvl] = small_matmul(out[par], gens[let])
        else:
            let = self.letter.copy()
            let[self.identity] = 0
            M = gens[let]
            M[self.identity] = eye
            out = np.broadcast_to(eye, (n, B, d, d)).copy()
            cur = np.arange(n)
            anc = self.ancestors
            for j in range(bits):
                if j:
                    M = small_matmul(M[anc[j - 1]], M)
                sel = np.flatnonzero((self.depth >> j) & 1)
                if sel.size:
                    out[sel] = small_matmul(M[cur[sel]], out[sel])
                    cur[sel] = anc[j][cur[sel]]
        return np.moveaxis(out, 0, 1).reshape(*batch, n, d, d)

    def tree_permutations(
        self, perms: np.ndarray, coeffs: np.ndarray, method: str | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Monomial images of all elements: ``ρ(g) e_i = C[g, i] e_{P[g, i]}``, shape (n, d) each.

        ``perms[j], coeffs[j]`` describe the generator images the same way, and
        ``(ρ(a) ρ(b)) e_i = C_b[i] C_a[P_b[i]] e_{P_a[P_b[i]]}``; composed level by level
        (``n d`` look-ups in ``L`` steps) or, for deep trees, by binary lifting as in
        `tree_images`.
        """
        n, d = self.n, perms.shape[1]
        L = self.max_depth
        bits = max(1, L.bit_length())
        if method is None:
            method = "levels" if L * self.k * 2e-5 + n * d * 1e-8 <= bits * (2e-5 + 4 * n * d * 1e-8) else "lifting"
        if method == "levels":
            P = np.empty((n, d), dtype=np.int64)
            C = np.empty((n, d), dtype=coeffs.dtype)
            P[self.identity] = np.arange(d)
            C[self.identity] = 1
            for lvl, par, let in self.levels:
                for j in np.unique(let).tolist():
                    sel = lvl[let == j]
                    ps = par[let == j]
                    # rho(p) rho(s_j): e_i -> coeff[j, i] rho(p) e_{perm[j, i]}
                    P[sel] = P[ps][:, perms[j]]
                    C[sel] = C[ps][:, perms[j]] * coeffs[j]
            return P, C
        let = self.letter.copy()
        let[self.identity] = 0
        MP = perms[let].copy()
        MC = coeffs[let].copy()
        MP[self.identity] = np.arange(d)
        MC[self.identity] = 1
        RP = np.broadcast_to(np.arange(d), (n, d)).copy()
        RC = np.ones((n, d), dtype=coeffs.dtype)
        cur = np.arange(n)
        anc = self.ancestors
        rows = np.arange(n)[:, None]
        for j in range(max(1, self.max_depth.bit_length())):
            if j:
                AP, AC = MP[anc[j - 1]], MC[anc[j - 1]]
                MC = MC * AC[rows, MP]
                MP = AP[rows, MP]
            sel = np.flatnonzero((self.depth >> j) & 1)
            if sel.size:
                AP, AC = MP[cur[sel]], MC[cur[sel]]
                r = np.arange(sel.size)[:, None]
                RC[sel] = RC[sel] * AC[r, RP[sel]]
                RP[sel] = AP[r, RP[sel]]
                cur[sel] = anc[j][cur[sel]]
        return RP, RC


def small_matmul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Batched ``a @ b``; for matrices of size ≤ 3 by broadcasting (numpy's matmul is slow on tiny stacks)."""
    d = a.shape[-1]
    if d > 3 or b.shape[-1] > 3:
        return a @ b
    out = a[..., :, 0:1] * b[..., 0:1, :]
    for i in range(1, d):
        out = out + a[..., :, i : i + 1] * b[..., i : i + 1, :]
    return out


def _element_orders(n: int, identity: int, mul: Any) -> np.ndarray:
    """Order of every element: multiply by g until the identity, only for elements not yet done."""
    ar = np.arange(n)
    orders = np.zeros(n, dtype=np.int64)
    cur = ar.copy()
    k = 1
    todo = np.ones(n, dtype=bool)
    while todo.any():
        hit = todo & (cur == identity)
        orders[hit] = k
        todo &= ~hit
        if not todo.any():
            break
        idx = np.flatnonzero(todo)
        cur[idx] = mul(cur[idx], ar[idx])
        k += 1
    return orders


def _conjugacy_classes(enum: _Enumeration, orders: np.ndarray) -> tuple[tuple[np.ndarray, ...], np.ndarray]:
    """Classes as the weak components of ``x ↦ s⁻¹ x s`` (``O(n k)``), identity class first,
    then by element order, size and smallest index; and ``class_of``."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    n = enum.n
    inv = enum.inverse
    rows, cols = [], []
    ar = np.arange(n)
    for j in range(enum.k):
        y = enum.right[inv, j]  # x^{-1} s
        z = enum.right[inv[y], j]  # s^{-1} x s
        rows.append(ar)
        cols.append(z)
    rows.append(ar)  # self-loops: also covers groups with no generators (the trivial group)
    cols.append(ar)
    graph = coo_matrix((np.ones(n * (enum.k + 1)), (np.concatenate(rows), np.concatenate(cols))), shape=(n, n))
    _, lab = connected_components(graph, directed=True, connection="weak")
    srt = np.argsort(lab, kind="stable")
    bounds = np.flatnonzero(np.diff(lab[srt])) + 1
    classes = list(np.split(srt.astype(np.int64), bounds))
    classes.sort(key=lambda c: (int(orders[c[0]]), len(c), int(c.min())))
    e = enum.identity
    classes.sort(key=lambda c: 0 if c[0] == e or e in c else 1)
    class_of = np.empty(n, dtype=np.int64)
    for i, c in enumerate(classes):
        class_of[c] = i
    return tuple(_ro(c) for c in classes), _ro(class_of)


def _table_inverse(t: np.ndarray, e: int) -> np.ndarray:
    """``x · inv[x] = e`` for a Latin square, in row chunks (no n × n temporaries)."""
    n = t.shape[0]
    inv = np.empty(n, dtype=np.int64)
    for sl in _row_chunks(n):
        inv[sl] = np.argmax(t[sl] == e, axis=1)
    return inv


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
            h.update(np.ascontiguousarray(p).reshape(-1).view(np.uint8).data)  # no copy of a large table
        else:
            h.update(repr(p).encode())
    return h.hexdigest()[:16]


def _check_table(table: Any) -> np.ndarray:
    """Validate the shape, the entries and the Latin property of the rows; return the table in the smallest int type.

    Linear extra memory: every pass runs over chunks of ``_CHUNK`` entries.  Columns are
    checked by `_check_columns` only when a later axiom fails: a finite associative
    table with an identity whose rows are permutations (left cancellation) is a group,
    so its columns are permutations too.
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
    dt = small_int_dtype(n)
    t = np.ascontiguousarray(t, dtype=dt)
    # Latin rows and columns: every index exactly once (bincount per chunk, no sorting)
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
    return t


def _check_columns(t: np.ndarray) -> None:
    """Every column of the table is a permutation (chunked bincount)."""
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
    # in a Latin square the only possible identity is the row e with e*0 = 0
    e = int(np.flatnonzero(t[:, 0] == 0)[0])
    if not (np.array_equal(t[e], ar) and np.array_equal(t[:, e], ar)):
        raise GroupAxiomError("table has no identity element: no e with e*x = x*e = x for all x")
    rinv = _table_inverse(t, e)  # x * rinv[x] = e
    bad = np.flatnonzero(t[rinv, ar] != e)  # then rinv[x] * x = e as well
    if bad.size:
        x = int(bad[0])
        linv = int(np.flatnonzero(t[:, x] == e)[0])
        raise GroupAxiomError(
            f"inverses are inconsistent for x={x}: x*{int(rinv[x])} = e but {linv}*x = e"
        )
    return e, rinv


def _check_associative(t: np.ndarray, gens: Sequence[int]) -> None:
    """Light's test ``(x s) y = x (s y)`` for the generators s, in row chunks."""
    n = t.shape[0]
    for s in gens:
        col = t[:, s]
        row = t[s, :].astype(np.intp)
        for sl in _row_chunks(n):
            lhs = t[col[sl]]  # (x s) y
            rhs = t[sl][:, row]  # x (s y)
            if not np.array_equal(lhs, rhs):
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
        # the subgroup generated so far: closure of its elements under right multiplication
        gi = np.asarray(gens, dtype=np.intp)
        frontier = np.flatnonzero(reached)
        while frontier.size:
            nxt = np.unique(t[frontier[:, None], gi[None, :]].ravel()).astype(np.int64)
            nxt = nxt[~reached[nxt]]
            reached[nxt] = True
            frontier = nxt
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

