"""Penalty laws (docs/explanation/penalties.md#basic-facts, docs/explanation/penalties.md#orbit-identity) driven through ``penalties`` with the shipped strategies."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from reptheory import Representation, groups
from reptheory.testing import laws
from reptheory.testing import strategies as rst

pytest.importorskip("torch")

SMALL = rst.finite_groups(max_order=12)
PAIRS = SMALL.flatmap(lambda G: rst.intertwiner_pairs(G, max_dim=4))


def _weights(pair):
    rho_in, rho_out = pair
    return st.tuples(
        st.just(rho_in),
        st.just(rho_out),
        st.one_of(
            rst.weights_for(rho_in, rho_out),
            rst.weights_for(rho_in, rho_out, equivariant=True),
            rst.weights_for(rho_in, rho_out, violation=(0.0, 1e-3)),
        ),
    )


CASES = PAIRS.flatmap(_weights)


@given(CASES)
def test_orbit_identity(case):
    laws.orbit_identity(*case)


@given(SMALL.flatmap(lambda G: rst.intertwiner_pairs(G, max_dim=4, orthogonal=False)).flatmap(_weights))
def test_orbit_identity_needs_orthogonality(case):
    """For non-orthogonal reps the identity is stated in the invariant norm; check it after Weyl's trick."""
    rho_in, rho_out, W = case
    s_in, L_in = rho_in.orthogonalize()
    s_out, L_out = rho_out.orthogonalize()
    laws.orbit_identity(s_in, s_out, L_out @ W @ np.linalg.inv(L_in))


@given(CASES)
def test_penalty_nonnegative(case):
    laws.penalty_nonnegative(*case)


@given(CASES)
def test_penalty_zero_iff_equivariant(case):
    laws.penalty_zero_iff_equivariant(*case)


@given(CASES)
def test_penalty_gradient(case):
    laws.penalty_gradient(*case)


def test_penalty_law_accepts_a_custom_penalty():
    import torch

    R = Representation.regular(groups.cyclic(4))
    P = torch.as_tensor(np.full((4, 4), 0.25))

    def circulant_penalty(w):
        # project onto circulants by averaging the wrapped diagonals
        idx = (torch.arange(4)[:, None] - torch.arange(4)[None, :]) % 4
        means = torch.stack([w[idx == k].mean() for k in range(4)])
        return ((w - means[idx]) ** 2).sum()

    W = np.arange(16.0).reshape(4, 4)
    laws.penalty_nonnegative(R, R, W, penalty=circulant_penalty)
    laws.penalty_gradient(R, R, W, penalty=circulant_penalty)
    assert P.shape == (4, 4)


@given(rst.lie_groups().flatmap(lambda G: rst.intertwiner_pairs(G, max_dim=4)).flatmap(_weights))
def test_orbit_identity_lie_monte_carlo(case):
    """Haar Monte Carlo within the law's stated 6-sigma band."""
    laws.orbit_identity(*case, n_samples=64)
