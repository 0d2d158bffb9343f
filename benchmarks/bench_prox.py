"""The penalty and the proximal step against the memory floor, and the proximal step inside an Adam step (issue 11).

Run (CPU, one thread, JSON lines on stdout and in ``--out``)::

    OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 \\
        .venv/bin/python benchmarks/bench_prox.py --out benchmarks/results/bench_prox.jsonl

``--quick`` shortens the loops (a smoke run, not for quoting).

Sections (every ratio measured in one process, interleaved A, B, A, B, ...; medians of
``--repeats`` timed loops after warm-up; timed on this thread's CPU time, so that the time
slices other processes take on a shared machine are left out, ``--clock wall`` for wall time):

* ``floor``: over the penalised parameters of a model, the *floor*
  ``sum((p * p).sum() for p in params).backward()`` (read every weight once, write every
  gradient once), the penalty forward+backward (``reg().backward()``, fast plans), the same
  with the fast plans switched off (the previous fused orbit pass, ``generic``), and
  ``reg.prox_(lr)``.  Models: MLPs with ``D_8`` regular hidden fields (widths 128, 512, 1024),
  SO(3) MLPs with ``k·(l = 0..3)`` hidden fields (widths 128, 512), and the T4 CNN (``D_4``
  regular fields, 5×5 kernels).
* ``roofline``: for the largest fast-planned parameter of each model, the floor on that parameter
  alone against the simple passes it is made of (``copy``, ``add``, ``dot``, the in-place
  accumulation ``add_``) and against the two gathers every orbit projection needs (the plan's
  ``index_select`` collecting the orbits, and the one spreading the means back), with the
  effective bandwidth of each (bytes read + written per second).  ``model_penalty`` (gather +
  orbit sum + spread + fused residual + dot + accumulation) and ``model_prox`` (gather + orbit
  sum + spread + lerp) are the sums of the measured parts: the lower bound of an exact penalty
  built from torch's gathers, however its passes are arranged, to compare with the floor.
* ``prox_step``: the ``D_8`` width-512 MLP at batch 256 and 64: one Adam step on the task loss,
  the same step followed by ``prox_`` (:class:`penalties.optim.ProximalEquivariance`), and the
  previous route (the penalty added to the loss).
"""

from __future__ import annotations

import os

for _v in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, HERE)

import bench_penalties as bp  # noqa: E402

import penalties  # noqa: E402
from penalties import EquivarianceRegularizer, LayerSpec, ProximalEquivariance, cnn_spec, mlp_spec  # noqa: E402
from reptheory import Representation, groups  # noqa: E402

OUT_FILE: Any = None
CLOCK: Callable[[], float] = time.thread_time


def compare(fns: dict[str, Callable[[], Any]], *, n: int, repeats: int) -> dict[str, dict[str, float]]:
    """Interleaved timing (a loop of ``n`` calls of each function in turn, ``repeats`` times); ms per call.

    As ``bench_penalties.compare``, but on ``CLOCK``: by default this thread's CPU time, which
    leaves out the time slices other processes take on a shared machine (``--clock wall`` for
    wall time).  Memory-bandwidth contention from other processes still shows.
    """
    import statistics

    for f in fns.values():
        for _ in range(max(3, n // 5)):
            f()
    times: dict[str, list[float]] = {k: [] for k in fns}
    for _ in range(repeats):
        for k, f in fns.items():
            t0 = CLOCK()
            for _ in range(n):
                f()
            times[k].append((CLOCK() - t0) / n * 1e3)
    out = {}
    for k, ts in times.items():
        q = statistics.quantiles(ts, n=4)
        out[k] = {"median_ms": statistics.median(ts), "iqr_ms": q[2] - q[0]}
    return out


def emit(rec: dict[str, Any]) -> None:
    line = json.dumps(rec, default=float)
    print(line, flush=True)
    if OUT_FILE is not None:
        OUT_FILE.write(line + "\n")
        OUT_FILE.flush()


def generic(reg: EquivarianceRegularizer) -> EquivarianceRegularizer:
    """The same regulariser with the fast plans switched off (the fused orbit pass of the previous release)."""
    reg._plan_of, reg._fast = {}, []
    reg._build_fused()
    return reg


def models(args: argparse.Namespace) -> list[tuple[str, nn.Module, Any, dict[str, Any]]]:
    torch.manual_seed(0)
    out = []
    D8 = groups.dihedral(8)
    R8, one8 = Representation.regular(D8), Representation.trivial(D8)
    for width in args.widths:
        m = bp.mlp(16, width, 1)
        out.append((f"MLP D8 regular width {width}", m, mlp_spec(m, R8, one8), {"width": width}))
    irr = bp.so3_reps(3)
    rin = bp.irreps_field(irr, 5, (0, 1))
    rout = irr[0] + irr[1] + irr[2]
    for k in args.so3_copies:
        hidden = bp.irreps_field(irr, k)
        m = bp.mlp(rin.dim, hidden.dim, rout.dim, nn.SiLU)  # cost only: SiLU on irreps is not equivariant
        spec = {"0": LayerSpec(rin, hidden), "2": LayerSpec(hidden, hidden), "4": LayerSpec(hidden, rout)}
        out.append((f"SO3 MLP {k}*(l=0..3) width {hidden.dim}", m, spec, {"width": hidden.dim}))
    D4 = groups.square_symmetries()
    oneD4 = Representation.trivial(D4)
    for c in args.cnn_channels:
        m = bp.CircularCNN(8 * c)
        out.append((f"CNN D4 regular fields c={c} (channels {8 * c}), 5x5", m, cnn_spec(m, oneD4, oneD4),
                    {"channels": 8 * c}))
    return out


def bench_floor(args: argparse.Namespace) -> None:
    for name, model, spec, extra in models(args):
        _floor_case(args, name, model, spec, extra)


def _floor_case(args: argparse.Namespace, name: str, model: nn.Module, spec: Any, extra: dict[str, Any]) -> None:
    reg = EquivarianceRegularizer(model, spec, lambda_perp=1e-2)
    old = generic(EquivarianceRegularizer(model, spec, lambda_perp=1e-2))
    params = [getattr(e.module, e.param) for e in reg._entries]
    for p in params:
        p.grad = torch.zeros_like(p)

    def floor() -> None:
        sum((p * p).sum() for p in params).backward()

    def penalty() -> None:
        reg().backward()

    def penalty_generic() -> None:
        old().backward()

    def prox() -> None:
        reg.prox_(1e-3)

    with torch.no_grad():
        v_new, v_old = float(reg()), float(old())
    res = compare({"floor": floor, "penalty": penalty, "penalty_generic": penalty_generic, "prox": prox},
                     n=args.n, repeats=args.repeats)
    f = res["floor"]["median_ms"]
    rec: dict[str, Any] = {
        "section": "floor", "case": name, "params": sum(p.numel() for p in params),
        "fast_entries": len(reg._fast), "entries": len(reg._entries),
        "plans": sorted({type(reg._plans[j]).__name__ for j in reg._plan_of.values()}),
        "penalty_rel_diff_vs_generic": abs(v_new - v_old) / max(abs(v_old), 1e-30), **extra,
    }
    for k, v in res.items():
        rec[f"{k}_ms"] = v["median_ms"]
        rec[f"{k}_iqr_ms"] = v["iqr_ms"]
        if k != "floor":
            rec[f"{k}_over_floor"] = v["median_ms"] / f
    emit(rec)


def bench_roofline(args: argparse.Namespace) -> None:
    for name, model, spec, _extra in models(args):
        reg = EquivarianceRegularizer(model, spec, lambda_perp=1e-2)
        planned = [(getattr(reg._entries[i].module, reg._entries[i].param), reg._plans[j])
                   for i, j in reg._plan_of.items()]
        if planned:
            _roofline_case(args, name, *max(planned, key=lambda t: t[0].numel()))


def _roofline_case(args: argparse.Namespace, name: str, p: torch.Tensor, plan: Any) -> None:
    from penalties._fast import RegularPlan, fast_penalty

    P = nn.Parameter(p.detach().clone().reshape(-1))
    P.grad = torch.zeros_like(P)
    w = P.detach()
    buf = w.clone()
    nb = w.numel() * w.element_size()
    regular = isinstance(plan, RegularPlan)
    if regular:
        W2 = w.view(plan.m_out, -1)
        S = plan._sums(w)
        gather = lambda: W2.index_select(1, plan.sel)  # noqa: E731
        orbit_sum = lambda: W2.view(plan.m_out, plan.n, -1).sum(1)  # noqa: E731
        spread = lambda: plan._spread(S)  # noqa: E731
    else:
        ws = w.index_select(0, plan.support)
        gather = lambda: w.index_select(0, plan.support)  # noqa: E731
        orbit_sum = lambda: torch.zeros(plan.inv_counts.shape[0]).index_add_(0, plan.labels, ws)  # noqa: E731
        spread = lambda: w.clone().index_add_(0, plan.support, ws, alpha=-1.0)  # noqa: E731
    fns = {
        "floor": lambda: (P * P).sum().backward(),
        "penalty": lambda: fast_penalty([plan], [(0.0, 1e-2)], [P]).backward(),
        "prox": lambda: plan.prox_(buf, 1.0, 0.99),
        "copy": lambda: buf.copy_(w), "add": lambda: torch.add(w, w, alpha=0.5), "dot": lambda: torch.dot(w, w),
        "accumulate": lambda: P.grad.add_(w), "lerp": lambda: buf.lerp_(w, 0.0),
        "gather": gather, "orbit_sum": orbit_sum, "spread": spread,
    }
    res = compare(fns, n=args.n, repeats=args.repeats)
    t = {k: v["median_ms"] for k, v in res.items()}
    moved = {"copy": 2, "add": 3, "dot": 1, "accumulate": 3, "lerp": 3, "gather": 2, "spread": 1 + (not regular)}
    rec: dict[str, Any] = {"section": "roofline", "case": name, "param_shape": list(p.shape), "numel": w.numel(),
                           "plan": type(plan).__name__, "bytes": nb}
    for k, v in res.items():
        rec[f"{k}_ms"] = v["median_ms"]
        rec[f"{k}_iqr_ms"] = v["iqr_ms"]
    for k, m in moved.items():
        rec[f"{k}_GBps"] = m * nb / (t[k] * 1e6)
    rec["gather_over_copy"] = t["gather"] / t["copy"]
    rec["model_penalty_ms"] = t["gather"] + t["orbit_sum"] + t["spread"] + t["add"] + t["dot"] + t["accumulate"]
    rec["model_prox_ms"] = t["gather"] + t["orbit_sum"] + t["spread"] + t["lerp"]
    for k in ("penalty", "prox", "model_penalty", "model_prox"):
        rec[f"{k}_over_floor"] = (rec[f"{k}_ms"] if k.startswith("model") else t[k]) / t["floor"]
    emit(rec)


def bench_prox_step(args: argparse.Namespace) -> None:
    D8 = groups.dihedral(8)
    R8, one8 = Representation.regular(D8), Representation.trivial(D8)
    for batch in args.batches:
        _prox_step_case(args, batch, R8, one8)


def _prox_step_case(args: argparse.Namespace, batch: int, R8: Any, one8: Any) -> None:
    torch.manual_seed(0)
    model = bp.mlp(16, 512, 1)
    spec = mlp_spec(model, R8, one8)
    reg = EquivarianceRegularizer(model, spec, lambda_perp=1e-2)
    opt = torch.optim.Adam(model.parameters(), lr=1e-4)
    popt = ProximalEquivariance(opt, reg)
    x = torch.randn(batch, 16)
    y = torch.randn(batch, 1)
    loss_fn = nn.MSELoss()

    def make(o: Any, with_penalty: bool) -> Callable[[], None]:
        def f() -> None:
            o.zero_grad(set_to_none=True)
            loss = loss_fn(model(x), y)
            (loss + reg() if with_penalty else loss).backward()
            o.step()
        return f

    def prox() -> None:
        reg.prox_(1e-4)

    n = max(5, args.n // 5)
    res = compare({"step": make(opt, False), "step_prox": make(popt, False), "step_penalty": make(opt, True),
                      "prox": prox}, n=n, repeats=args.repeats)
    s = res["step"]["median_ms"]
    rec = {"section": "prox_step", "case": "MLP D8 regular width 512, Adam", "batch": batch}
    for k, v in res.items():
        rec[f"{k}_ms"] = v["median_ms"]
        rec[f"{k}_iqr_ms"] = v["iqr_ms"]
    rec["prox_over_step"] = res["prox"]["median_ms"] / s
    rec["step_prox_overhead"] = res["step_prox"]["median_ms"] / s - 1
    rec["step_penalty_overhead"] = res["step_penalty"]["median_ms"] / s - 1
    emit(rec)


def main(argv: list[str] | None = None) -> None:
    global OUT_FILE, CLOCK
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="short loops (smoke run)")
    ap.add_argument("--out", default=None, help="append JSON lines to this file")
    ap.add_argument("--sections", default="floor,roofline,prox_step")
    ap.add_argument("--clock", choices=("cpu", "wall"), default="cpu",
                    help="cpu: this thread's CPU time (default; robust to time slicing), wall: perf_counter")
    args = ap.parse_args(argv)
    args.n = 20 if args.quick else 200
    args.repeats = 3 if args.quick else 15
    args.widths = [128] if args.quick else [128, 512, 1024]
    args.so3_copies = [8] if args.quick else [8, 32]
    args.cnn_channels = [2]
    args.batches = [256, 64]
    torch.set_num_threads(1)
    CLOCK = time.thread_time if args.clock == "cpu" else time.perf_counter
    OUT_FILE = open(args.out, "a") if args.out else None
    emit({"section": "meta", "command": " ".join([sys.executable, *sys.argv]), "torch": torch.__version__,
          "numpy": np.__version__, "python": platform.python_version(), "machine": platform.machine(),
          "threads": torch.get_num_threads(), "clock": args.clock, "penalties_file": penalties.__file__,
          "time_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
          "note": "shared 2-core machine: medians of interleaved loops"})
    sections = args.sections.split(",")
    if "floor" in sections:
        bench_floor(args)
    if "roofline" in sections:
        bench_roofline(args)
    if "prox_step" in sections:
        bench_prox_step(args)
    if OUT_FILE is not None:
        OUT_FILE.close()


if __name__ == "__main__":
    main()
