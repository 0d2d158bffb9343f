"""The algebra of representations: direct sums, tensor products, duals, changes of basis, restriction, induction.

Each function builds a new [`Representation`][reptheory.reps.representation.Representation] from the generator
images (and Lie-algebra images) of its arguments, carrying the monomial structure and the exact
(sympy) images along lazily; the methods and operators of ``Representation`` (``+``, ``k *``, ``@``,
``**``, ``dual()``, ``change_basis()``, ``restrict()``, ``induce()``) call these.

Examples
--------
>>> from reptheory import groups, Representation
>>> from reptheory.reps import algebra
>>> V = Representation.defining(groups.symmetric(3))
>>> algebra.tensor(V, V).dim, algebra.direct_sum(V, (V, V)).dim
(9, 9)
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from reptheory._numerics.arrays import block_diag, is_sympy
from reptheory._numerics.tolerance import tolerance
from reptheory.errors import DimensionMismatchError, GroupMismatchError, InvalidArgumentError
from reptheory.groups.finite import FiniteGroup
from reptheory.reps._utils import _exact_word, _integral_monomial, _paren, check_rep_size

if TYPE_CHECKING:
    from reptheory.reps.representation import Representation

__all__ = [
    "change_basis",
    "direct_sum",
    "dual",
    "induce",
    "operator_error",
    "orthogonalize",
    "refuse",
    "representation_repr",
    "restrict",
    "subspace",
    "tensor",
    "tensor_power",
]


def direct_sum(rep: Representation, others: tuple[Representation, ...]) -> Representation:
    """See [`Representation.direct_sum`][reptheory.reps.representation.Representation.direct_sum]."""
    reps = (rep, *others)
    for o in others:
        rep._check_same_group(o, "direct_sum")
    check_rep_size(sum(r.dim for r in reps), rep.images.shape[0] + rep.algebra.shape[0], "direct sum",
                   max(r.images.itemsize for r in reps))
    images = np.stack([block_diag([r.images[j] for r in reps]) for j in range(rep.images.shape[0])]) if rep.images.shape[0] else np.zeros((0, sum(r.dim for r in reps), sum(r.dim for r in reps)), dtype=np.result_type(*(r.images for r in reps)))
    algebra = np.stack([block_diag([r.algebra[a] for r in reps]) for a in range(rep.algebra.shape[0])]) if rep.algebra.shape[0] else None
    mono = None
    if all(r.monomial is not None for r in reps):
        offs = np.cumsum([0] + [r.dim for r in reps])
        mono = (
            np.concatenate([r.monomial[0] + o for r, o in zip(reps, offs, strict=False)], axis=1),  # type: ignore[index]
            np.concatenate([r.monomial[1] for r in reps], axis=1),  # type: ignore[index]
        )
    exact = exact_alg = None
    if not _integral_monomial(mono) and all(r.is_exact for r in reps):

        def exact() -> tuple[Any, ...]:
            import sympy

            return tuple(
                sympy.ImmutableMatrix(sympy.diag(*[r.exact_images[j] for r in reps]))  # type: ignore[index]
                for j in range(rep.images.shape[0])
            )

    if all(r._exact_algebra is not None for r in reps) and rep.algebra.shape[0]:

        def exact_alg() -> tuple[Any, ...]:
            import sympy

            return tuple(
                sympy.ImmutableMatrix(sympy.diag(*[r.exact_algebra[a] for r in reps]))  # type: ignore[index]
                for a in range(rep.algebra.shape[0])
            )

    comps = None
    if all(r.components is not None for r in reps):
        comps = tuple(c for r in reps for c in r.components)  # type: ignore[union-attr]
    name = " + ".join(_paren(r.name, "+") for r in reps)
    return type(rep)(
        rep.group, images, name=name, algebra=algebra, exact_images=exact,
        exact_algebra=exact_alg, monomial=mono, components=comps,
    )

def tensor(rep: Representation, other: Representation) -> Representation:
    """See [`Representation.tensor`][reptheory.reps.representation.Representation.tensor]."""
    rep._check_same_group(other, "tensor")
    d1, d2 = rep.dim, other.dim
    check_rep_size(d1 * d2, rep.images.shape[0] + rep.algebra.shape[0], f"tensor product {rep.name} @ {other.name}",
                   max(rep.images.itemsize, other.images.itemsize))
    images = np.stack([np.kron(a, b) for a, b in zip(rep.images, other.images, strict=True)]) if rep.images.shape[0] else np.zeros((0, d1 * d2, d1 * d2), dtype=np.result_type(rep.images, other.images))
    algebra = None
    if rep.algebra.shape[0]:
        algebra = np.stack([np.kron(a, np.eye(d2)) + np.kron(np.eye(d1), b) for a, b in zip(rep.algebra, other.algebra, strict=True)])
    mono = None
    if rep.monomial is not None and other.monomial is not None and not rep.algebra.shape[0]:
        p1, c1 = rep.monomial
        p2, c2 = other.monomial
        mono = (
            (p1[:, :, None] * d2 + p2[:, None, :]).reshape(len(p1), -1),
            (c1[:, :, None] * c2[:, None, :]).reshape(len(p1), -1),
        )
    exact = exact_alg = None
    if not _integral_monomial(mono) and rep.is_exact and other.is_exact:

        def exact() -> tuple[Any, ...]:
            import sympy
            from sympy.physics.quantum import TensorProduct

            return tuple(
                sympy.ImmutableMatrix(TensorProduct(a, b))
                for a, b in zip(rep.exact_images or (), other.exact_images or (), strict=True)
            )

    if rep._exact_algebra is not None and other._exact_algebra is not None and rep.algebra.shape[0]:

        def exact_alg() -> tuple[Any, ...]:
            import sympy
            from sympy.physics.quantum import TensorProduct

            return tuple(
                sympy.ImmutableMatrix(TensorProduct(a, sympy.eye(d2)) + TensorProduct(sympy.eye(d1), b))
                for a, b in zip(rep.exact_algebra or (), other.exact_algebra or (), strict=True)
            )

    name = f"{_paren(rep.name, '+')} @ {_paren(other.name, '+')}"
    return type(rep)(rep.group, images, name=name, algebra=algebra, exact_images=exact, exact_algebra=exact_alg, monomial=mono)

def tensor_power(rep: Representation, k: int) -> Representation:
    """``ρ^{⊗k}`` for ``k >= 1`` by repeated squaring (``O(log k)`` tensor products), size estimated first."""
    if rep.dim > 1:  # estimate d**k from its logarithm before building anything
        from reptheory._numerics.limits import check_limit, current_limits

        if k * math.log2(rep.dim) > math.log2(current_limits().max_dim) + 1:
            check_limit("max_dim", float(2.0 ** min(k * math.log2(rep.dim), 1000.0)), f"{rep.name}**{k}: dimension")
        # the result's images (and so the largest factor built on the way) must fit before anything is built
        check_rep_size(rep.dim**k, rep.images.shape[0] + rep.algebra.shape[0], f"{rep.name}**{k}",
                       16 if rep.is_complex else 8)
    out: Representation | None = None
    base = rep
    e = k
    while e:
        if e & 1:
            out = base if out is None else out.tensor(base)
        e >>= 1
        if e:
            base = base.tensor(base)
    assert out is not None
    return out


def dual(rep: Representation) -> Representation:
    """See [`Representation.dual`][reptheory.reps.representation.Representation.dual]."""
    images = np.stack([np.linalg.inv(m).T for m in rep.images]) if rep.images.shape[0] else rep.images.copy()
    algebra = -np.transpose(rep.algebra, (0, 2, 1))
    exact = exact_alg = None
    if rep.is_exact and not _integral_monomial(rep.monomial):

        def exact() -> tuple[Any, ...]:
            import sympy

            return tuple(sympy.ImmutableMatrix(m.inv().T) for m in rep.exact_images or ())

    if rep._exact_algebra is not None:

        def exact_alg() -> tuple[Any, ...]:
            return tuple(-m.T for m in rep.exact_algebra or ())

    mono = None
    if rep.monomial is not None:
        # rho(s) e_i = c_i e_{p_i}; inverse-transpose keeps the permutation, inverts coefficients
        p, c = rep.monomial
        mono = (p, 1.0 / c)
    return type(rep)(
        rep.group, images, name=f"dual({rep.name})", algebra=algebra,
        exact_images=exact, exact_algebra=exact_alg, monomial=mono,
    )

def change_basis(rep: Representation, Q: Any) -> Representation:
    """See [`Representation.change_basis`][reptheory.reps.representation.Representation.change_basis]."""
    exactQ = is_sympy(Q)
    q = np.array(Q.evalf(30) if exactQ else Q, dtype=np.complex128 if np.iscomplexobj(Q) else np.float64)
    if q.shape != (rep.dim, rep.dim):
        raise DimensionMismatchError(f"Q must have shape ({rep.dim}, {rep.dim}), got {q.shape}")
    if not np.isfinite(q).all():
        raise InvalidArgumentError("Q has non-finite entries")
    cond = np.linalg.cond(q)
    if not np.isfinite(cond) or cond > 1 / tolerance().rtol:
        raise InvalidArgumentError(f"Q is singular or too ill-conditioned (condition number {cond:.3g})")
    qi = np.linalg.inv(q)
    images = q @ rep.images @ qi
    algebra = q @ rep.algebra @ qi
    exact = exact_alg = None
    if exactQ and rep.is_exact:
        import sympy

        Qe = sympy.ImmutableMatrix(Q)
        Qi = Qe.inv()

        def exact() -> tuple[Any, ...]:
            return tuple(sympy.ImmutableMatrix(Qe * m * Qi) for m in rep.exact_images or ())

        if rep._exact_algebra is not None:

            def exact_alg() -> tuple[Any, ...]:
                return tuple(sympy.ImmutableMatrix(Qe * m * Qi) for m in rep.exact_algebra or ())

    return type(rep)(rep.group, images, name=f"Q {rep.name} Q^-1", algebra=algebra, exact_images=exact, exact_algebra=exact_alg)

def restrict(rep: Representation, H: Any) -> Representation:
    """See [`Representation.restrict`][reptheory.reps.representation.Representation.restrict]."""
    if not isinstance(rep.group, FiniteGroup):
        return rep.group.restrict_representation(rep, H)
    if not isinstance(H, FiniteGroup) or H.parent != rep.group or H.embedding is None:
        raise GroupMismatchError(
            f"restrict: {getattr(H, 'name', H)!r} is not a subgroup of {rep.group.name} built by G.subgroup()"
        )
    gens = [int(H.embedding[s]) for s in H.generators]
    imgs = np.stack([rep.matrix(g) for g in gens])
    mono = None
    if rep.monomial is not None:
        P, C = rep._monomial_all() if rep.group.is_enumerated else (None, None)
        if P is not None and C is not None:
            mono = (P[gens], C[gens])
    exact = None
    if rep.is_exact and not _integral_monomial(mono):

        def exact() -> tuple[Any, ...]:
            return tuple(_exact_word(rep.exact_images or (), rep.group.word(g), rep.dim) for g in gens)

    return type(rep)(H, imgs, name=f"Res({rep.name})", exact_images=exact, monomial=mono)

def induce(rep: Representation, G: Any = None) -> Representation:
    """See [`Representation.induce`][reptheory.reps.representation.Representation.induce]."""
    H = rep.group
    if not isinstance(H, FiniteGroup) or H.parent is None or H.embedding is None:
        raise GroupMismatchError("induce: the representation's group is not a subgroup built by G.subgroup()")
    if G is None:
        G = H.parent
    if G != H.parent:
        raise GroupMismatchError(f"induce: {H.name} is a subgroup of {H.parent.name}, not of {G.name}")
    cosets = G.left_cosets(H)
    reps_t = [int(c[0]) for c in cosets]
    inH = {int(g): h for h, g in enumerate(H.embedding)}
    r, d = len(reps_t), rep.dim
    hm = rep.matrices()
    images = np.zeros((G.num_generators, r * d, r * d), dtype=rep.images.dtype)
    tinv = [G.inverse(t) for t in reps_t]
    for a, s in enumerate(G.generators):
        for j, tj in enumerate(reps_t):
            gt = G.mul(s, tj)
            for i in range(r):
                x = int(G.mul(tinv[i], gt))
                if x in inH:
                    images[a, i * d : (i + 1) * d, j * d : (j + 1) * d] = hm[inH[x]]
                    break
    return type(rep)(G, images, name=f"Ind({rep.name})")


def subspace(rep: Representation, B: np.ndarray, name: str) -> Representation:
    """Restriction of ``rep`` to an invariant subspace with orthonormal basis columns ``B`` (shape (d, m))."""
    images = np.einsum("ia,kij,jb->kab", B.conj(), rep.images, B)
    algebra = np.einsum("ia,kij,jb->kab", B.conj(), rep.algebra, B)
    if not rep.is_complex and not np.iscomplexobj(B):
        images = images.real
        algebra = algebra.real
    return type(rep)(rep.group, images, name=name, algebra=algebra)


def orthogonalize(rep: Representation) -> tuple[Representation, np.ndarray]:
    """See [`Representation.orthogonalize`][reptheory.reps.representation.Representation.orthogonalize] (Weyl's unitarian trick)."""
    if not isinstance(rep.group, FiniteGroup):
        return rep.group.orthogonalize_representation(rep)
    allm = rep.matrices()
    M = np.einsum("gji,gjk->ik", allm.conj(), allm) / len(allm)
    M = (M + M.conj().T) / 2
    L = np.linalg.cholesky(M)
    Lt = L.conj().T
    return rep.change_basis(Lt), Lt


def representation_repr(rep: Any) -> str:
    """``Representation(group, name, dim=…)``; type C / H irreps say they are real forms of a complex irrep
    of half the dimension (SU(2)'s spin 1/2 is 4 = 2 x 2 real dimensions); complex irreps (complex images) are not."""
    form = None if rep.is_complex else {"C": "complex", "H": "quaternionic"}.get(str(rep.real_type))
    extra = f", real form of a {rep.dim // 2}-dim {form} irrep" if form else ""
    return f"Representation({rep.group.name}, {rep.name!r}, dim={rep.dim}{extra})"


def operator_error(op: str, left: Any, right: Any) -> Any:
    """Raise the error for operators other libraries give meanings to (emlp: ``*`` tensor, ``>>`` Hom).

    Examples
    --------
    >>> operator_error(">>", "V", "W")
    Traceback (most recent call last):
    ...
    reptheory.errors.InvalidArgumentError: 'str >> str': reptheory has no '>>' between representations; use 'a @ b' for the tensor product a ⊗ b, 'k * a' for k copies, 'a + b' for the direct sum and 'intertwiners(a, b)' for Hom_G(a, b) (the equivariant maps from a to b)
    """
    a, b = (getattr(r, "name", type(r).__name__) for r in (left, right))
    raise InvalidArgumentError(
        f"'{a} {op} {b}': reptheory has no {op!r} between representations; use "
        "'a @ b' for the tensor product a ⊗ b, 'k * a' for k copies, 'a + b' for the direct sum and "
        "'intertwiners(a, b)' for Hom_G(a, b) (the equivariant maps from a to b)"
    )


def refuse(op: str, reflected: bool = False) -> Any:
    """A binary-operator method that raises [`operator_error`][reptheory.reps.algebra.operator_error].

    Examples
    --------
    >>> refuse(">>")("V", 2)
    Traceback (most recent call last):
    ...
    reptheory.errors.InvalidArgumentError: 'str >> int': reptheory has no '>>' between representations; use 'a @ b' for the tensor product a ⊗ b, 'k * a' for k copies, 'a + b' for the direct sum and 'intertwiners(a, b)' for Hom_G(a, b) (the equivariant maps from a to b)
    """

    def method(self: Any, other: Any) -> Any:
        return operator_error(op, other, self) if reflected else operator_error(op, self, other)

    return method
