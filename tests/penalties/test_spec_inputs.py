"""Spec helpers and the equivariance metric refuse bad input early, with typed errors (issue 15)."""

from __future__ import annotations

import pytest
import torch
from torch import nn

import penalties
from penalties.errors import DimensionMismatchError, GroupMismatchError, InvalidArgumentError
from reptheory import Representation, groups


def test_regular_hidden_width_checked_against_the_order_before_building_anything(monkeypatch):
    G = groups.alternating(8)  # order 20160
    calls = []
    real = Representation.regular

    def spy(group, *a, **k):
        calls.append(group)
        return real(group, *a, **k)

    monkeypatch.setattr(Representation, "regular", staticmethod(spy))
    m = nn.Sequential(nn.Linear(8, 96), nn.ReLU(), nn.Linear(96, 1))
    with pytest.raises(DimensionMismatchError, match="20160"):
        penalties.mlp_spec(m, Representation.defining(G), Representation.trivial(G))
    assert calls == []  # the 20160-dimensional regular representation was never built


def test_regular_hidden_on_a_lie_group_is_a_typed_error():
    lie = pytest.importorskip("reptheory.groups.lie_catalog")
    G = lie.SO(3)
    m = nn.Sequential(nn.Linear(3, 12), nn.ReLU(), nn.Linear(12, 1))
    with pytest.raises(InvalidArgumentError, match="compact Lie group"):
        penalties.mlp_spec(m, Representation.defining(G), Representation.trivial(G))
    with pytest.raises(InvalidArgumentError, match="compact Lie group"):
        penalties.regular_spec(m, G)
    # an explicit hidden field works
    spec = penalties.mlp_spec(m, Representation.defining(G), Representation.trivial(G),
                              hidden=lambda w: Representation.trivial(G, w), pointwise_ok=True)
    assert list(spec) == ["0", "2"]


def test_swapped_representations_are_refused_with_a_hint():
    G = groups.dihedral(4)
    R, one = Representation.regular(G), Representation.trivial(G)
    m = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 1))
    with pytest.raises(DimensionMismatchError, match="swapped"):
        penalties.mlp_spec(m, one, R)
    with pytest.raises(DimensionMismatchError, match="rho_in='regular' has dimension 8"):
        penalties.mlp_spec(nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 1)), R, one)
    with pytest.raises(GroupMismatchError):
        penalties.mlp_spec(m, R, Representation.trivial(groups.cyclic(8)))
    with pytest.raises(InvalidArgumentError, match="Representation"):
        penalties.mlp_spec(m, "regular", one)


def test_equivariance_error_with_the_wrong_representation_is_typed():
    G = groups.dihedral(4)
    R, one = Representation.regular(G), Representation.trivial(G)
    m = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 1))
    x = torch.randn(3, 8)
    with pytest.raises(DimensionMismatchError, match="rho_out"):
        penalties.equivariance_error(m, x, R, R)
    with pytest.raises(DimensionMismatchError, match="rho_in"):
        penalties.equivariance_error(m, x, one, one)
    assert penalties.equivariance_error(m, x, R, one)["n_elements"] == 8
