"""The character table from the class algebra: Burnside's and Dixon–Schneider's method, shared.

Both [`character_table`][reptheory.characters.table.character_table] of an enumerated
[`FiniteGroup`][reptheory.groups.finite.FiniteGroup] and
[`permutation_character_table`][reptheory.characters.dixon.permutation_character_table] of a
[`PermutationGroup`][reptheory.groups.permutation.PermutationGroup] end here: they differ only in
how the *class matrices* are obtained (docs/explanation/routes.md#character-tables).  With the
class sums ``C_i`` and ``C_i C_j = Σ_k a_{ijk} C_k``, the matrix ``M_i[k, j] = a_{ijk}`` of
``Y ↦ C_i Y`` on the centre of the group algebra has the central characters
``ω_χ(C_i) = |K_i| χ(g_i) / χ(1)`` as eigenvalues, with common eigenvectors (the central
idempotents).  In the basis ``C_k / √|K_k|`` the matrix of a self-adjoint
``X = Σ_i β_i C_i`` (``β_{i*} = conj β_i``) is Hermitian; its eigenspaces are split by further
random elements until each is a line, then the degrees and the exact values follow (the lift
along the power maps and the verification are described in `reptheory.characters.table`).

* An enumerated group gives every ``M_i`` at once from one gather over the group.
* A permutation group gives ``M_s`` for a few *small* classes ``s`` only
  (``a_{sjk} = #{x ∈ K_s : x⁻¹ g_k ∈ K_j}``, the class ``K_s`` listed as a conjugation orbit);
  an eigenspace that the known class matrices cannot split asks for the next class
  (`ClassAlgebra.extend`), which is Dixon–Schneider's scheme.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, Protocol

import numpy as np

from reptheory._numerics.tolerance import tolerance
from reptheory.errors import ConvergenceError, ExactnessError

__all__: list[str] = []


class ClassAlgebra(Protocol):
    """The class matrices known so far (see `characters_from_class_algebra`)."""

    def left(self, beta: np.ndarray) -> np.ndarray: ...

    def extend(self, pending: list[np.ndarray]) -> bool: ...


def characters_from_class_algebra(
    name: str,
    n: int,
    sizes: np.ndarray,
    orders: np.ndarray,
    e: int,
    inv_class: np.ndarray,
    algebra: ClassAlgebra,
    power_classes: Callable[[int, int], np.ndarray],
    rng: np.random.Generator,
) -> tuple[list[np.ndarray], np.ndarray, np.ndarray, dict[str, Any]]:
    """Spectra, degrees, values and diagnostics of the irreducible characters (see the module docstring).

    Parameters
    ----------
    name : str
        The group's name, for messages.
    n : int
        ``|G|``.
    sizes, orders : ndarray, shape (r,)
        Class sizes and element orders.
    e : int
        The exponent of the group.
    inv_class : ndarray, shape (r,)
        Index of the class of ``g_k⁻¹``.
    algebra : ClassAlgebra
        ``algebra.left(β)[k, j]`` is the coefficient of ``C_k`` in ``X · C_j`` for
        ``X = Σ_i β_i C_i`` (the classes ``i`` it knows); ``algebra.extend(pending)`` adds class
        matrices when the known ones do not split the eigenspaces ``pending`` (orthonormal columns
        in the basis ``C_k / √|K_k|``); False when there are no more.
    power_classes : callable
        ``power_classes(k, o)``: the classes of ``g_k^j`` for ``j < o``.
    rng : numpy.random.Generator
    """
    r = len(sizes)
    sq = np.sqrt(sizes.astype(float))
    scale = sq[:, None] / sq[None, :]

    def hermitian(beta: np.ndarray) -> np.ndarray:
        N = algebra.left(beta) * scale
        return (N + N.conj().T) / 2

    # depth 0: a real self-adjoint element (real symmetric, cheap), which cannot separate
    # chi from conj(chi); deeper levels: complex ones, shared by all clusters of one level
    levels: list[np.ndarray] = []

    def level(depth: int) -> np.ndarray:
        while len(levels) <= depth:
            if not levels:
                a = rng.standard_normal(r)
                levels.append(hermitian(a + a[inv_class]).real)
            else:
                levels.append(hermitian(_random_central(rng, inv_class)))
        return levels[depth]

    vecs: list[np.ndarray] = []
    # breadth-first over levels: one GEMM with the level's element for all pending clusters
    w, U = np.linalg.eigh(level(0))
    pending = _clusters(w, U)
    depth = 1
    extensions = 0
    while pending:
        done_now = [V for V in pending if V.shape[1] == 1]
        vecs.extend(V[:, 0] for V in done_now)
        pending = [V.astype(complex) for V in pending if V.shape[1] > 1]
        if not pending:
            break
        if depth > 30 + extensions:
            raise ConvergenceError(f"character table of {name}: eigenvalue clusters could not be split")
        N = level(depth)
        allV = np.concatenate(pending, axis=1)
        NV = N @ allV
        nxt: list[np.ndarray] = []
        off = 0
        for V in pending:
            m = V.shape[1]
            w, U = np.linalg.eigh(V.conj().T @ NV[:, off : off + m])
            off += m
            nxt.extend(V @ Uc for Uc in _clusters(w, U))
        if len(nxt) == len(pending) and algebra.extend(nxt):
            del levels[depth + 1 :]  # later levels use the larger set of class matrices
            extensions += 1
        pending = nxt
        depth += 1
    if len(vecs) != r:  # pragma: no cover
        raise ConvergenceError(f"character table of {name}: found {len(vecs)} of {r} characters")
    Vm = np.stack(vecs)  # (r chars, r classes)
    f = Vm / sq[None, :] / Vm[:, :1]  # conj chi(g_k) / chi(1)
    deg_f = np.sqrt(n / (np.abs(f) ** 2 * sizes[None, :]).sum(axis=1))
    degrees = np.rint(deg_f).astype(np.int64)
    if np.abs(deg_f - degrees).max() > 1e-6 or (degrees * degrees).sum() != n:
        raise ExactnessError(f"character degrees of {name} are not integers summing (squared) to |G|: {deg_f}")
    chi = degrees[:, None] * f.conj()
    # exact lift via the power maps, one rational class at a time
    udeg = np.unique(degrees)
    spectra_by_deg = {int(d): np.zeros((int((degrees == d).sum()), r, int(d)), dtype=np.int64) for d in udeg}
    rows_by_deg = {int(d): np.flatnonzero(degrees == d) for d in udeg}
    margin = 0.0
    done = np.zeros(r, dtype=bool)
    for k in range(r):
        if done[k]:
            continue
        o = int(orders[k])
        Pk = power_classes(k, o)  # class of g_k^j, j < o
        mu, marg = _eigenvalue_multiplicities(chi, degrees, Pk, o)
        margin = max(margin, marg)
        if (mu < 0).any() or not np.array_equal(mu.sum(axis=1), degrees):
            raise ExactnessError(f"exact lift of the character table of {name} failed at class {k}")
        texp = np.arange(o) * (e // o)
        # Galois: chi(g^u) = sigma_u(chi(g)) for u prime to o, i.e. the spectrum times u
        units = [u for u in range(1, max(o, 2)) if math.gcd(u, o) == 1] if o > 1 else [1]
        uarr = np.asarray(units, dtype=np.int64)
        targets = Pk[uarr % o].astype(np.int64)  # the class of g_k^u for every unit u
        uniq, first, inv = np.unique(targets, return_index=True, return_inverse=True)
        for d, rows in rows_by_deg.items():
            m = mu[rows]
            flat = np.repeat(np.tile(texp, len(rows)), m.ravel()).reshape(len(rows), d)
            # all units at once: cand[u] = sorted spectrum of sigma_u(chi(g_k)), shape (units, rows, d)
            cand = _sorted_last((flat[None, :, :] * uarr[:, None, None]) % e)
            # Galois consistency, exactly: units landing on the same class must give the same spectra
            if len(uniq) < len(uarr) and not np.array_equal(cand, cand[first][inv.ravel()]):
                bad = int(targets[np.flatnonzero((cand != cand[first][inv.ravel()]).any(axis=(1, 2)))[0]])
                raise ExactnessError(
                    f"exact lift of the character table of {name}: Galois conjugation is "
                    f"inconsistent with the power map at class {bad}"
                )
            spectra_by_deg[d][:, uniq, :] = cand[first].transpose(1, 0, 2)
        done[uniq] = True
    if margin > 0.05:
        raise ExactnessError(f"exact lift of the character table of {name}: rounding margin {margin:.3g} too large")
    spectra: list[np.ndarray] = [np.empty(0)] * r
    for d, rows in rows_by_deg.items():
        for a, i in enumerate(rows):
            spectra[i] = spectra_by_deg[d][a]
    exact_vals = _eval_rows(spectra, degrees, e)
    agree = float(np.abs(exact_vals - chi).max())
    tol = tolerance().rtol
    # row orthogonality suffices (a square matrix with orthonormal rows has orthogonal columns)
    X = exact_vals.real if not exact_vals.imag.any() else exact_vals  # real tables: a real product
    rowo = (X * sizes[None, :]) @ X.conj().T / n - np.eye(r)
    res = float(np.abs(rowo).max())
    if agree > 1e-6 or res > tol * max(1.0, r):
        raise ExactnessError(
            f"character table of {name} failed verification: exact vs float {agree:.3g}, orthogonality {res:.3g}"
        )
    return spectra, degrees, exact_vals, {
        "rounding_margin": margin,
        "float_vs_exact": agree,
        "orthogonality_residual": res,
        "verified": "exact: Galois-consistent spectra, orthogonality defects are rational integers of size < 1/2",
    }


# ------------------------------------------------------------------ formatting helpers

def _eval_rows(spectra: list[np.ndarray], degrees: np.ndarray, e: int) -> np.ndarray:
    """Values of all rows, batched over rows of equal degree, shape (r, r)."""
    r = len(spectra)
    out = np.empty((r, spectra[0].shape[0]), dtype=np.complex128)
    for d in np.unique(degrees).tolist():
        rows = np.flatnonzero(degrees == d)
        out[rows] = _eval(np.stack([spectra[i] for i in rows]), e)
    return out


def _eval(spectrum: np.ndarray, e: int) -> np.ndarray:
    roots = np.exp(2j * np.pi * np.arange(e) / e)
    return roots[np.asarray(spectrum) % e].sum(axis=-1)


def _sorted_last(a: np.ndarray) -> np.ndarray:
    """``np.sort(a, axis=-1)``, without the sort for one or two entries (the common degrees)."""
    if a.shape[-1] == 1:
        return a
    if a.shape[-1] == 2:
        return np.stack([np.minimum(a[..., 0], a[..., 1]), np.maximum(a[..., 0], a[..., 1])], axis=-1)
    return np.sort(a, axis=-1)


def _eigenvalue_multiplicities(chi: np.ndarray, degrees: np.ndarray, Pk: np.ndarray, o: int) -> tuple[np.ndarray, float]:
    """``mu[i, s]``: multiplicity of the eigenvalue ``ζ_o^s`` of ``ρ_i(g)``, and the rounding margin.

    Rows of degree ≤ 2 (when ``o > 4``): the eigenvalues directly, ``λ = χ(g)``, or the
    roots of ``λ² − χ(g) λ + (χ(g)² − χ(g²))/2`` rounded to ``o``-th roots of unity
    (margin: distance to the root over the spacing ``|ζ_o − 1|``; ``O(r)``).  Other rows,
    and rows whose rounding is not clear-cut: the discrete Fourier transform along the
    powers, ``μ_s = (1/o) Σ_j χ(g^j) ζ_o^{−sj}`` (``O(r o log o)``).
    """
    r = chi.shape[0]
    mu = np.zeros((r, o), dtype=np.int64)
    margin = 0.0
    dft = np.ones(r, dtype=bool)
    if o > 4:
        spacing = abs(np.exp(2j * np.pi / o) - 1)
        a = chi[:, Pk[1]].astype(np.complex128)
        lams: list[tuple[np.ndarray, np.ndarray]] = []
        one = np.flatnonzero(degrees == 1)
        lams.append((one, a[one][:, None]))
        two = np.flatnonzero(degrees == 2)
        if two.size:
            aa, bb = a[two], chi[two, Pk[2]]
            disc = np.sqrt(aa * aa - 2 * (aa * aa - bb))
            lams.append((two, np.stack([(aa + disc) / 2, (aa - disc) / 2], axis=1)))
        for rows, lam in lams:
            if not rows.size:
                continue
            t = np.rint(np.angle(lam) * o / (2 * np.pi)).astype(np.int64) % o
            err = np.abs(lam - np.exp(2j * np.pi * t / o)).max(axis=1) / spacing
            ok = err < 0.05
            if ok.any():
                np.add.at(mu, (np.repeat(rows[ok], lam.shape[1]), t[ok].ravel()), 1)
                dft[rows[ok]] = False
                margin = max(margin, float(err[ok].max()))
    rows = np.flatnonzero(dft)
    if rows.size:
        mu_f = np.fft.fft(chi[rows][:, Pk], axis=1) / o
        m = np.rint(mu_f.real).astype(np.int64)
        margin = max(margin, float(np.abs(mu_f - m).max()))
        mu[rows] = m
    return mu, margin


def _clusters(w: np.ndarray, U: np.ndarray) -> list[np.ndarray]:
    """Split eigenvectors ``U`` by gaps in the sorted eigenvalues ``w``."""
    spread = max(1.0, float(np.abs(w).max()))
    cuts = np.flatnonzero(np.diff(w) > 1e-7 * spread) + 1
    return [U[:, p] for p in np.split(np.arange(len(w)), cuts)]


def _random_central(rng: np.random.Generator, inv_class: np.ndarray) -> np.ndarray:
    r = len(inv_class)
    a = rng.standard_normal(r) + 1j * rng.standard_normal(r)
    return a + a[inv_class].conj()


