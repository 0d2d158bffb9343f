"""Exact arithmetic: rational reconstruction, multi-modular nullspaces, exact = numeric, algebraic fields."""

from __future__ import annotations

import sys

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from reptheory import Representation, groups
from reptheory._numerics.exact import algebraic_nullspace, rational_nullspace, rational_reconstruction
from reptheory.hom.space import commutant, intertwiners
from reptheory.testing import strategies as rst

P61 = 2**61 - 1


@pytest.fixture(autouse=True)
def _private_disk_cache(tmp_path, monkeypatch):
    """Keep the disk cache of these tests out of the user's cache directory."""
    monkeypatch.setenv("REPTHEORY_CACHE_DIR", str(tmp_path / "reptheory-cache"))


@given(st.integers(-(2**20), 2**20), st.integers(1, 2**20))
def test_rational_reconstruction_roundtrip(a, b):
    from math import gcd

    g = gcd(a, b)
    a, b = a // g, b // g
    u = a * pow(b, -1, P61) % P61
    assert rational_reconstruction(u, P61) == (a, b)


def _span_equal(N1: sympy.Matrix, N2: sympy.Matrix) -> bool:
    r1, r2 = N1.rank(), N2.rank()
    return r1 == r2 == sympy.Matrix.hstack(N1, N2).rank()


@settings(max_examples=40)
@given(st.integers(1, 7), st.integers(1, 7), st.integers(0, 2**31))
def test_rational_nullspace_matches_sympy(m, r, seed):
    rng = np.random.default_rng(seed)
    M = rng.integers(-3, 4, size=(m, r))
    M[rng.random((m, r)) < 0.4] = 0
    if m > 1:
        M[-1] = M[0] * 2 - (M[1] if m > 2 else 0)  # force some dependence
    num, den = rational_nullspace(M, rng=seed)
    N = sympy.Matrix(num.shape[0], num.shape[1], [sympy.Rational(int(num[i, j]), int(den[j]))
                                                  for i in range(num.shape[0]) for j in range(num.shape[1])])
    ref = sympy.Matrix(M.tolist()).nullspace()
    assert N.shape[1] == len(ref)
    if ref:
        assert (sympy.Matrix(M.tolist()) * N).is_zero_matrix
        assert _span_equal(N, sympy.Matrix.hstack(*ref))


def test_rational_nullspace_tall_sparse_uses_sketch_and_verifies():
    import scipy.sparse as sp

    rng = np.random.default_rng(3)
    B = rng.integers(-2, 3, size=(6, 10))
    M = sp.csr_matrix(np.vstack([B] * 40))  # 240 x 10, rank <= 6
    num, _ = rational_nullspace(M, rng=1)
    assert num.shape[1] == 10 - np.linalg.matrix_rank(B)
    assert not np.any(M.toarray().astype(object).dot(num))


def test_rational_nullspace_of_entries_beyond_int64_verifies_modularly():
    """Entries above 2^62 (Python ints in an object array): the exact check runs modulo primes, densely."""
    rng = np.random.default_rng(7)
    B = rng.integers(-5, 6, size=(4, 9)).astype(object)
    M = np.vstack([B, B[0] * 3 - B[1], B[2] + B[3]]) * (3**45)  # rank 4, entries about 2^74
    assert max(abs(int(x)) for x in M.reshape(-1)) > 2**62
    num, den = rational_nullspace(M, rng=2)
    assert num.shape[1] == 9 - sympy.Matrix(B.tolist()).rank()
    assert not np.any(M.dot(num))
    ref = sympy.Matrix(B.tolist()).nullspace()
    N = sympy.Matrix(num.shape[0], num.shape[1], [sympy.Rational(int(num[i, j]), int(den[j]))
                                                  for i in range(num.shape[0]) for j in range(num.shape[1])])
    assert _span_equal(N, sympy.Matrix.hstack(*ref))


def test_rational_nullspace_without_flint(monkeypatch):
    monkeypatch.setitem(sys.modules, "flint", None)  # makes 'import flint' fail
    M = np.array([[1, 2, 3], [2, 4, 6], [1, 0, 1]])
    num, _ = rational_nullspace(M)
    assert num.shape[1] == 1
    assert not np.any(M.astype(object).dot(num))


def test_algebraic_nullspace():
    s5 = sympy.sqrt(5)
    N = algebraic_nullspace(sympy.Matrix([[1, -s5, 0], [0, 0, 1]]))
    assert N.shape == (3, 1)
    assert sympy.simplify(N[0] - s5 * N[1]) == 0


@settings(max_examples=25)
@given(st.sampled_from([groups.cyclic(3), groups.dihedral(3), groups.klein_four()])
       .flatmap(lambda G: rst.intertwiner_pairs(G, max_dim=5, exact=True)))
def test_exact_equals_numeric(pair):
    rho_in, rho_out = pair
    He = intertwiners(rho_in, rho_out, exact=True, cache=False)
    Hn = intertwiners(rho_in, rho_out, cache=False)
    assert He.dim == Hn.dim
    ex = He.basis_exact
    assert len(ex) == He.dim
    # each exact basis element is exactly equivariant (exact generator images)
    if rho_in.exact_images is not None and rho_out.exact_images is not None:
        for B in ex:
            for A_out, A_in in zip(rho_out.exact_images, rho_in.exact_images, strict=True):
                assert (A_out * B - B * A_in).is_zero_matrix
    # and spans the numeric space
    if He.dim:
        Bf = np.stack([np.array(B.evalf(20).tolist(), dtype=float) for B in ex])
        np.testing.assert_allclose(Hn.project(Bf), Bf, atol=1e-9)


def test_exact_constraints_equal_exact_average():
    G = groups.dihedral(3)
    V = Representation.regular(G)
    a = intertwiners(V, V + Representation.trivial(G), method="constraints", exact=True, cache=False).basis_exact
    b = intertwiners(V, V + Representation.trivial(G), method="average", exact=True, cache=False).basis_exact
    A = sympy.Matrix.hstack(*[m.reshape(len(m), 1) for m in a])
    B = sympy.Matrix.hstack(*[m.reshape(len(m), 1) for m in b])
    assert _span_equal(A, B)


def test_icosahedral_algebraic_exact_basis():
    G = groups.icosahedral()
    V = Representation.defining(G)
    H = intertwiners(V @ V, V, exact=True, cache=False)
    assert H.dim == 1
    B = H.basis_exact[0]
    VV = V @ V
    for A_out, A_in in zip(V.exact_images, VV.exact_images, strict=True):
        assert sympy.simplify(A_out * B - B * A_in).is_zero_matrix


lie = pytest.importorskip("reptheory.groups.lie_catalog")


def test_so3_exact_rational_basis_is_exact():
    V = lie.SO3().defining_representation()
    VV = V @ V
    H = commutant(VV, exact=True, cache=False)
    assert H.dim == 3
    for B in H.basis_exact:
        assert all(x.is_Rational for x in B)
        for X in VV.exact_algebra:
            assert (X * B - B * X).is_zero_matrix
