"""Explicit irreps of finite groups: homomorphism, orthogonality, characters, commutant, Young's form."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reptheory import FiniteGroup, Representation, groups
from reptheory.characters import hom_dimension, inner_product
from reptheory.decomposition.irreps.finite import complex_irreps, finite_irreps, young_orthogonal_form
from reptheory.errors import InvalidArgumentError
from tests.reptheory._groups import relabel, sl23

E_DIM = {"R": 1, "C": 2, "H": 4}

GROUPS = [
    groups.cyclic(1),
    groups.cyclic(2),
    groups.cyclic(7),
    groups.cyclic(8),
    groups.dihedral(1),
    groups.dihedral(2),
    groups.dihedral(5),
    groups.dihedral(6),
    groups.klein_four(),
    groups.quaternion(),
    groups.dicyclic(3),
    groups.symmetric(1),
    groups.symmetric(2),
    groups.symmetric(3),
    groups.symmetric(4),
    groups.symmetric(5),
    groups.alternating(4),
    groups.alternating(5),
    groups.alternating(6),
    groups.octahedral(),
    groups.full_octahedral(),
    groups.tetrahedral(),
    groups.icosahedral(),
    groups.direct_product(groups.cyclic(3), groups.quaternion()),
    groups.semidirect_product(groups.cyclic(7), groups.cyclic(3), lambda h: [(pow(2, h, 7) * x) % 7 for x in range(7)]),
]


def brute_commutant_dim(psi: Representation) -> int:
    """dim End_G(psi) from the stacked Sylvester constraints on the generators (independent oracle)."""
    d = psi.dim
    rows = [np.kron(m, np.eye(d)) - np.kron(np.eye(d), m.T) for m in psi.images]
    s = np.linalg.svd(np.concatenate(rows), compute_uv=False)
    return int((s < 1e-9 * max(1.0, s.max())).sum())


def check_real_irreps(G: FiniteGroup) -> None:
    irr = finite_irreps(G)
    T = G.character_table()
    assert irr[0].label == "trivial" and irr[0].dim == 1
    assert len(irr) == len(T.real_rows())
    total = 0
    for k, psi in enumerate(irr):
        assert psi.group == G
        assert psi.components == ((psi, 1),)
        assert psi.meta["characters"] == T.real_rows()[k]
        # a homomorphism on every element (independent check through all products)
        Representation.from_generator_images(G, psi.images, validate=True)
        allm = psi.matrices()
        assert np.allclose(allm @ np.transpose(allm, (0, 2, 1)), np.eye(psi.dim), atol=1e-10)
        for j, s in enumerate(G.generators):
            for h in range(0, G.order, max(1, G.order // 7)):
                assert np.allclose(allm[int(G.mul(s, h))], psi.images[j] @ allm[h], atol=1e-10)
        chi = np.trace(allm, axis1=1, axis2=2)[G.class_representatives]
        assert np.allclose(chi, T.real_character(psi.meta["characters"]), atol=1e-9)
        # <chi, chi> = e_psi, and the commutant really has that dimension
        e = E_DIM[psi.real_type]
        assert inner_product(G, chi, chi) == pytest.approx(e)
        assert brute_commutant_dim(psi) == e
        total += psi.dim**2 // e
        if e > 1:
            E = psi.meta["commutant_basis"]
            assert E.shape == (e, psi.dim, psi.dim)
            assert np.allclose(E[0], np.eye(psi.dim))
            gram = np.einsum("aij,bij->ab", E, E)
            assert np.allclose(gram, psi.dim * np.eye(e), atol=1e-9)
            for J in E[1:]:
                assert np.allclose(J, -J.T, atol=1e-10)
                assert np.allclose(J @ J, -np.eye(psi.dim), atol=1e-9)
                assert np.allclose(allm @ J, J @ allm, atol=1e-9)
        else:
            assert "commutant_basis" not in psi.meta
    # sum over real irreps of d^2 / e equals |G| (the real regular representation)
    assert total == G.order
    # pairwise inequivalent
    for a in range(len(irr)):
        for b in range(a + 1, len(irr)):
            assert hom_dimension(irr[a], irr[b]) == 0


@pytest.mark.parametrize("G", GROUPS, ids=lambda g: g.name)
def test_real_irreps(G: FiniteGroup) -> None:
    check_real_irreps(G)


def test_sl23_real_irreps() -> None:
    G = sl23()
    check_real_irreps(G)
    types = sorted(p.real_type for p in G.irreps())
    assert types == ["C", "C", "H", "R", "R"]  # chi2+chi3, 2x(2-dim complex)->one C, 2-dim quaternionic


@settings(max_examples=10)
@given(st.sampled_from(["dicyclic(3)", "symmetric(4)", "dihedral(4)", "cyclic(6)", "quaternion"]),
       st.randoms(use_true_random=False))
def test_relabelled_groups_get_irreps(which: str, rnd) -> None:  # type: ignore[no-untyped-def]
    G = {
        "dicyclic(3)": groups.dicyclic(3),
        "symmetric(4)": groups.symmetric(4),
        "dihedral(4)": groups.dihedral(4),
        "cyclic(6)": groups.cyclic(6),
        "quaternion": groups.quaternion(),
    }[which]
    H = relabel(G, np.array(rnd.sample(range(G.order), G.order)))
    check_real_irreps(H)
    assert sorted((p.dim, p.real_type) for p in H.irreps()) == sorted((p.dim, p.real_type) for p in G.irreps())


@pytest.mark.parametrize("G", [groups.cyclic(5), groups.quaternion(), groups.dicyclic(3), groups.symmetric(4), sl23()], ids=str)
def test_complex_irreps(G: FiniteGroup) -> None:
    T = G.character_table()
    irr = complex_irreps(G)
    assert len(irr) == T.num_classes
    for i, rho in enumerate(irr):
        assert rho.dim == T.degrees[i]
        allm = rho.matrices()
        assert np.allclose(allm @ np.conj(np.transpose(allm, (0, 2, 1))), np.eye(rho.dim), atol=1e-10)
        chi = np.trace(allm, axis1=1, axis2=2)[G.class_representatives]
        assert np.allclose(chi, T.values[i], atol=1e-9)
        Representation.from_generator_images(G, rho.images, validate=True)


def hook_length_dim(lam: tuple[int, ...]) -> int:
    n = sum(lam)
    conj = [sum(1 for x in lam if x > j) for j in range(lam[0])]
    hooks = 1
    for i, row in enumerate(lam):
        for j in range(row):
            hooks *= (row - j - 1) + (conj[j] - i - 1) + 1
    return math.factorial(n) // hooks


@pytest.mark.parametrize("lam", [(1,), (2,), (1, 1), (2, 1), (3, 1), (2, 2), (2, 1, 1), (3, 2), (3, 2, 1), (4, 2, 1)])
def test_young_orthogonal_form_relations(lam: tuple[int, ...]) -> None:
    mats, tabs = young_orthogonal_form(lam)
    n = sum(lam)
    f = hook_length_dim(lam)
    assert len(tabs) == f
    for i in range(n - 1):
        s = mats[i]
        assert np.allclose(s @ s, np.eye(f))
        assert np.allclose(s, s.T)
        if i + 1 < n - 1:
            t = mats[i + 1]
            assert np.allclose(s @ t @ s, t @ s @ t)  # braid relation
        for j in range(i + 2, n - 1):
            assert np.allclose(s @ mats[j], mats[j] @ s)  # far commutation


def test_symmetric_irreps_are_labelled_by_partitions() -> None:
    G = groups.symmetric(5)
    irr = G.irreps()
    parts = [p.meta["partition"] for p in irr]
    assert sorted(parts) == sorted([(5,), (4, 1), (3, 2), (3, 1, 1), (2, 2, 1), (2, 1, 1, 1), (1, 1, 1, 1, 1)])
    for p in irr:
        assert p.dim == hook_length_dim(p.meta["partition"])
    # the sign character is the partition (1^n)
    sign = next(p for p in irr if p.meta["partition"] == (1,) * 5)
    assert np.allclose(sign.images.ravel(), Representation.sign(G).images.ravel())


def test_frobenius_reciprocity() -> None:
    G = groups.symmetric(4)
    H = G.subgroup([G.generators[1]])  # the 4-cycle: C4
    for psi in G.irreps():
        for phi in finite_irreps(H):
            lhs = hom_dimension(psi.restrict(H), phi)
            rhs = hom_dimension(psi, phi.induce(G))
            assert lhs == rhs


def test_irreps_of_subgroups_and_bad_input() -> None:
    G = groups.dihedral(6)
    H = G.subgroup([G.generators[0]])
    check_real_irreps(H)
    with pytest.raises(InvalidArgumentError, match="FiniteGroup"):
        finite_irreps("D6")  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match="FiniteGroup"):
        complex_irreps(3)  # type: ignore[arg-type]


def test_irreps_are_cached_values() -> None:
    G = groups.symmetric(4)
    assert G.irreps() is G.irreps()
    assert G.irreps()[2] == finite_irreps(groups.symmetric(4))[2]


def test_alternating_irreps_from_young() -> None:
    """Self-conjugate partitions: A_4 (2,2) gives a complex pair, A_6 (3,2,1) splits into two real irreps."""
    a4 = groups.alternating(4).irreps()
    assert [(p.dim, p.real_type) for p in a4] == [(1, "R"), (2, "C"), (3, "R")]
    a6 = groups.alternating(6).irreps()
    split = [p for p in a6 if p.meta.get("partition") == (3, 2, 1)]
    assert sorted(p.meta["associate"] for p in split) == [-1.0, 1.0]
    assert [p.dim for p in split] == [8, 8]
    for p in a6:
        lam = p.meta["partition"]
        assert p.dim in (hook_length_dim(lam), hook_length_dim(lam) // 2)


@pytest.mark.slow
def test_alternating_7_and_8() -> None:
    check_real_irreps(groups.alternating(7))
    irr = groups.alternating(8).irreps()  # order 20160: beyond the regular-representation route
    degrees = sorted(groups.alternating(8).character_table().degrees.tolist())
    assert degrees == [1, 7, 14, 20, 21, 21, 21, 28, 35, 45, 45, 56, 64, 70]
    assert sum(p.dim**2 // E_DIM[p.real_type] for p in irr) == 20160


@pytest.mark.slow
def test_symmetric_7_irreps() -> None:
    G = groups.symmetric(7)
    irr = G.irreps()
    assert sum(p.dim**2 for p in irr) == G.order
    for p in irr:
        assert p.dim == hook_length_dim(p.meta["partition"])
