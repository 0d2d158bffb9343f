"""Offline experiments for the projection penalty (``docs/results.md``), on the public API only.

::

    python -m experiments.run_all --quick              # every pipeline end to end (CI)
    python -m experiments.run_all --full --jobs 2      # the reported run

Modules: :mod:`experiments.data` (generators), :mod:`experiments.models` (backbones),
:mod:`experiments.tasks` (Modified Inertia, O5Synthetic, rotated shapes),
:mod:`experiments.methods` (method name + knob → model, optimiser, loss terms; the only user of
the proximal and constrained modes), :mod:`experiments.protocol` (early stopping, grids,
tuning seed, evaluation seeds, records, paired tests), :mod:`experiments.cost` (step cost),
:mod:`experiments.report` (tables, plots), :mod:`experiments.run_all` (driver).
"""

from __future__ import annotations

__all__: list[str] = []
