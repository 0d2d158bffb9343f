"""penalties: weights and counts are validated; state_dicts must describe and fit the projectors."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from penalties import EquivarianceRegularizer
from penalties.baselines import SampleBasedPenalty, rpp_lambdas
from penalties.functional import projection_penalty
from penalties.projectors import OrbitProjection
from penalties.regularizer import LayerSpec
from reptheory import Representation, groups
from reptheory.errors import GroupMismatchError, InvalidArgumentError

R4 = Representation.regular(groups.cyclic(4))
R8 = Representation.regular(groups.dihedral(4))
P = OrbitProjection(torch.tensor([0, 0]), torch.tensor([1.0, 1.0]), 1, shape=(1, 2))

BAD = [
    (lambda: LayerSpec(R4, R4, lambda_perp=-5), "LayerSpec.lambda_perp"),
    (lambda: LayerSpec(R4, R4, lambda_eq=float("nan")), "LayerSpec.lambda_eq"),
    (lambda: LayerSpec(R4, R4, lambda_perp=float("inf")), "LayerSpec.lambda_perp"),
    (lambda: LayerSpec(R4, R4, lambda_perp="1"), "LayerSpec.lambda_perp"),
    (lambda: rpp_lambdas(float("nan"), 1), "a"),
    (lambda: rpp_lambdas(1, float("inf")), "b"),
    (lambda: rpp_lambdas("1", 1), "a"),
    (lambda: SampleBasedPenalty(nn.Linear(4, 4), R4, R4, m=1.9), "m"),
    (lambda: SampleBasedPenalty(nn.Linear(4, 4), R4, R4, m=True), "m"),
    (lambda: EquivarianceRegularizer(None, {"": (R4, R4)}), "model"),
    (lambda: EquivarianceRegularizer(nn.Linear(4, 4), {"": (R4, R4)}, lambda_perp="1"), "lambda_perp"),
    (lambda: EquivarianceRegularizer(nn.Linear(4, 4), {"": (R4, R4)}, lambda_eq=-1.0), "lambda_eq"),
    (lambda: EquivarianceRegularizer(nn.Linear(4, 4), [("", (R4, R4))]), "spec"),
    (lambda: projection_penalty(np.ones((1, 2)), P), "weight"),
    (lambda: projection_penalty(torch.ones(1, 2), P, lambda_perp=float("nan")), "lambda_perp"),
    (lambda: projection_penalty(torch.ones(1, 2), P, lambda_eq="0.5"), "lambda_eq"),
]


@pytest.mark.parametrize("case", range(len(BAD)))
def test_bad_inputs_get_typed_errors(case):
    fn, name = BAD[case]
    with pytest.raises(InvalidArgumentError) as info:
        fn()
    assert name in str(info.value), str(info.value)


@given(st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-10, 10), st.text(max_size=3),
                 st.none(), st.booleans()))
@settings(max_examples=80, deadline=None)
def test_layer_lambdas_are_finite_non_negative_numbers(value):
    ok = (value is None or (isinstance(value, (int, float)) and not isinstance(value, bool)
                            and math.isfinite(value) and value >= 0))
    if ok:
        LayerSpec(R4, R4, lambda_perp=value)
    else:
        with pytest.raises(InvalidArgumentError, match="lambda_perp"):
            LayerSpec(R4, R4, lambda_perp=value)


def _reg(rho, d):
    return EquivarianceRegularizer(nn.Linear(d, d), {"": (rho, rho)}, lambda_perp=1.0)


def test_state_dict_of_another_group_is_refused():
    a = _reg(R8, 8)
    b = _reg(Representation.regular(groups.cyclic(8)), 8)
    with pytest.raises(GroupMismatchError, match="digest"):
        a.load_state_dict(b.state_dict())
    sd = b.state_dict()
    sd.pop("projectors._projector_digest")
    with pytest.raises(InvalidArgumentError, match="describe"):
        a.load_state_dict(sd)


def test_state_dict_roundtrip_keeps_the_penalty():
    a, b = _reg(R8, 8), _reg(R8, 8)
    b.load_state_dict(a.state_dict())
    with torch.no_grad():
        assert torch.equal(a(), a())
    assert "projectors._projector_digest" in a.state_dict()


def test_state_dict_of_another_shape_is_refused():
    a = _reg(R8, 8)
    b = _reg(R4, 4)
    with pytest.raises(GroupMismatchError):
        a.load_state_dict(b.state_dict())
