"""Representations of permutation groups that are never enumerated: images anywhere, Hom, decompose (issue 17)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import reptheory
from reptheory import Representation
from reptheory.errors import InvalidArgumentError, NotAHomomorphismError
from reptheory.groups import permutation_group
from reptheory.reps.permutation_group import class_character, element_images

A8_GENS = [[1, 2, 0, 3, 4, 5, 6, 7], [0, 2, 3, 4, 5, 6, 7, 1]]


def sym(n: int, off: int = 0, total: int | None = None) -> list[list[int]]:
    N = total or n
    a, b = list(range(N)), list(range(N))
    for i in range(n):
        a[off + i] = off + (i + 1) % n
    b[off], b[off + 1] = off + 1, off
    return [a, b]


@pytest.fixture(scope="module")
def A8():  # type: ignore[no-untyped-def]
    return permutation_group(A8_GENS, name="A8")


def _mult_from_characters(G, chi):  # type: ignore[no-untyped-def]
    T = G.character_table()
    out = {}
    for rows in T.real_rows():
        ref = T.real_character(rows)
        m = float((T.class_sizes * chi * ref).sum() / (T.class_sizes * ref * ref).sum())
        assert abs(m - round(m)) < 1e-8
        if round(m):
            out["trivial" if rows == (0,) else "+".join(f"chi{i}" for i in rows)] = round(m)
    return out


def _product_images(G, rep, g):  # type: ignore[no-untyped-def]
    """rho(g) by brute force: g as a product of generators found by a breadth-first search (small groups)."""
    from collections import deque

    n = G.degree
    start = tuple(range(n))
    seen = {start: np.eye(rep.dim)}
    dq = deque([start])
    target = tuple(int(x) for x in g)
    while target not in seen:
        p = dq.popleft()
        for j, s in enumerate(G.generators):
            q = tuple(int(s[x]) for x in p)
            if q not in seen:
                seen[q] = rep.images[j] @ seen[p]
                dq.append(q)
    return seen[target]


def test_element_images_match_products_of_generators_and_are_homomorphic() -> None:
    S5 = permutation_group(sym(5), name="S5")
    rng = np.random.default_rng(3)
    Q = np.linalg.qr(rng.standard_normal((5, 5)))[0]
    rho = Representation.defining(S5).change_basis(Q)  # dense, orthogonal
    g, h = S5.random_elements(rng, 2)
    Rg, Rh, Rgh = element_images(rho, np.stack([g, h, g[h]]))
    assert np.allclose(Rg, _product_images(S5, rho, g), atol=1e-12)
    assert np.allclose(Rg @ Rh, Rgh, atol=1e-12)
    assert np.allclose(rho.matrix(g), Rg)
    # the permutation matrix of g itself
    assert np.array_equal(np.argmax(Representation.defining(S5).matrix(g), axis=0), g)


def test_a8_permutation_rep_and_tensor_square(A8) -> None:  # type: ignore[no-untyped-def]
    T = A8.character_table()
    V = Representation.defining(A8)
    for rho in (V, V @ V):
        chi = np.real(rho.character())
        # fixed points of the class representatives (and of pairs of points)
        fixed = (np.asarray(A8.conjugacy_classes().representatives) == np.arange(8)).sum(axis=1)
        assert np.allclose(chi, fixed ** (2 if rho.dim == 64 else 1))
        dec = rho.decompose()
        assert dec.multiplicities == _mult_from_characters(A8, chi)
        assert sum(c.multiplicity * c.irrep.dim for c in dec.components) == rho.dim
        assert dec.error < 1e-10
        assert np.allclose(dec.Q.T @ dec.Q, np.eye(rho.dim), atol=1e-10)
        g = A8.random_element(np.random.default_rng(5))
        assert np.allclose(rho.matrix(g) @ dec.Q, dec.Q @ dec.block_matrix(g), atol=1e-10)
        for c in dec.components:  # each component's character is a row of the table (real form)
            assert np.allclose(np.real(c.irrep.character()), T.real_character(c.irrep.meta["characters"]), atol=1e-8)
        # intertwiner dimension = sum m_i^2 * (1, 2, 4 by type)
        E = reptheory.commutant(rho)
        e = {"R": 1, "C": 2, "H": 4}
        assert E.dim == sum(c.multiplicity ** 2 * e[c.irrep.real_type] for c in dec.components)
    assert (V @ V).decompose().multiplicities == {"trivial": 2, "chi1": 3, "chi3": 1, "chi4": 1}  # 2 + 3*7 + 20 + 21


def test_dense_rep_hom_and_decomposition_agree_with_monomial(A8) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(0)
    V = Representation.defining(A8)
    Q = np.linalg.qr(rng.standard_normal((16, 16)))[0]
    W = (V + V).change_basis(Q)  # dense and orthogonal: the constraint route
    H = reptheory.intertwiners(V, W)
    assert H.method == "constraints" and H.dim == 4  # 2 copies of (1 + 7): 2*1 + 2*1
    dec = W.decompose()
    assert dec.info["hom_method"] == "constraints"
    assert dec.multiplicities == {"trivial": 2, "chi1": 2}
    X = np.tensordot(rng.standard_normal(H.dim), H.basis, axes=1)
    for g in A8.random_elements(rng, 3):  # Hom elements commute with the images of random elements
        assert np.allclose(W.matrix(g) @ X, X @ V.matrix(g), atol=1e-10)


def test_complex_type_irreps_of_the_frobenius_group_of_order_21() -> None:
    F = permutation_group([[(x + 1) % 7 for x in range(7)], [(2 * x) % 7 for x in range(7)]], name="F21")
    V = Representation.defining(F)  # 1 + (3 + 3bar): one real irrep of complex type, dimension 6
    dec = V.decompose()
    assert [(c.irrep.real_type, c.irrep.dim) for c in dec.components] == [("R", 1), ("C", 6)]
    e = {"R": 1, "C": 2, "H": 4}
    for rho in (V, V + V, V @ V):
        d = rho.decompose()
        assert d.error < 1e-10 and d.multiplicities == _mult_from_characters(F, np.real(rho.character()))
        assert reptheory.commutant(rho).dim == sum(c.multiplicity ** 2 * e[c.irrep.real_type] for c in d.components)
    assert (V @ V).decompose().multiplicities == {"trivial": 3, "chi1+chi2": 2, "chi3+chi4": 7}


def test_order_above_a_million_without_enumeration() -> None:
    S10 = permutation_group(sym(10), name="S10")
    assert S10.order == math.factorial(10)
    V = Representation.defining(S10)
    dec = (V @ V).decompose()
    chi = np.real((V @ V).character())
    assert dec.multiplicities == _mult_from_characters(S10, chi)
    # 1 + 9 on points; pairs: 2*1 + 3*9 + (8,2) 35 + (8,1,1) 36
    assert sorted((c.irrep.dim, c.multiplicity) for c in dec.components) == [(1, 2), (9, 3), (35, 1), (36, 1)]


@pytest.mark.slow
def test_s8_x_s5_on_13_points() -> None:
    G = permutation_group(sym(8, 0, 13) + sym(5, 8, 13), name="S8xS5")
    dec = Representation.defining(G).decompose()
    assert sorted((c.irrep.dim, c.multiplicity) for c in dec.components) == [(1, 2), (4, 1), (7, 1)]


def test_validation_and_typed_refusals(A8) -> None:  # type: ignore[no-untyped-def]
    S4 = permutation_group([[1, 2, 3, 0], [1, 0, 2, 3]], name="S4")
    sign = Representation.from_generator_images(S4, [-np.eye(1), -np.eye(1)])
    assert np.allclose(np.real(sign.character()), [1, 1, -1, 1, -1])
    with pytest.raises(NotAHomomorphismError, match="S4"):
        Representation.from_generator_images(S4, [np.eye(1), -np.eye(1)])  # 4-cycle even, transposition odd: no
    with pytest.raises(NotAHomomorphismError):
        Representation.from_generator_images(A8, [np.eye(8), np.eye(8)[:, A8.generators[1]]])
    with pytest.raises(InvalidArgumentError, match="not an element"):
        element_images(Representation.defining(A8), [[1, 0, 2, 3, 4, 5, 6, 7]])  # odd
    with pytest.raises(InvalidArgumentError, match="complex images"):
        C3 = permutation_group([[1, 2, 0]])
        Representation.from_generator_images(C3, [np.exp(2j * np.pi / 3) * np.eye(1)]).decompose()
    assert class_character(Representation.trivial(A8)).tolist() == [1.0] * len(A8.conjugacy_classes())


def test_non_orthogonal_rep_weyl_trick_from_generators(A8) -> None:  # type: ignore[no-untyped-def]
    V = Representation.defining(A8)
    rho = (V + Representation.trivial(A8)).change_basis(np.triu(np.ones((9, 9))) + np.diag(np.arange(9.0)))
    assert not rho.is_orthogonal()
    sigma, Lt = rho.orthogonalize()
    assert sigma.is_orthogonal()
    # Lt^T Lt is the group average of rho(g)^T rho(g): invariant under every element
    M = Lt.T @ Lt
    for g in A8.random_elements(np.random.default_rng(2), 3):
        R = rho.matrix(g)
        assert np.allclose(R.T @ M @ R, M, atol=1e-8 * np.abs(M).max())
    dec = rho.decompose()
    assert dec.multiplicities == {"trivial": 2, "chi1": 1} and dec.info["orthogonal"] is False
    g = A8.random_element(np.random.default_rng(4))
    assert np.allclose(rho.matrix(g) @ dec.Q, dec.Q @ dec.block_matrix(g), atol=1e-8)
    H = reptheory.intertwiners(V, rho)  # oblique route through the same Weyl trick
    assert H.dim == 3  # Hom(1 + 7, 2*1 + 7)


def test_exact_hom_of_rational_images(A8) -> None:  # type: ignore[no-untyped-def]
    import sympy

    P = sympy.eye(8)
    P[0, 1] = 1  # a rational, non-orthogonal change of basis: E = P V P^-1 has non-monomial images
    V = Representation.defining(A8)
    perm_mats = [sympy.Matrix(np.eye(8, dtype=int)[:, g].tolist()) for g in A8.generators]
    E = Representation.from_generator_images(A8, [P * M * P.inv() for M in perm_mats])
    assert E.is_exact and not E.is_monomial
    H = reptheory.intertwiners(V, E, exact=True)
    assert H.dim == 2
    for X in H.basis_exact:  # exact solutions of E(s) X = X V(s)
        for j in range(2):
            assert (E.exact_images[j] * X - X * perm_mats[j]).is_zero_matrix
    assert E.decompose().multiplicities == {"trivial": 1, "chi1": 1}


def test_validation_of_a_large_monomial_rep_is_fast() -> None:
    q = 31
    t = [q if x == q else (x + 1) % q for x in range(q + 1)]
    s = [0 if x == q else q if x == 0 else (-pow(x, q - 2, q)) % q for x in range(q + 1)]
    G = permutation_group([t, s], name="PSL(2,31)")
    V = Representation.defining(G)
    W = Representation.from_generator_images(G, list((V @ V).images))  # validated: 1024-dim permutation images
    assert W.is_monomial and W.dim == 1024
    g = G.random_element(np.random.default_rng(0))
    Wg = W.matrix(g)
    assert np.array_equal(Wg, np.kron(V.matrix(g), V.matrix(g)))


@pytest.mark.parametrize("gens", [[[1, 0, 2]], [[1, 2, 3, 4, 5, 6, 0]], [[1, 0, 2, 3, 4], [0, 1, 3, 4, 2]]])
def test_abelian_groups_use_central_class_matrices(gens: list[list[int]]) -> None:
    # every class of an abelian group is central: Dixon-Schneider must use size-1 classes to split
    G = permutation_group(gens)
    T = G.character_table()
    assert T.num_classes == G.order and np.all(T.degrees == 1)
    V = Representation.defining(G)
    dec = V.decompose()
    assert dec.multiplicities == _mult_from_characters(G, np.real(V.character()))
    assert reptheory.commutant(V).dim == sum(
        c.multiplicity ** 2 * {"R": 1, "C": 2}[c.irrep.real_type] for c in dec.components)


def test_action_on_pairs_by_a_callable_matches_the_subset_character(A8) -> None:  # type: ignore[no-untyped-def]
    import itertools

    pairs = list(itertools.combinations(range(8), 2))
    index = {p: i for i, p in enumerate(pairs)}
    rho = Representation.permutation(A8, lambda s: [index[tuple(sorted((int(s[a]), int(s[b]))))] for a, b in pairs])
    assert np.allclose(np.real(rho.character()), A8.subset_character(2))
    dec = rho.decompose()
    assert dec.multiplicities == {"trivial": 1, "chi1": 1, "chi3": 1}  # 1 + 7 + 20


def test_programs_do_not_grow_with_queries(A8) -> None:  # type: ignore[no-untyped-def]
    V = Representation.defining(A8)
    rng = np.random.default_rng(7)
    V.matrix(A8.random_element(rng))
    pc = A8._programs
    bound = len(pc.perms)
    for g in A8.random_elements(rng, 200):
        assert np.array_equal(np.argmax(V.matrix(g), axis=0), g)
    # only transversal slots are kept on the group (at most sum |Delta_i| of them, twice for inverses)
    assert len(pc.perms) <= bound + 2 * sum(A8.basic_orbit_lengths)


def test_regular_of_a_permutation_group_names_the_way_out() -> None:
    G = permutation_group([[1, 2, 0, 3], [0, 1, 3, 2]])
    with pytest.raises(InvalidArgumentError, match=r"never enumerated: use group\.to_finite_group"):
        Representation.regular(G)
    assert Representation.regular(G.to_finite_group()).dim == G.order
