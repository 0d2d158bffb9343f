"""Sources induced from centralisers and normalisers: ``Ind_H^G λ`` for the sign characters ``λ`` (issue 17).

Oracles: homomorphisms to ±1 by brute force over the multiplication table, the induced character
by the Frobenius formula ``(1/|C|) Σ_{g ∈ G} λ°(g⁻¹ y g)`` over an enumerated group, the character of
the monomial representation from straight-line programs (independent of the orbit search), and the
relations of the group.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest

from reptheory import FiniteGroup, Representation, groups
from reptheory.decomposition.irreps._induced import conjugation_actions, sign_characters
from reptheory.decomposition.irreps.exact import exact_irrep, galois_conjugates
from reptheory.decomposition.irreps.permutation_group import orbit_sources
from reptheory.errors import ExactnessError, InvalidArgumentError
from reptheory.groups import permutation_group
from reptheory.reps.permutation_group import class_character, validate_permutation_group
from tests.reptheory.test_exact_irreps import check_exact, check_homomorphism

ENUMERATED = [groups.dihedral(4), groups.quaternion(), groups.symmetric(4), groups.alternating(4), groups.cyclic(6),
              groups.direct_product(groups.cyclic(2), groups.cyclic(2), groups.cyclic(2)), groups.dicyclic(3)]


def enumeration(G: FiniteGroup) -> Any:
    from reptheory.groups._cayley import _Enumeration

    gens = np.asarray(G.generators)
    return _Enumeration(np.asarray(G.mul(np.arange(G.order)[:, None], gens[None, :])), G.identity)


@pytest.mark.parametrize("G", ENUMERATED, ids=lambda G: G.name)
def test_sign_characters_are_every_homomorphism_to_plus_minus_one(G: FiniteGroup) -> None:
    e = enumeration(G)
    signs = sign_characters(e.right, e.parent, e.letter, e.bfs_order)
    table = np.asarray(G.mul(np.arange(G.order)[:, None], np.arange(G.order)[None, :]))
    brute = set()
    for values in itertools.product((1, -1), repeat=len(G.generators)):  # a hom is fixed by the generators
        lam = np.zeros(G.order, dtype=np.int64)
        lam[e.bfs_order[0]] = 1
        for y in e.bfs_order[1:]:
            lam[y] = lam[e.parent[y]] * values[e.letter[y]]
        if np.array_equal(lam[table], lam[:, None] * lam[None, :]):
            brute.add(tuple(lam.tolist()))
    assert signs[0].tolist() == [1] * G.order
    assert {tuple(r) for r in signs.tolist()} == brute and len(signs) == len(brute)


def induced_character(G: FiniteGroup, x: int, lam: np.ndarray, members: np.ndarray) -> np.ndarray:
    """Frobenius: ``Ind λ (y) = (1/|C|) Σ_g λ°(g⁻¹ y g)`` at the class representatives."""
    value = np.zeros(G.order)
    value[members] = lam
    everything = np.arange(G.order)
    out = []
    for y in G.class_representatives:
        conj = G.mul(G.mul(G.inverse(everything), int(y)), everything)
        out.append(value[conj].sum() / members.size)
    return np.asarray(out)


def stabilisers(G: FiniteGroup, x: int) -> list[np.ndarray]:
    """``C_G(x)`` and ``N_G(⟨x⟩)`` by brute force over the elements."""
    everything = np.arange(G.order)
    conj = G.mul(G.mul(everything, x), G.inverse(everything))
    cyclic = {G.identity}
    y = x
    while y != G.identity:
        cyclic.add(int(y))
        y = int(G.mul(y, x))
    return [everything[conj == x], everything[np.isin(conj, sorted(cyclic))]]


def sign_homomorphisms(G: FiniteGroup, members: np.ndarray) -> list[np.ndarray]:
    """Every ``λ : H → ±1`` by brute force (all sign vectors when ``|H| ≤ 12``, else the trivial one)."""
    sub = {int(m): i for i, m in enumerate(members)}
    right = np.array([[sub[int(G.mul(int(a), int(b)))] for b in members] for a in members])
    out = []
    for values in itertools.product((1, -1), repeat=members.size) if members.size <= 12 else [(1,) * members.size]:
        lam = np.asarray(values)
        if lam[sub[G.identity]] == 1 and np.array_equal(lam[right], lam[:, None] * lam[None, :]):
            out.append(lam)
    return out


@pytest.mark.parametrize("G", [groups.symmetric(4), groups.dihedral(6), groups.dicyclic(3),
                               groups.projective_special_linear(7).to_finite_group()], ids=lambda G: G.name)
def test_induced_characters_match_the_frobenius_formula(G: FiniteGroup) -> None:
    T = G.character_table()
    acts = list(conjugation_actions(G, T, 1000))
    assert acts and any(a.name.startswith("conjugates of <") for a in acts)  # normalisers of cyclic subgroups too
    brute = set()
    small = True
    for c, x in enumerate(G.class_representatives):
        if G.class_sizes[c] == 1:
            continue
        for members in stabilisers(G, int(x)):
            small &= members.size <= 12
            for lam in sign_homomorphisms(G, members):
                brute.add(induced_character(G, int(x), lam, members).round(9).tobytes())
    for act in acts:
        assert act.character.round(9).tobytes() in brute, act.name
        rho = Representation._from_monomial(G, act.perm, act.coeff.astype(float), name=act.name, validate=True)
        assert np.allclose([np.real(rho.character(int(g))) for g in G.class_representatives], act.character)
        fixed = act.class_perm == np.arange(act.perm.shape[1])
        assert np.array_equal(np.where(fixed, act.class_coeff, 0).sum(axis=1), act.character)
    if small:  # every sign character of every stabiliser is reached, up to equal characters
        assert {a.character.round(9).tobytes() for a in acts} == brute


def test_permutation_group_actions_are_representations_with_their_character() -> None:
    G = groups.projective_special_linear(13)
    T = G.character_table()
    acts = list(conjugation_actions(G, T, 2048))
    sizes = {int(s) for s in T.class_sizes} - {1}
    assert {a.perm.shape[1] for a in acts if not a.name.startswith("conjugates of <")} == sizes == {84, 91, 156, 182}
    # normalisers: C13 ⋊ C6 (14 conjugates), D14 (78); N(<3a>) = N(<6a>) = D12 is the centraliser of 2a: its
    # actions have the characters of the class action of 2a and are not repeated
    assert {a.perm.shape[1] for a in acts if a.name.startswith("conjugates of <")} == {14, 78}
    for act in acts:
        rho = Representation._from_monomial(G, act.perm, act.coeff.astype(float), name=act.name, validate=False)
        validate_permutation_group(rho)
        assert np.allclose(np.real(class_character(rho)), act.character)
        assert act.character[0] == act.perm.shape[1]


@pytest.mark.parametrize("q,k,field", [(23, 4, "QQ"), (17, 8, "QQ"),
                                        pytest.param(23, 2, "QQ(sqrt(3))", marks=pytest.mark.slow),
                                        pytest.param(19, 2, "QQ(sqrt(5))", marks=pytest.mark.slow)])
def test_discrete_and_principal_series_of_psl2_from_a_signed_centraliser_source(q: int, k: int, field: str) -> None:
    """Irreps no (signed) subset action holds once: ``Ind_D^G λ``, ``D`` the dihedral centraliser of an involution."""
    G = permutation_group(groups.projective_special_linear(q).generators.tolist(), name=f"PSL(2,{q})")
    T = G.character_table()
    rho, mult = next(orbit_sources(G, T, {k}, 2048, exactly_once=True))
    assert rho.name.startswith("conjugates of 2a") and mult[k] == 1  # the subset actions come first: none fits
    p = exact_irrep(G, k)
    assert p.meta["field"] == field and p.meta["split_from"] == rho.name
    assert p.dim == T.degrees[T.real_rows()[k][0]] and len(galois_conjugates(T, k)) == (1 if field == "QQ" else 2)
    check_exact(p)
    validate_permutation_group(p, exact=True)


def test_enumerated_group_uses_the_same_sources() -> None:
    G = groups.projective_special_linear(17).to_finite_group()
    p = exact_irrep(G, 8)  # degree 18, rational: in no coset or subset action exactly once
    assert p.meta["split_from"].startswith("conjugates of 2a")
    check_exact(p)
    check_homomorphism(p, np.random.default_rng(17))


def sl2(p: int) -> FiniteGroup:
    """SL(2, p) acting on the p² vectors of F_p²."""
    vecs = list(itertools.product(range(p), repeat=2))
    idx = {v: i for i, v in enumerate(vecs)}
    mats = [np.array([[1, 1], [0, 1]]), np.array([[0, p - 1], [1, 0]])]
    return FiniteGroup.from_permutations([[idx[tuple(m @ np.array(v) % p)] for v in vecs] for m in mats], name=f"SL(2,{p})")


def test_normaliser_sources_reach_irreps_of_central_extensions() -> None:
    """SL(2,5)'s rational irrep of degree 4 (trivial on the centre) is in no coset, subset or centraliser
    source once; it is once in the 15 conjugates of a cyclic subgroup of order 4 (normaliser Q8)."""
    G = sl2(5)
    T = G.character_table()
    k = next(k for k, rows in enumerate(T.real_rows()) if T.degrees[rows[0]] == 4 and T.real_types[rows[0]] == "R")
    p = exact_irrep(G, k)
    assert p.meta["split_from"].startswith("conjugates of <") and p.meta["field"] == "QQ"
    check_exact(p)
    check_homomorphism(p, np.random.default_rng(5))


def test_no_one_copy_source_within_the_degree_is_refused() -> None:
    G = permutation_group(groups.projective_special_linear(23).generators.tolist(), name="PSL(2,23)")
    with pytest.raises(ExactnessError, match=r"chi3 of PSL\(2,23\) has no exact images: it occurs with multiplicity 1 "
                                             r"in no permutation representation of degree <= max_degree=200, .*"
                                             r"sign characters of the stabilisers"):
        exact_irrep(G, 2, max_degree=200)


@pytest.mark.parametrize("bad", [2, (0,), ("1",), [1, 2]])
def test_orbit_sources_rejects_malformed_copies(bad: Any) -> None:
    G = groups.projective_special_linear(7)
    with pytest.raises(InvalidArgumentError, match="copies must be a tuple of positive integers"):
        next(orbit_sources(G, G.character_table(), {1}, 64, copies=bad))
