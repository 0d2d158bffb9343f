"""Real irreps of never-enumerated permutation groups, and decompositions in those matrices (issue 17)."""

from __future__ import annotations

import numpy as np
import pytest

import reptheory
from reptheory import Representation
from reptheory.errors import TooLargeError
from reptheory.groups import permutation_group
from reptheory.reps.permutation_group import validate_permutation_group

A8_GENS = [[1, 2, 0, 3, 4, 5, 6, 7], [0, 2, 3, 4, 5, 6, 7, 1]]
M11_GENS = [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0], [0, 1, 6, 9, 5, 3, 10, 2, 8, 4, 7]]
F21_GENS = [[(x + 1) % 7 for x in range(7)], [(2 * x) % 7 for x in range(7)]]
Q8_GENS = [[1, 2, 3, 0, 5, 6, 7, 4], [4, 7, 6, 5, 2, 1, 0, 3]]  # the regular action of Q8: i, j
E = {"R": 1, "C": 2, "H": 4}


def psl2(q: int) -> list[list[int]]:
    t = [q if x == q else (x + 1) % q for x in range(q + 1)]
    s = [0 if x == q else q if x == 0 else (-pow(x, q - 2, q)) % q for x in range(q + 1)]
    return [t, s]


def check_irreps(G) -> tuple:  # type: ignore[no-untyped-def]
    T = G.character_table()
    irr = G.irreps()
    assert G.irreps() is irr or all(a is b for a, b in zip(G.irreps(), irr, strict=True))  # stored on G
    # one real irrep per real character; counting the complex characters of types C: one per class
    assert [p.meta["characters"] for p in irr] == list(T.real_rows())
    assert sum(len(p.meta["characters"]) for p in irr) == T.num_classes
    # sum of the squares of the complex degrees: dim = e_type/... (C: 2 chi(1), H: 2 chi(1))
    cdeg = [p.dim // (1 if p.real_type == "R" else 2) for p in irr]
    assert sum(len(p.meta["characters"]) * c * c for c, p in zip(cdeg, irr, strict=True)) == G.order
    for p in irr:
        assert p.real_type == T.real_types[p.meta["characters"][0]]
        assert np.allclose(np.real(p.character()), T.real_character(p.meta["characters"]), atol=1e-8)
        for m in p.images:
            assert np.allclose(m.T @ m, np.eye(p.dim), atol=1e-10)
        validate_permutation_group(p)  # the Schreier relations of the chain: a homomorphism
        if p.real_type != "R":
            cb = p.meta["commutant_basis"]
            assert cb.shape == (E[p.real_type], p.dim, p.dim) and np.allclose(cb[0], np.eye(p.dim))
            for u in range(1, cb.shape[0]):
                assert np.allclose(cb[u] @ cb[u], -np.eye(p.dim), atol=1e-8)
                assert all(np.allclose(m @ cb[u], cb[u] @ m, atol=1e-8) for m in p.images)
    return T, irr


@pytest.mark.parametrize("gens,name", [(A8_GENS, "A8"), (psl2(7), "PSL(2,7)"), (M11_GENS, "M11")])
def test_irreps_of_permutation_groups_match_the_table(gens, name) -> None:  # type: ignore[no-untyped-def]
    G = permutation_group(gens, name=name)
    _, irr = check_irreps(G)
    if name == "A8":  # published degrees of A8 (ATLAS): 1 7 14 20 21 21 21 28 35 45 45 56 64 70
        cdeg = sorted(d for p in irr for d in [p.dim // len(p.meta["characters"])] * len(p.meta["characters"]))
        assert cdeg == [1, 7, 14, 20, 21, 21, 21, 28, 35, 45, 45, 56, 64, 70]
    if name == "M11":  # 1 10 10 10 11 16 16 44 45 55; the pairs 10/10bar and 16/16bar are of type C
        assert sorted((p.dim, p.real_type) for p in irr if p.real_type == "C") == [(20, "C"), (32, "C")]


def test_complex_and_quaternionic_types() -> None:
    F = permutation_group(F21_GENS, name="F21")
    _, irr = check_irreps(F)
    assert [(p.label, p.dim, p.real_type) for p in irr] == [("trivial", 1, "R"), ("chi1+chi2", 2, "C"),
                                                           ("chi3+chi4", 6, "C")]
    Q8 = permutation_group(Q8_GENS, name="Q8")
    assert Q8.order == 8
    _, irr = check_irreps(Q8)
    H = irr[-1]
    assert (H.dim, H.real_type) == (4, "H")
    E1, E2, E3 = H.meta["commutant_basis"][1:]
    assert np.allclose(E1 @ E2, E3) and np.allclose(E2 @ E1, -E3)  # quaternion relations


def test_decompositions_use_the_stored_irreps_and_isotypic_hom_works() -> None:
    A8 = permutation_group(A8_GENS, name="A8")
    V = Representation.defining(A8)
    W = V @ V
    d1, d2 = V.decompose(), W.decompose()  # before G.irreps(): the first copies found become the stored ones
    stored = {p.meta["characters"]: p for p in A8.irreps()}
    for dec in (d1, d2):
        for c in dec.components:
            assert c.irrep is stored[c.irrep.meta["characters"]]  # the same label carries the same matrices
        g = A8.random_element(np.random.default_rng(1))
        assert np.allclose(dec.rep.matrix(g) @ dec.Q, dec.Q @ dec.block_matrix(g), atol=1e-10)
        assert np.allclose(dec.Q.T @ dec.Q, np.eye(dec.rep.dim), atol=1e-10)
    H = reptheory.intertwiners(V, W, method="isotypic")
    assert H.method == "isotypic"
    assert H.dim == reptheory.intertwiners(V, W, method="constraints").dim == 5  # 1*2 + 1*3 (trivial, chi1)
    rng = np.random.default_rng(2)
    X = np.tensordot(rng.standard_normal(H.dim), H.basis, axes=1)
    for g in A8.random_elements(rng, 3):
        assert np.allclose(W.matrix(g) @ X, X @ V.matrix(g), atol=1e-10)
    # a dense representation (random orthogonal change of basis) meets the monomial one irrep by irrep
    Q = np.linalg.qr(rng.standard_normal((16, 16)))[0]
    U = (V + V).change_basis(Q)
    assert reptheory.intertwiners(V, U, method="isotypic").dim == reptheory.intertwiners(V, U).dim == 4


@pytest.mark.parametrize("gens,name", [(F21_GENS, "F21"), (Q8_GENS, "Q8")])
def test_isotypic_hom_for_complex_and_quaternionic_components(gens, name) -> None:  # type: ignore[no-untyped-def]
    G = permutation_group(gens, name=name)
    V = Representation.defining(G)
    for W in (V + V, V @ V):
        H = reptheory.intertwiners(V, W, method="isotypic")
        assert H.dim == reptheory.intertwiners(V, W, method="constraints").dim
        X = np.tensordot(np.random.default_rng(0).standard_normal(H.dim), H.basis, axes=1)
        for g in G.random_elements(np.random.default_rng(3), 3):
            assert np.allclose(W.matrix(g) @ X, X @ V.matrix(g), atol=1e-10)
        e = {c.irrep.key: c.multiplicity for c in V.decompose().components}
        expect = sum(e.get(c.irrep.key, 0) * c.multiplicity * E[c.irrep.real_type] for c in W.decompose().components)
        assert H.dim == expect  # Schur: sum of m_in m_out dim End(psi) over shared stored irreps


def test_unreachable_characters_are_named() -> None:
    S10 = permutation_group([[1, 2, 3, 4, 5, 6, 7, 8, 9, 0], [1, 0, 2, 3, 4, 5, 6, 7, 8, 9]], name="S10")
    with pytest.raises(TooLargeError, match=r"chi\d+ \(degree \d+\).*max_degree=50"):
        S10.irreps(max_degree=50)
    # the irreps found on the way are kept and reused by decompositions
    V = Representation.defining(S10)
    dec = V.decompose()
    assert all(c.irrep is S10.__dict__["_irreps"][c.irrep.meta["characters"]] for c in dec.components)


@pytest.mark.slow
def test_psl2_31_irreps_and_isotypic_hom() -> None:
    G = permutation_group(psl2(31), name="PSL(2,31)")
    check_irreps(G)
    V = Representation.defining(G)
    assert reptheory.intertwiners(V, V @ V, method="isotypic").dim == reptheory.intertwiners(V, V @ V).dim


@pytest.mark.parametrize("gens,cap", [(M11_GENS, 500), (psl2(7), 100)])
def test_subset_actions_have_the_characters_used_to_plan_the_search(gens, cap) -> None:  # type: ignore[no-untyped-def]
    from reptheory.decomposition.irreps.permutation_group import _as_rep, _subset_actions, _subset_character
    from reptheory.reps.permutation_group import class_character

    G = permutation_group(gens)
    C = G.conjugacy_classes()
    seen = 0
    for name, k, signed, perm, coeff in _subset_actions(G, cap):
        assert all(np.array_equal(np.sort(p), np.arange(perm.shape[1])) for p in perm)
        rho = _as_rep(G, perm, coeff, name)
        validate_permutation_group(rho)  # a homomorphism: signed k-subsets are the exterior power
        chi = np.real(class_character(rho))
        assert np.allclose(chi, _subset_character(G, k, signed))
        if not signed:
            assert np.allclose(chi, G.subset_character(k))
        if signed and k == 2:  # Lambda^2 V: (chi_V(g)^2 - chi_V(g^2)) / 2
            f = G.subset_character(1).astype(float)
            assert np.allclose(chi, (f**2 - f[C.power_map(2)]) / 2)
        seen += 1
    assert seen >= 3
