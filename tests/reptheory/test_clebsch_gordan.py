"""Clebsch–Gordan coefficients and coupling tensors (issue 16, item 5)."""

from __future__ import annotations

import numpy as np
import pytest

from reptheory import Representation, clebsch_gordan, groups
from reptheory.characters.table import character_table
from reptheory.decomposition import coupling_tensors, kronecker_coefficients
from reptheory.decomposition.coupling import su2_clebsch_gordan
from reptheory.decomposition.irreps.lie import so3_generators, su2_complex_irrep
from reptheory.errors import InvalidArgumentError
from reptheory.groups.lie_catalog import O3, SO3

TRIPLES = [(l1, l2, l3) for l1 in range(5) for l2 in range(5) for l3 in range(abs(l1 - l2), l1 + l2 + 1)]


def test_matches_e3nn_wigner_3j():
    torch = pytest.importorskip("torch")
    o3 = pytest.importorskip("e3nn.o3")
    for l1, l2, l3 in TRIPLES:
        ref = o3.wigner_3j(l1, l2, l3, dtype=torch.float64).numpy()
        assert np.abs(clebsch_gordan(l1, l2, l3) - ref).max() < 1e-13


@pytest.mark.parametrize(("l1", "l2", "l3"), TRIPLES[::3])
def test_invariant_under_sampled_rotations_and_unit_norm(l1, l2, l3):
    G = SO3()
    C = clebsch_gordan(l1, l2, l3)
    assert abs(np.linalg.norm(C) - 1) < 1e-13
    for g in G.sample(3, rng=l1 + 7 * l2):
        D1, D2, D3 = (G.irrep(l).matrix(g) for l in (l1, l2, l3))
        assert np.abs(np.einsum("ia,jb,kc,abc->ijk", D1, D2, D3, C) - C).max() < 1e-12


def test_selection_rules_and_parity():
    assert clebsch_gordan(2, 1, 0) is None and clebsch_gordan(1, 1, 3) is None
    assert clebsch_gordan("1o", "1o", "1o") is None  # parity forbids
    assert np.allclose(clebsch_gordan("1o", "1o", "1e"), clebsch_gordan(1, 1, 1))
    with pytest.raises(InvalidArgumentError, match="l1"):
        clebsch_gordan(-1, 1, 1)
    with pytest.raises(InvalidArgumentError, match="group"):
        clebsch_gordan(1, 1, 1, group="SO4")


@pytest.mark.parametrize(("j1", "j2", "J"), [("1/2", "1/2", 0), ("1/2", "1/2", 1), (1, "1/2", "3/2"), ("3/2", 1, "5/2"),
                                             ("3/2", 1, "1/2"), (2, 1, 2)])
def test_su2_coefficients_are_unitary_and_intertwine(j1, j2, J):
    C = su2_clebsch_gordan(j1, j2, J)
    d1, d2, d3 = C.shape
    M = C.reshape(d1 * d2, d3)
    assert np.allclose(M.T @ M, np.eye(d3))  # orthonormal columns (Condon–Shortley coefficients are unitary)
    # intertwines in the basis m = -j..j: our complex irreps use m = j..-j, so reverse
    X1, X2, X3 = (np.asarray(su2_complex_irrep(j).algebra)[:, ::-1, ::-1] for j in (j1, j2, J))
    for a in range(3):
        lhs = np.einsum("kc,abc->abk", X3[a], C)
        rhs = np.einsum("ai,abk->ibk", X1[a], C) + np.einsum("bj,abk->ajk", X2[a], C)
        assert np.abs(lhs - rhs).max() < 1e-12


def test_coupling_tensors_for_finite_and_lie_groups():
    V = Representation.defining(groups.symmetric(3))
    T = coupling_tensors(V, V, V)
    assert T.shape == (5, 3, 3, 3)
    P = Representation.defining(groups.symmetric(3)).matrices()
    for g in P:
        assert np.abs(np.einsum("ia,jb,kc,nabc->nijk", g, g, g, T) - T).max() < 1e-12
    W = SO3().irrep(1)
    T = coupling_tensors(W, W, SO3().irrep(1))
    assert T.shape[0] == 1
    C = clebsch_gordan(1, 1, 1)
    assert abs(abs(np.sum(T[0] * C)) - 1) < 1e-12  # the same tensor up to sign


def test_kronecker_coefficients_from_the_character_table():
    for G in (groups.symmetric(4), groups.dihedral(5), groups.quaternion()):
        T = character_table(G)
        N = kronecker_coefficients(T)
        d = np.asarray(T.values)[:, 0].real.round().astype(int)
        assert np.array_equal(np.einsum("ijk,k->ij", N, d), np.outer(d, d))  # dimensions add up
        assert np.array_equal(N, N.transpose(1, 0, 2))


def test_o3_group_argument_matches_labels():
    assert np.allclose(clebsch_gordan("2e", "1o", "1o"), clebsch_gordan(2, 1, 1))
    assert clebsch_gordan("2o", "1o", "1o") is None
    assert np.allclose(O3().irrep("1o").algebra, so3_generators(1))
