"""T4: D4 / C4 fields on a periodic grid with conv layers (BENCHMARKS.md T4, variant a).

Predict ``u(t + T)`` from ``u(t)`` for ``u_t = κ_x u_xx + κ_y u_yy`` on a periodic 16 × 16 grid (BENCHMARKS proposes 32 × 32; halved for the 2-core budget),
solved exactly in Fourier space; ``κ_x = κ(1 + ε)``, ``κ_y = κ(1 − ε)``.  ``ε = 0`` is
D4-equivariant; ``ε > 0`` keeps only the flips and the half turn (D2).  Backbone: the lifting
CNN with regular D4 fields of :class:`experiments.models.RegularCNN` (5 × 5 kernels, circular
padding), spatial-domain orbit projector.  One extra configuration compares the spatial and the
spectral (Fourier basis of C4) penalty on a C4 model.  Metrics: one-step RMSE, 5-step rollout
RMSE, relative equivariance error under D4 and under the residual D2, ms per step.

Run ``python -m experiments.grid_dynamics --quick`` (pipeline check) or ``--full``.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import torch

from experiments.data import advect_diffuse, smooth_fields
from experiments.groups import FiniteMatrixGroup, c4, d4
from experiments.models import Method, RegularCNN
from experiments.train import (
    METHOD_ORDER,
    TaskHooks,
    common_args,
    finish_task,
    fmt,
    method_grid,
    pin_threads,
    plot_lines,
    rel_equivariance_error,
    run_protocol,
    table,
    train_one,
)

__all__ = ["main", "make_data"]

EPS = (0.0, 0.2, 0.5)
KAPPA, T_STEP = 0.5, 2.0


def make_data(eps: float, n_train: int, n_eval: int, size: int, seed: int) -> dict[str, torch.Tensor]:
    """Fields and one-step targets; ``x_roll``/``y_roll`` hold 5-step rollout targets."""
    out: dict[str, torch.Tensor] = {}
    for k, n, off in (("train", n_train, 0), ("val", n_eval, 1), ("test", n_eval, 2)):
        u = smooth_fields(n, size, rng=30_000 + 10_000 * off + 100 * seed)
        out[f"x_{k}"] = torch.as_tensor(u, dtype=torch.float32)
        out[f"y_{k}"] = torch.as_tensor(advect_diffuse(u, T_STEP, KAPPA, eps), dtype=torch.float32)
    u = out["x_test"].double().numpy()
    roll = [u]
    for _ in range(5):
        roll.append(advect_diffuse(roll[-1], T_STEP, KAPPA, eps))
    out["y_roll"] = torch.as_tensor(np.stack(roll[1:]), dtype=torch.float32)
    return out


def _hooks(G: FiniteMatrixGroup, channels: int, hidden: int) -> TaskHooks:
    residual = [g for g in range(G.order) if abs(G.elements[g][0, 1]) < 0.5]  # diagonal matrices: D2

    def make(kind: str, seed: int) -> torch.nn.Module:
        return RegularCNN(G, channels=channels, hidden=hidden, kind=kind, seed=seed)

    def loss(p: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        return ((p - y) ** 2).mean()

    def sample(m: int, rng: np.random.Generator) -> list[int]:
        return [int(g) for g in rng.integers(0, G.order, m)]

    def evaluate(model: torch.nn.Module, d: dict[str, torch.Tensor]) -> dict[str, float]:
        p = model(d["x_test"])
        u = d["x_test"]
        roll = []
        for k in range(d["y_roll"].shape[0]):
            u = model(u)
            roll.append(float(((u - d["y_roll"][k]) ** 2).mean().sqrt()))
        x = d["x_test"][:32]
        med, mx = rel_equivariance_error(model, x, list(range(G.order)))
        rmed, rmx = rel_equivariance_error(model, x, residual)
        return {"rmse": float(loss(p, d["y_test"]).sqrt()), "rollout_rmse": roll[-1], "eq_err_med": med,
                "eq_err_max": mx, "res_err_med": rmed, "res_err_max": rmx}

    def val(model: torch.nn.Module, d: dict[str, torch.Tensor]) -> float:
        return float(loss(model(d["x_val"]), d["y_val"]))

    return TaskHooks(make, loss, sample, evaluate, val)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    args = common_args(argv, "T4: D4/C4 fields on a periodic grid")
    pin_threads()
    quick = args.quick
    t0 = time.perf_counter()
    size, n_train, n_eval = (12, 8, 8) if quick else (16, 96, 64)
    eps_list = EPS[:2] if quick else EPS
    kw = dict(steps=6 if quick else 200, lr=3e-3, batch=None if quick else 16, eval_every=3 if quick else 25)
    channels, hidden = (1, 1) if quick else (2, 2)
    hooks = _hooks(d4(), channels, hidden)
    grid = method_grid(quick, trials=2)
    results: dict[str, Any] = {"eps": list(eps_list), "size": size, "n_train": n_train, "quick": quick}
    per: dict[float, Any] = {}
    for e in eps_list:
        print(f"T4 ε={e}")
        r = run_protocol(hooks, grid, lambda s, e=e: make_data(e, n_train, n_eval, size, s), seeds=args.seeds, **kw)
        for v in r.values():
            v.pop("_models")
        per[e] = r
    results["per_eps"] = {str(e): v for e, v in per.items()}
    names = [k for k in METHOD_ORDER if k in per[eps_list[0]]]
    md = []
    rows = [[k] + [f"{fmt([r['rmse'] for r in per[e][k]['runs']])} ({per[e][k]['label']})" for e in eps_list] for k in names]
    md.append(f"#### One-step test RMSE against ε (D4 model, {size}×{size} grid, N_train = {n_train}; selected setting in brackets)\n\n"
              + table(rows, ["method"] + [f"ε={e:g}" for e in eps_list]))
    rows = [[k] + [f"{fmt([r['rollout_rmse'] for r in per[e][k]['runs']])}" for e in eps_list]
            + [fmt([r["eq_err_med"] for r in per[eps_list[-1]][k]["runs"]], 2),
               fmt([r["res_err_med"] for r in per[eps_list[-1]][k]["runs"]], 2),
               fmt([r["ms_per_step"] for r in per[eps_list[0]][k]["runs"]], 2)] for k in names]
    md.append("#### 5-step rollout RMSE; equivariance error (median, largest ε) under D4 and the residual D2; ms/step\n\n"
              + table(rows, ["method"] + [f"rollout ε={e:g}" for e in eps_list]
                      + [f"D4 err ε={eps_list[-1]:g}", f"D2 err ε={eps_list[-1]:g}", "ms/step"]))
    series = {k: ([float(np.mean([r["rmse"] for r in per[e][k]["runs"]])) for e in eps_list],
                  [float(np.std([r["rmse"] for r in per[e][k]["runs"]])) for e in eps_list]) for k in names}
    plot_lines(args.img / "grid_rmse_vs_eps.png", list(eps_list), series, xlabel="ε (anisotropy)",
               ylabel="one-step test RMSE", title="T4 periodic-grid diffusion, D4 CNN")

    # spatial vs spectral penalty on a C4 model, same λ, middle ε
    e = eps_list[-1] if quick else eps_list[1]
    print(f"T4 C4 spatial vs spectral at ε={e}")
    hooks4 = _hooks(c4(), 2 * channels, hidden)
    lam = 1.0
    spec_rows = []
    results["spectral"] = {}
    for label, kind in (("C4 spatial projection penalty", "proj"), ("C4 spectral projection penalty", "spectral")):
        runs = [train_one(hooks4, Method(label, kind, lam_perp=lam), make_data(e, n_train, n_eval, size, s), seed=s, **kw)
                for s in range(args.seeds)]
        for r in runs:
            r.pop("_model")
        results["spectral"][label] = runs
        spec_rows.append([label, fmt([r["rmse"] for r in runs]), fmt([r["eq_err_med"] for r in runs], 2),
                          fmt([r["defect"] for r in runs], 2), fmt([r["ms_per_step"] for r in runs], 2)])
    md.append(f"#### C4 model, spatial against spectral penalty (λ_⊥ = {lam:g}, ε = {e:g})\n\n"
              + table(spec_rows, ["penalty", "RMSE", "C4 rel. err (median)", "layer defect", "ms/step"]))
    return finish_task(args, "grid_dynamics", "T4", results, md, t0)


if __name__ == "__main__":
    main()
