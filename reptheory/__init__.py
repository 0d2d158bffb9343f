"""reptheory: symbolic and numeric representation theory for equivariant learning.

The package is laid out along the data flow (see ``ARCHITECTURE.md``):
`reptheory.groups` → `reptheory.reps` → [`reptheory.characters`][reptheory.characters] →
[`reptheory.decomposition`][reptheory.decomposition] → `reptheory.hom` → [`reptheory.io`][reptheory.io] / [`reptheory.cli`][reptheory.cli],
with [`reptheory.testing`][reptheory.testing] for users' property tests and [`reptheory.errors`][reptheory.errors] for the one
exception family.

Examples
--------
>>> from reptheory import groups, Representation, commutant
>>> G = groups.dihedral(4)
>>> rho = 2 * Representation.regular(G)
>>> commutant(rho).dim        # Hom_G(2·reg, 2·reg) = 2·2·|G|
32
>>> sorted(rho.decompose().multiplicities.values())
[2, 2, 2, 2, 4]
"""

from reptheory import _compat, errors, groups
from reptheory._numerics.limits import current_limits, resource_limits
from reptheory.characters import CharacterTable, character_table
from reptheory.decomposition import Decomposition, IsotypicComponent, clebsch_gordan, decompose
from reptheory.errors import (
    DimensionMismatchError,
    GroupAxiomError,
    GroupMismatchError,
    NotAHomomorphismError,
    ReptheoryError,
    TooLargeError,
)
from reptheory.groups import CompactLieGroup, FiniteGroup
from reptheory.hom import (
    BasisProjector,
    IntertwinerSpace,
    IsotypicProjector,
    OrbitProjector,
    commutant,
    intertwiners,
    invariants,
)
from reptheory.io import load
from reptheory.reps import Representation

_compat.install()

__version__ = "0.2.0"

__all__ = [
    "BasisProjector",
    "CharacterTable",
    "CompactLieGroup",
    "Decomposition",
    "DimensionMismatchError",
    "FiniteGroup",
    "GroupAxiomError",
    "GroupMismatchError",
    "IntertwinerSpace",
    "IsotypicComponent",
    "IsotypicProjector",
    "NotAHomomorphismError",
    "OrbitProjector",
    "Representation",
    "ReptheoryError",
    "TooLargeError",
    "character_table",
    "clebsch_gordan",
    "commutant",
    "current_limits",
    "decompose",
    "errors",
    "groups",
    "intertwiners",
    "invariants",
    "load",
    "resource_limits",
]
