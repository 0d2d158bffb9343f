"""Decomposition of representations into real irreducibles, and the irreducibles themselves.

- :mod:`reptheory.decomposition.core`: :class:`Decomposition`, :class:`IsotypicComponent` and
  :func:`decompose` (dispatching to the finite route :mod:`reptheory.decomposition._finite` or the
  compact Lie route :mod:`reptheory.decomposition._lie`).
- :mod:`reptheory.decomposition.irreps`: real orthogonal irreps with their type R/C/H (closed forms
  for catalogue groups, numeric constructions otherwise) and irreps strings such as ``"2x0e + 1x1o"``.

Examples
--------
>>> from reptheory import groups, Representation
>>> from reptheory.decomposition import decompose
>>> d = decompose(Representation.regular(groups.symmetric(3)))
>>> sorted(d.multiplicities.values())
[1, 1, 2]
"""

from reptheory.decomposition.core import Decomposition, IsotypicComponent, decompose

__all__ = ["Decomposition", "IsotypicComponent", "decompose"]
