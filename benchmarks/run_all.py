"""Run every benchmark script (``bench_*.py``) and collect JSON lines in ``benchmarks/results/``.

Run::

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 python benchmarks/run_all.py [--quick] [--only NAME ...]

Each script runs in its own process (so first-call timings are cold) with BLAS pinned to one
thread; its JSON lines go to ``benchmarks/results/<script>.jsonl`` (overwritten).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="small cases only (minutes)")
    p.add_argument("--only", nargs="*", default=None, help="script names without bench_ and .py")
    args = p.parse_args(argv)
    env = dict(os.environ)
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env[var] = "1"
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    failures = 0
    for script in sorted(HERE.glob("bench_*.py")):
        name = script.stem.removeprefix("bench_")
        if args.only and name not in args.only:
            continue
        out = results / f"{script.stem}.jsonl"
        out.unlink(missing_ok=True)
        cmd = [sys.executable, str(script), "--out", str(out)] + (["--quick"] if args.quick else [])
        print(f"== {' '.join(cmd)}", flush=True)
        t0 = time.perf_counter()
        rc = subprocess.call(cmd, env=env, stdout=subprocess.DEVNULL)
        print(f"   exit {rc} in {time.perf_counter() - t0:.1f} s -> {out}", flush=True)
        failures += rc != 0
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
