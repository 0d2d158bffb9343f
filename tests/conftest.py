"""Shared test configuration: hypothesis profiles, a seeded rng, dtype tolerances.

Profiles (select with ``REPTHEORY_HYPOTHESIS_PROFILE``; CI sets ``ci``):

* ``dev`` (default): 50 examples, quick feedback;
* ``ci``: derandomised, no example database, no deadline, 200 examples;
* ``thorough``: 2000 examples.
"""

from __future__ import annotations

import os

# pin BLAS before numpy loads: multi-threaded BLAS was 3-30x slower and erratic on 2-core machines
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from reptheory.testing import register_profiles  # noqa: E402

register_profiles()


@pytest.fixture
def rng() -> np.random.Generator:
    """A seeded generator; tests never touch global random state."""
    return np.random.default_rng(20261126)
