"""Shared test configuration: hypothesis profiles, a seeded rng, dtype tolerances.

Profiles (select with ``REPTHEORY_HYPOTHESIS_PROFILE``; CI sets ``ci``):

* ``dev`` (default): 50 examples, quick feedback;
* ``ci``: derandomised, no example database, no deadline, 200 examples;
* ``thorough``: 2000 examples.
"""

from __future__ import annotations

import os

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("dev", max_examples=50, deadline=None)
settings.register_profile(
    "ci",
    max_examples=200,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
settings.register_profile("thorough", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("REPTHEORY_HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture
def rng() -> np.random.Generator:
    """A seeded generator; tests never touch global random state."""
    return np.random.default_rng(20261126)
