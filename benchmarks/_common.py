"""Shared helpers for the benchmark scripts: thread pinning, timing, JSON lines.

Every script pins BLAS/OpenMP to one thread *before* numpy is imported (import this module
first), times a loop with ``time.perf_counter``, and reports medians and the interquartile
range.  Results are JSON lines that carry the command, versions and thread settings.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ.setdefault(_var, "1")


def versions() -> dict[str, str]:
    """Versions of the libraries that matter for timings."""
    out = {"python": platform.python_version()}
    for mod in ("numpy", "scipy", "sympy", "flint", "torch"):
        try:
            m = __import__(mod)
            out[mod] = getattr(m, "__version__", "?")
        except ImportError:
            out[mod] = "absent"
    out["threads"] = os.environ.get("OMP_NUM_THREADS", "?")
    return out


def timeit(fn: Callable[[], Any], *, repeat: int = 5, min_time: float = 0.05) -> dict[str, float]:
    """Median and IQR (seconds per call) of ``fn``, looping calls shorter than ``min_time``."""
    fn()  # warm
    t0 = time.perf_counter()
    fn()
    one = time.perf_counter() - t0
    loops = max(1, int(min_time / max(one, 1e-9)))
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(loops):
            fn()
        samples.append((time.perf_counter() - t0) / loops)
    q = statistics.quantiles(samples, n=4) if len(samples) >= 2 else [samples[0]] * 3
    return {"median_s": statistics.median(samples), "iqr_s": q[2] - q[0], "loops": loops, "repeat": repeat}


def first_call(fn: Callable[[], Any]) -> float:
    """Seconds for one cold call."""
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


class Recorder:
    """Print JSON lines and optionally append them to a file."""

    def __init__(self, out: str | None, script: str) -> None:
        self.out = out
        self.meta = {"script": script, "argv": sys.argv[1:], **versions()}

    def __call__(self, **record: Any) -> dict[str, Any]:
        rec = {**record, **self.meta}
        line = json.dumps(rec, default=float)
        print(line, flush=True)
        if self.out:
            with open(self.out, "a", encoding="utf-8") as fh:
                fh.write(line + "\n")
        return rec
