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

from reptheory.errors import GroupAxiomError

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


def _row_chunks(n: int, width: int | None = None, *, chunk: int = _CHUNK) -> list[slice]:
    """Slices of ``n`` rows of ``width`` entries, about ``chunk`` entries each."""
    step = max(1, chunk // max(1, width if width is not None else n))
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


def _prime_factors(n: int) -> list[int]:
    """The distinct primes dividing ``n`` (trial division)."""
    out, p = [], 2
    while p * p <= n:
        if n % p == 0:
            out.append(p)
            while n % p == 0:
                n //= p
        p += 1
    if n > 1:
        out.append(n)
    return out


def _powers(g: np.ndarray, e: np.ndarray, identity: int, mul: Any) -> np.ndarray:
    """``g_i ** e_i`` for arrays of elements and non-negative exponents, by repeated squaring (vectorised)."""
    out = np.full(g.shape, identity, dtype=np.int64)
    base = np.array(g, dtype=np.int64)  # a copy: squared in place
    e = np.array(e, dtype=np.int64)
    while e.size and e.max() > 0:
        sel = np.flatnonzero(e & 1)
        if sel.size:
            out[sel] = mul(out[sel], base[sel])
        e >>= 1
        live = np.flatnonzero(e > 0)
        if not live.size:
            break
        base[live] = mul(base[live], base[live])
    return out


def _element_orders(n: int, identity: int, mul: Any) -> np.ndarray:
    """Order of every element.

    First by repeated multiplication (``g, g², …`` for the elements not yet done), which is
    cheapest when the orders are small; after as many rounds as the second method costs, the
    elements left (large orders) get theirs by division: the order divides ``n = |G|``, so
    start from ``n`` and divide by each prime ``p`` while ``g^{o/p} = e`` (powers by repeated
    squaring), ``O(Ω(n) log n)`` vectorised products instead of ``O(order)``.

    Examples
    --------
    >>> table = np.array([[(i + j) % 6 for j in range(6)] for i in range(6)])
    >>> _element_orders(6, 0, lambda a, b: table[a, b]).tolist()
    [1, 6, 3, 2, 3, 6]
    """
    primes = _prime_factors(n)
    omega = sum(_multiplicity(n, p) + 1 for p in primes)
    budget = 2 * omega * max(1, n.bit_length())
    ar = np.arange(n, dtype=np.int64)
    orders = np.zeros(n, dtype=np.int64)
    cur = ar.copy()
    todo = ar
    k = 1
    while todo.size and k <= budget:
        hit = cur[todo] == identity
        orders[todo[hit]] = k
        todo = todo[~hit]
        if todo.size:
            cur[todo] = mul(cur[todo], todo)
        k += 1
    if todo.size:
        orders[todo] = n
        for p in primes:
            left = todo[orders[todo] % p == 0]
            while left.size:
                e = orders[left] // p
                hit = _powers(left, e, identity, mul) == identity
                orders[left[hit]] = e[hit]
                left = left[hit]
                left = left[orders[left] % p == 0]
    return orders


def _multiplicity(n: int, p: int) -> int:
    a = 0
    while n % p == 0:
        n //= p
        a += 1
    return a


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


def _cayley_graph(name: str, right: np.ndarray, labels: Sequence[str], generators: Sequence[int]) -> Any:
    """``networkx.DiGraph`` with edges ``g → g·s_j`` (``right[g, j]``) labelled by the generator."""
    import networkx as nx

    graph = nx.DiGraph(name=name)
    for g in range(right.shape[0]):
        graph.add_node(g, label=labels[g])
    for j, s in enumerate(generators):
        for g in range(right.shape[0]):
            graph.add_edge(g, int(right[g, j]), generator=j, label=labels[s])
    return graph

