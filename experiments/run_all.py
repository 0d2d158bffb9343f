"""Run the experiments and write ``runs.jsonl``, ``summary.json``, ``cost.json``, plots and tables.

``python -m experiments.run_all --quick`` checks every pipeline end to end (tiny models, two
knob values, two evaluation seeds; results in ``experiments/output/quick``); ``python -m
experiments.run_all --full --jobs 2`` is the reported run (5 evaluation seeds, full grids;
sized for about two hours on two cores), which rewrites ``experiments/output/`` and the
``<!-- BEGIN AUTO:name -->`` blocks of ``docs/results.md``.  ``--tasks`` and ``--settings``
restrict a run (pilots).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from experiments import protocol, report
from experiments.tasks import TASKS, make_task

__all__ = ["ACCURACY", "compose", "main"]

ACCURACY = ("inertia", "o5", "shapes")
TITLES = {"inertia": "Modified Inertia, O(3), N = 300", "o5": "O5Synthetic, O(5), N = 300, raw units",
          "shapes": "Rotated shapes, SO(2) harmonic CNN, N = 600"}


def _unit(args: tuple[str, float, bool, int]) -> dict[str, Any]:
    import torch

    torch.set_num_threads(1)
    name, setting, quick, seeds = args
    task = make_task(name, quick)
    t0 = time.perf_counter()
    out = protocol.run_setting(task, setting, seeds=seeds, quick=quick)
    out["seconds"] = time.perf_counter() - t0
    return out


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
    p.add_argument("--seeds", type=int, default=None, help="evaluation seeds (default 5; 2 in --quick)")
    p.add_argument("--out", type=Path, default=None)
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
    units = [(n, s, quick, seeds) for n in a.tasks if n in ACCURACY for s in TASKS[n](quick).settings
             if a.settings is None or s in a.settings]
    if a.jobs > 1 and len(units) > 1:
        with ProcessPoolExecutor(a.jobs) as ex:
            results = list(ex.map(_unit, units))
    else:
        results = [_unit(u) for u in units]
    records = [r for res in results for r in res["records"]]
    fragments: dict[str, str] = {}
    if units:
        with (out / "runs.jsonl").open("w") as f:
            for r in records:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        summary = protocol.summarise(records)
        meta = {res["task"] + "|" + str(res["setting"]): {k: res[k] for k in ("scale", "chosen", "skipped", "seconds")}
                for res in results}
        (out / "summary.json").write_text(json.dumps({"quick": quick, "seeds": seeds, "cells": summary, "units": meta},
                                                     indent=1, ensure_ascii=False))
        for name in dict.fromkeys(u[0] for u in units):
            task = make_task(name, quick)
            fragments[name] = report.accuracy_markdown(summary, name, task.setting_name)
            report.plot_error_vs_setting(summary, name, task.setting_name, img / f"{name}_error_vs_setting.png",
                                         f"{TITLES[name]}: test MSE at the best validation step")
            mid = sorted({u[1] for u in units if u[0] == name})[len({u[1] for u in units if u[0] == name}) // 2]
            report.plot_error_vs_time(records, name, mid, img / f"{name}_error_vs_time.png",
                                      f"{TITLES[name]}, {task.setting_name} = {mid:g}: validation MSE vs time")
            fragments[f"{name}_time"] = report.wallclock_markdown(records, name, mid)
            if img.resolve() == Path("docs/img").resolve():  # embed the plots in docs/results.md
                fragments[name] += (f"\n\n![{TITLES[name]}: test MSE against {task.setting_name}; error bars ± one "
                                    f"sample std over the evaluation seeds, dots: seeds](img/{name}_error_vs_setting.png)")
                fragments[f"{name}_time"] += (f"\n\n![{TITLES[name]}: median best validation MSE against wall-clock "
                                              f"seconds](img/{name}_error_vs_time.png)")
    if "cost" in a.tasks:
        from experiments.cost import measure

        cost = measure(steps=5 if quick else 200, quick=quick)
        (out / "cost.json").write_text(json.dumps(cost, indent=1, ensure_ascii=False))
        fragments["cost"] = report.cost_markdown(cost)
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
