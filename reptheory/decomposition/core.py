"""Decomposition of a representation into irreducibles (the shared result type).

``rho.decompose()`` returns a [`Decomposition`][reptheory.decomposition.core.Decomposition]: the real irreducible
constituents ``ψ`` with multiplicities ``m_ψ`` and an orthogonal change of basis
``Q`` (shape ``(d, d)``) such that, for every group element ``g``,

$$
ρ(g)\\, Q = Q\\, \\bigoplus_ψ (I_{m_ψ} ⊗ ψ(g)),
$$

with components in the order of `Decomposition.components` and copies
outer (``I_m ⊗ ψ`` is ``m`` consecutive diagonal blocks ``ψ(g)``).  Complex representations (and
all representations of U(n), SU(n), Sp(n)) are decomposed over ℂ instead: complex irreducibles,
unitary ``Q``, ``Decomposition.field == "C"``, and `Decomposition.real_form` says how the complex
components pair into real irreps (docs/explanation/lie-groups.md#highest-weights).  Finite groups
are handled by `reptheory.decomposition._finite`, compact Lie groups by
`reptheory.decomposition._lie`.

Examples
--------
>>> from reptheory import groups, Representation
>>> dec = Representation.regular(groups.symmetric(3)).decompose()
>>> sorted(dec.multiplicities.values())
[1, 1, 2]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from reptheory.reps.representation import Representation

__all__ = ["Decomposition", "IsotypicComponent", "decompose"]


@dataclass(frozen=True, eq=False)
class IsotypicComponent:
    """One isotypic component ``I_m ⊗ ψ`` of a decomposition.

    Attributes
    ----------
    irrep : Representation
        The real irreducible ψ (with ``label`` and ``real_type`` in ``{"R", "C", "H"}``).
    multiplicity : int
        ``m``.
    start, stop : int
        Its columns ``Q[:, start:stop]`` (``stop - start = m · dim ψ``).

    Examples
    --------
    >>> from reptheory import groups, Representation
    >>> dec = Representation.regular(groups.symmetric(3)).decompose()
    >>> [(c.irrep.dim, c.multiplicity, c.stop - c.start) for c in dec.components if c.irrep.dim == 2]
    [(2, 2, 4)]
    """

    irrep: Representation
    multiplicity: int
    start: int
    stop: int

    @property
    def label(self) -> str:
        """The irrep's label."""
        return str(self.irrep.label)


@dataclass(frozen=True, eq=False)
class Decomposition:
    """Result of [`decompose`][reptheory.decomposition.core.decompose] (see the module docstring for the convention).

    Attributes
    ----------
    rep : Representation
        The decomposed representation, of dimension d.
    components : tuple of IsotypicComponent
    Q : ndarray, shape (d, d)
        Orthogonal (for orthogonal ρ); ``ρ(g) = Q D(g) Qᵀ``.
    error : float
        ``max_s ‖ρ(s) Q − Q D(s)‖ / max(1, ‖ρ(s)‖)`` over generators (and algebra images).
    method : str
        Which algorithm ran.

    Examples
    --------
    >>> import numpy as np
    >>> from reptheory import groups, Representation
    >>> rho = Representation.regular(groups.dihedral(3))
    >>> dec = rho.decompose()
    >>> g = 4                                              # any element
    >>> bool(np.allclose(rho.matrix(g) @ dec.Q, dec.Q @ dec.block_matrix(g)))
    True
    """

    rep: Representation
    components: tuple[IsotypicComponent, ...]
    Q: np.ndarray
    error: float
    method: str
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def multiplicities(self) -> dict[str, int]:
        """Irrep label → multiplicity."""
        return {c.label: c.multiplicity for c in self.components}

    @property
    def field(self) -> str:
        """``"R"`` (real irreps, orthogonal Q) or ``"C"`` (complex irreps, unitary Q: complex representations,
        and every representation of U(n), SU(n), Sp(n))."""
        return str(self.info.get("field", "C" if np.iscomplexobj(self.Q) else "R"))

    @property
    def real_form(self) -> tuple[str, ...] | None:
        """For a decomposition over ℂ, how its components pair into real irreps (one line per real isotype:
        real, complex or quaternionic type); None over ℝ.

        Examples
        --------
        >>> from reptheory.groups.classical import SU
        >>> V = SU(3).defining_representation()
        >>> (V @ V.dual()).decompose().real_form[1]
        '(2,1,0): real type, the complexification of a real irrep of dimension 8 (multiplicity 1)'
        """
        rf = self.info.get("real_form")
        return None if rf is None else tuple(rf)

    def block_matrix(self, g: Any) -> np.ndarray:
        """``D(g) = ⊕_ψ I_m ⊗ ψ(g)``, shape (d, d)."""
        blocks = []
        for c in self.components:
            psi = c.irrep.matrix(g)
            blocks.extend([psi] * c.multiplicity)
        from reptheory._numerics.arrays import block_diag

        return block_diag(blocks)

    def __repr__(self) -> str:
        def lab(c: IsotypicComponent) -> str:
            text = f"({c.label})" if "+" in c.label else c.label
            return f"{c.multiplicity}x{text}" if c.multiplicity > 1 else text

        parts = " + ".join(lab(c) for c in self.components)
        return f"Decomposition({self.rep.name!r}: {parts}, error={self.error:.1e})"


def decompose(rep: Representation, **kwargs: Any) -> Decomposition:
    """Decompose ``rep`` into real irreducibles (see [`Decomposition`][reptheory.decomposition.core.Decomposition]).

    Dispatches to the finite-group or the Lie-group algorithm.  Keywords: ``rng`` (both),
    ``verify`` (Lie groups); any other name raises
    [`InvalidArgumentError`][reptheory.errors.InvalidArgumentError] naming it.

    Examples
    --------
    >>> from reptheory import groups, Representation
    >>> V = Representation.defining(groups.O3())
    >>> decompose(V @ V).multiplicities
    {'0e': 1, '1e': 1, '2e': 1}
    """
    from reptheory._numerics.arrays import check_keywords
    from reptheory.groups.finite import FiniteGroup

    if hasattr(rep.group, "straight_line_program"):  # a PermutationGroup, never enumerated
        from reptheory.decomposition._permutation import decompose_permutation_group

        check_keywords(kwargs, ["rng"], "decompose")
        return decompose_permutation_group(rep, **kwargs)
    if isinstance(rep.group, FiniteGroup):
        from reptheory.decomposition._finite import decompose_finite

        check_keywords(kwargs, ["rng"], "decompose")
        return decompose_finite(rep, **kwargs)
    check_keywords(kwargs, ["rng", "verify"], "decompose")
    from reptheory.decomposition._lie import decompose_lie

    return decompose_lie(rep, **kwargs)
