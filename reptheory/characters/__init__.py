"""Characters: character tables of finite groups and class functions of finite and compact Lie groups.

- [`reptheory.characters.table`][reptheory.characters.table]: [`CharacterTable`][reptheory.characters.CharacterTable] and [`character_table`][reptheory.characters.character_table] (exact
  values in cyclotomic fields, indicators, real types).
- `reptheory.characters.finite`: inner products of class functions, multiplicities,
  Frobenius–Schur indicators and ``dim Hom_G`` from characters (finite groups).
- [`reptheory.characters.class_functions`][reptheory.characters.class_functions]: class fusion, restriction and induction of
  class functions, permutation characters, tensor multiplicity tables (no matrices).
- [`reptheory.characters.dixon`][reptheory.characters.dixon]: character tables of permutation
  groups that are never enumerated (Dixon–Schneider from class matrices of small classes).
- [`reptheory.characters.symmetric`][reptheory.characters.symmetric]: characters of ``S_n`` and ``A_n`` by partitions
  (Murnaghan–Nakayama, Kronecker coefficients, branching), no group elements needed.
- [`reptheory.characters.lie`][reptheory.characters.lie]: characters of compact Lie groups and their Haar integrals
  (Weyl integration where available).

The names of `reptheory.characters.finite` are re-exported here.

Examples
--------
>>> from reptheory import groups, Representation
>>> from reptheory.characters import hom_dimension
>>> V = Representation.defining(groups.symmetric(3))
>>> hom_dimension(V, V)
2
"""

from reptheory.characters.dixon import permutation_character_table
from reptheory.characters.finite import (
    character_of,
    complex_multiplicities,
    frobenius_schur_indicator,
    hom_dimension,
    inner_product,
    real_multiplicities,
)
from reptheory.characters.symmetric import (
    SymmetricCharacterTable,
    alternating_character_table,
    symmetric_character_table,
)
from reptheory.characters.table import CharacterTable, character_table

__all__ = [
    "CharacterTable",
    "SymmetricCharacterTable",
    "alternating_character_table",
    "symmetric_character_table",
    "character_of",
    "character_table",
    "permutation_character_table",
    "complex_multiplicities",
    "frobenius_schur_indicator",
    "hom_dimension",
    "inner_product",
    "real_multiplicities",
]
