"""Benchmark: compact groups at full reach (issue 16): diagram bases, memory-bounded nullspaces, complex fields.

Cases (``Hom`` computed with ``cache=False`` unless the row says ``warm-cached``):

* SO(4), O(4) ``End(V^{⊗3})`` exact (dims 25, 15; diagram route), SO(6) ``End(S³V)`` (dim 2;
  constraints route, numeric: the symmetric power has irrational images);
* SO(3) ``End(V^{⊗5})`` exact (603), O(5) ``End(V^{⊗4})`` exact (105);
* SO(3) ``End(V^{⊗4})`` numeric (91): first call, and the warm in-memory cache hit;
* SO(3) ``End(V^{⊗6})`` (4213): the projector without a dense basis (isotypic route);
* U(1)×SO(3), ``V`` = charge 1 ⊕ ℝ³: ``End(Λ²V)`` = 2 and ``End(S²V)`` = 4;
* SU(3) ``Hom(V ⊗ V ⊗ V̄, V)`` exact (2; walled Brauer diagrams).

Each row records the dimension found and expected, the route (``space.method``), the median
and IQR of ``--reps`` timed calls, and the peak traced allocation (``tracemalloc``, numpy
buffers included) of one extra call. emlp's figure for SO(3) ``V^{⊗4}`` (146 s, another
machine, another run) is given as a ratio for context only.

Run (one BLAS thread, JSON lines on stdout)::

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 python benchmarks/bench_compact.py [--reps 5] [--quick]
"""

from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc
from typing import Any

import _common

EMLP_SO3_V4_S = 146.0  # BENCHMARKS table 4a, other machine: context only


def _cases(quick: bool) -> list[tuple[str, Any, int, bool]]:
    from reptheory import Representation
    from reptheory.groups.lie_catalog import SO, SO3, U1, O, lie_direct_product

    def power(G: Any, k: int) -> Any:
        return G.defining_representation(exact=False) ** k

    rows = [
        ("SO(4) End(V^3)", lambda: power(SO(4), 3), 25, True),
        ("O(4) End(V^3)", lambda: power(O(4), 3), 15, True),
        ("SO(6) End(S^3 V)", lambda: SO(6).defining_representation(exact=False).symmetric_power(3), 2, False),
        ("SO(3) End(V^4) numeric", lambda: power(SO(3), 4), 91, False),
        ("U(1)xSO(3) End(Ext^2 V)", lambda: Representation.defining(lie_direct_product(U1(), SO3())).exterior_power(2), 2, False),
        ("U(1)xSO(3) End(Sym^2 V)", lambda: Representation.defining(lie_direct_product(U1(), SO3())).symmetric_power(2), 4, False),
    ]
    if not quick:
        rows += [
            ("SO(3) End(V^5)", lambda: power(SO(3), 5), 603, True),
            ("O(5) End(V^4)", lambda: power(O(5), 4), 105, True),
            ("SO(3) End(V^6) projector", lambda: power(SO(3), 6), 4213, False),
            ("SU(3) Hom(V@V@V*, V) exact", "su3", 2, True),
        ]
    return rows  # type: ignore[return-value]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--quick", action="store_true")
    p.add_argument("--out", default=None)
    args = p.parse_args()
    rec = _common.Recorder(args.out, "bench_compact.py")
    from reptheory import intertwiners

    for name, build, want, exact in _cases(args.quick):
        if build == "su3":  # Hom(V ⊗ V ⊗ V*, V): not an endomorphism space
            from reptheory.groups.classical import SU

            V = SU(3).defining_representation()
            rep, target = V @ V @ V.dual(), V
        else:
            rep = target = build()
        reps = 1 if "V^5" in name or "V^6" in name or "SU(3)" in name else args.reps

        def run(rep: Any = rep, target: Any = target, exact: bool = exact) -> Any:
            return intertwiners(rep, target, exact=exact, cache=False)

        tracemalloc.start()
        t0 = time.perf_counter()
        space = run()
        cold = time.perf_counter() - t0
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        samples = []
        for _ in range(reps):
            t0 = time.perf_counter()
            run()
            samples.append(time.perf_counter() - t0)
        q = statistics.quantiles(samples, n=4) if len(samples) >= 2 else [samples[0]] * 3
        row: dict[str, Any] = {
            "case": name, "rep_dim": rep.dim, "dim": space.dim, "expected_dim": want, "correct": space.dim == want,
            "method": space.method, "exact": space.exact, "first_call_s": cold,
            "median_s": statistics.median(samples), "iqr_s": q[2] - q[0], "reps": reps,
            "peak_traced_MiB": peak / 2**20,
        }
        if "numeric" in name:
            intertwiners(rep, rep)  # fill the in-memory cache
            n = 200
            t0 = time.perf_counter()
            for _ in range(n):
                intertwiners(rep, rep)
            row["warm_cached_s"] = (time.perf_counter() - t0) / n
            row["emlp_over_ours_first_call"] = EMLP_SO3_V4_S / cold
        rec(**row)


if __name__ == "__main__":
    main()
