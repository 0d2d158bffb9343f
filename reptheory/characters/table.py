"""Character tables of finite groups, with exact cyclotomic values.

[`character_table`][reptheory.characters.table.character_table] (also ``G.character_table()``) returns a frozen
[`CharacterTable`][reptheory.characters.table.CharacterTable]: the complex irreducible characters of a finite group on
its conjugacy classes (in ``G.conjugacy_classes()`` order), trivial first, with
exact values, degrees and Frobenius–Schur indicators.

Algorithm (docs/explanation/routes.md#character-tables)
-----------------------
*Non-abelian groups* — Burnside's method in floating point, made exact:

1. With ``X = Σ_i β_i C_i`` a random element of the centre of the group algebra
   (``C_i`` the class sums, ``β_{i*} = conj β_i`` so that ``X`` is self-adjoint),
   the matrix of ``Y ↦ X Y`` on the centre, in the orthonormal basis
   ``C_k / √|K_k|``, is Hermitian: ``N[k, j] = Σ_{y ∈ K_j} β[cls(g_k y⁻¹)] ·
   √(|K_k| / |K_j|)``.  It costs ``O(r |G|)`` look-ups (one gather of a
   ``r × |G|`` index array, reused for every ``β``).
2. Its eigenvectors are the central idempotents, coordinates
   ``∝ √|K_k| · conj χ(g_k)``.  Degenerate eigenvalue clusters are split
   recursively with fresh random elements (they all commute).
3. Degrees from ``χ(1)² = |G| / Σ_k |K_k| |χ(g_k)/χ(1)|²``.
4. **Exact lift**: for ``g`` of order ``o`` the multiplicity of the eigenvalue
   ``ζ_o^s`` of ``ρ_χ(g)`` is ``μ_s = (1/o) Σ_{j<o} χ(g^j) ζ_o^{-sj}``, an
   integer in ``[0, χ(1)]`` (a discrete Fourier transform along the power map).
   Rounding ``μ`` gives the exact value ``χ(g) = Σ_s μ_s ζ_o^s``.  This is done
   once per *rational class*: for ``u`` prime to ``o`` the class of ``g^u`` gets
   ``σ_u(χ(g))`` (the spectrum times ``u``), and where two routes reach the same
   class their spectra are compared exactly.
5. **Verification.** The rounding margin, the agreement of the exact values with
   the floats, and both orthogonality relations (in floats) are checked.  This
   is an exact proof of orthogonality: the defect ``α = Σ_k |K_k| χ_i(g_k)
   conj χ_j(g_k) − |G| δ_ij`` is an algebraic integer in ``Q(ζ_e)`` fixed by every
   Galois automorphism (``σ_u`` only permutes the classes, by the verified
   consistency), hence a rational integer, and ``|α| < 1/2`` forces ``α = 0``.
   A failure raises [`ExactnessError`][reptheory.errors.ExactnessError].

*Abelian groups* — exactly, by extending characters generator by generator:
if ``m`` is least with ``s^m ∈ H``, every character χ of ``H`` extends to
``⟨H, s⟩`` in ``m`` ways, ``χ'(h s^t) = χ(h) λ^t`` with ``λ^m = χ(s^m)``.
Characters are kept as integer logarithms modulo the exponent ``e``, so this is
exact and ``O(|G|²)`` integer work; the result is checked to be ``|G|`` distinct
homomorphisms.

Exact representation
--------------------
Every value is stored as its **eigenvalue spectrum**: `CharacterTable.spectra`
``[i]`` is an integer array of shape ``(r, χ_i(1))`` with entries ``t ∈ [0, e)``
such that ``χ_i(g_k) = Σ_j ζ_e^{t[k, j]}``, ``ζ_e = exp(2πi/e)``, ``e`` the
exponent of G.  This is exact, canonical (sorted) and cheap; `exact` turns
it into sympy numbers on demand and `to_text` prints GAP-style values
(``-1``, ``E(3)``, ``-E(3)^2``, ``-1/2 + sqrt(5)/2``).

Rows are sorted canonically: by degree, then lexicographically by their values
on the classes (real part descending, then imaginary part descending), so the
trivial character is first and the order does not depend on how the group's
elements are labelled.

Examples
--------
>>> from reptheory import groups
>>> T = groups.symmetric(3).character_table()
>>> T.degrees.tolist(), T.indicators.tolist()
([1, 1, 2], [1, 1, 1])
>>> print(T)
character table of symmetric(3)
  class    1a  2a  3a
  size      1   3   2
  trivial   1   1   1
  (1^3)     1  -1   1
  (2,1)     2   0  -1
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

import numpy as np

from reptheory.characters._class_algebra import _eval_rows, characters_from_class_algebra
from reptheory.characters._format import (
    _e_notation,
    _is_real,
    _latex_value,
    _reduced_coefficients,
    _sympy_value,
)
from reptheory.errors import ExactnessError, InvalidArgumentError
from reptheory.groups.finite import FiniteGroup, _ro
from reptheory.groups.permutation import PermutationGroup

__all__ = ["CharacterTable", "character_table", "format_cyclotomic"]

_SEED = 0x5EED_C7A8  # the table is canonicalised, so the internal randomness never shows


@dataclass(frozen=True, eq=False)
class CharacterTable:
    """The complex character table of a finite group (see the module docstring).

    Attributes
    ----------
    group : FiniteGroup or PermutationGroup
    classes : tuple of ndarray
        Element indices of each class, in ``group.conjugacy_classes()`` order.  For a
        [`PermutationGroup`][reptheory.groups.permutation.PermutationGroup] (never enumerated)
        ``classes[k]`` holds the representative permutation only, shape ``(1, n)``.
    class_sizes : ndarray, shape (r,)
    class_orders : ndarray, shape (r,)
        Element order of each class.
    values : ndarray, shape (r, r), complex128
        ``values[i, k] = χ_i(g_k)``; rows are characters (trivial first), columns classes.
    spectra : tuple of ndarray
        ``spectra[i]`` has shape ``(r, χ_i(1))``: eigenvalue exponents, see the module docstring.
    exponent : int
        ``e``, the exponent of the group (values lie in ``Q(ζ_e)``).
    degrees : ndarray, shape (r,)
    indicators : ndarray, shape (r,)
        Frobenius–Schur indicators ``ν ∈ {+1, 0, −1}`` (docs/explanation/routes.md#frobenius-schur).
    method : str
        ``"abelian"``, ``"burnside"`` or ``"dixon-schneider"`` (permutation groups).
    info : dict
        Diagnostics (rounding margin, orthogonality residuals).
    representatives : ndarray or None
        Class representatives as permutations, shape ``(r, n)``, for a ``PermutationGroup``
        (``None`` for an enumerated group: see ``group.class_representatives``).
    power_maps : dict of int to ndarray
        ``power_maps[p][k]``: the class of ``g_k^p``; holds ``p = 2``, and for a ``PermutationGroup``
        every prime ``p`` dividing ``|G|``.

    Examples
    --------
    >>> from reptheory import groups
    >>> T = groups.quaternion().character_table()
    >>> T.real_types
    ('R', 'R', 'R', 'R', 'H')
    >>> T.real_rows()
    ((0,), (1,), (2,), (3,), (4,))
    """

    group: FiniteGroup | PermutationGroup
    classes: tuple[np.ndarray, ...]
    class_sizes: np.ndarray
    class_orders: np.ndarray
    values: np.ndarray
    spectra: tuple[np.ndarray, ...]
    exponent: int
    degrees: np.ndarray
    indicators: np.ndarray
    method: str
    info: dict[str, Any] = field(default_factory=dict)
    representatives: np.ndarray | None = None
    power_maps: dict[int, np.ndarray] = field(default_factory=dict)

    # ------------------------------------------------------------ derived data
    @property
    def num_classes(self) -> int:
        """Number of classes ``r`` (= number of irreducible characters)."""
        return len(self.classes)

    @cached_property
    def real_types(self) -> tuple[str, ...]:
        """``"R"``, ``"C"`` or ``"H"`` for each row (indicator +1, 0, −1)."""
        return tuple({1: "R", 0: "C", -1: "H"}[int(v)] for v in self.indicators)

    def conjugate_row(self, i: int) -> int:
        """Index of the row ``conj χ_i``."""
        return int(self._conj_rows[int(i)])

    @cached_property
    def _conj_rows(self) -> np.ndarray:
        # exact: the spectrum of conj chi is the negated spectrum
        e = self.exponent
        index = {np.sort(s, axis=1).tobytes(): i for i, s in enumerate(self.spectra)}
        out = np.empty(self.num_classes, dtype=np.int64)
        for i, s in enumerate(self.spectra):
            out[i] = index[np.sort((-s) % e, axis=1).tobytes()]
        return out

    def real_rows(self) -> tuple[tuple[int, ...], ...]:
        """The real irreducible characters as groups of complex rows, in row order.

        ``(i,)`` for a row of real or quaternionic type, ``(i, j)`` (``i < j``,
        ``χ_j = conj χ_i``) for a pair of complex type.  This is the order of
        ``G.irreps()``.
        """
        out: list[tuple[int, ...]] = []
        for i in range(self.num_classes):
            if self.indicators[i] != 0:
                out.append((i,))
            else:
                j = self.conjugate_row(i)
                if j > i:
                    out.append((i, j))
        return tuple(out)

    def real_character(self, rows: tuple[int, ...]) -> np.ndarray:
        """The character of the real irrep made of ``rows`` (docs/explanation/projector.md#characters), shape (r,), real.

        ``χ`` (type R), ``χ + conj χ`` (type C) or ``2χ`` (type H).
        """
        i = rows[0]
        if len(rows) == 2:
            return 2 * self.values[i].real
        return (1 if self.indicators[i] == 1 else 2) * self.values[i].real

    @cached_property
    def exact(self) -> Any:
        """The values as a sympy ``ImmutableMatrix`` (r, r) of cyclotomic numbers.

        Rational values are integers, real irrationals are written with ``cos(2π s/o)``
        (which sympy turns into radicals where it can), other values with
        ``exp(2πi s/o)``.
        """
        import sympy

        rows = []
        for i in range(self.num_classes):
            rows.append([_sympy_value(self.spectra[i][k], self.exponent) for k in range(self.num_classes)])
        return sympy.ImmutableMatrix(rows)

    def exact_value(self, i: int, k: int) -> Any:
        """``χ_i(g_k)`` as a sympy number (without building the whole matrix)."""
        return _sympy_value(self.spectra[int(i)][int(k)], self.exponent)

    @cached_property
    def class_names(self) -> tuple[str, ...]:
        """ATLAS-style class names: element order followed by a letter (``1a, 2a, 2b, …``)."""
        seen: dict[int, int] = {}
        out = []
        for o in self.class_orders.tolist():
            k = seen.get(o, 0)
            seen[o] = k + 1
            out.append(f"{o}{_letters(k)}")
        return tuple(out)

    # ------------------------------------------------------------ display
    def to_text(self, *, labels: bool = True) -> str:
        """A textbook-like table: header with class names and sizes, one row per character."""
        names = self.class_names
        cells = [[format_cyclotomic(self.spectra[i][k], self.exponent) for k in range(self.num_classes)]
                 for i in range(self.num_classes)]
        rowlab = self.row_labels
        w0 = max(7, *(len(s) for s in rowlab))
        w = max([len(s) for row in cells for s in row] + [len(n) for n in names] + [len(str(s)) for s in self.class_sizes.tolist()]) + 2
        lines = [f"character table of {self.group.name}"] if labels else []
        lines.append("  " + "class".ljust(w0) + "".join(n.rjust(w) for n in names))
        lines.append("  " + "size".ljust(w0) + "".join(str(s).rjust(w) for s in self.class_sizes.tolist()))
        for lab, row in zip(rowlab, cells, strict=True):
            lines.append("  " + lab.ljust(w0) + "".join(c.rjust(w) for c in row))
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text()

    @cached_property
    def row_labels(self) -> tuple[str, ...]:
        """Row names as decompositions name the irreps: ``"trivial"``, ``"chi{i}"``; partitions for ``symmetric(n)``."""
        from reptheory.characters.symmetric import partition_row_labels

        return partition_row_labels(self) or ("trivial", *(f"chi{i}" for i in range(1, self.num_classes)))

    def __repr__(self) -> str:
        return f"CharacterTable({self.group.name}, classes={self.num_classes}, degrees={self.degrees.tolist()})"

    def _repr_latex_(self) -> str:
        import sympy

        r = self.num_classes
        head = " & ".join(rf"\mathrm{{{n}}}" for n in self.class_names)
        sizes = " & ".join(str(s) for s in self.class_sizes.tolist())
        body = []
        for i in range(r):
            vals = []
            for k in range(r):
                txt = format_cyclotomic(self.spectra[i][k], self.exponent)
                vals.append(_latex_value(txt, sympy))
            lab = self.row_labels[i]
            name = rf"\chi_{{{i}}}" if lab == f"chi{i}" else rf"\mathrm{{{lab}}}"
            body.append(name + " & " + " & ".join(vals))
        spec = "l|" + "r" * r
        top = rf" & {head} \\" + "\n" + rf"|K| & {sizes} \\ \hline"
        return "$$\\begin{array}{" + spec + "}\n" + top + "\n" + " \\\\\n".join(body) + "\n\\end{array}$$"

    def to_json(self) -> dict[str, Any]:
        """JSON-serialisable data: class names/sizes/orders, degrees, indicators, spectra, float values."""
        return {
            "group": self.group.name,
            "exponent": self.exponent,
            "class_names": list(self.class_names),
            "row_labels": list(self.row_labels),
            "class_sizes": self.class_sizes.tolist(),
            "class_orders": self.class_orders.tolist(),
            "degrees": self.degrees.tolist(),
            "indicators": self.indicators.tolist(),
            "spectra": [s.tolist() for s in self.spectra],
            "values": [[[float(z.real), float(z.imag)] for z in row] for row in self.values],
            "text": [[format_cyclotomic(self.spectra[i][k], self.exponent) for k in range(self.num_classes)]
                     for i in range(self.num_classes)],
        }


# =========================================================================== public
def character_table(G: FiniteGroup) -> CharacterTable:
    """The character table of a finite group (cached per group).

    Parameters
    ----------
    G : FiniteGroup

    Returns
    -------
    CharacterTable

    Raises
    ------
    InvalidArgumentError
        ``G`` is not a [`FiniteGroup`][reptheory.characters.table.FiniteGroup].
    TooLargeError
        The group is too large to enumerate, or its ``r`` classes give an ``r × r`` complex
        table over ``max_bytes`` (checked before any table work).
    ExactnessError
        The exact lift failed verification (never observed; reported, not hidden).

    Notes
    -----
    Cost for ``r`` classes and order ``n``: ``O(r n)`` look-ups for the class
    coefficients (rows of the Cayley table when it exists, else along the breadth-first tree),
    ``O(r³)`` per Hermitian eigen-solve (usually one or two), ``O(r Σ_k o_k)`` for
    the exact lift and ``O(r³)`` for the checks; abelian groups ``O(n²)`` integer
    work.  Every group of order ≤ 2000 takes at most a few seconds.

    Examples
    --------
    >>> from reptheory import groups
    >>> T = character_table(groups.alternating(5))
    >>> T.degrees.tolist()
    [1, 3, 3, 4, 5]
    >>> sorted({T.exact_value(1, k) for k in range(5)}, key=str)
    [-1, 0, 1/2 + sqrt(5)/2, 1/2 - sqrt(5)/2, 3]
    """
    from reptheory.groups.permutation import PermutationGroup

    if isinstance(G, PermutationGroup):  # never enumerated: Dixon–Schneider, cached on the group
        return G.character_table()
    if not isinstance(G, FiniteGroup):
        raise InvalidArgumentError(
            f"character_table: G must be a FiniteGroup or a PermutationGroup, got {type(G).__name__}"
        )
    return _cached_table(G)


def format_cyclotomic(spectrum: np.ndarray, e: int) -> str:
    """Readable text for ``Σ_j ζ_e^{t_j}`` (GAP's ``E(n) = exp(2πi/n)`` notation).

    Integers print as integers, real quadratic irrationalities as radicals when
    sympy finds them (``-1/2 + sqrt(5)/2``), other values as sums of ``E(n)^k``
    shortened with the relations ``Σ_k ζ_p^k = 0``.

    Examples
    --------
    >>> import numpy as np
    >>> format_cyclotomic(np.array([0, 0]), 6), format_cyclotomic(np.array([2]), 6)
    ('2', 'E(3)')
    >>> format_cyclotomic(np.array([0, 2]), 6)
    '-E(3)^2'
    """
    coeff, o = _reduced_coefficients(np.asarray(spectrum, dtype=np.int64), int(e))
    nz = np.flatnonzero(coeff)
    if nz.size == 0:
        return "0"
    if nz.size == 1 and nz[0] == 0:
        return str(int(coeff[0]))
    if _is_real(coeff, o) and o not in (1, 2):
        import sympy

        val = sympy.nsimplify(sum(int(coeff[s]) * sympy.cos(2 * sympy.pi * int(s) / o) for s in nz))
        if not val.has(sympy.cos):
            txt = str(sympy.expand(val))
            if len(txt) <= 24:
                return txt
    return _e_notation(coeff, o)


# =========================================================================== internals
@lru_cache(maxsize=64)
def _cached_table(G: FiniteGroup) -> CharacterTable:
    # groups are immutable values hashed by their canonical key: a pure cache
    return _compute(G)


def _compute(G: FiniteGroup) -> CharacterTable:
    from reptheory._numerics.limits import check_array

    # estimate first: r classes give r x r complex values (and O(r^2) to O(r^3) work); abelian r = |G|
    if G.is_abelian:
        check_array((G.order, G.order), f"character_table(G={G.name}): {G.order} classes squared", 16)
    classes = tuple(G.conjugacy_classes())
    check_array((len(classes), len(classes)), f"character_table(G={G.name}): {len(classes)} classes squared", 16)
    sizes = np.array([len(c) for c in classes], dtype=np.int64)
    reps = G.class_representatives
    orders = np.asarray(G.element_orders)[reps]
    e = int(G.exponent)
    if G.is_abelian:
        spectra_flat, info = _abelian(G, classes, e)
        degrees = np.ones(len(classes), dtype=np.int64)
        spectra = [spectra_flat[i][:, None] for i in range(len(classes))]
        method = "abelian"
        values = _eval_rows(spectra, degrees, e)
    else:
        spectra, degrees, values, info = _burnside(G, classes, sizes, reps, orders, e)
        method = "burnside"
    return _assemble(G, classes, sizes, orders, e, spectra, degrees, values, info, method, G.power_map(2))


def _assemble(
    G: Any,
    classes: tuple[np.ndarray, ...],
    sizes: np.ndarray,
    orders: np.ndarray,
    e: int,
    spectra: list[np.ndarray],
    degrees: np.ndarray,
    values: np.ndarray,
    info: dict[str, Any],
    method: str,
    square_classes: np.ndarray,
    representatives: np.ndarray | None = None,
) -> CharacterTable:
    """Rows in canonical order, Frobenius–Schur indicators, the frozen table (shared by every method)."""
    order = _canonical_order(values, degrees)
    values = values[order]
    spectra = [np.sort(spectra[i], axis=1) for i in order]
    degrees = degrees[order]
    n = G.order
    # Frobenius-Schur indicators nu = (1/|G|) sum_k |K_k| chi(g_k^2)
    sq = np.asarray(square_classes)
    nu_f = (values[:, sq] * sizes[None, :]).sum(axis=1).real / n
    nu = np.rint(nu_f).astype(np.int64)
    if np.abs(nu_f - nu).max() > 1e-6 or not np.isin(nu, (-1, 0, 1)).all():
        raise ExactnessError(f"Frobenius-Schur indicators of {G.name} are not in {{-1, 0, 1}}: {nu_f}")
    info["indicator_residual"] = float(np.abs(nu_f - nu).max())
    return CharacterTable(
        group=G,
        classes=classes,
        class_sizes=_ro(sizes),
        class_orders=_ro(np.asarray(orders, dtype=np.int64)),
        values=_ro(values),
        spectra=tuple(_ro(s) for s in spectra),
        exponent=e,
        degrees=_ro(degrees),
        indicators=_ro(nu),
        method=method,
        info=info,
        representatives=representatives,
        power_maps={2: _ro(sq.astype(np.int64))},
    )


def _burnside(
    G: FiniteGroup,
    classes: tuple[np.ndarray, ...],
    sizes: np.ndarray,
    reps: np.ndarray,
    orders: np.ndarray,
    e: int,
) -> tuple[list[np.ndarray], np.ndarray, np.ndarray, dict[str, Any]]:
    """Every class matrix at once: ``L[k, j] = Σ_{y ∈ K_j} β[cls(g_k y⁻¹)]`` from one ``r × |G|`` gather."""
    n = G.order
    class_of = np.asarray(G.class_of)
    inv = np.asarray(G.inverse(np.arange(n)))
    grouped = np.concatenate(classes)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    K = class_of[G.left_products(reps)[:, inv[grouped]]]  # (r, n): class of g_k y^{-1}, y grouped by class

    class _Full:
        def left(self, beta: np.ndarray) -> np.ndarray:
            return np.add.reduceat(beta[K], starts, axis=1)

        def extend(self, pending: list[np.ndarray]) -> bool:
            return False

    return characters_from_class_algebra(
        G.name, n, sizes, orders, e, class_of[inv[reps]], _Full(),
        lambda k, o: class_of[_powers(G, int(reps[k]), o)], np.random.default_rng(_SEED),
    )


def _canonical_order(values: np.ndarray, degrees: np.ndarray) -> np.ndarray:
    """Rows sorted by degree, then by values class by class (Re descending, Im descending).

    Lexicographic sort on a growing prefix of the key columns (rows are distinct, so a
    short prefix usually decides); only the prefix's keys are computed.
    """
    r, c = values.shape

    def keys(ncls: int) -> np.ndarray:
        k = np.empty((r, 2 * ncls + 1), dtype=np.int64)
        k[:, 0] = degrees
        k[:, 1::2] = -np.rint(values[:, :ncls].real * 1e8).astype(np.int64)
        k[:, 2::2] = -np.rint(values[:, :ncls].imag * 1e8).astype(np.int64)
        return k

    ncls = min(c, 8)
    while True:
        sub = keys(ncls)
        order = np.lexsort(sub.T[::-1])
        srt = sub[order]
        ties = r > 1 and bool((srt[1:] == srt[:-1]).all(axis=1).any())
        if not ties or ncls == c:
            return order
        ncls = min(c, 4 * ncls)


def _abelian(G: FiniteGroup, classes: tuple[np.ndarray, ...], e: int) -> tuple[list[np.ndarray], dict[str, Any]]:
    n = G.order
    ident = G.identity
    elems = np.array([ident], dtype=np.int64)
    pos = np.full(n, -1, dtype=np.int64)
    pos[ident] = 0
    logs = np.zeros((1, 1), dtype=np.int64)  # logs[chi, position]
    for s in G.generators:
        if pos[s] >= 0:
            continue
        # least m with s^m in H
        m, p = 1, s
        while pos[p] < 0:
            p = int(G.mul(p, s))
            m += 1
        c = logs[:, pos[p]]  # log chi(s^m)
        if ((c % m) != 0).any():  # pragma: no cover - impossible for a group
            raise ExactnessError(f"abelian character extension failed for {G.name}")
        blocks = [elems]
        cur = elems
        for _ in range(1, m):
            cur = np.asarray(G.mul(cur, s))
            blocks.append(cur)
        new_elems = np.concatenate(blocks)
        t = np.repeat(np.arange(m), len(elems))  # exponent of s for each new position
        base = np.tile(logs, (1, m))  # (nchar, len*m): log chi(h)
        lam = (c // m)[:, None] + (e // m) * np.arange(m)[None, :]  # (nchar, m)
        new = (base[:, None, :] + lam[:, :, None] * t[None, None, :]) % e
        logs = new.reshape(-1, len(new_elems))
        elems = new_elems
        pos[elems] = np.arange(len(elems))
    if len(elems) != n:  # pragma: no cover - generators generate G
        raise ExactnessError(f"abelian extension reached {len(elems)} of {n} elements")
    full = np.empty_like(logs)
    full[:, elems] = logs
    # exact checks: homomorphisms (on generators) and all distinct
    gens = np.asarray(G.generators)
    ar = np.arange(n)
    for s in gens.tolist():
        prod = np.asarray(G.mul(ar, s))
        if not np.array_equal((full + full[:, [s]]) % e, full[:, prod]):
            raise ExactnessError(f"abelian characters of {G.name} fail to be homomorphisms")
    if len(np.unique(full, axis=0)) != n:
        raise ExactnessError(f"abelian characters of {G.name} are not distinct")
    cols = np.array([c[0] for c in classes])
    return [full[i, cols] for i in range(n)], {"verified": "exact: distinct homomorphisms"}


def _powers(G: FiniteGroup, g: int, o: int) -> np.ndarray:
    """``[g^0, g^1, …, g^{o-1}]`` by doubling: ``g^{m+j} = g^m · g^j`` (``O(log o)`` vectorised products)."""
    pw = np.array([G.identity, g], dtype=np.int64)[: max(o, 1)]
    while len(pw) < o:
        gm = int(G.mul(int(pw[-1]), g))  # g^m, m = len(pw)
        pw = np.concatenate([pw, np.asarray(G.mul(gm, pw), dtype=np.int64)])
    return pw[:o]


def _letters(k: int) -> str:
    s = ""
    k += 1
    while k:
        k, rem = divmod(k - 1, 26)
        s = chr(ord("a") + rem) + s
    return s
