"""Private helpers of `reptheory.reps.representation`: input checks and word/monomial arithmetic."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from reptheory._numerics.arrays import as_square_matrix, is_sympy
from reptheory._numerics.tolerance import relative_error, tolerance
from reptheory.errors import (
    DimensionMismatchError,
    InvalidArgumentError,
    NotAHomomorphismError,
)
from reptheory.groups._schreier_sims import permutation_sign


def _paren(name: str, ops: str) -> str:
    return f"({name})" if any(o in name for o in ops) and not name.startswith("(") else name


def _check_group(group: Any, argname: str) -> None:
    from reptheory.groups.finite import FiniteGroup
    from reptheory.groups.lie import CompactLieGroup
    from reptheory.groups.permutation import PermutationGroup

    if not isinstance(group, (FiniteGroup, CompactLieGroup, PermutationGroup)):
        raise InvalidArgumentError(
            f"{argname} must be a FiniteGroup, PermutationGroup or CompactLieGroup, got {type(group).__name__} "
            f"{group!r:.60}"
        )


def _check_trivial_args(group: Any, dim: Any) -> int:
    _check_group(group, "group")
    if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)) or dim < 1:
        raise InvalidArgumentError(f"dim must be a positive integer, got {dim!r}")
    check_rep_size(int(dim), group.num_generators + getattr(group, "lie_dim", 0), f"trivial({int(dim)})")
    return int(dim)


def check_rep_size(dim: int, n_images: int, what: str, itemsize: int = 8) -> None:
    """Refuse (before allocating) a representation of dimension ``dim`` with ``n_images`` dense images."""
    from reptheory._numerics.limits import check_array, check_limit

    check_limit("max_dim", dim, f"{what}: dimension")
    check_array((max(n_images, 1), dim, dim), f"{what}: images", itemsize)


def _check_k(k: Any) -> None:
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 0:
        raise InvalidArgumentError(f"power must be a non-negative integer, got {k!r}")


def _perm_sign(p: np.ndarray) -> float:
    return float(permutation_sign(p))






def _check_images(images: Sequence[Any], k: int, argname: str) -> tuple[np.ndarray, tuple[Any, ...] | None]:
    try:
        lst = list(images)
    except TypeError:
        raise InvalidArgumentError(f"{argname} must be a sequence of square matrices") from None
    if len(lst) != k:
        raise DimensionMismatchError(f"{argname} has {len(lst)} matrices, expected {k} (one per generator)")
    exact = all(is_sympy(m) for m in lst) and k > 0
    mats = [as_square_matrix(m, f"{argname}[{i}]") for i, m in enumerate(lst)]
    if not mats:
        raise DimensionMismatchError(f"{argname} is empty; the group has no generators")
    d = mats[0].shape[0]
    for i, a in enumerate(mats):
        if a.shape != (d, d):
            raise DimensionMismatchError(f"{argname}[{i}] has shape {a.shape}, expected ({d}, {d})")
        s = np.linalg.svd(a, compute_uv=False)
        if s[-1] <= tolerance().rtol * max(1.0, s[0]):
            raise InvalidArgumentError(f"{argname}[{i}] is singular, so it cannot be a group image")
    arr: np.ndarray = np.stack(mats)
    if arr.dtype.kind == "c" and np.abs(arr.imag).max() == 0:
        arr = arr.real.copy()
    ex = None
    if exact:
        import sympy

        ex = tuple(sympy.ImmutableMatrix(m) for m in lst)
    return arr, ex


def _as_monomial(mats: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    k, d, _ = mats.shape
    perm = np.zeros((k, d), dtype=np.int64)
    coeff = np.zeros((k, d))
    for j in range(k):
        m = mats[j]
        nz = np.abs(m) > 1e-12
        if not (nz.sum(axis=0) == 1).all():
            return None
        rows = np.argmax(nz, axis=0)
        perm[j] = rows
        coeff[j] = m[rows, np.arange(d)]
    if not np.array_equal(np.sort(perm, axis=1), np.tile(np.arange(d), (k, 1))):
        return None
    return perm, coeff


def _word_matrix(images: np.ndarray, word: Sequence[int], d: int) -> np.ndarray:
    m = np.eye(d, dtype=images.dtype)
    for letter in word:
        if letter >= 0:
            m = m @ images[letter]
        else:
            m = m @ np.linalg.inv(images[~letter])
    return m


def _monomial_word(mono: tuple[np.ndarray, np.ndarray], word: Sequence[int], d: int) -> tuple[np.ndarray, np.ndarray]:
    perm, coeff = mono
    P = np.arange(d)
    C = np.ones(d, dtype=coeff.dtype)
    for letter in word:
        if letter >= 0:
            p, c = perm[letter], coeff[letter]
        else:
            q, cq = perm[~letter], coeff[~letter]
            p = np.empty_like(q)
            p[q] = np.arange(d)
            c = 1.0 / cq[p]
        # (P,C) then (p,c): e_i -> c_i C_{p_i} e_{P_{p_i}}
        P, C = P[p], C[p] * c
    return P, C


def _exact_word(exact: tuple[Any, ...], word: Sequence[int], d: int) -> Any:
    import sympy

    m = sympy.eye(d)
    for letter in word:
        m = m * (exact[letter] if letter >= 0 else exact[~letter].inv())
    return sympy.ImmutableMatrix(m.applyfunc(sympy.nsimplify) if False else m.applyfunc(sympy.simplify))


def _exact_word_is_identity(exact: tuple[Any, ...], word: Sequence[int], d: int) -> bool:
    import sympy

    m = _exact_word(exact, word, d)
    return bool((m - sympy.eye(d)).applyfunc(sympy.simplify).is_zero_matrix)


def _word_text(G: Any, word: Sequence[int]) -> str:
    if not word:
        return "e"
    try:
        names = [G.labels[s] for s in G.generators] if G.is_enumerated else [f"s{j}" for j in range(G.num_generators)]
    except Exception:  # pragma: no cover - labels unavailable
        names = [f"s{j}" for j in range(G.num_generators)]
    return " ".join(names[w] if w >= 0 else f"{names[~w]}^-1" for w in word)


def validate_finite(self: Any) -> None:
    """Check every relation of a finite group's presentation (or Schreier relations) on ``self``."""
    G = self.group
    from reptheory.groups.permutation import PermutationGroup

    if isinstance(G, PermutationGroup):  # never enumerated: the relations of its stabiliser chain
        from reptheory.reps.permutation_group import validate_permutation_group

        return validate_permutation_group(self)
    tol = tolerance(self.images.dtype).rtol
    exact = self.exact_images if self._exact_images is not None else None
    # user-supplied relators are checked to hold but may not present the group: an enumerable
    # group is validated with its complete Schreier relations instead
    use_relators = getattr(G, "_relators", None) is not None and (
        getattr(G, "relators_trusted", True) or not (G.is_enumerated or G.order <= G.max_order)
    )
    if use_relators:
        for word in G.relators:
            if self.monomial is not None:
                p, c = _monomial_word(self.monomial, word, self.dim)
                ok = np.array_equal(p, np.arange(self.dim)) and np.allclose(c, 1.0, rtol=0, atol=tol)
                err = 0.0 if ok else 1.0
            else:
                m = _word_matrix(self.images, word, self.dim)
                err = relative_error(m, np.eye(self.dim))
                ok = err <= tol
            if exact is not None and ok and len(word) * self.dim <= 400:
                ok = _exact_word_is_identity(exact, word, self.dim)
                err = err if not ok else 0.0
            if not ok:
                raise NotAHomomorphismError(
                    f"images violate the relation {_word_text(G, word)} = e of {G.name} "
                    f"(relative error {max(err, tol):.3g})"
                )
        return
    enum = G._enumeration
    if self.monomial is not None:
        perm, coeff = self.monomial
        allp, allc = self._monomial_all()
        for j in range(enum.k):
            lhs_p = allp[:, perm[j]]
            lhs_c = allc[:, perm[j]] * coeff[j][None, :]
            tgt = enum.right[:, j]
            bad = np.flatnonzero(
                ~((lhs_p == allp[tgt]).all(1) & np.isclose(lhs_c, allc[tgt], rtol=0, atol=tol).all(1))
            )
            if bad.size:
                _raise_schreier(self, int(bad[0]), j, 1.0)
        return
    allm = self.matrices()
    for j in range(enum.k):
        lhs = allm @ self.images[j]
        rhs = allm[enum.right[:, j]]
        diff = np.linalg.norm(lhs - rhs, axis=(1, 2)) / np.maximum(1.0, np.linalg.norm(rhs, axis=(1, 2)))
        bad = np.flatnonzero(diff > tol)
        if bad.size:
            g = int(bad[np.argmax(diff[bad])])
            _raise_schreier(self, g, j, float(diff[g]))

def _raise_schreier(self: Any, g: int, j: int, err: float) -> None:
    G = self.group
    enum = G._enumeration
    gs = int(enum.right[g, j])
    lhs = _word_text(G, G.word(g) + (j,))
    rhs = _word_text(G, G.word(gs)) if gs != enum.identity else "e"
    raise NotAHomomorphismError(
        f"images violate the relation {lhs} = {rhs} of {G.name} (relative error {err:.3g})"
    )


def power_basis(d: int, k: int, kind: str, n_images: int = 1) -> np.ndarray:
    """Orthonormal basis (columns, shape (d**k, m)) of symmetric or antisymmetric k-tensors.

    Estimate first (in log space, so a huge ``k`` costs nothing): the dense tensor power
    ``ρ^{⊗k}`` of dimension ``d^k`` with ``n_images`` images, and the basis itself
    (``m = C(d + k − 1, k)`` or ``C(d, k)`` columns), are checked against ``max_dim`` /
    ``max_bytes`` before anything is built.  Construction is vectorised over the ``d^k``
    multi-indices (no ``k!`` permutation loop).
    """
    from reptheory._numerics.limits import check_array, check_limit

    what = f"{kind}_power(k={k}) of a {d}-dimensional representation"
    if k == 0:
        return np.ones((1, 1))
    if k == 1:
        return np.eye(d)
    if d == 1:
        return np.ones((1, 1)) if kind == "symmetric" else np.zeros((1, 0))
    log_dim = k * math.log2(d)
    if log_dim > 62:
        check_limit("max_dim", 2.0 ** min(log_dim, 1000.0), f"{what}: tensor power dimension d^k")
    D = d**k
    m = math.comb(d + k - 1, k) if kind == "symmetric" else math.comb(d, k)
    check_limit("max_dim", D, f"{what}: tensor power dimension d^k")
    check_array((max(1, n_images), D, D), f"{what}: tensor power images")
    check_array((D, m), f"{what}: basis of C(d+k-1,k) or C(d,k) columns")
    idx = np.indices((d,) * k).reshape(k, D).T  # row r = multi-index of flat position r
    key = np.sort(idx, axis=1)
    if kind == "exterior":
        distinct = np.all(key[:, 1:] != key[:, :-1], axis=1)
        rows = np.flatnonzero(distinct)
        inv = (idx[rows][:, :, None] > idx[rows][:, None, :]) & np.triu(np.ones((k, k), dtype=bool), 1)
        vals = np.where(inv.sum(axis=(1, 2)) % 2, -1.0, 1.0) / math.sqrt(math.factorial(k))
        key = key[rows]
    else:
        rows = np.arange(D)
        vals = np.ones(D)
    _, col, counts = np.unique(key, axis=0, return_inverse=True, return_counts=True)
    col = col.ravel()
    if kind == "symmetric":
        vals = vals / np.sqrt(counts[col])
    out = np.zeros((D, counts.size))
    out[rows, col] = vals
    return out


def _integral_monomial(mono: tuple[np.ndarray, np.ndarray] | None) -> bool:
    """Whether a monomial structure has real integer coefficients (exact images derivable)."""
    if mono is None:
        return False
    c = mono[1]
    return bool(np.isrealobj(c) and np.all(c == np.rint(c)))


def is_orthogonal(images: np.ndarray, algebra: np.ndarray, tol: float | None = None,
                  monomial: tuple[np.ndarray, np.ndarray] | None = None) -> bool:
    """Whether every image is orthogonal (unitary) and every Lie-algebra image antisymmetric (anti-Hermitian)."""
    tol = tolerance(images.dtype).rtol if tol is None else tol
    if monomial is not None and not algebra.shape[0]:
        # a monomial matrix is orthogonal (unitary) iff its non-zero entries have modulus 1
        return bool(np.abs(np.abs(monomial[1]) - 1).max(initial=0.0) <= tol)
    eye = np.eye(images.shape[-1])
    if any(relative_error(m.conj().T @ m, eye) > tol for m in images):
        return False
    return all(relative_error(x.conj().T, -x) <= tol for x in algebra)


def apply_generator(rep: Any, j: int, W: np.ndarray) -> np.ndarray:
    """``ρ(s_j) W`` for the ``j``-th generator image: a signed row permutation when ρ is monomial.

    Examples
    --------
    >>> from reptheory import Representation, groups
    >>> V = Representation.defining(groups.symmetric(3))
    >>> bool(np.allclose(apply_generator(V, 0, np.eye(3)), V.images[0]))
    True
    """
    if rep.monomial is None:
        return np.asarray(rep.images[j] @ W)
    perm, coeff = rep.monomial
    out = np.empty_like(W)
    out[perm[j]] = coeff[j][:, None] * W
    return out
