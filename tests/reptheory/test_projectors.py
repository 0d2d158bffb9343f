"""Structured projectors: the documented rules, idempotence, symmetry, round trips, batching."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reptheory import Representation, groups
from reptheory._numerics.tolerance import tolerance
from reptheory.errors import DimensionMismatchError, InvalidArgumentError
from reptheory.hom.projectors import (
    BasisProjector,
    IsotypicBlock,
    IsotypicProjector,
    OrbitProjector,
    dense_matrix,
    projector_from_arrays,
)

TOL = tolerance().rtol


@pytest.fixture(autouse=True)
def _private_disk_cache(tmp_path, monkeypatch):
    """Keep the disk cache of these tests out of the user's cache directory."""
    monkeypatch.setenv("REPTHEORY_CACHE_DIR", str(tmp_path / "reptheory-cache"))


def _orbit_rule(P: OrbitProjector, W: np.ndarray) -> np.ndarray:
    """The rule of the issue, written as a slow loop."""
    flat = W.reshape(-1)
    out = np.zeros_like(flat)
    for e in range(flat.size):
        lab = P.labels[e]
        if lab < 0:
            continue
        members = np.flatnonzero(P.labels == lab)
        out[e] = P.signs[e] * np.mean(P.signs[members] * flat[members])
    return out.reshape(W.shape)


@st.composite
def orbit_projectors(draw):
    d_out = draw(st.integers(1, 5))
    d_in = draw(st.integers(1, 5))
    n = d_out * d_in
    k = draw(st.integers(0, n))
    labels = np.array(draw(st.lists(st.integers(-1, max(k - 1, -1)), min_size=n, max_size=n)), dtype=np.int64)
    # make labels 0..k'-1 contiguous
    used = np.unique(labels[labels >= 0])
    remap = {int(u): i for i, u in enumerate(used)}
    labels = np.array([remap.get(int(x), -1) for x in labels], dtype=np.int64)
    signs = np.array(draw(st.lists(st.sampled_from([-1.0, 1.0]), min_size=n, max_size=n)))
    signs[labels < 0] = 0.0
    return OrbitProjector((d_out, d_in), labels, signs, len(used))


@settings(max_examples=60)
@given(orbit_projectors(), st.integers(0, 2**31))
def test_orbit_rule_idempotent_symmetric(P, seed):
    rng = np.random.default_rng(seed)
    W = rng.standard_normal(P.shape)
    PW = P.apply(W)
    np.testing.assert_allclose(PW, _orbit_rule(P, W), atol=1e-12)
    np.testing.assert_allclose(P.apply(PW), PW, atol=1e-12)
    D = dense_matrix(P)
    np.testing.assert_allclose(D, D.T, atol=1e-12)
    assert np.linalg.matrix_rank(D) == P.dim
    B = P.basis()
    flat = B.reshape(P.dim, P.shape[0] * P.shape[1])
    np.testing.assert_allclose(flat @ flat.T, np.eye(P.dim), atol=1e-12)


@settings(max_examples=30)
@given(orbit_projectors(), st.integers(0, 2**31))
def test_orbit_batched_and_roundtrip(P, seed):
    rng = np.random.default_rng(seed)
    W = rng.standard_normal((3, 2, *P.shape))
    batched = P.apply(W)
    for i in range(3):
        for j in range(2):
            np.testing.assert_allclose(batched[i, j], P.apply(W[i, j]), atol=1e-12)
    Q = OrbitProjector.from_arrays(P.to_arrays())
    np.testing.assert_array_equal(Q.apply(W), batched)
    assert all(isinstance(v, np.ndarray) and v.dtype != object for v in P.to_arrays().values())


def test_orbit_float32_and_complex_inputs_keep_dtype():
    P = OrbitProjector.from_labels((2, 2), np.array([0, 1, 1, 0]))
    W = np.array([[1.0, 2.0], [4.0, 3.0]], dtype=np.float32)
    assert P.apply(W).dtype == np.float32
    Z = W.astype(np.complex128) * (1 + 1j)
    np.testing.assert_allclose(P.apply(Z), P.apply(W.astype(float)) * (1 + 1j))


def _random_orthogonal(rng, d):
    q, r = np.linalg.qr(rng.standard_normal((d, d)))
    return q * np.sign(np.diag(r))


def _complex_type_basis(d):
    J = np.kron(np.eye(d // 2), np.array([[0.0, -1.0], [1.0, 0.0]]))
    return np.stack([np.eye(d), J])


def _quaternion_basis():
    # right multiplication by 1, i, j, k on H = R^4 (Frobenius-orthogonal, norm^2 = 4)
    def right(q):
        a, b, c, d = q
        return np.array([[a, -b, -c, -d], [b, a, d, -c], [c, -d, a, b], [d, c, -b, a]], dtype=float)

    return np.stack([right(v) for v in np.eye(4)])


@pytest.mark.parametrize("seed", range(5))
def test_isotypic_projector_laws(seed):
    rng = np.random.default_rng(seed)
    # output: 2 x R1 (dim 1) + 1 x C (dim 2) + 1 x H (dim 4); input: 1 x R1 + 2 x C + 1 x H + 1 unmatched R1'
    d_out = 2 + 2 + 4
    d_in = 1 + 4 + 4 + 1
    blocks = (
        IsotypicBlock(0, 2, 0, 1, 1, 2, 1, np.ones((1, 1, 1))),
        IsotypicBlock(2, 4, 1, 5, 2, 1, 2, _complex_type_basis(2)),
        IsotypicBlock(4, 8, 5, 9, 4, 1, 1, _quaternion_basis()),
    )
    P = IsotypicProjector(_random_orthogonal(rng, d_out), _random_orthogonal(rng, d_in), blocks)
    assert P.dim == 2 * 1 * 1 + 1 * 2 * 2 + 4
    D = dense_matrix(P)
    np.testing.assert_allclose(D @ D, D, atol=1e-12)
    np.testing.assert_allclose(D, D.T, atol=1e-12)
    assert np.linalg.matrix_rank(D, tol=1e-9) == P.dim
    B = P.basis()
    flat = B.reshape(P.dim, -1)
    np.testing.assert_allclose(flat @ flat.T, np.eye(P.dim), atol=1e-12)
    W = rng.standard_normal((4, d_out, d_in))
    np.testing.assert_allclose(P.apply(W), np.einsum("kab,kij,nij->nab", B, B, W), atol=1e-12)
    Q = IsotypicProjector.from_arrays(P.to_arrays())
    np.testing.assert_allclose(Q.apply(W), P.apply(W), atol=0)
    assert projector_from_arrays("isotypic", P.to_arrays()).dim == P.dim


def test_isotypic_rule_on_a_complex_block():
    # the 2x2 complex-type rule of docs/explanation/projector.md#mask-and-average: a = (B11 + B22)/2, b = (B21 - B12)/2
    P = IsotypicProjector(np.eye(2), np.eye(2), (IsotypicBlock(0, 2, 0, 2, 2, 1, 1, _complex_type_basis(2)),))
    B = np.array([[1.0, 2.0], [5.0, 3.0]])
    a, b = (B[0, 0] + B[1, 1]) / 2, (B[1, 0] - B[0, 1]) / 2
    np.testing.assert_allclose(P.apply(B), a * np.eye(2) + b * np.array([[0, -1], [1, 0]]))


def test_basis_projector_and_roundtrip(rng):
    q, _ = np.linalg.qr(rng.standard_normal((12, 5)))
    B = q.T.reshape(5, 3, 4)
    P = BasisProjector(B)
    W = rng.standard_normal((2, 3, 4))
    expect = np.einsum("kij,kab,nab->nij", B, B, W)
    np.testing.assert_allclose(P.apply(W), expect, atol=1e-12)
    np.testing.assert_array_equal(BasisProjector.from_arrays(P.to_arrays()).apply(W), P.apply(W))
    assert (P.kind, P.shape, P.dim) == ("basis", (3, 4), 5)


def test_three_forms_agree_on_d4_regular(rng):
    from reptheory.hom.space import intertwiners

    R = Representation.regular(groups.dihedral(4))
    orbit = intertwiners(R, R, method="orbit", cache=False).structured_projector()
    iso = intertwiners(R, R, method="isotypic", cache=False).structured_projector()
    basis = BasisProjector(orbit.basis())
    assert (orbit.kind, iso.kind, basis.kind) == ("orbit", "isotypic", "basis")
    W = rng.standard_normal((3, 8, 8))
    np.testing.assert_allclose(orbit.apply(W), basis.apply(W), atol=1e-12)
    np.testing.assert_allclose(orbit.apply(W), iso.apply(W), atol=1e-10)


def test_bad_inputs():
    P = OrbitProjector.from_labels((2, 2), np.array([0, 1, 1, 0]))
    with pytest.raises(DimensionMismatchError, match="shape"):
        P.apply(np.zeros((3, 2)))
    with pytest.raises(InvalidArgumentError, match="numeric"):
        P.apply(np.array([["a", "b"], ["c", "d"]]))
    with pytest.raises(DimensionMismatchError):
        OrbitProjector((2, 2), np.zeros(3, np.int64), np.ones(3), 1)
    with pytest.raises(InvalidArgumentError, match="labels"):
        OrbitProjector((1, 2), np.array([0, 5]), np.ones(2), 1)
    with pytest.raises(DimensionMismatchError):
        IsotypicBlock(0, 3, 0, 2, 1, 2, 2, np.ones((1, 1, 1)))
    with pytest.raises(InvalidArgumentError, match="unknown projector kind"):
        projector_from_arrays("dense", {})
    with pytest.raises(DimensionMismatchError):
        BasisProjector(np.zeros((2, 3)))


def test_isotypic_signed_permutation_fast_path_matches_formula(rng):
    blocks = (IsotypicBlock(0, 4, 0, 2, 2, 2, 1, _complex_type_basis(2)), IsotypicBlock(4, 5, 2, 3, 1, 1, 1, np.ones((1, 1, 1))))

    def signed_perm(d):
        return np.eye(d)[:, rng.permutation(d)] * rng.choice([-1.0, 1.0], size=d)

    Qo, Qi = signed_perm(5), signed_perm(3)
    P = IsotypicProjector(Qo, Qi, blocks)
    assert P._signed_perms[0] is not None and P._signed_perms[1] is not None
    W = rng.standard_normal((2, 5, 3))
    expect = Qo @ P.apply_hat(Qo.T @ W @ Qi) @ Qi.T
    np.testing.assert_allclose(P.apply(W), expect, atol=1e-12)
