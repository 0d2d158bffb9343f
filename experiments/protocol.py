"""The evaluation protocol of ``docs/results.md``: one run, tuning, fresh seeds, records, paired tests.

1. **One run** (:func:`train_run`): Adam on the task's MSE plus the method's terms; the
   validation MSE every ``eval_every`` steps.  Progress is a validation MSE below
   ``(1 − MIN_DELTA)`` times the last one that counted; after ``patience`` evaluations without
   progress (a plateau) the learning rate is divided by 3, and the first plateau after
   ``max_decays`` divisions stops the run (reduce-on-plateau annealing, then early stopping),
   capped at ``max_steps``.  The model at the best validation step is evaluated on the test
   set.  A run that reached the cap without stopping is flagged ``at_cap``.
2. **Grids** (:func:`grid`): every knob of a kind is swept on the same log-spaced grid, scaled
   to the task's loss ``s = Var(y)`` (the MSE of the zero predictor): weight-space λ's
   (weight decay, ``λ_⊥`` of ours with ``λ_G = ρ λ_⊥``, generator λ, RPP's ``(a, b)`` mapped to
   the same ``(λ_G, λ_⊥)``) on ``s·10^{-5..0}``; the sample-based λ (a function-space term,
   already in the loss's units) on ``10^{-2..1}``; the augmentation probability on
   ``2^{-3..0}``; the tolerance τ of the constrained mode on 4 log-spaced values from 0.1 to 0.003.
3. **Tuning and evaluation** (:func:`run_setting`): per (task, setting) every method is tuned on
   seed 0 (validation MSE), then the chosen knob is retrained on fresh seeds ``1..S``; the
   tuning seed is never an evaluation seed.  Seeds set the training/validation sample, the
   initialisation, the batches and the group draws, so two methods with the same seed are a pair.
4. **Records**: one JSON line per run (:data:`FIELDS`).
5. **Statistics** (:func:`summarise`): mean ± sample std (``ddof = 1``) over the evaluation
   seeds; "ours vs best baseline" (each chosen by its tuning-seed validation MSE) with the
   paired t-test and the Wilcoxon signed-rank test over the seeds.

Examples
--------
>>> [round(v, 6) for v in grid("unconstrained", 2.0, quick=False)]
[2e-05, 0.0002, 0.002, 0.02, 0.2, 2.0]
>>> grid("augment", 1.0, quick=False)
[0.125, 0.25, 0.5, 1.0]
"""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import torch

from experiments import methods as M

__all__ = ["FIELDS", "grid", "read_runs", "run_setting", "summarise", "train_run"]

FIELDS = ("task", "setting", "group", "method", "knob", "seed", "tuning", "n_train", "best_step", "stopped_step",
          "max_steps", "at_cap", "lr_decays", "val_metric", "test_metric", "metric_name", "defect", "eq_err_median",
          "eq_err_max", "wall_s", "ms_per_step", "info")

W_GRID = (1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1.0)
F_GRID = (1e-2, 1e-1, 1.0, 10.0)
P_GRID = (0.125, 0.25, 0.5, 1.0)
MIN_DELTA = 1e-2  # relative validation improvement that counts as progress (resets the patience)
TAU_GRID = tuple(float(t) for t in np.geomspace(0.1, 0.003, 4))  # 0.1 … 0.003, log-spaced


def grid(method: str, scale: float, *, quick: bool) -> list[float]:
    """The knob values tried for ``method`` (``scale`` = the task's ``Var(y)``)."""
    if method == "augment":
        g = list(P_GRID)
    elif method == "ours-tol":
        g = list(TAU_GRID)
    elif method.startswith("sample"):
        g = list(F_GRID)
    else:
        g = [scale * v for v in W_GRID]
    return [g[1], g[-2]] if quick else g


def _pick(n: int, batch: int | None, rng: np.random.Generator) -> torch.Tensor | None:
    if batch is None or batch >= n:
        return None
    return torch.as_tensor(rng.choice(n, batch, replace=False))


def train_run(task: Any, method: str, knob: float, data: dict[str, torch.Tensor], *, seed: int,
              setting: float, tuning: bool) -> tuple[dict[str, Any], Any]:
    """One training run; returns its record and the trained :class:`experiments.methods.Setup`."""
    t0 = time.perf_counter()
    st = M.build(method, knob, task, seed, task.lr)
    model, opt = st.model, st.optimizer
    rng = np.random.default_rng(20_000 + seed)
    X, Y = data["x_train"], data["y_train"]
    best, best_step, best_state = float("inf"), 0, copy.deepcopy(model.state_dict())
    ref = float("inf")
    since, step, decays, stopped, times = 0, 0, 0, False, []
    curve: list[tuple[int, float, float]] = []
    while step < task.max_steps:
        step += 1
        ts = time.perf_counter()
        idx = _pick(X.shape[0], task.batch, rng)
        xb, yb = (X, Y) if idx is None else (X[idx], Y[idx])
        if st.transform is not None:
            xb, yb = st.transform(xb, yb)
        pred = model(xb)
        loss = ((pred - yb) ** 2).mean() + st.extra(xb, yb, pred)
        opt.zero_grad()
        loss.backward()
        opt.step()
        times.append(time.perf_counter() - ts)
        if step % task.eval_every == 0 or step == task.max_steps:
            v = task.val_metric(model, data)
            curve.append((step, time.perf_counter() - t0, v))
            if v < best:
                best, best_step = v, step
                best_state = copy.deepcopy(model.state_dict())
            if v < ref * (1.0 - MIN_DELTA):  # a significant improvement resets the patience
                ref, since = v, 0
            else:
                since += 1
                if since >= task.patience:  # a plateau: divide the learning rate by 3, or stop
                    if decays >= task.max_decays:
                        stopped = True
                        break
                    for g in opt.param_groups:
                        g["lr"] /= 3.0
                    decays, since = decays + 1, 0
    model.load_state_dict(best_state)
    eq = task.equivariance(model, data)
    creg = getattr(opt, "constrained_reg", None)  # constrained mode: the learned multipliers, per layer
    if creg is not None and hasattr(creg, "multipliers"):
        st.info["multipliers"] = {k: float(v) for k, v in creg.multipliers().items()}
    rec = {
        "task": task.name, "setting": setting, "group": task.group, "method": method, "knob": knob, "seed": seed,
        "tuning": tuning, "n_train": int(X.shape[0]), "best_step": best_step, "stopped_step": step,
        "max_steps": task.max_steps, "at_cap": not stopped, "lr_decays": decays,
        "val_metric": best, "test_metric": task.test_metric(model, data), "metric_name": task.metric_name,
        "defect": float(st.reg.layer_defect()), "eq_err_median": eq["eq_err_median"], "eq_err_max": eq["eq_err_max"],
        "wall_s": time.perf_counter() - t0, "ms_per_step": 1e3 * float(np.median(times)),
        "info": {**st.info, **{k: v for k, v in eq.items() if k not in ("eq_err_median", "eq_err_max")}},
        "curve": curve,
    }
    return rec, st


def run_setting(task: Any, setting: float, *, seeds: int, quick: bool, log: Callable[[str], None] = print,
                methods: tuple[str, ...] = M.METHODS) -> dict[str, Any]:
    """Tune every method on seed 0, evaluate the chosen knob on seeds ``1..seeds``; all records."""
    scale = task.loss_scale(setting)
    records: list[dict[str, Any]] = []
    skipped: dict[str, str] = {}
    chosen: dict[str, float] = {}
    cache: dict[int, dict[str, torch.Tensor]] = {}

    def data(seed: int) -> dict[str, torch.Tensor]:
        if seed not in cache:
            cache[seed] = task.data(setting, seed)
        return cache[seed]

    for method in methods:
        why = M.unavailable_reason(method)
        if why is None and method == "generator" and not _has_reps(task):
            why = "not applicable: the spec has projector entries only (no representations)"
        if why is not None:
            skipped[method] = why
            log(f"  [{task.name} {setting}] {method}: {why}")
            continue
        trials = []
        for knob in grid(method, scale, quick=quick):
            rec, _ = train_run(task, method, knob, data(0), seed=0, setting=setting, tuning=True)
            records.append(rec)
            trials.append((rec["val_metric"], knob))
        _, knob = min(trials, key=lambda t: (not np.isfinite(t[0]), t[0]))
        chosen[method] = knob
        runs = []
        for s in range(1, seeds + 1):
            rec, _ = train_run(task, method, knob, data(s), seed=s, setting=setting, tuning=False)
            records.append(rec)
            runs.append(rec)
        tm = [r["test_metric"] for r in runs]
        log(f"  [{task.name} {setting}] {method:13s} knob={knob:.3g} test={np.mean(tm):.4g}"
            f"{f' ± {np.std(tm, ddof=1):.2g}' if len(tm) > 1 else ''} steps={[r['best_step'] for r in runs]}")
    return {"task": task.name, "setting": setting, "scale": scale, "chosen": chosen, "skipped": skipped,
            "records": records}


def _has_reps(task: Any) -> bool:
    spec = task.make_model(0).spec
    return all(getattr(ls, "rho_in", None) is not None for ls in spec.values())


def read_runs(path: Path) -> list[dict[str, Any]]:
    """The records of ``runs.jsonl``."""
    return [json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()]


def _stats(a: list[float]) -> tuple[float, float]:
    x = np.asarray(a, dtype=float)
    return float(x.mean()), float(x.std(ddof=1)) if x.size > 1 else float("nan")


def summarise(records: list[dict[str, Any]]) -> dict[str, Any]:
    """Per (task, setting): mean ± sample std per method, and ours vs the best baseline (paired tests).

    "Ours" is the mode of ours with the lowest tuning-seed validation MSE, the best baseline the
    non-ours method (hard included) with the lowest; both are then compared on the evaluation
    seeds they share (paired t-test and Wilcoxon signed-rank, two-sided).  With 5 pairs the
    Wilcoxon test cannot go below p = 0.0625.
    """
    from scipy import stats

    out: dict[str, Any] = {}
    keys = sorted({(r["task"], r["setting"]) for r in records})
    for task, setting in keys:
        rs = [r for r in records if r["task"] == task and r["setting"] == setting]
        per: dict[str, Any] = {}
        for method in M.METHODS:
            ev = [r for r in rs if r["method"] == method and not r["tuning"]]
            tu = [r for r in rs if r["method"] == method and r["tuning"]]
            if not ev:
                continue
            mean, std = _stats([r["test_metric"] for r in ev])
            tried = sorted({r["knob"] for r in tu})
            per[method] = {
                "knob": ev[0]["knob"], "mean": mean, "std": std, "n": len(ev),
                "edge": bool(len(tried) > 2 and ev[0]["knob"] in (tried[0], tried[-1])),  # chosen at a grid end
                "by_seed": {r["seed"]: r["test_metric"] for r in ev},
                "tune_val": min(r["val_metric"] for r in tu) if tu else float("nan"),
                "at_cap": sum(r["at_cap"] for r in ev), "defect": float(np.mean([r["defect"] for r in ev])),
                "eq_err": float(np.mean([r["eq_err_median"] for r in ev])),
                "wall_s": float(np.mean([r["wall_s"] for r in ev])),
                "ms_per_step": float(np.mean([r["ms_per_step"] for r in ev])),
            }
        ours = [m for m in M.OURS if m in per]
        base = [m for m in per if m not in M.OURS]
        cmp: dict[str, Any] = {}
        if ours and base:
            o = min(ours, key=lambda m: per[m]["tune_val"])
            b = min(base, key=lambda m: per[m]["tune_val"])
            seeds = sorted(set(per[o]["by_seed"]) & set(per[b]["by_seed"]))
            xo = np.array([per[o]["by_seed"][s] for s in seeds])
            xb = np.array([per[b]["by_seed"][s] for s in seeds])
            cmp = {"ours": o, "baseline": b, "n": len(seeds), "mean_diff": float((xo - xb).mean())}
            if len(seeds) >= 2 and np.any(xo != xb):
                cmp["t_p"] = float(stats.ttest_rel(xo, xb).pvalue)
                cmp["wilcoxon_p"] = float(stats.wilcoxon(xo, xb).pvalue)
        out[f"{task}|{setting}"] = {"task": task, "setting": setting, "methods": per, "ours_vs_best": cmp}
    return out


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """One full-size training run, printed as its JSON record (without the curve): a pilot.

    ``python -m experiments.protocol inertia 0.3 ours 1e-2 --relative`` trains ``ours`` with
    ``λ_⊥ = 1e-2 · Var(y)`` on seed 1 of Modified Inertia at ε = 0.3.
    """
    import argparse

    from experiments.tasks import make_task

    p = argparse.ArgumentParser(description="one training run (pilot); prints its record")
    p.add_argument("task", choices=["inertia", "o5", "shapes"])
    p.add_argument("setting", type=float)
    p.add_argument("method", choices=list(M.METHODS))
    p.add_argument("knob", type=float)
    p.add_argument("--relative", action="store_true", help="knob in units of the task's Var(y)")
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args(argv)
    torch.set_num_threads(1)
    task = make_task(a.task)
    knob = a.knob * task.loss_scale(a.setting) if a.relative else a.knob
    rec, _ = train_run(task, a.method, knob, task.data(a.setting, a.seed), seed=a.seed, setting=a.setting,
                       tuning=False)
    rec.pop("curve")
    print(json.dumps(rec))
    return rec


if __name__ == "__main__":
    main()
