"""Equivariant maps: the spaces ``Hom_G(ρ_in, ρ_out)``, their bases and their Haar projectors.

- :mod:`reptheory.hom.space`: :class:`IntertwinerSpace`, :func:`intertwiners`, :func:`commutant`,
  :func:`invariants` (route chosen automatically and reported; exact or float64).
- :mod:`reptheory.hom.projectors`: the structured projectors (:class:`OrbitProjector`,
  :class:`IsotypicProjector`, :class:`BasisProjector`), plain arrays that ``penalties`` ports to torch.
- :mod:`reptheory.hom.orbits`: the orbit method for signed-permutation representations.
- :mod:`reptheory.hom.averaging`: explicit group averages (the reference Reynolds operator, used
  as the oracle of the tests).
- private: the routes (:mod:`reptheory.hom._routes`) and the result cache (:mod:`reptheory.hom._cache`).

Examples
--------
>>> from reptheory import groups, Representation
>>> from reptheory.hom import intertwiners
>>> R = Representation.regular(groups.cyclic(4))
>>> intertwiners(R, R).dim          # circulant 4 x 4 matrices
4
"""

from reptheory.hom.projectors import BasisProjector, IsotypicBlock, IsotypicProjector, OrbitProjector
from reptheory.hom.space import IntertwinerSpace, commutant, intertwiners, invariants

__all__ = [
    "BasisProjector",
    "IntertwinerSpace",
    "IsotypicBlock",
    "IsotypicProjector",
    "OrbitProjector",
    "commutant",
    "intertwiners",
    "invariants",
]
