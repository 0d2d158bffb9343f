"""Diagram route on direct sums of tensor powers with multiplicities (issue 16, diagram bases for fields)."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

from reptheory import Representation, intertwiners
from reptheory.characters.lie import hom_dimension
from reptheory.errors import InvalidArgumentError, TooLargeError
from reptheory.groups.classical import SU, Sp, U
from reptheory.groups.lie_catalog import SO, O
from reptheory.hom.diagram_sums import DiagramSumProjector, tensor_layout
from reptheory.hom.projectors import dense_matrix, projector_from_arrays


def _group(fam, n):
    return {"O": O, "SO": SO, "Sp": Sp, "U": U, "SU": SU}[fam](n)


def _pieces(G):
    V = G.defining_representation(exact=False)
    one = Representation.trivial(G)
    pieces = {"1": one, "V": V, "VV": V @ V}
    if G.kind in ("U", "SU"):
        pieces.update({"D": V.dual(), "VD": V @ V.dual()})
    else:
        pieces.update({"S2": V.symmetric_power(2), "L2": V.exterior_power(2)})
        if V.dim <= 3:
            pieces["VVV"] = V @ V @ V
            pieces["S3"] = V.symmetric_power(3)
    return pieces


def _random_layout(G, rng, max_terms=4):
    """A random direct sum of tensor powers: random order, multiplicities ``k·ρ`` and nesting."""
    pieces = _pieces(G)
    names = sorted(pieces)
    terms = []
    for _ in range(int(rng.integers(1, max_terms + 1))):
        name = names[int(rng.integers(len(names)))]
        m = int(rng.integers(1, 3))
        terms.append(m * pieces[name] if m > 1 else pieces[name])
    if len(terms) >= 2 and rng.random() < 0.5:  # nest: (a + b) + c
        inner = terms[0] + terms[1]
        terms = [2 * inner if rng.random() < 0.5 else inner, *terms[2:]]
    out = terms[0]
    for t in terms[1:]:
        out = out + t
    return out


def _oracle_dim(G, A, B):
    """Weyl integration (character formula); for O(2m) the constraint solver (no Weyl formula there)."""
    if G.kind == "O" and G.params[0] % 2 == 0:
        return intertwiners(A, B, method="constraints", cache=False).dim
    return hom_dimension(A, B)


GROUPS = [("O", 2), ("O", 3), ("SO", 3), ("O", 4), ("SO", 4), ("SO", 2), ("Sp", 1), ("Sp", 2), ("U", 2), ("SU", 3),
          ("SU", 2)]


@pytest.mark.parametrize(("fam", "n"), GROUPS)
@pytest.mark.parametrize("seed", [0, 1])
def test_random_layouts_projector_is_the_haar_projector(fam, n, seed):
    G = _group(fam, n)
    rng = np.random.default_rng(100 * seed + n)
    A, B = _random_layout(G, rng), _random_layout(G, rng)
    space = intertwiners(A, B, cache=False)
    assert space.method == "diagram", space.reason
    assert space.dim == _oracle_dim(G, A, B)
    P = space.structured_projector()
    M = dense_matrix(P)
    assert np.abs(M - M.T).max(initial=0.0) < 1e-12  # symmetric
    assert np.abs(M @ M - M).max(initial=0.0) < 1e-12  # idempotent
    assert round(float(np.trace(M))) == space.dim
    # the range lies in Hom_G: commutes with sampled group elements (and the Lie algebra) to 1e-12; with the
    # two checks above and rank = dim Hom_G this is the Haar average (the orthogonal projector onto Hom_G)
    W = space.project(np.random.default_rng(seed).standard_normal((3, *space.shape)) + (
        1j * np.random.default_rng(seed + 7).standard_normal((3, *space.shape)) if A.is_complex else 0))
    for g in G.sample(3, rng=seed):
        assert np.abs(B.matrix(g) @ W - W @ A.matrix(g)).max() < 1e-12
    assert float(np.max(space.residual(W))) < 1e-12
    # the brute-force nullspace of the constraints gives the same orthogonal projector
    ref = intertwiners(A, B, method="constraints", cache=False)
    assert ref.dim == space.dim
    assert np.abs(dense_matrix(ref.structured_projector()) - M).max(initial=0.0) < 1e-12


def test_sampled_haar_average_agrees():
    """A Monte-Carlo Haar average converges to the projector (statistical tolerance)."""
    G = O(3)
    V, one = G.defining_representation(exact=False), Representation.trivial(G)
    A, B = one + 2 * V, V @ V + one
    space = intertwiners(A, B, cache=False)
    W = np.random.default_rng(3).standard_normal(space.shape)
    gs = G.sample(4000, rng=11)
    avg = np.mean([B.matrix(g) @ W @ A.matrix(g).T for g in gs], axis=0)
    assert np.abs(avg - space.project(W)).max() < 0.1


def test_exact_integer_basis_satisfies_the_integer_constraints():
    G = SO(3)
    V, one = G.defining_representation(exact=False), Representation.trivial(G)
    A, B = V + 2 * (V @ V) + one, one + V + (V @ V)
    space = intertwiners(A, B, cache=False)
    assert space.exact and space.method == "diagram"
    D = space._exact.S.toarray().T.reshape(space.dim, *space.shape)
    assert set(np.unique(D)).issubset({-1, 0, 1})
    for a, b in zip(B.algebra, A.algebra, strict=True):
        assert np.array_equal(a @ D - D @ b, np.zeros_like(D, dtype=float))
    assert np.linalg.matrix_rank(D.reshape(space.dim, -1)) == space.dim
    Bs = space.basis
    flat = Bs.reshape(space.dim, -1)
    assert np.allclose(flat @ flat.T, np.eye(space.dim), atol=1e-12)
    assert np.allclose(space.project(Bs), Bs, atol=1e-12)


def test_emlp_field_layout_o5_is_structured_and_matches_isotypic():
    G = O(5)
    V, one = G.defining_representation(exact=False), Representation.trivial(G)
    W = 24 * one + 24 * V + 8 * (V @ V)
    space = intertwiners(W + one, W, cache=False)
    assert space.method == "diagram" and space.dim == 24 * 25 + 8 * 25 + 24 * 8 + 24 * 24 + 3 * 64
    assert "24·1" in space.reason and "8·V^2" in space.reason
    P = space.structured_projector()
    assert isinstance(P, DiagramSumProjector)
    assert all(b.orthonormal is not None for b in P.blocks)  # only the small block projectors are held
    X = np.random.default_rng(0).standard_normal((2, *space.shape))
    PX = space.project(X)
    assert np.abs(space.project(PX) - PX).max() < 1e-12
    assert float(np.max(space.residual(PX))) < 1e-12
    # a dense basis (1760 x 344 x 345) is refused before anything is allocated
    tracemalloc.start()
    with pytest.raises(TooLargeError) as err:
        _ = space.basis
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert err.value.estimate > err.value.limit and peak < 2**22
    # O(3): the same layout through the isotypic route (catalogue irreps) gives the same projector
    V3, one3 = O(3).defining_representation(exact=False), Representation.trivial(O(3))
    W3 = 24 * one3 + 24 * V3 + 8 * (V3 @ V3)
    s3 = intertwiners(W3 + one3, W3, cache=False)
    ref = intertwiners(W3 + one3, W3, method="isotypic", cache=False)
    assert s3.method == "diagram" and ref.dim == s3.dim == space.dim
    X3 = np.random.default_rng(1).standard_normal((2, *s3.shape))
    assert np.abs(ref.project(X3) - s3.project(X3)).max() < 1e-10


def test_layout_detection_interleaved_and_refusals():
    G = O(3)
    V, one = G.defining_representation(exact=False), Representation.trivial(G)
    lay = tensor_layout(one + V @ V + one + V, "tensor")
    assert [k for _, k in lay] == [0, 2, 0, 1]
    assert [idx.tolist() for idx, _ in lay][2:] == [[10], [11, 12, 13]]
    Q = np.linalg.qr(np.random.default_rng(0).standard_normal((6, 6)))[0]
    mixed = (V + V).change_basis(Q)  # not block diagonal in tensor powers
    assert tensor_layout(mixed, "tensor") is None
    assert intertwiners(mixed, mixed, cache=False).method != "diagram"
    with pytest.raises(InvalidArgumentError, match="method='diagram'"):
        intertwiners(mixed, mixed, method="diagram", cache=False)
    with pytest.raises(InvalidArgumentError, match="family"):
        tensor_layout(V, "nope")


def test_round_trip_and_save_load(tmp_path):
    G = SU(3)
    V, one = G.defining_representation(exact=False), Representation.trivial(G)
    A, B = V @ V.dual() + 2 * one, one + V.dual() @ V
    space = intertwiners(A, B, cache=False)
    P = space.structured_projector()
    Q = projector_from_arrays("diagram_sum", P.to_arrays())
    W = np.random.default_rng(1).standard_normal((2, *space.shape)) + 0j
    assert np.abs(Q.apply(W) - P.apply(W)).max() < 1e-14
    from reptheory.io import load_space

    path = tmp_path / "sum.npz"
    space.save(path)
    back = load_space(path, rho_in=A, rho_out=B)
    assert back.dim == space.dim and np.abs(back.project(W) - space.project(W)).max() < 1e-14


def test_torch_projection_matches_without_dense_basis():
    torch = pytest.importorskip("torch")
    from penalties.projectors import DiagramSumProjection, as_projection

    G = O(5)
    V, one = G.defining_representation(exact=False), Representation.trivial(G)
    A = 3 * one + 2 * V + (V @ V)
    space = intertwiners(A, A, cache=False)
    T = as_projection(space)
    assert isinstance(T, DiagramSumProjection) and T.dim == space.dim
    held = sum(b.numel() for b in T.buffers())
    assert held < space.dim * space.shape[0] * space.shape[1] / 10  # far below a dense basis
    X = np.random.default_rng(2).standard_normal((4, *space.shape))
    assert np.abs(T(torch.as_tensor(X)).numpy() - space.project(X)).max() < 1e-12
    from penalties.projectors import projection_for

    assert isinstance(projection_for(A, A), DiagramSumProjection)  # the layer path of the regulariser
    # one large power held sparsely: O(5) End(V^4)
    S4 = intertwiners(V**4, V**4, cache=False)
    T4 = as_projection(S4)
    X4 = np.random.default_rng(3).standard_normal(S4.shape)
    assert np.abs(T4(torch.as_tensor(X4)).numpy() - S4.project(X4)).max() < 1e-12


@pytest.mark.parametrize(("fam", "n", "power", "k", "want"), [
    ("SO", 6, "symmetric", 3, 2), ("O", 4, "symmetric", 3, 2), ("SO", 4, "exterior", 2, 2), ("O", 4, "exterior", 2, 1),
    ("SO", 3, "symmetric", 4, 3), ("SO", 5, "exterior", 2, 1), ("Sp", 2, "symmetric", 2, 1),
])
def test_symmetric_and_exterior_powers_exact(fam, n, power, k, want):
    G = _group(fam, n)
    V = G.defining_representation(exact=False)
    A = V.symmetric_power(k) if power == "symmetric" else V.exterior_power(k)
    space = intertwiners(A, A, exact=True, cache=False)
    assert space.method == "diagram" and space.dim == want
    if not (fam == "O" and n % 2 == 0):
        assert hom_dimension(A, A) == want
    mats = space.basis_exact  # entries N / sqrt(c): exact (sympy)
    F = np.array([np.array(m.evalf(30).tolist(), dtype=complex) for m in mats])
    assert np.abs(F.imag).max() == 0
    F = F.real
    for a, b in zip(A.algebra, A.algebra, strict=True):
        assert np.abs(a @ F - F @ b).max() < 1e-13
    assert np.linalg.matrix_rank(F.reshape(len(mats), -1)) == want
    Bs = space.basis
    for g in G.sample(2, rng=4):
        assert np.abs(A.matrix(g) @ Bs - Bs @ A.matrix(g)).max() < 1e-12


def test_mixed_power_layouts_against_the_constraints():
    G = SO(3)
    V, one = G.defining_representation(exact=False), Representation.trivial(G)
    A = V.exterior_power(2) + 2 * V.symmetric_power(2) + one
    B = V @ V + V.symmetric_power(3) + V
    space = intertwiners(A, B, cache=False)
    assert space.method == "diagram" and "Sym^2(V)" in space.reason and "Ext^2(V)" in space.reason
    ref = intertwiners(A, B, method="constraints", cache=False)
    assert space.dim == ref.dim == hom_dimension(A, B)
    M = dense_matrix(space.structured_projector())
    assert np.abs(M - dense_matrix(ref.structured_projector())).max() < 1e-12


def test_power_basis_exact_space_saves_and_loads(tmp_path):
    from reptheory.io import load_space

    V = SO(4).defining_representation(exact=False)
    A = V.exterior_power(2) + V  # Λ²V = self-dual ⊕ anti-self-dual for SO(4): End has dim 2, plus V
    space = intertwiners(A, A, exact=True, cache=False)
    assert space.method == "diagram" and space.dim == hom_dimension(A, A) == 3
    path = tmp_path / "ext.npz"
    space.save(path)
    back = load_space(path, rho_in=A, rho_out=A)
    assert back.dim == 3 and len(back.basis_exact) == 3
    W = np.random.default_rng(0).standard_normal(space.shape)
    assert np.abs(back.project(W) - space.project(W)).max() < 1e-14
