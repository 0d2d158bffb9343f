"""Exact linear algebra: sympy with and without python-flint ground types, and flint directly.

The workload is the exact nullspace of the stacked Sylvester constraints of
``S_n`` on ``V ⊗ V`` (``n² `` unknowns, dimension 15 for n ≥ 4), the naive exact route
of this benchmark suite.  sympy selects its ground types once per process from
``SYMPY_GROUND_TYPES``, so each configuration runs in its own subprocess.

Run::

    OMP_NUM_THREADS=1 python benchmarks/bench_flint.py [--quick] [--out results.jsonl]

Each line of output is one JSON record with the median of the timed repetitions.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

CHILD = r"""
import json, statistics, sys, time
import numpy as np
n, reps, mode = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
from reptheory import groups, Representation
V = Representation.defining(groups.symmetric(n))
W = V @ V
d = W.dim
# column-major vec: (I kron A - B^T kron I) vec(X) = 0 for A X = X B
blocks = [np.kron(np.eye(d), A) - np.kron(A.T, np.eye(d)) for A in W.images]
C = np.vstack(blocks).astype(np.int64)
times = []
for _ in range(reps):
    t0 = time.perf_counter()
    if mode == "flint-direct":
        import flint
        M = flint.fmpq_mat(C.shape[0], C.shape[1], [int(x) for x in C.ravel()])
        R, rank = M.rref()
        dim = C.shape[1] - rank
    else:
        from sympy.polys.matrices import DomainMatrix
        from sympy import QQ
        M = DomainMatrix([[QQ(int(x)) for x in row] for row in C], C.shape, QQ)
        ns = M.nullspace()
        dim = ns.shape[0]
    times.append(time.perf_counter() - t0)
from sympy.external.gmpy import GROUND_TYPES
print(json.dumps({"n": n, "unknowns": d * d, "dim": dim, "mode": mode, "ground_types": GROUND_TYPES,
                  "median_s": statistics.median(times), "times_s": times}))
"""


def run(n: int, reps: int, mode: str) -> dict:
    env = dict(os.environ)
    env.update({"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"})
    env["SYMPY_GROUND_TYPES"] = "flint" if mode == "sympy-flint" else "python"
    if mode == "flint-direct":
        env["SYMPY_GROUND_TYPES"] = "python"
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(n), str(reps), mode],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="n = 4 only, one repetition")
    p.add_argument("--out", help="append JSON lines to this file")
    args = p.parse_args(argv)
    ns = [4] if args.quick else [4, 5, 6]
    reps = 1 if args.quick else 3
    records = []
    for n in ns:
        row = {}
        for mode in ("sympy-python", "sympy-flint", "flint-direct"):
            if mode == "sympy-python" and n >= 6 and not args.quick:
                reps_m = 1
            else:
                reps_m = reps
            t0 = time.perf_counter()
            rec = run(n, reps_m, mode)
            rec["wall_s"] = time.perf_counter() - t0
            row[mode] = rec["median_s"]
            records.append(rec)
            print(json.dumps(rec), flush=True)
        ratio = {
            "n": n,
            "speedup_sympy_flint_vs_python": row["sympy-python"] / row["sympy-flint"],
            "speedup_flint_direct_vs_python": row["sympy-python"] / row["flint-direct"],
        }
        records.append(ratio)
        print(json.dumps(ratio), flush=True)
    if args.out:
        with open(args.out, "a", encoding="utf-8") as fh:
            for r in records:
                fh.write(json.dumps(r) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
