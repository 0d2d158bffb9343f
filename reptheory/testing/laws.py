"""Laws: one function per mathematical identity, usable inside a user's ``@given`` test.

Each law takes the objects it speaks about, checks one identity with the
library's tolerance policy, and raises `AssertionError` (with the worst
violation and its size) when it fails; it returns ``None`` otherwise.  Laws whose
subject lives in a module that is optional or still missing import it lazily, so
``import reptheory.testing.laws`` never needs torch or the intertwiner code.

Groups: [`group_axioms`][reptheory.testing.laws.group_axioms], [`class_equation`][reptheory.testing.laws.class_equation].
Representations: [`homomorphism`][reptheory.testing.laws.homomorphism], [`orthogonality`][reptheory.testing.laws.orthogonality], [`weyl_trick`][reptheory.testing.laws.weyl_trick],
[`character_orthogonality`][reptheory.testing.laws.character_orthogonality], [`character_dimension_formula`][reptheory.testing.laws.character_dimension_formula],
[`decomposition_reconstructs`][reptheory.testing.laws.decomposition_reconstructs], [`frobenius_reciprocity`][reptheory.testing.laws.frobenius_reciprocity], [`power_commutant_dimension`][reptheory.testing.laws.power_commutant_dimension].
Projectors (``space`` defaults to [`reptheory.hom.space.intertwiners`][reptheory.hom.space.intertwiners]):
[`projector_idempotent`][reptheory.testing.laws.projector_idempotent], [`projector_self_adjoint`][reptheory.testing.laws.projector_self_adjoint],
[`projector_range_is_commutant`][reptheory.testing.laws.projector_range_is_commutant], [`projection_commutes_with_generators`][reptheory.testing.laws.projection_commutes_with_generators],
[`projector_fixes_equivariant`][reptheory.testing.laws.projector_fixes_equivariant], [`projector_rank`][reptheory.testing.laws.projector_rank],
[`projector_exact_matches_numeric`][reptheory.testing.laws.projector_exact_matches_numeric], [`projector_matches_group_average`][reptheory.testing.laws.projector_matches_group_average].
Penalties (torch, imported inside): [`penalty_nonnegative`][reptheory.testing.laws.penalty_nonnegative],
[`penalty_zero_iff_equivariant`][reptheory.testing.laws.penalty_zero_iff_equivariant], [`penalty_gradient`][reptheory.testing.laws.penalty_gradient], and the
torch-free [`orbit_identity`][reptheory.testing.laws.orbit_identity] (docs/explanation/penalties.md#orbit-identity).

Examples
--------
>>> from hypothesis import given, settings
>>> from reptheory.testing import laws, strategies as rst
>>> @settings(max_examples=10, database=None)
... @given(rst.finite_groups(max_order=12))
... def test_groups(G):
...     laws.group_axioms(G)
>>> test_groups()
"""

from __future__ import annotations

from typing import Any

import numpy as np

from reptheory._numerics.tolerance import relative_error, tolerance
from reptheory.errors import InvalidArgumentError
from reptheory.groups.finite import FiniteGroup
from reptheory.reps.representation import Representation
from reptheory.testing._oracles import (
    _TOL,
    BRUTE_FORCE_ORDER,
    _characters,
    _check_W,
    _fail,
    _finite_group_of,
    _inner,
    _project,
    _space,
    explicit_group_average,
    power_character,
    torus_class_integral,
)
from reptheory.testing._penalty_laws import (
    orbit_identity,
    penalty_gradient,
    penalty_nonnegative,
    penalty_zero_iff_equivariant,
)
from reptheory.testing.assertions import (
    _check_pair,
    assert_homomorphism,
    assert_intertwiner,
    intertwiner_residuals,
)

__all__ = [
    "explicit_group_average",
    "group_axioms",
    "class_equation",
    "homomorphism",
    "orthogonality",
    "weyl_trick",
    "character_orthogonality",
    "character_dimension_formula",
    "decomposition_reconstructs",
    "frobenius_reciprocity",
    "power_commutant_dimension",
    "projector_idempotent",
    "projector_self_adjoint",
    "projector_range_is_commutant",
    "projection_commutes_with_generators",
    "projector_fixes_equivariant",
    "projector_rank",
    "projector_exact_matches_numeric",
    "projector_matches_group_average",
    "orbit_identity",
    "penalty_nonnegative",
    "penalty_zero_iff_equivariant",
    "penalty_gradient",
]


# =========================================================================== groups
def group_axioms(group: Any) -> None:
    """Closure, identity, inverses and associativity of a group or a raw Cayley table.

    Parameters
    ----------
    group : FiniteGroup or array_like of int, shape (n, n)
        A table is checked as given (no validation by the constructor first), so the
        law can be aimed at tables a user builds.

    Notes
    -----
    Associativity: all ``n³`` triples for ``n <= BRUTE_FORCE_ORDER``, Light's test
    on the generators otherwise.  For a [`FiniteGroup`][reptheory.testing.laws.FiniteGroup] also ``mul``,
    ``inverse`` and ``element_orders`` agree with the table.

    Examples
    --------
    >>> group_axioms([[0, 1], [1, 0]])
    >>> group_axioms([[1, 0], [0, 1]])
    >>> group_axioms([[0, 1, 2], [1, 2, 0], [2, 1, 0]])
    Traceback (most recent call last):
    ...
    AssertionError: not a Latin square: column 1 of the table is not a permutation
    """
    __tracebackhide__ = True
    G = group if isinstance(group, FiniteGroup) else None
    t = np.asarray(G.table if G is not None else group)
    if t.ndim != 2 or t.shape[0] != t.shape[1] or t.dtype.kind not in "iu":
        _fail(f"table must be a square integer array, got shape {t.shape} and dtype {t.dtype}")
    n = t.shape[0]
    if t.min() < 0 or t.max() >= n:
        _fail(f"not closed: the table has entries outside 0..{n - 1}")
    for axis, what in ((1, "row"), (0, "column")):
        ok = (
            np.sort(t, axis=axis) == np.arange(n)[None, :]
            if axis == 1
            else np.sort(t, axis=0) == np.arange(n)[:, None]
        )
        bad = np.flatnonzero(~ok.all(axis=axis))
        if bad.size:
            _fail(f"not a Latin square: {what} {int(bad[0])} of the table is not a permutation")
    ar = np.arange(n)
    ids = np.flatnonzero((t == ar[None, :]).all(axis=1) & (t == ar[:, None]).all(axis=0))
    if ids.size != 1:
        _fail(f"expected exactly one identity element, found {ids.size}")
    e = int(ids[0])
    if G is not None and G.identity != e:
        _fail(f"group.identity = {G.identity} but the table's identity is {e}")
    inv = np.argmax(t == e, axis=1)
    if not (t[inv, ar] == e).all():
        x = int(np.flatnonzero(t[inv, ar] != e)[0])
        _fail(f"left and right inverses differ for element {x}")
    if n <= BRUTE_FORCE_ORDER:
        lhs = t[t[:, :, None], ar[None, None, :]]  # (a b) c
        rhs = t[ar[:, None, None], t[None, :, :]]  # a (b c)
        bad = np.argwhere(lhs != rhs)
    else:
        gens = list(G.generators) if G is not None else list(range(n))
        bad = np.zeros((0, 3), dtype=np.int64)
        for s in gens:
            diff = np.argwhere(t[t[:, s], :] != t[:, t[s, :]])
            if diff.size:
                bad = np.array([[diff[0][0], s, diff[0][1]]])
                break
    if len(bad):
        a, b, c = (int(v) for v in bad[0])
        _fail(f"not associative: (a*b)*c != a*(b*c) for a={a}, b={b}, c={c}")
    if G is not None:
        if not np.array_equal(np.asarray(G.inverse(ar)), inv):
            x = int(np.flatnonzero(np.asarray(G.inverse(ar)) != inv)[0])
            _fail(f"group.inverse({x}) = {G.inverse(x)} but the table says {int(inv[x])}")
        if not np.array_equal(np.asarray(G.mul(ar[:, None], ar[None, :])), t):
            _fail("group.mul disagrees with group.table")
        orders = np.asarray(G.element_orders)
        for g in range(n):
            k = int(orders[g])
            if G.power(g, k) != e or any(G.power(g, j) == e for j in range(1, k)):
                _fail(f"element_orders[{g}] = {k} is not the order of {G.labels[g]}")
        closure = {e}
        frontier = [e]
        while frontier:
            new = [int(t[x, s]) for x in frontier for s in G.generators if int(t[x, s]) not in closure]
            closure.update(new)
            frontier = list(set(new))
        if len(closure) != n:
            _fail(f"the generators {G.generators} generate only {len(closure)} of {n} elements")


def class_equation(group: FiniteGroup) -> None:
    """Conjugacy classes partition G, are closed under conjugation, and their sizes divide ``|G|``.

    Also: the identity class is ``{e}`` and comes first, and the centre is the union of
    singleton classes.  ``O(|G|²)``.

    Examples
    --------
    >>> from reptheory import groups
    >>> class_equation(groups.symmetric(4))
    """
    __tracebackhide__ = True
    G = group
    n = G.order
    classes = G.conjugacy_classes()
    allc = np.sort(np.concatenate(classes))
    if not np.array_equal(allc, np.arange(n)):
        _fail("the conjugacy classes do not partition the group")
    if list(classes[0]) != [G.identity]:
        _fail(f"the first class is {list(classes[0])}, expected [identity] = [{G.identity}]")
    ar = np.arange(n)
    for i, c in enumerate(classes):
        if n % len(c):
            _fail(f"class {i} has size {len(c)}, which does not divide |G| = {n}")
        conj = np.unique(np.asarray(G.conjugate(c[0], ar)))
        if not np.array_equal(conj, np.sort(c)):
            _fail(f"class {i} is not the conjugacy class of {G.labels[int(c[0])]}")
    central = [g for g in range(n) if all(G.mul(g, h) == G.mul(h, g) for h in G.generators)]
    if sorted(int(x) for x in G.center) != central:
        _fail(f"group.center = {sorted(G.center)} but the central elements are {central}")


# ================================================================== representations
def homomorphism(
    rho: Any,
    *,
    group: FiniteGroup | None = None,
    n_samples: int = 4,
    rng: np.random.Generator | int | None = 0,
) -> None:
    """``ρ(gh) = ρ(g) ρ(h)`` and ``ρ(e) = I`` (see [`assert_homomorphism`][reptheory.testing.assert_homomorphism]).

    For compact Lie groups: the bracket relations and ``n_samples`` Haar-sampled pairs
    (few per example: a ``@given`` test draws many examples).

    Examples
    --------
    >>> from reptheory import groups
    >>> homomorphism(Representation.regular(groups.dihedral(4)))
    """
    __tracebackhide__ = True
    assert_homomorphism(rho, group=group, n_samples=n_samples, rng=rng)


def orthogonality(
    rho: Representation, *, n_samples: int = 4, rng: np.random.Generator | int | None = 0
) -> None:
    """``ρ(g)ᵀ ρ(g) = I`` for every element and ``rho.is_orthogonal()`` agrees.

    Use it on representations that are orthogonal by construction.  Finite groups: all
    elements.  Compact Lie groups: ``n_samples`` Haar samples (``dρ(X)`` antisymmetric is
    part of ``is_orthogonal``).

    Examples
    --------
    >>> from reptheory import groups
    >>> orthogonality(Representation.regular(groups.cyclic(5)))
    """
    __tracebackhide__ = True
    G = rho.group
    if isinstance(G, FiniteGroup):
        M = np.asarray(rho.matrices())
        labels = list(G.labels)
    else:
        gs = G.sample(int(n_samples), np.random.default_rng(rng))
        M = np.stack([rho.matrix(g) for g in gs])
        labels = [f"Haar sample {i}" for i in range(len(gs))]
    gram = np.einsum("gji,gjk->gik", M.conj(), M)
    errs = np.linalg.norm(gram - np.eye(rho.dim), axis=(1, 2)) / np.maximum(
        1.0, np.linalg.norm(gram, axis=(1, 2))
    )
    g = int(np.argmax(errs))
    tol = tolerance(M.dtype).rtol
    if errs[g] > tol:
        _fail(
            f"rho(g) is not orthogonal: worst at g={labels[g]} (relative error {errs[g]:.3g} > tolerance {tol:.3g})"
        )
    if not rho.is_orthogonal():
        _fail("all element matrices are orthogonal but rho.is_orthogonal() is False")


def weyl_trick(rho: Representation) -> None:
    """``rho.orthogonalize()`` returns an orthogonal, equivalent representation ``σ = L ρ L⁻¹``.

    Checks that σ is orthogonal, that ``σ(s) = L ρ(s) L⁻¹`` on generators, and that the
    characters agree.

    Examples
    --------
    >>> import numpy as np
    >>> from reptheory import groups
    >>> weyl_trick(Representation.regular(groups.cyclic(3)).change_basis(np.diag([1.0, 2.0, 3.0])))
    """
    __tracebackhide__ = True
    sigma, L = rho.orthogonalize()
    orthogonality(sigma)
    Linv = np.linalg.inv(L)
    for j, (a, b) in enumerate(zip(rho.images, sigma.images, strict=True)):
        err = relative_error(L @ a @ Linv, b)
        if err > _TOL * max(1.0, float(np.linalg.cond(L))):
            _fail(f"orthogonalize: sigma(s_{j}) != L rho(s_{j}) L^-1 (relative error {err:.3g})")
    err = relative_error(_characters(rho), _characters(sigma))
    if err > _TOL * max(1.0, float(np.linalg.cond(L))):
        _fail(f"orthogonalize changed the character (relative error {err:.3g})")


def character_orthogonality(group: FiniteGroup) -> None:
    """Row and column orthogonality of the character table, and ``Σ χ_i(e)² = |G|``.

    ``(1/|G|) Σ_c |K_c| χ_i(c) conj(χ_j(c)) = δ_ij`` and
    ``Σ_i χ_i(c) conj(χ_i(c')) = δ_cc' |G| / |K_c|``; uses
    [`reptheory.characters.table.character_table`][reptheory.characters.table.character_table].

    Examples
    --------
    >>> from reptheory import groups
    >>> character_orthogonality(groups.symmetric(3))
    """
    __tracebackhide__ = True
    from reptheory.characters.table import character_table

    G = group
    ct = character_table(G)
    X = np.asarray(ct.values, dtype=np.complex128)
    sizes = np.asarray(ct.class_sizes, dtype=float)
    r = len(sizes)
    if X.shape != (r, r):
        _fail(f"character table has shape {X.shape}, expected ({r}, {r}) (one row per class)")
    if not np.array_equal(sizes, np.asarray(G.class_sizes, dtype=float)):
        _fail("character table class sizes differ from group.class_sizes")
    rows = (X * sizes[None, :]) @ X.conj().T / G.order
    err = relative_error(rows, np.eye(r))
    if err > _TOL:
        i, j = np.unravel_index(int(np.argmax(np.abs(rows - np.eye(r)))), rows.shape)
        _fail(f"rows {i}, {j} of the character table are not orthonormal: <chi_i, chi_j> = {rows[i, j]:.6g}")
    cols = X.conj().T @ X
    err = relative_error(cols, np.diag(G.order / sizes))
    if err > _TOL:
        _fail(f"columns of the character table are not orthogonal (relative error {err:.3g})")
    degs = X[:, 0].real
    if abs(float(np.sum(degs**2)) - G.order) > _TOL * G.order:
        _fail(f"sum of squared degrees is {np.sum(degs**2):.6g}, expected |G| = {G.order}")


def character_dimension_formula(rho_in: Representation, rho_out: Representation) -> None:
    """``<χ_in, χ_out>`` is a non-negative integer equal to ``dim Hom_G`` of the explicit average.

    docs/explanation/projector.md#characters: for real representations ``dim_R Hom_G(V, W) = (1/|G|) Σ_g χ_V(g) χ_W(g)``.
    The right-hand side is the rank of the brute-force Reynolds operator, so this law
    ties characters, element matrices and averaging together without any solver.

    Examples
    --------
    >>> from reptheory import groups
    >>> R = Representation.regular(groups.symmetric(3))
    >>> character_dimension_formula(R, R)
    """
    __tracebackhide__ = True
    _check_pair(rho_in, rho_out)
    G = _finite_group_of(rho_in, "character_dimension_formula")
    value = _inner(G, _characters(rho_out), np.conj(_characters(rho_in)))
    k = round(value.real)
    if abs(value - k) > 1e-8 * max(1, rho_in.dim * rho_out.dim) or k < 0:
        _fail(f"<chi_in, chi_out> = {value:.6g} is not a non-negative integer")
    d_in, d_out = rho_in.dim, rho_out.dim
    basis = np.eye(d_in * d_out).reshape(d_in * d_out, d_out, d_in)
    P = explicit_group_average(rho_in, rho_out, basis).reshape(d_in * d_out, -1)
    rank = int(np.linalg.matrix_rank(P, tol=_TOL * max(1.0, float(np.linalg.norm(P, 2)))))
    if rank != k:
        _fail(f"dim Hom_G from characters is {k} but the group average has rank {rank}")


def decomposition_reconstructs(rho: Representation, **kwargs: Any) -> None:
    """``rho.decompose()`` satisfies ``ρ(s) Q = Q ⊕_ψ (I_m ⊗ ψ(s))`` with consistent dimensions.

    Also: the blocks tile ``0..d``, Q is orthogonal when ρ is, each ψ is irreducible
    (``<χ_ψ, χ_ψ>`` equals 1, 2 or 4 by its real type, finite groups), and the reported
    error is small.  Keyword arguments go to ``decompose``.

    Examples
    --------
    >>> from reptheory import groups
    >>> decomposition_reconstructs(Representation.regular(groups.symmetric(3)))
    """
    __tracebackhide__ = True
    dec = rho.decompose(**kwargs)
    Q = np.asarray(dec.Q)
    d = rho.dim
    if Q.shape != (d, d):
        _fail(f"Q has shape {Q.shape}, expected ({d}, {d})")
    pos = 0
    for c in dec.components:
        if c.start != pos or c.stop - c.start != c.multiplicity * c.irrep.dim:
            _fail(
                f"component {c.label} occupies [{c.start}, {c.stop}), expected start {pos} and "
                f"length {c.multiplicity} x {c.irrep.dim}"
            )
        pos = c.stop
    if pos != d:
        _fail(f"components cover {pos} of {d} dimensions")
    tol = _TOL * max(1.0, float(np.linalg.cond(Q)))
    if rho.is_orthogonal() and relative_error(Q.T @ Q, np.eye(d)) > tol:
        _fail("Q is not orthogonal although rho is")
    for j in range(len(rho.images)):
        D = np.zeros((d, d), dtype=np.result_type(Q, rho.images))
        for c in dec.components:
            m, k = c.multiplicity, c.irrep.dim
            for i in range(m):
                a = c.start + i * k
                D[a : a + k, a : a + k] = c.irrep.images[j]
        err = relative_error(rho.images[j] @ Q, Q @ D)
        if err > tol:
            _fail(f"rho(s_{j}) Q != Q D(s_{j}) (relative error {err:.3g} > tolerance {tol:.3g})")
    if isinstance(rho.group, FiniteGroup):
        expected = {"R": 1, "C": 2, "H": 4}
        for c in dec.components:
            chi = _characters(c.irrep)
            val = _inner(rho.group, chi, chi).real
            want = expected.get(str(c.irrep.real_type))
            if want is None or abs(val - want) > 1e-8:
                _fail(
                    f"component {c.label}: <chi, chi> = {val:.6g} does not match real type {c.irrep.real_type!r}"
                )


def frobenius_reciprocity(sigma: Representation, rho: Representation) -> None:
    """``<χ_{Ind σ}, χ_ρ>_G = <χ_σ, χ_{Res ρ}>_H`` and ``dim Ind σ = [G:H] dim σ``.

    ``sigma`` is a representation of a subgroup ``H`` built by ``G.subgroup`` and
    ``rho`` one of ``G = H.parent``.  Characters come from traces of element matrices.

    Examples
    --------
    >>> from reptheory import groups
    >>> G = groups.symmetric(3)
    >>> H = G.subgroup([G.generators[0]])
    >>> frobenius_reciprocity(Representation.trivial(H), Representation.regular(G))
    """
    __tracebackhide__ = True
    H = sigma.group
    if not isinstance(H, FiniteGroup) or H.parent is None:
        raise InvalidArgumentError("sigma must be a representation of a subgroup built by G.subgroup()")
    G = H.parent
    if rho.group != G:
        raise InvalidArgumentError(f"rho must be a representation of {G.name}, got one of {rho.group.name}")
    ind = sigma.induce(G)
    if ind.dim != (G.order // H.order) * sigma.dim:
        _fail(f"dim Ind = {ind.dim}, expected [G:H] dim sigma = {(G.order // H.order) * sigma.dim}")
    lhs = _inner(G, _characters(ind), _characters(rho))
    rhs = _inner(H, _characters(sigma), _characters(rho.restrict(H)))
    if abs(lhs - rhs) > 1e-8 * max(1, ind.dim * rho.dim):
        _fail(
            f"Frobenius reciprocity fails: <Ind sigma, rho>_G = {lhs:.6g} but <sigma, Res rho>_H = {rhs:.6g}"
        )


def power_commutant_dimension(rho: Representation, k: int, kind: str = "symmetric") -> None:
    """``dim End_G(Sym^k ρ)`` (or ``Λ^k ρ``) equals ``∫_G |χ(g)|² dg`` with ``χ = h_k`` (or ``e_k``) of the eigenvalues of ``ρ(g)``.

    Also checks that the power carries the field of ``ρ``: a complex ``ρ`` gives complex
    images and Lie-algebra images (an imaginary part dropped on the way is the defect
    this law was written for). The character side never builds the power: ``h_k`` and
    ``e_k`` come from Newton's identities on the eigenvalues of ``ρ(g)``, integrated over
    the group elements (finite groups) or by Weyl integration on the maximal torus
    (products of SO(2), O(2), SO(3), O(3), SU(2), U(1)); the left side is the dimension of
    [`reptheory.hom.space.intertwiners`][reptheory.hom.space.intertwiners] (complex dimension for complex ``ρ``).

    Examples
    --------
    >>> from reptheory.groups.lie_catalog import U1
    >>> power_commutant_dimension(Representation.defining(U1()) + Representation.trivial(U1()), 2)
    """
    __tracebackhide__ = True
    from reptheory.hom.space import intertwiners

    if kind not in ("symmetric", "exterior"):
        raise InvalidArgumentError(f"kind must be 'symmetric' or 'exterior', got {kind!r}")
    if not isinstance(k, int) or k < 1:
        raise InvalidArgumentError(f"k must be a positive int, got {k!r}")
    W = rho.symmetric_power(k) if kind == "symmetric" else rho.exterior_power(k)
    if rho.is_complex and not (W.images.dtype.kind == "c" and W.algebra.dtype.kind == "c"):
        _fail(f"{kind} power {k} of a complex representation has images {W.images.dtype}, algebra {W.algebra.dtype}")

    def sq(eigs: np.ndarray) -> np.ndarray:
        return np.abs(power_character(eigs, k, kind)) ** 2

    if isinstance(rho.group, FiniteGroup):
        value = complex(sq(np.linalg.eigvals(rho.matrices())).mean())
    else:
        value = torus_class_integral(rho, sq, degree=2 * k)
    want = round(value.real)
    if abs(value - want) > 1e-6 * max(1, W.dim**2):
        _fail(f"the character integral {value:.6g} of |chi_(Sym/Ext^{k})|^2 is not an integer")
    got = intertwiners(W, W).dim
    if got != want:
        _fail(f"dim End_G({kind} power {k} of {rho.name}) = {got}, but the character formula gives {want}")


# ========================================================================= projectors
def projector_idempotent(
    rho_in: Representation, rho_out: Representation, W: Any, *, space: Any = None
) -> None:
    """``P(P(W)) = P(W)``.

    ``space`` is anything with ``.project(W)`` (an ``IntertwinerSpace``) or a callable;
    by default ``reptheory.hom.space.intertwiners(rho_in, rho_out)``.

    Examples
    --------
    >>> import numpy as np
    >>> from reptheory import groups
    >>> R = Representation.regular(groups.cyclic(3))
    >>> projector_idempotent(R, R, np.eye(3)[::-1], space=lambda W: explicit_group_average(R, R, W))
    """
    __tracebackhide__ = True
    W = _check_W(rho_in, rho_out, W)
    sp = _space(rho_in, rho_out, space)
    PW = _project(sp, W)
    err = relative_error(_project(sp, PW), PW)
    if err > _TOL:
        _fail(f"P is not idempotent: P(P(W)) != P(W) (relative error {err:.3g} > tolerance {_TOL:.3g})")


def projector_self_adjoint(
    rho_in: Representation, rho_out: Representation, A: Any, B: Any, *, space: Any = None
) -> None:
    """``<P(A), B> = <A, P(B)>`` (Frobenius), which holds for orthogonal representations (docs/explanation/projector.md#reynolds-is-orthogonal).

    Examples
    --------
    >>> import numpy as np
    >>> from reptheory import groups
    >>> R = Representation.regular(groups.cyclic(3))
    >>> P = lambda W: explicit_group_average(R, R, W)
    >>> projector_self_adjoint(R, R, np.eye(3), np.arange(9.0).reshape(3, 3), space=P)
    """
    __tracebackhide__ = True
    A = _check_W(rho_in, rho_out, A, "A")
    B = _check_W(rho_in, rho_out, B, "B")
    sp = _space(rho_in, rho_out, space)
    lhs = complex(np.vdot(B, _project(sp, A)))
    rhs = complex(np.vdot(_project(sp, B), A))
    err = abs(lhs - rhs) / max(1.0, float(np.linalg.norm(A) * np.linalg.norm(B)))
    if err > _TOL:
        _fail(
            f"P is not self-adjoint: <P(A), B> = {lhs:.6g} but <A, P(B)> = {rhs:.6g} (relative error {err:.3g})"
        )


def projection_commutes_with_generators(
    rho_in: Representation, rho_out: Representation, W: Any, *, space: Any = None
) -> None:
    """``ρ_out(s) P(W) = P(W) ρ_in(s)`` for every discrete generator s and ``dρ`` of every Lie generator.

    Examples
    --------
    >>> import numpy as np
    >>> from reptheory import groups
    >>> R = Representation.regular(groups.dihedral(3))
    >>> projection_commutes_with_generators(R, R, np.eye(6)[::-1], space=lambda W: explicit_group_average(R, R, W))
    """
    __tracebackhide__ = True
    W = _check_W(rho_in, rho_out, W)
    PW = _project(_space(rho_in, rho_out, space), W)
    res = intertwiner_residuals(PW, rho_in, rho_out)
    if res:
        name, err = max(res, key=lambda t: t[1])
        if err > _TOL:
            _fail(f"P(W) does not commute with {name} (relative error {err:.3g} > tolerance {_TOL:.3g})")


def projector_fixes_equivariant(
    rho_in: Representation, rho_out: Representation, W: Any, *, space: Any = None
) -> None:
    """For an intertwiner ``W`` (checked first), ``P(W) = W``.

    Examples
    --------
    >>> import numpy as np
    >>> from reptheory import groups
    >>> R = Representation.regular(groups.cyclic(3))
    >>> projector_fixes_equivariant(R, R, np.ones((3, 3)), space=lambda W: explicit_group_average(R, R, W))
    """
    __tracebackhide__ = True
    W = _check_W(rho_in, rho_out, W)
    assert_intertwiner(W, rho_in, rho_out, rtol=_TOL * 100)
    err = relative_error(_project(_space(rho_in, rho_out, space), W), W)
    if err > _TOL:
        _fail(f"P does not fix an equivariant W: P(W) != W (relative error {err:.3g} > tolerance {_TOL:.3g})")


def _character_dim(rho_in: Representation, rho_out: Representation) -> int:
    G = _finite_group_of(rho_in, "the character formula")
    return round(_inner(G, _characters(rho_out), np.conj(_characters(rho_in))).real)


def projector_range_is_commutant(
    rho_in: Representation, rho_out: Representation, *, space: Any = None
) -> None:
    """The range of P is ``Hom_G``: basis elements intertwine, are fixed by P, and are independent.

    Together with [`projector_rank`][reptheory.testing.laws.projector_rank] (dimension) this identifies ``range P = Hom_G``.
    Uses ``space.basis`` of shape ``(k, d_out, d_in)``.

    Examples
    --------
    >>> from reptheory import groups
    >>> R = Representation.regular(groups.cyclic(3))
    >>> projector_range_is_commutant(R, R)
    """
    __tracebackhide__ = True
    sp = _space(rho_in, rho_out, space)
    basis = np.asarray(sp.basis)
    k = basis.shape[0]
    if basis.shape[1:] != (rho_out.dim, rho_in.dim):
        _fail(f"basis has shape {basis.shape}, expected (k, {rho_out.dim}, {rho_in.dim})")
    if k != getattr(sp, "dim", k):
        _fail(f"space.dim = {sp.dim} but the basis has {k} elements")
    for i in range(k):
        res = intertwiner_residuals(basis[i], rho_in, rho_out)
        if res:
            name, err = max(res, key=lambda t: t[1])
            if err > _TOL:
                _fail(f"basis element {i} does not commute with {name} (relative error {err:.3g})")
        err = relative_error(_project(sp, basis[i]), basis[i])
        if err > _TOL:
            _fail(f"P does not fix basis element {i} (relative error {err:.3g})")
    if k:
        flat = basis.reshape(k, -1)
        rank = int(np.linalg.matrix_rank(flat, tol=_TOL * max(1.0, float(np.linalg.norm(flat, 2)))))
        if rank != k:
            _fail(f"the {k} basis elements span only a {rank}-dimensional space")


def projector_rank(rho_in: Representation, rho_out: Representation, *, space: Any = None) -> None:
    """``dim Hom_G = rank P`` equals the character formula ``<χ_in, χ_out>`` (finite groups).

    The rank is measured on P itself (``P`` applied to the standard basis), not taken
    from ``space.dim``; ``space.dim`` must agree too when the space reports one.

    Examples
    --------
    >>> from reptheory import groups
    >>> R = Representation.regular(groups.dihedral(3))
    >>> projector_rank(R, R, space=lambda W: explicit_group_average(R, R, W))
    """
    __tracebackhide__ = True
    sp = _space(rho_in, rho_out, space)
    want = _character_dim(rho_in, rho_out)
    d_in, d_out = rho_in.dim, rho_out.dim
    cols = np.stack([_project(sp, e.reshape(d_out, d_in)).ravel() for e in np.eye(d_in * d_out)], axis=1)
    rank = int(np.linalg.matrix_rank(cols, tol=_TOL * max(1.0, float(np.linalg.norm(cols, 2)))))
    if rank != want:
        _fail(f"rank P = {rank} but the character formula gives dim Hom_G = {want}")
    dim = getattr(sp, "dim", None)
    if dim is not None and int(dim) != want:
        _fail(f"space.dim = {dim} but the character formula gives dim Hom_G = {want}")


def projector_exact_matches_numeric(rho_in: Representation, rho_out: Representation, W: Any) -> None:
    """The exact (``exact=True``) and float64 intertwiner spaces agree.

    Same dimension; the numeric projector fixes every exact basis element (so the ranges
    coincide); and, for orthogonal representations, ``P(W)`` equals the projection
    ``Bᵀ (B Bᵀ)⁻¹ B vec(W)`` onto the span of the exact basis, with the Gram matrix
    ``B Bᵀ`` inverted in rational arithmetic (docs/explanation/projector.md#reynolds-is-orthogonal).

    Examples
    --------
    >>> from reptheory import groups
    >>> import numpy as np
    >>> R = Representation.regular(groups.cyclic(3))
    >>> projector_exact_matches_numeric(R, R, np.eye(3)[::-1])
    """
    __tracebackhide__ = True
    import sympy

    W = _check_W(rho_in, rho_out, W)
    num = _space(rho_in, rho_out, None)
    ex = _space(rho_in, rho_out, None, exact=True)
    if int(num.dim) != int(ex.dim):
        _fail(f"exact dim Hom_G = {ex.dim} but numeric dim = {num.dim}")
    exact_basis = list(ex.basis_exact)
    if len(exact_basis) != int(ex.dim):
        _fail(f"the exact basis has {len(exact_basis)} elements but dim = {ex.dim}")
    if not exact_basis:
        return
    Bq = sympy.Matrix([list(sympy.Matrix(b)) for b in exact_basis])  # (k, d_out*d_in), row-major
    B = np.array(Bq.evalf(30), dtype=np.float64)
    for i, b in enumerate(B):
        Bi = b.reshape(rho_out.dim, rho_in.dim)
        err = relative_error(_project(num, Bi), Bi)
        if err > _TOL * max(1.0, float(np.linalg.norm(Bi))):
            _fail(f"the numeric projector does not fix exact basis element {i} (relative error {err:.3g})")
    if rho_in.is_orthogonal() and rho_out.is_orthogonal():
        gram_inv = np.array((Bq * Bq.T).inv().evalf(30), dtype=np.float64)
        ref = (B.T @ (gram_inv @ (B @ W.ravel()))).reshape(W.shape)
        err = relative_error(_project(num, W), ref)
        if err > _TOL:
            _fail(f"exact and numeric projections differ (relative error {err:.3g} > tolerance {_TOL:.3g})")


def projector_matches_group_average(
    rho_in: Representation, rho_out: Representation, W: Any, *, space: Any = None
) -> None:
    """``P(W) = (1/|G|) Σ_g ρ_out(g) W ρ_in(g)⁻¹`` (finite groups; the Reynolds operator, docs/explanation/projector.md#reynolds-operator).

    Examples
    --------
    >>> from reptheory import groups
    >>> import numpy as np
    >>> R = Representation.regular(groups.cyclic(3))
    >>> projector_matches_group_average(R, R, np.eye(3)[::-1])
    """
    __tracebackhide__ = True
    W = _check_W(rho_in, rho_out, W)
    PW = _project(_space(rho_in, rho_out, space), W)
    ref = explicit_group_average(rho_in, rho_out, W)
    err = relative_error(PW, ref)
    if err > _TOL:
        _fail(
            f"P(W) differs from the explicit group average (relative error {err:.3g} > tolerance {_TOL:.3g})"
        )
