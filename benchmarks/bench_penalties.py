"""Cost of the projection penalty against baselines and against a training step.

Run (CPU, one thread, JSON lines on stdout and in ``--out``)::

    OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 \\
        .venv/bin/python benchmarks/bench_penalties.py --out bench_penalties.jsonl

``--quick`` shortens the loops (a smoke run, not for quoting).  ``benchmarks/gpu.py`` runs the
same measurements on a CUDA device.

Sections (every ratio is measured in one run, interleaved A, B, A, B, ...; medians of
``--repeats`` timed loops after warm-up; construction is reported separately as ``build_ms``):

* ``linear128``: ``Linear(128, 128)`` with ``8·regular`` of ``D_8`` and ``8·(l = 0..3)`` of SO(3):
  penalty forward+backward for the projection penalty (structured projector), the layer-wise
  sample-based penalty with ``m = 1, 4, 16`` draws from a bank (all 16 elements / 1024 Haar
  samples), the function-level sample penalty at batch 64, and the generator penalty.
* ``step_fraction``: penalty forward+backward as a fraction of one Adam training step
  (batch 64, task loss only) for an MLP with ``D_8`` regular hidden fields (widths 128–1024),
  the T4 CNN (``D_4`` regular fields, 5×5 kernels, circular padding, 32×32 grid) and an SO(3)
  MLP with irreps ``k·(l = 0..3)``.
* ``memory``: projector buffer bytes and the bytes allocated during one penalty
  forward+backward (an upper bound on its peak), both against the parameter bytes.
"""

from __future__ import annotations

import os

for _v in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import penalties  # noqa: E402
from penalties import (  # noqa: E402
    EquivarianceRegularizer,
    GeneratorPenalty,
    LayerSpec,
    SampleBasedPenalty,
    cnn_spec,
    layerwise_sample_penalty,
    mlp_spec,
    projection_for,
    projection_penalty,
)
from reptheory import Representation, groups  # noqa: E402

OUT: list[dict[str, Any]] = []
OUT_FILE: Any = None


def emit(rec: dict[str, Any]) -> None:
    OUT.append(rec)
    line = json.dumps(rec, default=float)
    print(line, flush=True)
    if OUT_FILE is not None:
        OUT_FILE.write(line + "\n")
        OUT_FILE.flush()


def sync_for(device: str) -> Callable[[], None]:
    if device.startswith("cuda"):
        return torch.cuda.synchronize
    return lambda: None


def compare(fns: dict[str, Callable[[], Any]], *, n: int, repeats: int, sync: Callable[[], None]) -> dict[str, dict[str, float]]:
    """Interleaved timing: for each repeat, a loop of ``n`` calls of every function in turn; ms per call."""
    for f in fns.values():
        for _ in range(max(3, n // 5)):
            f()
    sync()
    times: dict[str, list[float]] = {k: [] for k in fns}
    for _ in range(repeats):
        for k, f in fns.items():
            sync()
            t0 = time.perf_counter()
            for _ in range(n):
                f()
            sync()
            times[k].append((time.perf_counter() - t0) / n * 1e3)
    out = {}
    for k, ts in times.items():
        q = statistics.quantiles(ts, n=4) if len(ts) >= 2 else [ts[0]] * 3
        out[k] = {"median_ms": statistics.median(ts), "iqr_ms": q[2] - q[0]}
    return out


def so3_reps(max_l: int = 3) -> list[Any]:
    from reptheory.groups.lie_catalog import SO3

    return SO3().irreps(max_l)


def so3_bank(rho_in: Any, rho_out: Any, n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    G = rho_in.group
    els = G.sample(n, rng=seed)
    return G.representation_matrices(rho_in, els), G.representation_matrices(rho_out, els)


def irreps_field(irr: list[Any], k: int, ls: tuple[int, ...] = (0, 1, 2, 3)) -> Any:
    rep = None
    for _ in range(k):
        for l in ls:
            rep = irr[l] if rep is None else rep + irr[l]
    return rep


# --------------------------------------------------------------------------- §4b
def bench_linear128(args: argparse.Namespace, device: str) -> None:
    D8 = groups.dihedral(8)
    cases = [("D8 8*regular", 8 * Representation.regular(D8), None)]
    try:
        irr = so3_reps(3)
        R3 = irreps_field(irr, 8)
        cases.append(("SO3 8*(l=0..3)", R3, so3_bank(R3, R3, 1024, 0)))
    except Exception as exc:  # pragma: no cover - reported, not fatal
        emit({"section": "linear128", "case": "SO3 8*(l=0..3)", "skipped": repr(exc)})
    for name, R, bank in cases:
        _linear_case(args, device, name, R, bank)


def _linear_case(args: argparse.Namespace, device: str, name: str, R: Any, bank: Any) -> None:
    sync = sync_for(device)
    gen = torch.Generator(device="cpu").manual_seed(0)
    t0 = time.perf_counter()
    P = projection_for(R, R).to(device=device, dtype=torch.float32)
    build_ms = (time.perf_counter() - t0) * 1e3
    if bank is None:
        A = torch.as_tensor(np.array(R.matrices()), dtype=torch.float32, device=device)
        B = A
    else:
        A = torch.as_tensor(bank[0], dtype=torch.float32, device=device)
        B = torch.as_tensor(bank[1], dtype=torch.float32, device=device)
    N = A.shape[0]
    torch.manual_seed(0)
    W = torch.randn(128, 128, device=device, requires_grad=True)
    lin = nn.Linear(128, 128, bias=False).to(device)
    with torch.no_grad():
        lin.weight.copy_(W)
    gpen = GeneratorPenalty(lin, {"": (R, R)}).to(device=device, dtype=torch.float32)
    x = torch.randn(64, 128, device=device)

    def proj() -> None:
        W.grad = None
        projection_penalty(W, P).backward()

    def sample(m: int) -> Callable[[], None]:
        def f() -> None:
            W.grad = None
            idx = torch.randint(0, N, (m,), generator=gen).to(device)
            layerwise_sample_penalty(W, B, A, idx).backward()

        return f

    fl = {m: SampleBasedPenalty(lin, R, R, m=m, bank=(A.cpu().numpy(), B.cpu().numpy()), rng=1).to(device).float()
          for m in (1, 4, 16)}

    def fsample(m: int) -> Callable[[], None]:
        def f() -> None:
            lin.zero_grad(set_to_none=True)
            fl[m](x).backward()

        return f

    def generator() -> None:
        lin.zero_grad(set_to_none=True)
        gpen().backward()

    fns: dict[str, Callable[[], None]] = {"projection": proj}
    for m in (1, 4, 16):
        fns[f"sample_layer_m{m}"] = sample(m)
    for m in (1, 4, 16):
        fns[f"sample_function_b64_m{m}"] = fsample(m)
    fns["generator"] = generator
    res = compare(fns, n=args.n, repeats=args.repeats, sync=sync)
    # correctness next to speed: idempotence, and the sample mean against 2‖W − PW‖²
    with torch.no_grad():
        Wd = W.detach().double()
        Pd = projection_for(R, R).double().to(device)
        idem = float((Pd(Pd(Wd)) - Pd(Wd)).norm() / Pd(Wd).norm())
        exact = float(projection_penalty(Wd, Pd))
        draws = [float(layerwise_sample_penalty(Wd, B.double(), A.double(), torch.randint(0, N, (1,), generator=gen)
                                                .to(device))) for _ in range(400)]
    t_proj = res["projection"]["median_ms"]
    rec = {
        "section": "linear128", "case": name, "device": device, "dim_hom": P.dim, "projector": type(P).__name__,
        "build_ms": build_ms, "idempotence_error": idem, "sample_m1_mean_over_exact": np.mean(draws) / exact,
        "sample_m1_relative_spread": float(np.std(draws) / np.mean(draws)),
    }
    for k, v in res.items():
        rec[f"{k}_ms"] = v["median_ms"]
        rec[f"{k}_iqr_ms"] = v["iqr_ms"]
        rec[f"{k}_over_projection"] = v["median_ms"] / t_proj
    ms = [1, 4, 16]
    gaps = [res[f"sample_layer_m{m}"]["median_ms"] - t_proj for m in ms]
    rec["sample_layer_gap_slope_ms_per_draw"] = float(np.polyfit(ms, gaps, 1)[0])
    rec["sample_layer_gap_ms"] = gaps
    emit(rec)


# --------------------------------------------------------------------------- T6 / step fraction
def mlp(d_in: int, width: int, d_out: int, act: type[nn.Module] = nn.ReLU) -> nn.Module:
    return nn.Sequential(nn.Linear(d_in, width), act(), nn.Linear(width, width), act(), nn.Linear(width, d_out))


class CircularCNN(nn.Module):
    """T4 backbone: lift 1 → c·|G|, two hidden convs, back to 1; 5×5 kernels, circular padding."""

    def __init__(self, channels: int):
        super().__init__()
        kw = {"kernel_size": 5, "padding": 2, "padding_mode": "circular"}
        self.net = nn.Sequential(
            nn.Conv2d(1, channels, **kw), nn.ReLU(), nn.Conv2d(channels, channels, **kw), nn.ReLU(),
            nn.Conv2d(channels, channels, **kw), nn.ReLU(), nn.Conv2d(channels, 1, **kw),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)


def step_fraction(name: str, model: nn.Module, spec: Any, x: torch.Tensor, y: torch.Tensor, args: argparse.Namespace,
                  device: str, extra: dict[str, Any]) -> None:
    sync = sync_for(device)
    model = model.to(device)
    t0 = time.perf_counter()
    reg = EquivarianceRegularizer(model, spec, lambda_perp=1e-2)
    build_ms = (time.perf_counter() - t0) * 1e3
    reg10 = EquivarianceRegularizer(model, spec, lambda_perp=1e-2, every=10)
    opt = torch.optim.Adam(model.parameters(), lr=1e-4)
    loss_fn = nn.MSELoss()

    def step() -> None:
        opt.zero_grad(set_to_none=True)
        loss_fn(model(x), y).backward()
        opt.step()

    def step_with_penalty() -> None:
        opt.zero_grad(set_to_none=True)
        (loss_fn(model(x), y) + reg()).backward()
        opt.step()

    def step_with_penalty_every10() -> None:
        opt.zero_grad(set_to_none=True)
        (loss_fn(model(x), y) + reg10()).backward()
        opt.step()

    def penalty() -> None:
        reg().backward()

    n = max(3, args.n // 20) if x.dim() > 2 else max(5, args.n // 5)
    n = 10 * max(1, round(n / 10))  # whole periods of the amortised penalty
    res = compare({"step": step, "penalty": penalty, "step_with_penalty": step_with_penalty,
                   "step_with_penalty_every10": step_with_penalty_every10},
                  n=n, repeats=args.repeats, sync=sync)
    n_params = sum(p.numel() for p in model.parameters())
    buf_bytes = sum(b.numel() * b.element_size() for b in reg.buffers())
    rec = {
        "section": "step_fraction", "case": name, "device": device, "batch": int(x.shape[0]), "params": n_params,
        "build_ms": build_ms, "step_ms": res["step"]["median_ms"], "penalty_ms": res["penalty"]["median_ms"],
        "step_with_penalty_ms": res["step_with_penalty"]["median_ms"],
        "penalty_over_step": res["penalty"]["median_ms"] / res["step"]["median_ms"],
        "overhead_in_step": res["step_with_penalty"]["median_ms"] / res["step"]["median_ms"] - 1,
        "step_with_penalty_every10_ms": res["step_with_penalty_every10"]["median_ms"],
        "overhead_in_step_every10": res["step_with_penalty_every10"]["median_ms"] / res["step"]["median_ms"] - 1,
        "penalty_iqr_ms": res["penalty"]["iqr_ms"], "step_iqr_ms": res["step"]["iqr_ms"],
        "projector_buffer_bytes_over_param_bytes": buf_bytes / (4 * n_params),
        "layer_defect_at_init": reg.layer_defect(),
        **extra,
    }
    if device == "cpu":
        rec["penalty_alloc_bytes_over_param_bytes"] = alloc_bytes(reg) / (4 * n_params)
    else:
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
        base = torch.cuda.memory_allocated()
        penalty()
        torch.cuda.synchronize()
        rec["penalty_peak_bytes_over_param_bytes"] = (torch.cuda.max_memory_allocated() - base) / (4 * n_params)
    emit(rec)


def alloc_bytes(reg: EquivarianceRegularizer) -> int:
    """Bytes allocated during one penalty forward+backward (sum of allocations: an upper bound on the peak)."""
    from torch.profiler import ProfilerActivity, profile

    with profile(activities=[ProfilerActivity.CPU], profile_memory=True) as prof:
        reg().backward()
    return int(sum(max(0, e.cpu_memory_usage) for e in prof.events() if e.cpu_memory_usage > 0))


def bench_step_fraction(args: argparse.Namespace, device: str) -> None:
    torch.manual_seed(0)
    D8 = groups.dihedral(8)
    R8, one8 = Representation.regular(D8), Representation.trivial(D8)
    for width in args.widths:
        model = mlp(16, width, 1)
        x = torch.randn(args.batch, 16, device=device)
        y = torch.randn(args.batch, 1, device=device)
        step_fraction(f"MLP D8 regular width {width}", model, mlp_spec(model, R8, one8), x, y, args, device,
                      {"width": width})
    D4 = groups.square_symmetries()
    oneD4 = Representation.trivial(D4)  # hidden fields: regular (cnn_spec's default)
    for c in args.cnn_channels:
        model = CircularCNN(8 * c)
        x = torch.randn(args.batch, 1, 32, 32, device=device)
        y = torch.randn(args.batch, 1, 32, 32, device=device)
        step_fraction(f"CNN D4 regular fields c={c} (channels {8 * c}), 5x5, 32x32", model,
                      cnn_spec(model, oneD4, oneD4), x, y, args, device, {"channels": 8 * c})
    try:
        irr = so3_reps(3)
    except Exception as exc:  # pragma: no cover
        emit({"section": "step_fraction", "case": "SO3 MLP", "skipped": repr(exc)})
        return
    rin = irreps_field(irr, 5, (0, 1))
    rout = irr[0] + irr[1] + irr[2]
    for k in args.so3_copies:
        hidden = irreps_field(irr, k)
        model = mlp(rin.dim, hidden.dim, rout.dim, nn.SiLU)  # cost only: SiLU on irreps is not equivariant
        spec = {"0": LayerSpec(rin, hidden), "2": LayerSpec(hidden, hidden), "4": LayerSpec(hidden, rout)}
        x = torch.randn(args.batch, rin.dim, device=device)
        y = torch.randn(args.batch, rout.dim, device=device)
        step_fraction(f"SO3 MLP {k}*(l=0..3) width {hidden.dim}", model, spec, x, y, args, device,
                      {"width": hidden.dim})


def main(argv: list[str] | None = None, device: str = "cpu") -> list[dict[str, Any]]:
    global OUT_FILE
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="short loops (smoke run)")
    ap.add_argument("--out", default=None, help="append JSON lines to this file")
    ap.add_argument("--sections", default="linear128,step_fraction")
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args(argv)
    args.n = 40 if args.quick else 400
    args.repeats = 3 if args.quick else 7
    args.widths = [128, 256] if args.quick else [128, 256, 512, 1024]
    args.cnn_channels = [2] if args.quick else [2, 4]
    args.so3_copies = [8] if args.quick else [8, 16, 32]
    torch.set_num_threads(args.threads)
    OUT_FILE = open(args.out, "a") if args.out else None
    emit({
        "section": "meta", "command": " ".join([sys.executable, *sys.argv]), "device": device,
        "torch": torch.__version__, "numpy": np.__version__, "python": platform.python_version(),
        "machine": platform.machine(), "threads": torch.get_num_threads(), "penalties_file": penalties.__file__,
        "cuda": torch.cuda.get_device_name() if device.startswith("cuda") else None,
        "time_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    })
    sections = args.sections.split(",")
    if "linear128" in sections:
        bench_linear128(args, device)
    if "step_fraction" in sections:
        bench_step_fraction(args, device)
    if OUT_FILE is not None:
        OUT_FILE.close()
    return OUT


if __name__ == "__main__":
    main()
