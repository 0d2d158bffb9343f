"""The catalogue of compact Lie groups: SO(n), O(n), SU(2), U(1) and direct products (docs/explanation/lie-groups.md#catalogue).

Bases (all in the defining representation):

* ``SO(2)``: ``J = [[0, −1], [1, 0]]``; ``O(2)`` adds ``F = diag(1, −1)``.
* ``SO(3)``: ``(L_x, L_y, L_z)``, the infinitesimal rotations about x, y, z
  (``[L_x, L_y] = L_z``), the basis of e3nn's ``so3_generators(1)``; ``O(3)`` adds
  the inversion ``−I`` (so parity is the image of the discrete generator).
* ``SO(n)``, ``n ≥ 4``: ``L_ij = E_ji − E_ij`` for ``i < j`` (integer matrices);
  ``O(n)`` adds ``−I`` (n odd) or ``diag(1, …, 1, −1)`` (n even).
* ``SU(2)``: ``X_a = −i σ_a / 2`` (``[X_x, X_y] = X_z``), defining matrices complex 2×2.
* ``U(1)``: ``X = [[i]]``.

Examples
--------
>>> from reptheory.groups.lie_catalog import SO, O, SO3, lie_direct_product, SO2
>>> SO(3) == SO3(), O(4).num_generators, SO(5).lie_dim
(True, 1, 10)
>>> from reptheory import groups
>>> lie_direct_product(SO2(), groups.cyclic(2))
CompactLieGroup('SO(2) x cyclic(2)', lie_dim=1, discrete=1, n=4)
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np
import scipy.linalg

from reptheory._numerics.arrays import block_diag
from reptheory._numerics.tolerance import relative_error, tolerance
from reptheory.errors import InvalidArgumentError
from reptheory.groups.finite import FiniteGroup
from reptheory.groups.lie import CompactLieGroup, LieGroupElement, _real_flat

__all__ = ["SO", "O", "SU2", "U1", "SO2", "O2", "SO3", "O3", "lie_direct_product"]


def _check_n(n: Any, lo: int) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < lo:
        raise InvalidArgumentError(f"n must be an integer >= {lo}, got {n!r}")
    return int(n)


def _son_basis(n: int) -> np.ndarray:
    if n == 3:
        return np.array(
            [[[0, 0, 0], [0, 0, -1], [0, 1, 0]], [[0, 0, 1], [0, 0, 0], [-1, 0, 0]], [[0, -1, 0], [1, 0, 0], [0, 0, 0]]],
            dtype=np.int64,
        )
    out = []
    for i in range(n):
        for j in range(i + 1, n):
            L = np.zeros((n, n), dtype=np.int64)
            L[j, i] = 1
            L[i, j] = -1
            out.append(L)
    return np.stack(out)


def _reflection(n: int) -> np.ndarray:
    if n % 2 == 1:
        return -np.eye(n, dtype=np.int64)
    F = np.eye(n, dtype=np.int64)
    F[-1, -1] = -1
    return F


def _exact(mats: np.ndarray) -> tuple[Any, ...]:
    import sympy

    return tuple(sympy.ImmutableMatrix(m.tolist()) for m in mats)


@cache
def SO(n: int) -> CompactLieGroup:
    """The special orthogonal group ``SO(n)`` (``n ≥ 2``), basis as in the module docstring.

    Examples
    --------
    >>> SO(4)
    CompactLieGroup('SO(4)', lie_dim=6, discrete=0, n=4)
    """
    n = _check_n(n, 2)
    X = _son_basis(n)
    S = np.zeros((0, n, n), dtype=np.int64)
    return CompactLieGroup._build(
        X.astype(float), S.astype(float), _exact(X), (), name=f"SO({n})", key=f"catalog:SO({n})",
        kind="SO", params=(n,), validate=False,
    )


@cache
def O(n: int) -> CompactLieGroup:  # noqa: E743 - the group's name
    """The orthogonal group ``O(n)`` (``n ≥ 2``): ``SO(n)`` plus one reflection (``−I`` for odd n).

    Examples
    --------
    >>> O(3).discrete_generators[0].tolist()
    [[-1.0, 0.0, 0.0], [0.0, -1.0, 0.0], [0.0, 0.0, -1.0]]
    """
    n = _check_n(n, 2)
    X = _son_basis(n)
    F = _reflection(n)[None]
    if n == 2:
        F = np.array([[[1, 0], [0, -1]]], dtype=np.int64)
    return CompactLieGroup._build(
        X.astype(float), F.astype(float), _exact(X), _exact(F), name=f"O({n})", key=f"catalog:O({n})",
        kind="O", params=(n,), validate=False,
    )


def SO2() -> CompactLieGroup:
    """``SO(2)``: rotations of the plane, generator ``J = [[0, −1], [1, 0]]``.

    Examples
    --------
    >>> G = SO2()
    >>> G.lie_dim, G.num_generators, G.lie_algebra[0].tolist()
    (1, 0, [[0.0, -1.0], [1.0, 0.0]])
    """
    return SO(2)


def O2() -> CompactLieGroup:
    """``O(2)``: SO(2) plus ``F = diag(1, −1)``.

    Examples
    --------
    >>> G = O2()
    >>> G.lie_dim, G.discrete_generators[0].tolist()
    (1, [[1.0, 0.0], [0.0, -1.0]])
    """
    return O(2)


def SO3() -> CompactLieGroup:
    """``SO(3)`` with the basis ``(L_x, L_y, L_z)`` (e3nn's).

    Examples
    --------
    >>> import numpy as np
    >>> L = SO3().lie_algebra
    >>> bool(np.allclose(L[0] @ L[1] - L[1] @ L[0], L[2]))      # [L_x, L_y] = L_z
    True
    """
    return SO(3)


def O3() -> CompactLieGroup:
    """``O(3) = SO(3) × {±I}``; the discrete generator is the inversion ``−I``.

    Examples
    --------
    >>> G = O3()
    >>> G.lie_dim, G.discrete_generators[0].tolist()[0]
    (3, [-1.0, 0.0, 0.0])
    """
    return O(3)


@cache
def SU2() -> CompactLieGroup:
    """``SU(2)`` with ``X_a = −i σ_a / 2`` (complex defining representation).

    Examples
    --------
    >>> SU2().is_complex, SU2().structure_constants[0, 1].tolist()
    (True, [0.0, 0.0, 1.0])
    """
    import sympy

    sx = np.array([[0, 1], [1, 0]], dtype=complex)
    sy = np.array([[0, -1j], [1j, 0]])
    sz = np.array([[1, 0], [0, -1]], dtype=complex)
    X = np.stack([-0.5j * sx, -0.5j * sy, -0.5j * sz])
    I = sympy.I
    half = sympy.Rational(1, 2)
    ex = (
        sympy.ImmutableMatrix([[0, -I * half], [-I * half, 0]]),
        sympy.ImmutableMatrix([[0, -half], [half, 0]]),
        sympy.ImmutableMatrix([[-I * half, 0], [0, I * half]]),
    )
    return CompactLieGroup._build(
        X, np.zeros((0, 2, 2), dtype=complex), ex, (), name="SU(2)", key="catalog:SU(2)", kind="SU2", validate=False
    )


@cache
def U1() -> CompactLieGroup:
    """``U(1)``: unit complex numbers, ``X = [[i]]``; irreps are the charges ``q ∈ Z``.

    Examples
    --------
    >>> U1().irrep(-2).algebra.ravel().imag.tolist()
    [-2.0]
    """
    import sympy

    X = np.array([[[1j]]])
    return CompactLieGroup._build(
        X, np.zeros((0, 1, 1), dtype=complex), (sympy.ImmutableMatrix([[sympy.I]]),), (),
        name="U(1)", key="catalog:U(1)", kind="U1", validate=False,
    )


def _block_diag_float(blocks: list[np.ndarray]) -> np.ndarray:
    return block_diag([np.asarray(b, dtype=np.result_type(b, float)) for b in blocks])


def _finite_matrices(F: FiniteGroup) -> np.ndarray:
    if F.generator_matrices is not None:
        return np.asarray(F.generator_matrices, dtype=float)
    from reptheory.reps.representation import Representation

    if F.generator_perms is not None:
        return np.asarray(Representation.defining(F).images, dtype=float)
    return np.asarray(Representation.regular(F).images, dtype=float)


def lie_direct_product(*factors: CompactLieGroup | FiniteGroup, name: str | None = None) -> CompactLieGroup:
    """The direct product of compact Lie groups and finite groups (block-diagonal defining matrices).

    A finite factor contributes discrete generators (its generator matrices, its
    permutation matrices, or its regular representation) and no Lie algebra.
    Elements: ``exp(θ) · s_w`` with θ concatenated over the Lie factors.

    Examples
    --------
    >>> from reptheory import groups
    >>> G = lie_direct_product(SO3(), groups.cyclic(2))
    >>> G.lie_dim, G.num_generators, G.n
    (3, 1, 5)
    """
    if len(factors) < 2:
        raise InvalidArgumentError(f"lie_direct_product needs at least two factors, got {len(factors)}")
    alg_blocks: list[list[np.ndarray]] = []
    disc_blocks: list[list[np.ndarray]] = []
    sizes = []
    for f in factors:
        if isinstance(f, CompactLieGroup):
            sizes.append(f.n)
        elif isinstance(f, FiniteGroup):
            sizes.append(_finite_matrices(f).shape[-1])
        else:
            raise InvalidArgumentError(f"factors must be CompactLieGroup or FiniteGroup, got {type(f).__name__}")
    if not any(isinstance(f, CompactLieGroup) for f in factors):
        raise InvalidArgumentError("lie_direct_product needs at least one compact Lie group factor")
    dtype = complex if any(isinstance(f, CompactLieGroup) and f.is_complex for f in factors) else float
    for i, f in enumerate(factors):
        def embed(m: np.ndarray, i: int = i) -> np.ndarray:
            blocks = [np.eye(s) for s in sizes]
            blocks[i] = m
            return _block_diag_float(blocks).astype(dtype)

        def embed_alg(m: np.ndarray, i: int = i) -> np.ndarray:
            blocks = [np.zeros((s, s)) for s in sizes]
            blocks[i] = m
            return _block_diag_float(blocks).astype(dtype)

        if isinstance(f, CompactLieGroup):
            alg_blocks.append([embed_alg(x) for x in f.lie_algebra])
            disc_blocks.append([embed(s) for s in f.discrete_generators])
        else:
            alg_blocks.append([])
            disc_blocks.append([embed(s) for s in _finite_matrices(f)])
    n = sum(sizes)
    X = np.stack([x for b in alg_blocks for x in b])
    Sl = [s for b in disc_blocks for s in b]
    S = np.stack(Sl) if Sl else np.zeros((0, n, n), dtype=dtype)
    nm = name or " x ".join(f.name for f in factors)
    key = "product(" + ",".join(f.key for f in factors) + ")"
    return CompactLieGroup._build(X, S, None, None, name=nm, key=key, kind="product", factors=tuple(factors), validate=False)


# ------------------------------------------------------------------------- logarithms
def _special_log(G: CompactLieGroup, M: np.ndarray) -> Any:
    """``(θ, w)`` with ``M = exp(θ·X) s_w`` for catalogue groups; None if M is not in G; NotImplemented otherwise."""
    tol = 1e3 * tolerance().rtol
    kind = G.kind
    if kind in ("SO", "O"):
        n = G.params[0]
        if np.iscomplexobj(M):
            if np.abs(M.imag).max() > tol:
                return None
            M = M.real
        if relative_error(M.T @ M, np.eye(n)) > tol:
            return None
        det = np.linalg.det(M)
        w: tuple[int, ...] = ()
        R = M
        if det < 0:
            if kind == "SO":
                return None
            w = (0,)
            R = M @ G.discrete_generators[0].T
        if n == 2:
            return np.array([np.arctan2(R[1, 0], R[0, 0])]), w
        if n == 3:
            theta = _so3_log(R)
        else:
            L = _real_orthogonal_log(R)
            if L is None:
                return None
            B = G.lie_algebra.reshape(G.lie_dim, -1)
            theta = B @ L.reshape(-1) / 2.0  # the L_ij are Frobenius-orthogonal with norm² 2
        if relative_error(G._exp_matrix(theta), R) > tol:
            return None
        return theta, w
    if kind == "SU2":
        M = M.astype(complex)
        if relative_error(M.conj().T @ M, np.eye(2)) > tol or abs(np.linalg.det(M) - 1) > tol:
            return None
        w0 = float(np.trace(M).real / 2)
        A = (M - M.conj().T) / 2
        # A = Σ c_a X_a with X_a = -i σ_a / 2: c_x = 2i A[0,1]... solve by least squares
        Bx = np.stack([G.lie_algebra[i].reshape(-1) for i in range(3)], axis=1)
        c, *_ = np.linalg.lstsq(Bx, A.reshape(-1), rcond=None)
        c = c.real
        s = np.linalg.norm(c) / 2  # sin φ
        phi = np.arctan2(s, w0)
        theta = np.array([0.0, 0.0, 2 * np.pi]) if s < 1e-15 and w0 < 0 else (2 * phi * c / (2 * s) if s > 0 else np.zeros(3))
        if relative_error(G._exp_matrix(theta), M) > tol:
            return None
        return theta, ()
    if kind == "U1":
        z = complex(M[0, 0])
        if abs(abs(z) - 1) > tol:
            return None
        return np.array([np.angle(z)]), ()
    if kind == "product":
        return _product_log(G, M)
    return NotImplemented


def _so3_log(R: np.ndarray) -> np.ndarray:
    R = np.real_if_close(np.asarray(R))
    if np.iscomplexobj(R):
        R = R.real
    c = np.clip((np.trace(R) - 1) / 2, -1.0, 1.0)
    ang = float(np.arccos(c))
    v = np.array([R[2, 1] - R[1, 2], R[0, 2] - R[2, 0], R[1, 0] - R[0, 1]]) / 2
    if ang < 1e-12:
        return v
    if np.pi - ang > 1e-6:
        return ang * v / np.sin(ang)
    # near π: axis from the symmetric part R + I = 2 n nᵀ (approximately)
    Bm = (R + R.T) / 2 - c * np.eye(3)  # = (1 - c) n nᵀ
    k = int(np.argmax(np.diag(Bm)))
    axis = Bm[:, k] / np.linalg.norm(Bm[:, k])
    if v @ axis < 0:
        axis = -axis
    return ang * axis


def _product_log(G: CompactLieGroup, M: np.ndarray) -> Any:
    theta_parts = []
    word: list[int] = []
    o = 0
    disc_off = 0
    for f in G.factors:
        size = f.n if isinstance(f, CompactLieGroup) else _finite_matrices(f).shape[-1]
        blk = M[o : o + size, o : o + size]
        rest = M[o : o + size].copy()
        rest[:, o : o + size] = 0
        if np.abs(rest).max(initial=0) > 1e-9:
            return None
        if isinstance(f, CompactLieGroup):
            out = f._log(np.real(blk).astype(f.lie_algebra.dtype) if not f.is_complex else blk)
            if out is None:
                return None
            theta_parts.append(out[0])
            word.extend(disc_off + j if j >= 0 else ~(disc_off + ~j) for j in out[1])
            disc_off += f.num_generators
        else:
            idx = _finite_index(f, blk.real)
            if idx is None:
                return None
            word.extend(disc_off + j if j >= 0 else ~(disc_off + ~j) for j in f.word(idx))
            disc_off += f.num_generators
        o += size
    theta = np.concatenate(theta_parts) if theta_parts else np.zeros(0)
    return theta, tuple(word)


def _finite_matrices_all(F: FiniteGroup) -> np.ndarray:
    from reptheory.reps.representation import Representation

    gens = _finite_matrices(F)
    rep = Representation(F, gens, name="faithful")
    return rep.matrices()


def _finite_index(F: FiniteGroup, blk: np.ndarray) -> int | None:
    allm = _finite_matrices_all(F)
    diff = np.abs(allm - blk[None]).reshape(len(allm), -1).max(axis=1)
    i = int(np.argmin(diff))
    return i if diff[i] < 1e-8 else None


# ------------------------------------------------------------------------- sampling
def _haar_orthogonal(n: int, rng: np.random.Generator) -> np.ndarray:
    Z = rng.standard_normal((n, n))
    Qm, Rm = np.linalg.qr(Z)
    return Qm * np.sign(np.diag(Rm))[None, :]


def _quaternion_matrix(q: np.ndarray) -> np.ndarray:
    """The rotation matrix of a unit quaternion ``(w, x, y, z)``."""
    w, x, y, z = q
    return np.array(
        [
            [1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)],
            [2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)],
            [2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)],
        ]
    )


def _quaternion(rng: np.random.Generator) -> np.ndarray:
    q = rng.standard_normal(4)
    return q / np.linalg.norm(q)


def _sample_one(G: CompactLieGroup, rng: np.random.Generator) -> Any:
    """``(θ, w)`` or ``(θ, w, exp(θ·X))`` of one Haar sample."""
    kind = G.kind
    if kind in ("SO", "O"):
        n = G.params[0]
        flip = kind == "O" and bool(rng.integers(2))
        if n == 2:
            t = rng.uniform(-np.pi, np.pi)
            c, s_ = np.cos(t), np.sin(t)
            return np.array([t]), ((0,) if flip else ()), np.array([[c, -s_], [s_, c]])
        if n == 3:
            q = _quaternion(rng)
            ang = 2 * np.arccos(np.clip(abs(q[0]), 0, 1))
            axis = q[1:] * np.sign(q[0]) if q[0] != 0 else q[1:]
            nrm = np.linalg.norm(axis)
            th = ang * axis / nrm if nrm > 0 else np.zeros(3)
            return th, ((0,) if flip else ()), _quaternion_matrix(q)
        Qm = _haar_orthogonal(n, rng)
        if np.linalg.det(Qm) < 0:
            Qm[:, 0] = -Qm[:, 0]
        L = _real_orthogonal_log(Qm)
        assert L is not None
        theta = G.lie_algebra.reshape(G.lie_dim, -1) @ L.reshape(-1) / 2.0
        return theta, ((0,) if flip else ()), Qm
    if kind == "SU2":
        q = _quaternion(rng)
        phi = np.arccos(np.clip(q[0], -1, 1))  # U = cos φ + sin φ (n · (−iσ)) ; θ = 2 φ n
        nrm = np.linalg.norm(q[1:])
        return (2 * phi * q[1:] / nrm if nrm > 0 else np.zeros(3)), ()
    if kind == "U1":
        return np.array([rng.uniform(-np.pi, np.pi)]), ()
    if kind in ("U", "SU", "Sp"):
        from reptheory.groups.classical import _sample_classical

        return _sample_classical(G, rng)
    if kind == "product":
        parts: list[np.ndarray] = []
        word: list[int] = []
        off = 0
        for f in G.factors:
            if isinstance(f, CompactLieGroup):
                t, w = _sample_one(f, rng)[:2]
                parts.append(t)
                word.extend(off + j for j in w)
            else:
                idx = int(rng.integers(f.order))
                word.extend(off + j if j >= 0 else ~(off + ~j) for j in f.word(idx))
            off += f.num_generators
        return (np.concatenate(parts) if parts else np.zeros(0)), tuple(word)
    raise InvalidArgumentError(
        f"{G.name} was built from generators: no Haar sampler is known for it (random products of exp(t X) "
        "are not Haar distributed); use a catalogue group or a product of them"
    )


def _sample(G: CompactLieGroup, n: int, rng: np.random.Generator) -> list[LieGroupElement]:
    out = []
    for _ in range(n):
        out_ = _sample_one(G, rng)
        th, w = out_[0], out_[1]
        E = out_[2] if len(out_) == 3 else G._exp_matrix(th)
        M = E @ G._word_matrix(w, G.discrete_generators) if w else E
        out.append(LieGroupElement(G, ((th, w),), M))
    return out


def _defining_label(G: CompactLieGroup) -> Any:
    if G.kind == "SO" and G.params[0] in (2, 3):
        return 1
    if G.kind == "O" and G.params[0] == 2:
        return 1
    if G.kind == "O" and G.params[0] == 3:
        return "1o"
    if G.kind == "U1":
        return 1
    if G.kind in ("U", "SU", "Sp") or (G.kind in ("SO", "O") and G.params[0] >= 4):
        return 1  # the highest weight (1, 0, …, 0)
    return None


# ------------------------------------------------------------------------- generic logarithms
def _generic_log(G: CompactLieGroup, M: np.ndarray) -> tuple[np.ndarray, tuple[int, ...]] | None:
    """Logarithm of a normal (orthogonal/unitary) matrix projected onto the algebra, verified."""
    try:
        if np.iscomplexobj(M) or G.is_complex:
            w, V = np.linalg.eig(M)
            L = V @ np.diag(np.log(w.astype(complex))) @ np.linalg.inv(V)
        else:
            Lr = _real_orthogonal_log(M)
            if Lr is None:
                return None
            L = Lr
    except np.linalg.LinAlgError:
        return None
    B = _real_flat(G.lie_algebra).T
    rhs = _real_flat(L[None].astype(G.lie_algebra.dtype) if G.is_complex else L[None].real)[0]
    theta, *_ = np.linalg.lstsq(B, rhs, rcond=None)
    if relative_error(G._exp_matrix(theta), M) > 1e3 * tolerance().rtol:
        return None
    return theta, ()


def _real_orthogonal_log(M: np.ndarray) -> np.ndarray | None:
    """A real logarithm of a special orthogonal matrix via its real Schur form (−1 eigenvalues paired)."""
    T, Z = scipy.linalg.schur(M, output="real")
    n = M.shape[0]
    Lt = np.zeros((n, n))
    neg: list[int] = []
    i = 0
    while i < n:
        if i + 1 < n and abs(T[i + 1, i]) > 1e-12:
            th = np.arctan2(T[i + 1, i], T[i, i])  # normal block [[c, -s], [s, c]]
            Lt[i + 1, i] = th
            Lt[i, i + 1] = -th
            i += 2
        else:
            if T[i, i] < 0:
                neg.append(i)
            i += 1
    if len(neg) % 2:
        return None
    for p in range(0, len(neg), 2):
        u, v = neg[p], neg[p + 1]
        Lt[v, u] = np.pi
        Lt[u, v] = -np.pi
    return Z @ Lt @ Z.T
