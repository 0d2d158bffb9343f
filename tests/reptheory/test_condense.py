"""Hecke condensation of signed permutation sources (issue 17: exact irreps from sources of degree ~10⁴).

Oracles: the commutant of each source solved densely (``P(s) X = X P(s)`` for the generators), the
matrix of a commutant element on the ``λ``-fixed vectors read off that dense ``X``, the traces of its
eigenspaces from a dense eigendecomposition, ``⟨χ, χ⟩`` from the character, and M22's pair of degree
45 (ATLAS values) built exactly from the signed action on 4-subsets (degree 6160).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import scipy.linalg

from reptheory import FiniteGroup, groups
from reptheory.decomposition.irreps import _condense, exact
from reptheory.decomposition.irreps._condense import condense, inner_norm, spin
from reptheory.groups import permutation_group
from reptheory.groups._cayley import _Enumeration
from reptheory.reps.permutation_group import validate_permutation_group
from tests.reptheory.test_exact_irreps import A5_GENS
from tests.reptheory.test_permutation_groups import M22, PSL27


def dense(perm: np.ndarray, sign: np.ndarray) -> np.ndarray:
    """``P(s) e_x = c[x] e_{p[x]}`` as a matrix."""
    M = np.zeros((perm.size, perm.size))
    M[perm, np.arange(perm.size)] = sign
    return M


def commutant(gens: np.ndarray, signs: np.ndarray) -> np.ndarray:
    """A basis (``m × N × N``) of ``{X : P(s) X = X P(s)}``, by a dense nullspace."""
    n = gens.shape[1]
    eye = np.eye(n)
    rows = [np.kron(dense(p, c), eye) - np.kron(eye, dense(p, c).T) for p, c in zip(gens, signs, strict=True)]
    ker = scipy.linalg.null_space(np.vstack(rows))  # row-major vec: vec(P X) = (P ⊗ I) vec X, vec(X P) = (I ⊗ Pᵀ) vec X
    return ker.T.reshape(-1, n, n)


def sources() -> list[tuple[str, Any, Any]]:
    out = []
    cases = [("A5", permutation_group(A5_GENS, name="A5")), ("PSL27", permutation_group(PSL27, name="PSL27")),
             ("dic3", groups.dicyclic(3)), ("A5enum", FiniteGroup.from_permutations(A5_GENS, name="A5"))]
    for name, G in cases:
        T = G.character_table()
        for k in range(len(T.real_rows())):
            for src in exact._sources(G, T, k, 64):
                if src.rep.dim <= 40:
                    out.append((f"{name}-{k}-{src.rep.name}", G, src))
                    break
    return out


SOURCES = sources()


@pytest.mark.parametrize("case", SOURCES, ids=[c[0] for c in SOURCES])
def test_condensed_commutant_matches_the_dense_one(case: tuple[str, Any, Any]) -> None:
    _, G, src = case
    T = G.character_table()
    chi = ((src.classes == np.arange(src.classes.shape[1])) * src.class_signs).sum(axis=1)
    norm = inner_norm(chi, np.asarray(T.class_sizes), G.order)
    cond = condense(src.gens, src.gen_signs, norm, np.random.default_rng(0))
    assert cond is not None
    C = commutant(src.gens, src.gen_signs)
    assert cond.rank == norm == C.shape[0]  # dim E = dim End_G(P) = <χ, χ>
    E = cond.expand(np.eye(cond.rank, dtype=np.int64)).astype(np.float64)
    # E is the space of first columns X e_0 of the commutant
    first = C[:, :, 0].T
    assert np.linalg.matrix_rank(np.hstack([E, first]), tol=1e-8) == cond.rank == np.linalg.matrix_rank(E)
    assert np.array_equal(cond.size, np.count_nonzero(E, axis=0)) and cond.size[0] == 1
    rng = np.random.default_rng(1)
    for _ in range(3):
        x = rng.integers(-3, 4, cond.rank)
        coeffs = np.linalg.lstsq(first, E @ x, rcond=None)[0]
        X = np.tensordot(coeffs, C, axes=1)  # the commutant element with X e_0 = Σ x_O f_O
        assert np.allclose(X[:, 0], E @ x)
        L = np.linalg.lstsq(E, X @ E, rcond=None)[0]  # X f_Q = Σ_P L[P, Q] f_P
        assert np.allclose(E @ L, X @ E, atol=1e-8)
        D = np.diag(cond.size.astype(float))
        assert np.allclose(cond.hecke(x), D @ L + L.T @ D, atol=1e-8)
        # the eigenspaces of S = X + Xᵀ: their characters from the condensed form
        S = X + X.T
        w, V = np.linalg.eigh(S)
        mu, Y = exact._spectrum(cond.hecke(x), cond)
        traces = cond.trace_rows(src.classes, src.class_signs)
        for p in exact._clusters(mu):
            lam = float(mu[p].mean())
            U = V[:, np.abs(w - lam) < 1e-6 * max(1.0, abs(lam))]
            want = [np.trace(U.T @ dense(q, c) @ U) for q, c in zip(src.classes, src.class_signs, strict=True)]
            assert np.allclose(traces @ (Y[:, p] @ Y[0, p]), want, atol=1e-6)


@pytest.mark.parametrize("case", SOURCES, ids=[c[0] for c in SOURCES])
def test_the_count_of_consistent_orbits_certifies_them(case: tuple[str, Any, Any]) -> None:
    """The consistent orbits of any few Schreier generators number at least ⟨χ, χ⟩, and exactly ⟨χ, χ⟩ only when
    their signed sums span the dense fixed space: the certificate that `condense` relies on."""
    _, G, src = case
    T = G.character_table()
    chi = ((src.classes == np.arange(src.classes.shape[1])) * src.class_signs).sum(axis=1)
    norm = inner_norm(chi, np.asarray(T.class_sizes), G.order)
    first = commutant(src.gens, src.gen_signs)[:, :, 0].T  # E = the first columns of the commutant
    gens, signs = np.asarray(src.gens, np.int64), np.asarray(src.gen_signs, np.int64)
    tree = _Enumeration(gens.T, 0)
    rng = np.random.default_rng(5)
    hs: list[Any] = []
    for _ in range(6):
        hs.append(_condense._schreier(gens, signs, np.asarray(tree.parent), np.asarray(tree.letter),
                                      int(rng.integers(gens.shape[1])), int(rng.integers(gens.shape[0]))))
        got = _condense._suborbits(hs, gens.shape[1])
        assert got is not None
        label, sigma, reps = got
        assert reps.size >= norm
        F = np.zeros((gens.shape[1], reps.size))
        F[np.flatnonzero(label >= 0), label[label >= 0]] = sigma[label >= 0]
        for p, c in hs:  # every signed sum is fixed up to λ(h) = c[0] by the generators used
            assert np.allclose(dense(p, c) @ F, c[0] * F)
        spans_E = np.linalg.matrix_rank(np.hstack([F, first]), tol=1e-8) == norm == np.linalg.matrix_rank(F)
        assert (reps.size == norm) == spans_E


def test_refusals() -> None:
    gens = np.array([[1, 0, 2, 3], [0, 1, 3, 2]])  # two orbits: not transitive
    assert condense(gens, np.ones_like(gens), 2, np.random.default_rng(0)) is None
    cyc = np.array([[1, 2, 3, 0]])
    assert condense(cyc, np.ones_like(cyc), 1 << 30, np.random.default_rng(0)) is None  # r·N over the limit
    cond = condense(cyc, np.ones_like(cyc), 4, np.random.default_rng(0))
    assert cond is not None and cond.rank == 4
    # the span of e_0 under C4 is everything; asking for a smaller dimension is refused
    start = np.zeros((4, 1), dtype=np.int64)
    start[0, 0] = 1
    assert spin(cond, start, None, 3) is None
    B, _ = spin(cond, start, None, 4)
    assert np.linalg.matrix_rank(B.astype(float)) == 4


@pytest.fixture(scope="module")
def m22_45() -> Any:
    G = permutation_group(M22, name="M22")
    T = G.character_table()
    k = next(i for i, r in enumerate(T.real_rows()) if T.degrees[r[0]] == 45)
    return G, exact.exact_irrep(G, k)


def test_m22_pair_of_degree_45_is_exact(m22_45: Any) -> None:
    """The last irreps of M22 out of reach (type C over Q(√−7), rational real character): they first occur in the
    signed action on 4-subsets (degree 6160), condensed onto its λ-fixed vectors; checked against the ATLAS."""
    G, p = m22_45
    validate_permutation_group(p)  # the Schreier relations in floating point (exactly: the slow test below)
    assert (p.dim, p.real_type, p.meta["field"]) == (90, "C", "QQ")
    assert p.meta["split_from"].startswith("signed 4-subsets")
    import sympy

    traces = [sympy.Matrix(m).trace() for m in p.exact_images]
    assert all(t.is_Rational for t in traces)
    # 45 + 45bar at the classes of M22 (ATLAS): 1A 90, 2A −6, 3A 0, 4A 2, 4B 2, 5A 0, 6A 0, 7A −1, 7B −1, 8A −2,
    # 11A 2, 11B 2; the class of each generator read off the table
    from reptheory.reps.permutation_group import class_character

    chi = np.real(class_character(p))
    atlas = {1: 90, 2: -6, 3: 0, 5: 0, 6: 0, 7: -1, 8: -2, 11: 2}
    orders = np.asarray(G.conjugacy_classes().orders)
    for c, o in enumerate(orders.tolist()):
        assert chi[c] == pytest.approx(atlas.get(o, 2), abs=1e-6)
    cls = G.conjugacy_classes().index(np.asarray(G.generators))
    assert [int(t) for t in traces] == [round(float(chi[c])) for c in cls.tolist()]


@pytest.mark.slow
def test_m22_pair_of_degree_45_satisfies_the_relations_exactly(m22_45: Any) -> None:
    validate_permutation_group(m22_45[1], exact=True)  # about a minute: 90 × 90 rational products
