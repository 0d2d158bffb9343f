"""Run the penalty benchmarks of ``bench_penalties.py`` on a CUDA device (same sections, same JSON lines).

Usage::

    python benchmarks/gpu.py [--quick] [--out bench_penalties_gpu.jsonl] [--sections linear128,step_fraction]

Timings synchronise the device around every timed loop; memory is
``torch.cuda.max_memory_allocated`` during one penalty forward+backward, against the
parameter bytes.  Without a CUDA device the script prints one JSON line saying so and exits 0.
"""

from __future__ import annotations

import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def run(argv: list[str] | None = None) -> int:
    if not torch.cuda.is_available():
        print(json.dumps({"section": "meta", "device": "cuda", "skipped": "no CUDA device available"}))
        return 0
    import bench_penalties

    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    bench_penalties.main(argv, device="cuda")
    return 0


if __name__ == "__main__":
    sys.exit(run())
