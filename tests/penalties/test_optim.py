"""``penalties.optim.ProximalEquivariance`` and the constrained mode (tolerances, multipliers by dual ascent)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

import penalties
from penalties import EquivarianceRegularizer, LayerSpec, ProximalEquivariance, mlp_spec, project_
from penalties.errors import SpecError
from reptheory import Representation, groups
from reptheory.errors import InvalidArgumentError

G = groups.dihedral(4)
R = Representation.regular(G)
ONE = Representation.trivial(G)


def mlp(seed=0):
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 1)).double()


def data(seed=1):
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(32, 8, generator=gen, dtype=torch.float64)
    return x, x.pow(2).sum(1, keepdim=True) + x[:, :1]  # a target that is not invariant


OPTS = {
    "sgd": lambda p: torch.optim.SGD(p, lr=0.05),
    "momentum": lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9),
    "adam": lambda p: torch.optim.Adam(p, lr=1e-2),
    "adamw": lambda p: torch.optim.AdamW(p, lr=1e-2, weight_decay=0.1),
}


def loss_of(model, x, y):
    return (model(x) - y).pow(2).mean()


@pytest.mark.parametrize("name", list(OPTS))
def test_wrapper_equals_manual_step_then_prox(name):
    x, y = data()
    m1, m2 = mlp(), mlp()
    r1 = EquivarianceRegularizer(m1, mlp_spec(m1, R, ONE), lambda_eq=0.1, lambda_perp=2.0)
    r2 = EquivarianceRegularizer(m2, mlp_spec(m2, R, ONE), lambda_eq=0.1, lambda_perp=2.0)
    wrapped = ProximalEquivariance(OPTS[name](m1.parameters()), r1)
    manual = OPTS[name](m2.parameters())
    d0 = r1.layer_defect()
    for _ in range(10):
        wrapped.zero_grad()
        loss_of(m1, x, y).backward()
        wrapped.step()
        manual.zero_grad()
        loss_of(m2, x, y).backward()
        manual.step()
        r2.prox_(manual.param_groups[0]["lr"])
    for a, b in zip(m1.parameters(), m2.parameters()):
        assert torch.equal(a, b)
    assert r1.layer_defect() < 0.95 * d0  # and the proximal step did act


def test_scheduler_drives_the_prox_lr_and_groups_use_their_own_lr():
    m = mlp()
    reg = EquivarianceRegularizer(m, mlp_spec(m, R, ONE), lambda_perp=3.0)
    inner = torch.optim.SGD([{"params": m[0].parameters(), "lr": 0.1}, {"params": m[2].parameters(), "lr": 0.01}])
    opt = ProximalEquivariance(inner, reg)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
    P0, P2 = (reg.projectors[reg._entries[i].proj] for i in (0, 2))
    for lr0, lr2 in [(0.1, 0.01), (0.05, 0.005), (0.025, 0.0025)]:
        w0, w2 = m[0].weight.detach().clone(), m[2].weight.detach().clone()
        opt.zero_grad()  # no gradients: the inner SGD step leaves the weights, only the prox acts
        opt.step()
        sched.step()
        for w, P, lr, new in ((w0, P0, lr0, m[0].weight), (w2, P2, lr2, m[2].weight)):
            PW = P(w)
            assert torch.allclose(new.detach(), PW + (w - PW) / (1 + 2 * lr * 3.0), atol=1e-14)
    assert opt.param_groups[0]["lr"] == pytest.approx(0.0125)


def test_every_k_applies_k_lr_on_every_kth_step():
    m1, m2 = mlp(), mlp()
    x, y = data()
    r1 = EquivarianceRegularizer(m1, mlp_spec(m1, R, ONE), lambda_perp=1.0)
    r2 = EquivarianceRegularizer(m2, mlp_spec(m2, R, ONE), lambda_perp=1.0)
    o1 = ProximalEquivariance(torch.optim.SGD(m1.parameters(), lr=0.05), r1, every=3)
    o2 = torch.optim.SGD(m2.parameters(), lr=0.05)
    for t in range(1, 8):
        o1.zero_grad()
        loss_of(m1, x, y).backward()
        o1.step()
        o2.zero_grad()
        loss_of(m2, x, y).backward()
        o2.step()
        if t % 3 == 0:
            r2.prox_(3 * 0.05)
        for a, b in zip(m1.parameters(), m2.parameters()):
            assert torch.equal(a, b)


def _train(model, opt, steps, x, y):
    for _ in range(steps):
        opt.zero_grad()
        loss_of(model, x, y).backward()
        opt.step()


@pytest.mark.parametrize("constrained", [False, True])
def test_state_dict_round_trip_resumes_bit_for_bit(constrained, tmp_path):
    x, y = data()
    kw = {"tolerance": 0.2, "tolerance_start": 0.6, "homotopy_steps": 6} if constrained else {"lambda_perp": 2.0}

    def build():
        m = mlp()
        reg = EquivarianceRegularizer(m, mlp_spec(m, R, ONE), **kw)
        return m, reg, ProximalEquivariance(torch.optim.Adam(m.parameters(), lr=1e-2), reg, every=2)

    m, reg, opt = build()
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.9)
    for _ in range(5):
        _train(m, opt, 1, x, y)
        sched.step()
    torch.save({"model": m.state_dict(), "opt": opt.state_dict(), "sched": sched.state_dict()}, tmp_path / "ck.pt")
    for _ in range(5):
        _train(m, opt, 1, x, y)
        sched.step()
    ref = [p.detach().clone() for p in m.parameters()]
    ref_mult = reg.multipliers()

    m2, reg2, opt2 = build()
    sched2 = torch.optim.lr_scheduler.ExponentialLR(opt2, gamma=0.9)
    ck = torch.load(tmp_path / "ck.pt")
    m2.load_state_dict(ck["model"])
    opt2.load_state_dict(ck["opt"])
    sched2.load_state_dict(ck["sched"])
    for _ in range(5):
        _train(m2, opt2, 1, x, y)
        sched2.step()
    for a, b in zip(ref, m2.parameters()):
        assert torch.equal(a, b)
    assert reg2.multipliers() == ref_mult
    if constrained:
        assert any(v > 0 for v in ref_mult.values())
        assert "constraint_multipliers" in reg.state_dict()


def test_under_torch_compile():
    x, y = data()
    m1, m2 = mlp(), mlp()
    c1 = torch.compile(m1, backend="eager")
    r1 = EquivarianceRegularizer(c1, mlp_spec(m1, R, ONE), lambda_perp=2.0)
    r2 = EquivarianceRegularizer(m2, mlp_spec(m2, R, ONE), lambda_perp=2.0)
    o1 = ProximalEquivariance(torch.optim.AdamW(c1.parameters(), lr=1e-2), r1)
    o2 = ProximalEquivariance(torch.optim.AdamW(m2.parameters(), lr=1e-2), r2)
    _train(c1, o1, 5, x, y)
    _train(m2, o2, 5, x, y)
    for a, b in zip(m1.parameters(), m2.parameters()):
        assert torch.allclose(a, b, atol=1e-12)


def test_wrapper_bad_inputs():
    m, other = mlp(), mlp()
    reg = EquivarianceRegularizer(m, mlp_spec(m, R, ONE))
    with pytest.raises(InvalidArgumentError, match="regularizer"):
        ProximalEquivariance(torch.optim.SGD(other.parameters(), lr=0.1), reg)
    with pytest.raises(InvalidArgumentError, match="regularizer"):
        ProximalEquivariance(torch.optim.SGD(m.parameters(), lr=0.1), object())
    with pytest.raises(InvalidArgumentError, match="optimizer"):
        ProximalEquivariance(object(), reg)
    for every in (0, -1, 1.5, True):
        with pytest.raises(InvalidArgumentError, match="every"):
            ProximalEquivariance(torch.optim.SGD(m.parameters(), lr=0.1), reg, every=every)
    opt = ProximalEquivariance(torch.optim.SGD(m.parameters(), lr=0.1), reg)
    opt.param_groups[0]["lr"] = -0.1
    with pytest.raises(InvalidArgumentError, match=r"param_groups\[0\]\['lr'\]"):
        opt.step()
    with pytest.raises(InvalidArgumentError, match="state_dict"):
        opt.load_state_dict({"x": 1})


# ---------------------------------------------------------------------- constrained mode
class _Two(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Linear(8, 8, bias=False)
        self.b = nn.Linear(8, 8, bias=False)


def _toy():
    """Layer ``a`` fits a non-equivariant map (its optimum has relative defect ≈ 0.89), ``b`` an equivariant one.

    The inputs are a whole ``G``-orbit of samples, so the sample covariance commutes with ``ρ(g)``
    and the task gradient of ``b`` stays in ``Hom_G``: ``b`` starts and stays inside its tolerance.
    """
    torch.manual_seed(0)
    gen = torch.Generator().manual_seed(0)
    mats = torch.as_tensor(np.array(R.matrices()), dtype=torch.float64)
    x0 = torch.randn(16, 8, generator=gen, dtype=torch.float64)
    x = torch.cat([x0 @ g.T for g in mats])
    A = torch.randn(8, 8, generator=gen, dtype=torch.float64)
    m = _Two().double()
    project_(m.b, {"": LayerSpec(R, R, bias=False)})
    B = project_(nn.Linear(8, 8, bias=False).double(), {"": LayerSpec(R, R, bias=False)}).weight.detach()
    return m, x, A, B


def test_constrained_mode_reaches_the_tolerance_and_leaves_satisfied_layers_alone():
    m, x, A, B = _toy()
    tau = 0.1
    reg = EquivarianceRegularizer(m, {"a": (R, R), "b": (R, R)}, tolerance=tau)
    P = reg.projectors[0]
    assert float((A - P(A)).norm() / A.norm()) > 5 * tau  # the unconstrained optimum violates τ
    opt = ProximalEquivariance(torch.optim.SGD(m.parameters(), lr=0.1), reg)
    history = []
    for _ in range(300):
        opt.zero_grad()
        ((m.a(x) - x @ A.T).pow(2).mean() + (m.b(x) - x @ B.T).pow(2).mean()).backward()
        opt.step()
        lam = reg.multipliers()
        assert min(lam.values()) >= 0.0
        assert lam["b"] == 0.0  # b is inside its tolerance at every step
        history.append(reg.breakdown()["a.weight"]["layer_relative"])
    # stated: after 50 steps the defect stays at most 2 % above τ, and within 1 % at 300 steps
    assert max(history[50:]) <= 1.02 * tau
    assert history[-1] <= 1.01 * tau
    assert lam["a"] > 0
    bd = reg.breakdown()
    assert bd["a.weight"]["tolerance"] == tau and bd["a.weight"]["multiplier"] == lam["a"]
    assert bd["b.weight"]["layer_relative"] < 1e-12


def test_homotopy_schedule_tightens_geometrically():
    m, x, A, _ = _toy()
    reg = EquivarianceRegularizer(m, {"a": (R, R)}, tolerance={"a": 0.05}, tolerance_start=0.5,
                                  homotopy_steps=100)
    opt = ProximalEquivariance(torch.optim.SGD(m.parameters(), lr=0.1), reg)
    for t in range(300):
        if t == 50:
            assert reg.breakdown()["a.weight"]["tolerance"] == pytest.approx((0.5 * 0.05) ** 0.5)
        opt.zero_grad()
        (m.a(x) - x @ A.T).pow(2).mean().backward()
        opt.step()
    bd = reg.breakdown()["a.weight"]
    assert bd["tolerance"] == 0.05
    assert bd["layer_relative"] <= 1.02 * 0.05
    assert list(reg.multipliers()) == ["a"]  # b has no tolerance and no penalty


def test_constrained_penalty_route_with_dual_step():
    """``reg()`` in the loss is the Lagrangian term; ``reg.dual_step(lr)`` updates the multipliers."""
    m, x, A, _ = _toy()
    reg = EquivarianceRegularizer(m, {"a": (R, R)}, tolerance=0.1)
    opt = torch.optim.SGD(m.parameters(), lr=0.1)
    for _ in range(300):
        opt.zero_grad()
        ((m.a(x) - x @ A.T).pow(2).mean() + reg()).backward()
        opt.step()
        reg.dual_step(0.1)
    assert reg.breakdown()["a.weight"]["layer_relative"] <= 1.05 * 0.1
    # the value is Σ λ (‖E‖² − τ²‖W‖²)
    lam = reg.multipliers()["a"]
    W = m.a.weight.detach()
    E = W - reg.projectors[0](W)
    expected = lam * (E.pow(2).sum() - 0.01 * W.pow(2).sum())
    assert torch.allclose(reg().detach(), expected)


def test_constrained_bad_inputs():
    m = mlp()
    spec = mlp_spec(m, R, ONE)
    for bad in (0.0, -0.1, 1.0, 1.5, float("nan"), "x"):
        with pytest.raises(InvalidArgumentError, match="tolerance"):
            EquivarianceRegularizer(m, spec, tolerance=bad)
    with pytest.raises(InvalidArgumentError, match=r"tolerance\['0'\]"):
        EquivarianceRegularizer(m, spec, tolerance={"0": 1.0})
    with pytest.raises(SpecError, match="'nope'"):
        EquivarianceRegularizer(m, spec, tolerance={"nope": 0.1})
    with pytest.raises(InvalidArgumentError, match="tolerance_start"):
        EquivarianceRegularizer(m, spec, tolerance_start=0.5)
    with pytest.raises(InvalidArgumentError, match="dual_lr"):
        EquivarianceRegularizer(m, spec, tolerance=0.1, dual_lr=0.0)
    with pytest.raises(InvalidArgumentError, match="homotopy_steps"):
        EquivarianceRegularizer(m, spec, tolerance=0.1, homotopy_steps=-1)
    with pytest.raises(InvalidArgumentError, match="dual_step"):
        EquivarianceRegularizer(m, spec).dual_step(0.1)
    assert EquivarianceRegularizer(m, spec).multipliers() == {}
    assert penalties.ProximalEquivariance is penalties.optim.ProximalEquivariance
