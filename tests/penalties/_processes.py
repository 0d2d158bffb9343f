"""Run a function in worker processes for the torch.distributed tests, with a deadline.

The workers are started with ``spawn``: forking a process that has initialised torch's thread
pools can deadlock in the child (a lock held by another thread at the fork), and a deadlocked
test would stall the whole suite.  A worker that has not finished by the deadline is killed and
the test fails.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
import torch.multiprocessing as mp


def run_workers(fn: Callable[..., None], args: tuple[Any, ...], nprocs: int = 2, timeout: float = 240.0) -> None:
    """``fn(rank, *args)`` in ``nprocs`` spawned processes; fail the test if they do not all finish in time."""
    ctx = mp.start_processes(fn, args=args, nprocs=nprocs, join=False, start_method="spawn")
    deadline = time.monotonic() + timeout
    while not ctx.join(timeout=1.0):
        if time.monotonic() > deadline:
            for p in ctx.processes:
                if p.is_alive():
                    p.kill()
            pytest.fail(f"distributed workers did not finish within {timeout:.0f} s")
