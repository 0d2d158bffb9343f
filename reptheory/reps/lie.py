"""Representations of compact Lie groups: construction from algebra images, validation, realification.

A representation of a compact Lie group ``G`` is given by the images ``dρ(X_a)`` of a basis of its
Lie algebra and the images ``ρ(s_j)`` of its discrete generators; ``ρ(exp X) = exp(dρ(X))``.

Examples
--------
>>> import numpy as np
>>> from reptheory.groups.lie_catalog import SO2
>>> representation_from_algebra_images(SO2(), [np.array([[0.0, -2.0], [2.0, 0.0]])]).dim
2
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import scipy.linalg

from reptheory._numerics.tolerance import relative_error, tolerance
from reptheory.errors import (
    ConvergenceError,
    DimensionMismatchError,
    InvalidArgumentError,
    NotAHomomorphismError,
    TooLargeError,
)
from reptheory.groups._lie_algebra import _parse_stack, _periods
from reptheory.groups.lie import CompactLieGroup

if TYPE_CHECKING:
    from reptheory.reps.representation import Representation

__all__ = ["representation_from_algebra_images", "realify", "orthogonalize_lie"]


def orthogonalize_lie(self: CompactLieGroup, rep: Representation) -> tuple[Representation, np.ndarray]:
    """See [`reptheory.groups.lie.CompactLieGroup.orthogonalize_representation`][reptheory.groups.lie.CompactLieGroup.orthogonalize_representation]."""
    d = rep.dim
    if d > 64:
        raise TooLargeError(f"orthogonalize: dimension {d} > 64", estimate=d, limit=64)
    if rep.is_orthogonal():
        return rep, np.eye(d)
    iu = np.triu_indices(d)
    cplx = rep.is_complex  # complex representations keep a Hermitian form: real symmetric + i antisymmetric
    basis = np.zeros((len(iu[0]) + (d * (d - 1) // 2 if cplx else 0), d, d), dtype=complex if cplx else float)
    for t, (i, j) in enumerate(zip(*iu, strict=True)):
        basis[t, i, j] = basis[t, j, i] = 1.0
    if cplx:
        t0 = len(iu[0])
        for t, (i, j) in enumerate(zip(*np.triu_indices(d, 1), strict=True)):
            basis[t0 + t, i, j], basis[t0 + t, j, i] = 1j, -1j
    # invariance of the form M = Σ_t c_t basis_t (c real): dρ(X)ᴴ M + M dρ(X) = 0, ρ(s)ᴴ M ρ(s) − M = 0,
    # as one sparse operator on c (row-major vec(P X Q) = (P ⊗ Qᵀ) vec X), solved by the one nullspace kernel
    import scipy.sparse as sp

    from reptheory._numerics.linalg import nullspace

    eye = sp.identity(d, format="csr")
    ops = [sp.kron(sp.csr_matrix(A.conj().T), eye) + sp.kron(eye, sp.csr_matrix(A.T)) for A in rep.algebra]
    ops += [sp.kron(sp.csr_matrix(S.conj().T), sp.csr_matrix(S.T)) - sp.identity(d * d) for S in rep.images]
    if ops:
        K = (sp.vstack(ops, format="csr") @ sp.csr_matrix(basis.reshape(len(basis), d * d).T)).tocsr()
        C = sp.vstack([K.real, K.imag], format="csr") if np.iscomplexobj(K.data) else K
        N = nullspace(C).N.T
    else:
        N = np.eye(len(basis))
    forms = np.einsum("nt,tij->nij", N, basis)
    def candidates():  # type: ignore[no-untyped-def]
        yield np.einsum("n,nij->ij", np.einsum("nij,ij->n", forms, np.eye(d)), forms)
        if self.compact:
            try:
                gs = self.sample(64, rng=0)
            except InvalidArgumentError:
                return
            mats = self.representation_matrices(rep, gs)
            avg = np.einsum("gji,gjk->ik", mats.conj(), mats)
            avg = avg / len(gs) if cplx else avg.real / len(gs)
            yield np.einsum("n,nij->ij", np.einsum("nij,ij->n", forms.conj(), avg).real, forms)

    for M in candidates():
        M = (M + M.conj().T) / 2
        try:
            L = np.linalg.cholesky(M / np.abs(M).max())
        except np.linalg.LinAlgError:
            continue
        T = L.conj().T
        return rep.change_basis(T), T
    raise ConvergenceError(f"orthogonalize: no positive-definite invariant form found for {rep.name}")


def representation_from_algebra_images(
    group: CompactLieGroup,
    algebra_images: Any,
    discrete_images: Any = (),
    *,
    name: str = "rho",
    validate: bool = True,
) -> Representation:
    """A representation of a compact Lie group from ``dρ(X_a)`` and ``ρ(s_j)``.

    Parameters
    ----------
    group : CompactLieGroup
    algebra_images : sequence of array_like, each shape (d, d)
        ``dρ(X_a)`` for the group's Lie-algebra basis, in order (a of them).
    discrete_images : sequence of array_like, each shape (d, d)
        ``ρ(s_j)`` for the discrete generators (k of them).
    name : str
    validate : bool
        Check (i) the bracket relations ``[dρ(X_a), dρ(X_b)] = Σ_c f_abc dρ(X_c)``;
        (ii) compatibility ``ρ(s) dρ(X_a) ρ(s)⁻¹ = dρ(Ad_s X_a)``; (iii) global
        relations: ``ρ(exp(T X_a)) = I`` whenever ``exp(T X_a) = I`` in the defining
        representation (rejects, e.g., spinors given as representations of SO(3)),
        and ``ρ(s)^r = I`` whenever ``s^r = I`` (r ≤ 24), and commutation of discrete
        images whose generators commute.

    Raises
    ------
    DimensionMismatchError, InvalidArgumentError, NotAHomomorphismError

    Notes
    -----
    Exact (integer or sympy) images are kept in ``exact_algebra``/``exact_images``.
    Cost ``O(a² d³)`` for the bracket check.

    Examples
    --------
    >>> import numpy as np
    >>> from reptheory.groups.lie_catalog import SO2
    >>> from reptheory import Representation
    >>> J = np.array([[0.0, -3.0], [3.0, 0.0]])
    >>> Representation.from_algebra_images(SO2(), [J]).dim
    2
    >>> Representation.from_algebra_images(SO2(), [J / 2])
    Traceback (most recent call last):
    ...
    reptheory.errors.NotAHomomorphismError: rho(exp(T X_0)) != I although exp(T X_0) = I in SO(2) (T = 6.283; relative error 2); the images define a representation of a covering group, not of SO(2)
    """
    from reptheory.reps.representation import Representation

    if not isinstance(group, CompactLieGroup):
        raise InvalidArgumentError(f"group must be a CompactLieGroup, got {type(group).__name__}")
    A, exact_a = _parse_stack(algebra_images, "algebra_images")
    S, exact_s = _parse_stack(discrete_images, "discrete_images")
    a, k = group.lie_dim, group.num_generators
    if A.shape[0] != a:
        raise DimensionMismatchError(f"algebra_images has {A.shape[0]} matrices, expected {a} (one per Lie-algebra basis element of {group.name})")
    if S.shape[0] != k:
        raise DimensionMismatchError(f"discrete_images has {S.shape[0]} matrices, expected {k} (one per discrete generator of {group.name})")
    d = A.shape[-1] if a else (S.shape[-1] if k else 0)
    if d == 0:
        raise DimensionMismatchError("no images given: cannot infer the dimension")
    if k and S.shape[-1] != d:
        raise DimensionMismatchError(f"discrete_images have shape {S.shape[1:]}, expected ({d}, {d}) like algebra_images")
    if not k:
        S = np.zeros((0, d, d))
        exact_s = ()
    if k:
        for j in range(k):
            sv = np.linalg.svd(S[j], compute_uv=False)
            if sv[-1] <= tolerance().rtol * max(1.0, sv[0]):
                raise InvalidArgumentError(f"discrete_images[{j}] is singular, so it cannot be a group image")
    rep = Representation(
        group, S, name=name, algebra=A, exact_images=exact_s if exact_s is not None else None,
        exact_algebra=exact_a if exact_a is not None and a else (() if a == 0 else None),
    )
    if validate:
        _validate_lie_rep(group, rep)
    return rep


def _validate_lie_rep(G: CompactLieGroup, rep: Representation) -> None:
    tol = tolerance().rtol
    A, S = rep.algebra, rep.images
    f = G.structure_constants
    d = rep.dim
    br = np.einsum("aij,bjk->abik", A, A)
    br = br - br.transpose(1, 0, 2, 3)
    recon = np.einsum("abc,cij->abij", f, A)
    for i in range(G.lie_dim):
        for j in range(i + 1, G.lie_dim):
            err = relative_error(br[i, j], recon[i, j])
            if err > 10 * tol:
                raise NotAHomomorphismError(
                    f"algebra_images violate the bracket relation [X_{i}, X_{j}] = sum_c f_{i}{j}c X_c of {G.name} "
                    f"(relative error {err:.3g})"
                )
    for j in range(G.num_generators):
        sinv = np.linalg.inv(S[j])
        conj = np.einsum("ij,ajk,kl->ail", S[j], A, sinv)
        target = np.einsum("ba,bij->aij", G.adjoint_discrete[j], A)
        for i in range(G.lie_dim):
            err = relative_error(conj[i], target[i])
            if err > 10 * tol:
                raise NotAHomomorphismError(
                    f"discrete_images[{j}] is not compatible with the algebra: rho(s_{j}) drho(X_{i}) rho(s_{j})^-1 != "
                    f"drho(Ad_s X_{i}) (relative error {err:.3g})"
                )
    # global relations
    for i, T in enumerate(_periods(G.lie_algebra)):
        if T is None:
            continue
        E = scipy.linalg.expm(T * A[i])
        err = relative_error(E, np.eye(d))
        if err > 1e3 * tol:
            raise NotAHomomorphismError(
                f"rho(exp(T X_{i})) != I although exp(T X_{i}) = I in {G.name} (T = {T:.4g}; relative error "
                f"{err:.3g}); the images define a representation of a covering group, not of {G.name}"
            )
    _validate_finite_factors(G, S)
    D = G.discrete_generators
    for j in range(G.num_generators):
        P = np.eye(G.n, dtype=D.dtype)
        Q = np.eye(d, dtype=S.dtype)
        for r in range(1, 25):
            P = P @ D[j]
            Q = Q @ S[j]
            if relative_error(P, np.eye(G.n)) <= tol:
                err = relative_error(Q, np.eye(d))
                if err > 10 * tol:
                    raise NotAHomomorphismError(
                        f"discrete_images[{j}]^{r} != I although s_{j}^{r} = e in {G.name} (relative error {err:.3g})"
                    )
                break
        for j2 in range(j + 1, G.num_generators):
            if relative_error(D[j] @ D[j2], D[j2] @ D[j]) <= tol:
                err = relative_error(S[j] @ S[j2], S[j2] @ S[j])
                if err > 10 * tol:
                    raise NotAHomomorphismError(
                        f"discrete_images[{j}] and discrete_images[{j2}] do not commute although s_{j} s_{j2} = "
                        f"s_{j2} s_{j} in {G.name} (relative error {err:.3g})"
                    )


def realify(rep: Representation) -> Representation:
    """The real representation of twice the dimension underlying a complex one.

    ``X ↦ [[Re X, −Im X], [Im X, Re X]]`` (basis ``Re v`` then ``Im v``).

    Examples
    --------
    >>> from reptheory.groups.lie_catalog import SU2
    >>> R = realify(SU2().defining_representation())
    >>> R.dim, R.is_complex, R.is_orthogonal()
    (4, False, True)
    """
    from reptheory.reps.representation import Representation

    def re(x: np.ndarray) -> np.ndarray:
        if x.size == 0:
            return np.zeros((x.shape[0], 2 * x.shape[-1], 2 * x.shape[-1]))
        return np.block([[x.real, -x.imag], [x.imag, x.real]])

    alg = re(rep.algebra) if rep.algebra.shape[0] else np.zeros((0, 2 * rep.dim, 2 * rep.dim))
    imgs = re(rep.images) if rep.images.shape[0] else np.zeros((0, 2 * rep.dim, 2 * rep.dim))
    return Representation(rep.group, imgs, name=f"realify({rep.name})", algebra=alg)


def _validate_finite_factors(G: CompactLieGroup, S: np.ndarray) -> None:
    """For direct products with finite factors: the discrete images of each finite factor satisfy its relations."""
    from reptheory.groups.finite import FiniteGroup
    from reptheory.reps.representation import Representation

    if G.kind != "product":
        return
    off = 0
    for f in G.factors:
        k = f.num_generators
        if isinstance(f, FiniteGroup):
            try:
                Representation.from_generator_images(f, list(S[off : off + k]), validate=True)
            except NotAHomomorphismError as exc:
                raise NotAHomomorphismError(
                    f"discrete_images[{off}:{off + k}] (the finite factor {f.name}) violate its relations: {exc}"
                ) from None
        off += k
