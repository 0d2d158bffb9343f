"""Offline experiments for the projection penalty (BENCHMARKS.md, tasks T1–T4 and T6).

Every task is a module with a command-line entry point ``main(argv)``::

    python -m experiments.so2_toy --quick          # SO(2) toy classification (T1)
    python -m experiments.inertia --quick          # Inertia / Modified Inertia, O(3) (T2)
    python -m experiments.o5 --quick               # O5Synthetic with a σ breaking term (T3)
    python -m experiments.grid_dynamics --quick    # D4 / C4 fields on a periodic grid (T4)
    python -m experiments.cost --quick             # seconds per step against m (T6)
    python -m experiments.run_all --full           # everything, then docs/results.md

All data are generated from equations (:mod:`experiments.data`); nothing is downloaded.
The shared backbones live in :mod:`experiments.models`, the method switch and the training
loop in :mod:`experiments.train`.
"""

from __future__ import annotations

__all__: list[str] = []
