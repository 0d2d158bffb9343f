"""Decomposition of representations of compact Lie groups, and character integrals."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reptheory import Representation, groups
from reptheory._numerics.tolerance import tolerance
from reptheory.characters.lie import character, character_inner_product, hom_dimension
from reptheory.decomposition._lie import decompose_generic, decompose_lie
from reptheory.decomposition.irreps.lie import su2_complex_irrep
from reptheory.errors import DecompositionError, GroupMismatchError, InvalidArgumentError
from reptheory.groups.lie_catalog import O2, O3, SO, SO2, SO3, SU2, U1, O, lie_direct_product
from reptheory.reps.lie import realify, representation_from_algebra_images

E_OF = {"R": 1, "C": 2, "H": 4}


def float_defining(G: object) -> Representation:
    return G.defining_representation(exact=False)  # type: ignore[attr-defined]


def power(V: Representation, k: int) -> Representation:
    if k == 0:
        return Representation.trivial(V.group)
    out = V
    for _ in range(k - 1):
        out = out @ V
    return out


def check_reconstruction(dec: object, n: int = 3, seed: int = 0) -> None:
    """ρ(g) Q = Q D(g) on Haar samples; Q orthogonal; components are the catalogue irreps."""
    rep = dec.rep  # type: ignore[attr-defined]
    Q = dec.Q  # type: ignore[attr-defined]
    tol = 1e3 * tolerance().rtol
    for g in rep.group.sample(n, rng=seed):
        R = rep.matrix(g)
        D = dec.block_matrix(g)  # type: ignore[attr-defined]
        assert np.linalg.norm(R @ Q - Q @ D) <= tol * max(1.0, np.linalg.norm(R))
    if rep.is_orthogonal():
        assert np.allclose(Q.conj().T @ Q, np.eye(rep.dim), atol=1e-9)


def end_dim(dec: object) -> int:
    return sum(c.multiplicity**2 * E_OF[c.irrep.real_type] for c in dec.components)  # type: ignore[attr-defined]


# ------------------------------------------------------------------ SO(3), O(3)
@settings(max_examples=25)
@given(st.integers(0, 4), st.integers(0, 4))
def test_clebsch_gordan_multiplicities(l1: int, l2: int) -> None:
    G = SO3()
    dec = (G.irrep(l1) @ G.irrep(l2)).decompose()
    assert dec.multiplicities == {str(l): 1 for l in range(abs(l1 - l2), l1 + l2 + 1)}
    for c in dec.components:
        assert c.irrep is G.irrep(int(c.label))


RIORDAN = [1, 0, 1, 1, 3, 6, 15]


@pytest.mark.parametrize("k", range(0, 7))
def test_so3_tensor_powers_riordan(k: int) -> None:
    V = float_defining(SO3())
    dec = power(V, k).decompose()
    assert dec.multiplicities.get("0", 0) == RIORDAN[k]
    # Σ m_l (2l+1) = 3^k, and End dims 1, 3, 15, 91 (docs/explanation/lie-groups.md#known-dimensions)
    assert sum(c.multiplicity * c.irrep.dim for c in dec.components) == 3**k
    if 1 <= k <= 4:
        assert end_dim(dec) == [1, 3, 15, 91][k - 1]
    if k <= 4:
        check_reconstruction(dec, seed=k)


@pytest.mark.parametrize("k", range(1, 6))
def test_o3_tensor_powers(k: int) -> None:
    V = float_defining(O3())
    dec = power(V, k).decompose()
    # V = 1o: V^{⊗k} has parity (−1)^k; its SO(3) content is that of the SO(3) power
    so3 = power(float_defining(SO3()), k).decompose().multiplicities
    p = "e" if k % 2 == 0 else "o"
    assert dec.multiplicities == {f"{l}{p}": m for l, m in so3.items()}
    check_reconstruction(dec, seed=k)


def test_o3_examples_from_the_design_notes() -> None:
    V = O3().defining_representation()
    assert (V @ V).decompose().multiplicities == {"0e": 1, "1e": 1, "2e": 1}
    elasticity = V.symmetric_power(2).symmetric_power(2)
    assert elasticity.decompose().multiplicities == {"0e": 2, "2e": 2, "4e": 1}
    # band-limited "regular" representation ⊕_{l ≤ 3} (2l+1) D^l: End = Σ (2l+1)² = 84 (SO(3)), 168 (O(3))
    reg = Representation.from_irreps_string(SO3(), " + ".join(f"{2 * l + 1}x{l}" for l in range(4)))
    assert end_dim(reg.decompose()) == 84
    reg3 = Representation.from_irreps_string(O3(), " + ".join(f"{2 * l + 1}x{l}{p}" for l in range(4) for p in "eo"))
    assert end_dim(reg3.decompose()) == 168


def test_random_orthogonal_change_of_basis(rng: np.random.Generator) -> None:
    R = Representation.from_irreps_string(O3(), "2x0e + 0o + 3x1o + 1e + 2x2e + 3o")
    Qr = np.linalg.qr(rng.standard_normal((R.dim, R.dim)))[0]
    S = representation_from_algebra_images(O3(), Qr @ R.algebra @ Qr.T, Qr @ R.images @ Qr.T)
    dec = S.decompose()
    assert dec.multiplicities == {"0e": 2, "0o": 1, "1e": 1, "1o": 3, "2e": 2, "3o": 1}
    check_reconstruction(dec)


def test_non_orthogonal_representation(rng: np.random.Generator) -> None:
    M = rng.standard_normal((8, 8)) + 4 * np.eye(8)
    R = Representation.from_irreps_string(SO3(), "1 + 2").change_basis(M)
    dec = R.decompose()
    assert dec.multiplicities == {"1": 1, "2": 1}
    g = SO3().sample(1, rng=1)[0]
    assert np.allclose(R.matrix(g) @ dec.Q, dec.Q @ dec.block_matrix(g), atol=1e-8)


# ------------------------------------------------------------------ SO(2), O(2), SU(2), U(1)
def test_so2_o2_end_dims() -> None:
    for G, expected in [(SO2(), 6), (O2(), 3)]:
        V = G.defining_representation()
        dec = (V @ V).decompose()
        assert end_dim(dec) == expected
        check_reconstruction(dec)
    assert (SO2().irrep(2) @ SO2().irrep(3)).decompose().multiplicities == {"1": 1, "5": 1}
    assert (O2().irrep(2) @ O2().irrep(2)).decompose().multiplicities == {"0": 1, "det": 1, "4": 1}


@settings(max_examples=20)
@given(st.integers(0, 4), st.integers(0, 4))
def test_so2_product_rule(k: int, m: int) -> None:
    # ψ_k ⊗ ψ_m = ψ_{k+m} ⊕ ψ_{|k−m|}, with ψ_0 ⊕ ψ_0 for k = m ≥ 1
    dec = (SO2().irrep(k) @ SO2().irrep(m)).decompose()
    expected: dict[str, int] = {}
    if k == 0 or m == 0:
        expected[str(k + m)] = 1
    else:
        expected[str(k + m)] = 1
        expected[str(abs(k - m))] = expected.get(str(abs(k - m)), 0) + (2 if k == m else 1)
    assert dec.multiplicities == expected


def test_su2_real_and_complex() -> None:
    S = SU2()
    D = realify(S.defining_representation())
    dec = D.decompose()
    assert dec.multiplicities == {"1/2": 1} and dec.components[0].irrep.real_type == "H"
    assert end_dim(dec) == 4
    DD = (D @ D).decompose()
    assert DD.multiplicities == {"0": 4, "1": 4}
    check_reconstruction(DD)
    one_realified = realify(su2_complex_irrep(1))
    assert end_dim(one_realified.decompose()) == 4
    C = S.defining_representation()
    cdec = (C @ C @ C).decompose()
    assert {c.irrep.dim: c.multiplicity for c in cdec.components} == {2: 2, 4: 1}
    check_reconstruction(cdec)
    h = S.irrep("3/2") @ S.irrep("1/2")
    assert h.decompose().multiplicities == {"1": 4, "2": 4}


def test_u1_charges() -> None:
    U = U1().defining_representation()
    dec = (U @ U + U.dual() + Representation.trivial(U1())).decompose()
    assert dec.multiplicities == {"0": 1, "-1": 1, "2": 1}
    check_reconstruction(dec)
    real = SO2().irrep(2)
    as_u1 = representation_from_algebra_images(U1(), [real.algebra[0].astype(complex) * 1.0])
    assert as_u1.decompose().multiplicities == {"-2": 1, "2": 1}


# ------------------------------------------------------------------ groups without catalogue irreps
@pytest.mark.parametrize(
    ("G", "k", "end"),
    [(SO(4), 2, 4), (O(4), 2, 3), (O(4), 3, 15), (SO(5), 2, 3), (O(2), 3, 10), (O(3), 3, 15)],
)
def test_generic_path_end_dims(G: object, k: int, end: int) -> None:
    V = float_defining(G)
    Q, comps = decompose_generic(power(V, k), rng=0)
    assert sum(m * m * E_OF[psi.real_type] for psi, m in comps) == end
    R = power(V, k)
    for g in G.sample(2, rng=1):  # type: ignore[attr-defined]
        D = np.zeros_like(Q)
        blocks = [psi.matrix(g) for psi, m in comps for _ in range(m)]
        from scipy.linalg import block_diag

        D = block_diag(*blocks)
        assert np.allclose(R.matrix(g) @ Q, Q @ D, atol=1e-9)


def test_generic_path_matches_catalogue_on_so3() -> None:
    R = power(float_defining(SO3()), 3)
    _, comps = decompose_generic(R, rng=1)
    assert sorted((psi.dim, m) for psi, m in comps) == [(1, 1), (3, 3), (5, 2), (7, 1)]


def test_products_decompose_numerically() -> None:
    P = lie_direct_product(SO2(), groups.cyclic(2))
    V = P.defining_representation()
    dec = (V @ V).decompose()
    assert dec.method == "casimir+random-commutant"
    # V = ψ1⊠1 ⊕ 1⊠1 ⊕ 1⊠s, so V⊗V = 4·(1⊠1) + 2·(1⊠s) + 2·(ψ1⊠1) + 2·(ψ1⊠s) + ψ2⊠1
    # and End(V⊗V) = 16 + 4 + 2·4 + 2·4 + 2 = 38 (ψ_k of complex type)
    assert end_dim(dec) == 38
    check_reconstruction(dec)


# ------------------------------------------------------------------ known components and errors
def test_known_components_fast_path() -> None:
    R = Representation.from_irreps_string(O3(), "1o + 0e + 1o")
    dec = R.decompose()
    assert dec.method == "known components"
    assert dec.multiplicities == {"0e": 1, "1o": 2}
    assert dec.components[0].irrep is O3().irrep("0e")
    check_reconstruction(dec)


def test_invalid_representation_fails_verification() -> None:
    bad = representation_from_algebra_images(SO3(), 0.5 * SO3().irrep(2).algebra, validate=False)
    with pytest.raises(DecompositionError):
        bad.decompose()
    complex_so2 = representation_from_algebra_images(SO2(), [np.diag([1j, -1j, 2j])])
    dec = complex_so2.decompose()  # complex representations of SO(2) decompose over C into characters e^{ikθ}
    assert [c.irrep.dim for c in dec.components] == [1, 1, 1]
    assert dec.multiplicities == {"1c": 1, "-1c": 1, "2c": 1} and dec.info["field"] == "C"
    check_reconstruction(dec)


# ------------------------------------------------------------------ characters
def test_character_inner_products_match_decompositions() -> None:
    for G in (SO2(), O2(), SO3(), O3()):
        V = float_defining(G)
        for k in range(1, 5):
            R = power(V, k)
            dec = R.decompose()
            assert hom_dimension(R, R) == end_dim(dec)
            triv = G.irreps(0)[0]
            assert hom_dimension(R, triv) == next((c.multiplicity for c in dec.components if c.irrep is triv), 0)


def test_weyl_integration_vs_monte_carlo() -> None:
    V = float_defining(SO3())
    R = V @ V @ V
    exact = character_inner_product(R, R)
    gs = SO3().sample(3000, rng=5)
    chi = np.array([character(R, g) for g in gs])
    assert exact == 15.0
    assert abs(np.mean(chi**2) - exact) < 5 * np.std(chi**2) / np.sqrt(len(gs))
    # SU(2): <χ_{1/2}, χ_{1/2}> of the realified spin 1/2 is 4 (quaternionic)
    D = realify(SU2().defining_representation())
    assert character_inner_product(D, D) == 4.0
    assert character_inner_product(SU2().irrep(Fraction(3, 2)), SU2().irrep(1)) == 0.0


def test_monte_carlo_fallback_and_errors() -> None:
    W = float_defining(O(4))  # O(4): exact (the reflection coset through the Sp(1) eigen-angle density)
    assert character_inner_product(W @ W, W @ W) == 3 and hom_dimension(W @ W @ W, W @ W @ W) == 15
    V = float_defining(lie_direct_product(SO2(), SO2()))  # a product: no torus rule here, so Monte-Carlo
    est = character_inner_product(V @ V, V @ V, n_samples=4000, rng=0)
    from reptheory import intertwiners

    assert abs(est - intertwiners(V @ V, V @ V).dim) < 0.1 * est
    with pytest.raises(InvalidArgumentError):
        hom_dimension(V, V)
    with pytest.raises(GroupMismatchError):
        character_inner_product(SO3().irrep(1), O3().irrep("1o"))
    with pytest.raises(InvalidArgumentError):
        character_inner_product(V, V, n_samples=0)


def test_decompose_lie_rejects_finite_like_groups() -> None:
    with pytest.raises(InvalidArgumentError):
        decompose_lie(Representation.regular(groups.cyclic(3)))


CATALOGUE = [SO2(), O2(), SO3(), O3(), SU2()]


@settings(max_examples=40)
@given(
    st.integers(0, len(CATALOGUE) - 1),
    st.lists(st.integers(0, 2), min_size=6, max_size=6),
    st.integers(0, 2**31 - 1),
)
def test_random_sums_in_random_orthogonal_bases(gi: int, mults: list[int], seed: int) -> None:
    G = CATALOGUE[gi]
    irreps = G.irreps("1" if G.kind == "SU2" else 2)[:6]
    blocks = [psi for psi, m in zip(irreps, mults, strict=False) for _ in range(m)]
    if not blocks:
        blocks = [irreps[-1]]
    R = blocks[0].direct_sum(*blocks[1:]) if len(blocks) > 1 else blocks[0]
    rng = np.random.default_rng(seed)
    Qr = np.linalg.qr(rng.standard_normal((R.dim, R.dim)))[0]
    images = (Qr @ R.images.reshape(G.num_generators, R.dim, R.dim) @ Qr.T) if G.num_generators else ()
    S = representation_from_algebra_images(G, Qr @ R.algebra @ Qr.T, images)
    dec = S.decompose()
    expected: dict[str, int] = {}
    for psi in blocks:
        expected[psi.label] = expected.get(psi.label, 0) + 1
    assert dec.multiplicities == expected
    for c in dec.components:
        assert c.irrep is G.irrep(c.label)
    check_reconstruction(dec, n=2, seed=seed)


def test_generic_path_complex_products() -> None:
    G = lie_direct_product(SU2(), U1())
    V = G.defining_representation(exact=False)  # spin 1/2 with charge 0, plus spin 0 with charge 1
    dec = (V @ V).decompose()
    dims = sorted((c.irrep.dim, c.multiplicity) for c in dec.components)
    # (1/2 ⊕ q1)^{⊗2} = (0 ⊕ 1) at charge 0, 2 × (1/2 at charge 1), 0 at charge 2
    assert dims == [(1, 1), (1, 1), (2, 2), (3, 1)]
    check_reconstruction(dec)


@pytest.mark.parametrize(
    ("G", "k", "end"),
    [(SO(4), 2, 4), (SO(5), 2, 3), (O(5), 3, 15), (SO(6), 3, 16), (SO(5), 3, 15)],
)
def test_exact_weyl_integration_for_so_n(G: object, k: int, end: int) -> None:
    # SO(6): the extra invariant of V^{⊗6} is ε_ijklmn (Brauer's 15 plus one)
    R = power(float_defining(G), k)
    assert hom_dimension(R, R) == end


def test_so4_hom_v_to_v3_and_generic_agreement() -> None:
    V = float_defining(SO(4))
    assert hom_dimension(V, power(V, 3)) == 4  # docs/explanation/lie-groups.md#known-dimensions: 4 for SO(4), 3 for O(4)
    R = power(V, 3)
    _, comps = decompose_generic(R, rng=3)
    assert sum(m * m * E_OF[psi.real_type] for psi, m in comps) == hom_dimension(R, R) == 25
