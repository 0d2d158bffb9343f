"""One exception family for the whole toolkit.

Every error raised on bad input derives from :class:`ReptheoryError`, itself a
:class:`ValueError`, so ``except ValueError`` keeps working for callers that do
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
    """Base class of every error raised by :mod:`reptheory` and :mod:`penalties`."""


#: Alias spelled as in the design notes.
RepTheoryError = ReptheoryError


class InvalidArgumentError(ReptheoryError):
    """An argument has the wrong type, shape, dtype or value."""


class GroupAxiomError(ReptheoryError):
    """A multiplication table or a set of generators does not define a group."""


class NotAHomomorphismError(ReptheoryError):
    """Proposed images violate a relation of the group (or a bracket relation)."""


class DimensionMismatchError(ReptheoryError):
    """Shapes or dimensions of two operands do not fit together."""


class GroupMismatchError(ReptheoryError):
    """Two representations (or a representation and a subgroup) live on different groups."""


class TooLargeError(ReptheoryError):
    """A request would exceed a documented size limit; the message gives the estimate.

    Attributes
    ----------
    estimate : float or None
        The predicted size (elements or bytes, as the message says).
    limit : float or None
        The limit that was exceeded.
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
