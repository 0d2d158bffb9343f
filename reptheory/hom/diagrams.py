"""Diagram bases of ``Hom_G(V^{⊗k}, V^{⊗l})`` for O(n) and SO(n) (docs/explanation/routes.md#diagram-method).

For the defining representation ``V = ℝⁿ`` of O(n) the first fundamental theorem of
invariant theory says that ``Hom_{O(n)}(V^{⊗k}, V^{⊗l})`` is spanned by the **Brauer
diagrams**: perfect matchings of the ``l + k`` legs (output legs ``0 … l−1``, input legs
``l … l+k−1``), the matching ``{(a₁, b₁), …}`` giving the integer tensor

$$
T_{i_0 … i_{l+k-1}} = \\prod_{(a, b)} δ_{i_a i_b},
\\qquad W = T.\\mathrm{reshape}(n^l, n^k).
$$

For SO(n) one adds the **ε-diagrams**: ``n`` legs joined to the Levi-Civita tensor
``ε_{i_{e_1} … i_{e_n}}`` (legs in increasing order), the other legs matched (products of
two ε reduce to δ's, so one ε suffices). For U(n) and SU(n) on mixed tensors ``V^{⊗a} ⊗ V*^{⊗b}``
the same machinery runs on **walled Brauer diagrams** (each ``V``-leg matched with a ``V̄``-leg),
plus one ε on ``n`` legs of the same kind for SU(n) (`unitary_diagram_span`); for Sp(n)
on ``ℂ^{2n}`` pairs on one side carry the symplectic form ``J`` (`symplectic_diagram_span`). When ``k + l`` is large compared to ``n`` the
diagrams are linearly dependent (the second fundamental theorem); an independent subset is
extracted **exactly**: the integer Gram matrix ``Gᵢⱼ = ⟨Dᵢ, Dⱼ⟩_F`` has the same column
dependences as the diagrams, its reduced row-echelon form modulo a 61-bit prime gives
pivot diagrams (independent over ℚ, since a minor that is non-zero mod p is non-zero)
and candidate relations ``D_j = Σ_i r_{ij} D_{p_i}``, which are lifted to ℚ by rational
reconstruction and **verified over the integers** on the Gram matrix
(``G(den·e_j − Σ num_i e_{p_i}) = 0`` implies the relation, because ``v ⊥ span D`` and
``v ∈ span D`` give ``v = 0``). No floating-point solver runs; the basis is the pivot
diagrams themselves (entries 0, ±1), and the cost is proportional to the number of
diagrams times their non-zeros, plus the ``m × m`` Gram elimination.

Examples
--------
>>> from reptheory.groups.lie_catalog import SO
>>> V = SO(4).defining_representation()
>>> D = diagram_span(4, 3, 3, "SO")
>>> D.n_diagrams, D.dim            # 15 Brauer + 15 ε-diagrams, 25 independent
(30, 25)
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from reptheory.errors import TooLargeError
from reptheory.groups._schreier_sims import permutation_sign

__all__ = ["DiagramSpan", "diagram_span", "clear_diagram_caches", "count_diagrams", "tensor_power_degree", "MAX_DIAGRAMS", "MAX_DIAGRAM_NNZ",
           "mixed_signature", "unitary_diagram_span", "count_unitary_diagrams", "symplectic_diagram_span"]

#: Largest number of diagrams whose Gram matrix is eliminated exactly.
MAX_DIAGRAMS = 2500
#: Largest total number of non-zero entries over all diagrams.
MAX_DIAGRAM_NNZ = 60_000_000


def _double_factorial(m: int) -> int:
    return math.prod(range(m, 0, -2)) if m > 0 else 1


def count_diagrams(n: int, k: int, l: int, kind: str) -> tuple[int, int]:
    """``(number of diagrams, total non-zero entries)`` for ``Hom(V^{⊗k}, V^{⊗l})``, before building them.

    Examples
    --------
    >>> count_diagrams(3, 5, 5, "O")
    (945, 229635)
    """
    p = k + l
    m = nnz = 0
    if p % 2 == 0:
        m = _double_factorial(p - 1)
        nnz = m * n ** (p // 2)
    if kind == "SO" and p >= n and (p - n) % 2 == 0:
        me = math.comb(p, n) * _double_factorial(p - n - 1)
        m += me
        nnz += me * math.factorial(n) * n ** ((p - n) // 2)
    return m, nnz


@lru_cache(maxsize=16)
def _matching_array(p: int) -> np.ndarray:
    """All ``(p − 1)!!`` perfect matchings of ``range(p)`` as a read-only array ``(m, p/2, 2)``.

    ``M(p)`` pairs leg 0 with each ``i = 1, …, p − 1`` in turn and matches the other legs by ``M(p − 2)``
    relabelled (pairs ``(a, b)`` with ``a < b``, listed by their first leg): the cost is the size of the
    output. The order fixes which diagrams the exact basis extraction keeps.
    """
    if p == 0:
        out = np.zeros((1, 0, 2), dtype=np.int64)
    else:
        sub = _matching_array(p - 2)
        parts = []
        for i in range(1, p):
            rest = np.array([x for x in range(1, p) if x != i], dtype=np.int64)
            head = np.broadcast_to(np.array([[0, i]], dtype=np.int64), (sub.shape[0], 1, 2))
            parts.append(np.concatenate([head, rest[sub]], axis=1))
        out = np.concatenate(parts)
    out.setflags(write=False)
    return out


def _matching_labels(M: np.ndarray, names: np.ndarray | None = None) -> list[str]:
    """Labels ``"δ(a,b)…"`` (or ``"J(a,b)"`` where ``names`` is True) of the matchings ``M`` (m, h, 2)."""
    if names is None:
        return ["δ" + "".join(f"({a},{b})" for a, b in m) for m in M.tolist()]
    return ["".join(f"J({a},{b})" if sm else f"δ({a},{b})" for (a, b), sm in zip(m, row, strict=True))
            for m, row in zip(M.tolist(), names.tolist(), strict=True)]


@lru_cache(maxsize=32)
def _grid(n: int, q: int) -> np.ndarray:
    """All tuples in ``range(n)^q``, shape (n^q, q)."""
    return np.indices((n,) * q).reshape(q, -1).T.astype(np.int64) if q else np.zeros((1, 0), dtype=np.int64)


@lru_cache(maxsize=8)
def _perms(n: int) -> tuple[np.ndarray, np.ndarray]:
    perms = np.array(list(itertools.permutations(range(n))), dtype=np.int64)
    signs = np.array([permutation_sign(p) for p in perms], dtype=np.int8)
    return perms, signs


def _diagram_columns(n: int, k: int, l: int, kind: str, with_labels: bool = True
                     ) -> tuple[list[np.ndarray], list[np.ndarray], list[str]]:
    p = k + l
    stride = np.array([n ** (p - 1 - i) for i in range(p)], dtype=np.int64)
    cols, vals, labels = [], [], []
    if p % 2 == 0:
        M = _matching_array(p)
        pos = _grid(n, p // 2) @ (stride[M[:, :, 0]] + stride[M[:, :, 1]]).T  # (n^{p/2}, m): one product for all
        ones = np.ones(pos.shape[0], dtype=np.int8)
        cols += list(pos.T)
        vals += [ones] * M.shape[0]
        labels += _matching_labels(M) if with_labels else [""] * M.shape[0]
    if kind == "SO" and p >= n and (p - n) % 2 == 0:
        perms, signs = _perms(n)
        sub = _matching_array(p - n)
        grid = _grid(n, (p - n) // 2)
        v = np.repeat(signs, grid.shape[0])
        for E in itertools.combinations(range(p), n):
            rest = np.array([i for i in range(p) if i not in E], dtype=np.int64)
            eps_part = perms @ stride[list(E)]
            M = rest[sub]  # the matchings of the other legs
            pair_part = grid @ (stride[M[:, :, 0]] + stride[M[:, :, 1]]).T  # (n^{(p-n)/2}, m')
            full = eps_part[None, :, None] + pair_part.T[:, None, :]  # (m', n!, n^{(p-n)/2})
            cols += list(full.reshape(M.shape[0], -1))
            vals += [v] * M.shape[0]
            labels += [f"ε{E}" + lab for lab in _matching_labels(M)] if with_labels else [""] * M.shape[0]
    return cols, vals, labels


@dataclass(frozen=True, eq=False)
class DiagramSpan:
    """The diagrams of ``Hom(V^{⊗k}, V^{⊗l})`` and an exactly extracted basis among them.

    Attributes
    ----------
    n, k, l : int
    kind : {"O", "SO"}
    n_diagrams : int
        All diagrams (Brauer, then ε-diagrams).
    pivots : ndarray of int
        Indices of the independent diagrams (a basis of the span).
    D : scipy.sparse.csc_matrix of int8, shape (n^{l+k}, dim)
        Column ``i`` is the row-major flattening of the basis diagram ``i``.
    gram : ndarray of int64, shape (dim, dim)
        ``Dᵀ D`` (positive definite).
    labels : tuple of str
        The basis diagrams, e.g. ``"δ(0,3)(1,2)"``.
    relations : int
        Number of verified linear relations (``n_diagrams − dim``).
    """

    n: int
    k: int
    l: int
    kind: str
    n_diagrams: int
    pivots: np.ndarray
    D: Any
    gram: np.ndarray
    labels: tuple[str, ...]
    relations: int

    @property
    def dim(self) -> int:
        """Dimension of the span."""
        return int(self.pivots.size)

    @property
    def shape(self) -> tuple[int, int]:
        """``(n^l, n^k)``."""
        return (self.n**self.l, self.n**self.k)


@lru_cache(maxsize=128)
def diagram_span(n: int, k: int, l: int, kind: str) -> DiagramSpan:
    """Build the diagrams of ``Hom_G(V^{⊗k}, V^{⊗l})`` (``G = O(n)`` or ``SO(n)``) and extract a basis exactly.

    Results are cached per ``(n, k, l, kind)`` and shared: treat their arrays as read-only.

    Raises
    ------
    TooLargeError
        More than `MAX_DIAGRAMS` diagrams or `MAX_DIAGRAM_NNZ` non-zeros (estimated
        from the counts before anything is built).

    Examples
    --------
    >>> S = diagram_span(3, 2, 2, "O")
    >>> S.dim, S.labels
    (3, ('δ(0,1)(2,3)', 'δ(0,2)(1,3)', 'δ(0,3)(1,2)'))
    """
    import scipy.sparse as sp

    m, nnz = count_diagrams(n, k, l, kind)
    if m > MAX_DIAGRAMS or nnz > MAX_DIAGRAM_NNZ:
        raise TooLargeError(
            f"Hom(V^{k}, V^{l}) of {kind}({n}) has {m} diagrams with {nnz} non-zeros (limits {MAX_DIAGRAMS}, "
            f"{MAX_DIAGRAM_NNZ})", estimate=max(m, nnz), limit=MAX_DIAGRAMS)
    N = n ** (k + l)
    if m == 0:
        return DiagramSpan(n, k, l, kind, 0, np.zeros(0, dtype=np.int64), sp.csc_matrix((N, 0), dtype=np.int8),
                           np.zeros((0, 0), dtype=np.int64), (), 0)
    cols, vals, labels = _diagram_columns(n, k, l, kind)
    return _independent_span(n, k, l, kind, N, cols, vals, labels)


def clear_diagram_caches() -> None:
    """Empty the in-memory caches of diagram spans, block spans and tensor layouts (for cold timings).

    Examples
    --------
    >>> clear_diagram_caches()
    """
    from reptheory.hom import _diagram_routes, diagram_sums

    for f in (diagram_span, unitary_diagram_span, symplectic_diagram_span, _diagram_routes._block_span, _diagram_routes._defining,
              _diagram_routes._degree, _diagram_routes._net_ok, diagram_sums._cached_layout, diagram_sums._embedding):
        f.cache_clear()


def _exact_pivots(G: np.ndarray) -> np.ndarray | None:
    """Pivot columns of the integer Gram matrix, certified over ℚ (see the module docstring)."""
    import flint

    from reptheory._numerics.exact import _primes_below, rational_reconstruction

    m = G.shape[0]
    gmax = int(np.abs(G).max(initial=0))
    for p in _primes_below(2**62, 3):
        R, rank = flint.nmod_mat((G % p).tolist(), p).rref()
        E = np.array([int(x) for x in R.entries()], dtype=np.int64).reshape(m, m)[:rank]
        piv = np.argmax(E != 0, axis=1)
        if rank == m:
            return piv.astype(np.int64)
        non = np.setdiff1d(np.arange(m), piv)
        C = E[:, non]  # column j = Σ_i C[i, j] column piv[i]  (mod p)
        small = 1 << 20
        num = np.where(C < small, C, C - p).astype(object)  # ±small integers directly
        den = np.ones(len(non), dtype=object)
        hard = np.argwhere((C >= small) & (p - C >= small))
        ok = True
        if hard.size:
            fr: dict[tuple[int, int], tuple[int, int]] = {}
            for i, c in hard:
                rr = rational_reconstruction(int(C[i, c]), p)
                if rr is None:
                    ok = False
                    break
                fr[(int(i), int(c))] = rr
            if not ok:
                continue
            for c in {c for _, c in fr}:
                L = math.lcm(*(b for (_, cc), (_, b) in fr.items() if cc == c))
                den[c] = L
                num[:, c] = num[:, c] * L
                for (i, cc), (a, b) in fr.items():
                    if cc == c:
                        num[i, c] = a * (L // b)
        bound = gmax * (int(np.abs(num).sum(axis=0).max(initial=0)) + int(np.abs(den).max(initial=1)))
        if bound < 2**62:
            lhs = G[:, non] * den.astype(np.int64)[None, :]
            rhs = G[:, piv] @ num.astype(np.int64)
        else:  # pragma: no cover - huge coefficients: Python integers
            lhs = G[:, non].astype(object) * den[None, :]
            rhs = G[:, piv].astype(object) @ num
        if np.array_equal(lhs, rhs):
            return piv.astype(np.int64)
    return None


def tensor_power_degree(rep: Any, V: Any) -> int | None:
    """``k`` if ``rep`` equals ``V^{⊗k}`` (same generator and Lie-algebra images, to rounding), else None.

    Checked on random vectors: ``ρ(X) x`` against ``Σ_i X`` acting on tensor factor ``i``,
    ``O(k · dim ρ²)`` per image; the trivial 1-dimensional representation is ``k = 0``.

    Examples
    --------
    >>> from reptheory.groups.lie_catalog import O
    >>> V = O(3).defining_representation()
    >>> tensor_power_degree(V @ V, V), tensor_power_degree(V + V, V)
    (2, None)
    """
    n, d = V.dim, rep.dim
    if rep.group != V.group or rep.images.shape[0] != V.images.shape[0] or rep.algebra.shape[0] != V.algebra.shape[0]:
        return None
    k = round(math.log(d, n)) if d > 1 else 0
    if n**k != d:
        return None
    if k == 0:
        ok = np.allclose(rep.algebra, 0.0, atol=1e-12) and np.allclose(rep.images, 1.0, atol=1e-12)
        return 0 if ok else None
    rng = np.random.default_rng(12345)
    x = rng.standard_normal(d)
    xt = x.reshape((n,) * k)
    for A, X in zip(rep.algebra, V.algebra, strict=True):
        want = sum(np.moveaxis(np.tensordot(X, xt, axes=([1], [i])), 0, i) for i in range(k))
        if not np.allclose(A @ x, np.asarray(want).reshape(-1), rtol=1e-12, atol=1e-12 * max(1.0, float(np.abs(A).max()))):
            return None
    for S, Y in zip(rep.images, V.images, strict=True):
        want = xt
        for i in range(k):
            want = np.moveaxis(np.tensordot(Y, want, axes=([1], [i])), 0, i)
        if not np.allclose(S @ x, want.reshape(-1), rtol=1e-12, atol=1e-12):
            return None
    return k


# ---------------------------------------------------------------- U(n), SU(n): walled Brauer diagrams
def mixed_signature(rep: Any, V: Any, max_factors: int = 6) -> tuple[bool, ...] | None:
    """``(c_1, …, c_k)`` if ``rep`` equals ``V^{c_1} ⊗ … ⊗ V^{c_k}`` with ``V^{False} = V``, ``V^{True} = V*`` (checked on random vectors).

    Examples
    --------
    >>> from reptheory.groups.classical import SU
    >>> V = SU(3).defining_representation()
    >>> mixed_signature(V @ V.dual(), V)
    (False, True)
    """
    n, d = V.dim, rep.dim
    if rep.group != V.group or rep.images.shape[0] or V.images.shape[0] or rep.algebra.shape[0] != V.algebra.shape[0]:
        return None
    k = round(math.log(d, n)) if d > 1 else 0
    if n**k != d or k > max_factors:
        return None
    if k == 0:
        return () if np.allclose(rep.algebra, 0.0, atol=1e-12) else None
    Xs = (np.asarray(V.algebra), -np.transpose(np.asarray(V.algebra), (0, 2, 1)))
    rng = np.random.default_rng(12345)
    x = rng.standard_normal(d) + 1j * rng.standard_normal(d)
    xt = x.reshape((n,) * k)
    Ax = [A @ x for A in rep.algebra]
    for sig in itertools.product((False, True), repeat=k):
        ok = True
        for a, y in enumerate(Ax):
            want = sum(np.moveaxis(np.tensordot(Xs[int(c)][a], xt, axes=([1], [i])), 0, i) for i, c in enumerate(sig))
            if not np.allclose(y, np.asarray(want).reshape(-1), rtol=1e-12, atol=1e-12 * max(1.0, float(np.abs(rep.algebra).max()))):
                ok = False
                break
        if ok:
            return tuple(bool(c) for c in sig)
    return None


def _unitary_diagrams(n: int, sig_in: tuple[bool, ...], sig_out: tuple[bool, ...], special: bool
                      ) -> tuple[list[np.ndarray], list[np.ndarray], list[str]]:
    l, k = len(sig_out), len(sig_in)
    p = k + l
    stride = np.array([n ** (p - 1 - i) for i in range(p)], dtype=np.int64)
    # leg types: output V and input V* transform like V ("v"); output V* and input V like V̄ ("w")
    types = [("w" if c else "v") for c in sig_out] + [("v" if c else "w") for c in sig_in]
    v = tuple(i for i in range(p) if types[i] == "v")
    w = tuple(i for i in range(p) if types[i] == "w")
    cols, vals, labels = [], [], []

    def add(pairs: list[tuple[int, int]], E: tuple[int, ...] | None) -> None:
        ps = np.array([stride[a] + stride[b] for a, b in pairs], dtype=np.int64)
        pair_part = _grid(n, len(pairs)) @ ps
        lab = "".join(f"({a},{b})" for a, b in pairs)
        if E is None:
            cols.append(pair_part)
            vals.append(np.ones(pair_part.size, dtype=np.int8))
            labels.append("δ" + lab)
        else:
            perms, signs = _perms(n)
            eps_part = perms @ stride[list(E)]
            cols.append((eps_part[:, None] + pair_part[None, :]).ravel())
            vals.append(np.repeat(signs, pair_part.size))
            labels.append("ε" + str(E) + "δ" + lab)

    if len(v) == len(w):
        for perm in itertools.permutations(w):
            add(list(zip(v, perm, strict=True)), None)
    if special:
        big, small = (v, w) if len(v) > len(w) else (w, v)
        if len(big) - len(small) == n:
            for E in itertools.combinations(big, n):
                rest = tuple(i for i in big if i not in E)
                for perm in itertools.permutations(small):
                    add(list(zip(rest, perm, strict=True)), E)
    return cols, vals, labels


def count_unitary_diagrams(n: int, sig_in: tuple[bool, ...], sig_out: tuple[bool, ...], special: bool) -> int | None:
    """Number of walled Brauer (and, for SU(n), one-ε) diagrams, or None when the spanning set needs two or more ε's.

    Examples
    --------
    >>> count_unitary_diagrams(3, (False, False, True), (False,), True)
    2
    """
    nv = sum(1 for c in sig_out if not c) + sum(1 for c in sig_in if c)
    nw = len(sig_in) + len(sig_out) - nv
    m = math.factorial(nv) if nv == nw else 0
    if special and abs(nv - nw) == n:
        m += math.comb(max(nv, nw), n) * math.factorial(min(nv, nw))
    elif special and nv != nw and abs(nv - nw) % n == 0:
        return None  # products of several ε: not enumerated here
    return m


@lru_cache(maxsize=128)
def unitary_diagram_span(n: int, sig_in: tuple[bool, ...], sig_out: tuple[bool, ...], special: bool) -> DiagramSpan:
    """``Hom_G(⊗ V^{sig_in}, ⊗ V^{sig_out})`` for ``G = U(n)`` (``special=False``) or ``SU(n)``: walled Brauer diagrams.

    A leg of an output ``V`` or an input ``V*`` transforms like ``V``, the others like ``V̄``;
    the diagrams match each ``V``-leg with a ``V̄``-leg (``δ``), and for SU(n) one ε may join
    ``n`` legs of the same kind. A basis is extracted exactly as in `diagram_span`.

    Examples
    --------
    >>> unitary_diagram_span(3, (False, False, True), (False,), True).dim
    2
    """
    import scipy.sparse as sp

    m = count_unitary_diagrams(n, sig_in, sig_out, special)
    if m is None or m > MAX_DIAGRAMS:
        raise TooLargeError(f"{m} walled Brauer diagrams (limit {MAX_DIAGRAMS})", estimate=m, limit=MAX_DIAGRAMS)
    k, l = len(sig_in), len(sig_out)
    N = n ** (k + l)
    kind = "SU" if special else "U"
    if m == 0:
        return DiagramSpan(n, k, l, kind, 0, np.zeros(0, dtype=np.int64), sp.csc_matrix((N, 0), dtype=np.int8),
                           np.zeros((0, 0), dtype=np.int64), (), 0)
    cols, vals, labels = _unitary_diagrams(n, sig_in, sig_out, special)
    return _independent_span(n, k, l, kind, N, cols, vals, labels)


# ---------------------------------------------------------------- Sp(n): Brauer diagrams with the symplectic form
@lru_cache(maxsize=128)
def symplectic_diagram_span(n: int, k: int, l: int) -> DiagramSpan:
    """``Hom_{Sp(n)}(V^{⊗k}, V^{⊗l})`` on ``V = ℂ^{2n}``: Brauer diagrams with the symplectic form.

    A pair of legs on the same side (both outputs or both inputs, ``a < b``) carries
    ``J_{i_a i_b}`` with ``J = [[0, I], [−I, 0]]`` (``g J gᵀ = J``); a pair joining an output to an
    input carries ``δ`` (``g gᴴ = I``). The basis is extracted exactly as in `diagram_span`.

    Examples
    --------
    >>> symplectic_diagram_span(1, 2, 2).dim, symplectic_diagram_span(2, 2, 2).dim   # Sp(1) = SU(2); Sp(2)
    (2, 3)
    """
    import scipy.sparse as sp

    d = 2 * n
    p = k + l
    m = _double_factorial(p - 1) if p % 2 == 0 else 0
    if m > MAX_DIAGRAMS or m * d ** (p // 2) > MAX_DIAGRAM_NNZ:
        raise TooLargeError(f"{m} symplectic Brauer diagrams (limit {MAX_DIAGRAMS})", estimate=m, limit=MAX_DIAGRAMS)
    N = d**p
    if m == 0:
        return DiagramSpan(d, k, l, "Sp", 0, np.zeros(0, dtype=np.int64), sp.csc_matrix((N, 0), dtype=np.int8),
                           np.zeros((0, 0), dtype=np.int64), (), 0)
    pos, sign, labels = _symplectic_columns(n, k, l)
    return _independent_span(d, k, l, "Sp", N, list(pos.T), list(sign.T), labels)


def _symplectic_columns(n: int, k: int, l: int, with_labels: bool = True) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Non-zero positions and values ``(d^{p/2}, m)`` and labels of every symplectic Brauer diagram on ``ℂ^{2n}``.

    A pair ``(a, b)`` contributes ``v`` at leg ``a`` and ``σ(v)`` at leg ``b``, with ``σ`` the swap of the
    two halves of ``range(2n)`` for a ``J``-pair (both legs on one side; sign ``−1`` when ``v ≥ n``) and the
    identity for a ``δ``-pair: all diagrams at once, as three integer products with the grid of ``v``'s.
    Column ``j`` of both arrays is diagram ``j`` (``k + l`` even).
    """
    d = 2 * n
    p = k + l
    h = p // 2
    stride = np.array([d ** (p - 1 - i) for i in range(p)], dtype=np.int64)
    M = _matching_array(p)
    same = (M[:, :, 0] < l) == (M[:, :, 1] < l)  # J-pairs
    g = _grid(d, h)
    sigma = (g + n) % d
    sa, sb = stride[M[:, :, 0]], stride[M[:, :, 1]]
    pos = g @ (sa + sb * ~same).T + sigma @ (sb * same).T  # (d^h, m)
    parity = (g >= n).astype(np.int64) @ same.T.astype(np.int64)
    sign = (1 - 2 * (parity % 2)).astype(np.int8)
    return pos, sign, _matching_labels(M, same) if with_labels else [""] * M.shape[0]


def _independent_span(n: int, k: int, l: int, kind: str, N: int, cols: list[np.ndarray], vals: list[np.ndarray],
                      labels: list[Any]) -> DiagramSpan:
    """The diagrams (sparse columns of length ``N``) and an exactly independent subset of them (via the Gram matrix)."""
    import scipy.sparse as sp

    from reptheory.errors import ConvergenceError

    m = len(cols)
    indptr = np.concatenate([[0], np.cumsum([c.size for c in cols])])
    Dall = sp.csc_matrix((np.concatenate(vals), np.concatenate(cols), indptr), shape=(N, m))
    Dall.sort_indices()
    G = np.asarray((Dall.T.astype(np.int64) @ Dall.astype(np.int64)).toarray(), dtype=np.int64)
    pivots = _exact_pivots(G)
    if pivots is None:  # pragma: no cover - three unlucky primes
        raise ConvergenceError("exact diagram basis extraction failed for three primes")
    return DiagramSpan(n, k, l, kind, m, pivots, Dall[:, pivots], G[np.ix_(pivots, pivots)],
                       tuple(labels[i] for i in pivots), m - pivots.size)

