"""Baselines and the identities of docs/explanation/penalties.md#orbit-identity, docs/explanation/penalties.md#sample-based, docs/explanation/penalties.md#generator-penalty, docs/explanation/penalties.md#rpp, proved numerically."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from penalties import (
    EquivarianceRegularizer,
    GeneratorPenalty,
    RPPConv,
    RPPLinear,
    SampleBasedPenalty,
    equivariance_error,
    layerwise_sample_penalty,
    projection_for,
    projection_penalty,
    rpp_lambdas,
)
from penalties._groupbank import group_bank
from reptheory import Representation, groups
from reptheory._numerics.tolerance import tolerance
from reptheory.errors import InvalidArgumentError

TOL = tolerance("float64").rtol
D4 = groups.dihedral(4)
R = Representation.regular(D4)
ONE = Representation.trivial(D4)


def test_full_orbit_average_is_twice_projection_distance(rng):
    """∫ ‖ρ_out(g) W − W ρ_in(g)‖² dg = 2 ‖W − P(W)‖² (docs/explanation/penalties.md#orbit-identity), over all elements."""
    W = torch.from_numpy(rng.standard_normal((16, 8)))
    A, B, _ = group_bank(R, 2 * R)
    full = layerwise_sample_penalty(W, B, A, torch.arange(8))
    exact = projection_penalty(W, projection_for(R, 2 * R).double())
    assert abs(float(full) - 2 * float(exact)) < TOL * float(full)


def test_sample_penalty_converges_to_twice_projection_penalty(rng):
    """With isotropic inputs the function-level sample penalty of a linear layer → 2‖W − PW‖² (docs/explanation/penalties.md#sample-based)."""
    lin = nn.Linear(8, 16, bias=False).double()
    x = np.sqrt(8.0) * torch.eye(8, dtype=torch.float64)  # E[x xᵀ] = I exactly
    pen = SampleBasedPenalty(lin, R, 2 * R, m=4000, rng=rng)
    est = pen(x).item()
    exact = 2 * float(projection_penalty(lin.weight.detach(), projection_for(R, 2 * R).double()))
    assert abs(est - exact) < 0.05 * exact
    # gradient has the same expectation as the exact one, up to sampling error
    lin.zero_grad()
    pen(x).backward()
    g_est = lin.weight.grad.clone()
    W = lin.weight.detach().clone().requires_grad_()
    (2 * projection_penalty(W, projection_for(R, 2 * R).double())).backward()
    assert torch.linalg.norm(g_est - W.grad) < 0.1 * torch.linalg.norm(W.grad)


def test_sample_penalty_on_fields_zero_when_equivariant(rng):
    G = groups.square_rotations()
    Rg, one, grid = Representation.regular(G), Representation.trivial(G), Representation.defining(G)
    conv = nn.Conv2d(1, 4, 3, padding=1, bias=False).double()
    pen = SampleBasedPenalty(conv, one, Rg, m=3, grid=grid, rng=0)
    x = torch.from_numpy(rng.standard_normal((2, 1, 7, 7)))
    assert pen(x).item() > 1e-3
    from penalties import project_

    project_(conv, {"": (one, Rg, grid)})
    assert pen(x).item() < TOL


def test_generator_penalty_is_laplacian_quadratic_form(rng):
    """R_S = ⟨E, L_S E⟩ with L_S = Σ_s (2I − T_s − T_sᵀ), and the bounds of docs/explanation/penalties.md#generator-penalty."""
    lin = nn.Linear(8, 8, bias=False).double()
    gen = GeneratorPenalty(lin, {"": (R, R)}).double()
    n = 64
    L = np.zeros((n, n))
    for A in R.images:
        T = np.kron(A, A)  # row-major: vec_r(A W Aᵀ) = (A ⊗ A) vec_r(W)
        L += 2 * np.eye(n) - T - T.T
    P = projection_for(R, R).double()
    E = (lin.weight - P(lin.weight)).detach().numpy().reshape(-1)
    val = gen().item()
    assert abs(val - E @ L @ E) < TOL * val
    ev = np.linalg.eigvalsh(L)
    lam_min = ev[ev > 1e-9].min()
    e2 = E @ E
    assert lam_min * e2 - TOL <= val <= 4 * len(R.images) * e2 + TOL
    P.eval()
    with torch.no_grad():
        lin.weight.copy_(P(lin.weight))
    assert gen().item() < TOL


def test_generator_penalty_lie_bounds(rng):
    """SO(3): 2‖E‖² ≤ R_gen ≤ L(L+1)‖E‖² (docs/explanation/penalties.md#generator-penalty)."""
    lie = pytest.importorskip("reptheory.groups.lie_catalog")
    try:
        irr = lie.SO3().irreps(2)
    except ImportError:
        pytest.skip("SO(3) irreps not available")
    rin = irr[0] + irr[1]
    rout = irr[1] + irr[2]
    lin = nn.Linear(4, 8, bias=False).double()
    gen = GeneratorPenalty(lin, {"": (rin, rout)}).double()
    e2 = EquivarianceRegularizer(lin, {"": (rin, rout)})().item()
    val = gen().item()
    L = 1 + 2
    assert 2 * e2 * (1 - 1e-9) <= val <= L * (L + 1) * e2 * (1 + 1e-9)


def test_generator_penalty_conv_and_bias(rng):
    G = groups.square_symmetries()
    Rg, grid = Representation.regular(G), Representation.defining(G)
    conv = nn.Conv2d(8, 8, 3).double()
    gen = GeneratorPenalty(conv, {"": (Rg, Rg, grid)}).double()
    # brute force: Σ_s ‖ρ(s) K(s⁻¹ t) ρ(s)ᵀ − K(t)‖² + ‖ρ(s) b − b‖²
    K = conv.weight.detach().numpy()
    b = conv.bias.detach().numpy()
    total = 0.0
    for A, g in zip(Rg.images, np.round(grid.images).astype(int)):
        gk = np.zeros_like(K)
        for i in range(3):
            for j in range(3):
                u = g.T @ np.array([i - 1, j - 1])
                gk[:, :, i, j] = A @ K[:, :, u[0] + 1, u[1] + 1] @ A.T
        total += np.sum((gk - K) ** 2) + np.sum((A @ b - b) ** 2)
    assert abs(gen().item() - total) < TOL * total
    from penalties import project_

    project_(conv, {"": (Rg, Rg, grid)})
    assert gen().item() < TOL


def test_rpp_minimum_over_splits_equals_projection_penalty(rng):
    """min_{P(A)+B=W} a‖P A‖² + b‖B‖² = (ab/(a+b))‖PW‖² + b‖W − PW‖² (docs/explanation/penalties.md#rpp)."""
    a, b = 0.7, 2.0
    P = projection_for(R, 2 * R).double()
    W = torch.from_numpy(rng.standard_normal((16, 8)))
    lam_eq, lam_perp = rpp_lambdas(a, b)
    target = float(projection_penalty(W, P, lambda_eq=lam_eq, lambda_perp=lam_perp))
    # closed-form minimiser U* = b/(a+b) P W
    U = b / (a + b) * P(W)
    assert abs(float(a * U.pow(2).sum() + b * (W - U).pow(2).sum()) - target) < TOL * target
    # numerical minimisation over the free parameter A (B = W − P(A))
    A = torch.zeros_like(W, requires_grad=True)
    opt = torch.optim.LBFGS([A], max_iter=30, tolerance_grad=1e-12, tolerance_change=1e-14)

    def closure():
        opt.zero_grad()
        PA = P(A)
        loss = a * PA.pow(2).sum() + b * (W - PA).pow(2).sum()
        loss.backward()
        return loss

    opt.step(closure)
    assert abs(closure().item() - target) < 1e-8 * target
    # any other split is worse
    V = P(torch.from_numpy(rng.standard_normal((16, 8))))
    assert float(a * (U + V).pow(2).sum() + b * (W - U - V).pow(2).sum()) > target


def test_rpp_linear_layer(rng):
    lin = RPPLinear(R, 2 * R).double()
    x = torch.from_numpy(rng.standard_normal((5, 8)))
    out = lin(x)
    assert torch.allclose(out, x @ lin.weight.T + lin.bias)
    groups_ = lin.param_groups(1e-4, 1e-2)
    assert groups_[0]["weight_decay"] == 1e-4 and len(groups_[1]["params"]) == 2
    PA = lin.proj(lin.weight_eq)
    expected = 0.5 * PA.pow(2).sum() + 2.0 * lin.weight_res.pow(2).sum()
    expected = expected + 0.5 * lin.bias_proj(lin.bias_eq).pow(2).sum() + 2.0 * lin.bias_res.pow(2).sum()
    assert torch.allclose(lin.prior(0.5, 2.0), expected)
    with torch.no_grad():
        lin.weight_res.zero_()
        lin.bias_res.zero_()
    assert equivariance_error(lin, x, R, 2 * R)["max"] < TOL


def test_rpp_conv_equivariant_without_residual(rng):
    G = groups.square_symmetries()
    Rg, one, grid = Representation.regular(G), Representation.trivial(G), Representation.defining(G)
    conv = RPPConv(one, Rg, 3, padding=1).double()
    with torch.no_grad():
        conv.weight_res.zero_()
        conv.bias_res.zero_()
    x = torch.from_numpy(rng.standard_normal((2, 1, 7, 7)))
    assert equivariance_error(conv, x, one, Rg, grid=grid)["max"] < TOL


def test_equivariance_error_sampling_and_errors(rng):
    lin = nn.Linear(8, 8).double()
    x = torch.from_numpy(rng.standard_normal((4, 8)))
    e1 = equivariance_error(lin, x, R, R, n_samples=5, rng=1)
    e2 = equivariance_error(lin, x, R, R, n_samples=5, rng=1)
    assert e1 == e2 and e1["n_elements"] == 5 and 0 < e1["median"] <= e1["max"] <= 2
    with pytest.raises(InvalidArgumentError, match="n_samples"):
        equivariance_error(lin, x, R, R, n_samples=0)
    with pytest.raises(InvalidArgumentError, match="m=0"):
        SampleBasedPenalty(lin, R, R, m=0)
    with pytest.raises(InvalidArgumentError, match="weight decays"):
        rpp_lambdas(0.0, 0.0)
