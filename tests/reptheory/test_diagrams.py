"""Diagram bases of Hom_G(V^k, V^l) for O(n) and SO(n) (issue 16, item 3)."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

from reptheory import intertwiners
from reptheory.characters.lie import hom_dimension
from reptheory.errors import InvalidArgumentError, TooLargeError
from reptheory.groups.lie_catalog import SO, O
from reptheory.hom.diagrams import count_diagrams, diagram_span, tensor_power_degree
from reptheory.hom.projectors import BasisProjector, DiagramProjector, projector_from_arrays

CASES = [  # (family, n, k, l): includes cases with linear relations among the diagrams (k + l large for n)
    ("SO", 2, 2, 2), ("O", 2, 2, 2), ("SO", 3, 2, 2), ("SO", 3, 3, 0), ("SO", 3, 2, 1), ("SO", 3, 4, 4),
    ("O", 3, 3, 3), ("O", 3, 4, 2), ("SO", 4, 3, 3), ("O", 4, 3, 3), ("SO", 4, 2, 2), ("SO", 4, 4, 0),
    ("O", 5, 3, 3), ("SO", 5, 3, 2), ("SO", 6, 3, 3), ("SO", 2, 3, 3),
]


def _group(fam, n):
    return SO(n) if fam == "SO" else O(n)


def _weyl_dim(G, A, B):
    if G.kind == "O" and G.params[0] % 2 == 0:  # no exact Weyl formula here: the solver is the oracle
        return intertwiners(A, B, method="constraints", cache=False).dim
    return hom_dimension(A, B)


@pytest.mark.parametrize(("fam", "n", "k", "l"), CASES)
def test_diagram_basis_dimension_exactness_and_equivariance(fam, n, k, l):
    G = _group(fam, n)
    V = G.defining_representation(exact=False)
    A, B = V**k, V**l
    space = intertwiners(A, B, cache=False)
    assert space.method == "diagram"
    assert space.dim == _weyl_dim(G, A, B)
    m, _ = count_diagrams(n, k, l, fam)
    assert space.info["diagrams"] == m and space.info["relations"] == m - space.dim
    # exact: the basis diagrams are integer tensors (0, ±1) satisfying the integer constraints exactly
    D = space._exact.S.toarray().T.reshape(space.dim, *space.shape)
    assert set(np.unique(D)).issubset({-1, 0, 1})
    for a, b in zip(B.algebra, A.algebra, strict=True):
        assert np.array_equal(a @ D - D @ b, np.zeros_like(D, dtype=float))  # integer arithmetic in floats
    for a, b in zip(B.images, A.images, strict=True):
        assert np.array_equal(a @ D - D @ b, np.zeros_like(D, dtype=float))
    assert np.linalg.matrix_rank(D.reshape(space.dim, -1)) == space.dim if space.dim else True
    # commutes with sampled group elements, orthonormal float basis
    Bs = space.basis
    for g in G.sample(4, rng=1):
        err = np.abs(B.matrix(g) @ Bs - Bs @ A.matrix(g)).max(initial=0.0)
        assert err < 1e-12
    flat = Bs.reshape(space.dim, -1)
    assert np.allclose(flat @ flat.T, np.eye(space.dim), atol=1e-12)


def test_basis_exact_is_integer_sympy():
    V = SO(4).defining_representation(exact=False)
    space = intertwiners(V**2, V**2, exact=True, cache=False)
    assert space.method == "diagram" and space.dim == 4  # identity, swap, trace, and the ε (Hodge star)
    assert all(all(x.is_integer for x in M) for M in space.basis_exact)


def test_known_relation_counts():
    assert diagram_span(3, 4, 4, "O").dim == 91  # 105 Brauer diagrams, 14 relations for n = 3
    S = diagram_span(4, 3, 3, "SO")
    assert (S.n_diagrams, S.dim) == (30, 25)
    assert diagram_span(5, 4, 4, "O").dim == 105  # n ≥ k: independent


def test_diagram_projector_matches_basis_projector_and_round_trips():
    V = SO(3).defining_representation(exact=False)
    space = intertwiners(V**3, V**3, cache=False)
    P = space.structured_projector()
    assert isinstance(P, DiagramProjector)
    W = np.random.default_rng(0).standard_normal((2, *space.shape))
    ref = BasisProjector(space.basis).apply(W)
    assert np.allclose(P.apply(W), ref, atol=1e-12)
    Q = projector_from_arrays("diagram", P.to_arrays())
    assert np.allclose(Q.apply(W), ref, atol=1e-12)


def test_non_tensor_powers_fall_back_and_method_diagram_refuses():
    V = SO(3).defining_representation(exact=False)
    Q = np.linalg.qr(np.random.default_rng(0).standard_normal((6, 6)))[0]
    W = (V + V).change_basis(Q)  # not a tensor power, nor a block sum of them
    assert tensor_power_degree(V + V, V) is None
    assert intertwiners(V + V @ V, V + V, cache=False).method == "diagram"  # a direct sum of powers (diagram_sums)
    assert intertwiners(W, W, cache=False).method != "diagram"
    with pytest.raises(InvalidArgumentError, match="method='diagram'"):
        intertwiners(W, W, method="diagram", cache=False)


def test_too_many_diagrams_is_refused_before_building():
    tracemalloc.start()
    with pytest.raises(TooLargeError) as err:
        diagram_span(3, 8, 8, "O")  # 15!! = 2027025 diagrams
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert err.value.estimate > err.value.limit and peak < 2**20


UNITARY = [("SU", 3, "VVd", "V"), ("SU", 3, "VVV", ""), ("SU", 3, "Vd", "Vd"), ("SU", 3, "VV", "d"), ("U", 2, "Vd", "Vd"),
           ("U", 2, "VV", "VV"), ("U", 2, "VVd", "V"), ("SU", 2, "VVV", "V"), ("U", 3, "VVd", "VdV"), ("SU", 4, "VV", "dd")]


@pytest.mark.parametrize(("fam", "n", "src", "dst"), UNITARY)
def test_walled_brauer_bases_for_unitary_groups(fam, n, src, dst):
    from reptheory import Representation
    from reptheory.characters.weyl import torus_hom_dimension
    from reptheory.groups.classical import SU, U

    G = SU(n) if fam == "SU" else U(n)
    V = G.defining_representation(exact=False)

    def build(word):
        if not word:
            return Representation.trivial(G)
        reps = [V if c == "V" else V.dual() for c in word]
        out = reps[0]
        for r in reps[1:]:
            out = out @ r
        return out

    A, B = build(src), build(dst)
    space = intertwiners(A, B, exact=True, cache=False)
    assert space.method == "diagram"
    assert space.dim == torus_hom_dimension(A, B)
    D = space._exact.S.toarray().T.reshape(space.dim, *space.shape)
    assert set(np.unique(D)).issubset({-1, 0, 1})
    Bs = space.basis
    for g in G.sample(3, rng=2):
        assert np.abs(B.matrix(g) @ Bs - Bs @ A.matrix(g)).max(initial=0.0) < 1e-12


@pytest.mark.parametrize(("n", "k", "l"), [(1, 2, 2), (2, 2, 2), (2, 3, 1), (1, 3, 3), (2, 4, 0), (1, 4, 0), (2, 3, 3),
                                           (3, 2, 2)])
def test_symplectic_brauer_bases(n, k, l):
    from reptheory import Representation
    from reptheory.characters.weyl import torus_hom_dimension
    from reptheory.groups.classical import Sp

    G = Sp(n)
    V = G.defining_representation(exact=False)
    A, B = V**k, (V**l if l else Representation.trivial(G))
    space = intertwiners(A, B, exact=True, cache=False)
    assert space.method == "diagram" and space.dim == torus_hom_dimension(A, B)
    D = space._exact.S.toarray().T.reshape(space.dim, *space.shape)
    assert set(np.unique(D)).issubset({-1, 0, 1})
    Bs = space.basis
    for g in G.sample(3, rng=5):
        assert np.abs(B.matrix(g) @ Bs - Bs @ A.matrix(g)).max(initial=0.0) < 1e-12
