"""Finite groups: Cayley-table validation, closure and conjugacy classes.

Targets (issue "reptheory core I"): a Cayley table of order 2000 validates in about a second
(associativity by Light's test, not O(n³)).  Issue 17: a relabelled Cayley table of order
15,000 (``int16``, 450 MB: the dihedral group D7500, and PSL(2,31) of order 14,880) validates
in ≤ 20 s with ≤ 1.5 GB in all (``peak_extra_mb`` is the memory allocated on top of the table
itself, traced by ``tracemalloc``; ``cpu_median_s`` the process time, for shared machines).

Issue 17 (groups that are not enumerated): character tables of permutation groups by
Dixon–Schneider, ``S8 × S5`` on 13 points (order 4,838,400) and ``M22`` on 22 points (order
443,520) in ≤ 60 s with ≤ 2 GB peak memory; stretch: ``S11`` on 11 points (order 39,916,800);
degree about 100: ``PSL(2,53)`` on 54 points and ``PSL(2,97)`` on 98 points (order 456,288), whose
classes mostly share a cycle type with others (the powers of one element), so that they rest on the
trajectory invariant.
Each repetition runs in a fresh subprocess (cold: nothing cached), which reports its wall time
and its own peak resident memory ``ru_maxrss`` (interpreter included; ``tracemalloc`` is not
used: it slows this allocation-heavy Python code down many times); medians over the repetitions.

Run::

    python benchmarks/bench_groups.py [--quick] [--out FILE]
    python benchmarks/bench_groups.py --only-permutation [--repeat 3]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common
import numpy as np

from reptheory import groups
from reptheory.groups._cayley import _row_chunks, small_int_dtype
from reptheory.groups.finite import FiniteGroup


def relabelled_table(G: FiniteGroup, seed: int = 0) -> np.ndarray:
    perm = np.random.default_rng(seed).permutation(G.order)
    t = G.table
    out = np.empty_like(t)
    out[perm[:, None], perm[None, :]] = perm[t]
    return out


def relabelled_dihedral_table(n: int, seed: int = 0) -> np.ndarray:
    """Relabelled Cayley table of the dihedral group of order ``2n``, filled in row chunks (small int type)."""
    N = 2 * n
    p = np.random.default_rng(seed).permutation(N)
    pinv = np.argsort(p)
    t = np.empty((N, N), dtype=small_int_dtype(N))
    ar = np.arange(N)
    for sl in _row_chunks(N):
        i, j = pinv[ar[sl]][:, None], pinv[None, :]
        sign = 1 - 2 * (i // n)
        t[sl] = p[(i % n + sign * (j % n)) % n + n * ((i // n) ^ (j // n))]
    return t


def relabelled_psl2_table(q: int, seed: int = 0) -> np.ndarray:
    """Relabelled Cayley table of PSL(2, q) (order q(q²−1)/2; 14,880 for q = 31), built in row chunks
    from the group's enumeration (products along the breadth-first tree, no table needed)."""
    G = FiniteGroup.from_permutations(groups.projective_special_linear(q).generators, name=f"PSL(2,{q})")
    N = G.order
    p = np.random.default_rng(seed).permutation(N)
    out = np.empty((N, N), dtype=small_int_dtype(N))
    enum = G._enumeration
    for sl in _row_chunks(N):
        rows = np.arange(sl.start, sl.stop)
        prod = enum.left_products(rows)  # prod[i, x] = rows[i] * x
        out[p[rows][:, None], p[None, :]] = p[prod]
    return out


def bench_large_table(rec, n: int, repeat: int, table: np.ndarray | None = None,
                      label: str | None = None) -> None:  # type: ignore[no-untyped-def]
    table = relabelled_dihedral_table(n) if table is None else table
    order = table.shape[0]
    samples: list[float] = []
    cpu: list[float] = []
    peak = 0.0
    for _ in range(repeat):
        tracemalloc.start()
        t0, c0 = time.perf_counter(), time.process_time()
        G = FiniteGroup.from_cayley_table(table)
        samples.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        peak = max(peak, tracemalloc.get_traced_memory()[1] / 1e6)
        tracemalloc.stop()
        del G
    t0 = time.perf_counter()
    G = FiniteGroup.from_cayley_table(table)
    classes = len(G.conjugacy_classes())
    cls_s = time.perf_counter() - t0
    rec(case=label or f"relabelled D{n} (order {2 * n})", what="validate a large Cayley table", order=order,
        dtype=str(table.dtype), table_mb=table.nbytes / 1e6, median_s=float(np.median(samples)),
        cpu_median_s=float(np.median(cpu)),
        samples_s=samples, peak_extra_mb=peak, max_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3,
        validate_plus_classes_s=cls_s, classes=classes, target="<= 20 s, <= 1.5 GB (order 15000)")


def _cycles(cycles: list[list[int]], n: int) -> list[int]:
    p = list(range(n))
    for c in cycles:
        for a, b in zip(c, c[1:] + c[:1], strict=True):
            p[a - 1] = b - 1
    return p


def _sym(n: int, off: int, total: int) -> list[list[int]]:
    a, b = list(range(total)), list(range(total))
    for i in range(n):
        a[off + i] = off + (i + 1) % n
    b[off], b[off + 1] = off + 1, off
    return [a, b]


#: permutation generators (GAP's MathieuGroup generators, 1-based cycles converted)
PERMUTATION_CASES = {
    "M11": (lambda: [_cycles([list(range(1, 12))], 11), _cycles([[3, 7, 11, 8], [4, 10, 5, 6]], 11)], 7920),
    "S8xS5": (lambda: _sym(8, 0, 13) + _sym(5, 8, 13), 4838400),
    "M22": (lambda: [
        _cycles([list(range(1, 12)), list(range(12, 23))], 22),
        _cycles([[1, 4, 5, 9, 3], [2, 8, 10, 7, 6], [12, 15, 16, 20, 14], [13, 19, 21, 18, 17]], 22),
        _cycles([[1, 21], [2, 10, 8, 6], [3, 13, 4, 17], [5, 19, 9, 18], [11, 22], [12, 14, 16, 20]], 22),
    ], 443520),
    "S11": (lambda: _sym(11, 0, 11), 39916800),
    # degree about 100, many classes per cycle type (classes of one rational class)
    "PSL(2,53)": (lambda: groups.projective_special_linear(53).generators.tolist(), 53 * (53 * 53 - 1) // 2),
    "PSL(2,97)": (lambda: groups.projective_special_linear(97).generators.tolist(), 97 * (97 * 97 - 1) // 2),
}


def _permutation_case(name: str) -> None:
    """Child process: one cold character table, printed as one JSON line."""
    import json

    from reptheory.groups import permutation_group

    make, order = PERMUTATION_CASES[name]
    t0 = time.perf_counter()
    G = permutation_group(make(), name=name)
    T = G.character_table()
    sec = time.perf_counter() - t0
    X = T.values
    ortho = float(np.abs((X * T.class_sizes) @ X.conj().T / G.order - np.eye(T.num_classes)).max())
    print(json.dumps({
        "seconds": sec,
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3,
        "order_ok": G.order == order, "classes": T.num_classes, "sum_d2_ok": int((T.degrees.astype(object) ** 2).sum()) == order,
        "orthogonality_residual": ortho, "class_matrices": len(T.info["class_matrices"]),
    }))


def bench_permutation_tables(rec, names: list[str], repeat: int) -> None:  # type: ignore[no-untyped-def]
    import json
    import subprocess

    for name in names:
        runs = []
        for _ in range(repeat):
            out = subprocess.run([sys.executable, __file__, "--permutation-case", name], capture_output=True,
                                 text=True, check=True)
            runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
        last = runs[-1]
        rec(case=f"{name} (order {PERMUTATION_CASES[name][1]})", what="permutation group character table (Dixon-Schneider, cold, subprocess)",
            median_s=float(np.median([r["seconds"] for r in runs])), samples_s=[r["seconds"] for r in runs],
            max_rss_mb=max(r["max_rss_mb"] for r in runs),
            classes=last["classes"], class_matrices=last["class_matrices"], order_ok=last["order_ok"],
            sum_d2_ok=last["sum_d2_ok"], orthogonality_residual=last["orthogonality_residual"],
            target="<= 60 s, <= 2 GB (S8xS5, M22)")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true")
    p.add_argument("--out")
    p.add_argument("--only-permutation", action="store_true")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--permutation-case")
    args = p.parse_args(argv)
    if args.permutation_case:
        _permutation_case(args.permutation_case)
        return 0
    rec = _common.Recorder(args.out, "bench_groups")
    if args.only_permutation:
        bench_permutation_tables(rec, ["S8xS5", "M22", "S11", "PSL(2,53)", "PSL(2,97)"], args.repeat)
        return 0
    cases = [
        ("C2 x C2 x D25 (order 200)", lambda: groups.direct_product(groups.klein_four(), groups.dihedral(25))),
        ("D10 x C100 (order 2000)", lambda: groups.direct_product(groups.dihedral(10), groups.cyclic(100))),
        ("S4 x C5 x C4 x ... (order 1920)", lambda: groups.direct_product(groups.symmetric(4), groups.dihedral(10), groups.klein_four())),
    ]
    if args.quick:
        cases = cases[:1]
    for name, make in cases:
        G = make()
        table = relabelled_table(G)
        timing = _common.timeit(lambda t=table: FiniteGroup.from_cayley_table(t), repeat=3 if args.quick else 5)
        H = FiniteGroup.from_cayley_table(table)
        cls = _common.timeit(lambda t=table: len(FiniteGroup.from_cayley_table(t).conjugacy_classes()), repeat=3)
        rec(case=name, what="validate Cayley table", order=H.order, generators=len(H.generators),
            classes=len(H.conjugacy_classes()), validate=timing, validate_plus_classes=cls)
    bench_large_table(rec, 1500 if args.quick else 7500, 1 if args.quick else 3)
    q = 11 if args.quick else 31
    bench_large_table(rec, 0, 1 if args.quick else 3, relabelled_psl2_table(q), f"relabelled PSL(2,{q}) (order "
                      f"{q * (q * q - 1) // 2})")
    for n in ([5] if args.quick else [5, 6, 7, 8]):
        t = _common.first_call(lambda n=n: groups.symmetric.__wrapped__(n).conjugacy_classes())
        rec(case=f"S{n}", what="closure + classes from permutations (first call)", seconds=t)
    bench_permutation_tables(rec, ["M11"] if args.quick else ["M11", "S8xS5", "M22", "S11", "PSL(2,53)", "PSL(2,97)"],
                             1 if args.quick else args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
