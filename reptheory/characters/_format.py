"""Printing cyclotomic character values (private helpers of `reptheory.characters.table`).

A value is stored as its spectrum: the multiplicities of the ``e``-th roots of unity among the
eigenvalues of ``ρ(g)``; it is printed in the reduced basis of ``ℚ(ζ_o)`` (``o`` the element
order) with GAP-style ``E(o)`` notation, or converted to sympy / LaTeX.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from reptheory.groups._cayley import _prime_factors


def _reduced_coefficients(spectrum: np.ndarray, e: int) -> tuple[np.ndarray, int]:
    """Integer coefficients over ``ζ_o`` (o the smallest possible) with a short ℓ1 norm."""
    t = spectrum % e
    g = math.gcd(e, *t.tolist()) if t.size else e
    o = e // g
    coeff = np.bincount(t // g, minlength=o).astype(np.int64)
    # shorten with sum_k zeta_p^k = 0: subtract the median over each coset of the p-th roots
    changed = True
    while changed and o > 1:
        changed = False
        for p in _prime_factors(o):
            step = o // p
            c = coeff.reshape(p, step)  # column j is the coset {j + k*step}
            med = np.sort(c, axis=0)[(p - 1) // 2]
            new = c - med[None, :]
            if np.abs(new).sum() < np.abs(c).sum():
                coeff = new.reshape(-1)
                changed = True
    nz = np.flatnonzero(coeff)
    if nz.size:
        g2 = math.gcd(o, *nz.tolist())
        if g2 > 1:
            coeff = coeff[::g2].copy()
            o //= g2
    return coeff, o


def _is_real(coeff: np.ndarray, o: int) -> bool:
    neg = (-np.arange(o)) % o
    return bool(np.array_equal(coeff, coeff[neg]))


def _e_notation(coeff: np.ndarray, o: int) -> str:
    const = int(coeff[0]) - (int(coeff[o // 2]) if o % 2 == 0 else 0)
    terms = []
    if const:
        terms.append((const, ""))
    for s in np.flatnonzero(coeff).tolist():
        if s == 0 or (o % 2 == 0 and s == o // 2):
            continue
        g = math.gcd(s, o)
        oo, ss = o // g, s // g
        base = f"E({oo})" if ss == 1 else f"E({oo})^{ss}"
        terms.append((int(coeff[s]), base))
    out = ""
    for a, b in terms:
        if not b:
            piece = str(abs(a))
        elif abs(a) == 1:
            piece = b
        else:
            piece = f"{abs(a)}*{b}"
        if not out:
            out = ("-" if a < 0 else "") + piece
        else:
            out += ("-" if a < 0 else "+") + piece
    return out or "0"


def _sympy_value(spectrum: np.ndarray, e: int) -> Any:
    import sympy

    coeff, o = _reduced_coefficients(np.asarray(spectrum, dtype=np.int64), int(e))
    nz = np.flatnonzero(coeff).tolist()
    if not nz:
        return sympy.Integer(0)
    if nz == [0]:
        return sympy.Integer(int(coeff[0]))
    if _is_real(coeff, o):
        return sympy.nsimplify(sum(int(coeff[s]) * sympy.cos(2 * sympy.pi * s / o) for s in nz))
    return sum(int(coeff[s]) * sympy.exp(2 * sympy.pi * sympy.I * sympy.Rational(s, o)) for s in nz)


def _latex_value(txt: str, sympy: Any) -> str:
    import re

    if "E(" in txt:
        t = re.sub(r"E\((\d+)\)\^(\d+)", r"\\zeta_{\1}^{\2}", txt)
        t = re.sub(r"E\((\d+)\)", r"\\zeta_{\1}", t)
        return t.replace("*", "")
    try:
        return str(sympy.latex(sympy.sympify(txt)))
    except (sympy.SympifyError, TypeError):  # pragma: no cover
        return txt
