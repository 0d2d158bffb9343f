"""The penalty, ``prox_`` and the constrained mode under DDP and FSDP (``fully_shard``), 2 gloo CPU processes.

Every rank must see the single-process penalty and gradients, and end with the single-process
weights and multipliers after the proximal step.  Under ``fully_shard`` the parameters are
``DTensor`` shards: the penalty all-gathers them (differentiably, so each rank receives its
shard of the penalty gradient) and ``prox_`` writes back each rank's shard.
"""

from __future__ import annotations

import os

import pytest
import torch
import torch.distributed as dist
from torch import nn

from penalties import EquivarianceRegularizer, ProximalEquivariance, mlp_spec
from reptheory import Representation, groups
from tests.penalties._processes import run_workers

LR = 0.05


def _setup(constrained: bool):
    G = groups.dihedral(4)
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 1)).double()
    spec = mlp_spec(model, Representation.regular(G), Representation.trivial(G))
    x = torch.randn(8, 8, dtype=torch.float64, generator=torch.Generator().manual_seed(1))
    kw = {"tolerance": 0.05} if constrained else {"lambda_eq": 0.1, "lambda_perp": 0.5}
    return model, spec, x, kw


def _run(model, wrapped, spec, x, kw, local_params):
    """Penalty + gradient of (task + penalty), then prox_, then two wrapper steps; returns full tensors."""
    reg = EquivarianceRegularizer(wrapped, spec, **kw)
    if "tolerance" in kw:
        with torch.no_grad():
            reg.constraint_multipliers.fill_(3.0)  # a nonzero multiplier: the penalty is the Lagrangian term
    penalty = reg()
    (wrapped(x).pow(2).mean() + penalty).backward()
    grads = [_full(p.grad) for p in local_params()]
    reg.prox_(LR)
    after_prox = [_full(p.detach()) for p in local_params()]
    opt = ProximalEquivariance(torch.optim.SGD(wrapped.parameters(), lr=LR), reg)
    for _ in range(2):
        opt.zero_grad()
        wrapped(x).pow(2).mean().backward()
        opt.step()
    return {"penalty": penalty.detach(), "grads": grads, "after_prox": after_prox,
            "after_steps": [_full(p.detach()) for p in local_params()], "multipliers": reg.multipliers()}


def _full(t):
    return t.full_tensor() if type(t).__name__ == "DTensor" else t.clone()


def _worker(rank: int, world: int, init_file: str, out_dir: str, mode: str) -> None:
    dist.init_process_group("gloo", init_method=f"file://{init_file}", rank=rank, world_size=world)
    try:
        for constrained in (False, True):
            model, spec, x, kw = _setup(constrained)
            xr = x.chunk(world)[rank]
            if mode == "ddp":
                wrapped = nn.parallel.DistributedDataParallel(model)
            else:
                from torch.distributed.device_mesh import init_device_mesh
                from torch.distributed.fsdp import fully_shard

                wrapped = fully_shard(model, mesh=init_device_mesh("cpu", (world,)))
                assert type(model[0].weight).__name__ == "DTensor"
            out = _run(model, wrapped, spec, xr, kw, model.parameters)
            torch.save(out, os.path.join(out_dir, f"rank{rank}_{constrained}.pt"))
    finally:
        dist.destroy_process_group()


@pytest.mark.skipif(not dist.is_available(), reason="torch.distributed not available")
@pytest.mark.parametrize("mode", ["ddp", "fsdp"])
def test_distributed_matches_single_process(mode, tmp_path):
    if mode == "fsdp":
        pytest.importorskip("torch.distributed.fsdp", reason="no FSDP in this torch")
    init_file = str(tmp_path / "init")
    run_workers(_worker, (2, init_file, str(tmp_path), mode))
    for constrained in (False, True):
        _compare(tmp_path, constrained)


def _compare(tmp_path, constrained):
    model, spec, x, kw = _setup(constrained)
    ref = _run(model, model, spec, x, kw, model.parameters)
    for rank in range(2):
        got = torch.load(tmp_path / f"rank{rank}_{constrained}.pt")
        assert torch.allclose(got["penalty"], ref["penalty"], rtol=1e-12, atol=0)
        for key in ("grads", "after_prox", "after_steps"):
            for a, b in zip(got[key], ref[key]):
                assert torch.allclose(a, b, rtol=1e-10, atol=1e-12), key
        assert got["multipliers"].keys() == ref["multipliers"].keys()
        for k, v in ref["multipliers"].items():
            assert got["multipliers"][k] == pytest.approx(v, rel=1e-9)
    if constrained:
        assert any(v > 0 for v in ref["multipliers"].values())
