"""Equivariant maps: the spaces ``Hom_G(ρ_in, ρ_out)``, their bases and their Haar projectors.

- [`reptheory.hom.space`][reptheory.hom.space]: [`IntertwinerSpace`][reptheory.hom.IntertwinerSpace], [`intertwiners`][reptheory.hom.intertwiners], [`commutant`][reptheory.hom.commutant],
  [`invariants`][reptheory.hom.invariants] (route chosen automatically and reported; exact or float64).
- [`reptheory.hom.projectors`][reptheory.hom.projectors]: the structured projectors ([`OrbitProjector`][reptheory.hom.OrbitProjector],
  [`IsotypicProjector`][reptheory.hom.IsotypicProjector], [`BasisProjector`][reptheory.hom.BasisProjector]), plain arrays that ``penalties`` ports to torch.
- [`reptheory.hom.orbits`][reptheory.hom.orbits]: the orbit method for signed-permutation representations.
- [`reptheory.hom.averaging`][reptheory.hom.averaging]: explicit group averages (the reference Reynolds operator, used
  as the oracle of the tests).
- private: the routes (`reptheory.hom._routes`) and the result cache (`reptheory.hom._cache`).

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
