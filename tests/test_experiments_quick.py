"""Every experiment pipeline end to end in --quick mode, plus cheap correctness checks of its parts.

The pipeline test checks structure and finiteness, not the numbers.  The other tests use
independent oracles: brute-force group averages, exact symmetries of the data generators,
known dimensions of O(n) commutants, and the agreement of the spatial and spectral C4
projectors.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import torch

from experiments import data
from experiments.groups import (
    GatherMeanProjector,
    c4,
    d4,
    d8,
    haar_on,
    on_hom_basis,
    tensor_rep,
)
from experiments.models import (
    HarmonicSO2Net,
    Method,
    PWeight,
    RegularCNN,
    RegularMLP,
    TensorFieldMLP,
    model_defect,
)
from experiments.run_all import TASKS, compose
from experiments.train import rel_equivariance_error


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    from experiments import run_all

    torch.set_num_threads(1)
    out = tmp_path_factory.mktemp("quick")
    res = run_all.main(["--quick", "--out", str(out), "--img", str(out / "img")])
    return out, res


def _finite_numbers(obj, path="") -> list[str]:
    bad = []
    if isinstance(obj, dict):
        for k, v in obj.items():
            bad += _finite_numbers(v, f"{path}.{k}")
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            bad += _finite_numbers(v, f"{path}[{i}]")
    elif isinstance(obj, float) and not math.isfinite(obj):
        bad.append(path)
    return bad


def test_quick_pipelines_write_finite_results(quick_run):
    out, _ = quick_run  # (its run time is printed by run_all; speed is not asserted in unit tests)
    for t in TASKS:
        payload = json.loads((out / f"{t}.json").read_text())
        assert _finite_numbers(payload) == [], t
        md = (out / f"{t}.md").read_text()
        assert md.count("|") > 10, t
    for png in ("so2_rings_acc.png", "so2_boundary_a.png", "inertia_exact.png", "o5_mse_vs_sigma.png",
                "grid_rmse_vs_eps.png", "cost_vs_m.png"):
        p = out / "img" / png
        assert p.exists() and p.read_bytes()[:4] == b"\x89PNG", png


def test_quick_results_have_every_method_and_seed(quick_run):
    out, _ = quick_run
    so2 = json.loads((out / "so2_toy.json").read_text())
    methods = {"unconstrained", "hard", "ours λ_⊥", "ours (λ_G, λ_⊥)", "sample m=1", "sample m=4", "gen", "rpp"}
    assert methods <= set(so2["data_a"])
    assert "plain MLP" in so2["wavey"][str(so2["sigmas"][0])]
    for v in so2["data_a"].values():
        assert len(v["runs"]) == 1 and 0.0 <= v["runs"][0]["test_acc"] <= 1.0
    # hard models are invariant up to float32 rounding; unconstrained ones are not
    assert so2["data_a"]["hard"]["runs"][0]["E_max"] < 1e-4
    assert so2["data_a"]["hard"]["runs"][0]["defect"] < 1e-10
    cost = json.loads((out / "cost.json").read_text())
    for bb in cost["backbones"].values():
        assert {"no penalty", "sample m=1", "ours (every step)", "hard", "rpp", "generator"} <= set(bb["timings"])
        assert all(v["median_ms"] > 0 for v in bb["timings"].values())


def test_huge_lambda_perp_gives_tiny_layer_defect():
    from experiments.so2_toy import _hooks, data_a
    from experiments.train import train_one

    torch.set_num_threads(1)
    hooks = _hooks()
    d = data_a(0)
    kw = dict(seed=0, steps=200, lr=3e-3, batch=None, eval_every=200)
    strong = train_one(hooks, Method("o", "proj", lam_perp=1e4), d, **kw)
    free = train_one(hooks, Method("u", "free"), d, **kw)
    # Adam moves each entry by about lr per step, so the defect settles at O(lr²) per entry
    assert strong["defect"] < 2e-2 * free["defect"]
    assert strong["E_max"] < 0.1 * free["E_max"]
    assert free["defect"] > 0.3


# ------------------------------------------------------------------ projectors against oracles
@pytest.mark.parametrize(("n", "a", "b", "dim"), [(3, 1, 1, 1), (3, 2, 2, 3), (3, 1, 2, 0), (3, 0, 2, 1),
                                                    (5, 2, 0, 1), (5, 1, 1, 1), (5, 2, 2, 3)])
def test_on_hom_basis_dimensions_and_equivariance(n, a, b, dim):
    B = on_hom_basis(n, a, b)
    assert B.shape == (dim, n**b, n**a)
    if dim:
        np.testing.assert_allclose(np.einsum("kij,lij->kl", B, B), np.eye(dim), atol=1e-10)
        for g in haar_on(n, 3, np.random.default_rng(1)):
            ra, rb = tensor_rep(g, a), tensor_rep(g, b)
            for E in B:
                np.testing.assert_allclose(rb @ E, E @ ra, atol=1e-9)


def test_gather_mean_is_the_group_average():
    G = d4()
    cnn = RegularCNN(G, channels=1, hidden=1, kind="free")
    for w in cnn.weights:
        P = w.P
        W = torch.randn(P.shape, dtype=torch.float64)
        perms = torch.as_tensor(_all_perms(cnn, w))
        brute = W.reshape(-1)[perms].mean(0).reshape(W.shape)
        torch.testing.assert_close(P(W), brute)
        torch.testing.assert_close(P(P(W)), P(W))
        assert float(P.generator_residual(P(W))) < 1e-20


def _all_perms(cnn, w):
    from experiments.models import _kernel_perms

    G = cnn.G
    d_out, d_in = w.P.shape[:2]
    g_out, g_in = d_out % G.order == 0 and d_out > 1, d_in % G.order == 0 and d_in > 1
    c_out, c_in = d_out // (G.order if g_out else 1), d_in // (G.order if g_in else 1)
    return _kernel_perms(G, g_out, g_in, c_out, c_in, cnn.k)


def test_spectral_c4_projector_agrees_with_spatial():
    torch.manual_seed(0)
    cnn = RegularCNN(c4(), channels=2, hidden=1, kind="spectral")
    for w in cnn.weights:
        W = torch.randn(w.P.shape, dtype=torch.float64)
        torch.testing.assert_close(w.spectral(W), w.P(W), atol=1e-12, rtol=0)
        torch.testing.assert_close(w.spectral.defect(W), ((W - w.P(W)) ** 2).sum(), atol=1e-10, rtol=1e-10)


@pytest.mark.parametrize("which", ["so2", "o3", "o5", "c4", "d4", "d8"])
def test_hard_backbones_are_equivariant(which):
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    if which == "so2":
        net = HarmonicSO2Net(kind="hard")
        x = torch.randn(50, 2)
        gs = [torch.tensor(a) for a in rng.uniform(0, 2 * np.pi, 5)]
        free = HarmonicSO2Net(kind="free")
    elif which in ("o3", "o5"):
        n = 3 if which == "o3" else 5
        lay_in, lay_out = ([(0, 5), (1, 5)], [(2, 1)]) if n == 3 else ([(1, 2)], [(0, 1)])
        net = TensorFieldMLP(n, lay_in, lay_out, width=4, kind="hard")
        free = TensorFieldMLP(n, lay_in, lay_out, width=4, kind="free")
        x = torch.randn(50, 20 if n == 3 else 10)
        gs = list(torch.as_tensor(haar_on(n, 5, rng), dtype=torch.float64))
    elif which in ("c4", "d4"):
        G = c4() if which == "c4" else d4()
        net, free = RegularCNN(G, channels=1, kind="hard"), RegularCNN(G, channels=1, kind="free")
        x = torch.randn(4, 12, 12)
        gs = list(range(G.order))
    else:
        G = d8()
        net, free = RegularMLP(G, kind="hard"), RegularMLP(G, kind="free")
        x = torch.randn(20, 128)
        gs = list(range(G.order))
    net, x = net.double(), x.double()  # float64, so that only the construction error is left
    gs = [g.double() if isinstance(g, torch.Tensor) else g for g in gs]
    _, mx = rel_equivariance_error(net, x, gs)
    assert mx < 1e-9
    assert model_defect(net) < 1e-10
    assert rel_equivariance_error(free.double(), x, gs)[1] > 1e-2


def test_rpp_and_penalty_switch():
    w = PWeight(torch.randn(4, 4), GatherMeanProjector(np.stack([np.arange(16), np.arange(16).reshape(4, 4).T.ravel()]),
                                                       (4, 4), (1,)), "rpp")
    W = w()
    P = w.P
    torch.testing.assert_close(P(W - w.B), W - w.B)  # the equivariant pathway is in Hom_G
    pen = w.penalty(Method("r", "rpp", a=2.0, b=3.0))
    torch.testing.assert_close(pen, 2.0 * (P(w.A) ** 2).sum() + 3.0 * (w.B**2).sum())


# ------------------------------------------------------------------ data generators: exact symmetries
def test_inertia_equivariance_and_modified_breaking():
    rng = np.random.default_rng(0)
    X, Y = data.inertia_data(6, 0.0, rng=1)
    for R in haar_on(3, 3, rng):
        Xr = np.concatenate([X[:, :5], (X[:, 5:].reshape(-1, 5, 3) @ R.T).reshape(-1, 15)], 1)
        np.testing.assert_allclose(data.inertia_tensor(Xr).reshape(-1, 3, 3), R @ Y.reshape(-1, 3, 3) @ R.T,
                                   atol=1e-10)
    from experiments.inertia import stabiliser_samples

    X, Y = data.inertia_data(6, 0.3, rng=1)
    inertia = data.inertia_tensor(X).reshape(-1, 3, 3)

    def modified(I):
        return I + 0.3 * np.einsum("nij,j,k->nik", I, [0, 0, 1.0], [0, 0, 1.0])

    np.testing.assert_allclose(modified(inertia), Y.reshape(-1, 3, 3))
    for R in stabiliser_samples(3, rng):
        np.testing.assert_allclose(modified(R @ inertia @ R.T), R @ modified(inertia) @ R.T, atol=1e-10)
    R = haar_on(3, 1, rng)[0]
    assert np.abs(modified(R @ inertia @ R.T) - R @ modified(inertia) @ R.T).max() > 1e-3


def test_o5_invariance_and_residual_group():
    from experiments.o5 import residual_samples

    X, y = data.o5_data(20, 0.0, rng=0)
    X1, y1 = data.o5_data(20, 0.5, rng=0)
    rng = np.random.default_rng(1)

    def target(Z, sigma):
        r1, r2 = Z[:, :5], Z[:, 5:]
        n1, n2 = np.linalg.norm(r1, axis=1), np.linalg.norm(r2, axis=1)
        base = np.sin(n1) - 0.5 * n2**3 + (r1 * r2).sum(1) / (n1 * n2)
        a = np.abs(Z)
        return base + sigma * (a[:, 0] + a[:, 1] + a[:, 5] + a[:, 6]) / (a[:, 2] + a[:, 3] + a[:, 7] + a[:, 8] + 1)

    np.testing.assert_allclose(target(X, 0.0), y[:, 0])
    np.testing.assert_allclose(target(X1, 0.5), y1[:, 0])
    for g in haar_on(5, 2, rng):
        Z = np.concatenate([X[:, :5] @ g.T, X[:, 5:] @ g.T], 1)
        np.testing.assert_allclose(target(Z, 0.0), y[:, 0], atol=1e-10)
        assert np.abs(target(Z, 0.5) - y1[:, 0]).max() > 1e-3
    for g in residual_samples(5, rng):
        Z = np.concatenate([X1[:, :5] @ g.T, X1[:, 5:] @ g.T], 1)
        np.testing.assert_allclose(target(Z, 0.5), y1[:, 0], atol=1e-10)


def test_advect_diffuse_symmetries():
    u = data.smooth_fields(3, 16, rng=0)
    v0 = data.advect_diffuse(u, eps=0.0)
    v1 = data.advect_diffuse(u, eps=0.3)
    np.testing.assert_allclose(data.advect_diffuse(np.rot90(u, axes=(1, 2)), eps=0.0), np.rot90(v0, axes=(1, 2)), atol=1e-10)
    np.testing.assert_allclose(data.advect_diffuse(u[:, ::-1], eps=0.3), v1[:, ::-1], atol=1e-10)
    np.testing.assert_allclose(data.advect_diffuse(u[:, :, ::-1], eps=0.3), v1[:, :, ::-1], atol=1e-10)
    assert np.abs(data.advect_diffuse(np.rot90(u, axes=(1, 2)), eps=0.3) - np.rot90(v1, axes=(1, 2))).max() > 1e-3
    # the exact solver composes: two steps of T equal one step of 2T
    np.testing.assert_allclose(data.advect_diffuse(data.advect_diffuse(u, T=1.0, eps=0.2), T=1.0, eps=0.2),
                               data.advect_diffuse(u, T=2.0, eps=0.2), atol=1e-10)


def test_so2_toy_data_shapes_and_symmetry_breaking():
    X, y = data.disk_data(rng=3)
    r = np.linalg.norm(X, axis=1)
    assert (r[y == 1] <= 1).all() and ((r[y == 0] >= 2.3) & (r[y == 0] <= 3.0)).all()
    assert (np.abs(np.arctan2(X[y == 0, 1], X[y == 0, 0])) <= np.pi / 4 + 1e-12).all()
    Xw, yw = data.wavey_rings(0.5, 100, rng=0)
    t = np.arctan2(Xw[:, 1], Xw[:, 0])
    resid = np.linalg.norm(Xw, axis=1) - 0.5 * np.sin(5 * t)
    assert (np.abs(resid[yw == 1] - 1.1) <= 0.15 + 1e-9).all() and (np.abs(resid[yw == 0] - 2.2) <= 0.22 + 1e-9).all()


def test_compose_preserves_text_outside_markers(tmp_path):
    (tmp_path / "o5.md").write_text("| a | b |\n|---|---|\n| 1 | 2 |\n")
    doc = tmp_path / "results.md"
    doc.write_text("intro\n<!-- BEGIN AUTO:o5 -->\nold\n<!-- END AUTO:o5 -->\noutro\n")
    text = compose(tmp_path, doc, ("o5",))
    assert "old" not in text and "| 1 | 2 |" in text and text.startswith("intro") and text.rstrip().endswith("outro")
