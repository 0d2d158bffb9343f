"""The projector onto the span of all diagrams, with no basis chosen (issue 16: SO(3) End(V^6) in diagram form)."""

from __future__ import annotations

import functools
import tracemalloc

import numpy as np
import pytest
import scipy.linalg

from reptheory import intertwiners
from reptheory.characters.lie import hom_dimension
from reptheory.errors import ConvergenceError, DimensionMismatchError, InvalidArgumentError, TooLargeError
from reptheory.groups.classical import Sp
from reptheory.groups.lie_catalog import SO, O
from reptheory.hom import diagrams
from reptheory.hom.diagram_span import (
    DiagramSpanProjector,
    brauer_eigenvalues,
    diagram_span_projector,
    invariant_dimension,
    span_counts,
)
from reptheory.hom.diagrams import _matching_array, diagram_span, symplectic_diagram_span
from reptheory.hom.projectors import DiagramProjector, projector_from_arrays


# ------------------------------------------------------------------ the dimension by Schur–Weyl duality
@pytest.mark.parametrize("kind", ["O", "SO"])
@pytest.mark.parametrize("n", [2, 3, 4, 5])
def test_invariant_dimension_equals_the_rank_of_the_diagrams(kind, n):
    """Oracle: the exactly extracted basis of the diagrams (integer Gram elimination), every k + l ≤ 8."""
    for k in range(5):
        for l in range(5):
            if k + l <= 8:
                assert invariant_dimension(n, k + l, kind) == diagram_span(n, k, l, kind).dim, (kind, n, k, l)


@pytest.mark.parametrize("m", [1, 2, 3])
def test_invariant_dimension_symplectic(m):
    for k in range(5):
        for l in range(5):
            if k + l <= 8:
                assert invariant_dimension(2 * m, k + l, "Sp") == symplectic_diagram_span(m, k, l).dim, (m, k, l)


@pytest.mark.parametrize(("G", "k", "l"), [(SO(3), 6, 6), (SO(3), 5, 6), (SO(4), 3, 5), (O(3), 4, 4)])
def test_invariant_dimension_against_weyl_integration(G, k, l):
    V = G.defining_representation(exact=False)
    assert invariant_dimension(V.dim, k + l, G.kind) == hom_dimension(V**k, V**l)


def test_invariant_dimension_refuses_bad_input():
    with pytest.raises(InvalidArgumentError, match="kind"):
        invariant_dimension(3, 4, "GL")
    with pytest.raises(InvalidArgumentError, match="even-dimensional"):
        invariant_dimension(3, 4, "Sp")
    with pytest.raises(InvalidArgumentError, match="n must"):
        invariant_dimension(0, 4, "O")
    with pytest.raises(TooLargeError):
        invariant_dimension(3, 41, "O")


# ------------------------------------------------------------------ the spectrum that bounds the CG steps
def _loops(m1, m2, p):
    parent = list(range(p))

    def find(x):
        while parent[x] != x:
            x = parent[x]
        return x

    for a, b in (*m1, *m2):
        parent[find(a)] = find(b)
    return len({find(x) for x in range(p)})


@pytest.mark.parametrize("p", [0, 2, 4, 6, 8, 10])
def test_matching_array_lists_every_perfect_matching_once(p):
    """(p − 1)!! distinct matchings, each a partition of range(p) into pairs (a, b) with a < b."""
    M = _matching_array(p)
    count = int(np.prod(np.arange(p - 1, 0, -2))) if p else 1
    assert M.shape == (count, p // 2, 2) and not M.flags.writeable
    assert np.all(M[:, :, 0] < M[:, :, 1])
    assert np.array_equal(np.sort(M.reshape(count, -1), axis=1), np.tile(np.arange(p), (count, 1)))
    canon = {tuple(sorted(map(tuple, m))) for m in M.tolist()}
    assert len(canon) == count


@pytest.mark.parametrize(("n", "p"), [(2, 4), (3, 4), (2, 6), (3, 6), (4, 6), (2, 8), (3, 8), (5, 8)])
def test_brauer_eigenvalues_are_the_spectrum_of_the_gram_matrix(n, p):
    """Oracle: the eigenvalues of ``G_ij = n^{loops(m_i ∪ m_j)}``, the Gram matrix of all matchings."""
    M = _matching_array(p).tolist()
    G = np.array([[float(n) ** _loops(a, b, p) for b in M] for a in M])
    ev = np.linalg.eigvalsh(G)
    distinct = sorted({round(x) for x in ev if abs(x) > 1e-6 * ev.max()})
    assert np.allclose(ev[np.abs(ev) > 1e-6 * ev.max()], np.round(ev[np.abs(ev) > 1e-6 * ev.max()]), atol=1e-6)
    assert tuple(distinct) == brauer_eigenvalues(n, p)


# ------------------------------------------------------------------ the projector against the exact basis
SMALL = [("O", 3, 3, 3), ("SO", 3, 3, 4), ("SO", 4, 3, 3), ("O", 2, 4, 4), ("SO", 3, 2, 5), ("SO", 2, 3, 3),
         ("O", 3, 0, 4), ("SO", 3, 3, 0)]


@pytest.mark.parametrize(("kind", "n", "k", "l"), SMALL)
def test_span_projector_equals_the_exact_diagram_projector(kind, n, k, l, rng):
    S = diagram_span(n, k, l, kind)
    ref = DiagramProjector(S.shape, S.D, S.gram)
    P = diagram_span_projector(n, k, l, kind)
    assert P.dim == S.dim and P.n_diagrams == S.n_diagrams
    W = rng.standard_normal((3, *S.shape))
    assert np.allclose(P.apply(W), ref.apply(W), atol=1e-12 * np.abs(W).max())
    Wc = W + 1j * rng.standard_normal(W.shape)
    assert np.allclose(P.apply(Wc), ref.apply(Wc), atol=1e-12 * np.abs(Wc).max())


@pytest.mark.parametrize(("m", "k", "l"), [(1, 3, 3), (2, 2, 4), (2, 3, 3), (3, 2, 2)])
def test_span_projector_symplectic(m, k, l, rng):
    S = symplectic_diagram_span(m, k, l)
    ref = DiagramProjector(S.shape, S.D, S.gram)
    P = diagram_span_projector(2 * m, k, l, "Sp")
    W = rng.standard_normal((2, *S.shape)) + 1j * rng.standard_normal((2, *S.shape))
    assert P.dim == S.dim
    assert np.allclose(P.apply(W), ref.apply(W), atol=1e-12 * np.abs(W).max())


def test_span_projector_is_symmetric_idempotent_and_of_rank_dim(rng):
    P = diagram_span_projector(3, 3, 3, "O")
    X, Y = rng.standard_normal((2, 27, 27))
    PX, PY = P.apply(X), P.apply(Y)
    assert abs(np.vdot(PX, Y) - np.vdot(X, PY)) < 1e-11 * np.linalg.norm(X) * np.linalg.norm(Y)
    assert np.allclose(P.apply(PX), PX, atol=1e-12 * np.abs(X).max())
    B = P.basis()
    assert B.shape == (P.dim, 27, 27)
    assert np.allclose(np.einsum("aij,bij->ab", B, B), np.eye(P.dim), atol=1e-10)
    assert np.allclose(P.apply(B), B, atol=1e-10)


def test_zero_and_orthogonal_inputs_project_to_zero(rng):
    P = diagram_span_projector(3, 2, 2, "O")
    assert np.array_equal(P.apply(np.zeros((9, 9))), np.zeros((9, 9)))
    W = rng.standard_normal((9, 9))
    R = W - P.apply(W)  # orthogonal to every diagram
    assert np.linalg.norm(P.apply(R)) < 1e-12 * np.linalg.norm(W)


def test_float32_and_integer_inputs_keep_a_float_dtype(rng):
    P = diagram_span_projector(3, 2, 2, "O")
    W = rng.standard_normal((9, 9))
    assert P.apply(W.astype(np.float32)).dtype == np.float32
    assert P.apply(np.ones((9, 9), dtype=np.int64)).dtype == np.float64
    with pytest.raises(DimensionMismatchError):
        P.apply(np.ones((9, 8)))


def test_cgls_that_cannot_converge_raises(monkeypatch, rng):
    P = diagram_span_projector(3, 3, 3, "O")
    monkeypatch.setattr(DiagramSpanProjector, "max_iter", 1)
    with pytest.raises(ConvergenceError, match="did not converge"):
        P.apply(rng.standard_normal((27, 27)))


def test_bad_constructor_arguments_are_refused():
    import scipy.sparse as sp

    D = sp.csc_matrix(np.ones((4, 2)))
    with pytest.raises(DimensionMismatchError):
        DiagramSpanProjector((3, 3), D, 1)
    with pytest.raises(InvalidArgumentError, match="dim"):
        DiagramSpanProjector((2, 2), D, 3)
    with pytest.raises(InvalidArgumentError, match="sparse"):
        DiagramSpanProjector((2, 2), np.ones((4, 2)), 1)


def test_too_many_non_zeros_is_refused_before_building():
    tracemalloc.start()
    with pytest.raises(TooLargeError) as err:
        diagram_span_projector(5, 6, 6, "O")  # 10,395 diagrams × 5^6 = 162 M non-zeros
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert err.value.estimate == span_counts(5, 6, 6, "O")[1] > err.value.limit and peak < 2**20


def test_round_trip_through_arrays(rng):
    P = diagram_span_projector(3, 3, 4, "SO")
    arrays = P.to_arrays()
    assert arrays["data"].dtype == np.int8
    Q = projector_from_arrays("diagram_span", arrays)
    W = rng.standard_normal((27 * 3, 27)).reshape(81, 27)
    assert Q.dim == P.dim and np.allclose(Q.apply(W), P.apply(W), atol=1e-13)
    bad = dict(arrays, indptr=arrays["indptr"][:-3])
    with pytest.raises(InvalidArgumentError, match="malformed"):
        projector_from_arrays("diagram_span", bad)


# ------------------------------------------------------------------ the route: SO(3) on End(V^6)
@functools.lru_cache(maxsize=1)
def _so3_v6():
    V = SO(3).defining_representation(exact=False)
    return V, intertwiners(V**6, V**6, method="diagram", cache=False)


def test_so3_end_v6_is_offered_in_diagram_form_without_a_basis():
    _, space = _so3_v6()
    assert space.method == "diagram" and space.dim == 4213 and space.info["form"] == "span"
    assert space.info["diagrams"] == 10395
    P = space.structured_projector()
    assert isinstance(P, DiagramSpanProjector) and P.dim == 4213
    with pytest.raises(TooLargeError):
        space.basis  # noqa: B018 - 4213 dense 729 x 729 matrices are refused, the projector is not


def test_so3_end_v6_projection_is_equivariant_and_orthogonal_to_the_rest(rng):
    """Oracles: random rotations fix P(W); W − P(W) is orthogonal to every diagram; P(W) agrees with the isotypic route."""
    V, space = _so3_v6()
    W = rng.standard_normal((729, 729))
    PW = space.project(W)
    for _ in range(2):
        R = scipy.linalg.expm(np.einsum("a,aij->ij", rng.standard_normal(3), V.algebra))
        R6 = functools.reduce(np.kron, [R] * 6)
        assert np.allclose(R6 @ PW @ R6.T, PW, atol=1e-10 * np.abs(PW).max())
    D = space.structured_projector().D
    assert np.abs(D.T @ (W - PW).reshape(-1)).max() < 1e-9 * np.linalg.norm(W)
    iso = intertwiners(V**6, V**6, method="isotypic", cache=False)
    assert np.allclose(iso.project(W), PW, atol=1e-11 * np.abs(W).max())


def test_cgls_steps_stay_near_the_number_of_eigenvalues(rng):
    _, space = _so3_v6()
    steps = space.structured_projector().steps(rng.standard_normal((729, 729)))
    assert len(brauer_eigenvalues(3, 12)) == 7 and steps <= 14


def test_auto_keeps_the_faster_isotypic_route_and_exact_refuses():
    V = SO(3).defining_representation(exact=False)
    assert intertwiners(V**6, V**6, cache=False).method == "isotypic"
    with pytest.raises(InvalidArgumentError, match="exact basis"):
        intertwiners(V**6, V**6, method="diagram", exact=True, cache=False)


def test_the_route_above_the_exact_limit_on_small_cases(monkeypatch, rng):
    """With the exact limit lowered, the span route answers where the exact basis route did, and agrees with it."""
    for G, k, l in [(SO(3), 3, 3), (O(3), 2, 4), (SO(3), 2, 3), (Sp(1), 2, 2)]:
        V = G.defining_representation(exact=False)
        exact = intertwiners(V**k, V**l, method="diagram", cache=False)
        monkeypatch.setattr(diagrams, "MAX_DIAGRAMS", 2)
        diagrams.clear_diagram_caches()  # cached spans were built under the real limit
        span = intertwiners(V**k, V**l, method="diagram", cache=False)
        monkeypatch.undo()
        diagrams.clear_diagram_caches()
        assert span.info.get("form") == "span" and exact.info.get("form") is None
        assert span.dim == exact.dim
        W = rng.standard_normal((2, *exact.shape))
        assert np.allclose(span.project(W), exact.project(W), atol=1e-12 * np.abs(W).max())


def test_span_spaces_save_load_and_skip_the_disk_cache(monkeypatch, tmp_path, rng):
    from reptheory.hom import _cache
    from reptheory.io import load_space

    V = SO(3).defining_representation(exact=False)
    monkeypatch.setattr(diagrams, "MAX_DIAGRAMS", 2)
    diagrams.clear_diagram_caches()
    space = intertwiners(V**3, V**3, method="diagram", cache=False)
    diagrams.clear_diagram_caches()
    assert space.info["form"] == "span"
    path = tmp_path / "span.npz"
    space.save(path)
    back = load_space(path, rho_in=V**3, rho_out=V**3)
    W = rng.standard_normal((27, 27))
    assert back.dim == space.dim and np.allclose(back.project(W), space.project(W), atol=1e-13)
    monkeypatch.setenv("REPTHEORY_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("REPTHEORY_DISK_CACHE", "1")
    space.info["seconds"] = 10.0
    assert _cache.maybe_store("k", space) is False


# ------------------------------------------------------------------ the torch port
def test_torch_port_matches_and_differentiates(rng):
    torch = pytest.importorskip("torch")
    from penalties.projectors import DiagramSpanProjection, as_projection

    P = diagram_span_projector(3, 3, 3, "O")
    T = as_projection(P)
    assert isinstance(T, DiagramSpanProjection) and T.dim == P.dim
    W = torch.tensor(rng.standard_normal((2, 27, 27)), requires_grad=True)
    out = T(W)
    assert np.allclose(out.detach().numpy(), P.apply(W.detach().numpy()), atol=1e-12)
    G = torch.tensor(rng.standard_normal((2, 27, 27)))
    (out * G).sum().backward()
    assert np.allclose(W.grad.numpy(), P.apply(G.numpy()), atol=1e-12)  # P symmetric: grad = P(G)
    T32 = T.to(torch.float32)
    out32 = T32(W.detach().float())
    assert out32.dtype == torch.float32 and np.allclose(out32.numpy(), out.detach().numpy(), atol=1e-4)
    T2 = as_projection(P)
    T2.load_state_dict(as_projection(P).state_dict())
    assert torch.allclose(T2(W.detach()), out.detach())
    assert T(torch.zeros(0, 27, 27, dtype=torch.float64)).shape == (0, 27, 27)
    Wc = torch.tensor(rng.standard_normal((27, 27)) + 1j * rng.standard_normal((27, 27)))
    assert np.allclose(T(Wc).numpy(), P.apply(Wc.numpy()), atol=1e-12)
