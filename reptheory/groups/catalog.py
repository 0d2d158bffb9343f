"""Catalogue of finite groups: pure, cached factories.

Every factory returns an immutable [`FiniteGroup`][reptheory.groups.finite.FiniteGroup]
whose ``name`` is the call that rebuilds it (``"dihedral(4)"``).  Small families
are built from closed-form multiplication tables (no validation cost); symmetric
and alternating groups from permutations, kept lazy with their known order and a
presentation, so that ``symmetric(10)`` costs nothing until enumerated; the point
groups of square and cubic grids from their exact 2×2 / 3×3 matrices.

Examples
--------
>>> from reptheory import groups
>>> [groups.cyclic(6).order, groups.dihedral(6).order, groups.symmetric(4).order]
[6, 12, 24]
>>> groups.octahedral().order, groups.full_octahedral().order, groups.icosahedral().order
(24, 48, 60)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from functools import lru_cache, partial
from typing import Any

import numpy as np

from reptheory._numerics.limits import check_limit
from reptheory.errors import GroupAxiomError, InvalidArgumentError
from reptheory.groups._cayley import _ro, _row_chunks, small_int_dtype
from reptheory.groups._closure import _check_perms, _closure_perms
from reptheory.groups.finite import TABLE_LIMIT, FiniteGroup, _digest, _Enumeration

__all__ = [
    "cyclic",
    "dihedral",
    "symmetric",
    "alternating",
    "klein_four",
    "quaternion",
    "dicyclic",
    "direct_product",
    "semidirect_product",
    "square_rotations",
    "square_symmetries",
    "octahedral",
    "full_octahedral",
    "tetrahedral",
    "icosahedral",
    "flips",
]


def _check_n(n: Any, name: str, minimum: int = 1) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or int(n) < minimum:
        raise InvalidArgumentError(f"{name}: n must be an integer >= {minimum}, got {n!r}")
    return int(n)


def _table_group(
    name: str,
    table: np.ndarray | Callable[[np.ndarray, np.ndarray], np.ndarray],
    generators: Sequence[int],
    labels: Sequence[str],
    relators: Sequence[tuple[int, ...]] | None = None,
    meta: dict[str, Any] | None = None,
    *,
    order: int | None = None,
    identity: int = 0,
) -> FiniteGroup:
    """A catalogue group from its table, or from a closed form ``product(i, j)`` (broadcasting).

    A closed form fills the table in row chunks, in the smallest integer type, up to
    `TABLE_LIMIT` elements; above it only the generator columns are kept.
    """
    if callable(table):
        assert order is not None
        n = order
        ar = np.arange(n)
        gens = tuple(int(g) for g in generators)
        if n > TABLE_LIMIT:
            right = np.asarray(table(ar[:, None], np.asarray(gens)[None, :]), dtype=np.int64)
            return FiniteGroup(
                name=name,
                key="catalog:" + name,
                order=n,
                generators=gens,
                enumeration=_Enumeration(right, identity, product=table),
                labels=tuple(labels),
                relators=None if relators is None else tuple(tuple(r) for r in relators),
                meta=meta,
            )
        t = np.empty((n, n), dtype=small_int_dtype(n))
        for sl in _row_chunks(n):
            t[sl] = table(ar[sl, None], ar[None, :])
    else:
        t = np.asarray(table)
        n = len(t)
        t = t.astype(small_int_dtype(n))
        identity = int(np.flatnonzero(t[:, 0] == 0)[0])
    gens = tuple(int(g) for g in generators)
    enum = _Enumeration(t[:, list(gens)], identity, table=_ro(t))
    return FiniteGroup(
        name=name,
        key="catalog:" + name,
        order=n,
        generators=gens,
        enumeration=enum,
        labels=tuple(labels),
        table=enum.table,
        relators=None if relators is None else tuple(tuple(r) for r in relators),
        meta=meta,
    )


@lru_cache(maxsize=64)
def cyclic(n: int) -> FiniteGroup:
    """Cyclic group ``C_n = ⟨r | rⁿ⟩``; element ``k`` is ``r^k``.

    Examples
    --------
    >>> G = cyclic(4)
    >>> G.labels, G.generators
    (('e', 'r', 'r^2', 'r^3'), (1,))
    """
    n = _check_n(n, "cyclic")
    if n <= TABLE_LIMIT:
        return _table_group(f"cyclic({n})", partial(_cyclic_product, n), [1 % n], _cyclic_labels(n), [(0,) * n],
                            order=n)
    # large n: nothing per element is built until asked for (and then within limits)
    return FiniteGroup(
        name=f"cyclic({n})",
        key=f"catalog:cyclic({n})",
        order=n,
        generators=(1,),
        enumerate_fn=partial(_cyclic_enumeration, n),
        labels=partial(_cyclic_labels, n),
        relators=partial(_cyclic_relators, n),
    )


def _cyclic_labels(n: int) -> tuple[str, ...]:
    check_limit("max_bytes", 64 * n, f"labels of cyclic({n}) (bytes, one string per element)")
    return ("e",) + tuple("r" if k == 1 else f"r^{k}" for k in range(1, n))


def _cyclic_relators(n: int) -> tuple[tuple[int, ...], ...]:
    check_limit("max_bytes", 8 * n, f"presentation of cyclic({n}) (bytes of a relator of length n)")
    return ((0,) * n,)


def _cyclic_product(n: int, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    return (i + j) % n


def _cyclic_enumeration(n: int, limit: int) -> _Enumeration:
    return _Enumeration(((np.arange(n) + 1) % n)[:, None], 0, product=partial(_cyclic_product, n))


@lru_cache(maxsize=64)
def dihedral(n: int) -> FiniteGroup:
    """Dihedral group ``D_n`` of order ``2n`` (symmetries of the regular n-gon).

    Element ``k + n·e`` is ``r^k s^e``; generators ``r`` (rotation) and ``s``
    (reflection), presentation ``rⁿ = s² = (s r)² = e``.

    Examples
    --------
    >>> G = dihedral(3)
    >>> G.order, [G.labels[g] for g in G.generators]
    (6, ['r', 's'])
    """
    n = _check_n(n, "dihedral")

    def product(i: np.ndarray, j: np.ndarray) -> np.ndarray:
        # r^a s^e · r^b s^f = r^(a + (-1)^e b) s^(e + f)
        sign = 1 - 2 * (i // n)
        return (i % n + sign * (j % n)) % n + n * ((i // n) ^ (j // n))

    labels = []
    for idx in range(2 * n):
        kk_, ee_ = idx % n, idx // n
        r = "" if kk_ == 0 else ("r" if kk_ == 1 else f"r^{kk_}")
        s = "s" if ee_ else ""
        labels.append((r + s) or "e")
    gens = [1 % n, n]
    # sign character: rotations +1, reflections -1 (the determinant of the n-gon action)
    return _table_group(
        f"dihedral({n})", product, gens, labels, [(0,) * n, (1, 1), (1, 0, 1, 0)],
        meta={"sign_images": (1.0, -1.0)}, order=2 * n,
    )


@lru_cache(maxsize=64)
def dicyclic(n: int) -> FiniteGroup:
    """Dicyclic group ``Dic_n`` of order ``4n``: ``⟨a, x | a^{2n}, x² a^{-n}, x a x⁻¹ a⟩``.

    ``dicyclic(2)`` is the quaternion group.  Element ``k + 2n·e`` is ``a^k x^e``.

    Examples
    --------
    >>> dicyclic(3).order
    12
    """
    n = _check_n(n, "dicyclic")
    m = 2 * n

    def product(i: np.ndarray, j: np.ndarray) -> np.ndarray:
        k1, e1, k2, e2 = i % m, i // m, j % m, j // m
        return np.where(e1 == 0, k1 + k2, k1 - k2 + np.where(e2 == 1, n, 0)) % m + m * (e1 ^ e2)

    labels = []
    for i in range(2 * m):
        a = i % m
        s = "" if a == 0 else ("a" if a == 1 else f"a^{a}")
        labels.append((s + ("x" if i >= m else "")) or "e")
    return _table_group(f"dicyclic({n})", product, [1, m], labels, order=2 * m)


@lru_cache(maxsize=1)
def quaternion() -> FiniteGroup:
    """The quaternion group ``Q_8 = {±1, ±i, ±j, ±k}``.

    Examples
    --------
    >>> Q = quaternion()
    >>> Q.order, len(Q.center)
    (8, 2)
    """
    d = dicyclic(2)
    names = ["1", "i", "-1", "-i", "j", "k", "-j", "-k"]
    # a = i, x = j: a^k x = i^k j
    return _table_group("quaternion()", d.table, d.generators, names)


@lru_cache(maxsize=1)
def klein_four() -> FiniteGroup:
    """The Klein four-group ``C_2 × C_2``.

    Examples
    --------
    >>> klein_four().element_orders.tolist()
    [1, 2, 2, 2]
    """
    ar = np.arange(4)
    return _table_group("klein_four()", ar[:, None] ^ ar[None, :], [1, 2], ["e", "a", "b", "ab"])


def _cycle(n: int, points: Sequence[int]) -> list[int]:
    p = list(range(n))
    pts = list(points)
    for i, x in enumerate(pts):
        p[x] = pts[(i + 1) % len(pts)]
    return p


@lru_cache(maxsize=32)
def symmetric(n: int) -> FiniteGroup:
    """Symmetric group ``S_n`` as permutations of ``{0, …, n-1}``.

    Generators: the transposition ``(0 1)`` and the n-cycle ``(0 1 … n-1)``,
    with Moore's presentation (``s², tⁿ, (s t)^{n-1}, (s t⁻¹ s t)³,
    (s t^{-j} s t^j)²``).  The group stays lazy: its order ``n!`` is known and
    elements are enumerated only when an algorithm needs them.

    Examples
    --------
    >>> symmetric(10).order
    3628800
    >>> symmetric(10).is_enumerated
    False
    """
    n = _check_n(n, "symmetric")
    if n == 1:
        gens = [[0]]
    elif n == 2:
        gens = [[1, 0]]
    else:
        gens = [_cycle(n, [0, 1]), _cycle(n, range(n))]
    # the presentation has ~n relators of length ~2n: built on first use, within limits
    return _lazy_perm_group(
        gens, name=f"symmetric({n})", order=math.factorial(n), relators=partial(_symmetric_relators, n)
    )


def _lazy_perm_group(perms: Any, *, name: str, order: int, relators: Callable[[], Any] | None = None) -> FiniteGroup:
    """Catalogue permutation group: order and presentation are theorems, so it stays lazy."""
    p = _check_perms(perms)
    return FiniteGroup(name=name, key="catalog:" + name, order=order, enumerate_fn=partial(_closure_perms, p),
                       generator_perms=p, relators=relators)


def _symmetric_relators(n: int) -> tuple[tuple[int, ...], ...]:
    check_limit("max_bytes", 8 * 4 * n * n, f"presentation of symmetric({n}) (bytes of ~2n^2 letters)")
    if n == 1:
        return ((0,),)
    if n == 2:
        return ((0, 0),)
    s, t, ti = 0, 1, ~1
    rel = [(s, s), (t,) * n, (s, t) * (n - 1), (s, ti, s, t) * 3]
    for j in range(2, n - 1):
        rel.append(((s,) + (ti,) * j + (s,) + (t,) * j) * 2)
    return tuple(rel)


@lru_cache(maxsize=32)
def alternating(n: int) -> FiniteGroup:
    """Alternating group ``A_n`` (even permutations of ``{0, …, n-1}``), lazy like [`symmetric`][reptheory.groups.catalog.symmetric].

    Examples
    --------
    >>> alternating(5).order
    60
    """
    n = _check_n(n, "alternating")
    if n <= 2:
        gens = [list(range(n))]
        order = 1
    elif n == 3:
        gens = [_cycle(3, [0, 1, 2])]
        order = 3
    else:
        long = _cycle(n, range(n)) if n % 2 == 1 else _cycle(n, range(1, n))
        gens = [_cycle(n, [0, 1, 2]), long]
        order = math.factorial(n) // 2
    return _lazy_perm_group(gens, name=f"alternating({n})", order=order)


def _renamed(g: FiniteGroup, name: str) -> FiniteGroup:
    object.__setattr__(g, "_key", "catalog:" + name)
    return g


def direct_product(*groups: FiniteGroup) -> FiniteGroup:
    """Direct product ``G_1 × … × G_m``; element ``(g_1, …, g_m)`` in mixed radix (last fastest).

    The generators are those of each factor, embedded in order.

    Examples
    --------
    >>> G = direct_product(cyclic(2), cyclic(3))
    >>> G.order, G.is_abelian, int(G.element_orders.max())
    (6, True, 6)
    """
    if not groups:
        raise InvalidArgumentError("direct_product needs at least one group")
    for i, g in enumerate(groups):
        if not isinstance(g, FiniteGroup):
            raise InvalidArgumentError(
                f"direct_product: argument {i} must be a FiniteGroup, got {type(g).__name__} "
                "(for Lie groups use reptheory.groups.lie_direct_product)"
            )
    sizes = [g.order for g in groups]
    n = int(np.prod(sizes))
    if n > 10**7:
        from reptheory.errors import TooLargeError

        raise TooLargeError(f"direct product of order {n} is too large to enumerate", estimate=n)
    strides = [int(np.prod(sizes[i + 1 :])) for i in range(len(sizes))]
    coords = np.stack(np.unravel_index(np.arange(n), sizes), axis=1) if len(sizes) > 1 else np.arange(n)[:, None]
    cols = []
    gens_idx = []
    ident = sum(g.identity * s for g, s in zip(groups, strides, strict=True))
    for i, g in enumerate(groups):
        enum = g._enumeration
        for j in range(enum.k):
            new = coords.copy()
            new[:, i] = enum.right[coords[:, i], j]
            cols.append(new @ np.asarray(strides))
            gens_idx.append(int(ident + (enum.right[g.identity, j] - g.identity) * strides[i]))
    right = np.stack(cols, axis=1)
    labels = None
    if n <= 100_000:
        labs = [g.labels for g in groups]
        labels = tuple("(" + ", ".join(labs[i][c] for i, c in enumerate(row)) + ")" for row in coords)
    name = " x ".join(g.name for g in groups)
    return FiniteGroup(
        name=name,
        key="product:" + "|".join(g.key for g in groups),
        order=n,
        generators=tuple(gens_idx),
        enumeration=_Enumeration(right, int(ident)),
        labels=labels,
        meta={"factors": groups},
    )


def semidirect_product(
    N: FiniteGroup, H: FiniteGroup, action: Callable[[int], Any] | Sequence[Any]
) -> FiniteGroup:
    """Semidirect product ``N ⋊_φ H`` with ``(n₁, h₁)(n₂, h₂) = (n₁ φ_{h₁}(n₂), h₁ h₂)``.

    Parameters
    ----------
    N, H : FiniteGroup
    action : callable or sequence
        Either ``action(h)`` returning ``φ_h`` as an integer array of length ``|N|``
        (``φ_h[n]`` is the image of element ``n``) for every element ``h`` of H, or a
        sequence with ``φ_s`` for each generator ``s`` of H (extended along words).

    Raises
    ------
    GroupAxiomError
        Some ``φ_h`` is not an automorphism of N, or ``h ↦ φ_h`` is not a homomorphism.

    Examples
    --------
    >>> C3, C2 = cyclic(3), cyclic(2)
    >>> G = semidirect_product(C3, C2, lambda h: [(-x) % 3 if h else x for x in range(3)])
    >>> G.order, G.is_abelian
    (6, False)
    """
    nN, nH = N.order, H.order
    if callable(action):
        phi = np.stack([np.asarray(action(h), dtype=np.int64) for h in range(nH)])
    else:
        gens_phi = [np.asarray(a, dtype=np.int64) for a in action]
        if len(gens_phi) != H.num_generators:
            raise InvalidArgumentError(
                f"action has {len(gens_phi)} automorphisms, expected one per generator of H ({H.num_generators})"
            )
        phi = np.empty((nH, nN), dtype=np.int64)
        enum = H._enumeration
        phi[enum.identity] = np.arange(nN)
        for h in enum.bfs_order[1:]:
            phi[h] = phi[enum.parent[h]][gens_phi[enum.letter[h]]]
    if phi.shape != (nH, nN):
        raise InvalidArgumentError(f"action must give arrays of length |N| = {nN}, got shape {phi.shape}")
    tN = N.table.astype(np.int64)  # tables are stored in the smallest integer type: index arithmetic in int64
    for h in range(nH):
        p = phi[h]
        if not np.array_equal(np.sort(p), np.arange(nN)):
            raise GroupAxiomError(f"action of h={h} is not a bijection of N")
        if not np.array_equal(p[tN], tN[p[:, None], p[None, :]]):
            raise GroupAxiomError(f"action of h={h} is not an automorphism of N")
    tH = H.table.astype(np.int64)
    for h1 in range(nH):
        for s in H.generators:
            if not np.array_equal(phi[tH[h1, s]], phi[h1][phi[s]]):
                raise GroupAxiomError(f"action is not a homomorphism: phi(h1*h2) != phi(h1) o phi(h2) for h1={h1}, h2={s}")
    n = nN * nH
    idx = np.arange(n)
    a, b = idx // nH, idx % nH
    cols = []
    gens = []
    ident = N.identity * nH + H.identity
    for s in N.generators:
        cols.append(tN[a, phi[b, s]] * nH + b)
        gens.append(s * nH + H.identity)
    for s in H.generators:
        cols.append(a * nH + tH[b, s])
        gens.append(N.identity * nH + s)
    labels = tuple(f"({N.labels[x]}, {H.labels[y]})" for x, y in zip(a, b, strict=True))
    return FiniteGroup(
        name=f"{N.name} x| {H.name}",
        key="semidirect:" + N.key + "|" + H.key + ":" + _digest(phi),
        order=n,
        generators=tuple(gens),
        enumeration=_Enumeration(np.stack(cols, axis=1), int(ident)),
        labels=labels,
    )


# ------------------------------------------------------------------ point groups
def _matrix_group(name: str, gens: Sequence[Any]) -> FiniteGroup:
    import sympy

    g = FiniteGroup.from_matrices([sympy.ImmutableMatrix(m) for m in gens], name=name)
    return _renamed(g, name)


@lru_cache(maxsize=1)
def square_rotations() -> FiniteGroup:
    """``C_4`` as the four rotations of the square grid (2×2 integer matrices).

    Examples
    --------
    >>> square_rotations().order
    4
    """
    return _matrix_group("square_rotations()", [[[0, -1], [1, 0]]])


@lru_cache(maxsize=1)
def square_symmetries() -> FiniteGroup:
    """``D_4`` as the eight symmetries of the square grid: rotation and the flip ``diag(1, -1)``.

    Examples
    --------
    >>> square_symmetries().order
    8
    """
    return _matrix_group("square_symmetries()", [[[0, -1], [1, 0]], [[1, 0], [0, -1]]])


@lru_cache(maxsize=16)
def flips(dim: int, axes: tuple[int, ...] | None = None) -> FiniteGroup:
    """Coordinate reflections ``x_i ↦ -x_i`` of a ``dim``-dimensional grid for the given axes.

    Examples
    --------
    >>> flips(2).order, flips(3, (0,)).order
    (4, 2)
    """
    dim = _check_n(dim, "flips")
    axes = tuple(range(dim)) if axes is None else tuple(int(a) for a in axes)
    if not axes or any(not 0 <= a < dim for a in axes):
        raise InvalidArgumentError(f"flips: axes must be a non-empty subset of 0..{dim - 1}, got {axes}")
    gens = []
    for a in axes:
        m = np.eye(dim, dtype=int)
        m[a, a] = -1
        gens.append(m.tolist())
    return _matrix_group(f"flips({dim}, {axes})", gens)


_ROT_Z = [[0, -1, 0], [1, 0, 0], [0, 0, 1]]
_CYC = [[0, 0, 1], [1, 0, 0], [0, 1, 0]]


@lru_cache(maxsize=1)
def octahedral() -> FiniteGroup:
    """The 24 rotations of the cube (``≅ S_4``) as signed permutation matrices.

    Examples
    --------
    >>> octahedral().order
    24
    """
    return _matrix_group("octahedral()", [_ROT_Z, _CYC])


@lru_cache(maxsize=1)
def full_octahedral() -> FiniteGroup:
    """All 48 symmetries of the cube (``≅ S_4 × C_2``): rotations plus ``-I``.

    Examples
    --------
    >>> full_octahedral().order
    48
    """
    return _matrix_group("full_octahedral()", [_ROT_Z, _CYC, [[-1, 0, 0], [0, -1, 0], [0, 0, -1]]])


@lru_cache(maxsize=1)
def tetrahedral() -> FiniteGroup:
    """The 12 rotations of the regular tetrahedron (``≅ A_4``).

    Examples
    --------
    >>> tetrahedral().order
    12
    """
    return _matrix_group("tetrahedral()", [[[1, 0, 0], [0, -1, 0], [0, 0, -1]], _CYC])


@lru_cache(maxsize=1)
def icosahedral() -> FiniteGroup:
    """The 60 rotations of the icosahedron (``≅ A_5``), exact entries in ``Q(√5)``.

    Generated by the coordinate 3-cycle and a rotation of order 5 whose entries are
    ``1/2, φ/2, 1/(2φ)`` with ``φ`` the golden ratio.

    Examples
    --------
    >>> icosahedral().order
    60
    """
    import sympy

    phi = (1 + sympy.sqrt(5)) / 2
    h = sympy.Rational(1, 2)
    a = [[h, -phi * h, h / phi], [phi * h, h / phi, -h], [h / phi, h, phi * h]]
    return _matrix_group("icosahedral()", [_CYC, a])
