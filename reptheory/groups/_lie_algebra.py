"""Lie-algebra helpers of :mod:`reptheory.groups.lie`: argument parsing, structure constants, compactness.

A basis ``X_1 … X_m`` of a Lie algebra of ``n × n`` matrices closes under the bracket,
``[X_a, X_b] = Σ_c f_ab^c X_c``; the structure constants ``f`` are found by least squares on the
flattened basis and checked.  The algebra is compact (has a Haar measure on its group) when every
``X_a`` is skew-symmetric (skew-Hermitian) in some basis; :func:`_check_compact` decides this from
the Killing form.

Examples
--------
>>> import numpy as np
>>> Lx = np.array([[0.0, 0, 0], [0, 0, -1], [0, 1, 0]])
>>> Ly = np.array([[0.0, 0, 1], [0, 0, 0], [-1, 0, 0]])
>>> Lz = np.array([[0.0, -1, 0], [1, 0, 0], [0, 0, 0]])
>>> f, residual = structure_constants(np.stack([Lx, Ly, Lz]))
>>> float(f[0, 1, 2])    # [Lx, Ly] = Lz
1.0
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from reptheory._numerics.arrays import as_square_matrix, is_sympy
from reptheory._numerics.tolerance import relative_error, tolerance
from reptheory.errors import DimensionMismatchError, InvalidArgumentError, NonCompactError

if TYPE_CHECKING:
    from reptheory.groups.lie import CompactLieGroup

__all__ = ["exact_structure_constants", "structure_constants"]


def _rng(rng: Any) -> np.random.Generator:
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None or isinstance(rng, (int, np.integer)):
        return np.random.default_rng(rng)
    raise InvalidArgumentError(f"rng must be a numpy Generator, an int seed or None, got {type(rng).__name__}")


def _parse_stack(mats: Any, argname: str, *, allow_empty: bool = True) -> tuple[np.ndarray, tuple[Any, ...] | None]:
    """Matrices → float/complex array (m, n, n) plus exact sympy copies (integer or sympy input)."""
    if isinstance(mats, np.ndarray) and mats.ndim == 3:
        lst = list(mats)
    elif isinstance(mats, np.ndarray) and mats.ndim == 2:
        raise DimensionMismatchError(f"{argname} must be a sequence of square matrices, got one matrix of shape {mats.shape}")
    else:
        try:
            lst = list(mats)
        except TypeError:
            raise InvalidArgumentError(f"{argname} must be a sequence of square matrices, got {type(mats).__name__}") from None
    if not lst:
        if allow_empty:
            return np.zeros((0, 0, 0)), ()
        raise DimensionMismatchError(f"{argname} is empty")
    arrs = [as_square_matrix(m, f"{argname}[{i}]") for i, m in enumerate(lst)]
    # exact copies exist for sympy and integer input only
    exact_ok = all(is_sympy(m) or np.asarray(m).dtype.kind in "iub" for m in lst)
    n = arrs[0].shape[0]
    for i, a in enumerate(arrs):
        if a.shape != (n, n):
            raise DimensionMismatchError(f"{argname}[{i}] has shape {a.shape}, expected ({n}, {n})")
    arr = np.stack(arrs)
    if arr.dtype.kind == "c" and not np.abs(arr.imag).any():
        arr = arr.real.copy()
    exact = None
    if exact_ok:
        import sympy

        exact = tuple(
            sympy.ImmutableMatrix(m) if is_sympy(m) else sympy.ImmutableMatrix(np.asarray(m).astype(np.int64).tolist())
            for m in lst
        )
    return arr, exact


def _real_flat(X: np.ndarray) -> np.ndarray:
    """(m, n, n) → (m, n²) real (complex entries as real and imaginary parts)."""
    flat = X.reshape(X.shape[0], -1)
    if np.iscomplexobj(flat):
        flat = np.concatenate([flat.real, flat.imag], axis=1)
    return flat


def structure_constants(basis: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Structure constants ``f`` with ``[X_a, X_b] = Σ_c f[a, b, c] X_c`` and the residuals.

    Parameters
    ----------
    basis : ndarray, shape (a, n, n)
        Linearly independent matrices.

    Returns
    -------
    f : ndarray, shape (a, a, a)
        Least-squares coefficients (real).
    residual : ndarray, shape (a, a)
        ``relative_error([X_a, X_b], Σ_c f_abc X_c)``; non-zero entries mean the span
        is not closed under the bracket.

    Notes
    -----
    One least-squares solve with ``a²`` right-hand sides: ``O(a² n² · a)``.

    Examples
    --------
    >>> import numpy as np
    >>> L = np.array([[[0, 0, 0], [0, 0, -1], [0, 1, 0]], [[0, 0, 1], [0, 0, 0], [-1, 0, 0]],
    ...               [[0, -1, 0], [1, 0, 0], [0, 0, 0]]], dtype=float)
    >>> f, res = structure_constants(L)
    >>> f[0, 1].tolist(), float(res.max()) < 1e-12
    ([0.0, 0.0, 1.0], True)
    """
    a = basis.shape[0]
    br = np.einsum("aij,bjk->abik", basis, basis)
    br = br - br.transpose(1, 0, 2, 3)
    B = _real_flat(basis)  # (a, N)
    rhs = _real_flat(br.reshape(a * a, *basis.shape[1:]))  # (a*a, N)
    f, *_ = np.linalg.lstsq(B.T, rhs.T, rcond=None)  # (a, a*a)
    f = f.T.reshape(a, a, a)
    recon = np.einsum("abc,cij->abij", f, basis)
    scale = np.maximum(1.0, np.maximum(np.linalg.norm(br, axis=(2, 3)), np.linalg.norm(recon, axis=(2, 3))))
    residual = np.linalg.norm(br - recon, axis=(2, 3)) / scale
    return _snap(f), residual


def _snap(x: np.ndarray) -> np.ndarray:
    """Round values within 1e-13 of a 12-digit decimal to it (removes least-squares noise; −0.0 → 0.0)."""
    r = np.round(x, 12)
    return np.where(np.abs(x - r) < 1e-13, r, x) + 0.0


def _is_skew(X: np.ndarray, tol: float) -> bool:
    return relative_error(X.conj().T, -X) <= tol


def _check_compact(X: np.ndarray, f: np.ndarray, argname: str) -> None:
    """Raise NonCompactError when the algebra cannot be the Lie algebra of a compact group."""
    a = X.shape[0]
    ad = np.transpose(f, (0, 2, 1))  # ad(X_a)[c, b] = f[a, b, c]
    killing = np.einsum("aij,bji->ab", ad, ad)
    ev = np.linalg.eigvalsh((killing + killing.T) / 2)
    tol = tolerance().rtol * max(1.0, float(np.abs(ev).max(initial=0)))
    bad = ""
    if ev.size and ev.max() > tol:
        bad = f"its Killing form has a positive eigenvalue ({ev.max():.3g})"
    else:
        for i in range(a):
            w = np.linalg.eigvals(X[i])
            if np.abs(w.real).max() > tolerance().rtol * max(1.0, float(np.abs(w).max())):
                bad = f"{argname}[{i}] has eigenvalues with non-zero real part, so exp(t X) is unbounded"
                break
            if np.abs(w).max() <= tolerance().rtol * max(1.0, float(np.linalg.norm(X[i]))) and np.linalg.norm(X[i]) > 0:
                bad = f"{argname}[{i}] is nilpotent, so exp(t X) is unbounded"
                break
    if bad:
        raise NonCompactError(
            f"the Lie algebra spanned by {argname} is not compact: {bad}. A non-compact group has no "
            "finite Haar measure, so no Reynolds projector, Haar sampling or orthogonal decomposition "
            "exists; pass allow_noncompact=True to use it for commutant (constraint-only) computations"
        )


def _periods(X: np.ndarray) -> list[float | None]:
    """For each basis element, the smallest T > 0 with exp(T X) = I in the defining rep (None if none found)."""
    out: list[float | None] = []
    for x in X:
        w = np.linalg.eigvals(x).imag
        w = np.abs(w[np.abs(w) > 1e-9])
        if w.size == 0:
            out.append(None)
            continue
        wmin = w.min()
        ok = None
        for q in range(1, 13):
            r = w * q / wmin
            if np.all(np.abs(r - np.round(r)) < 1e-8):
                ok = 2 * np.pi * q / wmin
                break
        out.append(ok)
    return out


def exact_structure_constants(self: CompactLieGroup) -> Any:
    """See :attr:`reptheory.groups.lie.CompactLieGroup.exact_structure_constants`."""
    from reptheory.errors import ExactnessError

    if self.exact_lie_algebra is None:
        raise ExactnessError(f"{self.name} has float generators; no exact structure constants")
    import sympy

    a = self.lie_dim
    B = sympy.Matrix([[e for e in X] for X in self.exact_lie_algebra]).T  # (n², a)
    out = sympy.MutableDenseNDimArray.zeros(a, a, a)
    for i in range(a):
        for j in range(a):
            Xi, Xj = self.exact_lie_algebra[i], self.exact_lie_algebra[j]
            br = sympy.Matrix(list(Xi * Xj - Xj * Xi))
            sol = B.solve_least_squares(br) if a else sympy.Matrix([])
            for c in range(a):
                out[i, j, c] = sympy.nsimplify(sol[c])
    return sympy.ImmutableDenseNDimArray(out)
