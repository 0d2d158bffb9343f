"""U(n), SU(n), Sp(n): groups, Haar samples, Weyl dimensions and exact Weyl integration (issue 16, item 4)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reptheory import intertwiners
from reptheory.characters.lie import hom_dimension
from reptheory.characters.weyl import roots, torus_hom_dimension, weights, weyl_dimension
from reptheory.errors import InvalidArgumentError
from reptheory.groups.classical import SU, Sp, U


def _hook_content_dim(lam, n):
    """Stanley's hook-content formula: dim of the U(n) irrep of the partition lam (independent of Weyl's)."""
    conj = [sum(1 for x in lam if x > j) for j in range(lam[0])] if lam and lam[0] else []
    num = den = 1
    for i, row in enumerate(lam):
        for j in range(row):
            num *= n + j - i
            den *= (row - j - 1) + (conj[j] - i - 1) + 1
    return num // den


@settings(max_examples=60, deadline=None, database=None)
@given(st.integers(1, 5), st.lists(st.integers(0, 4), min_size=1, max_size=5))
def test_weyl_dimension_type_a_matches_hook_content(n, parts):
    lam = sorted(parts, reverse=True)[:n]
    lam = lam + [0] * (n - len(lam))
    assert weyl_dimension("A", lam) == _hook_content_dim([x for x in lam if x], n)


@pytest.mark.parametrize(("family", "weight", "dim"), [
    ("C", (1, 0), 4), ("C", (1, 1), 5), ("C", (2, 0), 10), ("C", (1, 1, 1), 14), ("B", (1, 0), 5),
    ("B", (1, 1), 10), ("B", ("1/2", "1/2"), 4), ("D", (1, 0, 0, 0), 8), ("D", ("1/2",) * 4, 8),
    ("D", (1, 1, 0, 0), 28), ("A", (2, 1, 0), 8), ("A", (1, 1, 0), 3),
])
def test_weyl_dimension_published_values(family, weight, dim):
    assert weyl_dimension(family, weight) == dim


def test_weyl_dimension_refuses_non_dominant():
    with pytest.raises(InvalidArgumentError, match="not dominant"):
        weyl_dimension("C", (0, 1))


def _f_lambda(lam):
    """Number of standard Young tableaux (hook length formula)."""
    k = sum(lam)
    conj = [sum(1 for x in lam if x > j) for j in range(lam[0])]
    hooks = math.prod((row - j - 1) + (conj[j] - i - 1) + 1 for i, row in enumerate(lam) for j in range(row))
    return math.factorial(k) // hooks


def _partitions(k, maxlen, top=None):
    top = k if top is None else top
    if k == 0:
        yield []
        return
    if maxlen == 0:
        return
    for first in range(min(k, top), 0, -1):
        for rest in _partitions(k - first, maxlen - 1, first):
            yield [first, *rest]


@pytest.mark.parametrize(("n", "k"), [(2, 3), (3, 3), (2, 4), (3, 4), (4, 3)])
def test_schur_weyl_against_weyl_integration(n, k):
    # V^{⊗k} = ⊕_λ S_λ ⊗ Specht_λ: Σ f^λ dim S_λ = n^k and dim End = Σ (f^λ)², the latter by Weyl integration
    V = U(n).defining_representation(exact=False)
    lams = list(_partitions(k, n))
    assert sum(_f_lambda(lam) * weyl_dimension("A", lam + [0] * (n - len(lam))) for lam in lams) == n**k
    assert torus_hom_dimension(V**k, V**k) == sum(_f_lambda(lam) ** 2 for lam in lams)


@pytest.mark.parametrize("G", [SU(2), SU(3), U(2), Sp(1), Sp(2)], ids=lambda G: G.name)
def test_groups_are_compact_matrix_groups_with_haar_samples(G):
    J = None
    if G.kind == "Sp":
        n = G.params[0]
        J = np.block([[np.zeros((n, n)), np.eye(n)], [-np.eye(n), np.zeros((n, n))]])
    for X in G.lie_algebra:
        assert np.allclose(X.conj().T, -X)
        if G.kind == "SU":
            assert abs(np.trace(X)) < 1e-14
        if J is not None:
            assert np.allclose(X.T @ J + J @ X, 0)
    for g in G.sample(5, rng=3):
        M = g.matrix
        assert np.allclose(M.conj().T @ M, np.eye(M.shape[0]), atol=1e-12)
        assert np.allclose(G._exp_matrix(g.coords), M, atol=1e-12)
        if G.kind == "SU":
            assert abs(np.linalg.det(M) - 1) < 1e-12
        if J is not None:
            assert np.allclose(M.T @ J @ M, J, atol=1e-12)


def test_roots_and_weights():
    assert len(roots(SU(4))) == 12 and len(roots(Sp(2))) == 8 and len(roots(U(3))) == 6
    V = Sp(2).defining_representation()
    assert sorted(weights(V)) == [(-1, 0), (0, -1), (0, 1), (1, 0)]


@pytest.mark.parametrize(("G", "build", "want"), [
    (SU(3), lambda V: (V @ V @ V.dual(), V), 2),
    (SU(3), lambda V: (V @ V, V @ V), 2),
    (U(3), lambda V: (V @ V.dual(), V @ V.dual()), 2),
    (Sp(2), lambda V: (V @ V, V @ V), 3),
    (Sp(3), lambda V: (V @ V, V @ V), 3),
])
def test_weyl_integration_matches_the_solver(G, build, want):
    V = G.defining_representation(exact=False)
    A, B = build(V)
    if B is None:
        from reptheory import Representation

        B = Representation.trivial(G)
        want = 1  # the determinant: one invariant in V⊗V⊗V for SU(3)
    assert torus_hom_dimension(A, B) == want == hom_dimension(A, B)
    assert intertwiners(A, B, cache=False).dim == want


def test_su3_determinant_and_adjoint():
    from reptheory import Representation
    from reptheory.groups.classical import adjoint_representation

    G = SU(3)
    V = G.defining_representation(exact=False)
    assert torus_hom_dimension(V @ V @ V, Representation.trivial(G)) == 1  # the determinant
    ad = adjoint_representation(G)
    assert ad.dim == 8 == weyl_dimension("A", (2, 1, 0))
    assert intertwiners(ad, ad, cache=False).dim == 1 == hom_dimension(ad, ad)  # real irreducible
    assert hom_dimension(V @ V.dual(), ad) == 1  # V ⊗ V* = ad ⊕ trivial (the real ad inside the complex one)


def test_equal_groups_have_the_same_generators_and_kind() -> None:
    """Group equality is what every cache keys on: two catalogue groups that compare equal must be
    the same group in the same basis (SU(2) here and SU2() in lie_catalog used to compare equal
    with different Lie-algebra bases, so a cached defining representation of one was used for the
    other)."""
    from reptheory.groups import classical, lie_catalog

    gs = [classical.U(1), classical.U(2), classical.U(3), classical.SU(2), classical.SU(3), classical.Sp(1),
          classical.Sp(2), lie_catalog.U1(), lie_catalog.SU2(), lie_catalog.SO(2), lie_catalog.SO(3),
          lie_catalog.SO(4), lie_catalog.O(2), lie_catalog.O(3), lie_catalog.SO2(), lie_catalog.O2(),
          lie_catalog.SO3(), lie_catalog.O3()]
    for i, a in enumerate(gs):
        for b in gs[i + 1:]:
            if a == b:
                assert hash(a) == hash(b)
                assert a.kind == b.kind, (a.name, b.name)
                assert a.lie_algebra.shape == b.lie_algebra.shape
                np.testing.assert_allclose(a.lie_algebra, b.lie_algebra)
                np.testing.assert_allclose(np.asarray(a.discrete_generators), np.asarray(b.discrete_generators))
    assert classical.SU(2) != lie_catalog.SU2() and classical.U(1) != lie_catalog.U1()
