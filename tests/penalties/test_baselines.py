"""Baselines and the identities of docs/explanation/penalties.md#orbit-identity, docs/explanation/penalties.md#sample-based, docs/explanation/penalties.md#generator-penalty, docs/explanation/penalties.md#rpp, proved numerically."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from penalties import (
    EquivarianceRegularizer,
    GeneratorPenalty,
    LayerSpec,
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


# ----------------------------------------------------------------------------- added for the experiments
def test_per_example_sample_penalty_matches_manual_draws_and_expectation(rng):
    """One element per example: equals the explicit per-example sum; mean over draws → 2‖W − PW‖²."""
    from penalties import project_
    from penalties.baselines import SampleBasedPenalty as SBP

    lin = nn.Linear(8, 16, bias=False).double()
    x = torch.from_numpy(rng.standard_normal((5, 8)))
    pen = SBP(lin, R, 2 * R, m=3, rng=7, per_example=True)
    val = pen(x).item()
    A, B, _ = group_bank(R, 2 * R)
    draws = np.random.default_rng(7).integers(0, 8, size=(3, 5))
    fx = lin(x).detach()
    manual = sum(float(((lin(A[d[b]] @ x[b]).detach() - B[d[b]] @ fx[b]) ** 2).sum()) for d in draws for b in range(5)) / 15
    assert abs(val - manual) < 1e-10 * max(1.0, manual)
    assert len({tuple(d) for d in draws}) > 1  # the draws do differ across examples
    xi = np.sqrt(8.0) * torch.eye(8, dtype=torch.float64)
    big = SBP(lin, R, 2 * R, m=3000, rng=rng, per_example=True)(xi).item()
    exact = 2 * float(projection_penalty(lin.weight.detach(), projection_for(R, 2 * R).double()))
    assert abs(big - exact) < 0.05 * exact
    project_(lin, {"": (R, 2 * R)})
    assert pen(x).item() < 1e-20


def test_per_example_sample_penalty_on_fields(rng):
    from penalties import constrain_

    G = groups.square_rotations()
    Rg, one = Representation.regular(G), Representation.trivial(G)
    conv = nn.Conv2d(1, 4, 3, padding=1, bias=False).double()
    pen = SampleBasedPenalty(conv, one, Rg, m=2, grid=Representation.defining(G), rng=1, per_example=True)
    x = torch.from_numpy(rng.standard_normal((6, 1, 5, 5)))
    assert pen(x).item() > 1e-3
    constrain_(conv, {"": (one, Rg)})
    assert pen(x).item() < 1e-20


def test_group_augmentation(rng):
    from penalties import constrain_
    from penalties.baselines import GroupAugmentation

    x = torch.from_numpy(rng.standard_normal((64, 8)))
    y = torch.from_numpy(rng.standard_normal((64, 16)))
    same = GroupAugmentation(R, 2 * R, p=0.0, rng=0)(x, y)
    assert torch.equal(same[0], x) and torch.equal(same[1], y)
    lin = constrain_(nn.Linear(8, 16, bias=False).double(), {"": (R, 2 * R)})
    with torch.no_grad():
        gx, gfx = GroupAugmentation(R, 2 * R, p=1.0, rng=3)(x, lin(x))
        assert torch.allclose(lin(gx), gfx, atol=1e-12)  # x and y moved by the same element
    changed = (gx - x).abs().sum(1) > 1e-12
    assert 0.7 < changed.double().mean() < 1.0  # uniform over 8 elements: identity 1/8 of the time
    half = GroupAugmentation(R, 2 * R, p=0.5, rng=4)(x, y)[0]
    frac = ((half - x).abs().sum(1) > 1e-12).double().mean()
    assert 0.2 < frac < 0.7
    with pytest.raises(InvalidArgumentError, match="p=2"):
        GroupAugmentation(R, R, p=2.0)


def test_rotate_images_matches_grid_rotation_and_inverts(rng):
    import math

    from penalties._groupbank import act_on_fields
    from penalties.baselines import InterpolatedRotationPenalty, rotate_images

    x = torch.from_numpy(rng.standard_normal((3, 2, 8, 8)))
    quarter = act_on_fields(x, torch.eye(2, dtype=torch.float64), torch.tensor([[0.0, -1.0], [1.0, 0.0]]))
    assert torch.allclose(rotate_images(x, math.pi / 2), quarter, atol=1e-12)
    # a smooth bump centred at u = (4, 0) moves to R_θ (4, 0) = (4 cos θ, 4 sin θ), up to interpolation blur
    u = torch.arange(32, dtype=torch.float64) - 15.5
    bump = torch.exp(-((u[:, None] - 4) ** 2 + u[None, :] ** 2) / 18.0)[None, None]
    c, s = math.cos(0.7), math.sin(0.7)
    moved = torch.exp(-((u[:, None] - 4 * c) ** 2 + (u[None, :] - 4 * s) ** 2) / 18.0)
    assert (rotate_images(bump, 0.7)[0, 0] - moved).abs().max() < 0.04
    # a radial bump is invariant (interpolation error only); a shifted one is not
    radial = torch.exp(-(u[:, None] ** 2 + u[None, :] ** 2) / 18.0)[None, None]

    class Sum(nn.Module):
        def forward(self, t: torch.Tensor) -> torch.Tensor:
            return (t * torch.linspace(0, 1, 32, dtype=t.dtype)[None, None, :, None]).sum((1, 2, 3))[:, None]

    f = Sum()
    inv = InterpolatedRotationPenalty(f, m=4, rng=0)(radial).item()
    var = InterpolatedRotationPenalty(f, m=4, rng=0)(bump).item()
    assert var > 1.0 and inv < 1e-3 * var
    with pytest.raises(InvalidArgumentError, match="shape"):
        rotate_images(torch.zeros(2, 3, 4), 0.1)


def test_rpp_pathways_on_existing_model(rng):
    from penalties import unconstrain_
    from penalties.baselines import rpp_

    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 8)).double()
    x = torch.from_numpy(rng.standard_normal((4, 8)))
    y0 = model(x).detach()
    spec = {"0": (R, 2 * R), "2": (2 * R, R)}
    paths = rpp_(model, spec, residual_scale=1.0)
    assert torch.allclose(model(x), y0, atol=1e-12)  # residual_scale 1 keeps the function
    assert len(paths.equivariant_params()) == 4 and len(paths.residual_params()) == 4
    # the prior is a‖P(A)‖² + b‖B‖², with B = W − PW here
    reg = EquivarianceRegularizer(model, spec, lambda_eq=0.0, lambda_perp=1.0)
    for pw in paths.residual_params():
        pw.data.zero_()
    assert reg().item() < 1e-20  # no residual: exactly equivariant
    val = paths(2.0, 3.0).item()
    eq = sum(float((p * p).sum().detach()) for p in (model[0].weight, model[0].bias, model[2].weight, model[2].bias))
    assert abs(val - 2.0 * eq) < 1e-10 * eq
    paths(1.0, 1.0).backward()
    assert all(p.grad is not None for p in paths.equivariant_params())
    unconstrain_(model)
    assert isinstance(model[0].weight, nn.Parameter)
    with pytest.raises(InvalidArgumentError, match="residual_scale"):
        rpp_(model, spec, residual_scale=-1.0)
    # complex coefficients (the SO(2) harmonic projection): the prior is real, ‖P(A)‖² with |·|²
    from penalties import SO2HarmonicProjection

    P = SO2HarmonicProjection([0, 1], [0], n_radial=2, max_freq=1)

    class Coef(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.coef = nn.Parameter(torch.randn(P.shape, dtype=torch.complex128))

    mod = Coef()
    A0 = mod.coef.detach().clone()
    p2 = rpp_(mod, {"": LayerSpec(projector=P, param="coef")}, residual_scale=0.0)
    val = p2(1.0, 1.0)
    assert not val.is_complex()
    assert abs(float(val.detach()) - float((P(A0).abs() ** 2).sum())) < 1e-10
