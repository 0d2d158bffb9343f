"""Test vocabulary shipped with the library: strategies, laws, assertions and profiles.

* [`reptheory.testing.strategies`][reptheory.testing.strategies]: Hypothesis strategies for Cayley tables,
  finite and compact Lie groups, representations, intertwiner pairs and weights;
* [`reptheory.testing.laws`][reptheory.testing.laws]: one function per law (group axioms,
  homomorphism, character orthogonality, Frobenius reciprocity, projector and
  penalty identities);
* [`reptheory.testing.assertions`][reptheory.testing.assertions]: ``assert_homomorphism``,
  ``assert_intertwiner``, ``assert_projector``, ``assert_equivariant_model``;
* `register_profiles`: the ``dev`` / ``ci`` / ``thorough`` Hypothesis
  profiles, selected by ``REPTHEORY_HYPOTHESIS_PROFILE``.

This package imports Hypothesis; it never imports torch at import time.

Examples
--------
>>> from hypothesis import given, settings
>>> from reptheory.testing import laws, strategies as rst
>>> @settings(max_examples=5, database=None)
... @given(rst.finite_groups(max_order=8).flatmap(rst.representations))
... def test_my_reps(rho):
...     laws.homomorphism(rho)
>>> test_my_reps()
"""

from __future__ import annotations

import os

from reptheory.testing import laws, strategies
from reptheory.testing.assertions import (
    assert_equivariant_model,
    assert_homomorphism,
    assert_intertwiner,
    assert_projector,
)
from reptheory.testing.strategies import (
    cayley_tables,
    finite_groups,
    intertwiner_pairs,
    lie_groups,
    representations,
    subgroups,
    weights_for,
)

__all__ = [
    "PROFILE_ENV_VAR",
    "assert_equivariant_model",
    "assert_homomorphism",
    "assert_intertwiner",
    "assert_projector",
    "cayley_tables",
    "finite_groups",
    "intertwiner_pairs",
    "laws",
    "lie_groups",
    "register_profiles",
    "representations",
    "strategies",
    "subgroups",
    "weights_for",
]

#: Environment variable that selects the Hypothesis profile loaded by `register_profiles`.
PROFILE_ENV_VAR = "REPTHEORY_HYPOTHESIS_PROFILE"

_PROFILES = ("dev", "ci", "thorough")


def register_profiles(*, load: bool = True, default: str = "dev", env_var: str = PROFILE_ENV_VAR) -> str:
    """Register the Hypothesis profiles ``dev``, ``ci`` and ``thorough`` and load one.

    * ``dev``: 50 examples, no deadline (quick feedback);
    * ``ci``: 200 examples, derandomised, no example database, no deadline, the
      ``too_slow`` and ``data_too_large`` health checks off, failing blobs printed;
    * ``thorough``: 2000 examples, no deadline.

    Call it from your ``conftest.py``; the profile is read from ``env_var``
    (default ``REPTHEORY_HYPOTHESIS_PROFILE``), falling back to ``default``.

    Parameters
    ----------
    load : bool
        Load the selected profile (otherwise only register).
    default : str
        Profile used when the variable is unset.
    env_var : str
        Name of the environment variable.

    Returns
    -------
    str
        The name of the selected profile.

    Raises
    ------
    InvalidArgumentError
        The variable (or ``default``) names an unknown profile.

    Examples
    --------
    >>> from hypothesis import settings
    >>> register_profiles(load=False, env_var="UNSET_VARIABLE_FOR_DOCTEST")
    'dev'
    >>> settings.get_profile("ci").max_examples, settings.get_profile("ci").derandomize
    (200, True)
    """
    from hypothesis import HealthCheck, settings

    from reptheory.errors import InvalidArgumentError

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
    name = os.environ.get(env_var, default)
    if name not in _PROFILES:
        raise InvalidArgumentError(
            f"{env_var}={name!r} is not a reptheory Hypothesis profile; expected one of {', '.join(_PROFILES)}"
        )
    if load:
        settings.load_profile(name)
    return name
