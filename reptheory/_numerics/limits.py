"""The one resource-limit policy: estimate before you allocate, refuse with the estimate.

Every public entry point that could allocate or loop in proportion to a number the caller
typed (a group order, a multiplicity, a tensor power, a dimension, a file size) first
computes an *estimate* of the cost and compares it with the limit below of the same name.
Over the limit, it raises [`TooLargeError`][reptheory.errors.TooLargeError] carrying ``estimate``
and ``limit``; nothing has been allocated yet.

============================  ===============  =================================================
limit                         default          what it bounds
============================  ===============  =================================================
``max_bytes``                 1 GiB            one dense array (images, bases, tables, tensors)
``max_dim``                   65 536           the dimension of one representation
``max_order``                 200 000          elements enumerated for one finite group
``max_exact_entries``         250 000          entries of exact (sympy/flint) matrices built
``max_file_bytes``            256 MiB          a file read by [`reptheory.load`][reptheory.load] (uncompressed)
``max_file_members``          64               arrays in one saved archive
``max_expr_chars``            100 000          characters of one exact entry / CLI expression
``max_expr_depth``            200              nesting depth of an expression
``max_expr_terms``            10 000           terms of one CLI expression
============================  ===============  =================================================

Override the defaults for a block with `resource_limits` (a context manager, local to
the thread / task), or for a process with the environment variable ``REPTHEORY_LIMITS``,
e.g. ``REPTHEORY_LIMITS="max_bytes=4e9,max_order=1e6"`` (read when first needed).
See ``docs/explanation/guarantees.md``.

Examples
--------
>>> from reptheory import groups, Representation, TooLargeError
>>> from reptheory import resource_limits, current_limits
>>> current_limits().max_dim
65536
>>> try:
...     10**6 * Representation.trivial(groups.cyclic(2))
... except TooLargeError as err:
...     print(err.estimate, err.limit)
1000000 65536
>>> with resource_limits(max_dim=10):
...     try:
...         Representation.trivial(groups.cyclic(2), 11)
...     except TooLargeError as err:
...         print(err.limit)
10
"""

from __future__ import annotations

import contextvars
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from typing import Any

from reptheory.errors import InvalidArgumentError, TooLargeError

__all__ = [
    "Limits",
    "current_limits",
    "resource_limits",
    "check_limit",
    "check_array",
    "ENV_VAR",
]

#: Environment variable read for process-wide overrides.
ENV_VAR = "REPTHEORY_LIMITS"


@dataclass(frozen=True)
class Limits:
    """The resource limits in force (see the module docstring for meanings and defaults).

    Examples
    --------
    >>> Limits().max_order
    200000
    """

    max_bytes: int = 1 << 30
    max_dim: int = 65_536
    max_order: int = 200_000
    max_exact_entries: int = 250_000
    max_file_bytes: int = 256 << 20
    max_file_members: int = 64
    max_expr_chars: int = 100_000
    max_expr_depth: int = 200
    max_expr_terms: int = 10_000


_NAMES = tuple(f.name for f in fields(Limits))
_override: contextvars.ContextVar[Limits | None] = contextvars.ContextVar("reptheory_limits", default=None)
_env_cache: dict[str, Limits] = {}


def _parse_overrides(values: dict[str, Any], source: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for name, value in values.items():
        if name not in _NAMES:
            raise InvalidArgumentError(
                f"{source}: unknown limit {name!r}; known limits are {', '.join(_NAMES)}"
            )
        try:
            v = float(value) if isinstance(value, str) else value
            if isinstance(v, bool) or not isinstance(v, (int, float)) or v != v or v < 0:
                raise TypeError
            iv = int(v)
        except (TypeError, ValueError, OverflowError):
            raise InvalidArgumentError(
                f"{source}: limit {name} must be a non-negative number, got {value!r}"
            ) from None
        out[name] = iv
    return out


def _from_env() -> Limits:
    text = os.environ.get(ENV_VAR, "")
    hit = _env_cache.get(text)
    if hit is not None:
        return hit
    values: dict[str, Any] = {}
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        name, sep, value = part.partition("=")
        if not sep:
            raise InvalidArgumentError(f"{ENV_VAR}: expected name=value, got {part!r}")
        values[name.strip()] = value.strip()
    lim = replace(Limits(), **_parse_overrides(values, ENV_VAR))
    _env_cache[text] = lim
    return lim


def current_limits() -> Limits:
    """The limits in force here: the innermost `resource_limits`, else the environment, else defaults.

    Examples
    --------
    >>> current_limits().max_bytes == 1 << 30
    True
    """
    lim = _override.get()
    return lim if lim is not None else _from_env()


@contextmanager
def resource_limits(**overrides: Any) -> Iterator[Limits]:
    """Temporarily change some limits (the others keep their current values).

    Parameters
    ----------
    **overrides
        ``name=value`` for names of `Limits`; unknown names raise
        [`InvalidArgumentError`][reptheory.errors.InvalidArgumentError].

    Examples
    --------
    >>> with resource_limits(max_order=10) as lim:
    ...     lim.max_order
    10
    """
    lim = replace(current_limits(), **_parse_overrides(overrides, "resource_limits"))
    token = _override.set(lim)
    try:
        yield lim
    finally:
        _override.reset(token)


def check_limit(name: str, estimate: float, what: str, hint: str = "") -> None:
    """Raise [`TooLargeError`][reptheory.errors.TooLargeError] when ``estimate`` exceeds limit ``name``.

    Examples
    --------
    >>> check_limit("max_dim", 10, "a representation")
    >>> check_limit("max_dim", 10**9, "a representation")
    Traceback (most recent call last):
    ...
    reptheory.errors.TooLargeError: a representation: estimated 1000000000 > limit max_dim=65536 ...
    """
    limit = getattr(current_limits(), name)
    if estimate > limit:
        est = int(estimate) if isinstance(estimate, int) or float(estimate).is_integer() else estimate
        shown = f"{float(estimate):.3g}" if estimate > 1e15 else str(est)
        msg = (
            f"{what}: estimated {shown} > limit {name}={limit} "
            f"(raise it with reptheory.resource_limits({name}=...) or {ENV_VAR})"
        )
        if hint:
            msg += f"; {hint}"
        raise TooLargeError(msg, estimate=est, limit=limit)


def check_array(shape: tuple[int, ...], what: str, itemsize: int = 8) -> None:
    """Refuse to allocate a dense array of ``shape`` when it would exceed ``max_bytes``.

    Examples
    --------
    >>> check_array((3, 1000, 1000), "images")
    >>> check_array((1, 10**6, 10**6), "images")
    Traceback (most recent call last):
    ...
    reptheory.errors.TooLargeError: images: estimated 8000000000000 bytes > limit max_bytes=1073741824 ...
    """
    n = itemsize
    for s in shape:
        n *= int(s)
    limit = current_limits().max_bytes
    if n > limit:
        raise TooLargeError(
            f"{what}: estimated {n} bytes > limit max_bytes={limit} for an array of shape "
            f"{tuple(int(s) for s in shape)} (raise it with reptheory.resource_limits(max_bytes=...) "
            f"or {ENV_VAR})",
            estimate=n,
            limit=limit,
        )
