"""Finite groups: Cayley-table validation, closure and conjugacy classes.

Targets (issue "reptheory core I"): a Cayley table of order 2000 validates in about a second
(associativity by Light's test, not O(n³)).

Run::

    python benchmarks/bench_groups.py [--quick] [--out FILE]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common
import numpy as np

from reptheory import groups
from reptheory.groups.finite import FiniteGroup


def relabelled_table(G: FiniteGroup, seed: int = 0) -> np.ndarray:
    perm = np.random.default_rng(seed).permutation(G.order)
    t = G.table
    out = np.empty_like(t)
    out[perm[:, None], perm[None, :]] = perm[t]
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true")
    p.add_argument("--out")
    args = p.parse_args(argv)
    rec = _common.Recorder(args.out, "bench_groups")
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
    for n in ([5] if args.quick else [5, 6, 7, 8]):
        t = _common.first_call(lambda n=n: groups.symmetric.__wrapped__(n).conjugacy_classes())
        rec(case=f"S{n}", what="closure + classes from permutations (first call)", seconds=t)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
