"""Clebsch–Gordan coefficients: SO(3)/O(3) in e3nn's real normalisation, SU(2), and coupling tensors for any group (docs/explanation/lie-groups.md#clebsch-gordan).

**SO(3), O(3).** [`clebsch_gordan`][reptheory.decomposition.coupling.clebsch_gordan] returns the real tensor ``C`` of shape
``(2l₁+1, 2l₂+1, 2l₃+1)`` invariant under ``D^{l₁} ⊗ D^{l₂} ⊗ D^{l₃}`` (the real Wigner matrices of
`reptheory.decomposition.irreps.lie`, whose basis is e3nn's), with ``‖C‖_F = 1`` and e3nn's
sign: ``C = Σ Q₁ ⊗ Q₂ ⊗ Q̄₃ · CG`` with the Condon–Shortley coefficients
``CG[j₁+m₁, j₂+m₂, j₃+m₃] = ⟨j₁ m₁ j₂ m₂ | j₃ m₃⟩`` (Racah's formula) and ``Q_l`` the change of
basis from the real harmonics to the complex ones times ``(−i)^l``
(``Q[l+m, l+|m|] = 1/√2``, ``Q[l+m, l−|m|] = −i/√2`` for ``m < 0``; ``Q[l, l] = 1``;
``(−1)^m/√2`` and ``i(−1)^m/√2`` for ``m > 0``). Equal to ``e3nn.o3.wigner_3j(l₁, l₂, l₃)``.

**SU(2).** `su2_clebsch_gordan` gives the Condon–Shortley coefficients ``⟨j₁ m₁ j₂ m₂ | J M⟩``
(half-integer spins allowed), indexed ``[j₁+m₁, j₂+m₂, J+M]``.

**Any group.** [`coupling_tensors`][reptheory.decomposition.coupling.coupling_tensors] gives a basis of ``Hom_G(ρ_a ⊗ ρ_b, ρ_c)`` as tensors
``T[i, j, k]`` (``ρ_c(g) T(u ⊗ v) = T(ρ_a(g)u ⊗ ρ_b(g)v)``) through [`reptheory.hom.space.intertwiners`][reptheory.hom.space.intertwiners],
and [`kronecker_coefficients`][reptheory.decomposition.coupling.kronecker_coefficients] the multiplicity table ``N_{ijk} = ⟨χ_i χ_j, χ_k⟩`` of a
finite group from its character table.

Examples
--------
>>> C = clebsch_gordan(1, 1, 0)
>>> bool(abs(abs(C[0, 0, 0]) - 3 ** -0.5) < 1e-12), C.shape
(True, (3, 3, 1))
>>> clebsch_gordan(1, 1, 3) is None
True
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from math import factorial, sqrt
from typing import Any

import numpy as np

from reptheory.errors import InvalidArgumentError

__all__ = ["clebsch_gordan", "su2_clebsch_gordan", "coupling_tensors", "kronecker_coefficients"]


def _cg_coeff(j1: Fraction, m1: Fraction, j2: Fraction, m2: Fraction, J: Fraction, M: Fraction) -> float:
    """Racah's formula for ``⟨j₁ m₁ j₂ m₂ | J M⟩`` (Condon–Shortley phase)."""
    if m1 + m2 != M:
        return 0.0

    def f(x: Fraction) -> int:
        return factorial(int(x))

    pref = Fraction(int(2 * J + 1)) * Fraction(f(J + j1 - j2) * f(J - j1 + j2) * f(j1 + j2 - J), f(j1 + j2 + J + 1))
    pref *= f(J + M) * f(J - M) * f(j1 - m1) * f(j1 + m1) * f(j2 - m2) * f(j2 + m2)
    s = Fraction(0)
    kmin = max(0, int(j2 - J - m1), int(j1 - J + m2))
    kmax = min(int(j1 + j2 - J), int(j1 - m1), int(j2 + m2))
    for k in range(kmin, kmax + 1):
        den = (factorial(k) * f(j1 + j2 - J - k) * f(j1 - m1 - k) * f(j2 + m2 - k) * f(J - j2 + m1 + k)
               * f(J - j1 - m2 + k))
        s += Fraction((-1) ** k, den)
    return float(s) * sqrt(pref)


def _spin(j: Any, name: str) -> Fraction:
    try:
        x = Fraction(j)
    except (TypeError, ValueError):
        raise InvalidArgumentError(f"{name} must be a non-negative integer or half-integer, got {j!r}") from None
    if x < 0 or (2 * x).denominator != 1:
        raise InvalidArgumentError(f"{name} must be a non-negative integer or half-integer, got {j!r}")
    return x


@lru_cache(maxsize=256)
def _su2_cached(j1: Fraction, j2: Fraction, J: Fraction) -> np.ndarray | None:
    if not (abs(j1 - j2) <= J <= j1 + j2) or (j1 + j2 + J).denominator != 1:
        return None
    d1, d2, d3 = int(2 * j1 + 1), int(2 * j2 + 1), int(2 * J + 1)
    out = np.zeros((d1, d2, d3))
    for a in range(d1):
        m1 = a - j1
        for b in range(d2):
            m2 = b - j2
            M = m1 + m2
            if abs(M) <= J:
                out[a, b, int(J + M)] = _cg_coeff(j1, m1, j2, m2, J, M)
    out.setflags(write=False)
    return out


def su2_clebsch_gordan(j1: Any, j2: Any, J: Any) -> np.ndarray | None:
    """Condon–Shortley ``⟨j₁ m₁ j₂ m₂ | J M⟩`` as an array ``[j₁+m₁, j₂+m₂, J+M]``, or None outside the triangle rule.

    Examples
    --------
    >>> C = su2_clebsch_gordan("1/2", "1/2", 0)
    >>> C[:, :, 0].round(6).tolist()          # the singlet (|↑↓⟩ − |↓↑⟩)/√2, m = −1/2 first
    [[0.0, -0.707107], [0.707107, 0.0]]
    """
    return _su2_cached(_spin(j1, "j1"), _spin(j2, "j2"), _spin(J, "J"))


def _real_to_complex(l: int) -> np.ndarray:
    q = np.zeros((2 * l + 1, 2 * l + 1), dtype=complex)
    r = 2**-0.5
    for m in range(-l, 0):
        q[l + m, l - m] = r
        q[l + m, l + m] = -1j * r
    q[l, l] = 1
    for m in range(1, l + 1):
        q[l + m, l + m] = (-1) ** m * r
        q[l + m, l - m] = 1j * (-1) ** m * r
    return (-1j) ** l * q


@lru_cache(maxsize=256)
def _so3_cached(l1: int, l2: int, l3: int) -> np.ndarray | None:
    C = _su2_cached(Fraction(l1), Fraction(l2), Fraction(l3))
    if C is None:
        return None
    Q1, Q2, Q3 = _real_to_complex(l1), _real_to_complex(l2), _real_to_complex(l3)
    R = np.einsum("ij,kl,nm,ikn->jlm", Q1, Q2, Q3.conj(), C)
    out = np.ascontiguousarray(R.real / np.linalg.norm(R.real))
    out.setflags(write=False)
    return out


def clebsch_gordan(l1: Any, l2: Any, l3: Any, *, group: str | None = None) -> np.ndarray | None:
    """Clebsch–Gordan tensor coupling ``l₁ ⊗ l₂ → l₃`` (None outside the selection rules).

    Parameters
    ----------
    l1, l2, l3
        ``group="SO3"`` (the default for integers; labels such as ``"1o"`` select ``"O3"``): integers; ``group="O3"``: labels such as ``"1o"``, ``"2e"`` (the
        parity rule ``p₃ = p₁ p₂`` applies); ``group="SU2"``: integer or half-integer spins
        (Condon–Shortley coefficients, see `su2_clebsch_gordan`).

    Returns
    -------
    ndarray, shape (2l₁+1, 2l₂+1, 2l₃+1)
        For SO(3)/O(3): real, ``‖C‖_F = 1``, e3nn's sign (``e3nn.o3.wigner_3j``), invariant:
        ``C = Σ D¹(g)_{ia} D²(g)_{jb} D³(g)_{kc} C_{abc}``.

    Examples
    --------
    >>> clebsch_gordan("1o", "1o", "1e").shape, clebsch_gordan("1o", "1o", "1o") is None
    ((3, 3, 3), True)
    """
    if group is None:
        group = "O3" if any(isinstance(x, str) and x[-1:] in ("e", "o") for x in (l1, l2, l3)) else "SO3"
    if group == "SU2":
        return su2_clebsch_gordan(l1, l2, l3)
    if group == "O3":
        from reptheory.decomposition.irreps.lie import parse_label
        from reptheory.groups.lie_catalog import O3

        (a, pa), (b, pb), (c, pc) = (parse_label(O3(), x) for x in (l1, l2, l3))
        if pa * pb != pc:
            return None
        return _so3_cached(int(a), int(b), int(c))
    if group != "SO3":
        raise InvalidArgumentError(f"group must be 'SO3', 'O3' or 'SU2', got {group!r}")
    ls = []
    for name, x in (("l1", l1), ("l2", l2), ("l3", l3)):
        if isinstance(x, bool) or not isinstance(x, (int, np.integer)) or x < 0:
            raise InvalidArgumentError(f"{name} must be a non-negative integer for SO(3), got {x!r}")
        ls.append(int(x))
    return _so3_cached(*ls)


def coupling_tensors(rho_a: Any, rho_b: Any, rho_c: Any, *, exact: bool = False) -> np.ndarray:
    """Basis of ``Hom_G(ρ_a ⊗ ρ_b, ρ_c)`` as tensors ``T[k, i, j, c]`` (shape (m, d_a, d_b, d_c)), Frobenius-orthonormal.

    ``T[k]`` contracted with ``u ⊗ v`` gives an equivariant bilinear map ``ρ_a × ρ_b → ρ_c``; ``m``
    is the multiplicity of ``ρ_c`` in ``ρ_a ⊗ ρ_b`` when ``ρ_c`` is irreducible of real type.

    Examples
    --------
    >>> from reptheory import groups, Representation
    >>> V = Representation.defining(groups.symmetric(3))
    >>> coupling_tensors(V, V, V).shape        # S_3 on R^3: 5 equivariant bilinear maps R^3 x R^3 -> R^3
    (5, 3, 3, 3)
    """
    from reptheory.hom.space import intertwiners

    space = intertwiners(rho_a @ rho_b, rho_c, exact=exact)
    B = space.basis  # (m, d_c, d_a·d_b)
    return np.ascontiguousarray(B.reshape(B.shape[0], rho_c.dim, rho_a.dim, rho_b.dim).transpose(0, 2, 3, 1))


def kronecker_coefficients(table: Any) -> np.ndarray:
    """``N[i, j, k] = (1/|G|) Σ_g χ_i(g) χ_j(g) conj(χ_k(g))``: multiplicity of irrep k in ``i ⊗ j``.

    Examples
    --------
    >>> from reptheory import groups
    >>> from reptheory.characters.table import character_table
    >>> N = kronecker_coefficients(character_table(groups.symmetric(3)))
    >>> int(N[2, 2].sum()), N.shape                       # 2 ⊗ 2 = 1 + sign + 2 for S_3
    (3, (3, 3, 3))
    """
    X = np.asarray(table.values)
    sizes = np.asarray(table.class_sizes, dtype=float)
    n = sizes.sum()
    N = np.einsum("c,ic,jc,kc->ijk", sizes, X, X, X.conj()) / n
    R = np.rint(N.real).astype(np.int64)
    if np.abs(N - R).max(initial=0.0) > 1e-8:
        raise InvalidArgumentError("the character table does not give integer Kronecker coefficients")
    return R
