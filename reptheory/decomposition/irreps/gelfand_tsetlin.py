"""Gelfand–Tsetlin bases of the irreps of U(n) and SU(n) (docs/explanation/lie-groups.md#highest-weights).

The basis vectors of ``V_λ`` are the Gelfand–Tsetlin patterns ``Λ``: rows ``λ_{k,1} ≥ … ≥ λ_{k,k}``
(k = 1 … n, the top row is λ) with ``λ_{k,i} ≥ λ_{k−1,i} ≥ λ_{k,i+1}``.  With
``l_{k,i} = λ_{k,i} − i + 1``, the generators of ``gl(n)`` act in the (non-normalised) basis ``ξ_Λ``
by rational coefficients (Gelfand–Tsetlin 1950; see Molev's survey):

$$
E_{kk} ξ_Λ = \\Bigl(\\sum_i λ_{k,i} − \\sum_i λ_{k−1,i}\\Bigr) ξ_Λ,\\quad
E_{k,k+1} ξ_Λ = −\\sum_i \\frac{\\prod_j (l_{k,i} − l_{k+1,j})}{\\prod_{j≠i} (l_{k,i} − l_{k,j})} ξ_{Λ+δ_{ki}},\\quad
E_{k+1,k} ξ_Λ = \\sum_i \\frac{\\prod_j (l_{k,i} − l_{k−1,j})}{\\prod_{j≠i} (l_{k,i} − l_{k,j})} ξ_{Λ−δ_{ki}}.
$$

The orthonormal basis rescales each ``ξ_Λ``; in it the matrix element of ``E_{k,k+1}`` between
``Λ`` and ``Λ' = Λ + δ_{ki}`` is ``sign(e) √(e f)`` with ``e`` the coefficient of ``E_{k,k+1}`` and
``f`` that of ``E_{k+1,k}`` back, and ``E_{k+1,k}`` is its transpose.  So every entry is the
square root of a rational number: the exact images are sympy matrices, and the floats are
snapped to them.  ``E_{jk}`` for ``k > j + 1`` follow from ``[E_{j,k−1}, E_{k−1,k}] = E_{jk}``, and
``dρ(X) = Σ_{jk} X_{jk} ρ(E_{jk})`` for ``X`` in ``u(n)``.

Examples
--------
>>> pats = gt_patterns((2, 1, 0))
>>> len(pats), pats[0]
(8, ((2,), (2, 1), (2, 1, 0)))
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from itertools import product
from typing import Any

import numpy as np

__all__ = ["gt_patterns", "gt_gl_images", "gt_exact_gl", "gt_algebra", "gt_exact_algebra"]


def gt_patterns(lam: tuple[int, ...]) -> list[tuple[tuple[int, ...], ...]]:
    """All Gelfand–Tsetlin patterns with top row ``lam`` (rows 1 … n), highest weight first, then by weight.

    Examples
    --------
    >>> gt_patterns((1, 0))
    [((1,), (1, 0)), ((0,), (1, 0))]
    """
    out: list[tuple[tuple[int, ...], ...]] = []

    def rec(rows: list[tuple[int, ...]]) -> None:
        row = rows[-1]
        if len(row) == 1:
            out.append(tuple(reversed(rows)))
            return
        for r in product(*[range(row[i], row[i + 1] - 1, -1) for i in range(len(row) - 1)]):
            rec(rows + [tuple(r)])

    rec([tuple(int(x) for x in lam)])

    def weight(p: tuple[tuple[int, ...], ...]) -> tuple[int, ...]:
        return tuple(sum(p[k]) - (sum(p[k - 1]) if k else 0) for k in range(len(p)))

    out.sort(key=lambda p: tuple(-x for x in weight(p)))
    return out


def _l(p: Any, k: int, i: int) -> int:
    """``l_{k,i}`` with 0-based row k (length k + 1) and 0-based i."""
    return p[k][i] - i


def _shift(p: Any, k: int, i: int, s: int) -> Any:
    row = list(p[k])
    row[i] += s
    return p[:k] + (tuple(row),) + p[k + 1:]


@lru_cache(maxsize=64)
def _rational_steps(lam: tuple[int, ...]) -> tuple[list[Any], list[dict[tuple[int, int], tuple[Fraction, Fraction]]]]:
    """Patterns and, for each k, ``{(row Λ', col Λ): (e, f)}`` for ``E_{k,k+1} ξ_Λ = e ξ_Λ' + …``."""
    pats = gt_patterns(lam)
    index = {p: i for i, p in enumerate(pats)}
    n = len(lam)
    steps = []
    for k in range(n - 1):  # E_{k+1,k+2} in 1-based terms acts on row k (0-based, length k + 1)
        d: dict[tuple[int, int], tuple[Fraction, Fraction]] = {}
        for p in pats:
            for i in range(k + 1):
                q = _shift(p, k, i, 1)
                if q not in index:
                    continue
                li = _l(p, k, i)
                num = 1
                for j in range(k + 2):
                    num *= li - _l(p, k + 1, j)
                den = 1
                for j in range(k + 1):
                    if j != i:
                        den *= li - _l(p, k, j)
                e = Fraction(-num, den)
                # E_{k+1,k} ξ_q = f ξ_p + …, with l evaluated at q
                lq = _l(q, k, i)
                num2 = 1
                for j in range(k):
                    num2 *= lq - _l(q, k - 1, j)
                den2 = 1
                for j in range(k + 1):
                    if j != i:
                        den2 *= lq - _l(q, k, j)
                f = Fraction(num2, den2)
                d[(index[q], index[p])] = (e, f)
        steps.append(d)
    return pats, steps


@lru_cache(maxsize=64)
def gt_gl_images(lam: tuple[int, ...]) -> np.ndarray:
    """``ρ(E_jk)`` (shape (n, n, d, d), float64) in the orthonormal Gelfand–Tsetlin basis.

    Examples
    --------
    >>> E = gt_gl_images((1, 0, 0))
    >>> E.shape, bool(np.allclose(E[0, 1] @ E[1, 0] - E[1, 0] @ E[0, 1], E[0, 0] - E[1, 1]))
    ((3, 3, 3, 3), True)
    """
    pats, steps = _rational_steps(lam)
    n, d = len(lam), len(pats)
    E = np.zeros((n, n, d, d))
    for a, p in enumerate(pats):
        for k in range(n):
            E[k, k, a, a] = sum(p[k]) - (sum(p[k - 1]) if k else 0)
    for k, dct in enumerate(steps):
        for (r, c), (e, f) in dct.items():
            ef = e * f
            if ef < 0:  # pragma: no cover - the formulas guarantee ef > 0
                raise ArithmeticError("Gelfand–Tsetlin coefficients of opposite signs")
            E[k, k + 1, r, c] = float(np.sign(float(e))) * float(np.sqrt(float(ef)))
        E[k + 1, k] = E[k, k + 1].T
    for gap in range(2, n):
        for j in range(n - gap):
            k = j + gap
            E[j, k] = E[j, k - 1] @ E[k - 1, k] - E[k - 1, k] @ E[j, k - 1]
            E[k, j] = E[j, k].T
    E.flags.writeable = False
    return E


def gt_exact_gl(lam: tuple[int, ...]) -> dict[tuple[int, int], Any]:
    """Exact (sympy) ``ρ(E_jk)``: entries are square roots of rationals."""
    import sympy

    pats, steps = _rational_steps(lam)
    n, d = len(lam), len(pats)
    E: dict[tuple[int, int], Any] = {}
    for k in range(n):
        E[(k, k)] = sympy.diag(*[sum(p[k]) - (sum(p[k - 1]) if k else 0) for p in pats]) if d > 1 else \
            sympy.Matrix([[sum(pats[0][k]) - (sum(pats[0][k - 1]) if k else 0)]])
    for k, dct in enumerate(steps):
        M = sympy.zeros(d, d)
        for (r, c), (e, f) in dct.items():
            M[r, c] = (1 if e > 0 else -1) * sympy.sqrt(sympy.Rational(e.numerator * f.numerator, e.denominator * f.denominator))
        E[(k, k + 1)] = M
        E[(k + 1, k)] = M.T
    for gap in range(2, n):
        for j in range(n - gap):
            k = j + gap
            M = E[(j, k - 1)] * E[(k - 1, k)] - E[(k - 1, k)] * E[(j, k - 1)]
            E[(j, k)] = M.applyfunc(sympy.radsimp)
            E[(k, j)] = E[(j, k)].T
    return E


def gt_algebra(G: Any, lam: tuple[int, ...]) -> np.ndarray:
    """``dρ(X_a) = Σ_{jk} (X_a)_{jk} ρ(E_jk)`` for the Lie-algebra basis of ``G`` (U(n) or SU(n)); shape (a, d, d)."""
    E = gt_gl_images(tuple(lam))
    X = np.asarray(G.lie_algebra)
    return np.einsum("ajk,jkxy->axy", X, E)


def gt_exact_algebra(G: Any, lam: tuple[int, ...]) -> tuple[Any, ...]:
    """Exact (sympy) ``dρ(X_a)``: Gaussian-integer combinations of the exact ``ρ(E_jk)``."""
    import sympy

    E = gt_exact_gl(tuple(lam))
    n = len(lam)
    d = E[(0, 0)].shape[0]
    out = []
    for Xa in G.exact_lie_algebra:
        M = sympy.zeros(d, d)
        for j in range(n):
            for k in range(n):
                if Xa[j, k] != 0:
                    M += Xa[j, k] * E[(j, k)]
        out.append(sympy.ImmutableMatrix(M))
    return tuple(out)
