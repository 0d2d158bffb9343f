"""Benchmark: construction of intertwiner spaces (targets in benchmarks/README.md; cost model in docs/explanation/penalties.md#cost-model).

Run::

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 \\
        .venv/bin/python benchmarks/bench_intertwiners.py [--quick] [--cases a,b] [--out results.jsonl]

Every case is measured twice:

* **first call**: in a fresh Python process (imports and building the representations excluded,
  disk cache off, so nothing is reused), the time of the first ``intertwiners(...)`` call and the
  process's peak RSS after it (numpy's lazy first-use initialisation of ``np.any``/``np.all``,
  about 12 ms, is triggered before timing, like an import); then, untimed, the peak traced memory of one more construction
  (``tracemalloc``: numpy and Python allocations; traced separately because tracing slows the
  allocation-heavy exact code several-fold);
* **warm**: in this process, ``intertwiners(..., cache=False)`` repeated (median and interquartile
  range of at least 5 runs; the library's result caches are bypassed).

**Peers.** symm-learning (the construction bar for regular fields, docs/explanation/penalties.md#cost-model)
is not installed in the benchmark environment (it needs escnn, which pins ``numpy<2`` and a Fortran
build), so it is not measured side by side here.  Rows of the cases it was measured on carry its
figures as recorded elsewhere (``peer``: library, figure, source) and the ratios
``peer_warm_s / warm_median_s`` and ``peer_first_s / first_s`` (above 1: we are faster); the ratio
compares runs on different occasions, so read it with the machine noted in the header.

Each row also records the dimension found, the expected dimension (docs/explanation/lie-groups.md#known-dimensions), the method, and the
accuracy (``error_bound``: relative generator residual and ``‖P²W − PW‖``).  Where a baseline is
cheap enough (the explicit group average, ``method="average"``) it runs interleaved with the
structured method in the same process and the ratio of medians is reported.  Output: one JSON
object per line (stdout, and ``--out`` if given), preceded by a header line with versions and
thread settings.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")
os.environ.setdefault("REPTHEORY_DISK_CACHE", "0")


def _cases():
    """name -> (builder returning (rho_in, rho_out, kwargs), expected dim or None, target seconds or None)."""
    from reptheory import Representation, groups

    def d8_8reg():
        R = 8 * Representation.regular(groups.dihedral(8))
        return R, R, {}

    def c128():
        R = Representation.regular(groups.cyclic(128))
        return R, R, {}

    def so3_band():
        from reptheory.groups.lie_catalog import SO3

        G = SO3()
        rep = 8 * sum((G.irrep(l_) for l_ in range(1, 4)), G.irrep(0))
        return rep, rep, {}

    def d128_4reg():
        R = 4 * Representation.regular(groups.dihedral(128))
        return R, R, {}

    def s_n(n):
        def build():
            V = Representation.defining(groups.symmetric(n))
            return V @ V, V @ V, {"exact": True}
        return build

    def so3_v4_exact():
        from reptheory.groups.lie_catalog import SO3

        V = SO3().defining_representation() ** 4
        return V, V, {"exact": True}

    def so3_v4_numeric():
        from reptheory.groups.lie_catalog import SO3

        V = SO3().defining_representation() ** 4
        return V, V, {}

    def fast_regular(G):
        """The left regular representation without the sympy exact images that ``Representation.regular``
        builds (those take minutes and GiBs at |G| = 4096); same images and monomial data."""
        import numpy as np

        if G.order <= 512:
            return Representation.regular(G)
        enum = G._enumeration
        inv = enum.inverse
        perm = np.stack([inv[enum.right_inv[inv, j]] for j in range(enum.k)]).astype(np.int64)
        n = G.order
        imgs = np.zeros((enum.k, n, n))
        for j in range(enum.k):
            imgs[j, perm[j], np.arange(n)] = 1.0
        return Representation(G, imgs, name="regular", monomial=(perm, np.ones(perm.shape)))

    def dn_reg(n):
        def build():
            R = fast_regular(groups.dihedral(n))
            return R, R, {}
        return build

    def so3_irreps(copies):
        def build():
            from reptheory.groups.lie_catalog import SO3

            G = SO3()
            rep = copies * sum((G.irrep(l_) for l_ in range(1, 4)), G.irrep(0))
            return rep, rep, {}
        return build

    out = {
        "D8_8reg": (d8_8reg, 1024, 0.001),
        "C128_reg": (c128, 128, 0.010),
        "SO3_8x(l=0..3)": (so3_band, 256, 0.010),
        "D128_4reg": (d128_4reg, 4096, 0.012),
        "S6_VxV_exact": (s_n(6), 15, 0.1),
        "S10_VxV_exact": (s_n(10), 15, 1.0),
        "SO3_V4_exact": (so3_v4_exact, 91, 2.0),
        "SO3_V4_numeric": (so3_v4_numeric, 91, None),
    }
    for n in (8, 32, 128, 512, 2048):
        out[f"scaling_D{n}_reg_d{2 * n}"] = (dn_reg(n), 2 * n, None)
    for c in (4, 16, 64, 256):
        out[f"scaling_SO3_{c}x(l=0..3)_d{16 * c}"] = (so3_irreps(c), 4 * c * c, None)
    return out


#: symm-learning 0.8.1 (isotypic path, warm = its own result caches cleared), not installed here:
#: (warm seconds, first-call seconds or None, where the figure comes from).
PEERS = {
    "D8_8reg": ("symm-learning 0.8.1", 1.0e-3, 11e-3,
                "issue 17 (warm, same run as our 9.7 ms); first call from the peer survey, 2-core VM"),
    "D128_4reg": ("symm-learning 0.8.1", 12e-3, None, "issue 17 (warm, same run as our 230 ms)"),
    "C128_reg": ("symm-learning 0.8.1", 22e-3, 49e-3, "peer survey, 2-core VM, numpy 2.4"),
}

QUICK = ["D8_8reg", "C128_reg", "SO3_8x(l=0..3)", "D128_4reg", "S6_VxV_exact", "S10_VxV_exact", "SO3_V4_exact"]
BASELINE = {"scaling_D8_reg_d16": None}


def _worker(name: str) -> None:
    """Fresh-process first call; prints one JSON object."""
    import tracemalloc

    # imports are excluded from "first call" : load the modules the routes import lazily
    import scipy.linalg
    import scipy.sparse
    import scipy.sparse.csgraph  # noqa: F401
    import sympy  # noqa: F401

    import reptheory._numerics.exact
    import reptheory.hom._routes
    import reptheory.hom.averaging
    import reptheory.hom.diagrams  # noqa: F401
    from reptheory.hom.space import intertwiners

    try:
        import flint  # noqa: F401
    except ImportError:  # pragma: no cover
        pass
    import numpy as np

    # numpy initialises its any/all reductions lazily on their first use in a process (about 12 ms
    # on the reference machine): an import-time cost of numpy, excluded like the imports themselves
    np.any(np.zeros(1))
    np.all(np.zeros(1))

    build = _cases()[name][0]
    rho_in, rho_out, kw = build()
    _ = (rho_in.key, rho_out.key)
    rss0 = _vm_hwm()
    t0 = time.perf_counter()
    H = intertwiners(rho_in, rho_out, cache=False, **kw)
    secs = time.perf_counter() - t0
    rss1 = _vm_hwm()
    del H
    # memory separately (tracemalloc slows allocation-heavy code, so it must not wrap the timed call)
    tracemalloc.start()
    H = intertwiners(rho_in, rho_out, cache=False, **kw)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(json.dumps({"first_s": secs, "first_peak_traced_MiB": peak / 2**20, "peak_rss_MiB": rss1,
                      "rss_before_MiB": rss0, "dim": H.dim, "method": H.method}))


def _vm_hwm() -> float | None:
    """Peak resident set size of this process in MiB (Linux ``VmHWM``; None elsewhere)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _first_call(name: str) -> dict:
    p = subprocess.run([sys.executable, __file__, "--worker", name], capture_output=True, text=True, timeout=900)
    if p.returncode != 0:
        return {"first_error": p.stderr.strip().splitlines()[-1] if p.stderr.strip() else f"rc={p.returncode}"}
    return json.loads(p.stdout.strip().splitlines()[-1])


def _median_iqr(xs: list[float]) -> tuple[float, float]:
    import numpy as np

    a = np.asarray(xs)
    return float(np.median(a)), float(np.percentile(a, 75) - np.percentile(a, 25))


def _warm(name: str, repeats: int) -> dict:
    from reptheory.hom.space import intertwiners

    build, expected, target = _cases()[name]
    rho_in, rho_out, kw = build()
    H = intertwiners(rho_in, rho_out, cache=False, **kw)  # warm-up
    times = []
    baseline_times = []
    use_baseline = name in BASELINE
    t0 = time.perf_counter()
    intertwiners(rho_in, rho_out, cache=False, **kw)
    if time.perf_counter() - t0 < 0.01:  # sub-10 ms cases: more repetitions for a stable median
        repeats = max(repeats, 51)
    for _ in range(repeats):
        t0 = time.perf_counter()
        H = intertwiners(rho_in, rho_out, cache=False, **kw)
        times.append(time.perf_counter() - t0)
        if use_baseline and rho_in.dim * rho_out.dim <= 4096:
            t0 = time.perf_counter()
            intertwiners(rho_in, rho_out, cache=False, method="average")
            baseline_times.append(time.perf_counter() - t0)
    med, iqr = _median_iqr(times)
    eb = H.error_bound
    row = {"case": name, "d_in": rho_in.dim, "d_out": rho_out.dim, "dim": H.dim, "expected_dim": expected,
           "dim_ok": expected is None or H.dim == expected, "method": H.method, "exact": H.exact,
           "warm_median_s": med, "warm_iqr_s": iqr, "repeats": repeats, "target_s": target,
           "residual": eb["residual"], "idempotence": eb["idempotence"], "reason": H.reason}
    if baseline_times:
        bmed, _ = _median_iqr(baseline_times)
        row.update({"baseline": "method='average' (explicit group average)", "baseline_median_s": bmed,
                    "speedup": bmed / med if med > 0 else None})
    return row


def _peer_ratios(name: str, row: dict) -> None:
    """Attach the recorded peer figures and the ratios to them (not measured side by side)."""
    if name not in PEERS:
        return
    lib, warm, first, source = PEERS[name]
    row["peer"] = {"library": lib, "warm_s": warm, "first_s": first, "source": source, "side_by_side": False}
    if row.get("warm_median_s"):
        row["peer_warm_ratio"] = warm / row["warm_median_s"]
    if first is not None and row.get("first_s"):
        row["peer_first_ratio"] = first / row["first_s"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--quick", action="store_true", help="only the target cases")
    ap.add_argument("--cases", help="comma-separated case names")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--out", help="append JSON lines to this file")
    args = ap.parse_args(argv)
    if args.worker:
        _worker(args.worker)
        return 0
    import numpy
    import scipy

    import reptheory

    names = list(_cases())
    if args.quick:
        names = QUICK
    if args.cases:
        names = args.cases.split(",")
    header = {"benchmark": "intertwiners", "command": " ".join([os.path.basename(sys.executable), *sys.argv]),
              "python": platform.python_version(), "numpy": numpy.__version__, "scipy": scipy.__version__,
              "reptheory": reptheory.__version__, "machine": platform.machine(),
              "threads": {v: os.environ.get(v) for v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                                                         "MKL_NUM_THREADS")},
              "disk_cache": os.environ.get("REPTHEORY_DISK_CACHE"), "time": time.strftime("%Y-%m-%dT%H:%M:%SZ",
                                                                                          time.gmtime())}
    lines = [header]
    print(json.dumps(header), flush=True)
    for name in names:
        try:
            row = _warm(name, args.repeats if "scaling_" not in name or "2048" not in name else 3)
        except Exception as exc:
            row = {"case": name, "error": f"{type(exc).__name__}: {exc}"}
        row.update(_first_call(name))
        _peer_ratios(name, row)
        lines.append(row)
        print(json.dumps(row), flush=True)
    if args.out:
        with open(args.out, "a", encoding="utf-8") as fh:
            for line in lines:
                fh.write(json.dumps(line) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
