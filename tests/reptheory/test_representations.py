"""Representations of finite groups: constructors, validation and the algebra."""

from __future__ import annotations

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from reptheory import Representation, groups
from reptheory._numerics.tolerance import tolerance
from reptheory.errors import (
    DimensionMismatchError,
    GroupMismatchError,
    InvalidArgumentError,
    NotAHomomorphismError,
    TooLargeError,
)

TOL = tolerance("float64").rtol
SMALL = ["cyclic(5)", "dihedral(4)", "symmetric(3)", "quaternion()", "alternating(4)", "octahedral()"]


def G_(name):
    return eval("groups." + name)


def assert_homomorphism(rep: Representation) -> None:
    """Brute force over all pairs: rho(a) rho(b) = rho(a b)."""
    G = rep.group
    M = rep.matrices()
    ar = np.arange(G.order)
    prod = G.mul(ar[:, None], ar[None, :])
    lhs = np.einsum("aij,bjk->abik", M, M)
    assert np.abs(lhs - M[prod]).max() < 1e-9
    assert np.allclose(M[G.identity], np.eye(rep.dim))


def char_all(rep: Representation) -> np.ndarray:
    return np.trace(rep.matrices(), axis1=1, axis2=2)


def inner(G, a, b) -> complex:
    return complex(np.sum(a * np.conj(b)) / G.order)


@pytest.mark.parametrize("name", SMALL)
def test_regular_representation(name):
    G = G_(name)
    R = Representation.regular(G)
    assert R.dim == G.order and R.is_monomial and R.is_orthogonal()
    M = R.matrices()
    for g in range(G.order):
        expected = np.zeros((G.order, G.order))
        expected[G.mul(g, np.arange(G.order)), np.arange(G.order)] = 1  # rho(g) e_h = e_{gh}
        assert np.array_equal(M[g], expected)
    chi = char_all(R)
    assert chi[G.identity] == G.order and np.count_nonzero(chi) == 1
    assert_homomorphism(R)


@pytest.mark.parametrize("name", ["symmetric(4)", "octahedral()", "icosahedral()", "square_symmetries()"])
def test_defining_representation_matches_payload(name):
    G = G_(name)
    V = Representation.defining(G)
    M = V.matrices()
    for g in range(G.order):
        assert np.allclose(M[g], G.element_matrix(g))
    assert_homomorphism(V)


@pytest.mark.parametrize("name", SMALL)
def test_algebra_characters(name):
    G = G_(name)
    R = Representation.regular(G)
    V = Representation.defining(G) if (G.generator_perms is not None or G.generator_matrices is not None) else R
    T = Representation.trivial(G)
    chiV, chiR = char_all(V), char_all(R)
    sq = np.asarray(G.power(np.arange(G.order), 2))
    inv = np.asarray(G.inverse(np.arange(G.order)))
    assert np.allclose(char_all(V + R + T), chiV + chiR + 1)
    assert np.allclose(char_all(3 * V), 3 * chiV)
    assert np.allclose(char_all(V @ V), chiV**2)
    assert np.allclose(char_all(V**3), chiV**3)
    assert np.allclose(char_all(V.dual()), chiV[inv])
    assert np.allclose(char_all(V.symmetric_power(2)), (chiV**2 + chiV[sq]) / 2)
    assert np.allclose(char_all(V.exterior_power(2)), (chiV**2 - chiV[sq]) / 2)
    assert np.allclose(char_all(V.tensor_power(0)), 1)
    for rep in (V + R, V @ V, V.symmetric_power(2), V.exterior_power(2), V.dual()):
        assert_homomorphism(rep)
        assert rep.is_orthogonal()


def test_class_character_matches_traces():
    G = groups.symmetric(4)
    V = Representation.defining(G)
    W = V @ V + Representation.sign(G)
    for rep in (V, W, Representation.regular(G)):
        chi = rep.character()
        allchi = char_all(rep)
        for c, cls in enumerate(G.conjugacy_classes()):
            assert np.allclose(allchi[cls], chi[c])


def test_sign_representations():
    S = groups.symmetric(4)
    sgn = Representation.sign(S)
    perms = S.elements
    for g in range(S.order):
        p = perms[g]
        inversions = sum(1 for i in range(4) for j in range(i + 1, 4) if p[i] > p[j])
        assert sgn.matrix(g)[0, 0] == (-1) ** inversions
    Oh = groups.full_octahedral()
    det = Representation.sign(Oh)
    assert np.allclose([det.matrix(g)[0, 0] for g in range(Oh.order)], np.linalg.det(Oh.elements))
    D5 = groups.dihedral(5)
    dsign = Representation.sign(D5)
    assert_homomorphism(dsign)
    assert [dsign.matrix(g)[0, 0] for g in range(D5.order)] == [1.0] * 5 + [-1.0] * 5  # r^k s^e -> (-1)^e
    with pytest.raises(InvalidArgumentError, match="neither"):
        Representation.sign(groups.dicyclic(3))


def test_change_basis_and_orthogonalize(rng):
    G = groups.dihedral(3)
    R = Representation.regular(G) + Representation.trivial(G)
    A = rng.normal(size=(R.dim, R.dim))
    S = R.change_basis(A)
    for g in range(G.order):
        assert np.allclose(S.matrix(g), A @ R.matrix(g) @ np.linalg.inv(A))
    assert not S.is_orthogonal()
    Orth, T = S.orthogonalize()
    assert Orth.is_orthogonal()
    for g in range(G.order):
        assert np.allclose(Orth.matrix(g), T @ S.matrix(g) @ np.linalg.inv(T))
    assert np.allclose(char_all(Orth), char_all(R))
    with pytest.raises(DimensionMismatchError):
        R.change_basis(np.eye(3))
    with pytest.raises(InvalidArgumentError, match="singular"):
        R.change_basis(np.zeros((R.dim, R.dim)))


@settings(max_examples=25)
@given(st.sampled_from(["dihedral(4)", "symmetric(4)", "alternating(4)", "dicyclic(3)"]), st.integers(0, 10))
def test_frobenius_reciprocity(name, seed):
    """<Ind sigma, rho>_G = <sigma, Res rho>_H for induced permutation characters."""
    G = G_(name)
    r = np.random.default_rng(seed)
    gens = r.choice(G.order, size=r.integers(1, 3), replace=False)
    H = G.subgroup(gens.tolist())
    sigma = Representation.regular(H) if H.order <= 6 else Representation.trivial(H)
    ind = sigma.induce(G)
    assert ind.dim == (G.order // H.order) * sigma.dim
    assert_homomorphism(ind)
    rho = Representation.regular(G) if G.order <= 12 else Representation.trivial(G) + Representation.regular(G)
    lhs = inner(G, char_all(ind), char_all(rho))
    rhs = inner(H, char_all(sigma), char_all(rho.restrict(H)))
    assert abs(lhs - rhs) < 1e-9


def test_from_generator_images_validates_relations():
    G = groups.dihedral(4)
    c, s = 0.0, 1.0
    rot = np.array([[c, -s], [s, c]])
    ref = np.diag([1.0, -1.0])
    rep = Representation.from_generator_images(G, [rot, ref], name="std")
    assert_homomorphism(rep)
    with pytest.raises(NotAHomomorphismError, match="relation") as info:
        Representation.from_generator_images(G, [rot, np.eye(2) * -1 + np.diag([0, 0])])
    assert "dihedral(4)" in str(info.value)
    with pytest.raises(NotAHomomorphismError):  # r^3 instead of r of order 4: fine; r of order 3 is not
        Representation.from_generator_images(G, [np.array([[-0.5, -np.sqrt(3) / 2], [np.sqrt(3) / 2, -0.5]]), ref])


def test_validation_on_groups_without_presentation():
    # a Cayley-table group: the Schreier relations of the enumeration are checked
    from reptheory.groups.finite import FiniteGroup

    Q = FiniteGroup.from_cayley_table(groups.quaternion().table)
    good = Representation.from_generator_images(Q, [np.eye(2), -np.eye(2)])
    assert_homomorphism(good)
    with pytest.raises(NotAHomomorphismError, match="relation"):
        Representation.from_generator_images(Q, [np.diag([1.0, -1.0]), np.array([[0.0, 1.0], [1.0, 0.0]])] * 1)


def test_bad_images():
    G = groups.dihedral(3)
    with pytest.raises(DimensionMismatchError, match="expected 2"):
        Representation.from_generator_images(G, [np.eye(2)])
    with pytest.raises(DimensionMismatchError, match="square"):
        Representation.from_generator_images(G, [np.ones((2, 3)), np.eye(2)])
    with pytest.raises(DimensionMismatchError, match="shape"):
        Representation.from_generator_images(G, [np.eye(2), np.eye(3)])
    with pytest.raises(InvalidArgumentError, match="non-finite"):
        Representation.from_generator_images(G, [np.eye(2) * np.nan, np.eye(2)])
    with pytest.raises(InvalidArgumentError, match="singular"):
        Representation.from_generator_images(G, [np.zeros((2, 2)), np.eye(2)])
    with pytest.raises(InvalidArgumentError, match="numeric"):
        Representation.from_generator_images(G, [[["a"]], [["b"]]])


def test_group_mismatch():
    A = Representation.regular(groups.cyclic(3))
    B = Representation.regular(groups.cyclic(4))
    with pytest.raises(GroupMismatchError, match="different groups"):
        A + B
    with pytest.raises(GroupMismatchError):
        A @ B
    H = groups.cyclic(6).subgroup([2])
    with pytest.raises(GroupMismatchError):
        A.restrict(H)


def test_bad_multiplicities_and_powers():
    R = Representation.regular(groups.cyclic(3))
    for bad in (0, -1, 1.5, True):
        with pytest.raises(InvalidArgumentError):
            bad * R
    with pytest.raises(InvalidArgumentError):
        R.tensor_power(-1)
    with pytest.raises(InvalidArgumentError, match="exceeds"):
        R.exterior_power(4)
    big = Representation.regular(groups.cyclic(200))
    with pytest.raises(TooLargeError):
        big @ big


def test_exact_images_are_checked_exactly():
    G = groups.cyclic(2)
    good = Representation.from_generator_images(G, [sympy.Matrix([[0, 1], [1, 0]])])
    assert good.is_exact
    tiny = sympy.Rational(1, 10**20)
    with pytest.raises(NotAHomomorphismError):
        Representation.from_generator_images(G, [sympy.Matrix([[tiny, 1], [1, 0]])])
    # the same matrix in floats passes the float tolerance: exactness matters
    Representation.from_generator_images(G, [np.array([[1e-20, 1.0], [1.0, 0.0]])])


def test_exact_structure_survives_algebra():
    G = groups.symmetric(3)
    V = Representation.defining(G)
    W = V @ V + Representation.sign(G)
    assert W.is_exact and W.is_monomial
    for j in range(G.num_generators):
        assert np.allclose(np.array(W.exact_images[j], dtype=float), W.images[j])


def test_from_function():
    G = groups.cyclic(4)
    rot = np.array([[0.0, -1.0], [1.0, 0.0]])
    rep = Representation.from_function(G, lambda g: np.linalg.matrix_power(rot, g))
    assert_homomorphism(rep)
    with pytest.raises(NotAHomomorphismError, match="fn"):
        # right on the generator, wrong elsewhere
        Representation.from_function(G, lambda g: rot if g == 1 else np.eye(2))


def test_immutable_and_repr_and_hash():
    G = groups.dihedral(4)
    R = Representation.regular(G)
    with pytest.raises(AttributeError):
        R.dim = 3  # type: ignore[misc]
    assert repr(R) == "Representation(dihedral(4), 'regular', dim=8)"
    assert R == Representation.regular(G) and hash(R) == hash(Representation.regular(G))
    assert R != Representation.regular(G) + Representation.trivial(G)


def test_large_lazy_group_defining_rep():
    S10 = groups.symmetric(10)
    V = Representation.defining(S10)
    assert V.dim == 10 and not S10.is_enumerated
    # relations of the presentation are checked without enumerating 3.6M elements
    Representation.from_generator_images(S10, V.images)
    bad = V.images.copy()
    bad[1] = np.eye(10)  # (s t)^9 = s != e
    with pytest.raises(NotAHomomorphismError):
        Representation.from_generator_images(S10, bad)
    assert not S10.is_enumerated
