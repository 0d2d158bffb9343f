"""Exact rational images of the rational irreps of a permutation group that is never enumerated.

For a [`PermutationGroup`][reptheory.groups.permutation.PermutationGroup] ``G`` and a real irrep ``ψ``
of type R whose character is **rational-valued** (all ``χ(g) ∈ ℚ``; then ``χ(g) ∈ ℤ``), exact images
``ψ(s_j) ∈ ℚ^{d×d}`` are found in a permutation representation ``P`` (an orbit of the action on the
``k``-subsets of the points, or of a product of two such actions: 0/1 matrices) that contains ``ψ``
**exactly once**:

1. The commutant ``End_G(P)`` is spanned by the orbital matrices ``A_O`` (0/1, one per orbit ``O`` of
   ``G`` on pairs of points: `reptheory.hom.orbits`).  A random integer combination
   ``S = Σ_O c_O (A_O + A_Oᵀ)`` acts on the ``ψ``-isotypic subspace ``U`` (one copy) by a scalar ``λ``.
2. ``λ`` is an algebraic integer fixed by every Galois automorphism (``ψ`` is rational and occurs once,
   so ``σ(U) = U``): ``λ ∈ ℤ``.  It is read off numerically from the float copy (``λ = tr(Wᵀ S W)/d``)
   and rounded.
3. ``U ⊆ ker(S − λ I)``; the exact (multi-modular, verified) nullspace
   [`rational_nullspace`][reptheory._numerics.exact.rational_nullspace] gives a rational basis ``B``
   with ``B[F] = I`` on ``d`` rows ``F``.  When ``dim ker = d`` (otherwise another draw of ``c``),
   ``ker(S − λ I) = U`` and ``ψ(s) = (P(s) B)[F]`` (since ``P(s) B = B ψ(s)``): rows of ``B``.
4. Exact verification: ``P(s) B = B ψ(s)`` for every generator (integer matrix products), and
   ``tr ψ(g_c) = χ(g_c)`` at every class representative (``ψ(g_c) = (P(g_c) B)[F]`` with ``P(g_c)``
   from the straight-line programs on the monomial ``P``).  A subrepresentation of ``P`` with the
   character of ``ψ`` is ``ψ``.

The images are **rational and not orthogonal** (an orthonormal basis would need the square roots of
the Gram matrix): ``float(ψ(s))`` are the float images of the returned representation, which
compares with the orthogonal ``G.irreps()`` by a change of basis (the same character).  Irreps of
type C or H, with an irrational value, or found with multiplicity 1 in no permutation source within
the degree limit are refused with an `ExactnessError` naming the irrep and the reason.

Examples
--------
>>> from reptheory.groups import permutation_group
>>> S4 = permutation_group([[1, 2, 3, 0], [1, 0, 2, 3]])
>>> psi = rational_irrep(S4, 3)
>>> psi.label, psi.dim, psi.exact_images[1].tolist()
('chi3', 3, [[-1, -1, -1], [0, 1, 0], [0, 0, 1]])
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np

from reptheory.decomposition.irreps.permutation_group import (
    MAX_SOURCE_DEGREE,
    orbit_sources,
    split_copies,
)
from reptheory.errors import ExactnessError, InvalidArgumentError
from reptheory.groups.permutation import PermutationGroup
from reptheory.reps.representation import Representation

__all__ = ["rational_irrep", "rational_irreps", "irrational_classes"]

#: Largest |c_O| of the random integer combination of orbital matrices.
_COEFF = 1 << 6
_ATTEMPTS = 6
_SEED = 0x17C


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
    e = int(T.exponent)
    units = [a for a in range(2, e) if math.gcd(a, e) == 1]
    out = []
    for k, spec in enumerate(T.spectra[int(i)]):
        s = np.sort(np.asarray(spec, dtype=np.int64) % e)
        if any(not np.array_equal(np.sort((a * s) % e), s) for a in units):
            out.append(k)
    return out


def _store(G: PermutationGroup) -> dict[int, Representation]:
    """The rational irreps built so far for ``G`` (an attribute of the instance, keyed by real-row index)."""
    known = G.__dict__.get("_rational_irreps")
    if known is None:
        known = G.__dict__["_rational_irreps"] = {}
    return known  # type: ignore[no-any-return]


def rational_irrep(G: PermutationGroup, k: int, *, max_degree: int = MAX_SOURCE_DEGREE,
                   rng: np.random.Generator | None = None) -> Representation:
    """The real irrep ``k`` (of ``T.real_rows()``) of ``G`` with exact rational images (see the module docstring).

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
        ``label`` and ``meta["characters"]`` as in ``G.irreps()``, ``real_type = "R"``,
        ``meta["split_from"]`` (the source), ``meta["verified"]``.  Stored on ``G``.

    Raises
    ------
    ExactnessError
        The irrep is of type C or H, has an irrational character value (the message names the
        classes), or occurs with multiplicity 1 in no permutation source of degree ``≤ max_degree``.
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
    k = int(k)
    known = _store(G)
    if k in known:
        return known[k]
    rows = rows_all[k]
    label = _real_label(rows)
    why = f"irrep {label} of {G.name} has no rational images"
    rt = str(T.real_types[rows[0]])
    if rt != "R":
        raise ExactnessError(f"{why}: it is of type {rt} (exact images are built for rational irreps of type R)")
    bad = irrational_classes(T, rows[0])
    if bad:
        vals = ", ".join(f"{T.values[rows[0], c].real:.6g}" for c in bad[:3])
        raise ExactnessError(f"{why}: its character is irrational at classes {', '.join(T.class_names[c] for c in bad)} "
                             f"(values {vals}{', ...' if len(bad) > 3 else ''})")
    chi = [round(float(v)) for v in T.values[rows[0]].real]
    if chi[0] == 1:
        gens = G.conjugacy_classes().index(G.generators)
        ims = [[[Fraction(chi[c])]] for c in gens]
        psi = _build(G, label, rows, 1, ims, "character table", "linear character of the table (values ±1)")
    else:
        psi = _from_sources(G, T, k, label, why, chi, max_degree, rng if rng is not None else np.random.default_rng(_SEED))
    known[k] = psi
    return psi


def rational_irreps(G: PermutationGroup, *, max_degree: int = MAX_SOURCE_DEGREE,
                    rng: np.random.Generator | None = None) -> tuple[Representation, ...]:
    """Every real irrep of ``G`` with exact rational images, in the order of ``G.irreps()`` (``G.irreps(exact=True)``).

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
        raise ExactnessError(f"G.irreps(exact=True) of {G.name}: {'; '.join(errors)}; "
                             "rational_irrep(G, k) builds the others")
    return tuple(out)


# =========================================================================== the construction
def _from_sources(G: PermutationGroup, T: Any, k: int, label: str, why: str, chi: list[int], cap: int,
                  rng: np.random.Generator) -> Representation:
    from reptheory.hom.space import intertwiners  # hom comes after decomposition: imported where used

    for rho, _ in orbit_sources(G, T, {k}, cap, signed=False, exactly_once=True):
        space = intertwiners(rho, rho, method="orbit")
        _, _, found = split_copies(rho, rng, space)
        W = found[k][0]
        P: Any = space._structured  # the orbital labels of the pairs of points (method="orbit")
        n, d = rho.dim, W.shape[1]
        for _ in range(_ATTEMPTS):
            c = np.append(rng.integers(-_COEFF, _COEFF + 1, P.n_orbits), 0)  # label −1: forced zero
            X = c[P.labels].reshape(n, n)
            S = X + X.T
            lam_f = float(np.trace(W.T @ S @ W)) / d
            lam = round(lam_f)
            if abs(lam_f - lam) > 1e-6 * max(1.0, float(np.abs(S).sum(axis=1).max())):
                raise ExactnessError(f"{why}: the commutant of {rho.name} acts on it by {lam_f:.8g}, not an integer")
            num, den = _rational_kernel(S - lam * np.eye(n, dtype=np.int64), rng)
            if num.shape[1] == d:
                break
        else:
            continue  # eigenvalues met in every draw (probability ~0): try the next source
        ims = _images(rho, num, den)
        _verify(G, T, rho, num, den, ims, chi, why)
        return _build(G, label, T.real_rows()[k], d, ims, rho.name,
                      "exact: P(s) B = B psi(s) for the generators and the character at every class")
    raise ExactnessError(f"{why}: it occurs with multiplicity 1 in no permutation representation of degree <= "
                         f"max_degree={cap} (orbits of the actions on k-subsets and their products)")


def _rational_kernel(M: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    from reptheory._numerics.exact import rational_nullspace

    return rational_nullspace(M, rng=int(rng.integers(1 << 31)))


def _free_rows(num: np.ndarray, den: np.ndarray) -> list[int]:
    """Rows ``F`` with ``B[F] = I`` for the rref basis ``B = num / den`` (one per column)."""
    d = num.shape[1]
    nz = num != 0
    F = []
    for j in range(d):
        hits = np.flatnonzero((num[:, j] == den[j]) & (nz.sum(axis=1) == 1))
        if hits.size == 0:
            raise ExactnessError("the exact nullspace basis is not in reduced form")  # pragma: no cover
        F.append(int(hits[0]))
    return F


def _images(rho: Representation, num: np.ndarray, den: np.ndarray) -> list[list[list[Fraction]]]:
    """``ψ(s)[a, j] = B[p⁻¹(F_a), j]`` (``(P(s) B)[p(x)] = B[x]``), as Fractions."""
    assert rho.monomial is not None
    F = _free_rows(num, den)
    out = []
    for p in rho.monomial[0]:
        inv = np.argsort(p)
        out.append([[Fraction(int(num[inv[f], j]), int(den[j])) for j in range(num.shape[1])] for f in F])
    return out


def _verify(G: PermutationGroup, T: Any, rho: Representation, num: np.ndarray, den: np.ndarray,
            ims: list[list[list[Fraction]]], chi: list[int], why: str) -> None:
    """``P(s) B = B ψ(s)`` exactly (integers: ``L N[p⁻¹] = N E Nψ``), then ``tr ψ(g_c) = χ(g_c)``."""
    from reptheory.reps.permutation_group import _run

    assert rho.monomial is not None
    L = math.lcm(*[int(x) for x in den])
    Nint = [[int(x) for x in row] for row in num]
    for j, p in enumerate(rho.monomial[0]):
        inv = np.argsort(p)
        # ψ(s) = Ψ / L with Ψ[a, j] = ψ[a, j] · L integer; B ψ = N diag(1/den) Ψ / L
        Psi = [[int(x * L) for x in row] for row in ims[j]]
        lhs = [[x * L * (L // int(den[c])) for c, x in enumerate(Nint[i])] for i in inv]
        scaled = [[x * (L // int(den[c])) for c, x in enumerate(row)] for row in Nint]
        if _matmul(scaled, Psi) != lhs:
            raise ExactnessError(f"{why}: the exact subspace of {rho.name} is not invariant under generator {j}")
    F = _free_rows(num, den)
    prog = G.straight_line_program(np.asarray(G.conjugacy_classes().representatives))
    for c, (p, _) in enumerate(_run(rho, prog)):
        inv = np.argsort(p)
        tr = sum(Fraction(int(num[inv[f], a]), int(den[a])) for a, f in enumerate(F))
        if tr != chi[c]:
            raise ExactnessError(f"{why}: the exact images have trace {tr} at class {T.class_names[c]}, "
                                 f"the character table {chi[c]}")


def _matmul(A: list[list[int]], B: list[list[int]]) -> list[list[int]]:
    """Exact integer matrix product (python-flint ``fmpz_mat`` when available)."""
    try:
        import flint
    except ImportError:  # pragma: no cover - without flint
        Bt = list(zip(*B, strict=True))
        return [[sum(a * b for a, b in zip(row, col, strict=True)) for col in Bt] for row in A]
    prod = flint.fmpz_mat(A) * flint.fmpz_mat(B)
    return [[int(x) for x in row] for row in prod.tolist()]


def _build(G: PermutationGroup, label: str, rows: tuple[int, ...], d: int, ims: list[list[list[Fraction]]],
           source: str, verified: str) -> Representation:
    import sympy

    exact = tuple(sympy.ImmutableMatrix([[sympy.Rational(x.numerator, x.denominator) for x in row] for row in m])
                  for m in ims)
    floats = np.array([[[float(x) for x in row] for row in m] for m in ims], dtype=np.float64)
    meta: dict[str, Any] = {"characters": rows, "split_from": source, "verified": verified, "field": "QQ"}
    return Representation(G, floats.reshape(len(ims), d, d), name=f"{label} (rational)",
                          label=label, real_type="R", exact_images=exact, meta=meta)
