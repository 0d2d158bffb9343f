"""Orbit method for permutation and monomial representations (docs/explanation/routes.md#orbit-method).

For monomial representations ``ρ(s) e_j = c_s(j) e_{σ_s(j)}`` with phases ``c = ±1``,
the action ``T_s(W) = ρ_out(s) W ρ_in(s)^{-1}`` moves entries of ``W`` with a sign:

$$
W[σ^{out}_s(i), σ^{in}_s(j)] = c^{out}_s(i)\\, c^{in}_s(j)^{-1}\\, W[i, j]
\\qquad\\text{for every } W ∈ \\mathrm{Hom}_G.
$$

So ``Hom_G`` is spanned by signed indicators of the orbits of ``G`` on index pairs, and
an orbit whose phases around a loop multiply to ``−1`` carries only ``W = 0``.  The
orbits are the connected components of a graph on ``{entries} × {+, −}`` (the sign
double cover): node ``(e, t)`` is joined to ``(s·e, t·φ_s(e))``.  An orbit is
*inconsistent* exactly when ``(e, +)`` and ``(e, −)`` fall into one component.  Only the
generators are used, so the group is never enumerated (``symmetric(10)`` stays lazy).

Labels are canonical: orbits are numbered in order of their first entry in the row-major
flattening, and the first entry of every orbit has sign ``+1``.

Examples
--------
>>> from reptheory import groups, Representation
>>> R = Representation.regular(groups.dihedral(4))
>>> P = monomial_orbit_projector([R], [R])
>>> P.dim   # End of the regular representation has dimension |G|
8
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from reptheory.hom.projectors import IsotypicProjector, OrbitProjector

__all__ = [
    "MonomialAction",
    "isotypic_as_orbit",
    "monomial_actions",
    "monomial_orbit_projector",
    "orbit_matrix",
    "orbit_projector",
    "signed_permutation",
]

#: A generator's action on indices: ``(perm, coeff)``, each of shape (d,).
MonomialAction = tuple[np.ndarray, np.ndarray]


def _is_sign_vector(c: np.ndarray) -> bool:
    return bool(np.isrealobj(c) and np.all(np.abs(np.abs(c) - 1.0) == 0.0))


def signed_permutation(Q: Any) -> MonomialAction | None:
    """``(p, s)`` with ``Q[:, j] = s[j] e_{p[j]}`` if ``Q`` is a real signed permutation matrix, else None.

    Examples
    --------
    >>> import numpy as np
    >>> p, s = signed_permutation(np.array([[0.0, -1.0], [1.0, 0.0]]))
    >>> p.tolist(), s.tolist()
    ([1, 0], [1.0, -1.0])
    """
    Q = np.asarray(Q)
    if Q.ndim != 2 or Q.shape[0] != Q.shape[1] or np.iscomplexobj(Q) or Q.dtype.kind not in "fiu":
        return None
    nz = Q != 0
    if not (np.all(nz.sum(axis=0) == 1) and np.all(nz.sum(axis=1) == 1) and np.all(np.abs(Q[nz]) == 1)):
        return None
    p = np.argmax(nz, axis=0)
    return p.astype(np.int64), Q[p, np.arange(Q.shape[1])].astype(np.float64)


def monomial_actions(rho: Any) -> list[MonomialAction] | None:
    """The ``(perm, coeff)`` pairs of ``rho``'s generators if they are signed permutations, else None.

    Uses the monomial structure a representation carries (regular, permutation, sign, and sums
    and tensor products of these); otherwise the generator images themselves are inspected, so
    a representation given by signed permutation matrices (e.g. a direct sum with a sign
    character) is recognised too.  Representations of Lie groups (with Lie-algebra images) are
    never monomial.

    Examples
    --------
    >>> from reptheory import groups, Representation
    >>> acts = monomial_actions(Representation.sign(groups.symmetric(3)))
    >>> [c.tolist() for _, c in acts]
    [[-1.0], [1.0]]
    """
    if np.asarray(getattr(rho, "algebra", np.zeros((0,)))).shape[0]:
        return None
    mono = getattr(rho, "monomial", None)
    if mono is None:
        images = getattr(rho, "images", None)
        if images is None:
            return None
        acts = [signed_permutation(m) for m in np.asarray(images)]
        if any(a is None for a in acts):
            return None
        return acts  # type: ignore[return-value]
    perm, coeff = mono
    if not _is_sign_vector(np.asarray(coeff)):
        return None
    return [(np.asarray(perm[j], dtype=np.int64), np.asarray(coeff[j], dtype=np.float64)) for j in range(len(perm))]


def _orbit_projector_graph(
    shape: tuple[int, int],
    actions_out: Sequence[MonomialAction],
    actions_in: Sequence[MonomialAction],
) -> OrbitProjector:
    """Reference implementation of [`orbit_projector`][reptheory.hom.orbits.orbit_projector] (tests): connected components of the
    graph on ``{entries} × {+, −}`` joining ``(e, t)`` to ``(s·e, t·φ_s(e))``.

    Examples
    --------
    >>> import numpy as np
    >>> swap = (np.array([1, 0]), np.array([1.0, 1.0]))
    >>> _orbit_projector_graph((2, 1), [swap], [(np.array([0]), np.array([1.0]))]).labels.tolist()
    [0, 0]
    """
    import scipy.sparse as sp
    from scipy.sparse.csgraph import connected_components

    d_out, d_in = int(shape[0]), int(shape[1])
    n = d_out * d_in
    if len(actions_out) != len(actions_in):
        raise ValueError("actions_out and actions_in must list the same group elements")
    if n == 0:
        return OrbitProjector((d_out, d_in), np.zeros(0, np.int64), np.zeros(0), 0)
    signed = any(np.any(c < 0) for _, c in actions_out) or any(np.any(c < 0) for _, c in actions_in)
    cover = 2 if signed else 1
    N = n * cover
    g = len(actions_out)
    if g:
        # one row per node with exactly g targets: build the CSR arrays directly (no sorting)
        targets = np.empty((N, g), dtype=np.int64)
        for col, ((po, co), (pi, ci)) in enumerate(zip(actions_out, actions_in, strict=True)):
            tgt = (po.astype(np.int64)[:, None] * d_in + pi.astype(np.int64)[None, :]).reshape(-1)
            if cover == 1:
                targets[:, col] = tgt
            else:
                flip = ((co[:, None] * ci[None, :]).reshape(-1) < 0).astype(np.int64)
                targets[:n, col] = tgt + n * flip
                targets[n:, col] = tgt + n * (1 - flip)
        indptr = np.arange(0, N * g + 1, g, dtype=np.int64)
        # float64 data: csgraph would otherwise convert (copy) the whole graph
        graph = sp.csr_matrix((np.ones(N * g), targets.reshape(-1), indptr), shape=(N, N))
        _, comp = connected_components(graph, directed=True, connection="weak")
    else:
        comp = np.arange(N)
    comp = comp.astype(np.int64)
    if cover == 1:
        orbit_of = comp
        sign = np.ones(n)
        valid = np.ones(n, dtype=bool)
    else:
        cp, cm = comp[:n], comp[n:]
        valid = cp != cm
        orbit_of = np.minimum(cp, cm)
        sign = np.where(cp == orbit_of, 1.0, -1.0)
    return _canonical(d_out, d_in, orbit_of, sign, valid)


def _canonical(d_out: int, d_in: int, orbit_of: np.ndarray, sign: np.ndarray,
               valid: np.ndarray | None) -> OrbitProjector:
    """Number orbits by their first entry (row-major) and make the first entry's sign +1.

    ``valid=None`` means every entry is valid (the fast path).
    """
    n = d_out * d_in
    if valid is not None and valid.all():
        valid = None
    if valid is not None and not np.any(valid):
        return OrbitProjector((d_out, d_in), np.full(n, -1, dtype=np.int64), np.zeros(n), 0)
    if valid is None:
        big = np.iinfo(np.int64).max
        first = np.full(int(orbit_of.max()) + 1, big, dtype=np.int64)
        np.minimum.at(first, orbit_of, np.arange(n, dtype=np.int64))
        used = np.flatnonzero(first < big)
        order = used[np.argsort(first[used], kind="stable")]
        relabel = np.full(first.size, -1, dtype=np.int64)
        relabel[order] = np.arange(order.size)
        labels = relabel[orbit_of]
        root_sign = sign[first[order]]
        signs = sign * root_sign[labels] if np.any(root_sign < 0) else np.array(sign, dtype=np.float64)
        return OrbitProjector((d_out, d_in), labels, signs, int(order.size))
    big = np.iinfo(np.int64).max
    first = np.full(int(orbit_of.max()) + 1, big, dtype=np.int64)
    idx = np.flatnonzero(valid)
    np.minimum.at(first, orbit_of[idx], idx)
    used = np.flatnonzero(first < big)
    order = used[np.argsort(first[used], kind="stable")]
    relabel = np.full(first.size, -1, dtype=np.int64)
    relabel[order] = np.arange(order.size)
    labels = np.full(n, -1, dtype=np.int64)
    labels[idx] = relabel[orbit_of[idx]]
    root_sign = np.ones(order.size)
    root_sign[relabel[order]] = sign[first[order]]
    signs = np.zeros(n)
    signs[idx] = sign[idx] * root_sign[labels[idx]]
    return OrbitProjector((d_out, d_in), labels, signs, int(order.size))


def orbit_projector(
    shape: tuple[int, int],
    actions_out: Sequence[MonomialAction],
    actions_in: Sequence[MonomialAction],
    *,
    group: Any = None,
) -> OrbitProjector:
    """Orbits of the signed action of some group elements on the entries of ``(d_out, d_in)`` matrices.

    Parameters
    ----------
    shape : (d_out, d_in)
    actions_out, actions_in : sequences of ``(perm, coeff)``
        The same group elements acting on output and input indices; ``perm`` int arrays of
        shape (d_out,) / (d_in,), ``coeff`` arrays of ±1.
    group : FiniteGroup, optional
        The group whose generators (in order) the actions represent.  Optional; it only
        makes the computation faster: with its order, a row orbit of size ``|G|`` has a
        trivial stabiliser and needs no consistency pass; with its Cayley table, blocks on
        which both actions are the left-regular action are labelled by table look-ups.
        Leave it None when the actions are of a subgroup (the result is the same).

    Returns
    -------
    OrbitProjector
        Its range is the set of ``W`` fixed by every listed element; when the elements
        generate G this is ``Hom_G`` and the projector is the Reynolds operator.

    Notes
    -----
    The row orbits ``X_1, X_2, …`` (numbered by their smallest row ``x_r``) are found as
    connected components; a breadth-first search from all roots at once, level by level
    and vectorised over each level, carries a whole row of root-column labels and signs
    along each tree edge of the Schreier graph (generators and their inverses):
    ``L[σ_out(x)][σ_in(j)] = L[x][j]``, ``S[σ_out(x)][σ_in(j)] = c_out(x) c_in(j) S[x][j]``,
    so ``W[x, j] = S[x, j] v[L[x, j]]`` in the free values ``v`` of the root rows.  A row
    orbit of size ``|G|`` is *free*: its stabiliser is trivial, each pair
    orbit meets the root row exactly once, and ``L`` is already the canonical labelling.
    When both actions are the left-regular action ``ρ(g) e_h = e_{gh}`` in the group's own
    numbering, no search is needed: the orbit of ``(h_1, h_2)`` is labelled by
    ``h_1^{-1} h_2``, one Cayley-table look-up per pair.  Otherwise every Schreier edge gives relations
    ``v[a] = ±v[b]`` between root columns, resolved by connected components on the sign
    double cover of the root columns.

    When the actions are ``m_out`` (``m_in``) identical copies of one action on the first
    ``d_out/m_out`` rows (``d_in/m_in`` columns), as for ``k·ρ``, the orbits are computed
    for one block and laid out over the ``m_out × m_in`` blocks with one broadcast (a
    Kronecker product with the identity, in canonical numbering).

    Time ``O(d_out · d_in)`` vectorised work plus ``O(n_gen)`` array operations per BFS level
    (levels ≤ the diameter of the Schreier graph); with a non-free orbit, another
    ``O(n_gen · d_out · d_in)`` for the relations.  Memory ``O(d_out · d_in)``.  The output
    equals the entry-graph construction (canonical labels).

    Examples
    --------
    >>> import numpy as np
    >>> swap = (np.array([1, 0]), np.array([1.0, 1.0]))
    >>> orbit_projector((2, 1), [swap], [(np.array([0]), np.array([1.0]))]).labels.tolist()
    [0, 0]
    >>> from reptheory import groups, Representation
    >>> R = 3 * Representation.regular(groups.dihedral(4))
    >>> from reptheory.hom.orbits import monomial_actions
    >>> orbit_projector((24, 24), monomial_actions(R), monomial_actions(R), group=R.group).dim
    72
    """
    d_out, d_in = int(shape[0]), int(shape[1])
    if len(actions_out) != len(actions_in):
        raise ValueError("actions_out and actions_in must list the same group elements")
    n = d_out * d_in
    if n == 0:
        return OrbitProjector._trusted((d_out, d_in), np.zeros(0, np.int64), np.zeros(0), 0, 0)
    if not len(actions_out):
        return OrbitProjector._trusted((d_out, d_in), np.arange(n, dtype=np.int64), _unit_signs(n), n, 0)
    ao = [(np.asarray(p, dtype=np.int64), np.asarray(c, dtype=np.float64)) for p, c in actions_out]
    ai = [(np.asarray(p, dtype=np.int64), np.asarray(c, dtype=np.float64)) for p, c in actions_in]
    same = d_out == d_in and all(np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
                                 for a, b in zip(ao, ai, strict=True))
    group_order = _known_order(group)
    reg_out = _regular_copies(group, group_order, d_out, ao)
    reg_in = reg_out if same else _regular_copies(group, group_order, d_in, ai)
    if reg_out and reg_in:  # copies of the regular representation: Cayley-table labels, then blocks
        base = _regular_orbits(group)
        return base if reg_out == reg_in == 1 else _replicate(base, reg_out, reg_in, True)
    first_out = _first_orbit(d_out, [p for p, _ in ao])
    m_out = _copies(d_out, first_out, ao)
    m_in = m_out if same else _copies(d_in, _first_orbit(d_in, [p for p, _ in ai]), ai)
    do, di = d_out // m_out, d_in // m_in
    if first_out[:do].all():  # transitive on the (base) rows: one root, no components to compute
        comp = np.zeros(do, dtype=np.int64)
    else:
        comp = _components(do, [p[:do] for p, _ in ao])
    bo = [(p[:do], c[:do]) for p, c in ao]
    bi = bo if same else [(p[:di], c[:di]) for p, c in ai]
    base, free = _orbit_projector_tree(do, di, bo, bi, comp, group_order)
    if m_out == 1 and m_in == 1:
        return base
    return _replicate(base, m_out, m_in, free)


def _regular_copies(group: Any, order: int | None, d: int, actions: Sequence[MonomialAction]) -> int:
    """``m`` if the actions are ``m`` copies of the left-regular action ``h ↦ s_j h`` of the group's generators
    (in its own numbering, e.g. ``m * Representation.regular(G)``), else 0.  ``O(n_gen · d)``."""
    if order is None or d % order or not getattr(group, "is_enumerated", False) \
            or len(actions) != group.num_generators:
        return 0
    enum = group._enumeration
    gens = np.asarray(group.generators, dtype=np.int64)
    left = enum.table[gens] if enum.table is not None else enum.left_products(gens)  # s_j h, without a table
    m = d // order
    shift = (np.arange(m, dtype=np.int64) * order)[:, None]
    for (p, c), row in zip(actions, left, strict=True):
        if not (bool(np.all(c == 1.0)) and np.array_equal(p.reshape(m, order) - shift,
                                                          np.broadcast_to(row, (m, order)))):
            return 0
    return m if group._product_table() is not None else 0  # the labels need the table


def _regular_orbits(group: Any) -> OrbitProjector:
    """Orbits of G on pairs of the regular representation: ``(h_1, h_2) ↦ x_0 h_1^{-1} h_2`` (``x_0`` = element 0),
    the column where the orbit meets row 0, so the labels are canonical."""
    table = group._product_table()
    inv = group._enumeration.inverse
    n = int(table.shape[0])
    rows = inv if group.identity == 0 else np.asarray(table[0], dtype=np.int64)[inv]
    labels = np.asarray(table[rows], dtype=np.int64).reshape(-1)
    return OrbitProjector._trusted((n, n), labels, _unit_signs(n * n), n, 0)


def _first_orbit(d: int, perms: Sequence[np.ndarray]) -> np.ndarray:
    """Boolean mask of the orbit of point 0 (breadth-first, vectorised per level, generators and inverses)."""
    seen = np.zeros(d, dtype=bool)
    if d == 0:
        return seen
    seen[0] = True
    moves = [*perms, *(_inverse_perm(p) for p in perms)]
    frontier = np.zeros(1, dtype=np.int64)
    while frontier.size:
        nxt = []
        for p in moves:
            t = p[frontier]
            t = t[~seen[t]]
            if t.size:
                seen[t] = True
                nxt.append(t)
        frontier = np.concatenate(nxt) if len(nxt) > 1 else (nxt[0] if nxt else frontier[:0])
    return seen


def _components(d: int, perms: Sequence[np.ndarray]) -> np.ndarray:
    """Orbit id of each of ``d`` points under the permutations (connected components, any numbering)."""
    if d <= 1 or not perms:
        return np.arange(d, dtype=np.int64)
    import scipy.sparse as sp
    from scipy.sparse.csgraph import connected_components

    g = len(perms)
    indices = np.stack(perms, axis=1).reshape(-1)
    graph = sp.csr_matrix((np.ones(d * g), indices, np.arange(0, d * g + 1, g)), shape=(d, d))
    _, comp = connected_components(graph, directed=True, connection="weak")
    return np.asarray(comp, dtype=np.int64)


def _copies(d: int, first: np.ndarray, actions: Sequence[MonomialAction]) -> int:
    """``m`` if the actions are ``m`` identical copies of their action on the first ``d/m`` points, else 1.

    The candidate block is the orbit of point 0 (mask ``first``) when it is an initial segment ``[0, d0)``.
    """
    if d <= 1:
        return 1
    d0 = int(np.count_nonzero(first))
    m = d // d0
    if m <= 1 or d % d0 or not first[:d0].all():
        return 1
    shift = (np.arange(m, dtype=np.int64) * d0)[:, None]
    for p, c in actions:
        if not (np.array_equal(p.reshape(m, d0) - shift, np.broadcast_to(p[:d0], (m, d0)))
                and np.array_equal(c.reshape(m, d0), np.broadcast_to(c[:d0], (m, d0)))):
            return 1
    return m


def _unit_signs(n: int) -> np.ndarray:
    """``n`` signs +1 as a read-only broadcast of one value (no ``8n``-byte array for unsigned fields)."""
    return np.broadcast_to(np.ones(1), (n,))


def _inverse_perm(p: np.ndarray) -> np.ndarray:
    inv = np.empty_like(p)
    inv[p] = np.arange(p.size, dtype=p.dtype)
    return inv


def _orbit_projector_tree(d_out: int, d_in: int, ao: Sequence[MonomialAction], ai: Sequence[MonomialAction],
                          comp: np.ndarray, group_order: int | None) -> tuple[OrbitProjector, bool]:
    """The level-synchronous Schreier-tree search of [`orbit_projector`][reptheory.hom.orbits.orbit_projector] (see its Notes).

    Returns the projector and whether every row orbit was free (labels ``r·d_in + j``, met in root row r).
    """
    signed = any(bool(np.any(c < 0)) for _, c in ao) or any(bool(np.any(c < 0)) for _, c in ai)
    uniq, first = np.unique(comp, return_index=True)
    order = np.argsort(first, kind="stable")
    roots = first[order]
    n_roots = int(roots.size)
    rank = np.empty(int(uniq.max()) + 1, dtype=np.int64)
    rank[uniq[order]] = np.arange(n_roots)
    row_rank = rank[comp]
    cols = np.arange(d_in, dtype=np.int64)
    L = np.empty((d_out, d_in), dtype=np.int64)
    L[roots] = (np.arange(n_roots, dtype=np.int64) * d_in)[:, None] + cols
    S = None
    if signed:
        S = np.empty((d_out, d_in))
        S[roots] = 1.0
    # moves (target row of each row, column gather index, row sign by source, column sign):
    # forward  W[po(x), j] = co(x) ci(pinv j) W[x, pinv j];  backward  W[poinv(x), j] = co(poinv x) ci(j) W[x, pi j]
    moves = []
    for (po, co), (pi, ci) in zip(ao, ai, strict=True):
        pinv = _inverse_perm(pi)
        poinv = _inverse_perm(po)
        moves.append((po, pinv, co, ci[pinv]))
        moves.append((poinv, pi, co[poinv], ci))
    seen = np.zeros(d_out, dtype=bool)
    seen[roots] = True
    frontier = roots
    while frontier.size:
        nxt = []
        for tgt_of, cidx, rsign, csign in moves:
            tgt = tgt_of[frontier]
            new = ~seen[tgt]
            if not new.any():
                continue
            tgt = tgt[new]
            src = frontier[new]
            seen[tgt] = True
            L[tgt] = L[src][:, cidx]
            if S is not None:
                S[tgt] = (rsign[src][:, None] * csign) * S[src][:, cidx]
            nxt.append(tgt)
        frontier = np.concatenate(nxt) if len(nxt) > 1 else (nxt[0] if nxt else frontier[:0])
    sizes = np.bincount(row_rank, minlength=n_roots)
    free = np.full(n_roots, False) if group_order is None else sizes == int(group_order)
    if free.all():
        # trivial stabilisers: every pair orbit meets its root row once, at its root column
        return OrbitProjector._trusted((d_out, d_in), L.reshape(-1),
                                       _unit_signs(d_out * d_in) if S is None else S.reshape(-1), n_roots * d_in, 0), True
    rows = np.flatnonzero(~free[row_rank])
    rel_a: list[np.ndarray] = []
    rel_b: list[np.ndarray] = []
    rel_n: list[np.ndarray] = []
    Lr = L[rows]
    Sr = None if S is None else S[rows]
    for (po, co), (pi, ci) in zip(ao, ai, strict=True):
        pinv = _inverse_perm(pi)
        tgt = po[rows]
        a = L[tgt]                 # the labels row po(x) has
        b = Lr[:, pinv]            # the labels the edge x -> po(x) predicts: v[a] = phi v[b]
        keep = a != b
        if Sr is not None:
            assert S is not None
            phi = S[tgt] * (co[rows][:, None] * ci[pinv]) * Sr[:, pinv]
            neg = phi < 0
            keep |= neg
            rel_n.append(neg[keep])
        rel_a.append(a[keep])
        rel_b.append(b[keep])
    R = n_roots * d_in
    a_all = np.concatenate(rel_a)
    if a_all.size == 0:
        return _canonical(d_out, d_in, L.reshape(-1), np.ones(d_out * d_in) if S is None else S.reshape(-1), None), False
    import scipy.sparse as sp
    from scipy.sparse.csgraph import connected_components

    b_all = np.concatenate(rel_b)
    if S is None:
        graph = sp.csr_matrix((np.ones(a_all.size), (a_all, b_all)), shape=(R, R))
        _, comp_c = connected_components(graph, directed=True, connection="weak")
        flatL = L.reshape(-1)
        return _canonical(d_out, d_in, np.asarray(comp_c, dtype=np.int64)[flatL], np.ones(d_out * d_in), None), False
    neg_all = np.concatenate(rel_n).astype(np.int64)
    # sign double cover: node (c, t), t in {0: +, 1: -}; v[a] = phi v[b] joins (a, t) to (b, t xor neg)
    src = np.concatenate([a_all, a_all + R])
    dst = np.concatenate([b_all + R * neg_all, b_all + R * (1 - neg_all)])
    graph = sp.csr_matrix((np.ones(src.size), (src, dst)), shape=(2 * R, 2 * R))
    _, comp_c = connected_components(graph, directed=True, connection="weak")
    cp, cm = comp_c[:R], comp_c[R:]
    col_valid = cp != cm
    col_class = np.minimum(cp, cm).astype(np.int64)
    col_sign = np.where(cp == col_class, 1.0, -1.0)
    flatL = L.reshape(-1)
    assert S is not None
    return _canonical(d_out, d_in, col_class[flatL], S.reshape(-1) * col_sign[flatL], col_valid[flatL]), False


def _replicate(P: OrbitProjector, m_out: int, m_in: int, free: bool) -> OrbitProjector:
    """The orbit projector of ``m_out`` × ``m_in`` copies of the action of ``P`` (block ``(a, b)`` of rows
    ``a·d_out…`` and columns ``b·d_in…`` has the orbits of ``P``), canonically numbered.

    Orbit ``ℓ`` of ``P`` first met in row ``r(ℓ)`` belongs to the group of ``n_g`` orbits first met in that
    row, starting at ``f_g``; its copy in block ``(a, b)`` gets the label
    ``a·m_in·k + m_in·f_g + b·n_g + (ℓ − f_g)`` (row-major order of first entries).
    """
    d0o, d0i = P.shape
    k = P.n_orbits
    L0 = P.labels.reshape(d0o, d0i)
    valid = L0 >= 0
    all_valid = P.zero_entries == 0
    step: Any
    if free:  # orbit ℓ is met in root row ℓ // d0i at column ℓ mod d0i: f_g = ℓ - ℓ mod d0i, n_g = d0i
        T0 = L0 if k == d0i else L0 + (m_in - 1) * (L0 - L0 % d0i)
        step = d0i
    elif k:
        _, first = np.unique(P.labels, return_index=True)
        first = first[-k:]  # drop the -1 entry, if any; labels 0..k-1 remain in order
        fr = first // d0i
        fg = np.searchsorted(fr, fr, side="left")
        ng = np.searchsorted(fr, fr, side="right") - fg
        Lc = np.where(valid, L0, 0)
        T0 = L0 + (m_in - 1) * fg[Lc]
        step = ng[Lc][:, None, :]
    else:
        T0, step = L0, 0
    b = np.arange(m_in, dtype=np.int64)[None, :, None]
    base = T0[:, None, :] + b * step
    a = (np.arange(m_out, dtype=np.int64) * (m_in * k))[:, None, None, None]
    labels = base[None] + a
    if not all_valid:
        labels = np.where(valid[None, :, None, :], labels, -1)
    if all_valid and bool(np.all(P.signs == 1.0)):
        signs = _unit_signs(labels.size)
    else:
        signs = np.ascontiguousarray(np.broadcast_to(P.signs.reshape(1, d0o, 1, d0i), labels.shape)).reshape(-1)
    return OrbitProjector._trusted((m_out * d0o, m_in * d0i), labels.reshape(-1), signs,
                                   m_out * m_in * k, m_out * m_in * P.zero_entries)


def monomial_orbit_projector(reps_out: Sequence[Any], reps_in: Sequence[Any]) -> OrbitProjector | None:
    """Orbit projector of ``Hom_G(ρ_in, ρ_out)`` for signed-permutation representations, or None.

    ``reps_out`` and ``reps_in`` are one-element sequences (``[rho_out]``, ``[rho_in]``);
    None is returned unless both have ±1 monomial generator images.

    Examples
    --------
    >>> from reptheory import groups, Representation
    >>> V = Representation.defining(groups.symmetric(4))
    >>> monomial_orbit_projector([V @ V], [V @ V]).dim   # Bell number B(4)
    15
    """
    (rho_out,) = reps_out
    (rho_in,) = reps_in
    ao = monomial_actions(rho_out)
    ai = monomial_actions(rho_in)
    if ao is None or ai is None:
        return None
    return orbit_projector((rho_out.dim, rho_in.dim), ao, ai, group=rho_in.group)


def _known_order(G: Any) -> int | None:
    """``|G|`` of a finite group when it is known without enumerating it, else None."""
    order = getattr(G, "_order", 0)
    return int(order) if isinstance(order, (int, np.integer)) and order > 0 else None


def orbit_matrix(P: OrbitProjector, normalized: bool = True) -> Any:
    """Sparse ``(d_out·d_in) × n_orbits`` matrix whose columns are the signed orbit indicators.

    With ``normalized=True`` the columns are divided by ``sqrt(orbit size)`` and are
    orthonormal; ``P = S Sᵀ`` in the row-major flattening.

    Examples
    --------
    >>> import numpy as np
    >>> P = OrbitProjector.from_labels((1, 3), np.array([0, 1, 0]))
    >>> orbit_matrix(P, normalized=False).toarray().tolist()
    [[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]]
    """
    import scipy.sparse as sp

    n = P.shape[0] * P.shape[1]
    idx = np.flatnonzero(P.labels >= 0)
    lab = P.labels[idx]
    vals = P.signs[idx].copy()
    if normalized:
        vals /= np.sqrt(P.counts.astype(np.float64))[lab]
    return sp.csr_matrix((vals, (idx, lab)), shape=(n, P.n_orbits))


def isotypic_as_orbit(iso: IsotypicProjector) -> OrbitProjector | None:
    """Rewrite an isotypic projector as a signed orbit projector when that is exact, else None.

    Exact when ``Q_out`` and ``Q_in`` are signed permutation matrices and every block basis
    ``{E_u}`` consists of signed permutation matrices with disjoint supports (the standard
    forms ``I``, ``aI + bJ``, quaternionic ``I, J_1, J_2, J_3`` of docs/explanation/projector.md#mask-and-average): then
    ``Σ_u (⟨E_u, B⟩/d) E_u`` averages ``B`` over the ``d`` signed positions of each ``E_u``.
    This covers irreps fields in an isotypic layout (e.g. SO(3) ``k·(l = 0..L)``) and turns
    the ``O(d³)`` changes of basis into ``O(n_p)`` gathers.

    Examples
    --------
    >>> import numpy as np
    >>> from reptheory.hom.projectors import IsotypicBlock, IsotypicProjector
    >>> iso = IsotypicProjector(np.eye(2), np.eye(2), (IsotypicBlock(0, 2, 0, 2, 2, 1, 1, np.eye(2)[None]),))
    >>> isotypic_as_orbit(iso).labels.tolist()      # the trace: diagonal averaged, rest zero
    [0, -1, -1, 0]
    """
    po = signed_permutation(iso.Q_out)
    pi = signed_permutation(iso.Q_in)
    if po is None or pi is None:
        return None
    d_out, d_in = iso.shape
    labels_hat = np.full((d_out, d_in), -1, dtype=np.int64)
    signs_hat = np.zeros((d_out, d_in))
    n = 0
    for b in iso.blocks:
        E = np.asarray(b.basis)
        d = b.irrep_dim
        support = np.abs(E) > 0
        if not (np.all(np.abs(E[support]) == 1) and np.all(support.sum(axis=(1, 2)) == d)
                and np.all(support.sum(axis=0) <= 1)):
            return None
        for a in range(b.m_out):
            for c in range(b.m_in):
                r0 = b.out_start + a * d
                c0 = b.in_start + c * d
                for u in range(E.shape[0]):
                    rr, cc = np.nonzero(support[u])
                    labels_hat[r0 + rr, c0 + cc] = n
                    signs_hat[r0 + rr, c0 + cc] = E[u][rr, cc]
                    n += 1
    # Ŵ = Q_outᵀ W Q_in: Ŵ[j, k] = s_out[j] s_in[k] W[p_out[j], p_in[k]]
    labels = np.empty((d_out, d_in), dtype=np.int64)
    signs = np.empty((d_out, d_in))
    rows, cols = np.ix_(po[0], pi[0])
    labels[rows, cols] = labels_hat
    signs[rows, cols] = signs_hat * po[1][:, None] * pi[1][None, :]
    return OrbitProjector((d_out, d_in), labels.reshape(-1), np.where(labels < 0, 0.0, signs).reshape(-1), n)
