"""Run every experiment and write the tables into ``docs/results.md``.

``python -m experiments.run_all --quick`` checks every pipeline end to end (well under two
minutes on two cores, results in a scratch folder); ``python -m experiments.run_all --full
--jobs 2`` is the reported run (about an hour of CPU on a 2-core machine).  The tables are
inserted between ``<!-- BEGIN AUTO:task -->`` and ``<!-- END AUTO:task -->`` markers of
``docs/results.md``; text outside the markers (the write-up) is preserved.
"""

from __future__ import annotations

import argparse
import importlib
import re
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

__all__ = ["TASKS", "compose", "main"]

TASKS = ("so2_toy", "inertia", "ablation", "o5", "grid_dynamics", "cost")
TITLES = {
    "so2_toy": "T1. SO(2) toy classification",
    "inertia": "T2. Inertia and Modified Inertia (O(3))",
    "ablation": "T2 ablation: ours initialised in Hom_G",
    "o5": "T3. O5Synthetic with a σ breaking term (O(5))",
    "grid_dynamics": "T4. D4 / C4 fields on a periodic grid",
    "cost": "T6. Regulariser cost against m",
}


def _run(task: str, argv: list[str]) -> tuple[str, float]:
    t0 = time.perf_counter()
    importlib.import_module(f"experiments.{task}").main(argv)
    return task, time.perf_counter() - t0


def compose(out: Path, doc: Path, tasks: tuple[str, ...] = TASKS) -> str:
    """Insert the markdown fragments ``out/<task>.md`` into ``doc`` between AUTO markers."""
    text = doc.read_text() if doc.exists() else "# Results\n"
    for t in tasks:
        frag_path = out / f"{t}.md"
        if not frag_path.exists():
            continue
        frag = frag_path.read_text().strip()
        begin, end = f"<!-- BEGIN AUTO:{t} -->", f"<!-- END AUTO:{t} -->"
        block = f"{begin}\n{frag}\n{end}"
        if begin in text and end in text:
            text = re.sub(re.escape(begin) + r".*?" + re.escape(end), lambda _m, b=block: b, text, flags=re.S)
        else:
            text += f"\n## {TITLES[t]}\n\n{block}\n"
    doc.parent.mkdir(parents=True, exist_ok=True)
    doc.write_text(text)
    return text


def main(argv: list[str] | None = None) -> dict[str, Any]:
    p = argparse.ArgumentParser(description="run every experiment")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true")
    mode.add_argument("--full", action="store_true")
    p.add_argument("--jobs", type=int, default=1, help="tasks run in parallel processes")
    p.add_argument("--out", type=Path, default=None)
    p.add_argument("--img", type=Path, default=None)
    p.add_argument("--doc", type=Path, default=None, help="markdown file to update (default docs/results.md in --full)")
    p.add_argument("--tasks", nargs="*", default=list(TASKS), choices=list(TASKS))
    a = p.parse_args(argv)
    out = a.out or Path("experiments/output/quick" if a.quick else "experiments/output")
    img = a.img or (out / "img" if a.quick else Path("docs/img"))
    task_argv = ["--quick" if a.quick else "--full", "--out", str(out), "--img", str(img)]
    t0 = time.perf_counter()
    times: dict[str, float] = {}
    if a.jobs > 1:
        with ProcessPoolExecutor(a.jobs) as ex:
            for task, sec in ex.map(_run, a.tasks, [task_argv] * len(a.tasks)):
                times[task] = sec
    else:
        for t in a.tasks:
            times[t] = _run(t, task_argv)[1]
    doc = a.doc or (None if a.quick else Path("docs/results.md"))
    if doc is not None:
        compose(out, doc, tuple(a.tasks))
    total = time.perf_counter() - t0
    print("seconds per task:", {k: round(v) for k, v in times.items()}, "total:", round(total))
    return {"times": times, "total": total, "out": str(out), "img": str(img)}


if __name__ == "__main__":
    main()
