"""How-to: the penalty under DistributedDataParallel.

Launch with ``torchrun --nproc_per_node=2 examples/howto_ddp.py``, or run it plainly
(``python examples/howto_ddp.py``), in which case it starts two CPU processes itself (gloo).

Rules: build the regulariser from the DDP-wrapped model (or the bare one; it unwraps DDP,
DataParallel and ``torch.compile``), and add ``reg()`` to every rank's loss *unscaled*:
each rank computes the same penalty and the same penalty gradient, so DDP's gradient
average equals the single-process gradient.
"""

from __future__ import annotations

import os
import sys
import tempfile

import torch
import torch.distributed as dist
from torch import nn

import penalties
from reptheory import Representation, groups


def train(rank: int, world: int, steps: int) -> float:
    G = groups.dihedral(4)
    torch.manual_seed(0)                                   # same initial weights on every rank
    model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 1))
    ddp = nn.parallel.DistributedDataParallel(model)
    reg = penalties.EquivarianceRegularizer(
        ddp, penalties.mlp_spec(ddp, Representation.regular(G), Representation.trivial(G)), lambda_perp=1.0)
    opt = torch.optim.SGD(ddp.parameters(), lr=0.05)
    x = torch.randn(64, 8, generator=torch.Generator().manual_seed(rank))   # each rank its own shard
    y = x.pow(2).sum(1, keepdim=True)
    for _ in range(steps):
        opt.zero_grad()
        loss = nn.functional.mse_loss(ddp(x), y) + reg()   # not divided by the world size
        loss.backward()
        opt.step()
    defect = reg.layer_defect()
    if rank == 0:
        print(f"{world} ranks, {steps} steps: relative non-equivariant part {defect:.2e}")
    return defect


def _worker(rank: int, world: int, init_file: str, steps: int) -> None:
    dist.init_process_group("gloo", init_method=f"file://{init_file}", rank=rank, world_size=world)
    try:
        train(rank, world, steps)
    finally:
        dist.destroy_process_group()


def main(fast: bool = False) -> None:
    steps = 20 if fast else 200
    if "RANK" in os.environ:                               # launched by torchrun
        dist.init_process_group("gloo")
        try:
            train(dist.get_rank(), dist.get_world_size(), steps)
        finally:
            dist.destroy_process_group()
        return
    import torch.multiprocessing as mp

    with tempfile.TemporaryDirectory() as tmp:
        # spawn, not fork: a process that has started torch's thread pools can deadlock when forked
        mp.start_processes(_worker, args=(2, os.path.join(tmp, "init"), steps), nprocs=2, join=True,
                           start_method="spawn")


if __name__ == "__main__":
    penalties.configure_threads()  # one torch thread (fastest for small models); PENALTIES_NUM_THREADS=N for more
    main(fast="--fast" in sys.argv)
