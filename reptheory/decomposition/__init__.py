"""Decomposition of representations into real irreducibles, and the irreducibles themselves.

- `reptheory.decomposition.core`: [`Decomposition`][reptheory.decomposition.Decomposition], [`IsotypicComponent`][reptheory.decomposition.IsotypicComponent] and
  [`decompose`][reptheory.decomposition.decompose] (dispatching to the finite route `reptheory.decomposition._finite` or the
  compact Lie route `reptheory.decomposition._lie`).
- `reptheory.decomposition.coupling`: Clebsch–Gordan coefficients (SO(3)/O(3) in e3nn's
  normalisation, SU(2)), coupling tensors for any group, Kronecker coefficients of finite groups.
- [`reptheory.decomposition.irreps`][reptheory.decomposition.irreps]: real orthogonal irreps with their type R/C/H (closed forms
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
from reptheory.decomposition.coupling import clebsch_gordan, coupling_tensors, kronecker_coefficients

__all__ = ["Decomposition", "IsotypicComponent", "clebsch_gordan", "coupling_tensors", "decompose",
           "kronecker_coefficients"]
