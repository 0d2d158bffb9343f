"""DistributedDataParallel (gloo, 2 CPU processes): penalty and gradients equal the single-process values."""

from __future__ import annotations

import os

import pytest
import torch
import torch.distributed as dist
from torch import nn

from penalties import EquivarianceRegularizer, mlp_spec
from reptheory import Representation, groups
from tests.penalties._processes import run_workers


def _setup():
    G = groups.dihedral(4)
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 1)).double()
    spec = mlp_spec(model, Representation.regular(G), Representation.trivial(G))
    x = torch.randn(8, 8, dtype=torch.float64, generator=torch.Generator().manual_seed(1))
    return model, spec, x


def _worker(rank: int, world: int, init_file: str, out_dir: str) -> None:
    dist.init_process_group("gloo", init_method=f"file://{init_file}", rank=rank, world_size=world)
    try:
        model, spec, x = _setup()
        ddp = nn.parallel.DistributedDataParallel(model)
        reg = EquivarianceRegularizer(ddp, spec, lambda_eq=0.1, lambda_perp=0.5)
        xr = x.chunk(world)[rank]
        penalty = reg()
        loss = ddp(xr).pow(2).mean() + penalty
        loss.backward()
        torch.save(
            {"penalty": penalty.detach(), "grads": [p.grad.clone() for p in model.parameters()]},
            os.path.join(out_dir, f"rank{rank}.pt"),
        )
    finally:
        dist.destroy_process_group()


@pytest.mark.skipif(not dist.is_available(), reason="torch.distributed not available")
def test_ddp_gloo_matches_single_process(tmp_path):
    init_file = str(tmp_path / "init")
    run_workers(_worker, (2, init_file, str(tmp_path)))
    model, spec, x = _setup()
    reg = EquivarianceRegularizer(model, spec, lambda_eq=0.1, lambda_perp=0.5)
    penalty = reg()
    (model(x).pow(2).mean() + penalty).backward()
    for rank in range(2):
        got = torch.load(tmp_path / f"rank{rank}.pt")
        assert torch.allclose(got["penalty"], penalty.detach(), rtol=1e-12, atol=0)
        for g, p in zip(got["grads"], model.parameters()):
            assert torch.allclose(g, p.grad, rtol=1e-10, atol=1e-12)
