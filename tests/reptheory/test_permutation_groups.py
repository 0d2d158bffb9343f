"""Permutation groups that are never enumerated: chain, membership, classes, Dixon–Schneider tables.

Oracles: known orders, the enumerated `FiniteGroup` (classes and character tables of small groups),
sympy's combinatorics (membership, centraliser orders), the product rule for direct products,
orthogonality, and published values from the ATLAS of Finite Groups (Conway, Curtis, Norton,
Parker, Wilson, 1985): M11 and M22.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from reptheory import FiniteGroup
from reptheory.characters import permutation_character_table
from reptheory.errors import InvalidArgumentError, TooLargeError
from reptheory.groups import PermutationGroup, permutation_group, projective_special_linear
from reptheory.groups.permutation import MAX_DEGREE


def cyc(cycles: list[list[int]], n: int) -> list[int]:
    """A permutation of 0..n-1 from 1-based cycles (GAP / ATLAS notation)."""
    p = list(range(n))
    for c in cycles:
        for a, b in zip(c, c[1:] + c[:1], strict=True):
            p[a - 1] = b - 1
    return p


def sym(n: int, off: int = 0, total: int | None = None) -> list[list[int]]:
    """An n-cycle and a transposition on the points off..off+n-1 of total points."""
    N = total or n
    a = list(range(N))
    b = list(range(N))
    for i in range(n):
        a[off + i] = off + (i + 1) % n
    b[off], b[off + 1] = off + 1, off
    return [a, b]


def alt(n: int) -> list[list[int]]:
    """3-cycles (0 1 i) generate A_n."""
    return [cyc([[1, 2, i]], n) for i in range(3, n + 1)]


# GAP's MathieuGroup generators (1-based cycles)
M11 = [cyc([list(range(1, 12))], 11), cyc([[3, 7, 11, 8], [4, 10, 5, 6]], 11)]
M12 = [cyc([list(range(1, 12))], 12), cyc([[3, 7, 11, 8], [4, 10, 5, 6]], 12),
                cyc([[1, 12], [2, 11], [3, 6], [4, 8], [5, 9], [7, 10]], 12)]
M22 = [cyc([list(range(1, 12)), list(range(12, 23))], 22),
       cyc([[1, 4, 5, 9, 3], [2, 8, 10, 7, 6], [12, 15, 16, 20, 14], [13, 19, 21, 18, 17]], 22),
       cyc([[1, 21], [2, 10, 8, 6], [3, 13, 4, 17], [5, 19, 9, 18], [11, 22], [12, 14, 16, 20]], 22)]
PSL27 = [cyc([[1, 2, 3, 4, 5, 6, 7]], 7), cyc([[2, 3, 5], [4, 7, 6]], 7), cyc([[1, 2], [3, 6]], 7)]
S4xS3 = sym(4, 0, 7) + sym(3, 4, 7)


@pytest.mark.parametrize(
    ("gens", "order"),
    [(sym(n), math.factorial(n)) for n in (2, 5, 8, 10)]
    + [(alt(n), math.factorial(n) // 2) for n in (4, 6, 9)]
    + [(M11, 7920), (M12, 95040), (M22, 443520), (PSL27, 168), (S4xS3, 144),
       (sym(8, 0, 13) + sym(5, 8, 13), 4838400)],
)
def test_order(gens, order):
    G = permutation_group(gens)
    assert G.order == order
    assert math.prod(G.basic_orbit_lengths) == order
    # every strong generator lies in the group, and the generators too
    assert all(G.contains(g) for g in G.strong_generators)


def test_membership_against_sympy():
    from sympy.combinatorics import Permutation
    from sympy.combinatorics import PermutationGroup as SPG

    rng = np.random.default_rng(3)
    for gens in (M11, PSL27, alt(7)):
        G = permutation_group(gens)
        S = SPG([Permutation(g) for g in gens])
        n = G.degree
        for _ in range(40):
            p = rng.permutation(n)
            assert G.contains(p) == S.contains(Permutation(p.tolist()))
        for g in G.random_elements(rng, 20):
            assert G.contains(g) and S.contains(Permutation(g.tolist()))
    A = permutation_group(alt(6))
    assert not A.contains([1, 0, 2, 3, 4, 5]) and A.contains([1, 2, 0, 3, 4, 5])


def test_random_elements_reproducible_and_spread():
    G = permutation_group(sym(4))
    a = G.random_elements(np.random.default_rng(7), 2400)
    b = G.random_elements(np.random.default_rng(7), 2400)
    assert np.array_equal(a, b)
    _, counts = np.unique(a, axis=0, return_counts=True)
    assert len(counts) == 24 and counts.min() > 50  # uniform: 100 expected per element


def test_orbits_and_stabilizer():
    G = permutation_group(S4xS3)
    assert [o.tolist() for o in G.orbits()] == [[0, 1, 2, 3], [4, 5, 6]]
    assert G.orbit(5).tolist() == [4, 5, 6]
    H = G.stabilizer(0)
    assert H.order == 36 and all(int(h[0]) == 0 for h in H.generators)
    assert permutation_group(M11).stabilizer(3).order == 720


def test_centralizer_order_against_sympy():
    from sympy.combinatorics import Permutation
    from sympy.combinatorics import PermutationGroup as SPG

    G = permutation_group(M12)
    S = SPG([Permutation(g) for g in M12])
    for x in G.random_elements(np.random.default_rng(5), 6):
        assert G.centralizer_order(x) == S.centralizer(Permutation(x.tolist())).order()


def test_conjugator():
    G = permutation_group(M11)
    rng = np.random.default_rng(11)
    x, g = G.random_elements(rng, 2)
    y = g[x[np.argsort(g)]]  # g x g^-1
    h = G.conjugator(x, y)
    assert h is not None and G.contains(h)
    assert np.array_equal(h[x[np.argsort(h)]], y)


def _finite_class_data(gens):
    F = FiniteGroup.from_permutations(gens)
    return F, sorted(zip(np.asarray(F.element_orders)[F.class_representatives].tolist(), F.class_sizes.tolist(), strict=True))


@pytest.mark.parametrize("gens", [sym(5), alt(6), PSL27], ids=["S5", "A6", "PSL27"])
def test_classes_match_enumeration(gens):
    G = permutation_group(gens)
    C = G.conjugacy_classes()
    assert int(C.sizes.sum()) == G.order
    assert np.array_equal(C.sizes * C.centralizer_orders, np.full(len(C), G.order))
    F, data = _finite_class_data(gens)
    assert sorted(zip(C.orders.tolist(), C.sizes.tolist(), strict=True)) == data
    # the class index agrees with the enumerated group's class map
    index = {p.tobytes(): i for i, p in enumerate(F.elements)}
    fcls = np.asarray(F.class_of)
    for x in G.random_elements(np.random.default_rng(2), 30):
        k = int(C.index(x)[0])
        same = fcls[index[np.asarray(C.representatives[k]).tobytes()]]
        assert fcls[index[x.tobytes()]] == same


def _aligned_tables(gens):
    """Both tables with the columns in one order (perm path columns), rows sorted."""
    G = permutation_group(gens)
    T = G.character_table()
    F = FiniteGroup.from_permutations(gens)
    U = F.character_table()
    index = {p.tobytes(): i for i, p in enumerate(F.elements)}
    fcls = np.asarray(F.class_of)
    cols = [int(fcls[index[np.asarray(r).tobytes()]]) for r in T.representatives]
    assert sorted(cols) == list(range(U.num_classes))
    a = np.round(T.values, 8)
    b = np.round(U.values[:, cols], 8)
    key = lambda M: sorted(map(tuple, np.stack([M.real, M.imag], axis=-1).reshape(len(M), -1).tolist()))  # noqa: E731
    return T, U, key(a), key(b)


@pytest.mark.parametrize("gens", [sym(5), alt(6), PSL27, S4xS3], ids=["S5", "A6", "PSL27", "S4xS3"])
def test_table_matches_enumerated(gens):
    T, U, a, b = _aligned_tables(gens)
    assert a == b
    assert T.method == "dixon-schneider"
    assert sorted(T.indicators.tolist()) == sorted(U.indicators.tolist())
    assert T.degrees.tolist() == U.degrees.tolist()


def _rows_as_multisets(T):
    return sorted(
        tuple(sorted(zip(T.class_orders.tolist(), T.class_sizes.tolist(), np.round(T.values[i].real, 8).tolist(),
                         strict=True)))
        for i in range(T.num_classes)
    )


def test_direct_product_rule():
    T = permutation_group(S4xS3).character_table()
    A = permutation_group(sym(4)).character_table()
    B = permutation_group(sym(3)).character_table()
    rows = []
    for i in range(A.num_classes):
        for j in range(B.num_classes):
            rows.append(tuple(sorted(
                (math.lcm(int(A.class_orders[k]), int(B.class_orders[m])),
                 int(A.class_sizes[k] * B.class_sizes[m]),
                 round(float((A.values[i, k] * B.values[j, m]).real), 8))
                for k in range(A.num_classes) for m in range(B.num_classes))))
    assert sorted(rows) == _rows_as_multisets(T)


def _check_orthogonality(T, order):
    X = T.values
    w = T.class_sizes.astype(float)
    assert np.allclose((X * w) @ X.conj().T / order, np.eye(T.num_classes), atol=1e-9)
    assert int((T.degrees.astype(object) ** 2).sum()) == order


def test_m11_against_atlas():
    G = permutation_group(M11, name="M11")
    T = G.character_table()
    _check_orthogonality(T, 7920)
    # ATLAS of Finite Groups, M11: degrees and the classes 1A 2A 3A 4A 5A 6A 8A 8B 11A 11B
    assert T.degrees.tolist() == [1, 10, 10, 10, 11, 16, 16, 44, 45, 55]
    assert T.class_orders.tolist() == [1, 2, 3, 4, 5, 6, 8, 8, 11, 11]
    assert T.class_sizes.tolist() == [1, 165, 440, 990, 1584, 1320, 990, 990, 720, 720]
    # rational rows on 1A 2A 3A 4A 5A 6A (ATLAS): 10a, 11a, 44a, 45a, 55a
    atlas = {(10, 1): [10, 2, 1, 2, 0, -1], (11, 1): [11, 3, 2, -1, 1, 0], (44, 1): [44, 4, -1, 0, -1, 1],
             (45, 1): [45, -3, 0, 1, 0, 0], (55, 1): [55, -1, 1, -1, 0, -1]}
    found = {(int(T.degrees[i]), int(T.indicators[i])): np.round(T.values[i, :6].real).astype(int).tolist()
             for i in range(10) if T.indicators[i] == 1 and T.degrees[i] in (10, 11, 44, 45, 55)}
    for key, vals in atlas.items():
        assert found[key] == vals
    # 10b, 10c: ±i√2 on 8A/8B; 16a, 16b: b11 = (−1 + i√11)/2 on 11A/11B
    assert sorted(T.indicators.tolist()) == [0, 0, 0, 0, 1, 1, 1, 1, 1, 1]
    b11 = (-1 + 1j * math.sqrt(11)) / 2
    for i in np.flatnonzero(T.degrees == 16):
        assert np.isclose(T.values[i, 8], b11) or np.isclose(T.values[i, 8], np.conj(b11))
    for i in np.flatnonzero((T.degrees == 10) & (T.indicators == 0)):
        assert np.isclose(abs(T.values[i, 6].imag), math.sqrt(2)) and np.isclose(T.values[i, 6].real, 0)
    # the permutation character on 11 points is 1 + 10a: fixed points − 1
    fix = (np.asarray(T.representatives) == np.arange(11)).sum(axis=1)
    assert any(np.allclose(T.values[i].real, fix - 1) for i in range(10))


@pytest.mark.slow
def test_m22_against_atlas():
    G = permutation_group(M22, name="M22")
    T = G.character_table()
    _check_orthogonality(T, 443520)
    # ATLAS of Finite Groups, M22: degrees and the values on the involution class 2A
    assert T.degrees.tolist() == [1, 21, 45, 45, 55, 99, 154, 210, 231, 280, 280, 385]
    k2 = int(np.flatnonzero(T.class_orders == 2)[0])
    assert T.class_sizes[k2] == 1155
    assert sorted(np.round(T.values[:, k2].real).astype(int).tolist()) == sorted(
        [1, 5, -3, -3, 7, 3, 10, 2, 7, -8, -8, 1])
    b7 = (-1 + 1j * math.sqrt(7)) / 2
    k7 = int(np.flatnonzero(T.class_orders == 7)[0])
    for i in np.flatnonzero(T.degrees == 45):
        assert np.isclose(T.values[i, k7], b7) or np.isclose(T.values[i, k7], np.conj(b7))


@pytest.mark.slow
def test_s8_x_s5_product_rule():
    T = permutation_group(sym(8, 0, 13) + sym(5, 8, 13)).character_table()
    _check_orthogonality(T, 4838400)
    from reptheory.characters import symmetric_character_table

    d8 = symmetric_character_table(8).values[:, 0]
    d5 = symmetric_character_table(5).values[:, 0]
    assert sorted(T.degrees.tolist()) == sorted((np.outer(d8, d5)).ravel().tolist())


def test_errors():
    with pytest.raises(InvalidArgumentError, match=r"generators\[1\]"):
        permutation_group([[1, 0, 2], [0, 0, 1]])
    with pytest.raises(InvalidArgumentError, match="different degrees"):
        permutation_group([[1, 0, 2], [1, 0]])
    with pytest.raises(InvalidArgumentError, match="degree=4"):
        permutation_group([[1, 0, 2]], degree=4)
    with pytest.raises(TooLargeError, match=f"degree={MAX_DEGREE + 1}"):
        permutation_group([list(range(1, MAX_DEGREE + 1)) + [0]])
    G = permutation_group(sym(4))
    with pytest.raises(InvalidArgumentError, match="expected degree 4"):
        G.contains([1, 0, 2])
    with pytest.raises(InvalidArgumentError, match="not a permutation"):
        G.contains([1, 1, 2, 3])
    with pytest.raises(InvalidArgumentError, match="rng"):
        G.random_element(3)  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match="not an element"):
        permutation_group(alt(4)).centralizer_order([1, 0, 2, 3])
    C = permutation_group(alt(5)).conjugacy_classes()
    with pytest.raises(InvalidArgumentError, match="not an element"):
        C.index([1, 0, 2, 3, 4])
    assert C.power_map(2).tolist() == C.index(np.stack([r[r] for r in C.representatives])).tolist()
    with pytest.raises(InvalidArgumentError, match="PermutationGroup"):
        permutation_character_table(FiniteGroup.from_permutations(sym(3)))  # type: ignore[arg-type]
    assert isinstance(G, PermutationGroup) and G == permutation_group(sym(4)) and hash(G) == hash(permutation_group(sym(4)))


def test_finite_group_refusal_points_to_permutation_group():
    with pytest.raises(TooLargeError, match="permutation_group") as err:
        FiniteGroup.from_permutations(M22)
    assert err.value.estimate == 443520


# ----------------------------------------------------------------------------- permutation characters
@pytest.mark.parametrize("gens", [sym(5), alt(6), PSL27, S4xS3, M11])
def test_subset_characters_count_fixed_subsets(gens: list[list[int]]) -> None:
    """Oracle: the k-subsets fixed by each class representative, counted by brute force."""
    import itertools

    G = permutation_group(gens)
    reps = np.asarray(G.conjugacy_classes().representatives)
    for k in (0, 1, 2, 3):
        got = G.subset_character(k)
        for i, p in enumerate(reps):
            fixed = sum(1 for s in itertools.combinations(range(G.degree), k) if set(p[list(s)]) == set(s))
            assert got[i] == fixed, (k, i)


@pytest.mark.parametrize(("gens", "transitivity"), [(sym(6), 6), (alt(6), 4), (PSL27, 2), (M11, 4)])
def test_natural_character_of_a_2_transitive_group_is_trivial_plus_one_irreducible(gens, transitivity) -> None:
    """Burnside: ⟨π, π⟩ is the number of orbits on ordered pairs, 2 for a 2-transitive action,
    so π = 1 + an irreducible of degree n − 1 (M11 on 11 points: 1 + 10; PSL(2,7) on 7: 1 + 6)."""
    from reptheory.characters.class_functions import decompose_class_function

    G = permutation_group(gens)
    m = decompose_class_function(G, G.subset_character(1))
    T = G.character_table()
    assert int(m.sum()) == 2 and int(m.max()) == 1
    assert sorted(int(d) for d in T.degrees[m > 0]) == [1, G.degree - 1]
    assert int(m[0]) == 1  # the trivial row is the first


def test_symmetric_group_on_pairs_and_reptheory_character_table_dispatch() -> None:
    """S_n (n ≥ 4) on the 2-subsets: 1 + (n−1, 1) + (n−2, 2), degrees 1, n − 1, n(n − 3)/2."""
    from reptheory import character_table
    from reptheory.characters.class_functions import decompose_class_function

    n = 7
    G = permutation_group(sym(n))
    assert character_table(G) is G.character_table()  # cached on the group, no recomputation
    m = decompose_class_function(G, G.subset_character(2))
    assert sorted(int(d) for d in G.character_table().degrees[m > 0]) == [1, n - 1, n * (n - 3) // 2]
    assert int(m.sum()) == 3


@pytest.mark.parametrize("k", [-1, 8, 2.0, True, "1"])
def test_subset_character_refuses_bad_k(k: object) -> None:
    with pytest.raises(InvalidArgumentError, match="k must be an integer"):
        permutation_group(sym(7)).subset_character(k)  # type: ignore[arg-type]


def test_cycle_type_and_sign_against_permutation_matrices() -> None:
    """Oracle: sgn(p) = det of the permutation matrix, sgn is multiplicative, the cycle type is a
    partition of the degree whose parts' lcm is the element order."""
    from reptheory.groups._schreier_sims import cycle_type, permutation_sign

    rng = np.random.default_rng(3)
    for n in (1, 2, 5, 9, 30):
        for _ in range(10):
            p, q = rng.permutation(n), rng.permutation(n)
            assert permutation_sign(p) == round(np.linalg.det(np.eye(n)[p]))
            assert permutation_sign(p[q]) == permutation_sign(p) * permutation_sign(q)
            ct = cycle_type(p)
            assert sum(ct) == n and list(ct) == sorted(ct, reverse=True)
            order, x = 1, p.copy()
            while not np.array_equal(x, np.arange(n)):
                x, order = x[p], order + 1
            assert math.lcm(*ct) == order


@pytest.mark.parametrize("q", [29, 31, 37, 43])
def test_psl2_classes_and_centralisers_by_the_closed_form(q: int) -> None:
    """PSL(2, q), q an odd prime: (q + 5)/2 classes with centraliser orders |G|, q, q (the two unipotent
    classes), (q − 1)/2 on the split torus and (q + 1)/2 on the non-split one, except the involution,
    whose centraliser is dihedral of order q − ε with q ≡ ε (mod 4).  Many classes share a cycle type
    (an element and its powers), so identification rests on the conjugacy search, and every
    centraliser on the subgroup search."""
    G = projective_special_linear(q)
    order = q * (q * q - 1) // 2
    assert G.order == order
    C = G.conjugacy_classes()
    eps = 1 if q % 4 == 1 else -1
    split = (q - 1) // 2 - 1 - (1 if eps == 1 else 0)  # non-identity, non-involution torus classes come in x ~ x^-1 pairs
    nonsplit = (q + 1) // 2 - 1 - (1 if eps == -1 else 0)
    expected = sorted([order, q, q, q - eps] + [(q - 1) // 2] * (split // 2) + [(q + 1) // 2] * (nonsplit // 2))
    assert len(C) == (q + 5) // 2
    assert sorted(C.centralizer_orders.tolist()) == expected
    # every class identifies its own random conjugates, and the centraliser generators commute with it
    rng = np.random.default_rng(q)
    g = G.random_elements(rng, len(C))
    R = np.asarray(C.representatives)
    conj = np.take_along_axis(g, np.take_along_axis(R, np.argsort(g, axis=1), axis=1), axis=1)
    assert C.index(conj).tolist() == list(range(len(C)))
    for r, gens in zip(R, C.centralizer_generators, strict=True):
        for h in gens:
            assert np.array_equal(h[r], r[h])


def test_chain_with_a_known_order_is_certified_by_it() -> None:
    """A chain built with ``order`` on an arbitrary base prefix has the same order and the same
    members as one built by the deterministic phase (an incomplete chain would have a smaller order)."""
    from reptheory.groups._schreier_sims import Chain

    gens = np.asarray(M12, dtype=np.int64)
    full = Chain.build(gens, 12)
    fast = Chain.build(gens, 12, base_prefix=(7, 3, 11), order=full.order)
    assert fast.order == full.order == 95040 and fast.base[:3] == [7, 3, 11]
    rng = np.random.default_rng(3)
    for x in full.random(rng, 20):
        assert fast.contains(x)
    assert not fast.contains(np.asarray(cyc([[1, 2]], 12)))


def _all_elements(gens: list[list[int]]) -> np.ndarray:
    """Every element of a small permutation group (closure by breadth-first search)."""
    n = len(gens[0])
    G = [np.asarray(g, dtype=np.int64) for g in gens]
    seen = {tuple(range(n))}
    frontier = [np.arange(n)]
    while frontier:
        new = []
        for x in frontier:
            for g in G:
                y = g[x]
                if tuple(y) not in seen:
                    seen.add(tuple(y))
                    new.append(y)
        frontier = new
    return np.array(sorted(seen), dtype=np.int64)


@pytest.mark.parametrize("gens", [PSL27, S4xS3, projective_special_linear(11).generators.tolist()], ids=["PSL27", "S4xS3", "PSL(2,11)"])
def test_canonical_tuple_is_the_least_image_over_the_whole_group(gens) -> None:
    """Oracle: the lexicographically least of the images ``g(t)`` over every element ``g``."""
    from reptheory.groups._schreier_sims import Chain
    from reptheory.groups._tuple_orbits import TupleOrbits

    E = _all_elements(gens)
    n = E.shape[1]
    ch = Chain.build(np.asarray(gens, dtype=np.int64), n)
    assert ch.order == len(E)
    rng = np.random.default_rng(1)
    T = rng.integers(0, n, size=(40, 4))
    T[:5, 1] = T[:5, 0]  # repeated points too
    got = TupleOrbits(ch).canonical(T)
    for t, c in zip(T, got, strict=True):
        images = E[:, t]  # g(t) for every g
        assert c.tolist() == min(map(list, images.tolist()))


def test_trajectory_invariant_separates_the_powers_of_one_element_and_is_a_class_invariant() -> None:
    """In PSL(2, 31) the elements of order 16 (φ(16)/2 = 4 classes, one cycle type) are powers of each other:
    no permutation character tells them apart, the trajectory invariant does; conjugates agree."""
    from reptheory.groups._tuple_orbits import TupleOrbits

    G = projective_special_linear(31)
    C = G.conjugacy_classes()
    R = np.asarray(C.representatives)
    same = np.flatnonzero(np.asarray(C.orders) == 16)
    assert len(same) == 4
    tup = TupleOrbits(G._chain)
    keys = tup.trajectory_keys(R[same])
    assert keys is not None and len(set(keys)) == 4
    g = G.random_elements(np.random.default_rng(2), len(same))
    conj = np.take_along_axis(g, np.take_along_axis(R[same], np.argsort(g, axis=1), axis=1), axis=1)
    assert tup.trajectory_keys(conj) == keys


def test_classes_and_table_without_the_trajectory_invariant(monkeypatch) -> None:
    """Past its memory limit the invariant is switched off and the searches alone decide: same classes, same table."""
    import reptheory.groups._tuple_orbits as tuple_orbits

    ref = projective_special_linear(13)
    T_ref = np.asarray(ref.character_table().values)
    monkeypatch.setattr(tuple_orbits, "MAX_BYTES", 0)
    G = projective_special_linear(13)
    assert G.conjugacy_classes().centralizer_orders.tolist() == ref.conjugacy_classes().centralizer_orders.tolist()
    T = np.asarray(G.character_table().values)
    assert np.allclose(T, T_ref)


def test_projective_special_linear_orders_and_errors() -> None:
    """Order q(q² − 1)/gcd(2, q − 1), against sympy's order of the same generators; bad q refused."""
    from sympy.combinatorics import Permutation
    from sympy.combinatorics import PermutationGroup as SPG

    for q in (2, 3, 5, 7, 13):
        G = projective_special_linear(q)
        assert G.degree == q + 1
        assert G.order == q * (q * q - 1) // math.gcd(2, q - 1)
        assert G.order == SPG([Permutation(g.tolist()) for g in G.generators]).order()
    for bad in (1, 4, 9, 2.0, True, "7"):
        with pytest.raises(InvalidArgumentError, match="q must be a prime"):
            projective_special_linear(bad)  # type: ignore[arg-type]
    with pytest.raises(TooLargeError):
        projective_special_linear(257)
    with pytest.raises(TooLargeError):  # refused before any primality test: no hang
        projective_special_linear(2**127 - 1)


@pytest.mark.parametrize("q", [43, 53])
def test_psl2_table_by_the_closed_form_from_few_class_matrices(q: int) -> None:
    """Degrees of PSL(2, q) by the closed form; the class choice (an unhelpful size is skipped, larger element
    orders first) reaches them with a handful of class matrices, not one per torus class (17 of 29 before, q = 53)."""
    from collections import Counter

    T = projective_special_linear(q).character_table()
    if q % 4 == 1:
        want = {1: 1, q: 1, q + 1: (q - 5) // 4, q - 1: (q - 1) // 4, (q + 1) // 2: 2}
    else:
        want = {1: 1, q: 1, q + 1: (q - 3) // 4, q - 1: (q - 3) // 4, (q - 1) // 2: 2}
    assert Counter(int(d) for d in T.degrees) == want
    assert len(T.info["class_matrices"]) <= 8
