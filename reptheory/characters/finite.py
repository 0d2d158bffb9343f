"""Class functions of finite groups: inner products, multiplicities, indicators, Hom dimensions.

Characters are arrays of values on the conjugacy classes, in the order of
``G.conjugacy_classes()`` (as returned by ``rep.character()`` and stored in
``G.character_table().values``).  The inner product is (docs/explanation/projector.md#characters)

$$
⟨χ, φ⟩ = \\frac{1}{|G|} \\sum_k |K_k|\\, χ_k\\, \\overline{φ_k}.
$$

Examples
--------
>>> from reptheory import groups, Representation
>>> G = groups.symmetric(3)
>>> V = Representation.defining(G)
>>> complex_multiplicities(V).tolist()
[1, 0, 1]
>>> hom_dimension(V, V)
2
>>> frobenius_schur_indicator(G, G.character_table().values[2])
1
"""

from __future__ import annotations

from typing import Any

import numpy as np

from reptheory.errors import (
    DecompositionError,
    DimensionMismatchError,
    GroupMismatchError,
    InvalidArgumentError,
)
from reptheory.groups.finite import FiniteGroup
from reptheory.reps.representation import Representation

__all__ = [
    "inner_product",
    "complex_multiplicities",
    "real_multiplicities",
    "frobenius_schur_indicator",
    "hom_dimension",
    "character_of",
]


def _check_group(G: Any, where: str) -> FiniteGroup:
    if not isinstance(G, FiniteGroup):
        raise InvalidArgumentError(f"{where}: expected a FiniteGroup, got {type(G).__name__}")
    return G


def _class_function(G: FiniteGroup, chi: Any, name: str) -> np.ndarray:
    a = np.asarray(chi)
    r = len(G.conjugacy_classes())
    if a.dtype.kind not in "biufc":
        raise InvalidArgumentError(f"{name} must be numeric values on the classes, got dtype {a.dtype}")
    if a.shape != (r,):
        raise DimensionMismatchError(f"{name} must have shape ({r},) (one value per conjugacy class), got {a.shape}")
    return a.astype(np.complex128)


def character_of(rep: Representation) -> np.ndarray:
    """The character of a finite-group representation on the classes (complex array, shape (r,)).

    Examples
    --------
    >>> from reptheory import groups, Representation
    >>> character_of(Representation.regular(groups.cyclic(3))).real.tolist()
    [3.0, 0.0, 0.0]
    """
    if not isinstance(rep, Representation):
        raise InvalidArgumentError(f"expected a Representation, got {type(rep).__name__}")
    _check_group(rep.group, "character_of")
    return np.asarray(rep.character(), dtype=np.complex128)


def inner_product(G: FiniteGroup, chi: Any, phi: Any) -> complex:
    """``⟨χ, φ⟩ = (1/|G|) Σ_k |K_k| χ_k conj(φ_k)``.

    Parameters
    ----------
    G : FiniteGroup
    chi, phi : array_like, shape (r,)
        Class functions (values on ``G.conjugacy_classes()``).

    Examples
    --------
    >>> from reptheory import groups
    >>> G = groups.symmetric(4)
    >>> T = G.character_table()
    >>> round(inner_product(G, T.values[3], T.values[3]).real, 12)
    1.0
    """
    G = _check_group(G, "inner_product")
    a = _class_function(G, chi, "chi")
    b = _class_function(G, phi, "phi")
    return complex((G.class_sizes * a * b.conj()).sum() / G.order)


def _rounded(x: np.ndarray, what: str, G: FiniteGroup) -> np.ndarray:
    m = np.rint(x.real).astype(np.int64)
    bad = np.abs(x - m) > 1e-6 * np.maximum(1.0, np.abs(x))
    if bad.any() or (m < 0).any():
        raise DecompositionError(
            f"{what} of {G.name} are not non-negative integers: {np.round(x, 6).tolist()} "
            "(is the representation a homomorphism?)"
        )
    return m


def complex_multiplicities(rep: Representation) -> np.ndarray:
    """Multiplicity of every complex irreducible character (rows of the table) in ``rep``.

    Returns
    -------
    ndarray of int, shape (r,)

    Raises
    ------
    DecompositionError
        A multiplicity is not a non-negative integer.

    Examples
    --------
    >>> from reptheory import groups, Representation
    >>> G = groups.quaternion()
    >>> complex_multiplicities(Representation.regular(G)).tolist()
    [1, 1, 1, 1, 2]
    """
    chi = character_of(rep)
    G = rep.group
    T = G.character_table()
    x = (T.values.conj() * (G.class_sizes * chi)[None, :]).sum(axis=1) / G.order
    return _rounded(x, "complex multiplicities", G)


def real_multiplicities(rep: Representation) -> np.ndarray:
    """Multiplicity of every real irrep (``G.irreps()`` order) in a real representation.

    ``m_ψ = ⟨χ_ρ, χ_ψ⟩ / ⟨χ_ψ, χ_ψ⟩`` with ``⟨χ_ψ, χ_ψ⟩ = 1, 2, 4`` for types R, C, H
    (docs/explanation/projector.md#characters).

    Examples
    --------
    >>> from reptheory import groups, Representation
    >>> real_multiplicities(Representation.regular(groups.cyclic(5))).tolist()
    [1, 1, 1]
    """
    chi = character_of(rep)
    G = rep.group
    T = G.character_table()
    vals = []
    for rows in T.real_rows():
        ref = T.real_character(rows)
        norm = (G.class_sizes * ref * ref).sum() / G.order
        vals.append((G.class_sizes * chi * ref).sum() / G.order / norm)
    return _rounded(np.asarray(vals), "real multiplicities", G)


def frobenius_schur_indicator(G: FiniteGroup, chi: Any) -> int:
    """``ν(χ) = (1/|G|) Σ_k |K_k| χ(g_k²)`` (docs/explanation/routes.md#frobenius-schur) for an irreducible character.

    Returns +1 (real type), 0 (complex) or −1 (quaternionic).

    Raises
    ------
    DecompositionError
        The value is not in {−1, 0, 1} (χ is not irreducible).

    Examples
    --------
    >>> from reptheory import groups
    >>> G = groups.quaternion()
    >>> [frobenius_schur_indicator(G, row) for row in G.character_table().values]
    [1, 1, 1, 1, -1]
    """
    G = _check_group(G, "frobenius_schur_indicator")
    a = _class_function(G, chi, "chi")
    sq = G.power_map(2)
    v = (G.class_sizes * a[sq]).sum() / G.order
    m = int(np.rint(v.real))
    if abs(v - m) > 1e-6 or m not in (-1, 0, 1):
        raise DecompositionError(
            f"Frobenius-Schur indicator of a class function of {G.name} is {v:.6g}, not in {{-1, 0, 1}} "
            "(is chi irreducible?)"
        )
    return m


def hom_dimension(rho_in: Representation, rho_out: Representation) -> int:
    """``dim Hom_G(ρ_in, ρ_out) = (1/|G|) Σ_g χ_in(g) conj χ_out(g)`` by characters.

    For real representations this is the real dimension ``(1/|G|) Σ_g χ_in(g) χ_out(g)``
    (docs/explanation/projector.md#characters); for complex ones the complex dimension.  Used as an oracle for
    intertwiner solvers.

    Raises
    ------
    GroupMismatchError
        The representations belong to different groups.
    DecompositionError
        The value is not a non-negative integer.

    Examples
    --------
    >>> from reptheory import groups, Representation
    >>> G = groups.dihedral(4)
    >>> R = Representation.regular(G)
    >>> hom_dimension(R, R)
    8
    """
    if not isinstance(rho_in, Representation) or not isinstance(rho_out, Representation):
        raise InvalidArgumentError("hom_dimension: both arguments must be Representations")
    if rho_in.group != rho_out.group:
        raise GroupMismatchError(
            f"hom_dimension: representations of different groups ({rho_in.group.name} and {rho_out.group.name})"
        )
    G = _check_group(rho_in.group, "hom_dimension")
    v = inner_product(G, character_of(rho_in), character_of(rho_out))
    return int(_rounded(np.asarray([v]), "dim Hom", G)[0])
