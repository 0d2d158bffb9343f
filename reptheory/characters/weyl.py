"""Weyl's formulas for U(n), SU(n), Sp(n): dimensions of highest-weight irreps and exact Hom dimensions (docs/explanation/lie-groups.md#weyl-integration).

**Weyl dimension formula.** With ``ρ`` the half-sum of positive roots,

$$
\\dim V_λ = \\prod_{α > 0} \\frac{⟨λ + ρ, α⟩}{⟨ρ, α⟩}.
$$

For ``U(n)``/``SU(n)`` (type ``A_{n−1}``), ``λ = (λ_1 ≥ … ≥ λ_n)`` (a partition for polynomial
representations; SU(n) ignores adding a constant) and ``dim = Π_{i<j} (λ_i − λ_j + j − i)/(j − i)``.
For ``Sp(n)`` (type ``C_n``), ``λ_1 ≥ … ≥ λ_n ≥ 0``, ``ρ = (n, …, 1)`` and the positive roots are
``e_i ± e_j`` (``i < j``) and ``2 e_i``. ``SO(2r+1)`` (``B_r``, ``ρ = (r − ½, …, ½)``, roots
``e_i ± e_j``, ``e_i``) and ``SO(2r)`` (``D_r``, ``ρ = (r − 1, …, 0)``, roots ``e_i ± e_j``) are
covered as well.

**Weyl integration.** For a compact connected group with maximal torus ``T`` and roots ``Φ``,

$$
∫_G f\\, dg = \\frac{1}{|W|} ∫_T f(t) \\prod_{α ∈ Φ} (1 − t^{α})\\, dt,
$$

and for characters (Laurent polynomials in the torus coordinates) the torus integral is the
constant term. The weights of a representation are the simultaneous eigenvalues of
``dρ(H_j)`` on the torus generators of `reptheory.groups.classical.cartan_generators`
(integers), the roots are the non-zero weights of the adjoint representation, and
``|W| = CT[Π_α (1 − x^α)]`` (the integral of 1). Everything after the eigenvalues is integer
arithmetic, so the dimension is exact.

Examples
--------
>>> from reptheory.groups.classical import SU
>>> weyl_dimension("A", (2, 1, 0)), weyl_dimension("C", (1, 1))    # adjoint of SU(3); Λ²₀ of Sp(2)
(8, 5)
>>> V = SU(3).defining_representation()
>>> torus_hom_dimension(V @ V @ V.dual(), V)
2
"""

from __future__ import annotations

from collections import Counter
from fractions import Fraction
from itertools import combinations
from typing import Any

import numpy as np

from reptheory.errors import InvalidArgumentError

__all__ = ["weyl_dimension", "weights", "roots", "torus_hom_dimension"]


def weyl_dimension(family: str, weight: Any) -> int:
    """Dimension of the irrep with highest weight ``weight`` (orthogonal coordinates) of type ``family``.

    ``family``: ``"A"`` (U(n), SU(n): ``weight`` has n entries), ``"B"`` (SO(2r+1)), ``"C"``
    (Sp(r)), ``"D"`` (SO(2r)); ``weight`` has r entries for B, C, D.

    Examples
    --------
    >>> weyl_dimension("A", (1, 0, 0)), weyl_dimension("B", (1,)), weyl_dimension("D", (1, 1))
    (3, 3, 3)
    """
    lam = [Fraction(x) for x in weight]
    r = len(lam)
    if family not in ("A", "B", "C", "D") or r == 0:
        raise InvalidArgumentError(f"family must be 'A', 'B', 'C' or 'D' and weight non-empty, got {family!r}, {weight!r}")
    if any(lam[i] < lam[i + 1] for i in range(r - 1)) or (family in ("B", "C") and lam[-1] < 0) or (
            family == "D" and r > 1 and lam[-2] < abs(lam[-1])):
        raise InvalidArgumentError(f"weight {tuple(weight)} is not dominant for type {family}")
    if family == "A":
        rho = [Fraction(r - 1 - i) for i in range(r)]
        pos = [tuple((1 if t == i else -1 if t == j else 0) for t in range(r)) for i, j in combinations(range(r), 2)]
    else:
        rho = {"B": [Fraction(2 * (r - i) - 1, 2) for i in range(r)], "C": [Fraction(r - i) for i in range(r)],
               "D": [Fraction(r - 1 - i) for i in range(r)]}[family]
        pos = []
        for i, j in combinations(range(r), 2):
            pos.append(tuple((1 if t == i else -1 if t == j else 0) for t in range(r)))
            pos.append(tuple((1 if t in (i, j) else 0) for t in range(r)))
        if family in ("B", "C"):
            c = 1 if family == "B" else 2
            pos += [tuple((c if t == i else 0) for t in range(r)) for i in range(r)]
    num = den = Fraction(1)
    for a in pos:
        num *= sum((lam[t] + rho[t]) * a[t] for t in range(r))
        den *= sum(rho[t] * a[t] for t in range(r))
    d = num / den
    if d.denominator != 1:  # pragma: no cover - cannot happen for dominant integral weights
        raise InvalidArgumentError(f"weight {tuple(weight)} is not integral for type {family}")
    return int(d)


def weights(rep: Any) -> Counter:
    """The torus weights of ``rep`` (a representation of U(n), SU(n) or Sp(n)) with multiplicities.

    Examples
    --------
    >>> from reptheory.groups.classical import U
    >>> sorted(weights(U(2).defining_representation()).items())
    [((0, 1), 1), ((1, 0), 1)]
    """
    from reptheory.groups.classical import cartan_generators

    G = rep.group
    C = cartan_generators(G)
    Hs = np.tensordot(C, rep.algebra, axes=1)  # (r, d, d), commuting
    rng = np.random.default_rng(7)
    gen = np.tensordot(rng.standard_normal(len(Hs)), Hs, axes=1)
    _, V = np.linalg.eig(gen)
    Vi = np.linalg.inv(V)
    w = np.stack([np.diag(Vi @ H @ V) for H in Hs], axis=1).imag  # eigenvalues i·μ
    W = np.rint(w).astype(np.int64)
    if np.abs(w - W).max(initial=0.0) > 1e-6:
        raise InvalidArgumentError(f"{rep.name!r} has non-integral torus weights: not a representation of {G.name}?")
    return Counter(tuple(int(x) for x in row) for row in W)


def roots(G: Any) -> list[tuple[int, ...]]:
    """The roots of ``G`` (non-zero weights of the adjoint representation).

    Examples
    --------
    >>> from reptheory.groups.classical import SU
    >>> len(roots(SU(3)))
    6
    """
    from reptheory.reps.representation import Representation

    ad = Representation(G, np.zeros((0, G.lie_dim, G.lie_dim)), name="ad",
                        algebra=np.transpose(G.structure_constants, (0, 2, 1)).astype(complex))
    return [mu for mu, m in weights(ad).items() for _ in range(m) if any(mu)]


def _density(G: Any) -> tuple[dict[tuple[int, ...], int], int]:
    rs = roots(G)
    r = len(rs[0]) if rs else 1
    poly = {(0,) * r: 1}
    for a in rs:
        new: dict[tuple[int, ...], int] = dict(poly)
        for mu, c in poly.items():
            key = tuple(x + y for x, y in zip(mu, a, strict=True))
            new[key] = new.get(key, 0) - c
        poly = {k: v for k, v in new.items() if v}
    return poly, poly.get((0,) * r, 1)


def torus_hom_dimension(rho: Any, sigma: Any) -> int:
    """``∫_G χ_ρ conj(χ_σ) dg`` exactly (Weyl integration as a constant term); ``dim_ℂ Hom_G(ρ, σ)`` for complex reps.

    Examples
    --------
    >>> from reptheory.groups.classical import Sp
    >>> V = Sp(2).defining_representation()
    >>> torus_hom_dimension(V @ V, V @ V)      # Sym² ⊕ Λ²₀ ⊕ trivial
    3
    """
    G = rho.group
    if getattr(G, "kind", None) not in ("U", "SU", "Sp"):
        raise InvalidArgumentError(f"torus_hom_dimension covers U(n), SU(n), Sp(n); got {G.name}")
    dens, W = _density(G)
    a, b = weights(rho), weights(sigma)
    tot = 0
    for mu, x in a.items():
        for nu, y in b.items():
            tot += x * y * dens.get(tuple(v - u for u, v in zip(mu, nu, strict=True)), 0)
    if tot % W:
        raise InvalidArgumentError(f"the Weyl integral {tot}/{W} is not an integer: not representations of {G.name}?")
    return tot // W
