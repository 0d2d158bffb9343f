"""T3: O5Synthetic with a σ symmetry-breaking term (O(5); BENCHMARKS.md T3).

Input ``2·V`` of O(5), scalar output; the breaking term of ashiq24/soft-equivariance with
``σ ∈ {0, 0.3, 1.0}`` leaves only a finite residual symmetry (sign flips and swaps within the
coordinates {0, 1} and {2, 3}, and the sign of coordinate 4).  Backbone: the O(5) tensor-field
MLP.  Every method is tuned per σ (validation, two trials each).  Metrics: test MSE against σ,
relative invariance error for O(5) and for the residual group.

Run ``python -m experiments.o5 --quick`` (pipeline check) or ``--full``.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import torch

from experiments.data import o5_data, o5_stats
from experiments.inertia import on_hooks
from experiments.train import (
    METHOD_ORDER,
    common_args,
    finish_task,
    fmt,
    method_grid,
    pin_threads,
    plot_lines,
    run_protocol,
    table,
)

__all__ = ["main", "residual_samples"]

SIGMAS = (0.0, 0.3, 1.0)


def residual_samples(m: int, rng: np.random.Generator) -> np.ndarray:
    """Uniform samples of the residual group of the σ term (signed swaps in {0,1}, {2,3}; sign of 4)."""
    out = np.zeros((m, 5, 5))
    for i in range(m):
        P = np.zeros((5, 5))
        for block in ((0, 1), (2, 3)):
            perm = rng.permutation(2)
            for a, b in zip(block, perm):
                P[a, block[b]] = rng.choice([-1.0, 1.0])
        P[4, 4] = rng.choice([-1.0, 1.0])
        out[i] = P
    return out


def _data(sigma: float, n_train: int, seed: int, n_eval: int, stats: tuple[float, float]) -> dict[str, torch.Tensor]:
    out = {}
    for k, n, off in (("train", n_train, 0), ("val", n_eval, 1), ("test", n_eval, 2)):
        X, y = o5_data(n, sigma, rng=20_000 + 10_000 * off + 100 * seed, stats=stats)
        out[f"x_{k}"] = torch.as_tensor(X, dtype=torch.float32)
        out[f"y_{k}"] = torch.as_tensor(y, dtype=torch.float32)
    return out


def main(argv: list[str] | None = None) -> dict[str, Any]:
    args = common_args(argv, "T3: O5Synthetic with a σ breaking term")
    pin_threads()
    quick = args.quick
    t0 = time.perf_counter()
    stats = o5_stats()
    sigmas = SIGMAS[:2] if quick else SIGMAS
    n_train, n_eval = (40, 64) if quick else (300, 1000)
    kw = dict(steps=8 if quick else 300, lr=3e-3, batch=None if quick else 150, eval_every=4 if quick else 40)
    hooks = on_hooks(5, [(1, 2)], [(0, 1)], width=3 if quick else 6, residual=residual_samples, n_eval=32 if quick else 256)
    grid = method_grid(quick, trials=2)
    results: dict[str, Any] = {"sigmas": list(sigmas), "n_train": n_train, "quick": quick, "per_sigma": {}}
    per: dict[float, Any] = {}
    for s in sigmas:
        print(f"T3 σ={s}")
        r = run_protocol(hooks, grid, lambda seed, s=s: _data(s, n_train, seed, n_eval, stats), seeds=args.seeds, **kw)
        for v in r.values():
            v.pop("_models")
        per[s] = r
    results["per_sigma"] = {str(s): v for s, v in per.items()}
    names = [k for k in METHOD_ORDER if k in per[sigmas[0]]]
    md = []
    rows = [[k] + [f"{fmt([r['test_mse'] for r in per[s][k]['runs']])} ({per[s][k]['label']})" for s in sigmas]
            for k in names]
    md.append(f"#### Test MSE against σ (N_train = {n_train}; selected setting in brackets)\n\n"
              + table(rows, ["method"] + [f"σ={s:g}" for s in sigmas]))
    rows = [[k] + [f"{fmt([r['eq_err_med'] for r in per[s][k]['runs']], 2)} / "
                   f"{fmt([r['res_err_med'] for r in per[s][k]['runs']], 2)}" for s in sigmas] for k in names]
    md.append("#### Relative invariance error (median): O(5) / residual group\n\n"
              + table(rows, ["method"] + [f"σ={s:g}" for s in sigmas]))
    series = {k: ([float(np.mean([r["test_mse"] for r in per[s][k]["runs"]])) for s in sigmas],
                  [float(np.std([r["test_mse"] for r in per[s][k]["runs"]])) for s in sigmas]) for k in names}
    plot_lines(args.img / "o5_mse_vs_sigma.png", list(sigmas), series, xlabel="σ (symmetry breaking)",
               ylabel="test MSE", title=f"T3 O5Synthetic, N_train = {n_train}")
    return finish_task(args, "o5", "T3", results, md, t0)


if __name__ == "__main__":
    main()
