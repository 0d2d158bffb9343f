"""Representations: immutable matrix representations of finite and compact Lie groups, and their algebra.

[`Representation`][reptheory.reps.Representation] binds a group to the images of its generators (finite groups) or to the
images of a Lie-algebra basis and of the discrete generators (compact Lie groups).  The algebra
(``+``, ``k *``, ``@``, ``**``, duals, symmetric and exterior powers, change of basis, restriction,
induction) lives in `reptheory.reps.algebra`; the Lie-algebra constructors in
`reptheory.reps.lie`.

Examples
--------
>>> from reptheory import groups
>>> from reptheory.reps import Representation
>>> V = Representation.defining(groups.symmetric(3))
>>> (V @ V).dim, (V + V).dim, V.symmetric_power(2).dim
(9, 6, 6)
"""

from reptheory.reps.representation import Representation

__all__ = ["Representation"]
