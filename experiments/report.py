"""Tables and plots from ``runs.jsonl`` / ``cost.json`` (markdown fragments and PNG files).

Examples
--------
>>> fmt(1.0, 0.5)
'1 ± 0.5'
>>> time_to_target([(10, 1.0, 5.0), (20, 2.0, 0.9)], 1.0)
2.0
>>> time_to_target([(10, 1.0, 5.0), (20, 2.0, 0.9)], 1.0, sec_per_step=0.01)
0.2
"""

from __future__ import annotations

import math
import textwrap
from pathlib import Path
from typing import Any

import numpy as np

from experiments import methods as M

__all__ = ["accuracy_markdown", "cost_markdown", "fmt", "health_markdown", "plot_error_vs_setting", "plot_error_vs_time",
           "step_seconds", "time_to_target", "wallclock_markdown"]

STYLE = {  # colour-blind friendly (Okabe–Ito), distinct markers and dashes
    "unconstrained": ("#000000", "o", "-"), "hard": ("#E69F00", "s", "-"), "ours": ("#0072B2", "D", "-"),
    "ours-PW0": ("#56B4E9", "d", "--"), "ours-prox": ("#009E73", "^", "-"), "ours-tol": ("#CC79A7", "v", "-"),
    "sample-m1": ("#D55E00", "<", ":"), "sample-m4": ("#882255", ">", "-."), "augment": ("#999999", "P", "--"),
    "generator": ("#117733", "X", ":"), "rpp": ("#7F3C8D", "*", "--"),
}
WALL_METHODS = ("hard", "ours", "ours-prox", "ours-tol", "sample-m1", "sample-m4", "augment", "rpp")


def fmt(mean: float, std: float, digits: int = 3) -> str:
    """``mean ± std`` (std = sample standard deviation over seeds)."""
    if not math.isfinite(std):
        return f"{mean:.{digits}g}"
    return f"{mean:.{digits}g} ± {std:.{digits}g}"


def _table(rows: list[list[str]], header: list[str]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows])


def _p(x: Any) -> str:
    return "—" if x is None else f"{x:.3g}"


def accuracy_markdown(summary: dict[str, Any], task: str, setting_name: str,
                      incomplete: frozenset[float] = frozenset()) -> str:
    """One table per task: test metric mean ± std per method and setting, and the paired tests.

    Settings in ``incomplete`` (cells with pending units) get no paired test: "ours vs the best
    baseline" is only meaningful once every method of the cell has run.
    """
    cells = {k: v for k, v in summary.items() if v["task"] == task}
    if not cells:
        return ""
    settings = sorted({v["setting"] for v in cells.values()})
    rows = []
    for m in M.METHODS:
        r = [m]
        present = False
        for s in settings:
            c = cells.get(f"{task}|{s}", {}).get("methods", {}).get(m)
            if c is None:
                r.append("n/a")
                continue
            present = True
            cap = f" ({c['at_cap']} at cap)" if c["at_cap"] else ""
            edge = " (grid end)" if c.get("edge") else ""
            r.append(f"{fmt(c['mean'], c['std'])}{cap}<br>knob {c['knob']:.2g}{edge}, defect {c['defect']:.1e}")
        if present:
            rows.append(r)
    out = [_table(rows, ["method", *[f"{setting_name} = {s:g}" for s in settings]])]
    tests = []
    for s in settings:
        c = cells[f"{task}|{s}"]["ours_vs_best"]
        if s in incomplete:
            tests.append([f"{s:g}", "—", "—", "—", "—", "—", "cell incomplete (units pending)"])
        elif c:
            tests.append([f"{s:g}", c["ours"], c["baseline"], str(c["n"]), f"{c['mean_diff']:+.3g}",
                          _p(c.get("t_p")), _p(c.get("wilcoxon_p"))])
    if tests:
        out.append(_table(tests, [setting_name, "ours (mode)", "best baseline", "pairs", "mean diff (ours − base)",
                                  "paired t p", "Wilcoxon p"]))
    return "\n\n".join(out)


def health_markdown(records: list[dict[str, Any]]) -> str:
    """Convergence of the protocol: runs at the step cap, learning-rate divisions, steps, per task."""
    rows = []
    for task in dict.fromkeys(r["task"] for r in records):
        for tuning in (False, True):
            rs = [r for r in records if r["task"] == task and bool(r["tuning"]) == tuning]
            if not rs:
                continue
            cap = sum(bool(r["at_cap"]) for r in rs)
            best = np.array([r["best_step"] for r in rs])
            rows.append([task, "tuning (seed 0)" if tuning else "evaluation (seeds 1–5)", str(len(rs)),
                         f"{cap} ({100 * cap / len(rs):.1f} %)", f"{int(np.median(best))}", f"{int(best.max())}",
                         str(rs[0]["max_steps"])])
    return _table(rows, ["task", "runs", "n", "stopped by the cap", "median best step", "max best step", "cap"])


def cost_markdown(cost: list[dict[str, Any]]) -> str:
    """Median ms per step and ratio to the unconstrained step, one row per model."""
    rows_ = list(dict.fromkeys(c["row"] for c in cost))
    meths = list(dict.fromkeys(c["method"] for c in cost))
    by = {(c["row"], c["method"]): c for c in cost}
    rows = []
    for r in rows_:
        rows.append([r] + [f"{by[r, m]['median_ms']:.2f} ({by[r, m]['ratio']:.2f}×)" if (r, m) in by else "n/a"
                           for m in meths])
    return _table(rows, ["model", *meths])


def time_to_target(curve: list[Any], target: float, sec_per_step: float | None = None) -> float | None:
    """Seconds at the first validation evaluation ≤ ``target`` (None if never).

    ``curve`` holds ``(step, wall seconds, validation MSE)``; with ``sec_per_step`` the time is
    ``step · sec_per_step`` (the quiet, interleaved cost of the method's step) instead of the
    recorded wall clock, which a loaded machine inflates.
    """
    for step, t, v in curve:
        if v <= target:
            return float(t) if sec_per_step is None else float(step) * sec_per_step
    return None


def step_seconds(cost: list[dict[str, Any]] | None, row: str | None) -> dict[str, float] | None:
    """Seconds per step of each method on the cost table's ``row`` (``ours-PW0`` costs what ``ours`` does)."""
    if not cost or row is None:
        return None
    out = {c["method"]: c["median_ms"] / 1e3 for c in cost if c["row"] == row}
    if "ours" in out:
        out.setdefault("ours-PW0", out["ours"])
    return out or None


def _plt() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_error_vs_setting(summary: dict[str, Any], task: str, setting_name: str, path: Path, title: str) -> None:
    """Test metric against the symmetry-breaking strength: mean ± sample std, dots = seeds."""
    plt = _plt()
    cells = {v["setting"]: v["methods"] for v in summary.values() if v["task"] == task}
    if not cells:
        return
    settings = sorted(cells)
    present = [m for m in M.METHODS if any(m in cells[s] for s in settings)]
    fig, ax = plt.subplots(figsize=(8.5, 4.8), dpi=120)
    for j, m in enumerate(present):
        col, mk, ls = STYLE[m]
        off = (j - (len(present) - 1) / 2) * 0.7 / max(len(present), 1)  # categorical x: one slot per method
        idx = [i for i, s in enumerate(settings) if m in cells[s]]
        xs = [i + off for i in idx]
        mean = np.array([cells[settings[i]][m]["mean"] for i in idx])
        std = np.array([0.0 if not math.isfinite(cells[settings[i]][m]["std"]) else cells[settings[i]][m]["std"]
                        for i in idx])
        lowest = np.array([min(cells[settings[i]][m]["by_seed"].values()) for i in idx])
        lower = np.where(mean - std > 0, std, mean - lowest)  # log scale: clip at the lowest seed
        ax.errorbar(xs, mean, yerr=[lower, std], color=col, marker=mk, ls=ls, capsize=3, lw=1.4, ms=6, label=m)
        for x, i in zip(xs, idx, strict=True):
            vals = list(cells[settings[i]][m]["by_seed"].values())
            ax.scatter([x] * len(vals), vals, color=col, s=9, alpha=0.45, zorder=1)
    ax.set_yscale("log")
    ax.set_xticks(range(len(settings)), [f"{v:g}" for v in settings])
    ax.set_xlabel(f"symmetry-breaking strength {setting_name}")
    ax.set_ylabel("test MSE (log scale)")
    ax.set_title(textwrap.fill(title, 60), fontsize=10)
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=7.5, ncol=2, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, bbox_inches="tight")
    plt.close(fig)


def plot_error_vs_time(records: list[dict[str, Any]], task: str, setting: float, path: Path, title: str,
                       sec: dict[str, float] | None = None) -> None:
    """Best-so-far validation MSE against seconds, median over the evaluation seeds.

    With ``sec`` (method → quiet seconds per step, :func:`step_seconds`) the time axis is
    ``step · sec[method]``; without it, the recorded wall clock.
    """
    plt = _plt()
    fig, ax = plt.subplots(figsize=(7.5, 4.6), dpi=120)
    any_line = False
    for m in WALL_METHODS:
        runs = [r for r in records if r["task"] == task and r["setting"] == setting and r["method"] == m
                and not r["tuning"] and r.get("curve")]
        if not runs or (sec is not None and m not in sec):
            continue

        def times(r: dict[str, Any], m: str = m) -> np.ndarray:
            return np.array([c[0] * sec[m] if sec is not None else c[1] for c in r["curve"]])

        t_end = max(times(r)[-1] for r in runs)
        t_start = max(times(r)[0] for r in runs)  # from where every seed has a value (a true median)
        grid = np.geomspace(max(t_start, 1e-3), t_end, 60)
        ys = []
        for r in runs:
            t = times(r)
            v = np.minimum.accumulate(np.array([c[2] for c in r["curve"]]))
            idx = np.searchsorted(t, grid, side="right") - 1
            ys.append(np.where(idx >= 0, v[np.clip(idx, 0, None)], np.nan))
        med = np.nanmedian(np.array(ys), axis=0)
        col, _mk, ls = STYLE[m]
        ax.plot(grid, med, color=col, ls=ls, lw=1.8, label=m)
        any_line = True
    if not any_line:
        plt.close(fig)
        return
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("seconds: steps × quiet interleaved ms/step (one thread)" if sec is not None
                  else "wall-clock seconds (one thread, shared machine)")
    ax.set_ylabel("best validation MSE so far (median over seeds)")
    ax.set_title(textwrap.fill(title, 60), fontsize=10)
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=7.5, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, bbox_inches="tight")
    plt.close(fig)


def wallclock_markdown(records: list[dict[str, Any]], task: str, setting: float,
                       sec: dict[str, float] | None = None) -> str:
    """Time to a target validation MSE (twice the best method's median best) and the test MSE reached.

    With ``sec`` (:func:`step_seconds`) times are steps × the quiet per-step cost of the method.
    """
    runs = [r for r in records if r["task"] == task and r["setting"] == setting and not r["tuning"]]
    if not runs:
        return ""
    best = {m: float(np.median([r["val_metric"] for r in runs if r["method"] == m]))
            for m in WALL_METHODS if any(r["method"] == m for r in runs)}
    if not best:
        return ""
    target = 2.0 * min(best.values())
    rows = []
    for m in best:
        rs = [r for r in runs if r["method"] == m]
        if sec is not None and m not in sec:
            continue
        s_m = None if sec is None else sec[m]
        tt = [time_to_target(r["curve"], target, s_m) for r in rs]
        hit = [t for t in tt if t is not None]
        ms = 1e3 * s_m if s_m is not None else float(np.median([r["ms_per_step"] for r in rs]))
        rows.append([m, f"{len(hit)}/{len(rs)}", f"{np.median(hit):.1f}" if hit else "—", f"{ms:.2f}",
                     fmt(float(np.mean([r["test_metric"] for r in rs])),
                         float(np.std([r["test_metric"] for r in rs], ddof=1)) if len(rs) > 1 else float("nan"))])
    clock = ("seconds = steps × the method's quiet interleaved ms/step from the cost table" if sec is not None
             else "recorded wall-clock seconds (shared machine: inflated by its load)")
    head = (f"Target validation MSE {target:.3g} (twice the lowest median best validation MSE); {clock}.")
    return head + "\n\n" + _table(rows, ["method", "seeds reaching target", "median seconds to target",
                                         "ms / step", "test MSE at best step"])
