"""Offline data generators for the experiments (BENCHMARKS.md section 2).

Every generator takes an explicit ``rng`` (``np.random.Generator`` or an integer seed) and
returns float64 NumPy arrays; nothing is downloaded.

* T1 :func:`disk_data` ("approximate invariance": a rotation-symmetric disk against a wedge of a
  ring) and :func:`wavey_rings` (two rings whose radius is modulated by ``σ sin 5θ``);
* T2 :func:`inertia_data` (the inertia tensor of five point masses, O(3)-equivariant) with the
  Modified-Inertia breaking term ``ε (I e_z) e_z^T`` and a "none" setting ``A I A^T``;
* T3 :func:`o5_data` (O5Synthetic with the σ breaking term of ashiq24/soft-equivariance);
* T4 :func:`smooth_fields` and :func:`advect_diffuse` (periodic 2-D fields and the exact
  Fourier-space solution of ``u_t = κ_x u_xx + κ_y u_yy − c·∇u``).

Examples
--------
>>> X, y = disk_data(rng=3)
>>> X.shape, sorted(set(y.tolist()))
((200, 2), [0.0, 1.0])
>>> X, Y = inertia_data(8, eps=0.0, rng=0)
>>> X.shape, Y.shape
((8, 20), (8, 9))
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = [
    "advect_diffuse",
    "disk_data",
    "inertia_data",
    "inertia_tensor",
    "o5_data",
    "smooth_fields",
    "wavey_rings",
]


def _rng(rng: Any) -> np.random.Generator:
    return rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)


# --------------------------------------------------------------------------- T1: SO(2) toys
def disk_data(n_per_class: int = 100, rng: Any = 3) -> tuple[np.ndarray, np.ndarray]:
    """Data A of Berndt & Stühmer (2026), Section 4.1: a disk against a wedge of a ring.

    Class 1 (label 1.0): ``n_per_class`` points uniform (in area) in the unit disk.  Class 0
    (label 0.0): radius uniform in ``[2.3, 3.0]`` and angle uniform in ``[−π/4, π/4]``.  The second
    class breaks the rotation symmetry.

    Returns
    -------
    X : ndarray, shape (2 n_per_class, 2)
    y : ndarray, shape (2 n_per_class,)
    """
    g = _rng(rng)
    r1 = np.sqrt(g.uniform(0.0, 1.0, n_per_class))
    t1 = g.uniform(-np.pi, np.pi, n_per_class)
    r2 = g.uniform(2.3, 3.0, n_per_class)
    t2 = g.uniform(-np.pi / 4, np.pi / 4, n_per_class)
    r = np.concatenate([r1, r2])
    t = np.concatenate([t1, t2])
    X = np.stack([r * np.cos(t), r * np.sin(t)], axis=1)
    y = np.concatenate([np.ones(n_per_class), np.zeros(n_per_class)])
    return X, y


def wavey_rings(sigma: float, n_per_class: int = 350, rng: Any = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two noisy rings with radius modulated by ``σ sin 5θ`` ("wavey rings", T1 data B).

    ``r = r_0 + σ sin(5θ) + u``, ``u ~ U[−w, w]``, θ uniform; ring 1: ``r_0 = 1.1, w = 0.15``
    (label 1.0), ring 2: ``r_0 = 2.2, w = 0.22`` (label 0.0).  σ = 0 is exactly rotation invariant;
    σ > 0 keeps only the C5 symmetry.

    Returns
    -------
    X : ndarray, shape (2 n_per_class, 2)
    y : ndarray, shape (2 n_per_class,)
    """
    g = _rng(rng)
    out_X, out_y = [], []
    for r0, w, label in ((1.1, 0.15, 1.0), (2.2, 0.22, 0.0)):
        t = g.uniform(-np.pi, np.pi, n_per_class)
        r = r0 + sigma * np.sin(5 * t) + g.uniform(-w, w, n_per_class)
        out_X.append(np.stack([r * np.cos(t), r * np.sin(t)], axis=1))
        out_y.append(np.full(n_per_class, label))
    return np.concatenate(out_X), np.concatenate(out_y)


# --------------------------------------------------------------------------- T2: inertia
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


# --------------------------------------------------------------------------- T3: O5Synthetic
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


def o5_stats() -> tuple[float, float]:
    """Mean and standard deviation of the invariant O5Synthetic target (10⁵ samples, seed 0)."""
    _, y = o5_data(100_000, 0.0, rng=np.random.default_rng(987654))
    return float(y.mean()), float(y.std())


# --------------------------------------------------------------------------- T4: grid fields
def _wavenumbers(n: int) -> np.ndarray:
    k = 2 * np.pi * np.fft.fftfreq(n)
    k[n // 2] = 0.0 if n % 2 == 0 else k[n // 2]
    return k


def smooth_fields(count: int, n: int = 32, width: float = 2.0, rng: Any = 0) -> np.ndarray:
    """Periodic white noise smoothed by a Gaussian of ``width`` pixels (in Fourier space).

    The Nyquist row and column are zeroed so that every later Fourier operation stays real; the
    fields are scaled to unit standard deviation over the whole batch.

    Returns
    -------
    ndarray, shape (count, n, n)
    """
    g = _rng(rng)
    noise = g.standard_normal((count, n, n))
    k = 2 * np.pi * np.fft.fftfreq(n)
    ky, kx = np.meshgrid(k, k, indexing="ij")
    filt = np.exp(-0.5 * width**2 * (kx**2 + ky**2))
    if n % 2 == 0:
        filt[n // 2, :] = 0.0
        filt[:, n // 2] = 0.0
    u = np.fft.ifft2(np.fft.fft2(noise) * filt).real
    return u / u.std()


def advect_diffuse(u: np.ndarray, T: float = 2.0, kappa: float = 0.5, eps: float = 0.0,
                   drift: tuple[float, float] = (0.0, 0.0)) -> np.ndarray:
    """Exact solution of ``u_t = κ_x u_xx + κ_y u_yy − c·∇u`` after time T (periodic grid).

    ``κ_x = κ(1 + ε)``, ``κ_y = κ(1 − ε)``; x is the column axis, y the row axis.  Each Fourier
    mode is multiplied by ``exp(−(κ_x k_x² + κ_y k_y²) T − i (c·k) T)``.  ``ε = 0, c = 0`` is
    D4-equivariant (with translations); ``ε ≠ 0`` keeps the flips and the half-turn (D2).

    Parameters
    ----------
    u : ndarray, shape (..., n, n)

    Returns
    -------
    ndarray, same shape
    """
    n = u.shape[-1]
    k = _wavenumbers(n)
    ky, kx = np.meshgrid(k, k, indexing="ij")
    kx_c, ky_c = kappa * (1 + eps), kappa * (1 - eps)
    mult = np.exp(-(kx_c * kx**2 + ky_c * ky**2) * T - 1j * (drift[0] * kx + drift[1] * ky) * T)
    return np.fft.ifft2(np.fft.fft2(u) * mult).real
