"""Exact rational images of the rational irreps of a permutation group that is never enumerated.

For a [`PermutationGroup`][reptheory.groups.permutation.PermutationGroup] ``G`` and a real irrep ``ψ``
whose real character is **rational-valued** (all ``χ(g) ∈ ℚ``; then ``χ(g) ∈ ℤ``), exact images
``ψ(s_j) ∈ ℚ^{d×d}`` are found in a permutation representation ``P`` (an orbit of the action on the
``k``-subsets of the points, or of a product of two such actions: 0/1 matrices) that contains ``ψ``
**exactly once**:

1. The commutant ``End_G(P)`` is spanned by the orbital matrices ``A_O`` (0/1, one per orbit ``O`` of
   ``G`` on pairs of points: `reptheory.hom.orbits`).  A random integer combination
   ``S = Σ_O c_O (A_O + A_Oᵀ)`` acts on the ``ψ``-isotypic subspace ``U`` (one copy) by a scalar ``λ``.
2. ``λ`` is an algebraic integer fixed by every Galois automorphism (``ψ`` is rational and occurs once,
   so ``σ(U) = U``): ``λ ∈ ℤ``.  It is read off numerically (the eigenvalue of ``S`` whose eigenspace
   has the character of ``ψ``) and rounded.
3. ``U ⊆ ker(S − λ I)``; the exact (multi-modular, verified) nullspace
   `reptheory._numerics.exact.rational_nullspace` gives a rational basis ``B``
   with ``B[F] = I`` on ``d`` rows ``F``.  When ``dim ker = d`` (otherwise another draw of ``c``),
   ``ker(S − λ I) = U`` and ``ψ(s) = (P(s) B)[F]`` (since ``P(s) B = B ψ(s)``): rows of ``B``.
4. Exact verification: ``P(s) B = B ψ(s)`` for every generator (integer matrix products), and
   ``tr ψ(g_c) = χ(g_c)`` at every class representative (``ψ(g_c) = (P(g_c) B)[F]`` with ``P(g_c)``
   from the straight-line programs on the monomial ``P``).  A subrepresentation of ``P`` with the
   character of ``ψ`` is ``ψ``.

The images are **rational and not orthogonal** (an orthonormal basis would need the square roots of
the Gram matrix): ``float(ψ(s))`` are the float images of the returned representation, which
compares with the orthogonal ``G.irreps()`` by a change of basis (the same character).  Irreps of
type C and H are built the same way when their *real* character (``χ + χ̄``, ``2χ``) is rational: a
symmetric element of the commutant still acts on the one copy ``U`` by a scalar (the symmetric
elements of ``End_G(ψ) = ℂ`` or ``ℍ`` are the real ones), e.g. the 6-dimensional real irrep of
PSL(2,7).  The construction lives in [`reptheory.decomposition.irreps.exact`][reptheory.decomposition.irreps.exact]
(one copy for both kinds of finite group, and over the character field for irrational characters:
``G.irreps(exact=True)``); this module is its rational entry point, which refuses an irrational
character, or an irrep found with multiplicity 1 in no permutation source within the degree limit,
with an `ExactnessError` naming the irrep and the reason.

Examples
--------
>>> from reptheory.groups import permutation_group
>>> S4 = permutation_group([[1, 2, 3, 0], [1, 0, 2, 3]])
>>> psi = rational_irrep(S4, 3)
>>> psi.label, psi.dim, psi.exact_images[1].tolist()
('chi3', 3, [[0, 1, 0], [1, 0, 0], [0, 0, 1]])
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from reptheory.decomposition.irreps.exact import MAX_EXACT_SOURCE_DEGREE, exact_irrep
from reptheory.errors import ExactnessError, InvalidArgumentError
from reptheory.groups.permutation import PermutationGroup
from reptheory.reps.representation import Representation

__all__ = ["rational_irrep", "rational_irreps", "irrational_classes"]


def irrational_classes(T: Any, i: int) -> list[int]:
    """The classes ``k`` where ``χ_i(g_k)`` is irrational (exactly, from the eigenvalue spectra).

    ``χ_i(g_k) = Σ ζ_e^s`` over the exponents ``s`` of ``T.spectra[i][k]``; it is rational iff the
    multiset of exponents is stable under ``s ↦ a s (mod e)`` for every unit ``a`` (the Galois group
    of ``ℚ(ζ_e)``: ``σ_a χ(g) = χ(g^a)``, and equal characters on all powers mean equal spectra).

    Examples
    --------
    >>> from reptheory.groups import permutation_group
    >>> A5 = permutation_group([[1, 2, 0, 3, 4], [0, 1, 3, 4, 2]])
    >>> T = A5.character_table()
    >>> [T.class_names[k] for k in irrational_classes(T, 1)], irrational_classes(T, 3)
    (['5a', '5b'], [])
    """
    return _irrational_classes(T, (int(i),))


def _irrational_classes(T: Any, rows: tuple[int, ...]) -> list[int]:
    """The classes where ``Σ_{i ∈ rows} χ_i`` is irrational: the union of their exponent multisets is not Galois-stable."""
    e = int(T.exponent)
    units = [a for a in range(2, e) if math.gcd(a, e) == 1]
    out = []
    for c in range(T.num_classes):
        s = np.sort(np.concatenate([np.asarray(T.spectra[i][c], dtype=np.int64) % e for i in rows]))
        if any(not np.array_equal(np.sort((a * s) % e), s) for a in units):
            out.append(c)
    return out


def rational_irrep(G: PermutationGroup, k: int, *, max_degree: int = MAX_EXACT_SOURCE_DEGREE,
                   rng: np.random.Generator | None = None) -> Representation:
    """The real irrep ``k`` (of ``T.real_rows()``) of ``G`` with exact rational images (see the module docstring).

    The construction is [`exact_irrep`][reptheory.decomposition.irreps.exact.exact_irrep] (one copy for
    rational and irrational characters, permutation and enumerated groups); this entry point
    refuses an irrational character instead of working over its field.

    Parameters
    ----------
    G : PermutationGroup
    k : int
        Index into ``G.character_table().real_rows()`` (the order of ``G.irreps()``).
    max_degree : int
        Largest permutation source (orbit) searched.
    rng : numpy.random.Generator, optional
        Source of the random commutant elements (default: a fixed seed).

    Returns
    -------
    Representation
        ``exact_images``: sympy matrices over ℚ; ``images``: their float values (not orthogonal);
        ``label``, ``real_type`` and ``meta["characters"]`` as in ``G.irreps()``,
        ``meta["split_from"]`` (the source), ``meta["verified"]``, ``meta["field"] = "QQ"``.  Stored on ``G``.

    Raises
    ------
    ExactnessError
        The real character has an irrational value (the message names the classes), or the irrep
        occurs with multiplicity 1 in no permutation source of degree ``≤ max_degree``.
    InvalidArgumentError
        ``G`` is not a PermutationGroup or ``k`` is out of range.

    Examples
    --------
    >>> from reptheory.groups import permutation_group
    >>> A5 = permutation_group([[1, 2, 0, 3, 4], [0, 1, 3, 4, 2]], name="A5")
    >>> psi = rational_irrep(A5, 3)
    >>> psi.dim, [int(psi.exact_images[j].trace()) for j in range(2)]
    (4, [1, 1])
    >>> rational_irrep(A5, 1)
    Traceback (most recent call last):
    ...
    reptheory.errors.ExactnessError: irrep chi1 of A5 has no rational images: its character is irrational at classes 5a, 5b ...
    """
    from reptheory.decomposition.irreps.finite import _real_label

    if not isinstance(G, PermutationGroup):
        raise InvalidArgumentError(f"G must be a PermutationGroup, got {type(G).__name__}")
    T = G.character_table()
    rows_all = T.real_rows()
    if not isinstance(k, (int, np.integer)) or not 0 <= int(k) < len(rows_all):
        raise InvalidArgumentError(f"k must be an index into the {len(rows_all)} real irreps of {G.name}, got {k!r}")
    rows = rows_all[int(k)]
    bad = _irrational_classes(T, rows)  # of the real character: χ, or χ + χ̄ for a pair of complex rows
    if bad:
        vals = ", ".join(f"{T.real_character(rows)[c]:.6g}" for c in bad[:3])
        raise ExactnessError(f"irrep {_real_label(rows)} of {G.name} has no rational images: its character is irrational "
                             f"at classes {', '.join(T.class_names[c] for c in bad)} "
                             f"(values {vals}{', ...' if len(bad) > 3 else ''}); exact_irrep works over its field")
    return exact_irrep(G, int(k), max_degree=max_degree, rng=rng)


def rational_irreps(G: PermutationGroup, *, max_degree: int = MAX_EXACT_SOURCE_DEGREE,
                    rng: np.random.Generator | None = None) -> tuple[Representation, ...]:
    """Every real irrep of ``G`` with exact rational images, in the order of ``G.irreps()``.

    Raises
    ------
    ExactnessError
        Some irrep has no rational images; the message names each one and why (see
        [`rational_irrep`][reptheory.decomposition.irreps.rational.rational_irrep], which builds the others).
    InvalidArgumentError
        ``G`` is not a PermutationGroup.

    Examples
    --------
    >>> from reptheory.groups import permutation_group
    >>> S4 = permutation_group([[1, 2, 3, 0], [1, 0, 2, 3]])
    >>> [(p.label, p.dim, p.is_exact) for p in rational_irreps(S4)][2:]
    [('chi2', 2, True), ('chi3', 3, True), ('chi4', 3, True)]
    """
    if not isinstance(G, PermutationGroup):
        raise InvalidArgumentError(f"G must be a PermutationGroup, got {type(G).__name__}")
    out, errors = [], []
    for k in range(len(G.character_table().real_rows())):
        try:
            out.append(rational_irrep(G, k, max_degree=max_degree, rng=rng))
        except ExactnessError as exc:
            errors.append(str(exc))
    if errors:
        raise ExactnessError(f"rational irreps of {G.name}: {'; '.join(errors)}; "
                             "rational_irrep(G, k) builds the others")
    return tuple(out)
