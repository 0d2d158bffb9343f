"""The compact classical groups ``U(n)``, ``SU(n)`` and ``Sp(n)`` (docs/explanation/lie-groups.md#classical-groups).

Lie-algebra bases (real coordinates, skew-Hermitian matrices, ``E_jk`` the matrix units):

* ``U(n)``: ``i E_jj`` (``j < n``), then for ``j < k``: ``E_jk − E_kj`` and ``i (E_jk + E_kj)``;
  dimension ``n²``.
* ``SU(n)``: ``i (E_jj − E_{j+1,j+1})`` (``j < n − 1``), then the same off-diagonal elements;
  dimension ``n² − 1``.
* ``Sp(n)`` (compact symplectic, ``U(2n) ∩ Sp(2n, ℂ)``): ``[[A, B], [−B̄, Ā]]`` with ``A`` running
  over the basis of ``u(n)`` (``B = 0``) and ``B`` over ``S_jk = E_jk + E_kj`` (``j < k``),
  ``E_jj``, and ``i`` times those (``A = 0``); dimension ``n(2n + 1)``.

The maximal torus is the diagonal one; `cartan_generators` gives ``H_j`` with
``exp(2π H_j) = I`` (``U(n)``: ``i E_jj``; ``SU(n)``: ``i (E_jj − E_nn)``; ``Sp(n)``:
``i (E_jj − E_{n+j,n+j})``), so weights are integer vectors and characters are Laurent
polynomials (`reptheory.characters.weyl`). Haar samples: the QR decomposition of a complex
Gaussian matrix with the phases of ``diag(R)`` absorbed (Mezzadri 2007), the determinant
divided out for ``SU(n)``; quaternionic Gram–Schmidt for ``Sp(n)``.

Examples
--------
>>> G = SU(3)
>>> G.lie_dim, G.n, G.is_complex
(8, 3, True)
>>> U(2).lie_dim, Sp(2).lie_dim, Sp(2).n
(4, 10, 4)
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np

from reptheory.errors import InvalidArgumentError
from reptheory.groups.lie import CompactLieGroup

__all__ = ["SU", "U", "Sp", "adjoint_representation", "cartan_generators"]


def _check(n: Any, lo: int, name: str) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < lo:
        raise InvalidArgumentError(f"{name}(n) needs an integer n >= {lo}, got {n!r}")
    return int(n)


def _E(n: int, j: int, k: int) -> np.ndarray:
    m = np.zeros((n, n), dtype=complex)
    m[j, k] = 1
    return m


def _offdiag(n: int) -> list[np.ndarray]:
    out = []
    for j in range(n):
        for k in range(j + 1, n):
            out.append(_E(n, j, k) - _E(n, k, j))
            out.append(1j * (_E(n, j, k) + _E(n, k, j)))
    return out


def _u_basis(n: int) -> list[np.ndarray]:
    return [1j * _E(n, j, j) for j in range(n)] + _offdiag(n)


def _su_basis(n: int) -> list[np.ndarray]:
    return [1j * (_E(n, j, j) - _E(n, j + 1, j + 1)) for j in range(n - 1)] + _offdiag(n)


def _sp_basis(n: int) -> list[np.ndarray]:
    out = []
    Z = np.zeros((n, n), dtype=complex)
    for A in _u_basis(n):
        out.append(np.block([[A, Z], [Z, A.conj()]]))
    for unit in (1.0, 1j):
        for j in range(n):
            for k in range(j, n):
                B = unit * (_E(n, j, k) + _E(n, k, j)) / (2 if j == k else 1)
                out.append(np.block([[Z, B], [-B.conj(), Z]]))
    return out


def _exact(mats: list[np.ndarray]) -> tuple[Any, ...]:
    import sympy

    def ent(z: complex) -> Any:
        return round(z.real) + sympy.I * round(z.imag)

    return tuple(sympy.ImmutableMatrix([[ent(z) for z in row] for row in m]) for m in mats)


def _group(mats: list[np.ndarray], name: str, kind: str, n: int) -> CompactLieGroup:
    X = np.stack(mats)
    d = X.shape[-1]
    # U(1) and SU(2) exist twice: here (basis of gl(n), labels by weights) and in lie_catalog
    # (U1: charges, SU2: spins, other bases).  Equal keys would make them equal groups, and every
    # cache keyed by the group would hand one the other's representations: keep the keys apart.
    key = f"catalog:{name}" if (kind, n) not in (("U", 1), ("SU", 2)) else f"catalog:{name}[{kind} basis]"
    return CompactLieGroup._build(
        X, np.zeros((0, d, d), dtype=complex), _exact(mats), (), name=name, key=key,
        kind=kind, params=(n,), validate=False,
    )


@cache
def U(n: int) -> CompactLieGroup:
    """The unitary group ``U(n)`` (``n ≥ 1``) on ``ℂⁿ``.

    Examples
    --------
    >>> U(3).lie_dim
    9
    """
    n = _check(n, 1, "U")
    return _group(_u_basis(n), f"U({n})", "U", n)


@cache
def SU(n: int) -> CompactLieGroup:
    """The special unitary group ``SU(n)`` (``n ≥ 2``) on ``ℂⁿ`` (``SU(2)`` here uses the matrix-unit basis;
    [`reptheory.groups.lie_catalog.SU2`][reptheory.groups.lie_catalog.SU2] is the Pauli-basis catalogue group with named irreps).

    Examples
    --------
    >>> SU(3).lie_dim
    8
    """
    n = _check(n, 2, "SU")
    return _group(_su_basis(n), f"SU({n})", "SU", n)


@cache
def Sp(n: int) -> CompactLieGroup:
    """The compact symplectic group ``Sp(n) = U(2n) ∩ Sp(2n, ℂ)`` (``n ≥ 1``) on ``ℂ^{2n}``.

    Examples
    --------
    >>> Sp(1).lie_dim, Sp(3).lie_dim
    (3, 21)
    """
    n = _check(n, 1, "Sp")
    return _group(_sp_basis(n), f"Sp({n})", "Sp", n)


def cartan_generators(G: CompactLieGroup) -> np.ndarray:
    """Coordinates (shape (r, lie_dim)) of the torus generators ``H_j`` (``exp(2π H_j) = I``) in G's Lie-algebra basis.

    Examples
    --------
    >>> cartan_generators(SU(3)).shape
    (2, 8)
    """
    n = G.params[0]
    if G.kind == "U":
        H = [1j * _E(n, j, j) for j in range(n)]
    elif G.kind == "SU":
        H = [1j * (_E(n, j, j) - _E(n, n - 1, n - 1)) for j in range(n - 1)]
    elif G.kind == "Sp":
        H = [1j * (_E(2 * n, j, j) - _E(2 * n, n + j, n + j)) for j in range(n)]
    else:
        raise InvalidArgumentError(f"cartan_generators: {G.name} is not U(n), SU(n) or Sp(n)")
    A = G.lie_algebra.reshape(G.lie_dim, -1)
    Af = np.concatenate([A.real, A.imag], axis=1).T
    out = []
    for h in H:
        b = np.concatenate([h.reshape(-1).real, h.reshape(-1).imag])
        c, *_ = np.linalg.lstsq(Af, b, rcond=None)
        out.append(c)
    return np.array(out)


def adjoint_representation(G: CompactLieGroup) -> Any:
    """The adjoint representation ``ad(X_a) X_b = [X_a, X_b]`` on the real Lie algebra (dimension ``lie_dim``);
    discrete generators act by ``Ad(s) X = s X s⁻¹`` (e.g. the reflection of ``O(n)``).

    Examples
    --------
    >>> adjoint_representation(SU(3)).dim
    8
    """
    from reptheory.reps.representation import Representation

    f = np.asarray(G.structure_constants)  # [X_a, X_b] = Σ_c f[a, b, c] X_c
    X = np.asarray(G.lie_algebra)
    A = X.reshape(G.lie_dim, -1)
    Af = np.concatenate([A.real, A.imag], axis=1).T
    disc = []
    for S in np.asarray(G.discrete_generators):
        Y = S[None] @ X @ np.linalg.inv(S)[None]  # s X_a s⁻¹, then its coordinates
        Yf = Y.reshape(G.lie_dim, -1)
        C, *_ = np.linalg.lstsq(Af, np.concatenate([Yf.real, Yf.imag], axis=1).T, rcond=None)
        disc.append(np.round(C, 12) + 0.0)
    return Representation.from_algebra_images(G, list(np.transpose(f, (0, 2, 1))), disc, name=f"ad({G.name})")


def _haar_unitary(n: int, rng: np.random.Generator) -> np.ndarray:
    Z = (rng.standard_normal((n, n)) + 1j * rng.standard_normal((n, n))) / np.sqrt(2)
    Q, R = np.linalg.qr(Z)
    d = np.diag(R)
    return Q * (d / np.abs(d))[None, :]


def _haar_sp(n: int, rng: np.random.Generator) -> np.ndarray:
    """Quaternionic Gram–Schmidt: columns v_j and their partners J v̄_j (J = [[0, −I], [I, 0]])."""
    cols: list[np.ndarray] = []
    vs, ws = [], []
    for _ in range(n):
        v = rng.standard_normal(2 * n) + 1j * rng.standard_normal(2 * n)
        for c in cols:
            v = v - np.vdot(c, v) * c
        v = v / np.linalg.norm(v)
        w = np.concatenate([-v[n:].conj(), v[:n].conj()])
        cols += [v, w]
        vs.append(v)
        ws.append(w)
    return np.stack(vs + ws, axis=1)


def _sample_classical(G: CompactLieGroup, rng: np.random.Generator) -> tuple[np.ndarray, tuple[int, ...], np.ndarray]:
    """One Haar sample ``(θ, (), matrix)`` with ``matrix = exp(θ·X)``."""
    n = G.params[0]
    if G.kind == "Sp":
        M = _haar_sp(n, rng)
    else:
        M = _haar_unitary(n, rng)
        if G.kind == "SU":
            M = M / np.linalg.det(M) ** (1.0 / n)
    _, V = np.linalg.eig(M)
    V, _ = np.linalg.qr(V)  # normal matrix: orthonormalise the eigenvectors (distinct eigenvalues a.s.)
    phi = np.angle(np.diag(V.conj().T @ M @ V))
    if G.kind == "SU":  # a traceless logarithm: shift one phase by the multiple of 2π in the trace
        phi[np.argmax(phi)] -= 2 * np.pi * round(phi.sum() / (2 * np.pi))
    L = (V * (1j * phi)[None, :]) @ V.conj().T
    A = G.lie_algebra.reshape(G.lie_dim, -1)
    Af = np.concatenate([A.real, A.imag], axis=1).T
    theta, *_ = np.linalg.lstsq(Af, np.concatenate([L.reshape(-1).real, L.reshape(-1).imag]), rcond=None)
    return theta, (), M
