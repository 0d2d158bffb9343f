"""Argument checks for matrices and stacks of matrices (private; no group concepts)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from reptheory.errors import DimensionMismatchError, InvalidArgumentError, TooLargeError

__all__ = ["MAX_DENSE_BYTES", "as_square_matrix", "block_diag", "check_dense_bytes", "is_sympy"]

#: Largest peak memory (bytes) a dense step may allocate; larger requests raise TooLargeError before allocating.
MAX_DENSE_BYTES = 2 * 2**30


def check_dense_bytes(nbytes: float, what: str, hint: str = "") -> None:
    """Raise [`TooLargeError`][reptheory.errors.TooLargeError] before a dense allocation of ``nbytes`` above `MAX_DENSE_BYTES`.

    Examples
    --------
    >>> check_dense_bytes(8 * 100**2, "a 100x100 matrix")
    >>> try:
    ...     check_dense_bytes(8 * 10**6 * 10**6, "a 10^6 x 10^6 matrix")
    ... except TooLargeError as err:
    ...     print(err.estimate > err.limit)
    True
    """
    if nbytes > MAX_DENSE_BYTES:
        raise TooLargeError(
            f"{what} would allocate about {nbytes / 2**30:.2f} GiB (limit {MAX_DENSE_BYTES / 2**30:.0f} GiB)"
            + (f"; {hint}" if hint else ""),
            estimate=float(nbytes),
            limit=float(MAX_DENSE_BYTES),
        )

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
