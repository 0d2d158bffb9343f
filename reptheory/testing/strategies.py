"""Hypothesis strategies for groups, representations, intertwiner pairs and weights.

Every strategy follows Hypothesis's house style: plural names, keyword-only
bounds, bounds checked when the strategy is *built* (impossible bounds raise
:class:`~reptheory.errors.InvalidArgumentError` naming the argument and the
value), and examples built constructively so that failures shrink to small,
readable objects:

* :func:`finite_groups` first draws the order (shrinking towards ``min_order``),
  then a family that has exactly that order (cyclic first, so shrinking ends on
  ``C_n``), and finally, optionally, a random relabelling of the elements
  (shrinking towards "no relabelling");
* :func:`representations` draws direct sums, tensor products and duals of
  building blocks (irreps when :mod:`reptheory.decomposition.irreps.finite` is available,
  otherwise permutation representations on cosets of cyclic subgroups, their
  sign characters and their parts orthogonal to the constant vector), then a
  basis change ``Q = (I − K)(I + K)⁻¹`` from an antisymmetric ``K`` (the Cayley
  transform: orthogonal, rational when ``K`` is, and the identity when ``K``
  shrinks to zero).

Random tables are never rejection-sampled.

Examples
--------
>>> from hypothesis import given, settings
>>> from reptheory.testing import strategies as rst
>>> @settings(max_examples=5, database=None)
... @given(rst.finite_groups(max_order=8))
... def test_order(G):
...     assert 1 <= G.order <= 8
>>> test_order()
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st

from reptheory.errors import InvalidArgumentError
from reptheory.groups import catalog
from reptheory.groups.finite import FiniteGroup
from reptheory.reps.representation import Representation

__all__ = [
    "cayley_tables",
    "finite_groups",
    "subgroups",
    "lie_groups",
    "representations",
    "intertwiner_pairs",
    "weights_for",
    "rotation_matrices",
]

#: Default upper bound on group orders drawn by :func:`finite_groups` (keeps examples cheap).
DEFAULT_MAX_ORDER = 24
#: Default upper bound on representation dimensions.
DEFAULT_MAX_DIM = 8


# --------------------------------------------------------------------- validation
def _check_int(value: Any, name: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise InvalidArgumentError(f"{name} must be an integer, got {value!r}")
    if int(value) < minimum:
        raise InvalidArgumentError(f"{name} must be >= {minimum}, got {value!r}")
    return int(value)


def _check_bounds(min_order: Any, max_order: Any) -> tuple[int, int]:
    lo = _check_int(min_order, "min_order", 1)
    hi = _check_int(max_order, "max_order", 1)
    if lo > hi:
        raise InvalidArgumentError(f"min_order={lo} exceeds max_order={hi}: no group can be drawn")
    return lo, hi


def _check_group(group: Any, name: str = "group") -> None:
    if isinstance(group, FiniteGroup):
        return
    if hasattr(group, "lie_dim"):
        return
    raise InvalidArgumentError(
        f"{name} must be a FiniteGroup or a compact Lie group, got {type(group).__name__}"
    )


# ------------------------------------------------------------------ finite groups
def _factorial_inverse(n: int) -> int | None:
    k, f = 1, 1
    while f < n:
        k += 1
        f *= k
    return k if f == n else None


#: Exact matrix groups of the catalogue (point groups of grids and polyhedra), by order.
_POINT_GROUPS = {4: "square_rotations", 8: "square_symmetries", 12: "tetrahedral", 24: "octahedral"}


@lru_cache(maxsize=512)
def _families_of_order(n: int) -> tuple[str, ...]:
    """Names of the constructive families with exactly ``n`` elements, simplest first."""
    fam = ["cyclic"]
    if n % 2 == 0 and n >= 2:
        fam.append("dihedral")
    if n == 4:
        fam.append("klein_four")
    if n in _POINT_GROUPS:
        fam.append("point")
    if n % 4 == 0 and n >= 8:
        fam.append("dicyclic")
    k = _factorial_inverse(n)
    if k is not None and k >= 3:
        fam.append("symmetric")
    k = _factorial_inverse(2 * n)
    if k is not None and k >= 4:
        fam.append("alternating")
    if _factor_pairs(n):
        fam.append("product")
    if _semidirect_choices(n):
        fam.append("semidirect")
    return tuple(fam)


@lru_cache(maxsize=512)
def _factor_pairs(n: int) -> tuple[tuple[int, int], ...]:
    return tuple((a, n // a) for a in range(2, math.isqrt(n) + 1) if n % a == 0)


@lru_cache(maxsize=512)
def _semidirect_choices(n: int) -> tuple[tuple[int, int, int], ...]:
    """``(a, b, u)``: ``C_a ⋊ C_b`` with the generator of ``C_b`` acting as ``x ↦ u·x``, ``u ≠ 1``."""
    out = []
    for a, b in [(a, n // a) for a in range(3, n // 2 + 1) if n % a == 0]:
        for u in range(2, a):
            if math.gcd(u, a) == 1 and pow(u, b, a) == 1:
                out.append((a, b, u))
    return tuple(out)


def _base_group(family: str, n: int) -> FiniteGroup:
    if family == "cyclic":
        return catalog.cyclic(n)
    if family == "dihedral":
        return catalog.dihedral(n // 2)
    if family == "klein_four":
        return catalog.klein_four()
    if family == "point":
        return getattr(catalog, _POINT_GROUPS[n])()
    if family == "dicyclic":
        return catalog.quaternion() if n == 8 else catalog.dicyclic(n // 4)
    if family == "symmetric":
        return catalog.symmetric(_factorial_inverse(n))  # type: ignore[arg-type]
    if family == "alternating":
        return catalog.alternating(_factorial_inverse(2 * n))  # type: ignore[arg-type]
    raise AssertionError(family)  # pragma: no cover


_BASE = ("cyclic", "dihedral", "klein_four", "point", "dicyclic", "symmetric", "alternating")


@st.composite
def _groups_of_order(draw: Any, n: int, compound: bool) -> FiniteGroup:
    fams = [f for f in _families_of_order(n) if compound or f in _BASE]
    family = draw(st.sampled_from(fams))
    if family == "product":
        a, b = draw(st.sampled_from(_factor_pairs(n)))
        G1 = draw(_groups_of_order(a, compound=False))
        G2 = draw(_groups_of_order(b, compound=False))
        return catalog.direct_product(G1, G2)
    if family == "semidirect":
        a, b, u = draw(st.sampled_from(_semidirect_choices(n)))
        N, H = catalog.cyclic(a), catalog.cyclic(b)
        return catalog.semidirect_product(N, H, [[(u * x) % a for x in range(a)]])
    return _base_group(family, n)


@st.composite
def _permutation_groups(draw: Any, min_order: int, max_order: int) -> FiniteGroup:
    degree_cap = 1
    while math.factorial(degree_cap + 1) <= max_order and degree_cap < 6:
        degree_cap += 1
    m = draw(st.integers(1, degree_cap))
    k = draw(st.integers(1, 2))
    gens = [draw(st.permutations(range(m))) for _ in range(k)]
    G = FiniteGroup.from_permutations(gens, max_order=max_order)
    assume(G.order >= min_order)
    return G


def _relabelled(G: FiniteGroup, sigma: list[int]) -> FiniteGroup:
    """``G`` with element ``i`` renamed ``sigma[i]``: ``T'[σ(i), σ(j)] = σ(T[i, j])``."""
    if G.order == 1:
        # nothing to relabel (and the table group [[0]] has an empty generating set, which
        # the core does not handle yet)
        return G
    s = np.asarray(sigma, dtype=np.int64)
    t = G.table
    new = np.empty_like(t)
    new[s[:, None], s[None, :]] = s[t]
    labels = [""] * G.order
    for i, lab in enumerate(G.labels):
        labels[s[i]] = lab
    return FiniteGroup.from_cayley_table(new, labels=labels, name=f"relabelled {G.name}")


def finite_groups(
    *, min_order: int = 1, max_order: int = DEFAULT_MAX_ORDER, relabel: bool = True
) -> st.SearchStrategy[FiniteGroup]:
    """Finite groups of order in ``[min_order, max_order]``, built constructively.

    Families: cyclic, dihedral, Klein four, dicyclic (quaternion), symmetric,
    alternating, the exact point groups of the catalogue (square rotations and
    symmetries, tetrahedral, octahedral), direct products of two of these, semidirect products
    ``C_a ⋊ C_b`` with a non-trivial action, and groups generated by one or two
    random permutations.  With ``relabel`` the elements may be renamed by a random
    permutation (the result is then a Cayley-table group: the identity need not be
    element 0 and generators are chosen greedily).

    Parameters
    ----------
    min_order, max_order : int
        Inclusive bounds on ``|G|``; ``1 <= min_order <= max_order``.
    relabel : bool
        Allow random relabellings of the elements.

    Raises
    ------
    InvalidArgumentError
        Non-integer or impossible bounds (raised when the strategy is built).

    Notes
    -----
    Shrinks towards small orders, then towards the cyclic group, then towards no
    relabelling.  Drawing costs ``O(|G|²)`` (the table of a relabelled group).

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10, database=None)
    ... @given(finite_groups(min_order=6, max_order=12))
    ... def check(G):
    ...     assert 6 <= G.order <= 12 and G.mul(G.identity, G.generators[0]) == G.generators[0]
    >>> check()
    >>> finite_groups(min_order=5, max_order=2)
    Traceback (most recent call last):
    ...
    reptheory.errors.InvalidArgumentError: min_order=5 exceeds max_order=2: no group can be drawn
    """
    lo, hi = _check_bounds(min_order, max_order)
    if not isinstance(relabel, bool):
        raise InvalidArgumentError(f"relabel must be a bool, got {relabel!r}")
    constructive = st.integers(lo, hi).flatmap(lambda n: _groups_of_order(n, compound=True))
    # about one draw in four comes from random permutations
    base = st.one_of(constructive, st.one_of(constructive, _permutation_groups(lo, hi)))
    if not relabel:
        return base
    return _maybe_relabel(base)


@st.composite
def _maybe_relabel(draw: Any, base: st.SearchStrategy[FiniteGroup]) -> FiniteGroup:
    G = draw(base)
    if draw(st.booleans()):
        G = _relabelled(G, draw(st.permutations(range(G.order))))
    return G


def cayley_tables(*, min_order: int = 1, max_order: int = DEFAULT_MAX_ORDER) -> st.SearchStrategy[np.ndarray]:
    """Valid Cayley tables (``table[i, j] = i · j``, shape (n, n), int64), randomly relabelled.

    Drawn from :func:`finite_groups` and relabelled by a random permutation, so the
    identity may be any element.  Shrinks towards small cyclic groups in their
    natural labelling.

    Raises
    ------
    InvalidArgumentError
        Impossible bounds.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> from reptheory import FiniteGroup
    >>> @settings(max_examples=10, database=None)
    ... @given(cayley_tables(max_order=10))
    ... def check(t):
    ...     assert FiniteGroup.from_cayley_table(t).order == len(t)
    >>> check()
    """
    lo, hi = _check_bounds(min_order, max_order)
    return finite_groups(min_order=lo, max_order=hi, relabel=False).flatmap(_relabelled_tables)


def _relabelled_tables(G: FiniteGroup) -> st.SearchStrategy[np.ndarray]:
    return st.permutations(range(G.order)).map(lambda s: np.array(_relabelled(G, s).table))


def subgroups(group: FiniteGroup, *, max_generators: int = 2) -> st.SearchStrategy[FiniteGroup]:
    """Subgroups of ``group`` generated by up to ``max_generators`` random elements.

    The result is built by ``group.subgroup`` (so it has ``.parent`` and
    ``.embedding`` and works with ``restrict`` / ``induce``).  Shrinks towards
    the trivial subgroup.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> from reptheory import groups
    >>> G = groups.dihedral(4)
    >>> @settings(max_examples=10, database=None)
    ... @given(subgroups(G))
    ... def check(H):
    ...     assert G.order % H.order == 0
    >>> check()
    """
    if not isinstance(group, FiniteGroup):
        raise InvalidArgumentError(f"group must be a FiniteGroup, got {type(group).__name__}")
    k = _check_int(max_generators, "max_generators", 0)
    return st.lists(st.integers(0, group.order - 1), max_size=k).map(lambda gens: group.subgroup(gens))


# ------------------------------------------------------------------- Lie groups
_LIE_FACTORIES = ("SO2", "O2", "SO3", "O3", "SU2", "U1")


def lie_groups(*, products: bool = True) -> st.SearchStrategy[Any]:
    """Compact Lie groups from the catalogue: SO(2), O(2), SO(3), O(3), SU(2), U(1), and products.

    Draws come from :mod:`reptheory.groups.lie_catalog` (imported when the strategy is
    drawn from, not when it is built).  Shrinks towards SO(2).

    Parameters
    ----------
    products : bool
        Also draw direct products of two catalogue groups (``lie_direct_product``).
        Products have no closed-form irreps; :func:`representations` then builds on
        their trivial and defining representations.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5, database=None)
    ... @given(lie_groups())
    ... def check(G):
    ...     assert G.lie_dim >= 1
    >>> check()
    """
    if not isinstance(products, bool):
        raise InvalidArgumentError(f"products must be a bool, got {products!r}")

    @st.composite
    def _draw(draw: Any) -> Any:
        from reptheory.groups import lie_catalog

        G = getattr(lie_catalog, draw(st.sampled_from(_LIE_FACTORIES)))()
        if products and draw(st.booleans()):
            H = getattr(lie_catalog, draw(st.sampled_from(_LIE_FACTORIES)))()
            G = lie_catalog.lie_direct_product(G, H)
        return G

    return _draw()


# -------------------------------------------------------------- representations
def _coset_representation(G: FiniteGroup, g: int) -> Representation:
    """Permutation representation of ``G`` on the left cosets of ``⟨g⟩``."""
    H = G.subgroup([g])
    cosets = G.left_cosets(H)
    where = np.empty(G.order, dtype=np.int64)
    for i, c in enumerate(cosets):
        where[c] = i
    tr = [int(c[0]) for c in cosets]
    perms = [[int(where[G.mul(s, t)]) for t in tr] for s in G.generators]
    return Representation.permutation(G, perms, name=f"perm(G/<{G.labels[g]}>)", validate=False)


def _sign_of(rep: Representation) -> Representation:
    """The 1-dimensional sign character of a permutation representation."""
    from reptheory.reps.representation import _perm_sign

    assert rep.monomial is not None
    signs = np.array([[_perm_sign(p)] for p in rep.monomial[0]])
    return Representation._from_monomial(
        rep.group, np.zeros((len(signs), 1), dtype=np.int64), signs, name=f"sgn({rep.name})", validate=False
    )


def _augmentation(rep: Representation) -> Representation | None:
    """A permutation representation restricted to the complement of the constant vector."""
    m = rep.dim
    if m < 2:
        return None
    ones = np.ones((m, 1)) / np.sqrt(m)
    q, _ = np.linalg.qr(np.concatenate([ones, np.eye(m)[:, : m - 1]], axis=1))
    from reptheory.reps.algebra import subspace

    return subspace(rep, q[:, 1:], f"aug({rep.name})")


@lru_cache(maxsize=64)
def _coset_blocks(group: FiniteGroup, max_dim: int, exact: bool) -> tuple[Representation, ...]:
    """Trivial, defining (matrix and permutation groups), coset permutation reps, their signs
    and (numeric only) their augmentation parts."""
    blocks: list[Representation] = [Representation.trivial(group)]
    if group.generator_matrices is not None or group.generator_perms is not None:
        defining = Representation.defining(group)
        if defining.dim <= max_dim and (not exact or defining.exact_images is not None):
            blocks.append(defining)
    seen = {b.key for b in blocks}
    for g in group.class_representatives:
        rep = _coset_representation(group, int(g))
        for r in (rep, _sign_of(rep), None if exact else _augmentation(rep)):
            if r is not None and r.dim <= max_dim and r.key not in seen:
                seen.add(r.key)
                blocks.append(r)
    return tuple(blocks)


@lru_cache(maxsize=64)
def _building_blocks(group: FiniteGroup, max_dim: int, exact: bool = False) -> tuple[Representation, ...]:
    """Irreps (numeric draws, when :mod:`reptheory.decomposition.irreps.finite` exists) and the coset blocks."""
    cosets = _coset_blocks(group, max_dim, exact)
    if exact:
        return cosets
    try:
        from reptheory.decomposition.irreps.finite import finite_irreps
    except ImportError:
        return cosets
    irreps = tuple(r for r in finite_irreps(group) if r.dim <= max_dim)
    return irreps + cosets[1:]


def _is_lie(group: Any) -> bool:
    return not isinstance(group, FiniteGroup)


@lru_cache(maxsize=64)
def _lie_blocks(group: Any, max_dim: int) -> tuple[Representation, ...]:
    """Catalogue irreps up to label 2 (complex ones realified), else trivial and defining."""
    from reptheory.errors import ReptheoryError
    from reptheory.reps.lie import realify

    try:
        cands = list(group.irreps(2))
    except ReptheoryError:
        cands = [Representation.trivial(group), Representation.defining(group)]
    out = [] if any(r.dim == 1 and not r.is_complex for r in cands) else [Representation.trivial(group)]
    for r in cands:
        if r.is_complex:
            r = realify(r)
        if r.dim <= max_dim:
            out.append(r)
    return tuple(out)


def _change_basis(rep: Representation, Q: Any) -> Representation:
    """``rep.change_basis(Q)``, or ``rep`` itself (with its monomial / exact structure) when Q = I."""
    if np.array_equal(np.asarray(Q, dtype=float), np.eye(rep.dim)):
        return rep
    return rep.change_basis(Q)


def _cayley_transform(K: np.ndarray) -> np.ndarray:
    eye = np.eye(len(K))
    return (eye - K) @ np.linalg.inv(eye + K)


@st.composite
def _basis_changes(draw: Any, d: int, orthogonal: bool, exact: bool) -> Any:
    """A basis change: orthogonal Cayley transform, or ``I + N`` with ``‖N‖_F ≤ 1/2``."""
    n_off = d * (d - 1) // 2 if orthogonal else d * d
    if exact:
        vals = draw(st.lists(st.integers(-4, 4), min_size=n_off, max_size=n_off))
        import sympy

        if orthogonal:
            K = sympy.zeros(d, d)
            for v, (i, j) in zip(vals, zip(*np.triu_indices(d, 1), strict=True), strict=True):
                K[int(i), int(j)] = sympy.Rational(v, 4)
                K[int(j), int(i)] = -sympy.Rational(v, 4)
            eye = sympy.eye(d)
            return sympy.ImmutableMatrix((eye - K) * (eye + K).inv())
        N = sympy.Matrix(d, d, [sympy.Rational(v, 8 * d) for v in vals])
        return sympy.ImmutableMatrix(sympy.eye(d) + N)
    vals = draw(
        st.lists(st.floats(-1.0, 1.0, allow_nan=False, allow_infinity=False), min_size=n_off, max_size=n_off)
    )
    if orthogonal:
        K = np.zeros((d, d))
        K[np.triu_indices(d, 1)] = vals
        return _cayley_transform(K - K.T)
    return np.eye(d) + np.asarray(vals).reshape(d, d) / (2 * d)


@st.composite
def _combinations(draw: Any, blocks: tuple[Representation, ...], max_dim: int, exact: bool) -> Representation:
    if exact:
        blocks = tuple(b for b in blocks if b.exact_images is not None)
    # small blocks first (shrinking target), the trivial one after the other 1-dimensional ones
    blocks = tuple(sorted(blocks, key=lambda r: (r.dim, r.name == "trivial")))
    block = st.sampled_from(blocks)
    terms: list[Representation] = []
    total = 0
    n_terms = draw(st.integers(1, 3))
    for _ in range(n_terms):
        kind = draw(st.sampled_from(("irrep", "dual", "tensor")))
        a = draw(block)
        if kind == "dual":
            a = a.dual()
        elif kind == "tensor":
            b = draw(block)
            if a.dim * b.dim + total <= max_dim:
                a = a.tensor(b)
        if total + a.dim > max_dim:
            break
        terms.append(a)
        total += a.dim
    if not terms:
        terms = [blocks[0]]
    return _direct_sum(terms)


def _direct_sum(terms: list[Representation]) -> Representation:
    if len(terms) == 1:
        return terms[0]
    rep = terms[0].direct_sum(*terms[1:])
    if rep.images.ndim != 3:
        # core workaround: direct_sum of representations of a group without discrete
        # generators returns images of shape (0, d, 0, d); rebuild with shape (0, d, d)
        rep = Representation(
            rep.group,
            np.zeros((0, rep.algebra.shape[-1], rep.algebra.shape[-1])),
            name=rep.name,
            algebra=rep.algebra,
            exact_images=rep.exact_images,
            exact_algebra=rep.exact_algebra,
            components=rep.components,
        )
    return rep


def representations(
    group: Any, *, max_dim: int = DEFAULT_MAX_DIM, orthogonal: bool = True, exact: bool = False
) -> st.SearchStrategy[Representation]:
    """Representations of ``group``: sums, tensor products and duals of irreps in a random basis.

    Parameters
    ----------
    group : FiniteGroup or compact Lie group
    max_dim : int
        Upper bound on the dimension (``>= 1``).
    orthogonal : bool
        Random *orthogonal* basis change (Cayley transform ``(I − K)(I + K)⁻¹`` of an
        antisymmetric ``K``), so the result is orthogonal; otherwise ``Q = I + N``
        with ``‖N‖_F ≤ 1/2`` (condition number at most 3), generally not orthogonal.
    exact : bool
        Build from blocks with exact images and use a rational basis change, so the
        result carries ``exact_images`` (finite groups only).

    Raises
    ------
    InvalidArgumentError
        Bad ``group`` or ``max_dim``; ``exact`` for a Lie group.

    Notes
    -----
    Building blocks: the group's real irreps (from :mod:`reptheory.decomposition.irreps`, numeric
    draws only, when that module is available), the defining representation of matrix
    and permutation groups, permutation representations on the
    cosets of cyclic subgroups (which include the regular representation when
    ``|G| <= max_dim``), their sign characters, and (numeric only) their
    restrictions to the complement of the constant vector.  A basis change that
    shrinks to the identity is skipped, so such draws keep their monomial and exact
    structure.  Shrinks towards a single block in its own basis.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> from reptheory import groups
    >>> @settings(max_examples=10, database=None)
    ... @given(representations(groups.dihedral(3), max_dim=4))
    ... def check(rho):
    ...     assert rho.dim <= 4 and rho.is_orthogonal()
    >>> check()
    """
    _check_group(group)
    d = _check_int(max_dim, "max_dim", 1)
    for name, val in (("orthogonal", orthogonal), ("exact", exact)):
        if not isinstance(val, bool):
            raise InvalidArgumentError(f"{name} must be a bool, got {val!r}")
    if exact and _is_lie(group):
        raise InvalidArgumentError("exact=True is supported for finite groups only")

    @st.composite
    def _draw(draw: Any) -> Representation:
        blocks = _lie_blocks(group, d) if _is_lie(group) else _building_blocks(group, d, exact)
        rep = draw(_combinations(blocks, d, exact))
        return _change_basis(rep, draw(_basis_changes(rep.dim, orthogonal, exact)))

    return _draw()


def intertwiner_pairs(
    group: Any, *, max_dim: int = DEFAULT_MAX_DIM, orthogonal: bool = True, exact: bool = False
) -> st.SearchStrategy[tuple[Representation, Representation]]:
    """Pairs ``(ρ_in, ρ_out)`` of representations of ``group`` that usually share constituents.

    Half of the draws build ``ρ_out`` as ``ρ_in ⊕ σ`` (or ``ρ_in`` itself) in a new
    basis, so ``Hom_G(ρ_in, ρ_out)`` is non-trivial; the rest are independent draws
    of :func:`representations`.  Same parameters as :func:`representations`.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> from reptheory import groups
    >>> @settings(max_examples=5, database=None)
    ... @given(intertwiner_pairs(groups.cyclic(3), max_dim=3))
    ... def check(pair):
    ...     rho_in, rho_out = pair
    ...     assert rho_in.group == rho_out.group
    >>> check()
    """
    reps = representations(group, max_dim=max_dim, orthogonal=orthogonal, exact=exact)
    d = int(max_dim)

    @st.composite
    def _draw(draw: Any) -> tuple[Representation, Representation]:
        rho_in = draw(reps)
        if draw(st.booleans()):
            blocks = _lie_blocks(group, d) if _is_lie(group) else _building_blocks(group, d, exact)
            extra = draw(st.lists(st.sampled_from(blocks), max_size=2))
            terms = [rho_in]
            for b in extra:
                if sum(t.dim for t in terms) + b.dim <= d and (not exact or b.exact_images is not None):
                    terms.append(b)
            out = _direct_sum(terms)
            return rho_in, _change_basis(out, draw(_basis_changes(out.dim, orthogonal, exact)))
        return rho_in, draw(reps)

    return _draw()


# ---------------------------------------------------------------------- weights
def rotation_matrices(d: int) -> st.SearchStrategy[np.ndarray]:
    """Random ``d × d`` rotation matrices (Cayley transforms), shrinking to the identity.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> import numpy as np
    >>> @settings(max_examples=5, database=None)
    ... @given(rotation_matrices(3))
    ... def check(Q):
    ...     assert np.allclose(Q @ Q.T, np.eye(3))
    >>> check()
    """
    _check_int(d, "d", 1)
    return _basis_changes(int(d), True, False)


def _reference_projection(rho_in: Representation, rho_out: Representation, W: np.ndarray) -> np.ndarray:
    """``P(W)``: explicit average for finite groups, the library's intertwiner space otherwise."""
    G = rho_in.group
    if isinstance(G, FiniteGroup):
        from reptheory.testing.laws import explicit_group_average

        return explicit_group_average(rho_in, rho_out, W)
    from reptheory.hom.space import intertwiners

    return np.asarray(intertwiners(rho_in, rho_out).project(W))


def _to_dtype(W: np.ndarray, dtype: Any) -> Any:
    text = str(dtype)
    if text.startswith("torch."):
        import torch

        return torch.as_tensor(W, dtype=dtype)
    return W.astype(dtype)


def weights_for(
    rho_in: Representation,
    rho_out: Representation,
    *,
    dtype: Any = "float64",
    equivariant: bool = False,
    violation: tuple[float, float] | None = None,
) -> st.SearchStrategy[Any]:
    """Weight matrices ``W`` of shape ``(d_out, d_in)`` for a layer ``ρ_in → ρ_out``.

    Parameters
    ----------
    rho_in, rho_out : Representation
        Of the same group.
    dtype
        A numpy dtype name / type (returns ``numpy.ndarray``) or a ``torch.dtype``
        (returns a ``torch.Tensor``; torch is imported only then).
    equivariant : bool
        Return ``P(A)`` for a random ``A``: an exact intertwiner (up to rounding to
        ``dtype``).
    violation : (float, float), optional
        Return ``W = P(A) + t · E / ‖E‖_F`` with ``E = B − P(B)`` for random ``A, B``
        and ``t`` drawn in the given range, so that ``‖W − P(W)‖_F = t`` exactly
        (examples where ``Hom_G`` is the whole space cannot have ``t > 0`` and are
        rejected).  Excludes ``equivariant``.

    Notes
    -----
    ``P`` is the Reynolds operator (docs/explanation/projector.md#reynolds-operator): the explicit group average for
    finite groups, :func:`reptheory.hom.space.intertwiners` for Lie groups.
    Entries of ``A`` and ``B`` are floats in ``[-1, 1]``, shrinking to 0.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> from reptheory import groups, Representation
    >>> G = groups.cyclic(4)
    >>> R = Representation.regular(G)
    >>> @settings(max_examples=5, database=None)
    ... @given(weights_for(R, R, equivariant=True))
    ... def check(W):
    ...     assert np.allclose(R.matrix(1) @ W, W @ R.matrix(1))
    >>> check()
    """
    for name, r in (("rho_in", rho_in), ("rho_out", rho_out)):
        if not isinstance(r, Representation):
            raise InvalidArgumentError(f"{name} must be a Representation, got {type(r).__name__}")
    if rho_in.group != rho_out.group:
        raise InvalidArgumentError(
            f"rho_in and rho_out are representations of different groups "
            f"({rho_in.group.name} and {rho_out.group.name})"
        )
    if violation is not None:
        if equivariant:
            raise InvalidArgumentError("equivariant=True and violation are mutually exclusive")
        try:
            lo, hi = (float(v) for v in violation)
        except (TypeError, ValueError):
            raise InvalidArgumentError(f"violation must be a pair (low, high), got {violation!r}") from None
        if not (0.0 <= lo <= hi and math.isfinite(hi)):
            raise InvalidArgumentError(f"violation must satisfy 0 <= low <= high < inf, got {violation!r}")
    shape = (rho_out.dim, rho_in.dim)
    size = shape[0] * shape[1]
    entries = st.lists(
        st.floats(-1.0, 1.0, allow_nan=False, allow_infinity=False), min_size=size, max_size=size
    ).map(lambda v: np.asarray(v, dtype=np.float64).reshape(shape))

    @st.composite
    def _draw(draw: Any) -> Any:
        A = draw(entries)
        if not equivariant and violation is None:
            return _to_dtype(A, dtype)
        PA = _reference_projection(rho_in, rho_out, A)
        if equivariant:
            return _to_dtype(PA, dtype)
        B = draw(entries)
        E = B - _reference_projection(rho_in, rho_out, B)
        t = draw(st.floats(lo, hi))
        nrm = float(np.linalg.norm(E))
        if t > 0:
            assume(nrm > 1e-6 * max(1.0, float(np.linalg.norm(B))))
            return _to_dtype(PA + (t / nrm) * E, dtype)
        return _to_dtype(PA, dtype)

    return _draw()
