"""The public surface of reptheory.testing: assertions' bad inputs, profiles, torch weights and models."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings

from reptheory import Representation, groups
from reptheory.errors import InvalidArgumentError
from reptheory.testing import (
    assert_equivariant_model,
    assert_homomorphism,
    assert_intertwiner,
    assert_projector,
    register_profiles,
)
from reptheory.testing import strategies as rst

R3 = Representation.regular(groups.cyclic(3))
D3 = Representation.regular(groups.dihedral(3))


def test_public_names_are_documented():
    import reptheory.testing as rt
    from reptheory.testing import laws

    for mod in (rt, laws, rst):
        for name in mod.__all__:
            obj = getattr(mod, name)
            if callable(obj) and not isinstance(obj, type):
                assert obj.__doc__ and "Examples" in obj.__doc__, (
                    f"{mod.__name__}.{name} lacks an Examples section"
                )


def test_import_does_not_import_torch():
    import subprocess
    import sys

    code = "import sys, reptheory.testing; assert 'torch' not in sys.modules, 'torch imported'"
    subprocess.run([sys.executable, "-c", code], check=True)


# ------------------------------------------------------------------ bad inputs
def test_assert_homomorphism_bad_inputs():
    with pytest.raises(InvalidArgumentError, match="group="):
        assert_homomorphism(lambda g: np.eye(2))
    with pytest.raises(InvalidArgumentError, match="square"):
        assert_homomorphism(lambda g: np.zeros((2, 3)), group=groups.cyclic(2))
    with pytest.raises(InvalidArgumentError, match="Representation or a function"):
        assert_homomorphism(3)


def test_assert_homomorphism_reports_the_identity():
    with pytest.raises(AssertionError, match=r"rho\(e\) != I"):
        assert_homomorphism(lambda g: np.full((1, 1), 2.0), group=groups.cyclic(3))


def test_assert_intertwiner_bad_inputs():
    with pytest.raises(InvalidArgumentError, match="shape"):
        assert_intertwiner(np.zeros((2, 3)), R3, R3)
    with pytest.raises(InvalidArgumentError, match="different groups"):
        assert_intertwiner(np.zeros((6, 3)), R3, D3)
    with pytest.raises(InvalidArgumentError, match="rho_out"):
        assert_intertwiner(np.zeros((3, 3)), R3, "R3")


def test_assert_intertwiner_tolerance_follows_dtype():
    W = np.ones((3, 3)) + np.diag([1e-7, 0.0, 0.0])
    with pytest.raises(AssertionError, match="not an intertwiner"):
        assert_intertwiner(W, R3, R3)  # float64: 1e-7 is a violation
    assert_intertwiner(W.astype(np.float32), R3, R3)  # float32: within 2.4e-5


def test_assert_projector_bad_inputs():
    with pytest.raises(InvalidArgumentError, match="callable"):
        assert_projector(np.eye(9), R3, R3)


def test_assert_projector_reports_self_adjointness():
    from reptheory.testing.laws import explicit_group_average

    C = np.random.default_rng(1).standard_normal((6, 6))

    def oblique(W):
        avg = lambda V: explicit_group_average(D3, D3, V)  # noqa: E731
        return avg(W) + avg((W - avg(W)) @ C)

    with pytest.raises(AssertionError, match="not self-adjoint"):
        assert_projector(oblique, D3, D3)


def test_assert_equivariant_model_bad_inputs():
    with pytest.raises(InvalidArgumentError, match="inputs"):
        assert_equivariant_model(lambda x: x, R3, R3, inputs=np.zeros((2, 4)))
    with pytest.raises(InvalidArgumentError, match="must map"):
        assert_equivariant_model(lambda x: x[:, :2], R3, R3)


def test_assert_equivariant_model_torch_module():
    torch = pytest.importorskip("torch")
    layer = torch.nn.Linear(3, 3, bias=False)
    with torch.no_grad():
        layer.weight.copy_(torch.ones(3, 3))
    assert_equivariant_model(layer, R3, R3)
    with torch.no_grad():
        layer.weight.copy_(torch.diag(torch.tensor([1.0, 2.0, 3.0])))
    with pytest.raises(AssertionError, match="not equivariant"):
        assert_equivariant_model(layer, R3, R3)


def test_assert_equivariant_model_lie_group():
    from reptheory.groups.lie_catalog import SO3

    V = SO3().irrep(1)
    assert_equivariant_model(lambda x: 2.0 * x, V, V)
    with pytest.raises(AssertionError, match="Haar sample"):
        assert_equivariant_model(lambda x: x * np.array([1.0, 2.0, 3.0]), V, V)


# -------------------------------------------------------------------- weights
@settings(max_examples=20)
@given(rst.weights_for(D3, R3.__class__.trivial(groups.dihedral(3), 2), dtype="float32"))
def test_weights_for_numpy_dtype(W):
    assert W.dtype == np.float32 and W.shape == (2, 6)


def test_weights_for_torch_dtype():
    torch = pytest.importorskip("torch")

    @settings(max_examples=20, database=None)
    @given(rst.weights_for(D3, D3, dtype=torch.float32, equivariant=True))
    def check(W):
        assert isinstance(W, torch.Tensor) and W.dtype == torch.float32
        assert_intertwiner(W.numpy(), D3, D3)

    check()


def test_lie_representations_reject_exact():
    from reptheory.groups.lie_catalog import SO3

    with pytest.raises(InvalidArgumentError, match="finite groups only"):
        rst.representations(SO3(), exact=True)
    with pytest.raises(InvalidArgumentError, match="products"):
        rst.lie_groups(products=1)


# ------------------------------------------------------------------- profiles
def test_register_profiles_matches_the_documented_settings(monkeypatch):
    from hypothesis import HealthCheck

    monkeypatch.setenv("REPTHEORY_TEST_PROFILE_VAR", "thorough")
    assert register_profiles(load=False, env_var="REPTHEORY_TEST_PROFILE_VAR") == "thorough"
    ci = settings.get_profile("ci")
    assert ci.max_examples >= 200 and ci.derandomize and ci.database is None and ci.deadline is None
    assert HealthCheck.too_slow in ci.suppress_health_check
    assert settings.get_profile("dev").max_examples == 50
    assert settings.get_profile("thorough").max_examples == 2000


def test_register_profiles_rejects_unknown_names(monkeypatch):
    monkeypatch.setenv("REPTHEORY_TEST_PROFILE_VAR", "fast")
    with pytest.raises(InvalidArgumentError, match="fast"):
        register_profiles(load=False, env_var="REPTHEORY_TEST_PROFILE_VAR")
