"""The single tolerance policy used by all numeric code and by the tests.

Every floating-point comparison in `reptheory` and [`penalties`][penalties] goes
through [`tolerance`][reptheory._numerics.tolerance.tolerance], which maps a dtype to ``(rtol, atol)``.  The policy is

$$
\\mathrm{rtol} = \\mathrm{atol} = \\varepsilon^{2/3},
$$

with $\\varepsilon$ the machine epsilon of the dtype: about ``3.7e-11`` for
float64, ``2.4e-5`` for float32, ``9.9e-3`` for float16 and ``3.9e-2`` for
bfloat16.  Two arrays are *close* when
``‖a − b‖_F ≤ rtol · max(1, ‖a‖_F, ‖b‖_F)``: the error is measured relative to
the size of the operands, so large representations do not need looser literals.
Rank decisions (nullspaces, eigenvalue clusters) cut singular values below
``rank_rtol(dtype) · σ_max``, with the same relative threshold.

Examples
--------
>>> from reptheory._numerics.tolerance import tolerance
>>> t = tolerance("float64")
>>> 1e-11 < t.rtol < 1e-10
True
>>> tolerance("float32").rtol > t.rtol
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["Tolerance", "tolerance", "is_close", "relative_error", "rank_rtol", "dtype_name"]

_EPS = {
    "float64": float(np.finfo(np.float64).eps),
    "complex128": float(np.finfo(np.float64).eps),
    "float32": float(np.finfo(np.float32).eps),
    "complex64": float(np.finfo(np.float32).eps),
    "float16": float(np.finfo(np.float16).eps),
    "bfloat16": 2.0**-7,
}


@dataclass(frozen=True)
class Tolerance:
    """Relative and absolute tolerance for one dtype.

    Examples
    --------
    >>> Tolerance(rtol=1e-6, atol=1e-6).rtol
    1e-06
    """

    rtol: float
    atol: float


def dtype_name(dtype: Any) -> str:
    """Normalise a numpy dtype, a torch dtype, a Python type or a string to a name.

    Examples
    --------
    >>> dtype_name(float), dtype_name("float32")
    ('float64', 'float32')
    """
    if dtype is None or dtype is float:
        return "float64"
    if dtype is complex:
        return "complex128"
    text = str(dtype)
    for name in ("bfloat16", "float16", "float32", "float64", "complex64", "complex128"):
        if text.endswith(name):
            return name
    try:
        return np.dtype(dtype).name
    except TypeError:
        return text


def tolerance(dtype: Any = "float64") -> Tolerance:
    """Return the tolerance of the policy for ``dtype`` (see the module docstring).

    Parameters
    ----------
    dtype
        A numpy dtype, torch dtype, Python type or name; ``None`` means float64.
        Integer and object (exact) dtypes get float64's tolerance.

    Examples
    --------
    >>> tolerance("bfloat16").rtol > tolerance("float16").rtol
    True
    """
    name = dtype_name(dtype)
    eps = _EPS.get(name, _EPS["float64"])
    value = eps ** (2.0 / 3.0)
    return Tolerance(rtol=value, atol=value)


def rank_rtol(dtype: Any = "float64") -> float:
    """Relative singular-value cut-off for rank decisions (``σ ≤ rank_rtol · σ_max`` is zero).

    Examples
    --------
    >>> rank_rtol() == tolerance().rtol
    True
    """
    return tolerance(dtype).rtol


def relative_error(a: Any, b: Any) -> float:
    """``‖a − b‖_F / max(1, ‖a‖_F, ‖b‖_F)``, the scale-aware error used by all checks.

    Examples
    --------
    >>> round(relative_error([[1.0, 0.0]], [[1.0, 1e-3]]), 6)
    0.001
    """
    a = np.asarray(a)
    b = np.asarray(b)
    scale = max(1.0, float(np.linalg.norm(a)), float(np.linalg.norm(b)))
    return float(np.linalg.norm(a - b)) / scale


def is_close(a: Any, b: Any, dtype: Any = None) -> bool:
    """Whether ``a`` and ``b`` agree within the policy's tolerance for ``dtype``.

    ``dtype`` defaults to the wider of the two arrays' dtypes.

    Examples
    --------
    >>> is_close([1.0, 2.0], [1.0, 2.0 + 1e-14])
    True
    >>> is_close([1.0, 2.0], [1.0, 2.0 + 1e-6])
    False
    """
    a = np.asarray(a)
    b = np.asarray(b)
    if dtype is None:
        kinds = [x.dtype for x in (a, b) if x.dtype.kind in "fc"]
        dtype = max(kinds, key=lambda d: np.finfo(d).eps) if kinds else np.float64
    return relative_error(a, b) <= tolerance(dtype).rtol
