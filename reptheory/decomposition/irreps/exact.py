"""Exact images of the real irreps of a finite group, over ℚ or over the field of the character.

One construction for both kinds of finite group: an enumerated
[`FiniteGroup`][reptheory.groups.finite.FiniteGroup] and a never-enumerated
[`PermutationGroup`][reptheory.groups.permutation.PermutationGroup].  For the real irrep ``ψ`` of
``T.real_rows()[k]`` (type R, C or H; real character ``χ``, ``χ + χ̄`` or ``2χ``) let
``K = ℚ(ψ)`` be the field of its (real) character values, of degree ``r``, and ``ψ_1 = ψ, …, ψ_r``
its Galois conjugates (other real irreps: ``σ_a`` maps the eigenvalue spectra ``s ↦ a s mod e``).

1. **A permutation source** ``P`` of degree ``n`` (signed permutation matrices, entries 0, ±1)
   containing ``ψ`` **exactly once**; then it contains every ``ψ_i`` once (its character is rational).
   Permutation groups: the orbits of the actions on ``k``-subsets, unsigned and signed
   (``e_S ↦ sgn(g|_S) e_{gS}``), and their products
   ([`orbit_sources`][reptheory.decomposition.irreps.permutation_group.orbit_sources]; the signed ones
   reach irreps that every unsigned orbit holds twice or not at all, such as PSL(2,11)'s ``chi3``);
   enumerated groups: the subset actions, the actions on the cosets of cyclic subgroups and the
   regular representation.  Both then try the **conjugation actions on classes and on cyclic
   subgroups twisted by a sign character of the stabiliser**, ``Ind_H^G λ`` for ``H = C_G(x)`` and
   ``H = N_G(⟨x⟩)`` (``reptheory.decomposition.irreps._induced``), which reach the discrete and
   principal series of ``PSL(2, q)`` that no subset action holds once (``Ind_D^G λ`` from the dihedral
   centraliser ``D`` of an involution) and the irreps of ``SL(2, p)`` trivial on the centre.
2. **A symmetric integer element of the commutant** ``S = X + Xᵀ``, ``X`` fixed by its first column
   ``X e₀ = Σ_O c_O f_O`` (random integers ``c_O``) over the suborbit vectors ``f_O`` of the condensed
   source (``reptheory.decomposition.irreps._condense``: the ``⟨χ, χ⟩`` vectors that the stabiliser of
   the point 0 fixes up to its sign character).  On the ``ψ_i``-isotypic subspace ``U_i`` (one copy:
   ``End_G(ψ_i)`` is ``ℝ``, ``ℂ`` or ``ℍ``, whose symmetric elements are real scalars) it acts by a
   scalar ``λ_i``.  ``U_1`` is defined over ``K`` (its isotypic projector has entries ``ψ(g)``), so
   ``λ_1 ∈ K`` is an algebraic integer whose conjugates are the ``λ_i``: their polynomial
   ``m(x) = Π_i (x − λ_i)`` is in ``ℤ[x]`` (read off the float eigenvalues of the condensed ``S``,
   matched to the ``ψ_i`` by the characters of their eigenspaces, also computed condensed, and rounded).
3. **The rational isotypic subspace** ``V = ker m(S) = ⊕_i U_i``: ``ker m(S) ∩ E`` exactly (an ``r × r``
   rational kernel, ``r = ⟨χ, χ⟩``), spun up to ``V`` by the generators (independence judged on floats,
   then proved: ``B[F]`` invertible), basis ``B`` with ``B[F] = I``; ``G`` acts on it by the rational
   matrices ``Q(s) = (P(s) B)[F]``, and ``S`` by ``S_V`` (carried along the spin, as ``S`` commutes
   with ``G``).  For ``r = 1`` (rational character) ``V = U_1`` and ``ψ(s) = Q(s)``.  Time and memory
   grow like ``r · N`` for ``N`` points, so sources up to `MAX_EXACT_SOURCE_DEGREE` are searched.
4. **The split over K** (``r > 1``): ``U_1 = ker(S_V − λ_1 I)`` with ``λ_1`` the
   root of ``m`` in ``K``, basis ``C`` with ``C[F'] = I``, and ``ψ(s) = (Q(s) C)[F']``.  With
   python-flint, ``U_1`` is the image of the idempotent ``e = p(S_V)``, ``p = m / ((x − λ_1) m'(λ_1))``,
   written ``Σ_i θ^i E_i`` with rational ``E_i`` (flint products); ``C = e[:, J] e[F', J]⁻¹`` for pivots
   chosen on the floats, so only ``d × d`` matrices are handled over ``K`` (sympy ``DomainMatrix`` over
   ``QQ.algebraic_field``), and ``tr ψ(g) = Σ_i θ^i tr(Q(g) E_i)``.  Without flint, ``ker(S_V − λ_1 I)``
   is row-reduced over ``K``.  ``K`` is presented as ``ℚ(√D)`` (``r = 2``) or ``ℚ(θ)`` with ``θ`` a
   ``CRootOf`` of the minimal polynomial of a character value (``r > 2``), in the real embedding of ``ψ``.
   **Several copies.** Where no source holds ``ψ`` once, sources holding it 2 to `MAX_COPIES` times
   are split: on the component (the eigenvectors of a generic ``S₀`` that carry some ``ψ_i``,
   orthonormal ``W``, condensed) sparse small symmetric combinations ``S`` are screened through ``Wᵀ S W`` for an
   integer factor ``f`` of their polynomial with one root per ``ψ_i``; then ``V = ker f(S)`` (exactly)
   holds one copy of each, ``S`` acts on it by scalars, and steps 3–4 run with ``m = f``.  Such ``S``
   exist when ``ψ`` has a rational form (the orthogonal projection onto a rational copy is one).
5. **Exact verification**: ``P(s) B = B Q(s)`` (integers) and ``Q(s) C = C ψ(s)`` (over ``K``) for every
   generator, and ``tr ψ(g_c) = ψ(g_c)`` at every class representative *as cyclotomic numbers*: the
   traces, polynomials in the generator of ``K``, are mapped into ``ℚ(ζ_e)`` (the generator to its
   exact cyclotomic value, checked to be a root of its minimal polynomial) and compared with the
   eigenvalue spectra of the table.  A subrepresentation of ``P`` with the character of ``ψ`` is ``ψ``.

The images are exact and **not orthogonal**; ``images`` holds their float values (the real
embedding of ``K`` in which the character is ``ψ``, as in ``G.irreps()``).  Refused with an
`ExactnessError` naming the irrep and the reason: a character field of degree
``> max_field_degree``, or no permutation source (within ``max_degree``) containing it once (e.g.
a Schur index > 1 over ``ℚ(ψ)``).  ``TooLargeError`` when ``r · dim ψ`` exceeds the limit of the
linear algebra over ``K``.

Examples
--------
>>> from reptheory import groups
>>> A5 = groups.alternating(5)
>>> psi = exact_irrep(A5, 1)                       # degree 3, character (1 ± √5)/2 on the 5-cycles
>>> psi.meta["field"], psi.dim
('QQ(sqrt(5))', 3)
>>> [str(sum(m[i, i] for i in range(3)).expand()) for m in psi.exact_images]
['0', '1/2 + sqrt(5)/2']
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from reptheory.decomposition.irreps._condense import Condensed, condense, inner_norm, spin
from reptheory.decomposition.irreps._induced import conjugation_actions
from reptheory.decomposition.irreps._number_field import _Field, _free_rows, _split_over_field
from reptheory.decomposition.irreps.from_representation import (
    _candidates,
    _has_closed_form,
    _multiplicities_of,
)
from reptheory.decomposition.irreps.permutation_group import (
    _clusters,
    _orbits,
    orbit_sources,
)
from reptheory.errors import ExactnessError, InvalidArgumentError, TooLargeError
from reptheory.groups.finite import FiniteGroup
from reptheory.groups.permutation import PermutationGroup
from reptheory.reps.representation import Representation

__all__ = ["exact_irrep", "exact_irreps", "galois_conjugates", "MAX_EXACT_SOURCE_DEGREE", "MAX_FIELD_DEGREE", "MAX_FIELD_DIM", "MAX_COPIES"]

#: Largest permutation source searched by default.  The construction is condensed (``O(r N)`` memory for
#: ``N`` points and ``r = ⟨χ, χ⟩``), so sources four times larger than those split in floating point
#: (`reptheory.decomposition.irreps.permutation_group.MAX_SOURCE_DEGREE`) stay cheap: M22's pair of degree 45 first occurs in one of degree 6160 (13 s).
MAX_EXACT_SOURCE_DEGREE = 8192
#: Largest degree ``[ℚ(ψ) : ℚ]`` of a character field handled (the split over ``K`` runs in sympy).
MAX_FIELD_DEGREE = 6
#: Largest ``r · dim ψ`` (the size of the matrices split over the character field ``K``).
MAX_FIELD_DIM = 240
#: Largest multiplicity of the irrep in a source split by a commutant element with a rational factor.
MAX_COPIES = 4
#: Largest |c_O| of the random integer coefficients of the commutant element on the suborbits (rational characters).
_COEFF = 1 << 6
#: Sparse small commutant elements screened for a rational factor per source holding several copies.
_SPLIT_TRIALS = 300
_ATTEMPTS = 6
_END_DIM = {"R": 1, "C": 2, "H": 4}
_SEED = 0x17C


def galois_conjugates(T: Any, k: int) -> tuple[int, ...]:
    """The real irreps (indices into ``T.real_rows()``) whose characters are the Galois conjugates of irrep ``k``.

    ``σ_a`` (``a`` a unit mod the exponent ``e``) maps the eigenvalue spectra ``s ↦ a s (mod e)``;
    ``k`` comes first and the length is the degree ``[ℚ(ψ_k) : ℚ]`` of its character field.

    Examples
    --------
    >>> from reptheory import groups
    >>> T = groups.alternating(5).character_table()
    >>> galois_conjugates(T, 1), galois_conjugates(T, 3)
    ((1, 2), (3,))
    """
    e = int(T.exponent)
    rows_all = T.real_rows()
    where = {i: kk for kk, rows in enumerate(rows_all) for i in rows}
    index = {np.sort(np.asarray(s) % e, axis=1).tobytes(): i for i, s in enumerate(T.spectra)}
    s0 = np.asarray(T.spectra[rows_all[int(k)][0]], dtype=np.int64)
    out = [int(k)]
    for a in range(2, e):
        if math.gcd(a, e) == 1:
            kk = where[index[np.sort((a * s0) % e, axis=1).tobytes()]]
            if kk not in out:
                out.append(kk)
    return tuple(out)


def _store(G: Any) -> dict[int, Representation]:
    """The exact irreps built so far for ``G`` (an attribute of the instance, keyed by real-row index)."""
    known = G.__dict__.get("_exact_irreps")
    if known is None:
        known = G.__dict__["_exact_irreps"] = {}
    return known  # type: ignore[no-any-return]


def exact_irrep(G: FiniteGroup | PermutationGroup, k: int, *, max_degree: int = MAX_EXACT_SOURCE_DEGREE,
                max_field_degree: int = MAX_FIELD_DEGREE, rng: np.random.Generator | None = None) -> Representation:
    """The real irrep ``k`` (of ``T.real_rows()``) of ``G`` with exact images over ``ℚ(ψ)`` (see the module docstring).

    Parameters
    ----------
    G : FiniteGroup or PermutationGroup
    k : int
        Index into ``G.character_table().real_rows()`` (the order of ``G.irreps()``).
    max_degree : int
        Largest permutation source searched.
    max_field_degree : int
        Largest degree of the character field accepted.
    rng : numpy.random.Generator, optional
        Source of the random commutant elements (default: a fixed seed).

    Returns
    -------
    Representation
        ``exact_images``: sympy matrices with entries in ``K = ℚ(ψ)`` (rational, or e.g.
        ``a + b·sqrt(5)``); ``images``: their float values (not orthogonal); ``label``,
        ``real_type`` and ``meta["characters"]`` as in ``G.irreps()``; ``meta["field"]``
        (``"QQ"``, ``"QQ(sqrt(5))"``, ...), ``meta["split_from"]`` (the source), ``meta["verified"]``.
        Stored on ``G``.

    Raises
    ------
    ExactnessError
        The character field has degree ``> max_field_degree``, or the irrep occurs once in no
        permutation source of degree ``≤ max_degree`` (the message names the irrep).
    TooLargeError
        ``[K : ℚ] · dim ψ > MAX_FIELD_DIM``.
    InvalidArgumentError
        ``G`` is not a finite group, ``k`` is out of range, or ``max_degree`` / ``max_field_degree`` is not a
        positive integer.

    Examples
    --------
    >>> from reptheory import groups
    >>> psi = exact_irrep(groups.dihedral(5), 2)     # 2-dimensional, character 2cos(2π/5) on the rotation
    >>> psi.meta["field"], psi.exact_images[0].trace().expand()
    ('QQ(sqrt(5))', -1/2 + sqrt(5)/2)
    """
    from reptheory.decomposition.irreps.finite import _real_label

    if not isinstance(G, (FiniteGroup, PermutationGroup)):
        raise InvalidArgumentError(f"G must be a FiniteGroup or a PermutationGroup, got {type(G).__name__}")
    for name, value in (("max_degree", max_degree), ("max_field_degree", max_field_degree)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise InvalidArgumentError(f"{name} must be a positive integer, got {value!r}")
    T = G.character_table()
    rows_all = T.real_rows()
    if not isinstance(k, (int, np.integer)) or not 0 <= int(k) < len(rows_all):
        raise InvalidArgumentError(f"k must be an index into the {len(rows_all)} real irreps of {G.name}, got {k!r}")
    k = int(k)
    known = _store(G)
    if k in known:
        return known[k]
    rows = rows_all[k]
    label = _real_label(rows)
    if isinstance(G, FiniteGroup) and _has_closed_form(G):  # catalogue: its labels, and its exact images if any
        closed = G.irreps()[k]
        if closed.exact_images is not None:
            known[k] = closed
            return closed
        label = str(closed.label)
    why = f"irrep {label} of {G.name} has no exact images"
    conj = galois_conjugates(T, k)
    if len(conj) > max_field_degree:
        raise ExactnessError(f"{why}: its character field has degree {len(conj)} > max_field_degree={max_field_degree}")
    d = round(float(T.real_character(rows)[0]))
    if len(conj) > 1 and len(conj) * d > MAX_FIELD_DIM:
        raise TooLargeError(f"{why}: the split over its character field (degree {len(conj)}) works on matrices of "
                            f"size {len(conj) * d} > {MAX_FIELD_DIM}", estimate=len(conj) * d, limit=MAX_FIELD_DIM)
    field = _Field(T, k, conj, np.random.default_rng(_SEED))
    if d == 1 and len(conj) == 1:  # ±1 on the generators
        chi = field.rational_character()
        ims = [[[Fraction(chi[c])]] for c in _generator_classes(G)]
        psi = _build(G, T, label, rows, ims, None, "character table", "linear character of the table (values ±1)")
    else:
        psi = _from_sources(G, T, k, field, label, why, max_degree, rng if rng is not None else
                            np.random.default_rng(_SEED))
    known[k] = psi
    return psi


def exact_irreps(G: FiniteGroup | PermutationGroup, *, max_degree: int = MAX_EXACT_SOURCE_DEGREE,
                 max_field_degree: int = MAX_FIELD_DEGREE, rng: np.random.Generator | None = None
                 ) -> tuple[Representation, ...]:
    """Every real irrep of ``G`` with exact images, in the order of ``G.irreps()`` (``G.irreps(exact=True)``).

    Raises
    ------
    ExactnessError
        Some irrep has no exact images; the message names each one and why (see
        [`exact_irrep`][reptheory.decomposition.irreps.exact.exact_irrep], which builds the others).

    Examples
    --------
    >>> from reptheory import groups
    >>> [(p.label, p.real_type, p.meta["field"]) for p in exact_irreps(groups.cyclic(5))]
    [('trivial', 'R', 'QQ'), ('chi1+chi2', 'C', 'QQ(sqrt(5))'), ('chi3+chi4', 'C', 'QQ(sqrt(5))')]
    """
    if not isinstance(G, (FiniteGroup, PermutationGroup)):
        raise InvalidArgumentError(f"G must be a FiniteGroup or a PermutationGroup, got {type(G).__name__}")
    out, errors = [], []
    for k in range(len(G.character_table().real_rows())):
        try:
            out.append(exact_irrep(G, k, max_degree=max_degree, max_field_degree=max_field_degree, rng=rng))
        except (ExactnessError, TooLargeError) as exc:
            errors.append(str(exc))
    if errors:
        raise ExactnessError(f"G.irreps(exact=True) of {G.name}: {'; '.join(errors)}; "
                             "exact_irrep(G, k) builds the others")
    return tuple(out)


# =========================================================================== the permutation sources
@dataclass(frozen=True)
class _Source:
    """A signed permutation representation ``e_x ↦ c[x] e_{p[x]}`` (``c = ±1``): generators and class representatives."""

    rep: Representation
    gens: np.ndarray
    classes: np.ndarray
    gen_signs: np.ndarray
    class_signs: np.ndarray
    copies: int = 1


def _sources(G: FiniteGroup | PermutationGroup, T: Any, k: int, cap: int, copies: tuple[int, ...] = (1,)
             ) -> Iterator[_Source]:
    """The (signed) permutation representations (degree ``≤ cap``) that contain irrep ``k`` exactly once, smallest first.

    Permutation groups: the orbits of the subset actions, unsigned and signed (``e_S ↦ sgn e_{gS}``), and of
    their products; a signed source reaches irreps that occur twice or more in every unsigned one
    (PSL(2,11)'s rational ``chi3`` of degree 10). Enumerated groups: unsigned actions. Then, for both, the
    conjugation actions on classes and on cyclic subgroups twisted by the sign characters of the stabilisers.
    """
    if isinstance(G, PermutationGroup):
        from reptheory.reps.permutation_group import _run

        prog = G.straight_line_program(np.asarray(G.conjugacy_classes().representatives))
        for rho, mult in orbit_sources(G, T, {k}, cap, signed=True, copies=copies):
            assert rho.monomial is not None
            run = _run(rho, prog)
            yield _Source(rho, np.asarray(rho.monomial[0]), np.stack([p for p, _ in run]),
                          _unit_signs(rho.monomial[1]), _unit_signs(np.stack([c for _, c in run])), int(mult[k]))
        return
    groups = T.real_rows()
    regular = np.zeros(len(T.class_sizes))
    regular[int(G.class_of[G.identity])] = G.order
    cands = list(_candidates(G, T))
    cands.append((lambda: Representation.regular(G), regular))
    for build, chi in cands:
        mult = _multiplicities_of(T, np.asarray(chi, dtype=float), groups)[k]
        if mult < 1 or (mult in copies and round(float(chi[int(G.class_of[G.identity])])) > cap):
            continue
        rho = build()
        assert rho.monomial is not None
        perms = np.asarray(rho.monomial[0])
        classes = _class_perms(G, perms)
        orbits = _orbits(perms)
        if len(orbits) == 1:  # transitive
            if mult in copies:
                yield _Source(rho, perms, classes, np.ones(perms.shape, np.int64), np.ones(classes.shape, np.int64), mult)
            continue
        for orbit in sorted(orbits, key=len):  # the orbits (transitive pieces) may hold it once
            if len(orbit) > cap:
                break
            new = np.full(perms.shape[1], -1, dtype=np.int64)
            new[orbit] = np.arange(orbit.size)
            cls = new[classes[:, orbit]]
            fixed = (cls == np.arange(orbit.size)[None, :]).sum(axis=1).astype(float)
            m_orbit = int(_multiplicities_of(T, fixed, groups)[k])
            if m_orbit in copies:
                gens = new[perms[:, orbit]]
                sub = Representation.permutation(G, gens, name=f"{rho.name} (orbit of {orbit[0]})", validate=False)
                yield _Source(sub, gens, cls, np.ones(gens.shape, np.int64), np.ones(cls.shape, np.int64), m_orbit)
    for act in conjugation_actions(G, T, cap):  # signed actions on classes (permutation groups: in orbit_sources)
        m_act = int(_multiplicities_of(T, act.character, groups)[k])
        if m_act in copies:
            rho = Representation._from_monomial(G, act.perm, act.coeff.astype(np.float64), name=act.name, validate=False)
            yield _Source(rho, act.perm, act.class_perm, act.coeff, act.class_coeff, m_act)


def _unit_signs(c: Any) -> np.ndarray:
    """The coefficients of a signed permutation representation as int64 ``±1`` (anything else is refused)."""
    a = np.asarray(c)
    r = np.rint(np.real(a)).astype(np.int64)
    if np.abs(a - r).max(initial=0.0) > 1e-12 or not np.all(np.abs(r) == 1):
        raise ExactnessError("a monomial source has coefficients other than ±1")  # pragma: no cover - sources are ±1
    return r


def _class_perms(G: FiniteGroup, perms: np.ndarray) -> np.ndarray:
    """``P(g_c)`` at the class representatives, along shortest words (``g = s_{w_0} s_{w_1} ⋯``)."""
    out = []
    for g in np.asarray(G.class_representatives):
        q = np.arange(perms.shape[1])
        for s in G.word(int(g)):
            q = q[perms[s]]
        out.append(q)
    return np.stack(out)


def _generator_classes(G: FiniteGroup | PermutationGroup) -> list[int]:
    if isinstance(G, PermutationGroup):
        return [int(c) for c in G.conjugacy_classes().index(G.generators)]
    return [int(G.class_of[int(g)]) for g in G.generators]


# =========================================================================== the construction
def _from_sources(G: Any, T: Any, k: int, field: _Field, label: str, why: str, cap: int,
                  rng: np.random.Generator) -> Representation:
    r = field.r
    for src in _sources(G, T, k, cap):  # one copy: a random symmetric S acts by a scalar on it
        cond = _condense(G, T, src, rng)
        if cond is None:
            continue
        traces = cond.trace_rows(src.classes, src.class_signs)
        coeff = max(2, _COEFF >> (3 * (r - 1)))
        for _ in range(_ATTEMPTS):
            x = rng.integers(-coeff, coeff + 1, cond.rank)
            lams = _eigenvalues(cond.hecke(x), cond, traces, field)
            if lams is None:
                continue
            m = np.poly(lams)
            if np.abs(m).max() > 2.0**50 or np.abs(m - np.round(m)).max() > 1e-6 * max(1.0, float(np.abs(m).max())):
                coeff = max(1, coeff // 4)
                continue
            got = _finish(G, T, k, field, label, why, src, cond, x, [int(a) for a in np.round(m)], lams)
            if got is not None:
                return got
    tried = 0
    for src in _sources(G, T, k, cap, tuple(range(2, MAX_COPIES + 1))):  # several copies: S with a rational factor
        tried += 1
        cond = _condense(G, T, src, rng)
        if cond is None:
            continue
        found = _splitting_element(cond, cond.trace_rows(src.classes, src.class_signs), src, field, rng)
        if found is not None:
            got = _finish(G, T, k, field, label, why, src, cond, *found)
            if got is not None:
                return got
    kinds = ("orbits of the signed and unsigned actions on k-subsets and their products" if isinstance(G, PermutationGroup) else
             "actions on k-subsets and their orbits, on the cosets of cyclic subgroups, regular")
    kinds += "; conjugation on classes and cyclic subgroups twisted by the sign characters of the stabilisers"
    several = (f"no commutant element tried splits one copy off the {tried} holding it 2 to {MAX_COPIES} times" if tried
               else f"none holds it 2 to {MAX_COPIES} times")
    raise ExactnessError(f"{why}: it occurs with multiplicity 1 in no permutation representation of degree <= "
                         f"max_degree={cap}, and {several} ({kinds})")


def _condense(G: Any, T: Any, src: _Source, rng: np.random.Generator) -> Condensed | None:
    """The source condensed onto its ``λ``-fixed vectors (None: too large, or not certified)."""
    chi = (src.classes == np.arange(src.classes.shape[1])[None, :]) * src.class_signs
    norm = inner_norm(chi.sum(axis=1), np.asarray(T.class_sizes), int(G.order))
    return condense(src.gens, src.gen_signs, norm, rng)


def _finish(G: Any, T: Any, k: int, field: _Field, label: str, why: str, src: _Source, cond: Condensed,
            x: np.ndarray, mi: list[int], lams: list[float]) -> Representation | None:
    """The irrep from ``V = ker m(S)`` (one copy of each conjugate ``ψ_i``, ``S = λ_i`` there), or None (try again).

    ``S`` (``X e₀ = Σ x_O f_O``, ``S = X + Xᵀ``) acts on ``E`` by ``D⁻¹ A``; ``ker m(D⁻¹ A)`` is computed exactly
    (``r × r``), spun up to ``V`` by the generators with ``S`` carried along, and put in the form ``B[F] = I``.
    """
    rows = T.real_rows()[k]
    d = round(float(field.refs[0, 0]))
    dim = field.r * d
    A = cond.hecke(x)
    Lc = math.lcm(*[int(s) for s in cond.size])
    Bint = (Lc // cond.size)[:, None] * A  # Lc · D⁻¹ A
    if len(mi) < 2:
        return None
    scaled = [a * Lc**i for i, a in enumerate(mi)]  # Lc^deg · m(x / Lc): m(D⁻¹A) up to a scalar
    kn, _ = _rational_kernel(_poly_at(scaled, Bint), np.random.default_rng(_SEED))
    if kn.shape[1] != field.r * src.copies * _END_DIM[str(T.real_types[rows[0]])]:
        return None  # E ∩ (one copy of each ψ_i) = Hom_G(P, ψ_1 ⊕ … ⊕ ψ_r): copies · dim End(ψ) each
    start = cond.expand(kn)
    lc_s = cond.expand(np.asarray(Bint, dtype=object) @ kn)  # Lc · S · start
    spun = spin(cond, start, lc_s, dim)
    if spun is None:
        return None
    Bm, SBm = spun
    got = _rref_form(Bm, SBm, Lc, dim)
    if got is None:
        return None
    num, den, SVq = got
    V = _images(src.gens, src.gen_signs, num, den)  # Q(s): the action on V
    _check_invariant(src.gens, src.gen_signs, num, den, V, why, src.rep.name)
    Qc = _images(src.classes, src.class_signs, num, den)
    if field.r == 1:
        if [sum((q[a][a] for a in range(d)), Fraction(0)) for q in Qc] != field.rational_character():
            raise ExactnessError(f"{why}: the exact images in {src.rep.name} do not have its character")
        return _build(G, T, label, rows, V, None, src.rep.name,
                      "exact: P(s) B = B psi(s) for the generators and the character at every class")
    split = _split_over_field(field, SVq, num, den, V, Qc, mi, lams[0], why)
    if split is None:
        return None
    return _build(G, T, label, rows, split, field, src.rep.name,
                  f"exact over {field.name}: P(s) B = B Q(s), Q(s) C = C psi(s) for the generators and "
                  "the character at every class (in the cyclotomic field)")


def _rref_form(Bm: np.ndarray, SBm: np.ndarray, Lc: int, dim: int
               ) -> tuple[np.ndarray, np.ndarray, list[list[Fraction]]] | None:
    """``B = Bm Bm[F]⁻¹`` as ``num / den`` (columns) with ``B[F] = I``, ``F`` chosen by pivoted QR on the floats, and
    ``S_V = (S Bm)[F] Bm[F]⁻¹`` (``SBm = Lc · S Bm``); None when ``Bm[F]`` is singular."""
    import scipy.linalg

    Bf = np.array([[float(a) for a in row] for row in Bm]) if Bm.dtype == object else Bm.astype(np.float64)
    Bf = Bf / np.maximum(np.abs(Bf).max(axis=0), 1e-300)
    _, _, piv = scipy.linalg.qr(Bf.T, mode="economic", pivoting=True)
    F = sorted(int(f) for f in piv[:dim])
    try:
        import flint
    except ImportError:  # pragma: no cover - without flint: sympy's rational matrices
        return _rref_form_sympy(Bm, SBm, Lc, F)
    try:
        inv: Any = flint.fmpz_mat([[int(a) for a in Bm[f]] for f in F]).inv()
    except ZeroDivisionError:
        return None
    Bq = flint.fmpz_mat([[int(a) for a in row] for row in Bm]) * inv
    numer, common = Bq.numer_denom()  # one denominator for every column
    num = np.array([[int(v) for v in row] for row in numer.tolist()], dtype=object)
    den = np.full(dim, int(common), dtype=object)
    SV = flint.fmpz_mat([[int(a) for a in SBm[f]] for f in F]) * inv
    SVq = [[Fraction(int(v.p), int(v.q) * Lc) for v in row] for row in SV.tolist()]
    return num, den, SVq


def _rref_form_sympy(Bm: np.ndarray, SBm: np.ndarray, Lc: int, F: list[int]
                     ) -> tuple[np.ndarray, np.ndarray, list[list[Fraction]]] | None:  # pragma: no cover - without flint
    from sympy import QQ
    from sympy.polys.matrices import DomainMatrix

    def dm(rows: Any) -> Any:
        return DomainMatrix([[QQ(int(a)) for a in row] for row in rows], (len(rows), len(rows[0])), QQ)

    try:
        inv = dm([Bm[f] for f in F]).inv()
    except Exception:
        return None
    Bq = (dm(list(Bm)) * inv).to_list()
    dim = len(F)
    num = np.empty((Bm.shape[0], dim), dtype=object)
    den = np.empty(dim, dtype=object)
    for j in range(dim):
        den[j] = math.lcm(*[int(row[j].denominator) for row in Bq])
        num[:, j] = [int(row[j].numerator) * (den[j] // int(row[j].denominator)) for row in Bq]
    SV = (dm([SBm[f] for f in F]) * inv).to_list()
    return num, den, [[Fraction(int(v.numerator), int(v.denominator) * Lc) for v in row] for row in SV]


def _orthonormal(A: np.ndarray, cond: Condensed) -> np.ndarray:
    """``S`` on ``E`` in the orthonormal coordinates ``f_O / √|O|``: ``D^{-1/2} A D^{-1/2}`` (symmetric, float)."""
    h = 1.0 / np.sqrt(cond.size.astype(np.float64))
    return A.astype(np.float64) * h[:, None] * h[None, :]  # type: ignore[no-any-return]


def _spectrum(A: np.ndarray, cond: Condensed) -> tuple[np.ndarray, np.ndarray]:
    """Eigenvalues and orthonormal eigenvectors of ``S`` on ``E``."""
    return np.linalg.eigh(_orthonormal(A, cond))  # type: ignore[return-value]


def _which(Y: np.ndarray, traces: np.ndarray, field: _Field) -> int:
    """The ``i`` whose character ``field.refs[i]`` the component with condensed orthonormal eigenvectors ``Y`` carries
    (−1: none); its character is ``traces · (Y Yᵀ e₀)``."""
    chi = traces @ (Y @ Y[0])
    err = np.abs(field.refs - chi[None, :]).max(axis=1)
    i = int(np.argmin(err))
    d = float(field.refs[0, 0])
    return i if err[i] <= 1e-6 * max(1.0, d) else -1


def _eigenvalues(A: np.ndarray, cond: Condensed, traces: np.ndarray, field: _Field) -> list[float] | None:
    """``λ_i``: the eigenvalue of ``S`` whose eigenspace has the character ``field.refs[i]`` (None: merged, or not one
    eigenspace per conjugate)."""
    w, Y = _spectrum(A, cond)
    parts = _clusters(w)
    which = [_which(Y[:, p], traces, field) for p in parts]
    out = []
    for i in range(field.r):
        hits = [p for p, j in zip(parts, which, strict=True) if j == i]
        if len(hits) != 1:
            return None
        out.append(float(w[hits[0]].mean()))
    return out


def _splitting_element(cond: Condensed, traces: np.ndarray, src: _Source, field: _Field, rng: np.random.Generator) -> tuple[np.ndarray, list[int], list[float]] | None:
    """Coefficients ``x`` of a symmetric commutant element ``S`` whose polynomial on the ``ψ``-component has an integer
    factor ``f`` with one root per conjugate ``ψ_i``: then ``ker f(S)`` holds one copy of each.

    The component (``copies`` copies of each ``ψ_i``) is found once in floating point (the condensed eigenvectors
    of a generic ``S₀`` whose eigenspaces carry some ``ψ_i``, orthonormal ``W``); candidates ``S`` are screened on
    the small matrix ``Wᵀ S W``.  They exist whenever ``ψ`` has a rational form (Schur index 1): the orthogonal
    projection onto a rational copy is one.  Sparse candidates with coefficients ±1, ±2 keep the eigenvalues
    small, so that a rational factor is likely.
    """
    r = field.r
    w, Y = _spectrum(cond.hecke(rng.integers(-_COEFF, _COEFF + 1, cond.rank)), cond)
    parts = _clusters(w)
    which = [_which(Y[:, p], traces, field) for p in parts]
    if any(which.count(i) != src.copies for i in range(r)):
        return None
    W = Y[:, np.concatenate([p for p, i in zip(parts, which, strict=True) if i >= 0])]
    for _ in range(_SPLIT_TRIALS):
        x = rng.integers(-2, 3, cond.rank) * (rng.random(cond.rank) < 0.5)
        Ls = _orthonormal(cond.hecke(x), cond)
        mu, Z = np.linalg.eigh(W.T @ Ls @ W)
        cl = _clusters(mu)
        if len(cl) != src.copies * r:
            continue
        ids = [_which(W @ Z[:, p], traces, field) for p in cl]
        if -1 in ids:
            continue
        vals = [float(mu[p].mean()) for p in cl]
        for f in _integer_factors(vals):
            at = [j for j, v in enumerate(vals) if abs(np.polyval(f, v)) < 1e-6 * max(1.0, float(np.abs(f).max()))]
            if len(f) - 1 != r or len(at) != r:
                continue
            got = [ids[j] for j in at]
            hits = sum(cl[j].size for j in at)  # ... and no other component of S has a root of f
            if sorted(got) == list(range(r)) and int((np.abs(np.polyval(f, np.linalg.eigvalsh(Ls))) <
                                                      1e-6 * max(1.0, float(np.abs(f).max()))).sum()) == hits:
                return x, [int(a) for a in f], [vals[at[got.index(i)]] for i in range(r)]
    return None


def _integer_factors(vals: list[float]) -> list[list[int]]:
    """The irreducible factors over ℤ (coefficients, highest degree first) of ``Π (x − v)``, when it is an integer polynomial."""
    m = np.poly(vals)
    if np.abs(m).max() > 2.0**50 or np.abs(m - np.round(m)).max() > 1e-6 * max(1.0, float(np.abs(m).max())):
        return []
    coeffs = [int(a) for a in np.round(m)]
    try:
        import flint
    except ImportError:  # pragma: no cover - without flint
        import sympy

        x = sympy.Symbol("x")
        return [[int(a) for a in sympy.Poly(f, x).all_coeffs()] for f, _ in sympy.factor_list(sympy.Poly(coeffs, x))[1]]
    _, facs = flint.fmpz_poly(coeffs[::-1]).factor()
    return [[int(a) for a in f.coeffs()][::-1] for f, _ in facs]


def _poly_at(m: list[int], S: np.ndarray) -> np.ndarray:
    """``m(S)`` exactly (Horner): float64 products while every partial sum stays below ``2^53``, else flint/objects."""
    rho = float(np.abs(S).sum(axis=1).max())
    bound = 0.0
    for a in m:
        bound = bound * rho + abs(a)
    n = S.shape[0]
    if bound < 2.0**52:
        Sf = S.astype(np.float64)
        H = np.zeros_like(Sf)
        for a in m:
            H = H @ Sf
            H[np.diag_indices(n)] += a
        return np.rint(H).astype(np.int64)
    try:
        import flint
    except ImportError:  # pragma: no cover - without flint
        So = S.astype(object)
        Ho = np.zeros((n, n), dtype=object)
        for a in m:
            Ho = Ho @ So
            Ho[np.diag_indices(n)] += a
        return Ho
    Sm = flint.fmpz_mat(S.tolist())
    Hm = flint.fmpz_mat(n, n)
    eye = flint.fmpz_mat([[int(i == j) for j in range(n)] for i in range(n)])
    for a in m:
        Hm = Hm * Sm + eye * a
    return np.array([[int(x) for x in row] for row in Hm.tolist()], dtype=object)


def _rational_kernel(M: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    from reptheory._numerics.exact import rational_nullspace, to_integer_matrix

    return rational_nullspace(to_integer_matrix(M) if M.dtype == object else M, rng=int(rng.integers(1 << 31)))


def _images(perms: np.ndarray, signs: np.ndarray, num: np.ndarray, den: np.ndarray) -> list[list[list[Fraction]]]:
    """``Q(p)[a, j] = c[y] B[y, j]`` with ``y = p⁻¹(F_a)`` (``(P B)[p(x)] = c[x] B[x]``), as Fractions."""
    F = _free_rows(num, den)
    out = []
    for p, c in zip(perms, signs, strict=True):
        inv = np.argsort(p)
        out.append([[Fraction(int(c[inv[f]]) * int(num[inv[f], j]), int(den[j])) for j in range(num.shape[1])]
                    for f in F])
    return out


def _check_invariant(gens: np.ndarray, signs: np.ndarray, num: np.ndarray, den: np.ndarray,
                     ims: list[list[list[Fraction]]], why: str, source: str) -> None:
    """``P(s) B = B Q(s)`` exactly (integers: ``L c N[p⁻¹] = N E Ψ`` with ``Ψ = L Q``)."""
    L = math.lcm(*[int(x) for x in den])
    Nint = [[int(x) for x in row] for row in num]
    scaled = [[x * (L // int(den[c])) for c, x in enumerate(row)] for row in Nint]
    for j, (p, sg) in enumerate(zip(gens, signs, strict=True)):
        inv = np.argsort(p)
        Psi = [[int(x * L) for x in row] for row in ims[j]]
        lhs = [[int(sg[i]) * x * L * (L // int(den[c])) for c, x in enumerate(Nint[i])] for i in inv]
        if _matmul(scaled, Psi) != lhs:
            raise ExactnessError(f"{why}: the exact subspace of {source} is not invariant under generator {j}")


def _matmul(A: list[list[int]], B: list[list[int]]) -> list[list[int]]:
    """Exact integer matrix product (python-flint ``fmpz_mat`` when available)."""
    try:
        import flint
    except ImportError:  # pragma: no cover - without flint
        Bt = list(zip(*B, strict=True))
        return [[sum(a * b for a, b in zip(row, col, strict=True)) for col in Bt] for row in A]
    return [[int(x) for x in row] for row in (flint.fmpz_mat(A) * flint.fmpz_mat(B)).tolist()]


def _build(G: Any, T: Any, label: str, rows: tuple[int, ...], ims: list[Any], field: _Field | None,
           source: str, verified: str) -> Representation:
    import sympy

    if field is None:
        exact = tuple(sympy.ImmutableMatrix([[sympy.Rational(x.numerator, x.denominator) for x in row] for row in m])
                      for m in ims)
        floats = np.array([[[float(x) for x in row] for row in m] for m in ims], dtype=np.float64)
        name = "QQ"
    else:
        K = field.K
        lists = [m.to_list() for m in ims]
        exact = tuple(sympy.ImmutableMatrix([[K.to_sympy(x) for x in row] for row in m]) for m in lists)
        floats = np.array([[[field.to_float(x) for x in row] for row in m] for m in lists], dtype=np.float64)
        name = field.name
    d = floats.shape[-1]
    meta: dict[str, Any] = {"characters": rows, "split_from": source, "verified": verified, "field": name}
    kind = "rational" if field is None else "exact"
    return Representation(G, floats.reshape(len(ims), d, d), name=f"{label} ({kind})", label=label,
                          real_type=str(T.real_types[rows[0]]), exact_images=exact, meta=meta)
