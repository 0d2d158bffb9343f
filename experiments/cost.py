"""Cost of one training step per method: medians of interleaved steps, one thread.

Rows: a D8 regular-field MLP, an SO(3) ``8·(l = 0..3)`` MLP, a D4 regular-field CNN, the
SO(2) harmonic CNN of the shapes task, and the two field MLPs of the accuracy tasks (Modified
Inertia, O5Synthetic) on their full training batch; :data:`TASK_ROWS` maps each accuracy task
to its row, so that steps of a training run convert to quiet single-thread seconds.  Columns: the methods of
:mod:`experiments.methods` (penalty terms, augmentation, RPP pathways, hard constraint).
For every row all methods are built first, then stepped in turn (one step each, in a rotating
order) ``steps`` times; the table reports the median seconds per step and the ratio to the
unconstrained step.

Examples
--------
>>> rows = row_models(quick=True)
>>> sorted(rows)
['CNN D4 (regular)', 'CNN SO(2) (harmonic)', 'MLP D8 (regular)', 'MLP O(3) fields (Inertia task)', 'MLP O(5) fields (O5 task)', 'MLP SO(3) (l≤3)']
>>> TASK_ROWS["shapes"]
'CNN SO(2) (harmonic)'
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np
import torch
from torch import nn

from experiments import methods as M
from experiments.models import HarmonicCNN, regular_cnn, regular_mlp, so3_mlp
from penalties import baselines
from reptheory import Representation, groups

__all__ = ["COST_METHODS", "TASK_ROWS", "measure", "row_models"]

COST_METHODS = ("unconstrained", "hard", "ours", "ours-prox", "ours-tol", "sample-m1", "sample-m4", "augment",
                "generator", "rpp")
TASK_ROWS = {"inertia": "MLP O(3) fields (Inertia task)", "o5": "MLP O(5) fields (O5 task)",
             "shapes": "CNN SO(2) (harmonic)"}


class _Row:
    """A model factory with its spec, data and group action (the ``task`` interface of methods.build)."""

    def __init__(self, make: Callable[[], tuple[nn.Module, Any]], x: torch.Tensor, y: torch.Tensor,
                 sample: Callable[..., Any], augment: Callable[..., Any]):
        self._make, self.x, self.y = make, x, y
        self._sample, self._augment = sample, augment

    def make_model(self, seed: int) -> nn.Module:
        torch.manual_seed(seed)
        model, spec = self._make()
        model.spec = spec
        return model

    def sample_penalty(self, model: nn.Module, m: int, rng: np.random.Generator) -> Any:
        return self._sample(model, m, rng)

    def augmentation(self, p: float, rng: np.random.Generator) -> Any:
        return self._augment(p, rng)


def row_models(quick: bool = False) -> dict[str, _Row]:
    """The four rows (smaller models and batches in quick mode)."""
    g = torch.Generator().manual_seed(0)
    B = 16 if quick else 64
    rows: dict[str, _Row] = {}
    D8 = groups.dihedral(8)
    R8 = Representation.regular(D8)
    copies = 4 if quick else 32
    rows["MLP D8 (regular)"] = _Row(
        lambda: regular_mlp(D8, copies=copies), torch.randn(B, 16, generator=g), torch.randn(B, 16, generator=g),
        lambda model, m, rng: baselines.SampleBasedPenalty(model, R8, R8, m=m, rng=rng, per_example=True),
        lambda p, rng: baselines.GroupAugmentation(R8, R8, p=p, rng=rng))
    so3 = groups.SO3()
    irr = so3.irreps(3)
    unit = irr[0]
    for r in irr[1:]:
        unit = unit + r
    c3 = 2 if quick else 8
    field = c3 * unit
    els = so3.sample(256, rng=np.random.default_rng(0))
    mats = so3.representation_matrices(field, els)
    bank = (mats, mats)
    rows["MLP SO(3) (l≤3)"] = _Row(
        lambda: so3_mlp(3, copies=c3), torch.randn(B, field.dim, generator=g), torch.randn(B, field.dim, generator=g),
        lambda model, m, rng: baselines.SampleBasedPenalty(model, field, field, m=m, bank=bank, rng=rng,
                                                           per_example=True),
        lambda p, rng: baselines.GroupAugmentation(field, field, p=p, bank=bank, rng=rng))
    D4 = groups.square_symmetries()
    one4 = Representation.trivial(D4)
    grid = Representation.defining(D4)
    S = 16 if quick else 32
    Bc = 8 if quick else 32
    rows["CNN D4 (regular)"] = _Row(
        lambda: regular_cnn(D4, copies=1 if quick else 2), torch.randn(Bc, 1, S, S, generator=g),
        torch.randn(Bc, 1, S, S, generator=g),
        lambda model, m, rng: baselines.SampleBasedPenalty(model, one4, one4, m=m, grid=grid, rng=rng,
                                                           per_example=True),
        lambda p, rng: baselines.GroupAugmentation(one4, one4, p=p, grid=grid, rng=rng))

    def rot_aug(p: float, rng: np.random.Generator) -> Any:
        def aug(x: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
            ang = torch.as_tensor(rng.uniform(0, 2 * np.pi, x.shape[0]) * (rng.random(x.shape[0]) < p), dtype=x.dtype)
            return baselines.rotate_images(x, ang), y
        return aug

    def harmonic() -> tuple[nn.Module, Any]:
        m = HarmonicCNN(copies=1 if quick else 2)
        return m, m.spec

    rows["CNN SO(2) (harmonic)"] = _Row(
        harmonic, torch.randn(Bc, 1, S, S, generator=g), torch.randn(Bc, 1, generator=g),
        lambda model, m, rng: baselines.InterpolatedRotationPenalty(model, m=m, rng=rng), rot_aug)
    from experiments.tasks import make_task

    for name in ("inertia", "o5"):  # the accuracy tasks' own backbones, full training batch
        task = make_task(name, quick)
        d = task.data(task.settings[-1], 1)
        rows[TASK_ROWS[name]] = _Row(lambda task=task: (m := task.make_model(0), m.spec), d["x_train"], d["y_train"],
                                     task.sample_penalty, task.augmentation)
    return rows


def _has_reps(task: _Row) -> bool:
    return all(getattr(ls, "rho_in", None) is not None for ls in task.make_model(0).spec.values())


def _knob(method: str) -> float:
    return {"augment": 1.0, "ours-tol": 0.1}.get(method, 1e-3)


def measure(steps: int = 200, quick: bool = False, log: Callable[[str], None] = print) -> list[dict[str, Any]]:
    """Median seconds per training step, per row and method, interleaved; one record per cell."""
    torch.set_num_threads(1)
    out = []
    for row, task in row_models(quick).items():
        setups = {}
        for m in COST_METHODS:
            why = M.unavailable_reason(m)
            if why is None and m == "generator" and not _has_reps(task):
                continue  # projector-only specs (harmonic CNN): no generator penalty
            if why is not None:
                log(f"  [cost {row}] {m}: {why}")
                continue
            setups[m] = M.build(m, _knob(m), task, 0, 1e-3)
        times: dict[str, list[float]] = {m: [] for m in setups}
        order = list(setups)
        for i in range(steps + 5):
            for m in order[i % len(order):] + order[:i % len(order)]:
                st = setups[m]
                t0 = time.perf_counter()
                x, y = task.x, task.y
                if st.transform is not None:
                    x, y = st.transform(x, y)
                pred = st.model(x)
                loss = ((pred - y) ** 2).mean() + st.extra(x, y, pred)
                st.optimizer.zero_grad()
                loss.backward()
                st.optimizer.step()
                if i >= 5:  # warm-up steps are not timed
                    times[m].append(time.perf_counter() - t0)
        base = float(np.median(times["unconstrained"]))
        n_params = sum(p.numel() for p in task.make_model(0).parameters())
        for m, ts in times.items():
            med = float(np.median(ts))
            out.append({"row": row, "method": m, "median_ms": 1e3 * med, "ratio": med / base, "steps": len(ts),
                        "params": n_params})
        log(f"  [cost {row}] " + ", ".join(f"{m}={1e3 * float(np.median(ts)):.2f}ms" for m, ts in times.items()))
    return out

