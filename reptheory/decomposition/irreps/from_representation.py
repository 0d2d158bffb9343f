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
   commutant of ρ restricted to the component are single copies of ψ; the first is kept,
   ``ψ(s) = Wᵀ ρ(s) W``.  For signed-permutation ρ the element is a random combination of
   the signed orbit indicators that span ``End_G(ρ)`` (the orbit method, from the
   generators); otherwise the Reynolds average of a random positive matrix ``X Xᵀ`` of
   rank ``m_ψ + 1``, accumulated along the breadth-first tree with vectors only.
3. The result is checked against the table (its character) and cached per group and
   character, so later decompositions use the same matrices.

Degree-1 characters are built directly from the table (as in ``G.irreps()``).

**All irreps of a large group** ([`irreps_from_table`][reptheory.decomposition.irreps.from_representation.irreps_from_table],
used by ``G.irreps()`` above the limit): the same splitting, applied to permutation
representations: on the k-subsets of the points (for permutation groups: from the
generators alone) and on the cosets of cyclic subgroups ``⟨g⟩`` (one per subgroup,
degree ``|G|/o(g)``).  Their characters are known before anything large is built
(``1_{⟨g⟩}^G(x) = #{cosets y⟨g⟩ fixed by x}``), so the multiplicity of every irrep in each
is known first; the smallest ones containing the irreps still missing are split, within
the size limits of the class sums.

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

import functools
import itertools
import math
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from reptheory.characters.table import CharacterTable, character_table
from reptheory.errors import DecompositionError, TooLargeError
from reptheory.groups.finite import FiniteGroup
from reptheory.reps._utils import apply_generator
from reptheory.reps.representation import MAX_ELEMENT_IMAGES, Representation

#: ``meta["verified"]`` of an irrep split off a representation ρ: its images are ρ restricted to a
#: ρ-invariant subspace (checked on the generators), so it is a homomorphism with no further test.
RESTRICTION = "restriction of a representation to an invariant subspace"

#: Largest coset representation (degree) tried by `irreps_from_table`; the class sums
#: (classes × degree²) and the monomial images (|G| × degree) must also fit `MAX_ELEMENT_IMAGES`.
MAX_COSET_DEGREE = 4096

__all__ = ["irreps_within", "irreps_from_table"]

def _known(G: FiniteGroup) -> dict[tuple[int, ...], Representation]:
    """The irreps of ``G`` found so far, by character rows: kept on the group object (like its character
    table), so every decomposition of this group uses the same matrices and nothing outlives the group."""
    got = G.__dict__.get("_irreps_known")
    if got is None:
        got = G.__dict__["_irreps_known"] = {}
    return got


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
    known = _known(G)
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


def irreps_from_table(G: FiniteGroup, rows_needed: list[tuple[int, ...]], rng: np.random.Generator
                      ) -> list[Representation]:
    """The real irreps of the character-table rows ``rows_needed`` (groups of ``T.real_rows()``), split off
    permutation representations on cosets of cyclic subgroups (see the module docstring).

    Never forms a ``|G| × |G|`` matrix: the largest objects are the class sums of one coset
    representation, ``classes × degree²`` numbers.  Results are cached per group and character
    (the same matrices as the decompositions of this group use).

    Raises
    ------
    TooLargeError
        Some irrep occurs in no coset representation of a cyclic subgroup within the size limits
        (the message names the characters).

    Examples
    --------
    >>> from reptheory import FiniteGroup
    >>> from reptheory.characters.table import character_table
    >>> G = FiniteGroup.from_permutations([[1, 2, 3, 4, 0], [1, 0, 2, 3, 4]])  # S5 by permutations
    >>> T = character_table(G)
    >>> need = [r for r in T.real_rows() if T.degrees[r[0]] > 1]
    >>> sorted(p.dim for p in irreps_from_table(G, need, np.random.default_rng(0)))
    [4, 4, 5, 5, 6]
    """
    T = character_table(G)
    groups = T.real_rows()
    index = {rows: k for k, rows in enumerate(groups)}
    known = _known(G)
    out: dict[tuple[int, ...], Representation] = {r: known[r] for r in rows_needed if r in known}
    need = [r for r in rows_needed if r not in out]
    # characters first (cheap): which candidate contains which irreps, before anything large is built
    plan: list[tuple[Any, np.ndarray]] = []
    covered: set[tuple[int, ...]] = set()
    for build, chi in _candidates(G, T) if need else []:
        mult = _multiplicities_of(T, chi, groups)
        new = {r for r in need if mult[index[r]] > 0} - covered
        if new:
            plan.append((build, mult))
            covered |= new
        if covered >= set(need):
            break
    missing = [r for r in need if r not in covered]
    if missing:
        from reptheory.decomposition.irreps.finite import _real_label

        raise TooLargeError(
            f"irreps {', '.join(_real_label(r) for r in missing)} of {G.name} (order {G.order}) occur in no "
            f"permutation representation on cosets of a cyclic subgroup or on subsets of points of degree <= "
            f"{MAX_COSET_DEGREE} (within the class-sum limit {MAX_ELEMENT_IMAGES}); decompose a representation "
            "that contains them instead (rep.decompose())", estimate=G.order, limit=MAX_COSET_DEGREE,
        )
    for build, mult in plan:
        use = [r for r in need if mult[index[r]] > 0 and r not in out]
        if not use:
            continue
        rho = build()
        sums = _class_sums(rho)
        for rows in use:
            out[rows] = known[rows] = _split_off(rho, T, rows, int(mult[index[rows]]), rng, sums)
    return [out[r] for r in rows_needed]


def _admissible(G: FiniteGroup, T: CharacterTable, d: int) -> bool:
    """Whether a monomial representation of degree ``d`` is small enough to split (class sums, images)."""
    return d <= MAX_COSET_DEGREE and len(T.class_sizes) * d * d <= MAX_ELEMENT_IMAGES \
        and G.order * d <= MAX_ELEMENT_IMAGES


def _candidates(G: FiniteGroup, T: CharacterTable) -> Iterator[tuple[Callable[[], Representation], np.ndarray]]:
    """``(build, character)`` of the permutation representations tried, smallest degree first: the actions
    on k-subsets of the points (permutation groups) and on the cosets of cyclic subgroups."""
    found: list[tuple[int, Callable[[], Representation], np.ndarray]] = []
    for rho in _subset_actions(G):
        if _admissible(G, T, rho.dim):
            found.append((rho.dim, functools.partial(_same, rho), np.real(np.asarray(rho.character()))))
    tried: set[bytes] = set()
    for g, o in _cyclic_candidates(G):
        d = G.order // o
        if not _admissible(G, T, d):
            continue
        H = _cyclic_subgroup(G, g, o)
        key = np.sort(H).tobytes()  # ⟨g⟩ = ⟨g^u⟩: one coset space per subgroup
        if key in tried:
            continue
        tried.add(key)
        cosets = _cosets(G, H)
        found.append((d, functools.partial(_coset_representation, G, cosets, g), _coset_character(G, cosets)))
    found.sort(key=lambda t: t[0])
    for _, build, chi in found:
        yield build, chi


def _same(rho: Representation) -> Representation:
    return rho


def _subset_actions(G: FiniteGroup) -> Iterator[Representation]:
    """The permutation representations on the k-subsets of the points, ``k ≤ N/2``, of a permutation group of
    degree ``N ≤ 62`` (images of the generators only: no enumeration, no element images)."""
    perms = G.generator_perms
    if perms is None or perms.shape[1] > 62:
        return
    N = int(perms.shape[1])
    for size in range(1, N // 2 + 1):
        if math.comb(N, size) > MAX_COSET_DEGREE:
            return
        subs = np.asarray(list(itertools.combinations(range(N), size)), dtype=np.int64)
        masks = np.left_shift(np.int64(1), subs).sum(axis=1)
        order = np.argsort(masks)
        sorted_masks = masks[order]
        acts = [order[np.searchsorted(sorted_masks, np.left_shift(np.int64(1), p[subs]).sum(axis=1))] for p in perms]
        yield Representation.permutation(G, np.stack(acts), name=f"{size}-subsets", validate=False)


def _cyclic_candidates(G: FiniteGroup) -> list[tuple[int, int]]:
    """``(g, o(g))`` for class representatives of order > 1, largest order (smallest coset space) first."""
    reps = np.asarray(G.class_representatives)
    orders = np.asarray(G.element_orders)[reps]
    order = np.argsort(-orders, kind="stable")
    return [(int(reps[i]), int(orders[i])) for i in order if orders[i] > 1]


def _cyclic_subgroup(G: FiniteGroup, g: int, o: int) -> np.ndarray:
    els = [G.identity]
    x = g
    for _ in range(1, o):
        els.append(int(x))
        x = int(G.mul(x, g))
    return np.asarray(els, dtype=np.int64)


def _cosets(G: FiniteGroup, H: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(label, reps)``: the left coset ``x H`` of every element, numbered by its smallest element ``reps[c]``."""
    ar = np.arange(G.order, dtype=np.int64)
    low = ar.copy()
    for h in H[1:]:
        np.minimum(low, np.asarray(G.mul(ar, int(h)), dtype=np.int64), out=low)
    reps, label = np.unique(low, return_inverse=True)
    return label.astype(np.int64), reps.astype(np.int64)


def _coset_character(G: FiniteGroup, cosets: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """The permutation character on the cosets: the number of cosets ``y H`` with ``x y H = y H``."""
    label, reps = cosets
    return np.array([np.count_nonzero(label[np.asarray(G.mul(int(x), reps), dtype=np.int64)] == np.arange(reps.size))
                     for x in np.asarray(G.class_representatives)], dtype=float)


def _multiplicities_of(T: CharacterTable, chi: np.ndarray, groups: tuple[tuple[int, ...], ...]) -> np.ndarray:
    """Multiplicity of every real irrep in a representation with (real) character ``chi``."""
    sizes = T.class_sizes
    out = []
    for rows in groups:  # m = <chi, ref> / <ref, ref> for the real character ref of each real irrep
        ref = T.real_character(rows)
        out.append(round(float((sizes * chi * ref).sum() / ((sizes * ref * ref).sum()))))
    return np.asarray(out, dtype=np.int64)


def _coset_representation(G: FiniteGroup, cosets: tuple[np.ndarray, np.ndarray], g: int) -> Representation:
    """The permutation representation ``s · (x⟨g⟩) = (s x)⟨g⟩`` on the cosets (monomial, no images of elements)."""
    label, reps = cosets
    left = np.asarray(G.left_products(list(G.generators)), dtype=np.int64)  # s_j x
    perms = label[left[:, reps]]
    return Representation.permutation(G, perms, name=f"cosets of <{g}>", validate=False)


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
        W = None
        orbits = _commutant_orbits(rep)
        sigma = None if orbits is not None else np.stack([B.T @ im @ B for im in rep.images])
        for _attempt in range(6):
            if orbits is not None:  # a random symmetric element of End_G(ρ) from its orbit basis, restricted
                r = rng.standard_normal(orbits.n_orbits + 1)[orbits.labels] * orbits.signs
                R = r.reshape(rep.dim, rep.dim)
                S = B.T @ (R + R.T) @ B
            else:
                assert sigma is not None
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
    # ψ is a homomorphism because span(W) is ρ-invariant: ρ(s) W = W ψ(s) on the generators
    inv_err = max((float(np.abs(apply_generator(rep, j, W) - W @ images[j]).max()) for j in range(len(images))), default=0.0)
    if inv_err > 1e-8 * max(1.0, math.sqrt(rep.dim)):
        raise DecompositionError(f"the copy of {_real_label(rows)} in {rep.name} is not invariant ({inv_err:.3g})")
    psi = _irrep(G, images, _real_label(rows), rt,
                 {"characters": rows, "split_from": rep.name, "verified": RESTRICTION})
    if rt == "C":
        psi.meta["commutant_basis"] = np.stack([np.eye(dpsi), _complex_structure(G, T, rows, sums, W, images)])
    elif rt == "H":
        psi.meta["commutant_basis"] = commutant_basis(psi, rng=rng)
    chi = _class_character(G, images)
    if np.abs(chi - T.real_character(rows)).max() > 1e-6 * max(1, dpsi):
        raise DecompositionError(f"irrep {psi.label} split off {rep.name} has the wrong character")
    return psi


def _commutant_orbits(rep: Representation) -> Any:
    """The orbit basis of ``End_G(ρ)`` for a signed-permutation ρ of moderate degree (else None), memoised on
    ``rep`` itself (like a cached property; it lives and dies with the representation): its signed orbit
    indicators span the commutant (docs/explanation/routes.md#orbit-method), from the generators in
    ``O(n_gen d²)``, instead of a Reynolds average over all elements."""
    if rep.monomial is None or rep.dim > MAX_COSET_DEGREE:
        return None
    got = rep.__dict__.get("_commutant_orbits")
    if got is None:
        from reptheory.hom.orbits import monomial_orbit_projector  # the one orbit algorithm (hom, above us)

        got = monomial_orbit_projector([rep], [rep])
        rep.__dict__["_commutant_orbits"] = got
    return got


def _complex_structure(G: FiniteGroup, T: CharacterTable, rows: tuple[int, ...], sums: np.ndarray, W: np.ndarray,
                       images: np.ndarray) -> np.ndarray:
    """``J = i (P_χ − P_χ̄) = −2 Im P_χ`` on one copy ``W`` of a real irrep of complex type (``ψ ⊗ ℂ = χ ⊕ χ̄``).

    ``P_χ = (χ(1)/|G|) Σ_k conj χ(K_k) Σ_{g ∈ K_k} ρ(g)`` is the isotypic projector of χ, from the class
    sums already at hand (no images of all elements): ``J`` is real, orthogonal, antisymmetric,
    ``J² = −I`` and commutes with ψ.
    """
    i = rows[0]
    Pc = np.tensordot(np.conj(T.values[i]) * T.degrees[i], sums, axes=1) / G.order
    J = -2.0 * np.imag(W.T @ Pc @ W)
    d = J.shape[0]
    err = max(float(np.abs(J @ J + np.eye(d)).max()),
              max((float(np.abs(im @ J - J @ im).max()) for im in images), default=0.0))
    if err > 1e-8 * max(1, d):
        raise DecompositionError(f"complex structure of {_label(rows)}: J^2 = -I or ψ J = J ψ fails ({err:.3g})")
    return J


def _label(rows: tuple[int, ...]) -> str:
    from reptheory.decomposition.irreps.finite import _real_label

    return _real_label(rows)
