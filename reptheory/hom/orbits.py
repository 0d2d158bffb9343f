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
) -> OrbitProjector:
    """Orbits of the signed action of some group elements on the entries of ``(d_out, d_in)`` matrices.

    Parameters
    ----------
    shape : (d_out, d_in)
    actions_out, actions_in : sequences of ``(perm, coeff)``
        The same group elements acting on output and input indices; ``perm`` int arrays of
        shape (d_out,) / (d_in,), ``coeff`` arrays of ±1.

    Returns
    -------
    OrbitProjector
        Its range is the set of ``W`` fixed by every listed element; when the elements
        generate G this is ``Hom_G`` and the projector is the Reynolds operator.

    Notes
    -----
    Two implementations with identical (canonical) output.  Small problems: connected components
    of the graph on ``{entries} × {+, −}`` joining ``(e, t)`` to ``(s·e, t·φ_s(e))``.  Large
    problems, rows first: a breadth-first search over the orbits of the generators on the *rows*
    carries a whole row of column labels and signs along each tree edge
    (``L[σ_out(x)][σ_in] = L[x]``, ``S[σ_out(x)][σ_in] = c_out(x) c_in S[x]``), so every row
    is expressed in the free values of its orbit's root row; each non-tree edge gives
    relations ``v[a] = ±v[b]`` between root columns, resolved by connected components on the
    sign double cover of the ``d_in`` root columns.  Time ``O(n_gen · d_out · d_in)`` in
    row-sized vector operations (cache friendly), memory ``O(d_out · d_in)``.

    Examples
    --------
    >>> import numpy as np
    >>> swap = (np.array([1, 0]), np.array([1.0, 1.0]))
    >>> orbit_projector((2, 1), [swap], [(np.array([0]), np.array([1.0]))]).labels.tolist()
    [0, 0]
    """
    d_out, d_in = int(shape[0]), int(shape[1])
    if d_out * d_in <= _GRAPH_MAX_ENTRIES:
        return _orbit_projector_graph(shape, actions_out, actions_in)
    return _orbit_projector_rows(shape, actions_out, actions_in)


#: Up to this many entries the entry-graph algorithm is faster (less Python overhead); above it the
#: row-wise search wins (cache-friendly row operations instead of random access over all entries).
_GRAPH_MAX_ENTRIES = 2**18


def _orbit_projector_rows(
    shape: tuple[int, int],
    actions_out: Sequence[MonomialAction],
    actions_in: Sequence[MonomialAction],
) -> OrbitProjector:
    """Row-wise breadth-first implementation of [`orbit_projector`][reptheory.hom.orbits.orbit_projector] (see its Notes)."""
    import scipy.sparse as sp
    from scipy.sparse.csgraph import connected_components

    d_out, d_in = int(shape[0]), int(shape[1])
    if len(actions_out) != len(actions_in):
        raise ValueError("actions_out and actions_in must list the same group elements")
    n = d_out * d_in
    if n == 0:
        return OrbitProjector((d_out, d_in), np.zeros(0, np.int64), np.zeros(0), 0)
    gens = [(np.asarray(po, dtype=np.int64), np.asarray(co, dtype=np.float64),
             np.asarray(pi, dtype=np.int64), np.asarray(ci, dtype=np.float64))
            for (po, co), (pi, ci) in zip(actions_out, actions_in, strict=True)]
    L = np.empty((d_out, d_in), dtype=np.int64)    # root column (within the row orbit's label space)
    S = np.empty((d_out, d_in), dtype=np.float64)  # sign relative to the root column
    root_of = np.full(d_out, -1, dtype=np.int64)   # row-orbit id of each row
    cols = np.arange(d_in, dtype=np.int64)
    rel_a: list[np.ndarray] = []
    rel_b: list[np.ndarray] = []
    rel_s: list[np.ndarray] = []
    n_roots = 0
    for x0 in range(d_out):
        if root_of[x0] >= 0:
            continue
        base = n_roots * d_in
        n_roots += 1
        root_of[x0] = n_roots - 1
        L[x0] = base + cols
        S[x0] = 1.0
        queue = [x0]
        head = 0
        while head < len(queue):
            x = queue[head]
            head += 1
            Lx, Sx = L[x], S[x]
            for po, co, pi, ci in gens:
                y = int(po[x])
                phase = co[x] * ci * Sx  # W[y, pi[j]] = phase[j] * v[Lx[j]]
                if root_of[y] < 0:
                    root_of[y] = root_of[x0]
                    L[y, pi] = Lx
                    S[y, pi] = phase
                    queue.append(y)
                else:
                    a = L[y, pi]
                    phi = phase * S[y, pi]  # v[a] = phi * v[Lx]
                    keep = (a != Lx) | (phi < 0)
                    if np.any(keep):
                        rel_a.append(a[keep])
                        rel_b.append(Lx[keep])
                        rel_s.append(phi[keep])
    R = n_roots * d_in  # root columns, over all row orbits
    if rel_a:
        a = np.concatenate(rel_a)
        b = np.concatenate(rel_b)
        neg = (np.concatenate(rel_s) < 0).astype(np.int64)
        # sign double cover: node (c, t) for t in {0: +, 1: -}; v[a] = phi v[b] joins (a, t) to (b, t xor neg)
        src = np.concatenate([a, a + R])
        dst = np.concatenate([b + R * neg, b + R * (1 - neg)])
        graph = sp.csr_matrix((np.ones(src.size), (src, dst)), shape=(2 * R, 2 * R))
        _, comp = connected_components(graph, directed=True, connection="weak")
        cp, cm = comp[:R], comp[R:]
        col_valid = cp != cm
        col_class = np.minimum(cp, cm)
        col_sign = np.where(cp == col_class, 1.0, -1.0)
        flatL = L.reshape(-1)
        return _canonical(d_out, d_in, col_class[flatL], S.reshape(-1) * col_sign[flatL], col_valid[flatL])
    return _canonical(d_out, d_in, L.reshape(-1), S.reshape(-1), None)


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
    return orbit_projector((rho_out.dim, rho_in.dim), ao, ai)


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
