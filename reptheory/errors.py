"""One exception family for the whole toolkit.

Every error raised on bad input derives from [`ReptheoryError`][reptheory.errors.ReptheoryError], itself a
`ValueError`, so ``except ValueError`` keeps working for callers that do
not know this library.  Messages name the offending argument and its value.

Examples
--------
>>> from reptheory.errors import ReptheoryError, GroupAxiomError
>>> issubclass(GroupAxiomError, ReptheoryError) and issubclass(ReptheoryError, ValueError)
True
"""

from __future__ import annotations

__all__ = [
    "ReptheoryError",
    "RepTheoryError",
    "InvalidArgumentError",
    "GroupAxiomError",
    "NotAHomomorphismError",
    "DimensionMismatchError",
    "GroupMismatchError",
    "TooLargeError",
    "DecompositionError",
    "ConvergenceError",
    "ExactnessError",
    "NonCompactError",
    "FileIntegrityError",
]


class ReptheoryError(ValueError):
    """Base class of every error raised by `reptheory` and [`penalties`][penalties].

    Examples
    --------
    >>> from reptheory import groups
    >>> try:
    ...     groups.cyclic(0)
    ... except ReptheoryError as err:
    ...     print(type(err).__name__)
    InvalidArgumentError
    """


#: Alias spelled as in the design notes.
RepTheoryError = ReptheoryError


class InvalidArgumentError(ReptheoryError):
    """An argument has the wrong type, shape, dtype or value."""


class GroupAxiomError(ReptheoryError):
    """A multiplication table or a set of generators does not define a group.

    Examples
    --------
    >>> from reptheory import FiniteGroup
    >>> FiniteGroup.from_cayley_table([[0, 1], [1, 1]])
    Traceback (most recent call last):
    ...
    reptheory.errors.GroupAxiomError: table is not a Latin square: row 1 contains 1 twice (columns 0 and 1)
    """


class NotAHomomorphismError(ReptheoryError):
    """Proposed images violate a relation of the group (or a bracket relation).

    Examples
    --------
    >>> from reptheory import Representation, groups
    >>> Representation.from_generator_images(groups.cyclic(3), [[[-1.0]]])
    Traceback (most recent call last):
    ...
    reptheory.errors.NotAHomomorphismError: images violate the relation r r r = e of cyclic(3) (relative error ...)
    """


class DimensionMismatchError(ReptheoryError):
    """Shapes or dimensions of two operands do not fit together.

    Examples
    --------
    >>> from reptheory import Representation, groups
    >>> Representation.from_generator_images(groups.dihedral(3), [[[1.0]]])
    Traceback (most recent call last):
    ...
    reptheory.errors.DimensionMismatchError: images has 1 matrices, expected 2 (one per generator)
    """


class GroupMismatchError(ReptheoryError):
    """Two representations (or a representation and a subgroup) live on different groups.

    Examples
    --------
    >>> from reptheory import Representation, groups
    >>> Representation.regular(groups.cyclic(2)) + Representation.regular(groups.cyclic(3))
    Traceback (most recent call last):
    ...
    reptheory.errors.GroupMismatchError: direct_sum: representations of different groups (cyclic(2) and cyclic(3))
    """


class TooLargeError(ReptheoryError):
    """A request would exceed a documented size limit; the message gives the estimate.

    Attributes
    ----------
    estimate : float or None
        The predicted size (elements or bytes, as the message says).
    limit : float or None
        The limit that was exceeded.

    Examples
    --------
    >>> from reptheory import groups
    >>> try:
    ...     groups.symmetric(10).table
    ... except TooLargeError as err:
    ...     print(err.estimate, err.limit)
    13168189440000 67108864
    """

    def __init__(self, message: str, *, estimate: float | None = None, limit: float | None = None):
        super().__init__(message)
        self.estimate = estimate
        self.limit = limit


class DecompositionError(ReptheoryError):
    """A decomposition failed its verification (multiplicities or reconstruction)."""


class ConvergenceError(ReptheoryError):
    """A numerical procedure did not reach the requested accuracy."""


class ExactnessError(ReptheoryError):
    """Exact arithmetic was requested for data that only exist as floats."""


class NonCompactError(ReptheoryError):
    """A Lie algebra is not compact, so no Haar measure (and no Reynolds operator) exists."""


class FileIntegrityError(ReptheoryError):
    """A saved file is truncated, tampered with, or does not match its metadata."""
