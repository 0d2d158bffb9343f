"""Intertwiner spaces: projector laws for every algorithm, oracles, Lie groups, bad input."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reptheory import Representation, groups
from reptheory._numerics.tolerance import tolerance
from reptheory.errors import (
    ExactnessError,
    GroupMismatchError,
    InvalidArgumentError,
    TooLargeError,
)
from reptheory.hom.averaging import group_average, reynolds_matrix
from reptheory.hom.projectors import BasisProjector
from reptheory.hom.space import clear_cache, commutant, intertwiners, invariants
from reptheory.testing import strategies as rst

TOL = tolerance().rtol


@pytest.fixture(autouse=True)
def _private_disk_cache(tmp_path, monkeypatch):
    """Keep the disk cache of these tests out of the user's cache directory."""
    monkeypatch.setenv("REPTHEORY_CACHE_DIR", str(tmp_path / "reptheory-cache"))
SMALL_GROUPS = [groups.cyclic(3), groups.cyclic(4), groups.klein_four(), groups.dihedral(3), groups.dihedral(4),
                groups.quaternion(), groups.alternating(4)]


def character_dim(rho_in, rho_out) -> int:
    a = np.trace(rho_in.matrices(), axis1=1, axis2=2)
    b = np.trace(rho_out.matrices(), axis1=1, axis2=2)
    val = np.sum(a * b) / rho_in.group.order
    assert abs(val - round(val.real)) < 1e-8
    return round(float(val.real))


def check_laws(H, rho_in, rho_out, rng, orthogonal=True):
    d_out, d_in = rho_out.dim, rho_in.dim
    W = rng.standard_normal((d_out, d_in))
    PW = H.project(W)
    scale = max(1.0, float(np.linalg.norm(W)))
    assert np.linalg.norm(H.project(PW) - PW) <= 1e2 * TOL * scale                     # P^2 = P
    assert float(H.residual(PW)) <= 1e2 * TOL * scale * max(1.0, float(np.abs(rho_in.images).max(initial=1)))
    np.testing.assert_allclose(PW, group_average(rho_in, rho_out, W), atol=1e2 * TOL * scale)
    assert H.dim == character_dim(rho_in, rho_out)
    B = H.basis
    assert B.shape == (H.dim, d_out, d_in)
    flat = B.reshape(H.dim, d_out * d_in)
    np.testing.assert_allclose(flat @ flat.T, np.eye(H.dim), atol=1e2 * TOL)
    np.testing.assert_allclose(H.project(B), B, atol=1e2 * TOL)                          # fixes equivariant W
    if orthogonal and d_out * d_in <= 400:
        D = H.projector()
        np.testing.assert_allclose(D, D.T, atol=1e2 * TOL)                                # P^T = P


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SMALL_GROUPS).flatmap(lambda G: rst.intertwiner_pairs(G, max_dim=6)), st.integers(0, 2**31))
def test_auto_laws_orthogonal(pair, seed):
    rho_in, rho_out = pair
    H = intertwiners(rho_in, rho_out, cache=False)
    check_laws(H, rho_in, rho_out, np.random.default_rng(seed))


@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SMALL_GROUPS).flatmap(lambda G: rst.intertwiner_pairs(G, max_dim=5)),
       st.sampled_from(["constraints", "average"]), st.integers(0, 2**31))
def test_every_method_equals_group_average(pair, method, seed):
    rho_in, rho_out = pair
    H = intertwiners(rho_in, rho_out, method=method, cache=False)
    assert H.method == method
    check_laws(H, rho_in, rho_out, np.random.default_rng(seed))


@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SMALL_GROUPS).flatmap(lambda G: rst.intertwiner_pairs(G, max_dim=5, orthogonal=False)),
       st.integers(0, 2**31))
def test_non_orthogonal_is_oblique_reynolds(pair, seed):
    rho_in, rho_out = pair
    rng = np.random.default_rng(seed)
    H = intertwiners(rho_in, rho_out, cache=False)
    check_laws(H, rho_in, rho_out, rng, orthogonal=False)
    if not (rho_in.is_orthogonal() and rho_out.is_orthogonal()):
        assert H.projector_kind == "reynolds-oblique"
        with pytest.raises(InvalidArgumentError, match="oblique"):
            H.structured_projector()
        Po = H.structured_projector(kind="orthogonal")
        W = rng.standard_normal(H.shape)
        # same range: the orthogonal projection is fixed by the Reynolds projector and vice versa
        np.testing.assert_allclose(H.project(Po.apply(W)), Po.apply(W), atol=1e3 * TOL)
        np.testing.assert_allclose(Po.apply(H.project(W)), H.project(W), atol=1e3 * TOL)


def test_oblique_projector_matrix_equals_dense_average():
    G = groups.dihedral(3)
    R = Representation.regular(G).change_basis(np.diag(np.arange(1.0, 7.0)) + 0.1)
    H = intertwiners(R, R, cache=False)
    np.testing.assert_allclose(H.projector(), reynolds_matrix(R, R), atol=1e-9)


def test_isotypic_route_from_components_and_from_decompose(rng):
    G = groups.quaternion()
    irr = G.irreps()
    H4 = irr[-1]
    assert H4.real_type == "H"
    rin = 2 * H4 + irr[0]
    rout = H4 + irr[1] + irr[0]
    H = intertwiners(rin, rout, cache=False)
    assert H.method == "isotypic" and H.dim == 2 * 4 + 1
    check_laws(H, rin, rout, rng)
    q, _ = np.linalg.qr(rng.standard_normal((rin.dim, rin.dim)))
    rin2 = rin.change_basis(q)
    H2 = intertwiners(rin2, rout, method="isotypic", cache=False)
    assert H2.structured_projector().kind == "isotypic"
    check_laws(H2, rin2, rout, rng)


def test_known_dimensions_regular():
    for n in (3, 5, 8):
        R = Representation.regular(groups.dihedral(n))
        assert commutant(R).dim == 2 * n
    C = Representation.regular(groups.cyclic(16))
    H = commutant(C)
    W = np.zeros((16, 16))
    W[0, 1] = 16.0
    expect = np.roll(np.eye(16), 1, axis=1)  # circulant with ones on the wrapped first superdiagonal
    np.testing.assert_allclose(H.project(W), expect, atol=1e-12)


def test_invariants_are_bias_space():
    R = Representation.regular(groups.dihedral(4))
    inv = invariants(R)
    assert inv.dim == 1 and inv.shape == (8, 1)
    v = inv.basis[0, :, 0]
    np.testing.assert_allclose(R.images @ v, np.broadcast_to(v, (2, 8)), atol=1e-12)
    assert invariants(Representation.sign(groups.symmetric(3))).dim == 0
    V = Representation.defining(groups.octahedral())
    B = invariants(V @ V).basis[:, :, 0]
    for m in (V @ V).images:
        np.testing.assert_allclose(B @ m.T, B, atol=1e-12)


# ------------------------------------------------------------------------------ Lie groups
lie = pytest.importorskip("reptheory.groups.lie_catalog")


@pytest.mark.parametrize("k, expected", [(1, 1), (2, 3), (3, 15)])
def test_so3_tensor_powers(k, expected):
    V = lie.SO3().defining_representation()
    H = commutant(V**k, cache=False)
    assert H.dim == expected
    assert H.error_bound["residual"] < 1e3 * TOL


def test_so3_fourth_tensor_power_numeric_and_exact():
    V4 = lie.SO3().defining_representation() ** 4
    assert commutant(V4, cache=False).dim == 91
    H = commutant(V4, exact=True, cache=False)
    assert H.dim == 91 and H.exact


def test_lie_small_known_dimensions():
    V3 = lie.SO3().defining_representation()
    W3 = lie.O3().defining_representation()
    assert intertwiners(V3 @ V3, V3).dim == 1      # cross product
    assert intertwiners(W3 @ W3, W3).dim == 0      # not O(3)-equivariant
    V2 = lie.SO2().defining_representation()
    W2 = lie.O2().defining_representation()
    assert commutant(V2 @ V2).dim == 6
    assert commutant(W2 @ W2).dim == 3


def test_so3_band_limited_isotypic():
    G = lie.SO3()
    rep = sum((G.irrep(l_) for l_ in range(1, 4)), G.irrep(0))
    rep8 = 8 * rep
    H = commutant(rep8, cache=False)
    assert rep8.dim == 128 and H.dim == 256 and H.method == "isotypic"
    assert H.error_bound["residual"] < 1e3 * TOL


# ------------------------------------------------------------------------------ bad input and cache
def test_different_groups_rejected():
    a = Representation.regular(groups.cyclic(3))
    b = Representation.regular(groups.cyclic(4))
    with pytest.raises(GroupMismatchError, match="different groups"):
        intertwiners(a, b)


def test_bad_arguments():
    R = Representation.regular(groups.cyclic(3))
    with pytest.raises(InvalidArgumentError, match="did you mean 'orbit'"):
        intertwiners(R, R, method="orbits")
    with pytest.raises(InvalidArgumentError, match="Representation"):
        intertwiners(np.eye(3), R)
    with pytest.raises(InvalidArgumentError, match="exact must be a bool"):
        intertwiners(R, R, exact="yes")
    H = commutant(R)
    with pytest.raises(InvalidArgumentError, match="non-finite"):
        H.project(np.full((3, 3), np.nan))
    bad = Representation(R.group, np.full((1, 3, 3), np.nan), name="nan")
    with pytest.raises(InvalidArgumentError, match="non-finite"):
        intertwiners(bad, bad)
    with pytest.raises(InvalidArgumentError, match="monomial"):
        intertwiners(R.change_basis(np.diag([1.0, 2.0, 3.0])), R, method="orbit")
    with pytest.raises(InvalidArgumentError, match="finite group"):
        V = lie.SO3().defining_representation()
        intertwiners(V, V, method="average")


def _fast_regular(G, copies=1):
    """copies x regular without the sympy exact images Representation.regular builds (slow at |G| = 256)."""
    enum = G._enumeration
    inv = enum.inverse
    perm = np.stack([inv[enum.right_inv[inv, j]] for j in range(enum.k)]).astype(np.int64)
    n = G.order
    perm = np.concatenate([perm + c * n for c in range(copies)], axis=1)
    d = n * copies
    imgs = np.zeros((enum.k, d, d))
    for j in range(enum.k):
        imgs[j, perm[j], np.arange(d)] = 1.0
    return Representation(G, imgs, name=f"{copies}*regular", monomial=(perm, np.ones(perm.shape)))


def test_huge_dense_requests_refused():
    R = _fast_regular(groups.dihedral(128), copies=4)
    H = commutant(R, cache=False)
    assert H.dim == 4096
    with pytest.raises(TooLargeError, match="GiB"):
        H.basis  # noqa: B018
    with pytest.raises(TooLargeError, match="dense projector"):
        H.projector()
    G = groups.dihedral(40)
    rng = np.random.default_rng(1)
    q, _ = np.linalg.qr(rng.standard_normal((80, 80)))
    Rq = Representation.regular(G).change_basis(q)
    with pytest.raises(TooLargeError, match="unknowns"):
        intertwiners(Rq, Rq, method="constraints", cache=False)


def test_exact_requires_exact_images():
    G = groups.cyclic(4)
    R = Representation.regular(G)
    q = np.array([[0.6, -0.8], [0.8, 0.6]])
    Q = np.eye(4)
    Q[:2, :2] = q
    Rf = R.change_basis(Q)
    with pytest.raises(ExactnessError, match="rationalize"):
        intertwiners(Rf, Rf, exact=True, cache=False)
    H = intertwiners(Rf, Rf, exact=True, rationalize=True, cache=False)
    assert H.dim == 4 and H.exact
    with pytest.raises(ExactnessError, match="exact=True"):
        commutant(Rf, cache=False).basis_exact  # noqa: B018


def test_memory_cache_hits_and_clears():
    R = Representation.regular(groups.dihedral(6))
    a = commutant(R)
    assert commutant(R) is a
    clear_cache()
    assert commutant(R) is not a


def test_structured_projector_kinds(rng):
    R = Representation.regular(groups.dihedral(4))
    assert commutant(R).structured_projector().kind == "orbit"
    q, _ = np.linalg.qr(rng.standard_normal((8, 8)))
    Rq = R.change_basis(q)
    P = intertwiners(Rq, Rq, method="constraints", cache=False).structured_projector()
    assert isinstance(P, BasisProjector)
    with pytest.raises(InvalidArgumentError, match="kind"):
        commutant(R).structured_projector(kind="dense")


def _direct_sum(blocks):
    """Direct sum; works around the core's direct_sum for groups without discrete generators
    (it builds images of shape (0, d, 0, d) there; reported)."""
    import scipy.linalg

    if blocks[0].images.shape[0]:
        rep = blocks[0]
        for b in blocks[1:]:
            rep = rep + b
        return rep
    d = sum(b.dim for b in blocks)
    alg = np.stack([scipy.linalg.block_diag(*[b.algebra[a] for b in blocks]) for a in range(blocks[0].algebra.shape[0])])
    return Representation(blocks[0].group, np.zeros((0, d, d)), name="sum", algebra=alg,
                          components=tuple((b, 1) for b in blocks))


@st.composite
def lie_pairs(draw):
    """(rho_in, rho_out, expected dim) from catalogue irreps in random orthogonal bases: dim = Σ m m' e."""
    name = draw(st.sampled_from(["SO2", "O2", "SO3", "O3", "SU2"]))
    G = getattr(lie, name)()
    irreps = G.irreps(1 if name == "SU2" else 2)
    e = {"R": 1, "C": 2, "H": 4}

    def draw_mults():
        picks = draw(st.lists(st.integers(0, len(irreps) - 1), min_size=1, max_size=3))
        return [picks.count(i) for i in range(len(irreps))]

    def build(m, seed):
        blocks = [r for mi, r in zip(m, irreps, strict=True) for _ in range(mi)]
        rep = _direct_sum(blocks)
        if draw(st.booleans()):
            q, _ = np.linalg.qr(np.random.default_rng(seed).standard_normal((rep.dim, rep.dim)))
            rep = rep.change_basis(q)
        return rep

    m_in, m_out = draw_mults(), draw_mults()
    seed = draw(st.integers(0, 2**31))
    expected = sum(a * b * e[r.real_type] for a, b, r in zip(m_in, m_out, irreps, strict=True))
    return build(m_in, seed), build(m_out, seed + 1), expected


@settings(max_examples=30, suppress_health_check=[HealthCheck.too_slow])
@given(lie_pairs(), st.integers(0, 2**31))
def test_lie_laws_and_schur_dimension(triple, seed):
    rho_in, rho_out, expected = triple
    H = intertwiners(rho_in, rho_out, cache=False)
    assert H.dim == expected
    rng = np.random.default_rng(seed)
    W = rng.standard_normal(H.shape)
    PW = H.project(W)
    np.testing.assert_allclose(H.project(PW), PW, atol=1e3 * TOL)
    assert float(H.residual(PW)) < 1e3 * TOL * max(1.0, float(np.linalg.norm(W))) * 10
    B = H.basis
    np.testing.assert_allclose(H.project(B), B, atol=1e3 * TOL)
    if H.shape[0] * H.shape[1] <= 144:
        D = H.projector()
        np.testing.assert_allclose(D, D.T, atol=1e3 * TOL)


def test_sparse_shift_invert_solver(monkeypatch):
    from reptheory._numerics import linalg as _linalg
    from reptheory._numerics.linalg import nullspace, stacked_constraints

    monkeypatch.setattr(_linalg, "MAX_DENSE_UNKNOWNS", 50)  # force the sparse path on a small problem
    R = Representation.regular(groups.dihedral(5)) + Representation.trivial(groups.dihedral(5))
    M = stacked_constraints([(a, a) for a in R.images])
    res = nullspace(M)
    assert res.solver == "shift-invert-lanczos"
    assert res.N.shape == (121, character_dim(R, R))
    np.testing.assert_allclose(res.N.T @ res.N, np.eye(res.N.shape[1]), atol=1e-10)
    assert np.abs(M @ res.N).max() < 1e-10 and res.gap > 1e6


@pytest.mark.parametrize("case", ["regular", "sum", "tensor", "rotated", "oblique"])
def test_shared_projector_laws(case, rng):
    from reptheory.testing import laws

    G = groups.dihedral(3)
    R = Representation.regular(G)
    V = Representation.sign(G) if G.generator_perms is not None else Representation.trivial(G)
    rin, rout = {
        "regular": (R, R),
        "sum": (R + Representation.trivial(G), R),
        "tensor": (R, V @ R),
        "rotated": (R.change_basis(np.linalg.qr(rng.standard_normal((6, 6)))[0]), R),
        "oblique": (R.change_basis(np.diag(np.arange(1.0, 7.0))), R),
    }[case]
    W = rng.standard_normal((rout.dim, rin.dim))
    H = intertwiners(rin, rout, cache=False)
    laws.projector_idempotent(rin, rout, W, space=H)
    laws.projection_commutes_with_generators(rin, rout, W, space=H)
    laws.projector_rank(rin, rout, space=H)
    laws.projector_range_is_commutant(rin, rout, space=H)
    laws.projector_matches_group_average(rin, rout, W, space=H)
    if case in ("regular", "sum", "tensor"):
        laws.projector_exact_matches_numeric(rin, rout, W)
