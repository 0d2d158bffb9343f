"""Argument checks for matrices and stacks of matrices (private; no group concepts)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from reptheory.errors import DimensionMismatchError, InvalidArgumentError

__all__ = ["as_square_matrix", "block_diag", "check_dense_bytes", "check_keywords", "is_sympy"]

def check_dense_bytes(nbytes: float, what: str, hint: str = "") -> None:
    """Raise [`TooLargeError`][reptheory.errors.TooLargeError] before a dense step that would allocate ``nbytes``.

    The limit is the resource policy's ``max_bytes`` (`reptheory._numerics.limits`, overridable
    with `reptheory.resource_limits`).

    Examples
    --------
    >>> from reptheory.errors import TooLargeError
    >>> check_dense_bytes(8 * 100**2, "a 100x100 matrix")
    >>> try:
    ...     check_dense_bytes(8 * 10**6 * 10**6, "a 10^6 x 10^6 matrix")
    ... except TooLargeError as err:
    ...     print(err.estimate > err.limit)
    True
    """
    from reptheory._numerics.limits import check_limit

    check_limit("max_bytes", float(nbytes), f"{what} (bytes)", hint)


def is_sympy(x: Any) -> bool:
    return type(x).__module__.startswith("sympy")


def block_diag(blocks: Sequence[np.ndarray]) -> np.ndarray:
    n = sum(b.shape[0] for b in blocks)
    dt = np.result_type(*blocks)
    out = np.zeros((n, n), dtype=dt)
    o = 0
    for b in blocks:
        out[o : o + b.shape[0], o : o + b.shape[0]] = b
        o += b.shape[0]
    return out


def as_square_matrix(m: Any, where: str) -> np.ndarray:
    """One matrix argument as float64 or complex128 (sympy matrices evaluated), checked square and finite."""
    a: np.ndarray
    try:
        if is_sympy(m):
            a = np.array(m.evalf(30).tolist(), dtype=np.complex128)
            if not np.abs(a.imag).any():
                a = a.real.copy()
        else:
            a = np.asarray(m)
            if a.dtype.kind not in "fciub":
                raise TypeError
            a = a.astype(np.complex128 if a.dtype.kind == "c" else np.float64)
    except (TypeError, ValueError):
        raise InvalidArgumentError(f"{where} is not a numeric matrix") from None
    if a.ndim != 2 or a.shape[0] != a.shape[1]:
        raise DimensionMismatchError(f"{where} must be a square matrix, got shape {a.shape}")
    if not np.isfinite(a).all():
        raise InvalidArgumentError(f"{where} has non-finite entries (NaN or inf)")
    return a


def check_keywords(kwargs: dict[str, Any], accepted: Sequence[str], where: str) -> None:
    """Raise [`InvalidArgumentError`][reptheory.errors.InvalidArgumentError] naming unknown keywords.

    For public functions that forward ``**kwargs``: the caller gets the library's typed error
    (naming the keyword and the accepted ones) instead of a bare ``TypeError`` from deep inside.

    Examples
    --------
    >>> check_keywords({"rng": 0}, ["rng"], "decompose")
    >>> check_keywords({"seed": 0}, ["rng"], "decompose")
    Traceback (most recent call last):
    ...
    reptheory.errors.InvalidArgumentError: decompose() got unknown keyword argument 'seed'; accepted: rng
    """
    unknown = sorted(set(kwargs) - set(accepted))
    if unknown:
        listed = ", ".join(repr(u) for u in unknown)
        raise InvalidArgumentError(
            f"{where}() got unknown keyword argument{'s' if len(unknown) > 1 else ''} {listed}; "
            f"accepted: {', '.join(accepted) or 'none'}"
        )
