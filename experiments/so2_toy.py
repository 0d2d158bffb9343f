"""T1: the SO(2) toy classification (Berndt & Stühmer 2026, Section 4.1; BENCHMARKS.md T1).

Data A ("approximate invariance": a disk against a wedge of a ring) and the wavey rings with
``σ ∈ {0, 0.25, 0.5, 0.75, 1.0}``; the harmonic model of :class:`experiments.models.HarmonicSO2Net`
for every method, the plain MLP as an extra baseline; the ``(λ_G, λ_⊥)`` grid of the paper's
Figure 7 on data A; decision-boundary plots.  Metrics: test accuracy and the invariance error
``E(T) = max over 40 rotations and all data points of |f(R x) − f(x)|`` on logits.

Run ``python -m experiments.so2_toy --quick`` (pipeline check) or ``--full``.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from experiments.data import disk_data, wavey_rings
from experiments.models import HarmonicSO2Net, Method, PlainMLP
from experiments.train import (
    METHOD_ORDER,
    TaskHooks,
    common_args,
    finish_task,
    fmt,
    method_grid,
    pin_threads,
    plot_lines,
    run_protocol,
    table,
    train_one,
)

__all__ = ["invariance_error", "main"]

SIGMAS = (0.0, 0.25, 0.5, 0.75, 1.0)
GRID_LG = (0.1, 0.01, 0.001, 0.0)
GRID_LP = (0.0, 1e-3, 1e-2, 0.1)


def _rotate(angle: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    return HarmonicSO2Net.act_in(angle, x)


def invariance_error(model: torch.nn.Module, x: torch.Tensor, n_angles: int = 40, seed: int = 7) -> tuple[float, float]:
    """``E(T) = max_{α, x} |f(R_α x) − f(x)|`` over ``n_angles`` random angles (and the mean)."""
    g = torch.Generator().manual_seed(seed)
    angles = torch.rand(n_angles, generator=g) * 2 * np.pi
    with torch.no_grad():
        f0 = model(x)
        d = torch.stack([(model(_rotate(a, x)) - f0).abs() for a in angles])
    return float(d.max()), float(d.mean())


def _split(X: np.ndarray, y: np.ndarray, seed: int) -> dict[str, torch.Tensor]:
    p = np.random.default_rng(seed).permutation(len(y))
    n_tr, n_va = int(0.6 * len(y)), int(0.2 * len(y))
    parts = {"train": p[:n_tr], "val": p[n_tr:n_tr + n_va], "test": p[n_tr + n_va:]}
    out = {}
    for k, idx in parts.items():
        out[f"x_{k}"] = torch.as_tensor(X[idx], dtype=torch.float32)
        out[f"y_{k}"] = torch.as_tensor(y[idx], dtype=torch.float32)
    return out


def data_a(seed: int) -> dict[str, torch.Tensor]:
    """Data A: training set from seed 3 (the paper's), validation seed 4, test seed 5."""
    out = {}
    for k, s in (("train", 3), ("val", 4), ("test", 5)):
        X, y = disk_data(rng=s)
        out[f"x_{k}"] = torch.as_tensor(X, dtype=torch.float32)
        out[f"y_{k}"] = torch.as_tensor(y, dtype=torch.float32)
    return out


def data_b(sigma: float, seed: int, n_per_class: int = 350) -> dict[str, torch.Tensor]:
    """Wavey rings, 60/20/20 split; a fresh draw per seed."""
    X, y = wavey_rings(sigma, n_per_class, rng=1000 + seed)
    return _split(X, y, seed)


def _hooks(backbone: str = "harmonic") -> TaskHooks:
    def make(kind: str, seed: int) -> torch.nn.Module:
        torch.manual_seed(seed)
        if backbone == "mlp":
            return PlainMLP()
        return HarmonicSO2Net(kind=kind, seed=seed)

    def loss(p: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        return F.binary_cross_entropy_with_logits(p, y)

    def sample(m: int, rng: np.random.Generator) -> list[Any]:
        return [torch.tensor(a, dtype=torch.float32) for a in rng.uniform(0, 2 * np.pi, m)]

    def evaluate(model: torch.nn.Module, d: dict[str, torch.Tensor]) -> dict[str, float]:
        p = model(d["x_test"])
        acc = float(((p > 0).float() == d["y_test"]).float().mean())
        allx = torch.cat([d["x_train"], d["x_val"], d["x_test"]])
        emax, emean = invariance_error(model, allx)
        return {"test_acc": acc, "test_bce": float(loss(p, d["y_test"])), "E_max": emax, "E_mean": emean}

    def val(model: torch.nn.Module, d: dict[str, torch.Tensor]) -> float:
        return float(loss(model(d["x_val"]), d["y_val"]))

    return TaskHooks(make, loss, sample, evaluate, val)


def _boundary_plot(path: Path, models: dict[str, torch.nn.Module], d: dict[str, torch.Tensor], title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    lim = 3.4
    xs = np.linspace(-lim, lim, 161)
    XX, YY = np.meshgrid(xs, xs)
    pts = torch.as_tensor(np.stack([XX.ravel(), YY.ravel()], 1), dtype=torch.float32)
    fig, axes = plt.subplots(1, len(models), figsize=(3.2 * len(models), 3.3), dpi=100)
    X, y = d["x_train"].numpy(), d["y_train"].numpy()
    for ax, (name, model) in zip(np.atleast_1d(axes), models.items()):
        with torch.no_grad():
            z = model(pts).reshape(XX.shape).numpy()
        ax.contourf(XX, YY, z, levels=[-1e9, 0, 1e9], colors=["#f4c7c3", "#c6dbef"], alpha=0.8)
        ax.contour(XX, YY, z, levels=[0], colors="k", linewidths=1)
        ax.scatter(X[y == 1, 0], X[y == 1, 1], s=4, c="#08519c")
        ax.scatter(X[y == 0, 0], X[y == 0, 1], s=4, c="#a50f15")
        ax.set_title(name, fontsize=8)
        ax.set_aspect("equal")
        ax.set_xticks([])
        ax.set_yticks([])
    fig.suptitle(title, fontsize=9)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def _heatmap(path: Path, M: np.ndarray, title: str, fmt_: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(4.2, 3.6), dpi=110)
    im = ax.imshow(M, cmap="viridis")
    ax.set_xticks(range(len(GRID_LP)), [f"{v:g}" for v in GRID_LP])
    ax.set_yticks(range(len(GRID_LG)), [f"{v:g}" for v in GRID_LG])
    ax.set_xlabel("λ_⊥")
    ax.set_ylabel("λ_G")
    for i in range(M.shape[0]):
        for j in range(M.shape[1]):
            r, g, b, _ = im.cmap(im.norm(M[i, j]))
            ink = "black" if 0.299 * r + 0.587 * g + 0.114 * b > 0.5 else "white"  # readable on any cell colour
            ax.text(j, i, format(M[i, j], fmt_), ha="center", va="center", color=ink, fontsize=8)
    fig.colorbar(im)
    ax.set_title(title, fontsize=9)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    args = common_args(argv, "T1: SO(2) toy classification")
    pin_threads()
    quick = args.quick
    t_start = time.perf_counter()
    steps = 8 if quick else 200
    kw = dict(steps=steps, lr=3e-3, batch=None, eval_every=10)
    hooks, mlp_hooks = _hooks(), _hooks("mlp")
    grid = method_grid(quick, trials=2)
    mlp_grid = {"plain MLP": method_grid(quick, trials=2)["unconstrained"]}
    results: dict[str, Any] = {"sigmas": list(SIGMAS[:2] if quick else SIGMAS), "quick": quick}
    md: list[str] = []

    # --- data A: all methods
    print("T1 data A")
    resA = run_protocol(hooks, grid, data_a, seeds=args.seeds, **kw)
    results["data_a"] = resA
    rows = [[k, resA[k]["label"], fmt([r["test_acc"] for r in resA[k]["runs"]]),
             fmt([r["E_max"] for r in resA[k]["runs"]]), fmt([r["defect"] for r in resA[k]["runs"]]),
             fmt([r["ms_per_step"] for r in resA[k]["runs"]], 2)] for k in METHOD_ORDER if k in resA]
    md.append("#### Data A (disk against a wedge; the wedge breaks SO(2))\n\n" + table(
        rows, ["method", "selected", "test acc", "E(T) (max)", "layer defect", "ms/step"]))

    # --- wavey rings: test accuracy and E(T) against σ
    sig = results["sigmas"]
    per_sigma: dict[float, Any] = {}
    for s in sig:
        print(f"T1 wavey rings σ={s}")
        r = run_protocol(hooks, grid, lambda seed, s=s: data_b(s, seed), seeds=args.seeds, **kw)
        r.update(run_protocol(mlp_hooks, mlp_grid, lambda seed, s=s: data_b(s, seed), seeds=args.seeds, **kw))
        per_sigma[s] = r
    results["wavey"] = {str(s): v for s, v in per_sigma.items()}
    names = [k for k in [*METHOD_ORDER, "plain MLP"] if k in per_sigma[sig[0]]]
    rows = []
    for k in names:
        rows.append([k] + [fmt([r["test_acc"] for r in per_sigma[s][k]["runs"]]) for s in sig])
    md.append("#### Wavey rings: test accuracy against σ_⊥\n\n" + table(rows, ["method"] + [f"σ={s:g}" for s in sig]))
    rows = [[k] + [fmt([r["E_max"] for r in per_sigma[s][k]["runs"]]) for s in sig] for k in names]
    md.append("#### Wavey rings: invariance error E(T) against σ_⊥\n\n" + table(rows, ["method"] + [f"σ={s:g}" for s in sig]))
    for metric, fname, lab, logy in (("test_acc", "so2_rings_acc.png", "test accuracy", False),
                                     ("E_max", "so2_rings_invariance.png", "E(T) = max |f(Rx) − f(x)|", True)):
        series = {k: ([float(np.mean([r[metric] for r in per_sigma[s][k]["runs"]])) for s in sig],
                      [float(np.std([r[metric] for r in per_sigma[s][k]["runs"]])) for s in sig]) for k in names}
        if logy:
            series = {k: ([max(v, 1e-9) for v in m], sd) for k, (m, sd) in series.items()}
        plot_lines(args.img / fname, list(sig), series, xlabel="σ_⊥ (symmetry breaking)", ylabel=lab,
                   title=f"T1 wavey rings: {lab}", logy=logy)

    # --- (λ_G, λ_⊥) grid on data A (paper Figure 7)
    print("T1 λ grid")
    lgs, lps = (GRID_LG[:2], GRID_LP[:2]) if quick else (GRID_LG, GRID_LP)
    acc = np.zeros((len(lgs), len(lps)))
    err = np.zeros_like(acc)
    gridres = []
    for i, lg in enumerate(lgs):
        for j, lp in enumerate(lps):
            runs = [train_one(hooks, Method("ours", "proj", lam_G=lg, lam_perp=lp), data_a(s), seed=s, **kw)
                    for s in range(args.seeds)]
            for r in runs:
                r.pop("_model")
            acc[i, j] = np.mean([r["test_acc"] for r in runs])
            err[i, j] = np.mean([r["E_max"] for r in runs])
            gridres.append({"lam_G": lg, "lam_perp": lp, "runs": runs})
    results["lambda_grid"] = gridres
    rows = [[f"{lg:g}"] + [f"{acc[i, j]:.3f} / {err[i, j]:.2g}" for j in range(len(lps))] for i, lg in enumerate(lgs)]
    md.append("#### Data A: (λ_G, λ_⊥) grid, test accuracy / E(T), mean over seeds\n\n" + table(
        rows, ["λ_G \\ λ_⊥"] + [f"{v:g}" for v in lps]))
    if not quick:
        _heatmap(args.img / "so2_lambda_grid_acc.png", acc, "T1 data A: test accuracy", ".2f")
        _heatmap(args.img / "so2_lambda_grid_E.png", np.log10(np.maximum(err, 1e-8)), "T1 data A: log10 E(T)", ".1f")

    # --- decision boundaries (seed 0, paper settings)
    print("T1 decision boundaries")
    settings = {"unconstrained": Method("u", "free"), "hard": Method("h", "hard"),
                "ours λ_G=1e-2, λ_⊥=1e-3": Method("o", "proj", lam_G=1e-2, lam_perp=1e-3),
                "ours λ_G=1e-2, λ_⊥=1": Method("o", "proj", lam_G=1e-2, lam_perp=1.0)}
    for tag, dfn in (("a", lambda: data_a(0)), ("rings", lambda: data_b(0.5, 0))):
        d = dfn()
        models = {}
        for name, m in settings.items():
            r = train_one(hooks, m, d, seed=0, **kw)
            models[f"{name}\nacc {r['test_acc']:.2f}, E(T) {r['E_max']:.2g}"] = r["_model"]
        _boundary_plot(args.img / f"so2_boundary_{tag}.png", models, d,
                       "T1 data A" if tag == "a" else "T1 wavey rings, σ_⊥ = 0.5")
    return finish_task(args, "so2_toy", "T1", results, md, t_start)


if __name__ == "__main__":
    main()
