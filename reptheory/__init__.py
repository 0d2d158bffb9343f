"""reptheory: symbolic and numeric representation theory for equivariant learning.

The data flow is group → representation → (decomposition) → intertwiner space → projector.

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

from reptheory import errors, groups
from reptheory.character_table import CharacterTable, character_table
from reptheory.decomposition import Decomposition, IsotypicComponent, decompose
from reptheory.errors import (
    DimensionMismatchError,
    GroupAxiomError,
    GroupMismatchError,
    NotAHomomorphismError,
    ReptheoryError,
    TooLargeError,
)
from reptheory.groups import CompactLieGroup, FiniteGroup
from reptheory.intertwiners import IntertwinerSpace, commutant, intertwiners, invariants
from reptheory.io import load
from reptheory.projectors import BasisProjector, IsotypicProjector, OrbitProjector
from reptheory.representations import Representation

__version__ = "0.1.0"

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
    "commutant",
    "decompose",
    "errors",
    "groups",
    "intertwiners",
    "invariants",
    "load",
]
