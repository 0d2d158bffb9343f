"""Groups: finite groups and their catalogue (compact Lie groups join here too).

Examples
--------
>>> from reptheory import groups
>>> groups.dihedral(4).order
8
"""

from reptheory.groups.catalog import (
    alternating,
    cyclic,
    dicyclic,
    dihedral,
    direct_product,
    flips,
    full_octahedral,
    icosahedral,
    klein_four,
    octahedral,
    quaternion,
    semidirect_product,
    square_rotations,
    square_symmetries,
    symmetric,
    tetrahedral,
)
from reptheory.groups.finite import FiniteGroup

__all__ = [
    "FiniteGroup",
    "alternating",
    "cyclic",
    "dicyclic",
    "dihedral",
    "direct_product",
    "flips",
    "full_octahedral",
    "icosahedral",
    "klein_four",
    "octahedral",
    "quaternion",
    "semidirect_product",
    "square_rotations",
    "square_symmetries",
    "symmetric",
    "tetrahedral",
]
