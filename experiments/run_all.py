"""Run the experiments and write ``runs.jsonl``, ``summary.json``, ``cost.json``, plots and tables.

``python -m experiments.run_all --quick`` checks every pipeline end to end (tiny models, two
knob values, two evaluation seeds; results in ``experiments/output/quick``); ``python -m
experiments.run_all --full --jobs 2`` is the reported run (5 evaluation seeds, full grids;
sized for about two hours on two cores), which rewrites ``experiments/output/`` and the
``<!-- BEGIN AUTO:name -->`` blocks of ``docs/results.md``.  ``--tasks`` and ``--settings``
restrict a run (pilots).

The work is split into units, one per (task, setting, method); each finished unit is saved
under ``<out>/parts/`` with a :func:`signature` of the protocol and the task's budget, and a
later run reuses every saved unit whose signature still matches (``--fresh`` reruns them
all).  An interrupted ``--full`` run therefore continues where it stopped.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from experiments import methods as M
from experiments import protocol, report
from experiments.tasks import TASKS, make_task

__all__ = ["ACCURACY", "compose", "main", "reusable", "signature"]

PROTOCOL_VERSION = 3  # bump when train_run's logic changes: saved parts of older versions are rerun

ACCURACY = ("inertia", "o5", "shapes")
TITLES = {"inertia": "Modified Inertia, O(3), N = 300", "o5": "O5Synthetic, O(5), N = 300, raw units",
          "shapes": "Rotated shapes, SO(2) harmonic CNN, N = 600"}


def _unit(args: tuple[str, float, str, bool, int]) -> dict[str, Any]:
    """One (task, setting, method): tuning on seed 0, then the evaluation seeds."""
    import torch

    torch.set_num_threads(1)
    name, setting, method, quick, seeds = args
    task = make_task(name, quick)
    t0 = time.perf_counter()
    out = protocol.run_setting(task, setting, seeds=seeds, quick=quick, methods=(method,))
    out["seconds"] = time.perf_counter() - t0
    return out


def signature(name: str, quick: bool, seeds: int, max_steps: int | None = None) -> str:
    """A digest of everything that decides a unit's runs: protocol constants, the task's budget and sizes.

    A saved part is reused only under the same signature, so a changed grid, budget or
    seed count reruns its units instead of mixing old and new runs.  ``max_steps`` replaces
    the task's step cap in the digest (the signature a part saved under another cap carries).
    """
    task = make_task(name, quick)
    keys = {k: v for k, v in vars(task).items() if isinstance(v, (int, float, str, bool, tuple, type(None)))}
    if max_steps is not None:
        keys["max_steps"] = max_steps
    consts = {k: getattr(protocol, k) for k in ("W_GRID", "F_GRID", "P_GRID", "TAU_GRID", "MIN_DELTA")}
    blob = json.dumps({"task": name, "quick": quick, "seeds": seeds, "budget": keys, "protocol": consts,
                       "version": PROTOCOL_VERSION}, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def reusable(saved: dict[str, Any], unit: tuple[str, float, str, bool, int]) -> dict[str, Any] | None:
    """The result of a saved part when the current protocol would reproduce it exactly (else None).

    Same signature: yes.  Saved under a *lower* step cap, otherwise the same signature: yes when
    none of its runs reached that cap (every run stopped by the plateau rule first, so a higher
    cap changes nothing); its records then carry the current cap.
    """
    name, _, _, quick, seeds = unit
    res = saved.get("result")
    if not isinstance(res, dict):
        return None
    if saved.get("signature") == signature(name, quick, seeds):
        return res
    recs = res.get("records", [])
    caps = {r.get("max_steps") for r in recs}
    cap = make_task(name, quick).max_steps
    if len(caps) != 1 or not recs:
        return None
    old = caps.pop()
    if not isinstance(old, int) or old >= cap or saved.get("signature") != signature(name, quick, seeds, old):
        return None
    if any(r.get("at_cap") or r.get("stopped_step", cap) >= old for r in recs):
        return None
    for r in recs:
        r["max_steps"] = cap
    return res


def _part_path(parts: Path, unit: tuple[str, float, str, bool, int]) -> Path:
    return parts / f"{unit[0]}_{unit[1]:g}_{unit[2]}.json"


def _run_or_reuse(unit: tuple[str, float, str, bool, int], parts: Path, fresh: bool) -> dict[str, Any] | None:
    """The saved result of ``unit`` when the current protocol would reproduce it (None: it must run)."""
    path = _part_path(parts, unit)
    if fresh or not path.exists():
        return None
    try:
        saved = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return reusable(saved, unit) if isinstance(saved, dict) else None


def _run_units(units: list[tuple[str, float, str, bool, int]], parts: Path, jobs: int,
               fresh: bool, report_only: bool = False) -> list[dict[str, Any]]:
    """Run the units that have no saved part (in ``jobs`` processes), saving each part as it finishes.

    With ``report_only`` nothing runs: the result holds the saved units only (a partial report).
    """
    sigs = {n: signature(n, units[0][3], units[0][4]) for n in {u[0] for u in units}}
    results: dict[int, dict[str, Any]] = {}
    todo = []
    for i, u in enumerate(units):
        got = _run_or_reuse(u, parts, fresh)
        if got is None:
            todo.append(i)
        else:
            results[i] = got
    print(f"{len(units) - len(todo)} of {len(units)} units reused from {parts}, {len(todo)} to run", flush=True)
    if report_only:
        return [results[i] for i in range(len(units)) if i in results]

    def save(i: int, res: dict[str, Any]) -> None:
        results[i] = res
        tmp = _part_path(parts, units[i]).with_suffix(".tmp")
        tmp.write_text(json.dumps({"signature": sigs[units[i][0]], "result": res}, ensure_ascii=False))
        tmp.replace(_part_path(parts, units[i]))

    if jobs > 1 and len(todo) > 1:
        with ProcessPoolExecutor(jobs) as ex:
            futs = {ex.submit(_unit, units[i]): i for i in todo}
            for f in as_completed(futs):
                save(futs[f], f.result())
    else:
        for i in todo:
            save(i, _unit(units[i]))
    return [results[i] for i in range(len(units))]


def _merge(results: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per (task, setting): the chosen knobs, skipped methods and seconds of its method units."""
    meta: dict[str, dict[str, Any]] = {}
    for res in results:
        m = meta.setdefault(res["task"] + "|" + str(res["setting"]),
                            {"scale": res["scale"], "chosen": {}, "skipped": {}, "seconds": 0.0})
        m["chosen"].update(res["chosen"])
        m["skipped"].update(res["skipped"])
        m["seconds"] += res["seconds"]
    return meta


def compose(fragments: dict[str, str], doc: Path) -> str:
    """Replace the text between ``<!-- BEGIN AUTO:k -->`` and ``<!-- END AUTO:k -->`` by ``fragments[k]``."""
    text = doc.read_text() if doc.exists() else "# Results\n"
    for k, frag in fragments.items():
        begin, end = f"<!-- BEGIN AUTO:{k} -->", f"<!-- END AUTO:{k} -->"
        block = f"{begin}\n{frag.strip()}\n{end}"
        if begin in text and end in text:
            text = re.sub(re.escape(begin) + r".*?" + re.escape(end), lambda _m, b=block: b, text, flags=re.S)
        else:
            text += f"\n{block}\n"
    doc.write_text(text)
    return text


def main(argv: list[str] | None = None) -> dict[str, Any]:
    p = argparse.ArgumentParser(description="run the experiments of docs/results.md")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="pipeline check (CI)")
    mode.add_argument("--full", action="store_true", help="the reported run")
    p.add_argument("--jobs", type=int, default=1, help="(task, setting) units run in parallel processes")
    p.add_argument("--tasks", nargs="*", default=[*ACCURACY, "cost"], choices=[*ACCURACY, "cost"])
    p.add_argument("--settings", nargs="*", type=float, default=None, help="only these settings")
    p.add_argument("--methods", nargs="*", default=None, choices=list(M.METHODS), help="only these methods")
    p.add_argument("--seeds", type=int, default=None, help="evaluation seeds (default 5; 2 in --quick)")
    p.add_argument("--out", type=Path, default=None)
    p.add_argument("--fresh", action="store_true",
                   help="rerun every unit (default: reuse the saved parts whose signature matches)")
    p.add_argument("--report-only", action="store_true",
                   help="run nothing: tables, plots and docs from the saved parts whose signature matches "
                        "(a partial report while units are pending)")
    p.add_argument("--img", type=Path, default=None)
    p.add_argument("--doc", type=Path, default=None,
                   help="markdown file to update (default: docs/results.md in --full without --out)")
    a = p.parse_args(argv)
    quick = a.quick
    seeds = a.seeds or (2 if quick else 5)
    out = a.out or Path("experiments/output/quick" if quick else "experiments/output")
    img = a.img or (out / "img" if quick else Path("docs/img"))
    out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    t0 = time.perf_counter()
    units = [(n, s, m, quick, seeds) for n in a.tasks if n in ACCURACY for s in TASKS[n](quick).settings
             if a.settings is None or s in a.settings for m in M.METHODS if a.methods is None or m in a.methods]
    parts = out / "parts"
    parts.mkdir(exist_ok=True)
    results = _run_units(units, parts, a.jobs, a.fresh, a.report_only) if units else []
    pending = len(units) - len(results)
    done_units = {(r["task"], r["setting"], m) for r in results for m in [*r["chosen"], *r["skipped"]]}
    incomplete = {(u[0], u[1]) for u in units if (u[0], u[1], u[2]) not in done_units}
    records = [r for res in results for r in res["records"]]
    fragments: dict[str, str] = {}
    cost = None
    if "cost" in a.tasks and not a.report_only:  # measured after the training units, so the machine is as quiet as this run makes it
        from experiments.cost import measure

        cost = measure(steps=5 if quick else 200, quick=quick)
        (out / "cost.json").write_text(json.dumps(cost, indent=1, ensure_ascii=False))
        fragments["cost"] = report.cost_markdown(cost)
    elif (out / "cost.json").exists():  # an earlier run's table converts steps to seconds
        cost = json.loads((out / "cost.json").read_text())
        fragments["cost"] = report.cost_markdown(cost)
    if units:
        from experiments.cost import TASK_ROWS

        with (out / "runs.jsonl").open("w") as f:
            for r in records:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        summary = protocol.summarise(records)
        fragments["health"] = report.health_markdown(records)
        meta = _merge(results)
        (out / "summary.json").write_text(json.dumps({"quick": quick, "seeds": seeds, "cells": summary, "units": meta},
                                                     indent=1, ensure_ascii=False))
        for name in dict.fromkeys(r["task"] for r in results):
            task = make_task(name, quick)
            fragments[name] = report.accuracy_markdown(summary, name, task.setting_name,
                                                       frozenset(s for t, s in incomplete if t == name))
            pub = [f"- {task.setting_name} = {k:g}: {v}" for k, v in task.published.items()]
            if pub:
                fragments[name] += "\n\nPublished test MSE on the same equations (see the reference table):\n" + \
                    "\n".join(pub)
            report.plot_error_vs_setting(summary, name, task.setting_name, img / f"{name}_error_vs_setting.png",
                                         f"{TITLES[name]}: test MSE at the best validation step")
            done = sorted({r["setting"] for r in results if r["task"] == name})
            mid = done[len(done) // 2]
            sec = report.step_seconds(cost, TASK_ROWS.get(name))
            report.plot_error_vs_time(records, name, mid, img / f"{name}_error_vs_time.png",
                                      f"{TITLES[name]}, {task.setting_name} = {mid:g}: validation MSE vs time", sec)
            fragments[f"{name}_time"] = report.wallclock_markdown(records, name, mid, sec)
            if img.resolve() == Path("docs/img").resolve():  # embed the plots in docs/results.md
                fragments[name] += (f"\n\n![{TITLES[name]}: test MSE against {task.setting_name}; error bars ± one "
                                    f"sample std over the evaluation seeds (a lower bar that would cross zero stops at the "
                                    f"lowest seed), dots: seeds](img/{name}_error_vs_setting.png)")
                fragments[f"{name}_time"] += (f"\n\n![{TITLES[name]}: median best validation MSE against "
                                              f"seconds](img/{name}_error_vs_time.png)")
    if pending:  # a partial report says so in every block it writes
        missing = sorted(f"{t} {s:g}" for t, s in incomplete)
        note = (f"*Partial report: {pending} of {len(units)} units are still pending "
                f"(cells with pending methods: {', '.join(missing)}).*\n\n")
        fragments = {k: note + v for k, v in fragments.items() if k != "cost"} | (
            {"cost": fragments["cost"]} if "cost" in fragments else {})
    for k, v in fragments.items():
        (out / f"{k}.md").write_text(v + "\n")
    doc = a.doc or (Path("docs/results.md") if not quick and a.out is None else None)
    if doc is not None:
        compose(fragments, doc)
    total = time.perf_counter() - t0
    print(f"done in {total:.0f} s: {len(records)} runs -> {out}")
    return {"total": total, "out": str(out), "img": str(img), "records": len(records), "units": units}


if __name__ == "__main__":
    main()
