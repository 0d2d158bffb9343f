"""Finite groups: construction, validation, derived data, catalogue."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reptheory import groups
from reptheory.errors import GroupAxiomError, InvalidArgumentError, ReptheoryError, TooLargeError
from reptheory.groups.finite import FiniteGroup

CATALOGUE = [
    (groups.cyclic, (1,), 1),
    (groups.cyclic, (7,), 7),
    (groups.dihedral, (1,), 2),
    (groups.dihedral, (2,), 4),
    (groups.dihedral, (5,), 10),
    (groups.symmetric, (1,), 1),
    (groups.symmetric, (2,), 2),
    (groups.symmetric, (4,), 24),
    (groups.alternating, (3,), 3),
    (groups.alternating, (4,), 12),
    (groups.alternating, (5,), 60),
    (groups.klein_four, (), 4),
    (groups.quaternion, (), 8),
    (groups.dicyclic, (3,), 12),
    (groups.square_rotations, (), 4),
    (groups.square_symmetries, (), 8),
    (groups.octahedral, (), 24),
    (groups.full_octahedral, (), 48),
    (groups.tetrahedral, (), 12),
    (groups.icosahedral, (), 60),
]

# number of conjugacy classes, from the literature
NUM_CLASSES = {
    "dihedral(5)": 4,
    "symmetric(4)": 5,
    "alternating(4)": 4,
    "alternating(5)": 5,
    "quaternion()": 5,
    "dicyclic(3)": 6,
    "octahedral()": 5,
    "full_octahedral()": 10,
    "tetrahedral()": 4,
    "icosahedral()": 5,
    "square_symmetries()": 5,
}


def brute_force_check(G: FiniteGroup) -> None:
    """Group axioms checked on the full table, O(n^3): the oracle for small groups."""
    t = G.table
    n = G.order
    ar = np.arange(n)
    lhs = t[t[:, :, None], ar[None, None, :]]  # (a b) c
    rhs = t[ar[:, None, None], t[None, :, :]]  # a (b c)
    assert np.array_equal(lhs, rhs)
    e = G.identity
    assert np.array_equal(t[e], ar) and np.array_equal(t[:, e], ar)
    inv = G.inverse(ar)
    assert (t[ar, inv] == e).all() and (t[inv, ar] == e).all()


@pytest.mark.parametrize(("factory", "args", "order"), CATALOGUE)
def test_catalogue_orders_and_axioms(factory, args, order):
    G = factory(*args)
    assert G.order == order
    brute_force_check(G)
    # classes partition the group and are closed under conjugation
    classes = G.conjugacy_classes()
    assert sum(len(c) for c in classes) == order
    assert classes[0].tolist() == [G.identity]
    for c in classes:
        for g in range(order):
            conj = np.asarray(G.conjugate(c, g))
            assert set(conj.tolist()) == set(c.tolist())
    # class sizes divide the order; element orders divide the exponent
    assert all(order % s == 0 for s in G.class_sizes)
    assert all(G.exponent % o == 0 for o in G.element_orders)
    if G.name in NUM_CLASSES:
        assert len(classes) == NUM_CLASSES[G.name]


def test_orders_of_symmetric_are_known_without_enumeration():
    S = groups.symmetric(10)
    assert S.order == math.factorial(10)
    assert not S.is_enumerated
    with pytest.raises(TooLargeError, match="limit"):
        _ = S.table
    with pytest.raises(TooLargeError, match="max_order"):
        _ = S.element_orders


def test_symmetric_presentation_holds_for_permutations():
    for n in range(3, 7):
        S = groups.symmetric(n)
        perms = S.generator_perms
        for word in S.relators:
            p = np.arange(n)
            for letter in word:
                g = perms[letter] if letter >= 0 else np.argsort(perms[~letter])
                p = p[g]
            assert np.array_equal(p, np.arange(n)), word


def relabel(table: np.ndarray, perm: np.ndarray) -> np.ndarray:
    """Relabel a Cayley table by pi: table'[pi(i), pi(j)] = pi(table[i, j])."""
    n = len(table)
    out = np.empty_like(table)
    out[perm[:, None], perm[None, :]] = perm[table]
    assert out.shape == (n, n)
    return out


@given(
    st.sampled_from(["cyclic(6)", "dihedral(4)", "quaternion()", "alternating(4)", "dicyclic(2)"]),
    st.randoms(use_true_random=False),
)
def test_relabelled_tables_give_isomorphic_groups(name, rnd):
    G = eval("groups." + name)
    perm = np.asarray(rnd.sample(range(G.order), G.order))
    H = FiniteGroup.from_cayley_table(relabel(G.table, perm))
    assert H.order == G.order
    assert sorted(len(c) for c in H.conjugacy_classes()) == sorted(len(c) for c in G.conjugacy_classes())
    assert sorted(H.element_orders.tolist()) == sorted(G.element_orders.tolist())
    assert H.identity == perm[G.identity]
    brute_force_check(H)


def test_large_table_validates_and_classes():
    G = groups.direct_product(groups.dihedral(10), groups.cyclic(100))
    H = FiniteGroup.from_cayley_table(G.table)
    assert H.order == 2000
    # D10 has 7 classes (n even: (n+6)/2 = 8? n=10 -> (10+6)/2 = 8), C100 has 100
    assert len(H.conjugacy_classes()) == 8 * 100


# ---------------------------------------------------------------- bad tables
@pytest.mark.parametrize(
    ("table", "match"),
    [
        ([[0, 1, 2], [1, 2, 0]], "square"),
        ([], "square"),
        ([[0.5, 1], [1, 0]], "integers"),
        ([["a", "b"], ["b", "a"]], "integers"),
        ([[0, 1], [1, 2]], "out of range"),
        ([[0, -1], [1, 0]], "out of range"),
        ([[0, 1], [0, 1]], "Latin square"),
        ([[0, 0], [1, 1]], "Latin square"),
        ([[0, 2, 1], [2, 1, 0], [1, 0, 2]], "identity"),
    ],
)
def test_bad_tables_raise_group_axiom_error(table, match):
    with pytest.raises(GroupAxiomError, match=match):
        FiniteGroup.from_cayley_table(table)


def test_non_associative_latin_square_names_elements():
    # a loop of order 5 with identity 0 that is not a group
    t = np.array(
        [
            [0, 1, 2, 3, 4],
            [1, 0, 3, 4, 2],
            [2, 4, 0, 1, 3],
            [3, 2, 4, 0, 1],
            [4, 3, 1, 2, 0],
        ]
    )
    with pytest.raises(GroupAxiomError, match=r"\(a\*b\)\*c != a\*\(b\*c\) for a=\d+, b=\d+, c=\d+") as info:
        FiniteGroup.from_cayley_table(t)
    a, b, c = (int(x) for x in __import__("re").findall(r"=(\d+)", str(info.value)))
    assert t[t[a, b], c] != t[a, t[b, c]]


def test_labels_length_checked():
    with pytest.raises(InvalidArgumentError, match="labels"):
        FiniteGroup.from_cayley_table([[0, 1], [1, 0]], labels=["e"])


def test_errors_are_value_errors():
    with pytest.raises(ValueError):
        FiniteGroup.from_cayley_table([[0, 1], [0, 1]])
    assert issubclass(GroupAxiomError, ReptheoryError)


# ---------------------------------------------------------------- from permutations / matrices
def test_from_permutations_and_sympy_permutation():
    from sympy.combinatorics import Permutation

    G = FiniteGroup.from_permutations([Permutation([1, 0, 2, 3]), Permutation([1, 2, 3, 0])])
    assert G.order == 24
    with pytest.raises(InvalidArgumentError, match="not a permutation"):
        FiniteGroup.from_permutations([[0, 0, 1]])
    with pytest.raises(InvalidArgumentError, match="different degrees"):
        FiniteGroup.from_permutations([[1, 0], [1, 2, 0]])
    with pytest.raises(InvalidArgumentError, match="at least one"):
        FiniteGroup.from_permutations([])
    with pytest.raises(TooLargeError, match="max_order"):
        FiniteGroup.from_permutations([[1, 0, 2, 3, 4, 5, 6], list(range(1, 7)) + [0]], max_order=100)


def test_permutation_product_convention():
    G = groups.symmetric(4)
    P = G.elements
    for a in range(G.order):
        for b in range(0, G.order, 5):
            ab = G.mul(a, b)
            assert np.array_equal(P[ab], P[a][P[b]])  # (a b)(x) = a(b(x))


def test_from_matrices_errors():
    with pytest.raises(InvalidArgumentError, match="square"):
        FiniteGroup.from_matrices([np.ones((2, 3))])
    with pytest.raises(InvalidArgumentError, match="non-finite"):
        FiniteGroup.from_matrices([np.array([[np.nan, 0], [0, 1]])])
    with pytest.raises(InvalidArgumentError, match="singular"):
        FiniteGroup.from_matrices([np.array([[1.0, 1.0], [1.0, 1.0]])])
    with pytest.raises(GroupAxiomError, match="infinite order"):
        FiniteGroup.from_matrices([np.array([[1.0, 1.0], [0.0, 1.0]])], max_order=50)


def test_matrix_group_products_match_matrices():
    G = groups.full_octahedral()
    M = G.elements
    ar = np.arange(G.order)
    prod = G.mul(ar[:, None], ar[None, :])
    assert np.allclose(M[prod], M[:, None] @ M[None, :])
    # integral signed permutation matrices of determinant +-1
    assert np.allclose(np.abs(np.linalg.det(M)), 1.0)
    assert set(np.unique(M).tolist()) <= {-1.0, 0.0, 1.0}


def test_icosahedral_is_exact_and_orthogonal():
    G = groups.icosahedral()
    M = G.elements
    assert np.allclose(np.einsum("gji,gjk->gik", M, M), np.eye(3))
    assert np.allclose(np.linalg.det(M), 1.0)
    assert G.exact_generator_matrices is not None
    assert sorted(set(G.element_orders.tolist())) == [1, 2, 3, 5]


# ---------------------------------------------------------------- derived structure
def test_subgroups_cosets_and_lagrange():
    G = groups.symmetric(4)
    H = G.subgroup([G.generators[1]])  # the 4-cycle
    assert H.order == 4 and H.parent == G
    cosets = G.left_cosets(H)
    assert len(cosets) == G.order // H.order
    assert sorted(np.concatenate(cosets).tolist()) == list(range(G.order))
    for c in cosets:
        g = int(c[0])
        assert set(c.tolist()) == set(np.asarray(G.mul(g, H.embedding)).tolist())
    rc = G.right_cosets(H)
    assert len(rc) == len(cosets)
    with pytest.raises(InvalidArgumentError):
        G.subgroup([10**6])


def test_centre_and_abelian():
    assert groups.quaternion().center.size == 2
    assert groups.dihedral(4).center.size == 2
    assert groups.dihedral(5).center.size == 1
    assert groups.cyclic(12).is_abelian
    assert not groups.symmetric(3).is_abelian


def test_direct_and_semidirect_products():
    G = groups.direct_product(groups.cyclic(2), groups.cyclic(3))
    assert G.order == 6 and G.is_abelian and 6 in G.element_orders
    # C_7 x| C_3 (the Frobenius group of order 21): a -> a^2 is an automorphism of order 3
    C7, C3 = groups.cyclic(7), groups.cyclic(3)
    F21 = groups.semidirect_product(C7, C3, lambda h: [(x * pow(2, h, 7)) % 7 for x in range(7)])
    assert F21.order == 21 and not F21.is_abelian
    assert len(F21.conjugacy_classes()) == 5
    brute_force_check(F21)
    with pytest.raises(GroupAxiomError, match="automorphism"):
        groups.semidirect_product(C7, C3, lambda h: [(x + h) % 7 for x in range(7)])


def test_cayley_graph():
    G = groups.dihedral(3)
    graph = G.cayley_graph()
    assert isinstance(graph, nx.DiGraph)
    assert graph.number_of_nodes() == 6 and graph.number_of_edges() == 6 * G.num_generators
    assert nx.is_strongly_connected(graph)
    for u, v, data in graph.edges(data=True):
        assert G.mul(u, G.generators[data["generator"]]) == v


def test_power_map_and_orders():
    G = groups.cyclic(12)
    assert sorted(G.element_orders.tolist()) == sorted(12 // math.gcd(k, 12) for k in range(12))
    assert G.power(5, 12) == G.identity and G.power(5, -1) == G.inverse(5)


def test_immutability_and_equality():
    G = groups.dihedral(4)
    with pytest.raises(AttributeError):
        G.name = "x"  # type: ignore[misc]
    H = FiniteGroup.from_cayley_table(G.table)
    H2 = FiniteGroup.from_cayley_table(G.table.copy())
    assert H == H2 and hash(H) == hash(H2)
    assert H != G
    assert repr(G) == "FiniteGroup('dihedral(4)', order=8)"


def test_bad_catalogue_arguments():
    for f in (groups.cyclic, groups.dihedral, groups.symmetric, groups.alternating, groups.dicyclic):
        with pytest.raises(InvalidArgumentError, match="integer"):
            f(0)
        with pytest.raises(InvalidArgumentError):
            f(2.5)


# ---------------------------------------------------------------- corrupted tables (validation without a Latin pass)
def _is_group_brute_force(t: np.ndarray) -> bool:
    """All axioms by brute force (O(n³) associativity): the oracle for the fast validation."""
    n = t.shape[0]
    ar = np.arange(n)
    ids = [e for e in range(n) if np.array_equal(t[e], ar) and np.array_equal(t[:, e], ar)]
    if not ids:
        return False
    e = ids[0]
    if not all(np.any((t[x] == e) & (t[:, x] == e)) for x in range(n)):
        return False
    return bool(np.array_equal(t[t], t[ar[:, None, None], t[None, :, :]]))  # (ab)c = a(bc) for all a, b, c


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**31), st.sampled_from(["entry", "row", "swap_columns", "swap_values"]))
def test_corrupted_tables_are_refused_exactly_when_not_a_group(seed, how):
    """Random corruptions of small group tables: accepted iff the brute-force axioms hold (the fast path
    relies on identity + two-sided inverses + Light's test implying the Latin property)."""
    rng = np.random.default_rng(seed)
    G = [groups.dihedral(3), groups.cyclic(6), groups.symmetric(3), groups.klein_four(), groups.cyclic(5)][seed % 5]
    t = np.array(G.table, dtype=np.int64)
    n = t.shape[0]
    if how == "entry":
        t[rng.integers(n), rng.integers(n)] = rng.integers(n)
    elif how == "row":
        t[rng.integers(n)] = rng.integers(n, size=n)
    elif how == "swap_columns":
        a, b = rng.choice(n, size=2, replace=False)
        i = rng.integers(n)
        t[i, [a, b]] = t[i, [b, a]]
    else:
        a, b = rng.choice(n, size=2, replace=False)
        t = np.where(t == a, b, np.where(t == b, a, t))
    ok = _is_group_brute_force(t)
    if ok:
        assert FiniteGroup.from_cayley_table(t).order == n
    else:
        with pytest.raises(GroupAxiomError):
            FiniteGroup.from_cayley_table(t)


def test_row_with_identity_twice_is_a_latin_error():
    t = np.array(groups.cyclic(4).table, dtype=np.int64)
    t[1, 2] = 0  # row 1 now has the identity twice
    with pytest.raises(GroupAxiomError, match="Latin square: row 1"):
        FiniteGroup.from_cayley_table(t)


@settings(max_examples=30, deadline=None)
@given(st.sampled_from([("cyclic", 30), ("dihedral", 12), ("symmetric", 5), ("alternating", 5), ("quaternion", None),
                        ("octahedral", None), ("cyclic", 1), ("klein_four", None)]))
def test_element_orders_match_repeated_multiplication(spec):
    """Orders by prime division of |G| and repeated squaring equal the smallest k with g^k = e (brute force)."""
    name, arg = spec
    G = getattr(groups, name)() if arg is None else getattr(groups, name)(arg)
    for H in (G, FiniteGroup.from_cayley_table(G.table)):
        want = []
        for g in range(H.order):
            x, k = g, 1
            while x != H.identity:
                x, k = int(H.mul(x, g)), k + 1
            want.append(k)
        assert H.element_orders.tolist() == want


@pytest.mark.parametrize("p, m, k", [(31, 5, 2), (101, 10, 14)])
def test_semidirect_product_beyond_the_small_integer_tables(p: int, m: int, k: int) -> None:
    """C_p ⋊ C_m (Frobenius, m | p − 1): its order exceeds the int8 range in which the factors' tables
    are stored, so the element indices n·|H| + h must be formed in int64.  Oracle: (p − 1)/m + m
    conjugacy classes, and the product rule (a, h)(b, h') = (a + k^h b, h + h')."""
    N, H = groups.cyclic(p), groups.cyclic(m)
    G = groups.semidirect_product(N, H, lambda h: [(pow(k, h, p) * x) % p for x in range(p)])
    assert G.order == p * m and not G.is_abelian
    assert len(G.conjugacy_classes()) == (p - 1) // m + m
    rng = np.random.default_rng(0)
    for x, y in rng.integers(0, p * m, size=(20, 2)):
        (a, h), (b, h2) = divmod(int(x), m), divmod(int(y), m)
        assert int(G.mul(int(x), int(y))) == ((a + pow(k, h, p) * b) % p) * m + (h + h2) % m
