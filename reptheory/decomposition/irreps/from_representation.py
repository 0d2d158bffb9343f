"""Real irreps of large finite groups, split off the representation being decomposed.

Above `REGULAR_LIMIT` elements a group with
no closed form has no complete list ``G.irreps()`` (the regular representation is too
large to split).  Its character table is still available (Burnside's method on the
classes), and every irrep that *occurs* in a given representation ρ can be cut out of ρ:

1. **Isotypic projector from characters** (docs/explanation/projector.md#characters):
   ``Π_ψ = (1/|G|) Σ_k w_ψ(g_k) Σ_{g ∈ K_k} ρ(g)`` with ``w_ψ = Σ_{i ∈ rows(ψ)} χ_i(1) conj χ_i``:
   the class sums are ``d × d`` matrices accumulated once from the element images,
   ``O(|G| d)`` for monomial ρ (permutation, signed permutation, induced), ``O(|G| d²)``
   for dense ρ — never a ``|G| × |G|`` matrix.  The range of ``Π_ψ X`` for a random
   ``X`` is the isotypic component, of dimension ``m_ψ dim ψ`` (checked: ``Π_ψ B = B``).
2. **One copy**: when ``m_ψ > 1``, the eigenspaces of a random symmetric element of the
   commutant of ρ restricted to the component (the Reynolds average of a random positive
   matrix ``X Xᵀ`` of rank ``m_ψ + 1``, accumulated along the breadth-first tree with
   vectors only) are single copies of ψ; the first is kept, ``ψ(s) = Wᵀ ρ(s) W``.
3. The result is checked against the table (its character) and cached per group and
   character, so later decompositions use the same matrices.

Degree-1 characters are built directly from the table (as in ``G.irreps()``).

Examples
--------
>>> from reptheory import FiniteGroup, Representation
>>> A8 = FiniteGroup.from_permutations([[1, 2, 0, 3, 4, 5, 6, 7], [0, 2, 3, 4, 5, 6, 7, 1]])
>>> V = Representation.defining(A8)  # order 20160 > REGULAR_LIMIT
>>> dec = V.decompose()
>>> [(c.label, c.multiplicity, c.irrep.dim) for c in dec.components]
[('trivial', 1, 1), ('chi1', 1, 7)]
"""

from __future__ import annotations

import numpy as np

from reptheory.characters.table import CharacterTable, character_table
from reptheory.errors import DecompositionError, TooLargeError
from reptheory.groups.finite import FiniteGroup
from reptheory.reps.representation import MAX_ELEMENT_IMAGES, Representation

__all__ = ["irreps_within"]

_KNOWN: dict[str, dict[tuple[int, ...], Representation]] = {}


def irreps_within(rep: Representation, mult: np.ndarray, rng: np.random.Generator) -> list[Representation | None]:
    """The real irreps of ``rep.group`` in ``T.real_rows()`` order, ``None`` where unknown and not needed.

    ``G.irreps()`` when it can be built; otherwise every irrep with ``mult > 0`` is split
    off the orthogonal representation ``rep`` (see the module docstring) or taken from the
    per-group cache.
    """
    from reptheory.decomposition.irreps.finite import REGULAR_LIMIT, _linear_irrep

    G = rep.group
    assert isinstance(G, FiniteGroup)
    T = character_table(G)
    groups = T.real_rows()
    if G.order <= REGULAR_LIMIT or _has_closed_form(G):
        return list(G.irreps())
    known = _KNOWN.setdefault(G.key, {})
    if len(_KNOWN) > 32:  # a small, pure cache: drop the oldest group
        _KNOWN.pop(next(iter(_KNOWN)))
    out: list[Representation | None] = []
    sums: np.ndarray | None = None
    for k, rows in enumerate(groups):
        psi = known.get(rows)
        if psi is None and T.degrees[rows[0]] == 1:
            psi = known[rows] = _linear_irrep(G, T, rows)
        elif psi is None and mult[k] > 0:
            sums = _class_sums(rep) if sums is None else sums
            psi = known[rows] = _split_off(rep, T, rows, int(mult[k]), rng, sums)
        out.append(psi)
    return out


def _has_closed_form(G: FiniteGroup) -> bool:
    """Whether ``G.irreps()`` has a closed form (the catalogue families of ``_closed_forms``), without building it."""
    key = G.key
    if key.startswith(("catalog:cyclic(", "catalog:dihedral(", "catalog:symmetric(")):
        return True
    return key.startswith("catalog:alternating(") and int(key[len("catalog:alternating(") : -1]) >= 4


def _class_sums(rep: Representation) -> np.ndarray:
    """``Σ_{g ∈ K_k} ρ(g)`` for every class k, shape (r, d, d): one pass over the element images."""
    G = rep.group
    assert isinstance(G, FiniteGroup)
    n, d = G.order, rep.dim
    r = len(G.conjugacy_classes())
    cls = np.asarray(G.class_of)
    if r * d * d > MAX_ELEMENT_IMAGES:
        raise TooLargeError(
            f"class sums of {rep.name}: {r} classes at dim {d} hold {r * d * d} numbers (limit {MAX_ELEMENT_IMAGES})",
            estimate=r * d * d, limit=MAX_ELEMENT_IMAGES,
        )
    if rep.monomial is not None:
        P, C = rep._monomial_all()
        # entry [k, P[g, i], i] += C[g, i] for g in class k, accumulated with one bincount
        flat = ((cls[:, None] * d + P) * d + np.arange(d)[None, :]).ravel()
        return np.bincount(flat, weights=C.ravel().astype(float), minlength=r * d * d).reshape(r, d, d)
    if n * d * d > MAX_ELEMENT_IMAGES:
        raise TooLargeError(
            f"isotypic projector of {rep.name}: images of all {n} elements at dim {d} hold {n * d * d} numbers "
            f"(limit {MAX_ELEMENT_IMAGES})", estimate=n * d * d, limit=MAX_ELEMENT_IMAGES,
        )
    out = np.zeros((r, d, d))
    np.add.at(out, cls, rep.matrices())
    return out


def _reynolds(G: FiniteGroup, gens: np.ndarray, X: np.ndarray) -> np.ndarray:
    """``(1/|G|) Σ_g σ(g)ᵀ X Xᵀ σ(g)``: a symmetric element of the commutant of σ.

    ``u_g = σ(g)ᵀ X`` obeys ``u_g = σ(s)ᵀ u_{parent}`` for ``g = parent · s``, so only
    vectors travel along the tree: ``O(|G| D² q)`` flops and ``O(|G| D q)`` memory for
    ``X`` of shape ``(D, q)`` (a rank-q random matrix), instead of all images.
    """
    enum = G._enumeration
    D, q = X.shape
    u = np.empty((enum.n, D, q))
    u[enum.identity] = X
    gT = np.swapaxes(gens, 1, 2)
    for lvl, par, let in enum.levels:
        u[lvl] = gT[let] @ u[par]
    M = np.moveaxis(u, 0, 1).reshape(D, -1)
    return (M @ M.T) / enum.n


def _split_off(rep: Representation, T: CharacterTable, rows: tuple[int, ...], m: int,
               rng: np.random.Generator, sums: np.ndarray) -> Representation:
    from reptheory.decomposition.irreps.finite import _class_character, _irrep, _real_label, commutant_basis

    G = rep.group
    assert isinstance(G, FiniteGroup)
    w = sum(T.degrees[i] * T.values[i].conj() for i in rows).real
    rt = T.real_types[rows[0]]
    dpsi = round(float(T.real_character(rows)[0]))
    Pm = np.tensordot(w, sums, axes=1) / G.order  # the isotypic projector, d x d
    # its range from a random probe: P X has rank m dim(psi) for generic X
    Y = Pm @ rng.standard_normal((rep.dim, m * dpsi + 4))
    U, sv, _ = np.linalg.svd(Y, full_matrices=False)
    B = U[:, sv > 1e-8 * max(1.0, float(sv[0]))]
    if B.shape[1] != m * dpsi or np.abs(Pm @ B - B).max() > 1e-8:
        raise DecompositionError(
            f"isotypic component of {_real_label(rows)} in {rep.name} has dimension {B.shape[1]}, expected {m * dpsi}"
        )
    W: np.ndarray | None = B
    if m > 1:
        D = B.shape[1]
        sigma = np.stack([B.T @ im @ B for im in rep.images])
        W = None
        for _attempt in range(6):
            S = _reynolds(G, sigma, rng.standard_normal((D, m + 1)))
            e2, V = np.linalg.eigh((S + S.T) / 2)
            spread = max(1.0, float(np.abs(e2).max()))
            parts = np.split(np.arange(D), np.flatnonzero(np.diff(e2) > 1e-7 * spread) + 1)
            if all(len(p) == dpsi for p in parts):
                W = B @ V[:, parts[0]]
                break
        if W is None:  # pragma: no cover - probability zero
            raise DecompositionError(f"could not split the isotypic component of {_real_label(rows)} in {rep.name}")
    assert W is not None
    images = np.stack([W.T @ im @ W for im in rep.images])
    psi = _irrep(G, images, _real_label(rows), rt, {"characters": rows, "split_from": rep.name})
    if rt != "R":
        psi.meta["commutant_basis"] = commutant_basis(psi, rng=rng)
    chi = _class_character(G, images)
    if np.abs(chi - T.real_character(rows)).max() > 1e-6 * max(1, dpsi):
        raise DecompositionError(f"irrep {psi.label} split off {rep.name} has the wrong character")
    return psi

