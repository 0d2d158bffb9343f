"""Orbit method: known dimensions (Bell/Stirling numbers, regular reps), signs, laziness, oracles."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reptheory import Representation, groups
from reptheory.hom.averaging import group_average
from reptheory.hom.orbits import monomial_orbit_projector, orbit_matrix, orbit_projector
from reptheory.hom.space import intertwiners
from reptheory.testing import strategies as rst


@pytest.fixture(autouse=True)
def _private_disk_cache(tmp_path, monkeypatch):
    """Keep the disk cache of these tests out of the user's cache directory."""
    monkeypatch.setenv("REPTHEORY_CACHE_DIR", str(tmp_path / "reptheory-cache"))


def stirling2(n: int, k: int) -> int:
    """Stirling numbers of the second kind by the recurrence (an independent oracle)."""
    table = [[0] * (k + 1) for _ in range(n + 1)]
    table[0][0] = 1
    for i in range(1, n + 1):
        for j in range(1, k + 1):
            table[i][j] = j * table[i - 1][j] + table[i - 1][j - 1]
    return table[n][k]


def partitions_at_most(points: int, blocks: int) -> int:
    return sum(stirling2(points, j) for j in range(0, blocks + 1))


def character_dim(rho_in, rho_out) -> int:
    """(1/|G|) Σ_g χ_in(g) χ_out(g), from traces of all element matrices."""
    a = np.trace(rho_in.matrices(), axis1=1, axis2=2)
    b = np.trace(rho_out.matrices(), axis1=1, axis2=2)
    val = np.sum(a * b) / rho_in.group.order
    assert abs(val - round(val.real)) < 1e-9
    return round(float(val.real))


@pytest.mark.parametrize("n", [2, 3, 4, 5, 6, 7])
def test_symmetric_tensor_square_is_partition_count(n):
    V = Representation.defining(groups.symmetric(n))
    assert intertwiners(V @ V, V @ V, cache=False).dim == partitions_at_most(4, n)
    assert intertwiners(V @ V, V, cache=False).dim == partitions_at_most(3, n)


def test_s10_stays_lazy_and_gives_bell_4():
    G = groups.symmetric(10)
    V = Representation.defining(G)
    H = intertwiners(V @ V, V @ V, exact=True, cache=False)
    assert H.dim == 15 and H.method == "orbit"
    assert not G.is_enumerated
    assert len(H.basis_exact) == 15


@pytest.mark.parametrize("G, expected", [(groups.symmetric(5), 52), (groups.alternating(5), 63)])
def test_invariants_of_fifth_tensor_power(G, expected):
    from reptheory.hom.space import invariants

    V = Representation.defining(G)
    assert invariants(V**5, cache=False).dim == expected


def test_mixed_source_hom_s_n():
    V = Representation.defining(groups.symmetric(4))
    assert intertwiners(V + V @ V, V, cache=False).dim == 2 + 5


@pytest.mark.parametrize("n, a, b", [(4, 1, 1), (4, 4, 4), (8, 4, 4), (5, 2, 3), (16, 4, 4)])
def test_regular_dihedral_dimensions(n, a, b):
    G = groups.dihedral(n)
    R = Representation.regular(G)
    H = intertwiners(a * R, b * R, cache=False)
    assert H.dim == a * b * 2 * n


def test_signed_orbits_forced_to_zero():
    G = groups.symmetric(3)
    P = monomial_orbit_projector([Representation.trivial(G)], [Representation.sign(G)])
    assert P.dim == 0 and np.all(P.labels == -1) and np.all(P.signs == 0)
    V = Representation.defining(groups.octahedral())
    assert monomial_orbit_projector([V], [V @ V]).dim == character_dim(V @ V, V)


def test_labels_are_canonical():
    R = Representation.regular(groups.cyclic(5))
    P = monomial_orbit_projector([R], [R])
    first = [int(np.flatnonzero(P.labels == k)[0]) for k in range(P.dim)]
    assert first == sorted(first)
    assert np.all(P.signs[first] == 1)


def test_orbit_matrix_is_orthonormal_and_spans_range(rng):
    V = Representation.defining(groups.full_octahedral())
    P = monomial_orbit_projector([V @ V], [V])
    S = orbit_matrix(P).toarray()
    np.testing.assert_allclose(S.T @ S, np.eye(P.dim), atol=1e-12)
    W = rng.standard_normal(P.shape)
    np.testing.assert_allclose((S @ S.T @ W.reshape(-1)).reshape(P.shape), P.apply(W), atol=1e-12)


def test_no_generators_gives_identity_orbits():
    P = orbit_projector((2, 3), [], [])
    assert P.dim == 6


@st.composite
def monomial_pairs(draw):
    G = draw(rst.finite_groups(max_order=12))
    R = Representation.regular(G)
    choices = [R, Representation.trivial(G)]
    if G.generator_perms is not None or G.generator_matrices is not None:
        try:
            choices.append(Representation.sign(G))
        except Exception:
            pass
    reps = [draw(st.sampled_from(choices)) for _ in range(draw(st.integers(1, 2)))]
    rin = reps[0] if len(reps) == 1 else reps[0] + reps[1]
    rout = draw(st.sampled_from(choices))
    return rin, rout


@settings(max_examples=40)
@given(monomial_pairs(), st.integers(0, 2**31))
def test_orbit_method_matches_characters_and_group_average(pair, seed):
    rin, rout = pair
    H = intertwiners(rin, rout, cache=False)
    assert H.method == "orbit"
    assert H.dim == character_dim(rin, rout)
    W = np.random.default_rng(seed).standard_normal((rout.dim, rin.dim))
    np.testing.assert_allclose(H.project(W), group_average(rin, rout, W), atol=1e-10)


@st.composite
def signed_actions(draw):
    d_out = draw(st.integers(1, 6))
    d_in = draw(st.integers(1, 6))
    k = draw(st.integers(0, 3))
    seed = draw(st.integers(0, 2**31))
    rng = np.random.default_rng(seed)
    signed = draw(st.booleans())

    def act(d):
        c = rng.choice([-1.0, 1.0], size=d) if signed else np.ones(d)
        return rng.permutation(d), c

    return (d_out, d_in), [act(d_out) for _ in range(k)], [act(d_in) for _ in range(k)]


@settings(max_examples=100)
@given(signed_actions())
def test_row_bfs_equals_entry_graph(case):
    from reptheory.hom.orbits import _orbit_projector_graph

    shape, ao, ai = case
    P = orbit_projector(shape, ao, ai)
    Q = _orbit_projector_graph(shape, ao, ai)
    assert P.n_orbits == Q.n_orbits
    np.testing.assert_array_equal(P.labels, Q.labels)
    np.testing.assert_array_equal(P.signs, Q.signs)



def _assert_same_orbits(P, Q):
    assert P.shape == Q.shape and P.n_orbits == Q.n_orbits
    np.testing.assert_array_equal(P.labels, Q.labels)
    np.testing.assert_array_equal(P.signs, Q.signs)
    assert P.zero_entries == int(np.sum(Q.labels < 0))


def _check_against_graph(G, rin, rout):
    from reptheory.hom.orbits import _orbit_projector_graph, monomial_actions

    ao, ai = monomial_actions(rout), monomial_actions(rin)
    ref = _orbit_projector_graph((rout.dim, rin.dim), ao, ai)
    _assert_same_orbits(orbit_projector((rout.dim, rin.dim), ao, ai, group=G), ref)
    _assert_same_orbits(orbit_projector((rout.dim, rin.dim), ao, ai), ref)
    return ref


@st.composite
def field_pairs(draw):
    """Fields made of copies of regular, trivial, sign and defining representations (relabelled groups too)."""
    G = draw(rst.finite_groups(max_order=24))
    pieces = [Representation.regular(G), Representation.trivial(G)]
    for maker in (Representation.sign, Representation.defining):
        try:
            pieces.append(maker(G))
        except Exception:
            pass

    def field():
        rho = draw(st.integers(1, 3)) * draw(st.sampled_from(pieces))
        if draw(st.booleans()):
            rho = rho + draw(st.sampled_from(pieces))
        return rho

    return G, field(), field()


@settings(max_examples=60, deadline=None)
@given(field_pairs())
def test_fast_paths_equal_the_entry_graph(case):
    """Cayley-table labels, block replication and the free-orbit shortcut give the reference orbits exactly."""
    G, rin, rout = case
    _check_against_graph(G, rin, rout)


@pytest.mark.parametrize("a, b", [(1, 1), (3, 2), (1, 4)])
def test_regular_copies_of_a_relabelled_group(a, b):
    """Identity not at index 0: the Cayley-table labels x0 h1^-1 h2 are still the canonical ones."""
    from reptheory import FiniteGroup

    rng = np.random.default_rng(5)
    D = groups.dihedral(6)
    perm = rng.permutation(D.order)
    inv = np.argsort(perm)
    T = np.asarray(D.table)
    G = FiniteGroup.from_cayley_table(perm[T[np.ix_(inv, inv)]])
    assert G.identity != 0
    R = Representation.regular(G)
    ref = _check_against_graph(G, a * R, b * R)
    assert ref.n_orbits == a * b * G.order


def test_regular_field_brute_force_projection(rng):
    """The per-orbit mean equals the explicit group average (all |G| elements) on 3·regular of D5."""
    R = 3 * Representation.regular(groups.dihedral(5))
    H = intertwiners(R, 2 * Representation.regular(groups.dihedral(5)), cache=False)
    W = rng.standard_normal(H.shape)
    np.testing.assert_allclose(H.project(W), group_average(R, 2 * Representation.regular(groups.dihedral(5)), W),
                               atol=1e-12)
    assert "basis" not in H.__dict__          # the dense basis is not built unless asked for
    assert H.basis.shape == (60, 20, 30)


def test_signed_copies_with_inconsistent_orbits():
    """Copies of a sign field against trivial copies: whole blocks forced to zero, replicated correctly."""
    G = groups.symmetric(4)
    _check_against_graph(G, 3 * Representation.sign(G), 2 * Representation.trivial(G) + Representation.sign(G))
    V = Representation.defining(G)
    _check_against_graph(G, 2 * (V @ V), 3 * V)


def test_regular_field_space_stays_structured_until_asked():
    """The orbit space of k·regular keeps labels only: no dense basis, no exact basis until requested."""
    from reptheory.hom.projectors import OrbitProjector

    G = groups.dihedral(3)
    R = 2 * Representation.regular(G)
    H = intertwiners(R, R, cache=False)
    P = H.structured_projector()
    assert isinstance(P, OrbitProjector) and P.dim == 4 * G.order
    assert "basis" not in H.__dict__ and callable(H._exact._S)
    assert H.exact and H._exact.k == P.dim            # the dimension is known without building S
    B = H.basis_exact                                  # built on request, exactly the orbit indicators
    assert len(B) == P.dim and not callable(H._exact._S)
    assert all(set(np.unique(np.asarray(b, dtype=float))) <= {0.0, 1.0} for b in B[:5])
