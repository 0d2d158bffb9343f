"""Errors raised by [`penalties`][penalties] (all in the [`reptheory.errors.ReptheoryError`][reptheory.errors.ReptheoryError] family).

Every error raised at construction names the layer (module path and parameter), the
expected and the actual shape or type.

Examples
--------
>>> from penalties.errors import SpecError
>>> from reptheory.errors import ReptheoryError
>>> issubclass(SpecError, ReptheoryError)
True
"""

from __future__ import annotations

from reptheory.errors import (
    DimensionMismatchError,
    GroupMismatchError,
    InvalidArgumentError,
    ReptheoryError,
    TooLargeError,
)

__all__ = [
    "DimensionMismatchError",
    "GridActionError",
    "GroupMismatchError",
    "InvalidArgumentError",
    "ReptheoryError",
    "SpecError",
    "TooLargeError",
]


class SpecError(InvalidArgumentError):
    """A regulariser spec entry matches no module, or a matched module cannot be penalised."""


class GridActionError(InvalidArgumentError):
    """The group does not act exactly on a convolution kernel's grid (docs/explanation/convolutions.md#grid-symmetries)."""
