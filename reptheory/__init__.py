"""reptheory: symbolic and numeric representation theory for equivariant learning.

Examples
--------
>>> import reptheory
>>> from reptheory import groups, Representation
>>> G = groups.dihedral(4)
>>> Representation.regular(G).dim
8
"""

from reptheory import errors, groups
from reptheory.errors import (
    DimensionMismatchError,
    GroupAxiomError,
    GroupMismatchError,
    NotAHomomorphismError,
    ReptheoryError,
    TooLargeError,
)
from reptheory.groups import FiniteGroup
from reptheory.representations import Representation

__version__ = "0.1.0"

__all__ = [
    "DimensionMismatchError",
    "FiniteGroup",
    "GroupAxiomError",
    "GroupMismatchError",
    "NotAHomomorphismError",
    "Representation",
    "ReptheoryError",
    "TooLargeError",
    "errors",
    "groups",
]
