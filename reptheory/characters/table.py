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

import math
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

import numpy as np

from reptheory._numerics.tolerance import tolerance
from reptheory.characters._format import (
    _e_notation,
    _is_real,
    _latex_value,
    _reduced_coefficients,
    _sympy_value,
)
from reptheory.errors import ConvergenceError, ExactnessError, InvalidArgumentError
from reptheory.groups.finite import FiniteGroup, _ro

__all__ = ["CharacterTable", "character_table", "format_cyclotomic"]

_SEED = 0x5EED_C7A8  # the table is canonicalised, so the internal randomness never shows


@dataclass(frozen=True, eq=False)
class CharacterTable:
    """The complex character table of a finite group (see the module docstring).

    Attributes
    ----------
    group : FiniteGroup
    classes : tuple of ndarray
        Element indices of each class, in ``group.conjugacy_classes()`` order.
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
        ``"abelian"`` or ``"burnside"``.
    info : dict
        Diagnostics (rounding margin, orthogonality residuals).

    Examples
    --------
    >>> from reptheory import groups
    >>> T = groups.quaternion().character_table()
    >>> T.real_types
    ('R', 'R', 'R', 'R', 'H')
    >>> T.real_rows()
    ((0,), (1,), (2,), (3,), (4,))
    """

    group: FiniteGroup
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
    if not isinstance(G, FiniteGroup):
        raise InvalidArgumentError(f"character_table: G must be a FiniteGroup, got {type(G).__name__}")
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
    order = _canonical_order(values, degrees)
    values = values[order]
    spectra = [np.sort(spectra[i], axis=1) for i in order]
    degrees = degrees[order]
    n = G.order
    # Frobenius-Schur indicators nu = (1/|G|) sum_k |K_k| chi(g_k^2)
    sq = G.power_map(2)
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
    )


def _eval_rows(spectra: list[np.ndarray], degrees: np.ndarray, e: int) -> np.ndarray:
    """Values of all rows, batched over rows of equal degree, shape (r, r)."""
    r = len(spectra)
    out = np.empty((r, spectra[0].shape[0]), dtype=np.complex128)
    for d in np.unique(degrees).tolist():
        rows = np.flatnonzero(degrees == d)
        out[rows] = _eval(np.stack([spectra[i] for i in rows]), e)
    return out


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


def _eval(spectrum: np.ndarray, e: int) -> np.ndarray:
    roots = np.exp(2j * np.pi * np.arange(e) / e)
    return roots[np.asarray(spectrum) % e].sum(axis=-1)


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


def _sorted_rows(a: np.ndarray) -> np.ndarray:
    """``np.sort(a, axis=1)``, without the sort for one or two columns (the common degrees)."""
    if a.shape[1] == 1:
        return a
    if a.shape[1] == 2:
        return np.stack([np.minimum(a[:, 0], a[:, 1]), np.maximum(a[:, 0], a[:, 1])], axis=1)
    return np.sort(a, axis=1)


def _powers(G: FiniteGroup, g: int, o: int) -> np.ndarray:
    """``[g^0, g^1, …, g^{o-1}]`` by doubling: ``g^{m+j} = g^m · g^j`` (``O(log o)`` vectorised products)."""
    pw = np.array([G.identity, g], dtype=np.int64)[: max(o, 1)]
    while len(pw) < o:
        gm = int(G.mul(int(pw[-1]), g))  # g^m, m = len(pw)
        pw = np.concatenate([pw, np.asarray(G.mul(gm, pw), dtype=np.int64)])
    return pw[:o]


def _eigenvalue_multiplicities(chi: np.ndarray, degrees: np.ndarray, Pk: np.ndarray, o: int) -> tuple[np.ndarray, float]:
    """``mu[i, s]``: multiplicity of the eigenvalue ``ζ_o^s`` of ``ρ_i(g)``, and the rounding margin.

    Rows of degree ≤ 2 (when ``o > 4``): the eigenvalues directly, ``λ = χ(g)``, or the
    roots of ``λ² − χ(g) λ + (χ(g)² − χ(g²))/2`` rounded to ``o``-th roots of unity
    (margin: distance to the root over the spacing ``|ζ_o − 1|``; ``O(r)``).  Other rows,
    and rows whose rounding is not clear-cut: the discrete Fourier transform along the
    powers, ``μ_s = (1/o) Σ_j χ(g^j) ζ_o^{−sj}`` (``O(r o log o)``).
    """
    r = chi.shape[0]
    mu = np.zeros((r, o), dtype=np.int64)
    margin = 0.0
    dft = np.ones(r, dtype=bool)
    if o > 4:
        spacing = abs(np.exp(2j * np.pi / o) - 1)
        a = chi[:, Pk[1]].astype(np.complex128)
        lams: list[tuple[np.ndarray, np.ndarray]] = []
        one = np.flatnonzero(degrees == 1)
        lams.append((one, a[one][:, None]))
        two = np.flatnonzero(degrees == 2)
        if two.size:
            aa, bb = a[two], chi[two, Pk[2]]
            disc = np.sqrt(aa * aa - 2 * (aa * aa - bb))
            lams.append((two, np.stack([(aa + disc) / 2, (aa - disc) / 2], axis=1)))
        for rows, lam in lams:
            if not rows.size:
                continue
            t = np.rint(np.angle(lam) * o / (2 * np.pi)).astype(np.int64) % o
            err = np.abs(lam - np.exp(2j * np.pi * t / o)).max(axis=1) / spacing
            ok = err < 0.05
            if ok.any():
                np.add.at(mu, (np.repeat(rows[ok], lam.shape[1]), t[ok].ravel()), 1)
                dft[rows[ok]] = False
                margin = max(margin, float(err[ok].max()))
    rows = np.flatnonzero(dft)
    if rows.size:
        mu_f = np.fft.fft(chi[rows][:, Pk], axis=1) / o
        m = np.rint(mu_f.real).astype(np.int64)
        margin = max(margin, float(np.abs(mu_f - m).max()))
        mu[rows] = m
    return mu, margin


def _clusters(w: np.ndarray, U: np.ndarray) -> list[np.ndarray]:
    """Split eigenvectors ``U`` by gaps in the sorted eigenvalues ``w``."""
    spread = max(1.0, float(np.abs(w).max()))
    cuts = np.flatnonzero(np.diff(w) > 1e-7 * spread) + 1
    return [U[:, p] for p in np.split(np.arange(len(w)), cuts)]


def _random_central(rng: np.random.Generator, inv_class: np.ndarray) -> np.ndarray:
    r = len(inv_class)
    a = rng.standard_normal(r) + 1j * rng.standard_normal(r)
    return a + a[inv_class].conj()


def _burnside(
    G: FiniteGroup,
    classes: tuple[np.ndarray, ...],
    sizes: np.ndarray,
    reps: np.ndarray,
    orders: np.ndarray,
    e: int,
) -> tuple[list[np.ndarray], np.ndarray, np.ndarray, dict[str, Any]]:
    n = G.order
    r = len(classes)
    class_of = np.asarray(G.class_of)
    inv = np.asarray(G.inverse(np.arange(n)))
    grouped = np.concatenate(classes)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    yinv = inv[grouped]
    K = class_of[G.left_products(reps)[:, yinv]]  # (r, n): class of g_k y^{-1}, y grouped by class
    inv_class = class_of[inv[reps]]
    sq = np.sqrt(sizes.astype(float))
    scale = sq[:, None] / sq[None, :]
    rng = np.random.default_rng(_SEED)

    def hermitian(beta: np.ndarray) -> np.ndarray:
        L = np.add.reduceat(beta[K], starts, axis=1)
        N = L * scale
        return (N + N.conj().T) / 2

    # depth 0: a real self-adjoint element (real symmetric, cheap), which cannot separate
    # chi from conj(chi); deeper levels: complex ones, shared by all clusters of one level
    levels: list[np.ndarray] = []

    def level(depth: int) -> np.ndarray:
        while len(levels) <= depth:
            if not levels:
                a = rng.standard_normal(r)
                levels.append(hermitian(a + a[inv_class]).real)
            else:
                levels.append(hermitian(_random_central(rng, inv_class)))
        return levels[depth]

    vecs: list[np.ndarray] = []
    # breadth-first over levels: one GEMM with the level's element for all pending clusters
    w, U = np.linalg.eigh(level(0))
    pending = _clusters(w, U)
    depth = 1
    while pending:
        done_now = [V for V in pending if V.shape[1] == 1]
        vecs.extend(V[:, 0] for V in done_now)
        pending = [V.astype(complex) for V in pending if V.shape[1] > 1]
        if not pending:
            break
        if depth > 30:
            raise ConvergenceError(f"character table of {G.name}: eigenvalue clusters could not be split")
        N = level(depth)
        allV = np.concatenate(pending, axis=1)
        NV = N @ allV
        nxt: list[np.ndarray] = []
        off = 0
        for V in pending:
            m = V.shape[1]
            w, U = np.linalg.eigh(V.conj().T @ NV[:, off : off + m])
            off += m
            nxt.extend(V @ Uc for Uc in _clusters(w, U))
        pending = nxt
        depth += 1
    if len(vecs) != r:  # pragma: no cover
        raise ConvergenceError(f"character table of {G.name}: found {len(vecs)} of {r} characters")
    Vm = np.stack(vecs)  # (r chars, r classes)
    f = Vm / sq[None, :] / Vm[:, :1]  # conj chi(g_k) / chi(1)
    deg_f = np.sqrt(n / (np.abs(f) ** 2 * sizes[None, :]).sum(axis=1))
    degrees = np.rint(deg_f).astype(np.int64)
    if np.abs(deg_f - degrees).max() > 1e-6 or (degrees * degrees).sum() != n:
        raise ExactnessError(f"character degrees of {G.name} are not integers summing (squared) to |G|: {deg_f}")
    chi = degrees[:, None] * f.conj()
    # exact lift via the power maps, one rational class at a time
    udeg = np.unique(degrees)
    spectra_by_deg = {int(d): np.zeros((int((degrees == d).sum()), r, int(d)), dtype=np.int64) for d in udeg}
    rows_by_deg = {int(d): np.flatnonzero(degrees == d) for d in udeg}
    margin = 0.0
    done = np.zeros(r, dtype=bool)
    for k in range(r):
        if done[k]:
            continue
        o = int(orders[k])
        Pk = class_of[_powers(G, int(reps[k]), o)]  # class of g_k^j, j < o
        mu, marg = _eigenvalue_multiplicities(chi, degrees, Pk, o)
        margin = max(margin, marg)
        if (mu < 0).any() or not np.array_equal(mu.sum(axis=1), degrees):
            raise ExactnessError(f"exact lift of the character table of {G.name} failed at class {k}")
        texp = np.arange(o) * (e // o)
        # Galois: chi(g^u) = sigma_u(chi(g)) for u prime to o, i.e. the spectrum times u
        units = [u for u in range(1, max(o, 2)) if math.gcd(u, o) == 1] if o > 1 else [1]
        for d, rows in rows_by_deg.items():
            m = mu[rows]
            flat = np.repeat(np.tile(texp, len(rows)), m.ravel()).reshape(len(rows), d)
            written: set[int] = set()
            for u in units:
                kk = int(Pk[u % o])
                cand = _sorted_rows((flat * u) % e)
                if kk in written:
                    # Galois consistency, exactly: chi(g^u) must equal sigma_u(chi(g))
                    if not np.array_equal(_sorted_rows(spectra_by_deg[d][:, kk, :]), cand):
                        raise ExactnessError(
                            f"exact lift of the character table of {G.name}: Galois conjugation is "
                            f"inconsistent with the power map at class {kk}"
                        )
                    continue
                spectra_by_deg[d][:, kk, :] = cand
                written.add(kk)
        for u in units:
            done[int(Pk[u % o])] = True
    if margin > 0.05:
        raise ExactnessError(f"exact lift of the character table of {G.name}: rounding margin {margin:.3g} too large")
    spectra: list[np.ndarray] = [np.empty(0)] * r
    for d, rows in rows_by_deg.items():
        for a, i in enumerate(rows):
            spectra[i] = spectra_by_deg[d][a]
    exact_vals = _eval_rows(spectra, degrees, e)
    agree = float(np.abs(exact_vals - chi).max())
    tol = tolerance().rtol
    # row orthogonality suffices (a square matrix with orthonormal rows has orthogonal columns)
    X = exact_vals.real if not exact_vals.imag.any() else exact_vals  # real tables: a real product
    rowo = (X * sizes[None, :]) @ X.conj().T / n - np.eye(r)
    res = float(np.abs(rowo).max())
    if agree > 1e-6 or res > tol * max(1.0, r):
        raise ExactnessError(
            f"character table of {G.name} failed verification: exact vs float {agree:.3g}, orthogonality {res:.3g}"
        )
    return spectra, degrees, exact_vals, {
        "rounding_margin": margin,
        "float_vs_exact": agree,
        "orthogonality_residual": res,
        "verified": "exact: Galois-consistent spectra, orthogonality defects are rational integers of size < 1/2",
    }


# ------------------------------------------------------------------ formatting helpers
def _letters(k: int) -> str:
    s = ""
    k += 1
    while k:
        k, rem = divmod(k - 1, 26)
        s = chr(ord("a") + rem) + s
    return s
