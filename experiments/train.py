"""Shared training loop, method grids, tuning protocol, result writers (BENCHMARKS.md 1, 3).

Protocol (the same for every method of a task):

1. every method gets the same number of trials (``len(grid[name])``, three by default): the
   unconstrained and hard models tune a plain weight decay, the penalties their λ's;
2. each trial trains with seed 0 and is scored on the validation split (best checkpoint);
3. the winning configuration is re-trained with the remaining seeds; the tables report the
   test metrics of all seeds (seed 0 included), mean ± standard deviation.

Examples
--------
>>> grid = method_grid(trials=2)
>>> list(grid) == METHOD_ORDER, {len(v) for v in grid.values()}
(True, {2})
>>> [m.label() for m in grid["rpp"]]
['a=0.0001, b=1', 'a=0.01, b=1']
>>> fmt([1.0, 2.0, 3.0])
'2 ± 0.816'
"""

from __future__ import annotations

import copy
import json
import os
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from experiments.models import Method, model_defect, model_penalty

__all__ = [
    "METHOD_ORDER",
    "TaskHooks",
    "fmt",
    "method_grid",
    "pin_threads",
    "run_protocol",
    "train_one",
    "write_json",
    "run_fixed",
    "chosen_methods",
    "rel_equivariance_error",
]

METHOD_ORDER = ["unconstrained", "hard", "ours λ_⊥", "ours (λ_G, λ_⊥)", "sample m=1", "sample m=4", "gen", "rpp"]


def pin_threads() -> None:
    """One torch / BLAS thread (BENCHMARKS.md 6)."""
    torch.set_num_threads(1)
    for v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(v, "1")


def method_grid(quick: bool = False, *, trials: int = 3, lam_scale: float = 1.0,
                sample_scale: float = 1.0) -> dict[str, list[Method]]:
    """The tuning grid: ``trials`` (3 or 2: the two strongest settings) per method, one in quick mode.

    ``lam_scale`` rescales the weight-space λ's (``λ_⊥``, generator, RPP ``b``) of a task whose
    parameter count differs by orders of magnitude; ``sample_scale`` the function-space λ of the
    sample-based penalty.
    """
    s, t = lam_scale, sample_scale
    g: dict[str, list[Method]] = {
        "unconstrained": [Method("unconstrained", "free", wd=w) for w in (0.0, 1e-4 * s, 1e-2 * s)],
        "hard": [Method("hard", "hard", wd=w) for w in (0.0, 1e-4 * s, 1e-2 * s)],
        "ours λ_⊥": [Method("ours λ_⊥", "proj", lam_perp=v * s) for v in (1e-3, 1e-1, 10.0)],
        "ours (λ_G, λ_⊥)": [Method("ours (λ_G, λ_⊥)", "proj", lam_G=a * s, lam_perp=b * s)
                            for a, b in ((1e-4, 1e-2), (1e-4, 1.0), (1e-2, 1.0))],
        "sample m=1": [Method("sample m=1", "sample", lam=v * t, m=1) for v in (0.1, 1.0, 10.0)],
        "sample m=4": [Method("sample m=4", "sample", lam=v * t, m=4) for v in (0.1, 1.0, 10.0)],
        "gen": [Method("gen", "gen", lam=v * s) for v in (1e-4, 1e-2, 1.0)],
        # RPP with a = equivariant decay, b = residual decay; same (λ_G ≈ a, λ_⊥ = b) pairs as ours
        "rpp": [Method("rpp", "rpp", a=a * s, b=b * s) for a, b in ((1e-4, 1e-2), (1e-4, 1.0), (1e-2, 1.0))],
    }
    if quick:
        return {k: v[1:2] for k, v in g.items()}
    return {k: v[3 - trials:] for k, v in g.items()}


class TaskHooks:
    """What the loop needs from a task.

    Attributes
    ----------
    make_model : callable (kind, seed) -> nn.Module
    loss : callable (pred, target) -> scalar tensor
    sample_group : callable (m, rng) -> list of group elements accepted by ``model.act_in``
    evaluate : callable (model, split dict) -> dict of floats (test metrics; "val" key used for tuning)
    val_score : callable (model, split dict) -> float, lower is better
    """

    def __init__(self, make_model: Callable[[str, int], nn.Module], loss: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
                 sample_group: Callable[[int, np.random.Generator], list[Any]],
                 evaluate: Callable[[nn.Module, dict[str, torch.Tensor]], dict[str, float]],
                 val_score: Callable[[nn.Module, dict[str, torch.Tensor]], float]):
        self.make_model = make_model
        self.loss = loss
        self.sample_group = sample_group
        self.evaluate = evaluate
        self.val_score = val_score


def _sample_penalty(model: nn.Module, x: torch.Tensor, fx: torch.Tensor, gs: list[Any]) -> torch.Tensor:
    """``(1/m) Σ_j mean ‖f(ρ_in(g_j) x) − ρ_out(g_j) f(x)‖²`` (BENCHMARKS 3), averaged like the MSE loss."""
    tot = fx.new_zeros(())
    for g in gs:
        out = model(model.act_in(g, x))
        tgt = fx if getattr(model, "invariant_output", False) else model.act_out(g, fx)
        tot = tot + ((out - tgt) ** 2).mean()
    return tot / len(gs)


def train_one(hooks: TaskHooks, method: Method, data: dict[str, torch.Tensor], *, seed: int, steps: int,
              lr: float, batch: int | None, eval_every: int = 25) -> dict[str, Any]:
    """Train one model; return test metrics at the best validation checkpoint plus cost figures."""
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed + 1000)
    model = hooks.make_model(method.kind, seed)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    X, Y = data["x_train"], data["y_train"]
    n = X.shape[0]
    best, best_state, best_step = float("inf"), None, 0
    times = []
    for step in range(1, steps + 1):
        t0 = time.perf_counter()
        if batch is None or batch >= n:
            xb, yb = X, Y
        else:
            idx = torch.as_tensor(rng.choice(n, batch, replace=False))
            xb, yb = X[idx], Y[idx]
        pred = model(xb)
        loss = hooks.loss(pred, yb)
        if method.kind == "sample":
            loss = loss + method.lam * _sample_penalty(model, xb, pred, hooks.sample_group(method.m, rng))
        else:
            loss = loss + model_penalty(model, method)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        times.append(time.perf_counter() - t0)
        if step % eval_every == 0 or step == steps:
            with torch.no_grad():
                v = hooks.val_score(model, data)
            if v < best or best_state is None:
                best, best_step, best_state = v, step, copy.deepcopy(model.state_dict())
    assert best_state is not None
    model.load_state_dict(best_state)
    with torch.no_grad():
        metrics = hooks.evaluate(model, data)
    metrics.update(val=best, best_step=best_step, defect=model_defect(model),
                   ms_per_step=1e3 * float(np.median(times[len(times) // 10:])))
    metrics["_model"] = model
    return metrics


def run_protocol(hooks: TaskHooks, grid: dict[str, list[Method]], data_fn: Callable[[int], dict[str, torch.Tensor]],
                 *, seeds: int, log: Callable[[str], None] = print, **train_kw: Any) -> dict[str, Any]:
    """Tune every method on seed 0 (validation), re-run the winner on the other seeds."""
    out: dict[str, Any] = {}
    data0 = data_fn(0)
    for name, trials in grid.items():
        scored = []
        for m in trials:
            r = train_one(hooks, m, data0, seed=0, **train_kw)
            scored.append((r["val"], m, r))
        scored.sort(key=lambda t: t[0])
        _, best_m, best_r = scored[0]
        runs = [best_r]
        for s in range(1, seeds):
            runs.append(train_one(hooks, best_m, data_fn(s), seed=s, **train_kw))
        models = [r.pop("_model") for r in runs]
        for _, _, r in scored[1:]:
            r.pop("_model", None)
        out[name] = {"method": asdict(best_m), "label": best_m.label(),
                     "trials": [{"label": m.label(), "val": float(v)} for v, m, _ in scored],
                     "runs": runs, "_models": models}
        summary = ", ".join(f"{k}={np.mean([r[k] for r in runs]):.4g}" for k in runs[0] if k not in ("val",))
        log(f"  {name:18s} [{best_m.label()}] {summary}")
    return out


def fmt(values: list[float], digits: int = 3) -> str:
    """``mean ± std`` (population std over seeds)."""
    a = np.asarray(values, dtype=float)
    return f"{a.mean():.{digits}g} ± {a.std():.{digits}g}"


def _clean(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _clean(v) for k, v in obj.items() if not str(k).startswith("_")}
    if isinstance(obj, list | tuple):
        return [_clean(v) for v in obj]
    if isinstance(obj, np.floating | np.integer):
        return obj.item()
    return obj


def write_json(path: Path, obj: Any) -> None:
    """Write results (private ``_keys`` dropped) as JSON."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(_clean(obj), indent=1, ensure_ascii=False))


def finish_task(args: Any, stem: str, label: str, results: dict[str, Any], md: list[str], t0: float) -> dict[str, Any]:
    """Record the wall time, write ``<out>/<stem>.json`` and ``<out>/<stem>.md``, print a one-line summary."""
    results["seconds"] = time.perf_counter() - t0
    write_json(args.out / f"{stem}.json", results)
    (args.out / f"{stem}.md").write_text("\n\n".join(md) + "\n")
    print(f"{label} done in {results['seconds']:.0f} s")
    return results


def table(rows: list[list[str]], header: list[str]) -> str:
    """A GitHub-flavoured markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def common_args(argv: list[str] | None, description: str) -> Any:
    """``--quick`` / ``--full``, ``--seeds``, ``--out`` (JSON + markdown), ``--img`` (PNG)."""
    import argparse

    p = argparse.ArgumentParser(description=description)
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="tiny end-to-end run (pipeline check, < 30 s)")
    mode.add_argument("--full", action="store_true", help="the full run reported in docs/results.md (default)")
    p.add_argument("--seeds", type=int, default=None, help="seeds per method (default 3; 1 in quick mode)")
    p.add_argument("--out", type=Path, default=Path("experiments/output"), help="folder for JSON and markdown")
    p.add_argument("--img", type=Path, default=Path("docs/img"), help="folder for PNG plots")
    a = p.parse_args(argv)
    if a.seeds is None:
        a.seeds = 1 if a.quick else 3
    a.out.mkdir(parents=True, exist_ok=True)
    a.img.mkdir(parents=True, exist_ok=True)
    return a


def plot_lines(path: Path, xs: list[float], series: dict[str, tuple[list[float], list[float]]], *, xlabel: str,
               ylabel: str, title: str, logy: bool = True, logx: bool = False) -> None:
    """One line per method with ± std error bars, saved as PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 4.2), dpi=110)
    # methods often coincide (e.g. the exactly equivariant ones): distinct markers and dashes, and a small
    # horizontal dodge, keep every line visible
    markers, dashes = "osD^vPX*<>", ["-", "--", "-.", ":"]
    span = (max(xs) - min(xs)) if len(xs) > 1 else 1.0
    n = max(1, len(series))
    for k, (name, (mean, std)) in enumerate(series.items()):
        off = (k - (n - 1) / 2) / n
        xk = [x * 1.08 ** off for x in xs] if logx else [x + 0.025 * span * off for x in xs]
        ax.errorbar(xk, mean, yerr=std, marker=markers[k % len(markers)], ls=dashes[k % len(dashes)], ms=5,
                    mfc="none" if k % 2 else None, capsize=2, lw=1.3, alpha=0.9, label=name)
    if logy:
        ax.set_yscale("log")
    if logx:
        ax.set_xscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def run_fixed(hooks: TaskHooks, chosen: dict[str, Method], data_fn: Callable[[int], dict[str, torch.Tensor]], *,
              seeds: int, log: Callable[[str], None] = print, **train_kw: Any) -> dict[str, Any]:
    """Train already-selected configurations on ``seeds`` seeds (no tuning)."""
    out: dict[str, Any] = {}
    for name, m in chosen.items():
        runs = [train_one(hooks, m, data_fn(s), seed=s, **train_kw) for s in range(seeds)]
        for r in runs:
            r.pop("_model")
        out[name] = {"method": asdict(m), "label": m.label(), "runs": runs}
        summary = ", ".join(f"{k}={np.mean([r[k] for r in runs]):.4g}" for k in runs[0] if k not in ("val",))
        log(f"  {name:18s} [{m.label()}] {summary}")
    return out


def chosen_methods(res: dict[str, Any]) -> dict[str, Method]:
    """The winning :class:`Method` of every entry of a :func:`run_protocol` result."""
    return {k: Method(**v["method"]) for k, v in res.items()}


def rel_equivariance_error(model: nn.Module, x: torch.Tensor, gs: list[Any]) -> tuple[float, float]:
    """Median and max over points and group elements of the relative error of BENCHMARKS 1.

    ``2 ‖f(ρ_in(g) x) − ρ_out(g) f(x)‖ / (‖f(ρ_in(g) x)‖ + ‖ρ_out(g) f(x)‖ + 1e-12)``.
    """
    with torch.no_grad():
        fx = model(x)
        errs = []
        for g in gs:
            a = model(model.act_in(g, x))
            b = fx if getattr(model, "invariant_output", False) else model.act_out(g, fx)
            a, b = a.reshape(x.shape[0], -1), b.reshape(x.shape[0], -1)
            errs.append(2 * (a - b).norm(dim=1) / (a.norm(dim=1) + b.norm(dim=1) + 1e-12))
        e = torch.cat(errs)
    return float(e.median()), float(e.max())
