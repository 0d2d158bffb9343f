"""Offline data generators for the experiments (``docs/results.md``).

Every generator takes an explicit ``rng`` (``np.random.Generator`` or an integer seed) and
returns float64 NumPy arrays; nothing is downloaded.

* :func:`inertia_data`: the inertia tensor of five point masses (O(3)-equivariant, EMLP's
  ``Inertia``) with the Modified-Inertia breaking term ``ε (I e_z) e_z^T`` (RPP);
* :func:`o5_data`: O5Synthetic with the σ breaking term of ashiq24/soft-equivariance, raw units;
* :func:`shapes_data`: 32×32 images of ellipses and rectangles at random orientations whose
  target has an orientation-dependent term of strength ε.

Examples
--------
>>> X, Y = inertia_data(8, eps=0.0, rng=0)
>>> X.shape, Y.shape
((8, 20), (8, 9))
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = [
    "inertia_data",
    "inertia_tensor",
    "o5_data",
    "shapes_data",
]


def _rng(rng: Any) -> np.random.Generator:
    return rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)


# --------------------------------------------------------------------------- inertia
def inertia_tensor(X: np.ndarray) -> np.ndarray:
    """``I(x) = Σ_i m_i (‖r_i‖² I_3 − r_i r_iᵀ)`` with ``m_i = softplus(x_i)``, flattened row-major.

    Parameters
    ----------
    X : ndarray, shape (n, 20)
        Columns 0–4 are the raw masses, columns 5–19 the positions ``r_i`` (5 × 3, row-major).

    Returns
    -------
    ndarray, shape (n, 9)
    """
    m = np.logaddexp(0.0, X[:, :5])
    r = X[:, 5:].reshape(-1, 5, 3)
    sq = np.einsum("nij,nij->ni", r, r)
    inertia = np.einsum("ni,ni->n", m, sq)[:, None, None] * np.eye(3) - np.einsum("ni,nij,nik->njk", m, r, r)
    return inertia.reshape(-1, 9)


def inertia_data(n: int, eps: float = 0.0, *, setting: str = "modified", rng: Any = 0) -> tuple[np.ndarray, np.ndarray]:
    """Inertia (``eps = 0``), Modified Inertia (``Y = I + ε (I e_z) e_z^T``) or "none" (``A I Aᵀ``).

    Inputs ``x ~ N(0, I_20)``; input rep ``5·0e ⊕ 5·1o``, output ``V ⊗ V`` of O(3).  Modified
    Inertia stays equivariant exactly for the ``R`` with ``R e_z = ±e_z``.  ``setting="none"``
    uses one fixed random matrix ``A`` (seed 12345), which keeps no symmetry.

    Returns
    -------
    X : ndarray, shape (n, 20)
    Y : ndarray, shape (n, 9)
    """
    g = _rng(rng)
    X = g.standard_normal((n, 20))
    inertia = inertia_tensor(X).reshape(n, 3, 3)
    if setting == "none":
        A = np.random.default_rng(12345).standard_normal((3, 3)) / np.sqrt(3) + np.eye(3)
        Y = np.einsum("ij,njk,lk->nil", A, inertia, A)
    elif setting == "modified":
        ez = np.array([0.0, 0.0, 1.0])
        Y = inertia + eps * np.einsum("nij,j,k->nik", inertia, ez, ez)
    else:
        raise ValueError(f"setting={setting!r} is not 'modified' or 'none'")
    return X, Y.reshape(n, 9)


# --------------------------------------------------------------------------- O5Synthetic
def o5_data(n: int, sigma: float = 0.0, rng: Any = 0, *, stats: tuple[float, float] = (0.0, 1.0)) -> tuple[np.ndarray, np.ndarray]:
    """O5Synthetic with the σ breaking term (EMLP; Rahman et al. 2026).

    ``y = (sin‖r_1‖ − ½‖r_2‖³ + <r_1, r_2>/(‖r_1‖‖r_2‖) − μ)/s`` (O(5)-invariant; ``(μ, s) = stats``),
    then ``y += σ (|r_1[0]| + |r_1[1]| + |r_2[0]| + |r_2[1]|) / (|r_1[2]| + |r_1[3]| + |r_2[2]| + |r_2[3]| + 1)``.

    Returns
    -------
    X : ndarray, shape (n, 10)
        ``(r_1, r_2)``, input rep ``2·V`` of O(5).
    y : ndarray, shape (n, 1)
    """
    g = _rng(rng)
    X = g.standard_normal((n, 10))
    r1, r2 = X[:, :5], X[:, 5:]
    n1, n2 = np.linalg.norm(r1, axis=1), np.linalg.norm(r2, axis=1)
    y = np.sin(n1) - 0.5 * n2**3 + np.einsum("ni,ni->n", r1, r2) / (n1 * n2)
    y = (y - stats[0]) / stats[1]
    a = np.abs(X)
    y = y + sigma * (a[:, 0] + a[:, 1] + a[:, 5] + a[:, 6]) / (a[:, 2] + a[:, 3] + a[:, 7] + a[:, 8] + 1.0)
    return X, y[:, None]


# --------------------------------------------------------------------------- rotated shapes
def shapes_data(n: int, eps: float = 0.0, *, size: int = 32, rng: Any = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Images of one ellipse or rectangle at a uniform random orientation, and a scalar target.

    Semi-axes ``a ~ U[4, 9]``, ``b ~ U[1.5, a]`` pixels, orientation ``θ ~ U[0, 2π)`` of the
    major axis ``(cos θ, sin θ)`` in (row, col) coordinates, centre jittered by ``U[−1.5, 1.5]``
    pixels about the image centre; edges anti-aliased by a logistic of the signed distance
    (width 0.5 px).  Target

    ``y = a b / 25 + 0.5 [rectangle] + ε · 4 e cos 2θ``,  ``e = (a − b)/(a + b)``,

    rotation invariant for ``ε = 0`` (up to the pixel grid); the ε term depends on the
    orientation and vanishes for round shapes.

    Returns
    -------
    X : ndarray, shape (n, 1, size, size)
    y : ndarray, shape (n, 1)
    theta : ndarray, shape (n,)

    Examples
    --------
    >>> X, y, th = shapes_data(4, 0.5, rng=0)
    >>> X.shape, y.shape, bool(0.0 <= X.min() and X.max() <= 1.0)
    ((4, 1, 32, 32), (4, 1), True)
    """
    g = _rng(rng)
    a = g.uniform(4.0, 9.0, n)
    b = 1.5 + g.uniform(0.0, 1.0, n) * (a - 1.5)
    theta = g.uniform(0.0, 2 * np.pi, n)
    rect = g.random(n) < 0.5
    centre = (size - 1) / 2 + g.uniform(-1.5, 1.5, (n, 2))
    u = np.arange(size, dtype=float)
    U0 = u[None, :, None] - centre[:, 0, None, None]
    U1 = u[None, None, :] - centre[:, 1, None, None]
    c, s = np.cos(theta)[:, None, None], np.sin(theta)[:, None, None]
    p = c * U0 + s * U1  # along the major axis
    q = -s * U0 + c * U1
    A, B = a[:, None, None], b[:, None, None]
    sd_ell = (np.sqrt((p / A) ** 2 + (q / B) ** 2) - 1.0) * B
    sd_rect = np.maximum(np.abs(p) - A, np.abs(q) - B)
    sd = np.where(rect[:, None, None], sd_rect, sd_ell)
    X = 1.0 / (1.0 + np.exp(np.clip(sd / 0.5, -50, 50)))
    e = (a - b) / (a + b)
    y = a * b / 25.0 + 0.5 * rect + eps * 4.0 * e * np.cos(2 * theta)
    return X[:, None], y[:, None], theta
