"""Groups: finite groups, compact Lie groups, and their catalogues.

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
from reptheory.groups.classical import SU, Sp, U
from reptheory.groups.finite import FiniteGroup
from reptheory.groups.lie import CompactLieGroup, LieGroupElement
from reptheory.groups.lie_catalog import O2, O3, SO, SO2, SO3, SU2, U1, O, lie_direct_product
from reptheory.groups.permutation import PermutationGroup, permutation_group, projective_special_linear

__all__ = [
    "O",
    "O2",
    "O3",
    "SO",
    "SO2",
    "SO3",
    "SU2",
    "U1",
    "SU",
    "U",
    "Sp",
    "CompactLieGroup",
    "FiniteGroup",
    "PermutationGroup",
    "permutation_group",
    "projective_special_linear",
    "LieGroupElement",
    "lie_direct_product",
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
