"""Representations of permutation groups that are never enumerated: images anywhere, characters, validation.

A representation of a [`PermutationGroup`][reptheory.groups.permutation.PermutationGroup] is given by
the images ``ρ(s_j)`` of the generators.  Everything else is evaluated through the group's
straight-line programs ([`straight_line_program`][reptheory.groups.permutation.PermutationGroup.straight_line_program]):

* ``ρ(g)`` for any element: one product per program instruction, after inverting the ``k``
  generator images once (a transpose for orthogonal ρ, an index inversion for monomial ρ);
* the character at the class representatives, ``χ(g_c) = tr ρ(g_c)``;
* validation: the images define a homomorphism iff they satisfy the Schreier relations of the
  chain of programs (``t · u_δ = u_{t(δ)} · r`` with ``r`` sifted through the lower levels, for every
  strong generator ``t`` of a level and every point ``δ`` of its basic orbit — a presentation of
  ``G`` on the strong generators) and every generator equals its own factorisation.

Cost ``O(len(program) · d³)`` (dense) or ``O(len(program) · d)`` (monomial), memory ``O(live · d²)``;
never proportional to ``|G|``.

Examples
--------
>>> import numpy as np
>>> from reptheory import Representation
>>> from reptheory.groups import permutation_group
>>> A8 = permutation_group([[1, 2, 0, 3, 4, 5, 6, 7], [0, 2, 3, 4, 5, 6, 7, 1]], name="A8")
>>> V = Representation.defining(A8)
>>> g = A8.random_element(np.random.default_rng(1))
>>> bool(np.array_equal(np.argmax(V.matrix(g), axis=0), g))
True
>>> class_character(V).real.astype(int).tolist()[:4]
[8, 0, 4, 5]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from reptheory._numerics.tolerance import relative_error, tolerance
from reptheory.errors import ExactnessError, InvalidArgumentError, NotAHomomorphismError
from reptheory.groups.permutation import PermutationGroup

__all__ = ["element_images", "class_character", "validate_permutation_group", "orthogonalize_permutation_group"]


def _group(rep: Any) -> PermutationGroup:
    G = getattr(rep, "group", None)
    if not isinstance(G, PermutationGroup):
        raise InvalidArgumentError(f"rep must be a Representation of a PermutationGroup, got one of {type(G).__name__}")
    return G


def _run(rep: Any, prog: Any, exact: bool = False) -> list[Any]:
    """Evaluate a program on ``rep``: monomial pairs ``(perm, coeff)``, dense matrices, or (``exact``) exact
    matrices (python-flint ``fmpq_mat`` for rational images when available, else sympy)."""
    if exact:
        ex = _exact_matrices(rep)
        return prog.evaluate(lambda x, y: x * y, ex + [m.inv() for m in ex])  # type: ignore[no-any-return]
    if rep.monomial is not None:
        perm, coeff = rep.monomial
        inv = [np.argsort(p) for p in perm]
        ins: list[Any] = [(p, c) for p, c in zip(perm, coeff, strict=True)]
        ins += [(q, 1.0 / c[q]) for q, c in zip(inv, coeff, strict=True)]
        # ρ(a) ρ(b): e_i -> cb_i ca_{pb_i} e_{pa[pb_i]}
        return prog.evaluate(lambda x, y: (x[0][y[0]], y[1] * x[1][y[0]]), ins)  # type: ignore[no-any-return]
    ims = np.asarray(rep.images)
    if rep.is_orthogonal():
        invs = [m.conj().T for m in ims]
    else:
        invs = [np.linalg.inv(m) for m in ims]
    return prog.evaluate(lambda x, y: x @ y, list(ims) + invs)  # type: ignore[no-any-return]


def _exact_matrices(rep: Any) -> list[Any]:
    ims = rep.exact_images
    if ims is None:
        raise ExactnessError(f"rep {rep.name!r} has no exact images (floating-point images only)")
    try:
        import flint
    except ImportError:  # pragma: no cover - without flint
        return list(ims)
    if all(all(x.is_Rational for x in m) for m in ims):
        return [flint.fmpq_mat(m.rows, m.cols, [flint.fmpq(int(x.p), int(x.q)) for x in m]) for m in ims]
    return _field_matrices(ims)


def _field_matrices(ims: Any) -> list[Any]:
    """Algebraic images as sympy ``DomainMatrix`` over one number field holding every entry (``ℚ(α)``, exact
    arithmetic in the field instead of expression trees); sympy's generic matrices where no such field is found."""
    from sympy.polys.constructor import construct_domain
    from sympy.polys.matrices import DomainMatrix

    flat = [x for m in ims for x in m]
    try:
        K, vals = construct_domain(flat, extension=True)
    except Exception:  # pragma: no cover - entries sympy cannot place in a number field
        return list(ims)
    if not K.is_Field:
        K = K.get_field()
        vals = [K.convert(v) for v in vals]
    out, i = [], 0
    for m in ims:
        rows = [vals[i + r * m.cols: i + (r + 1) * m.cols] for r in range(m.rows)]
        out.append(DomainMatrix(rows, (m.rows, m.cols), K))
        i += m.rows * m.cols
    return out


def element_images(rep: Any, elements: Any) -> np.ndarray:
    """``ρ(g)`` for every row ``g`` of ``elements``, shape (q, d, d), for a representation of a PermutationGroup.

    Parameters
    ----------
    rep : Representation
        Of a [`PermutationGroup`][reptheory.groups.permutation.PermutationGroup].
    elements : array_like of int, shape (q, n)
        Group elements as permutations.

    Raises
    ------
    InvalidArgumentError
        ``rep`` is not a representation of a permutation group, or a row is not a group element.

    Examples
    --------
    >>> from reptheory import Representation
    >>> from reptheory.groups import permutation_group
    >>> G = permutation_group([[1, 2, 0]])
    >>> element_images(Representation.defining(G), [[2, 0, 1]])[0].astype(int).tolist()
    [[0, 1, 0], [0, 0, 1], [1, 0, 0]]
    """
    G = _group(rep)
    prog = G.straight_line_program(elements)
    vals = _run(rep, prog)
    d = rep.dim
    if rep.monomial is not None:
        out = np.zeros((len(vals), d, d), dtype=rep.images.dtype)
        for j, (p, c) in enumerate(vals):
            out[j, p, np.arange(d)] = c
        return out
    return np.stack(vals) if vals else np.zeros((0, d, d), dtype=rep.images.dtype)


def class_character(rep: Any, bases: Any = None) -> np.ndarray:
    """``χ(g_c) = tr ρ(g_c)`` at the class representatives of ``rep.group.conjugacy_classes()``, in its order.

    With ``bases`` (a sequence of ``(d, d_j)`` matrices with orthonormal columns spanning invariant
    subspaces): the characters ``tr(W_jᵀ ρ(g_c) W_j)`` of the restrictions, shape ``(len(bases), r)``,
    from one evaluation of the programs.

    Examples
    --------
    >>> from reptheory import Representation
    >>> from reptheory.groups import permutation_group
    >>> S4 = permutation_group([[1, 2, 3, 0], [1, 0, 2, 3]])
    >>> class_character(Representation.defining(S4)).real.tolist()
    [4.0, 0.0, 2.0, 1.0, 0.0]
    """
    G = _group(rep)
    prog = G.straight_line_program(np.asarray(G.conjugacy_classes().representatives))
    vals = _run(rep, prog)
    if bases is None:
        if rep.monomial is not None:
            return np.array([np.where(p == np.arange(rep.dim), c, 0).sum() for p, c in vals])
        return np.array([np.trace(m) for m in vals])
    Ws = [np.asarray(W) for W in bases]
    out = np.zeros((len(Ws), len(vals)), dtype=np.result_type(rep.images.dtype, *[W.dtype for W in Ws]))
    if not Ws:
        return out
    allW = np.concatenate(Ws, axis=1)
    cuts = np.cumsum([0] + [W.shape[1] for W in Ws])
    for c, v in enumerate(vals):
        if rep.monomial is not None:
            gW = np.empty_like(allW, dtype=out.dtype)
            gW[v[0]] = v[1][:, None] * allW  # ρ(g) e_i = c_i e_{p_i}
        else:
            gW = v @ allW
        diag = np.einsum("ij,ij->j", allW.conj(), gW)
        out[:, c] = np.add.reduceat(diag, cuts[:-1]) if allW.shape[1] else 0
    return out


def validate_permutation_group(rep: Any, *, exact: bool = False) -> None:
    """Check that the generator images of ``rep`` define a homomorphism (see the module docstring).

    With ``exact=True`` the relations are checked in exact arithmetic on ``rep.exact_images``
    (equality of rational or algebraic matrices, no tolerance).

    Raises
    ------
    NotAHomomorphismError
        A Schreier relation of the chain of programs fails; the message names the level, the
        point and the size of the violation.
    ExactnessError
        ``exact=True`` for a representation without exact images.

    Examples
    --------
    >>> import numpy as np
    >>> from reptheory import Representation
    >>> from reptheory.groups import permutation_group
    >>> G = permutation_group([[1, 2, 3, 0], [1, 0, 2, 3]])  # S4
    >>> Representation.from_generator_images(G, [-np.eye(1), -np.eye(1)]).dim  # the sign: validated
    1
    >>> validate_permutation_group(Representation.defining(G), exact=True)  # integer images, no tolerance
    >>> Representation.from_generator_images(G, [np.eye(1), -np.eye(1)])
    Traceback (most recent call last):
    ...
    reptheory.errors.NotAHomomorphismError: images of permutation group of degree 4 violate a relation ...
    """
    G = _group(rep)
    pc = G._programs
    products: list[tuple[int, int]] = []  # ρ(t) ρ(u_δ) (or ρ(s_j) itself) ...
    perms: list[np.ndarray] = []  # ... against the factorisation of the same element
    what: list[str] = []
    for i in range(len(pc.base)):
        for t in [t for j in range(i, len(pc.base)) for t in pc.T[j]]:  # strong generators of level i
            for delta in list(pc.tree[i]):
                u = pc.transversal(i, delta)
                products.append((t, u) if u >= 0 else (t, -1))
                perms.append(pc.perms[t] if u < 0 else pc.perms[t][pc.perms[u]])
                what.append(f"level {i}, point {delta}")
    for j in range(G.num_generators):
        products.append((j, -1))
        perms.append(np.asarray(G.generators[j], dtype=np.int64))
        what.append(f"generator {j}")
    prog = pc.program(np.asarray(perms).reshape(-1, G.degree), products)
    vals = _run(rep, prog, exact)
    m = len(perms)
    tol = tolerance(rep.images.dtype).rtol * max(1.0, np.sqrt(rep.dim))
    for q in range(m):
        b, a = vals[q], vals[m + q]
        if exact:
            err = 0.0 if a == b else float("inf")
        elif rep.monomial is not None:
            err = 0.0 if np.array_equal(a[0], b[0]) and np.allclose(a[1], b[1], rtol=0, atol=tol) else 1.0
        else:
            err = relative_error(a, b)
        if err > tol:
            raise NotAHomomorphismError(
                f"images of {G.name} violate a relation of its stabiliser chain ({what[q]}: the two products of "
                f"generator images for one element differ, relative error {err:.3g}); rep={rep.name!r} is not "
                "a homomorphism"
            )


def orthogonalize_permutation_group(rep: Any) -> tuple[Any, np.ndarray]:
    """Weyl's trick without the group average: ``M = (1/|G|) Σ_g ρ(g)ᵀ ρ(g)`` from the generators alone.

    ``M`` is the Reynolds projection of ``I`` onto the invariant forms ``F = {M : ρ(s)ᵀ M ρ(s) = M}``.
    The kernel of that projection is the annihilator of the invariants of the adjoint action,
    ``F* = {Z : ρ(s) Z ρ(s)ᵀ = Z}``, so ``M`` is the one element of ``F`` with
    ``⟨M − I, Z⟩ = 0`` for all ``Z ∈ F*``: a square linear system in the coefficients of ``M`` on a
    basis of ``F`` (both spaces are nullspaces of the generator equations, ``d²`` unknowns).
    Then ``M = L Lᵀ`` (Cholesky) and ``σ = Lᵀ ρ L⁻ᵀ`` is orthogonal.  Returns ``(σ, Lᵀ)``, as
    [`Representation.orthogonalize`][reptheory.reps.representation.Representation.orthogonalize].

    Raises
    ------
    TooLargeError
        ``d²`` exceeds the dense nullspace limit.
    ConvergenceError
        The two invariant spaces differ in dimension or ``M`` is not positive definite (rank decision failed).

    Examples
    --------
    >>> import numpy as np
    >>> from reptheory import Representation
    >>> from reptheory.groups import permutation_group
    >>> S4 = permutation_group([[1, 2, 3, 0], [1, 0, 2, 3]])
    >>> sigma, Lt = Representation.defining(S4).change_basis(np.diag([1.0, 2.0, 3.0, 4.0])).orthogonalize()
    >>> sigma.is_orthogonal()
    True
    """
    from reptheory._numerics.linalg import nullspace, stacked_constraints
    from reptheory.errors import ConvergenceError

    _group(rep)
    d = rep.dim
    ims = [np.asarray(m) for m in rep.images]
    invT = [np.linalg.inv(m).conj().T for m in ims]
    # ρ(s)ᵀ M ρ(s) = M  ⇔  ρ(s)^{-T} M − M ρ(s) = 0;   ρ(s) Z ρ(s)ᵀ = Z  ⇔  ρ(s) Z − Z ρ(s)^{-T} = 0
    F = nullspace(stacked_constraints(list(zip(invT, ims, strict=True)))).N
    Fs = nullspace(stacked_constraints(list(zip(ims, invT, strict=True)))).N
    if F.shape[1] != Fs.shape[1] or F.shape[1] == 0:
        raise ConvergenceError(f"orthogonalize {rep.name!r}: invariant forms of dimension {F.shape[1]} and "
                               f"{Fs.shape[1]} for the adjoint action (they must agree)")
    c = np.linalg.solve(Fs.conj().T @ F, Fs.conj().T @ np.eye(d).reshape(-1))
    M = (F @ c).reshape(d, d)
    M = (M + M.conj().T) / 2
    try:
        L = np.linalg.cholesky(M)
    except np.linalg.LinAlgError:
        raise ConvergenceError(f"orthogonalize {rep.name!r}: the averaged form is not positive definite") from None
    Lt = L.conj().T
    return rep.change_basis(Lt), Lt
