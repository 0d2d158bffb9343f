"""Decomposition of finite-group representations into the canonical real irreps."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reptheory import FiniteGroup, Representation, groups
from reptheory.characters import hom_dimension, real_multiplicities
from reptheory.decomposition._finite import decompose_finite
from reptheory.errors import DecompositionError, InvalidArgumentError

E_DIM = {"R": 1, "C": 2, "H": 4}


def random_orthogonal(d: int, rng: np.random.Generator) -> np.ndarray:
    q, r = np.linalg.qr(rng.standard_normal((d, d)))
    return q * np.sign(np.diag(r))


def check_decomposition(rep: Representation, dec, *, orthogonal: bool = True) -> None:  # type: ignore[no-untyped-def]
    G = rep.group
    d = rep.dim
    Q = dec.Q
    assert Q.shape == (d, d)
    if orthogonal:
        assert np.allclose(Q.T @ Q, np.eye(d), atol=1e-9)
    irr = G.irreps()
    labels = [p.label for p in irr]
    # components in irreps order, contiguous, blocks of m * dim
    pos = 0
    last = -1
    for c in dec.components:
        assert c.irrep is irr[labels.index(c.label)]  # exactly the canonical irrep matrices
        assert labels.index(c.label) > last
        last = labels.index(c.label)
        assert c.start == pos and c.stop == pos + c.multiplicity * c.irrep.dim
        pos = c.stop
    assert pos == d
    # rho(g) Q = Q D(g) on every element
    allm = rep.matrices()
    for g in range(G.order):
        D = dec.block_matrix(g)
        assert np.allclose(allm[g] @ Q, Q @ D, atol=1e-8 * max(1.0, np.abs(allm[g]).max()))
    assert dec.error < 1e-9


GROUPS = [
    groups.cyclic(5),
    groups.cyclic(6),
    groups.dihedral(4),
    groups.dihedral(6),
    groups.quaternion(),
    groups.dicyclic(3),
    groups.symmetric(3),
    groups.symmetric(4),
    groups.alternating(4),
    groups.octahedral(),
]


@pytest.mark.parametrize("G", GROUPS, ids=lambda g: g.name)
def test_regular_representation(G: FiniteGroup) -> None:
    R = Representation.regular(G)
    dec = R.decompose()
    check_decomposition(R, dec)
    assert dec.info["monomial"]
    for c in dec.components:
        assert c.multiplicity == c.irrep.dim // E_DIM[c.irrep.real_type]


@pytest.mark.parametrize("G", GROUPS, ids=lambda g: g.name)
def test_regular_under_random_orthogonal_basis(G: FiniteGroup) -> None:
    rng = np.random.default_rng(7)
    R = Representation.regular(G) * 2
    Rq = R.change_basis(random_orthogonal(R.dim, rng))
    dec = decompose_finite(Rq, rng=3)
    check_decomposition(Rq, dec)
    assert not dec.info["monomial"]
    assert dec.multiplicities == decompose_finite(R).multiplicities


@settings(max_examples=40)
@given(
    st.sampled_from(range(len(GROUPS))),
    st.lists(st.integers(0, 2), min_size=8, max_size=8),
    st.integers(0, 2**32 - 1),
)
def test_random_sums_of_irreps(gi: int, mults: list[int], seed: int) -> None:
    G = GROUPS[gi]
    irr = G.irreps()
    mults = mults[: len(irr)]
    if sum(mults) == 0:
        mults[0] = 1
    parts = [p for p, m in zip(irr, mults, strict=False) for _ in range(m)]
    rep = parts[0].direct_sum(*parts[1:]) if len(parts) > 1 else parts[0]
    rng = np.random.default_rng(seed)
    rq = rep.change_basis(random_orthogonal(rep.dim, rng))
    dec = decompose_finite(rq, rng=rng)
    check_decomposition(rq, dec)
    expected = {p.label: m for p, m in zip(irr, mults, strict=False) if m}
    assert dec.multiplicities == expected
    assert real_multiplicities(rq).tolist() == [*mults, *([0] * (len(irr) - len(mults)))]


def test_non_orthogonal_input_gives_invertible_Q() -> None:
    G = groups.symmetric(3)
    rng = np.random.default_rng(1)
    A = rng.standard_normal((6, 6)) + 3 * np.eye(6)
    rep = Representation.regular(G).change_basis(A)
    assert not rep.is_orthogonal()
    dec = decompose_finite(rep)
    assert dec.info["orthogonal"] is False
    check_decomposition(rep, dec, orthogonal=False)


def test_tensor_square_and_hom_dimension() -> None:
    G = groups.symmetric(4)
    V = Representation.defining(G)
    VV = V @ V
    dec = VV.decompose()
    check_decomposition(VV, dec)
    # dim Hom_G(VV, VV) = sum_psi m_psi^2 e_psi (docs/explanation/projector.md#isotypic-decomposition) equals the character formula
    s = sum(c.multiplicity**2 * E_DIM[c.irrep.real_type] for c in dec.components)
    assert s == hom_dimension(VV, VV)


def test_complex_and_quaternionic_alignment() -> None:
    """Copies of C/H-type irreps carry exactly the canonical matrices (not just equivalent ones)."""
    for G in (groups.cyclic(7), groups.quaternion(), groups.dicyclic(3)):
        irr = [p for p in G.irreps() if p.real_type != "R"]
        rep = irr[0] * 3
        rng = np.random.default_rng(5)
        rq = rep.change_basis(random_orthogonal(rep.dim, rng))
        dec = decompose_finite(rq, rng=rng)
        check_decomposition(rq, dec)
        assert len(dec.components) == 1 and dec.components[0].multiplicity == 3


def test_default_rng_is_reproducible() -> None:
    G = groups.dihedral(6)
    rep = (Representation.regular(G) * 2).change_basis(random_orthogonal(24, np.random.default_rng(0)))
    assert np.array_equal(decompose_finite(rep).Q, decompose_finite(rep).Q)


def test_bad_input() -> None:
    G = groups.cyclic(3)
    with pytest.raises(InvalidArgumentError, match="Representation"):
        decompose_finite("rho")  # type: ignore[arg-type]
    c = np.exp(2j * np.pi / 3)
    crep = Representation.from_generator_images(G, [np.array([[c]])])
    with pytest.raises(InvalidArgumentError, match="complex"):
        decompose_finite(crep)
    bad = Representation.from_generator_images(groups.symmetric(3), [np.eye(2), np.diag([1.0, 2.0])], validate=False)
    with pytest.raises(DecompositionError):
        decompose_finite(bad)


def test_identical_to_core_dispatch() -> None:
    G = groups.dihedral(4)
    R = Representation.regular(G)
    assert R.decompose().multiplicities == decompose_finite(R).multiplicities
    assert "trivial" in repr(R.decompose())


@pytest.mark.parametrize(
    "make",
    [
        lambda: Representation.defining(groups.octahedral()) @ Representation.defining(groups.octahedral()),
        lambda: Representation.trivial(groups.dihedral(4), dim=4),
        lambda: Representation.sign(groups.symmetric(4)) + Representation.regular(groups.symmetric(4)),
        lambda: Representation.defining(groups.symmetric(5)) ** 2,
        lambda: Representation.regular(groups.quaternion()) @ Representation.regular(groups.quaternion()),
    ],
    ids=["signed-perm", "trivial-orbits", "sign+regular", "S5-VV", "Q8-reg@reg"],
)
def test_monomial_orbit_path(make) -> None:  # type: ignore[no-untyped-def]
    rep = make()
    assert rep.monomial is not None
    dec = decompose_finite(rep)
    assert dec.info["monomial"]
    check_decomposition(rep, dec)
    assert sum(c.multiplicity**2 * E_DIM[c.irrep.real_type] for c in dec.components) == hom_dimension(rep, rep)
