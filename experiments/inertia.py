"""T2: Inertia and Modified Inertia (O(3); EMLP and RPP of Finzi et al. 2021; BENCHMARKS.md T2).

Settings: *exact* (the inertia tensor, O(3)-equivariant), *approximate* (Modified Inertia,
``Y = I + 0.3 (I e_z) e_z^T``, which keeps only the axis stabiliser ``R e_z = ±e_z``) and
*none* (``A I Aᵀ`` with one fixed random matrix).  Backbone: the O(3) tensor-field MLP of
:class:`experiments.models.TensorFieldMLP` (input ``5·0e ⊕ 5·1o``, output ``V ⊗ V``).  Each
method is tuned at ``N_train = 100`` (validation; two trials each), then trained for
``N_train ∈ {100, 1000}``.  (A "none" setting ``A I Aᵀ`` is in :func:`experiments.data.inertia_data`
but not in the reported run, for time.)  Metrics: test MSE; relative equivariance error for O(3) and for the axis stabiliser.

Run ``python -m experiments.inertia --quick`` (pipeline check) or ``--full``.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import torch

from experiments.data import inertia_data
from experiments.groups import haar_on
from experiments.models import TensorFieldMLP
from experiments.train import (
    METHOD_ORDER,
    TaskHooks,
    chosen_methods,
    common_args,
    finish_task,
    fmt,
    method_grid,
    pin_threads,
    plot_lines,
    rel_equivariance_error,
    run_fixed,
    run_protocol,
    table,
)

__all__ = ["main", "on_hooks", "stabiliser_samples"]

SETTINGS = {"exact": ("modified", 0.0), "approx (ε=0.3)": ("modified", 0.3)}
NS = (100, 1000)


def stabiliser_samples(m: int, rng: np.random.Generator) -> np.ndarray:
    """``m`` uniform samples of ``{R ∈ O(3): R e_z = ±e_z} ≅ O(2) × Z_2``, shape (m, 3, 3)."""
    out = np.zeros((m, 3, 3))
    out[:, :2, :2] = haar_on(2, m, rng)
    out[:, 2, 2] = rng.choice([-1.0, 1.0], m)
    return out


def on_hooks(n: int, layout_in: list[tuple[int, int]], layout_out: list[tuple[int, int]], width: int,
             residual: Any, n_eval: int = 256) -> TaskHooks:
    """Hooks for an O(n) regression task; ``residual(m, rng)`` samples the residual subgroup."""

    def make(kind: str, seed: int) -> torch.nn.Module:
        return TensorFieldMLP(n, layout_in, layout_out, width=width, kind=kind, seed=seed)

    def loss(p: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        return ((p - y) ** 2).mean()

    def sample(m: int, rng: np.random.Generator) -> list[torch.Tensor]:
        return list(torch.as_tensor(haar_on(n, m, rng), dtype=torch.float32))

    g_full = list(torch.as_tensor(haar_on(n, 64, np.random.default_rng(64)), dtype=torch.float32))
    g_res = list(torch.as_tensor(residual(64, np.random.default_rng(65)), dtype=torch.float32))

    def evaluate(model: torch.nn.Module, d: dict[str, torch.Tensor]) -> dict[str, float]:
        p = model(d["x_test"])
        x = d["x_test"][:n_eval]
        med, mx = rel_equivariance_error(model, x, g_full)
        rmed, rmx = rel_equivariance_error(model, x, g_res)
        return {"test_mse": float(loss(p, d["y_test"])), "eq_err_med": med, "eq_err_max": mx,
                "res_err_med": rmed, "res_err_max": rmx}

    def val(model: torch.nn.Module, d: dict[str, torch.Tensor]) -> float:
        return float(loss(model(d["x_val"]), d["y_val"]))

    return TaskHooks(make, loss, sample, evaluate, val)


def _data(setting: str, eps: float, n_train: int, seed: int, n_eval: int) -> dict[str, torch.Tensor]:
    out = {}
    for k, n, off in (("train", n_train, 0), ("val", n_eval, 1), ("test", n_eval, 2)):
        X, Y = inertia_data(n, eps, setting=setting, rng=10_000 * off + 100 * seed + n_train)
        out[f"x_{k}"] = torch.as_tensor(X, dtype=torch.float32)
        out[f"y_{k}"] = torch.as_tensor(Y, dtype=torch.float32)
    return out


def main(argv: list[str] | None = None) -> dict[str, Any]:
    args = common_args(argv, "T2: Inertia / Modified Inertia (O(3))")
    pin_threads()
    quick = args.quick
    t0 = time.perf_counter()
    ns = (30, 60) if quick else NS
    n_tune = ns[0]
    n_eval = 64 if quick else 1000
    kw = dict(steps=8 if quick else 300, lr=3e-3, batch=None if quick else 200, eval_every=4 if quick else 40)
    hooks = on_hooks(3, [(0, 5), (1, 5)], [(2, 1)], width=4 if quick else 8, residual=stabiliser_samples,
                     n_eval=32 if quick else 256)
    settings = dict(list(SETTINGS.items())[:1] if quick else SETTINGS.items())
    grid = method_grid(quick, trials=2)
    results: dict[str, Any] = {"ns": list(ns), "n_tune": n_tune, "quick": quick, "settings": {}}
    md: list[str] = []
    for sname, (kind, eps) in settings.items():
        print(f"T2 {sname}: tuning at N={n_tune}")
        tuned = run_protocol(hooks, grid, lambda s, k=kind, e=eps: _data(k, e, n_tune, s, n_eval), seeds=args.seeds, **kw)
        for v in tuned.values():
            v.pop("_models")
        chosen = chosen_methods(tuned)
        per_n = {n_tune: tuned}
        for n in ns:
            if n == n_tune:
                continue
            print(f"T2 {sname}: N={n}")
            per_n[n] = run_fixed(hooks, chosen, lambda s, k=kind, e=eps, n=n: _data(k, e, n, s, n_eval),
                                 seeds=args.seeds, **kw)
        results["settings"][sname] = {str(n): per_n[n] for n in ns}
        names = [k for k in METHOD_ORDER if k in tuned]
        rows = [[k, tuned[k]["label"]] + [fmt([r["test_mse"] for r in per_n[n][k]["runs"]]) for n in ns]
                + [fmt([r["eq_err_med"] for r in per_n[n_tune][k]["runs"]]),
                   fmt([r["res_err_med"] for r in per_n[n_tune][k]["runs"]])] for k in names]
        md.append(f"#### {sname}: test MSE against N_train; equivariance error at N={n_tune}\n\n" + table(
            rows, ["method", "selected", *[f"MSE N={n}" for n in ns], "O(3) rel. err (median)",
                   "stabiliser rel. err (median)"]))
        series = {k: ([float(np.mean([r["test_mse"] for r in per_n[n][k]["runs"]])) for n in ns],
                      [float(np.std([r["test_mse"] for r in per_n[n][k]["runs"]])) for n in ns]) for k in names}
        tag = sname.split()[0]
        plot_lines(args.img / f"inertia_{tag}.png", list(ns), series, xlabel="N_train", ylabel="test MSE",
                   title=f"T2 inertia, {sname}", logx=True)
    return finish_task(args, "inertia", "T2", results, md, t0)


if __name__ == "__main__":
    main()
