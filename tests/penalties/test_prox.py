"""``EquivarianceRegularizer.prox_``: the closed form against explicit group averages, for every projector kind.

Oracle: a dense matrix ``P`` of the group average (brute force over a finite group, an exact
average over ``C_64`` for the SO(2) phases, the common fixed space of two generic rotations
for SO(3)); then ``prox(W) = P W / (1 + 2 lr λ_G) + (W − P W) / (1 + 2 lr λ_⊥)``.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from scipy.linalg import block_diag
from torch import nn

from penalties import EquivarianceRegularizer, LayerSpec, _fast, project_
from penalties.projectors import BasisProjection, KernelAverageProjection, OrbitProjection, projection_for
from penalties.spectral import CyclicFFTProjection, FourierMaskProjection, SO2HarmonicProjection
from penalties.spectral3d import SO3HarmonicProjection
from reptheory import Representation, groups
from reptheory.errors import InvalidArgumentError
from tests.penalties.test_projectors import REG, SGN, SQ1, SQR, SQV, brute_average, brute_kernel_average

lie = pytest.importorskip("reptheory.groups.lie_catalog")
SO3 = lie.SO3()
IRR = SO3.irreps(3)
LE, LP, LR = 0.3, 1.7, 0.05


def dense(fn, shape, complex_=False):
    """Matrix of the linear map ``fn`` on arrays of ``shape`` (columns = images of the unit arrays)."""
    n = int(np.prod(shape))
    cols = []
    for i in range(n):
        e = np.zeros(n, dtype=complex if complex_ else float)
        e[i] = 1.0
        cols.append(np.asarray(fn(e.reshape(shape))).reshape(-1))
    return np.stack(cols, axis=1)


def fixed_space_projector(actions):
    """Orthogonal projector onto the common fixed space of the given action matrices."""
    A = np.concatenate([a - np.eye(a.shape[0]) for a in actions])
    _, s, vt = np.linalg.svd(A)
    null = vt[np.sum(s > 1e-9):]
    return null.T @ null.conj()


def so3_dsum(ls, g):
    return block_diag(*[SO3.representation_matrix(IRR[l], g) for l in ls])


def _irreps(ls):
    rep = None
    for l in ls:
        rep = IRR[l] if rep is None else rep + IRR[l]
    return rep


_ORACLES: dict = {}


def case(kind, rng):
    """(module, spec, parameter name, dense oracle P acting on the flattened parameter, complex?).

    The oracle matrices are deterministic and cached per kind (the modules are fresh each call).
    """
    m, spec, name, P, cplx = _case(kind, rng)
    if kind not in _ORACLES:
        _ORACLES[kind] = P()
    return m, spec, name, _ORACLES[kind], cplx


def _case(kind, rng):
    if kind == "orbit-regular":
        m = nn.Linear(8, 16, bias=False)
        def P():
            return dense(lambda W: brute_average(REG, 2 * REG, W), (16, 8))
        return m, {"": LayerSpec(REG, 2 * REG, bias=False)}, "weight", P, False
    if kind == "orbit-regular-bias":
        m = nn.Linear(8, 16)
        def P():
            return dense(lambda b: brute_average(Representation.trivial(REG.group), 2 * REG, b[:, None])[:, 0], (16,))
        return m, {"": LayerSpec(REG, 2 * REG)}, "bias", P, False
    if kind == "orbit-signed":
        m = nn.Linear(9, 16, bias=False)
        def P():
            return dense(lambda W: brute_average(REG + SGN, 2 * REG, W), (16, 9))
        return m, {"": LayerSpec(REG + SGN, 2 * REG, bias=False)}, "weight", P, False
    if kind == "orbit-sparse-so3":
        R = _irreps([0, 1, 2, 0, 1])
        m = nn.Linear(R.dim, R.dim, bias=False)
        gs = SO3.sample(2, rng=3)
        def oracle():
            return fixed_space_projector([dense(lambda W, g=g: so3_dsum([0, 1, 2, 0, 1], g) @ W @ so3_dsum(
                [0, 1, 2, 0, 1], g).T, (R.dim, R.dim)) for g in gs])

        return m, {"": LayerSpec(R, R, bias=False)}, "weight", oracle, False
    if kind == "isotypic":
        th = 0.7
        V = SQV.change_basis(np.array([[np.cos(th), -np.sin(th)], [np.sin(th), np.cos(th)]]))
        m = nn.Linear(3, 8, bias=False)
        def P():
            return dense(lambda W: brute_average(V + SQ1, SQR, W), (8, 3))
        return m, {"": LayerSpec(V + SQ1, SQR, bias=False)}, "weight", P, False
    if kind == "basis":
        def P():
            return dense(lambda W: brute_average(REG, SGN + REG, W), (9, 8))
        u, s, _ = np.linalg.svd(P())
        basis = u[:, s > 0.5].T.reshape(-1, 9, 8)
        m = nn.Linear(8, 9, bias=False)
        return m, {"": LayerSpec(projector=BasisProjection(basis))}, "weight", P, False
    if kind == "kernel-average":
        th = 0.3
        V = SQV.change_basis(np.array([[np.cos(th), -np.sin(th)], [np.sin(th), np.cos(th)]]))
        m = nn.Conv2d(2, 3, 3, bias=False)
        def P():
            return dense(lambda K: brute_kernel_average(V, V + SQ1, SQV, K), (3, 2, 3, 3))
        return m, {"": LayerSpec(V, V + SQ1, grid=SQV, bias=False)}, "weight", P, False
    if kind == "kernel-regular":
        m = nn.Conv2d(8, 8, 3, bias=False)
        def P():
            return dense(lambda K: brute_kernel_average(SQR, SQR, SQV, K), (8, 8, 3, 3))
        return m, {"": LayerSpec(SQR, SQR, grid=SQV, bias=False)}, "weight", P, False
    if kind == "cyclic-fft":
        R4 = Representation.regular(groups.cyclic(4))
        m = nn.Linear(4, 8, bias=False)
        def P():
            return dense(lambda W: brute_average(R4, 2 * R4, W), (8, 4))
        return m, {"": LayerSpec(projector=CyclicFFTProjection(4, 2, 1))}, "weight", P, False
    if kind == "fourier-mask":
        fo, fi = np.array([0, 1, 2]), np.array([0, 1, 2, 1])
        th = 2 * np.pi * np.arange(64) / 64

        def avg(W):
            return np.mean([np.exp(1j * fo * t)[:, None] * W * np.exp(-1j * fi * t)[None, :] for t in th], axis=0)

        toy = _Param(torch.randn(3, 4, dtype=torch.complex128))
        return toy, {"": LayerSpec(projector=FourierMaskProjection(fo, fi), param="w")}, "w", lambda: dense(avg, (3, 4), True), True
    if kind == "so2-harmonic":
        fo, fi = np.array([0, 1, 3]), np.array([-1, 2])
        Pm = SO2HarmonicProjection(fo, fi, n_radial=2, max_freq=3)
        ks = np.arange(-3, 4)
        ph = fo[:, None, None, None] - fi[None, :, None, None] - ks[None, None, None, :]
        th = 2 * np.pi * np.arange(64) / 64
        toy = _Param(torch.randn(*Pm.shape, dtype=torch.complex128))
        def P():
            return dense(lambda C: np.mean([np.exp(1j * ph * t) * C for t in th], axis=0), Pm.shape, True)
        return toy, {"": LayerSpec(projector=Pm, param="w")}, "w", P, True
    if kind == "so3-harmonic":
        Pm = SO3HarmonicProjection([1, 0], [1], n_radial=1, max_J=2)
        gs = SO3.sample(2, rng=5)
        def oracle():
            acts = []
            for g in gs:
                DJ = block_diag(*[SO3.representation_matrix(IRR[J], g) for J in range(3)])
                acts.append(dense(lambda C, g=g, DJ=DJ: np.einsum(
                    "oa,ib,km,abrm->oirk", so3_dsum([1, 0], g), so3_dsum([1], g), DJ, C), Pm.shape))
            return fixed_space_projector(acts)

        toy = _Param(torch.randn(*Pm.shape, dtype=torch.float64))
        return toy, {"": LayerSpec(projector=Pm, param="w")}, "w", oracle, False
    raise AssertionError(kind)


class _Param(nn.Module):
    def __init__(self, w):
        super().__init__()
        self.w = nn.Parameter(w)


KINDS = ["orbit-regular", "orbit-regular-bias", "orbit-signed", "orbit-sparse-so3", "isotypic", "basis",
         "kernel-average", "kernel-regular", "cyclic-fft", "fourier-mask", "so2-harmonic", "so3-harmonic"]


@pytest.mark.parametrize("kind", KINDS)
def test_prox_equals_closed_form_with_group_average(kind, rng):
    torch.manual_seed(0)
    m, spec, name, P, cplx = case(kind, rng)
    if not cplx:
        m = m.double()
    reg = EquivarianceRegularizer(m, spec, lambda_eq=LE, lambda_perp=LP)
    p = getattr(m, name)
    w = p.detach().numpy().reshape(-1).copy()
    reg.prox_(LR)
    PW = P @ w
    expected = PW / (1 + 2 * LR * LE) + (w - PW) / (1 + 2 * LR * LP)
    assert np.allclose(p.detach().numpy().reshape(-1), expected, atol=1e-10, rtol=1e-10)
    assert not np.allclose(expected, w, atol=1e-3)  # the step moved the weights


def test_fast_plans_are_used_where_expected(rng):
    kinds = {}
    for kind in ("orbit-regular", "orbit-regular-bias", "kernel-regular", "orbit-sparse-so3", "orbit-signed"):
        m, spec, name, _, _ = case(kind, rng)
        reg = EquivarianceRegularizer(m, spec)
        i = next(j for j, e in enumerate(reg._entries) if e.param == name)
        kinds[kind] = type(reg._plans[reg._plan_of[i]]).__name__ if i in reg._plan_of else None
    assert kinds == {"orbit-regular": "RegularPlan", "orbit-regular-bias": "RegularPlan",
                     "kernel-regular": "RegularPlan", "orbit-sparse-so3": "SparsePlan", "orbit-signed": None}


@pytest.mark.parametrize("kind", ["orbit-regular", "kernel-regular", "orbit-sparse-so3", "orbit-regular-bias"])
@pytest.mark.parametrize("lambdas", [(0.0, 1.0), (0.4, 1.3), (0.7, 0.0)])
def test_fast_penalty_equals_generic_path(kind, lambdas, rng, monkeypatch):
    """Value, gradient and Hessian-vector product of the fast plans equal the per-layer path."""
    monkeypatch.setattr(_fast, "PENALTY_MIN_NUMEL", 0)
    m, spec, _, _, _ = case(kind, rng)
    m = m.double()
    fast = EquivarianceRegularizer(m, spec, lambda_eq=lambdas[0], lambda_perp=lambdas[1])
    assert fast._fast
    slow = EquivarianceRegularizer(m, spec, lambda_eq=lambdas[0], lambda_perp=lambdas[1])
    slow._fast, slow._fused, slow._loose = [], [], list(range(len(slow._entries)))
    params = [p for p in m.parameters()]
    vf, vs = fast(), slow()
    assert torch.allclose(vf, vs, rtol=1e-12)
    for a, b in zip(torch.autograd.grad(fast(), params), torch.autograd.grad(slow(), params)):
        assert torch.allclose(a, b, atol=1e-12)
    g1 = torch.autograd.grad(fast(), params, create_graph=True)
    g2 = torch.autograd.grad(slow(), params, create_graph=True)
    v = [torch.from_numpy(rng.standard_normal(p.shape)) for p in params]
    h1 = torch.autograd.grad(sum((a * u).sum() for a, u in zip(g1, v)), params)
    h2 = torch.autograd.grad(sum((a * u).sum() for a, u in zip(g2, v)), params)
    for a, b in zip(h1, h2):
        assert torch.allclose(a, b, atol=1e-12)


def test_fast_penalty_under_a_scaled_backward(rng, monkeypatch):
    monkeypatch.setattr(_fast, "PENALTY_MIN_NUMEL", 0)
    m, spec, _, _, _ = case("orbit-regular", rng)
    m = m.double()
    reg = EquivarianceRegularizer(m, spec)
    (3.0 * reg()).backward()
    g3 = m.weight.grad.clone()
    m.weight.grad = None
    reg().backward()
    assert torch.allclose(g3, 3.0 * m.weight.grad)
    reg().backward()  # accumulation
    assert torch.allclose(g3, 1.5 * m.weight.grad)


@pytest.mark.parametrize("fast", [True, False])
def test_retain_graph_backward_twice(fast, rng, monkeypatch):
    """The saved gradient handed to autograd is never read again: a second backward recomputes it."""
    monkeypatch.setattr(_fast, "PENALTY_MIN_NUMEL", 0 if fast else 1 << 40)
    m, spec, _, _, _ = case("orbit-regular", rng)
    m = m.double()
    reg = EquivarianceRegularizer(m, spec, lambda_eq=0.2)
    assert bool(reg._fast) == fast
    (once,) = torch.autograd.grad(reg(), [m.weight])
    v = reg()
    for _ in range(3):
        v.backward(retain_graph=True)
    assert torch.allclose(m.weight.grad, 3 * once)


@pytest.mark.parametrize("kind", ["orbit-regular", "orbit-sparse-so3", "isotypic", "kernel-average"])
def test_small_lr_is_a_gradient_step_to_first_order(kind, rng):
    errs = []
    for lr in (1e-2, 1e-3):
        m, spec, name, _, _ = case(kind, rng)
        m = m.double()
        torch.manual_seed(1)
        for q in m.parameters():
            nn.init.normal_(q)
        reg = EquivarianceRegularizer(m, spec, lambda_eq=LE, lambda_perp=LP)
        p = getattr(m, name)
        (g,) = torch.autograd.grad(reg(), [p])
        gd = p.detach() - lr * g
        reg.prox_(lr)
        errs.append(float((p.detach() - gd).norm() / (lr * g.norm())))
    assert errs[1] < 0.2 * errs[0]  # the relative difference is O(lr)
    assert errs[1] < 1e-2


def test_large_lambda_perp_is_the_hard_projection(rng):
    m, spec, _, _, _ = case("kernel-regular", rng)
    m = m.double()
    hard = m.weight.detach().clone()
    reg = EquivarianceRegularizer(m, spec, lambda_perp=1e13)
    with torch.no_grad():
        hard = reg.projectors[reg._entries[0].proj](hard)
    reg.prox_(1.0)
    assert torch.allclose(m.weight.detach(), hard, atol=1e-12)


@pytest.mark.parametrize("kind", ["orbit-regular", "orbit-sparse-so3", "kernel-average", "so3-harmonic"])
def test_parameter_in_hom_with_zero_lambda_eq_is_unchanged(kind, rng):
    m, spec, name, _, _ = case(kind, rng)
    m = m.double()
    reg = EquivarianceRegularizer(m, spec, lambda_eq=0.0, lambda_perp=5.0)
    project_(m, reg)
    before = getattr(m, name).detach().clone()
    reg.prox_(0.1)
    assert torch.allclose(getattr(m, name).detach(), before, rtol=1e-14, atol=1e-15)


def test_prox_float32_and_reshape(rng):
    m, spec, _, P, _ = case("orbit-regular", rng)
    reg = EquivarianceRegularizer(m, spec, lambda_perp=2.0)
    w = m.weight.detach().double().numpy().reshape(-1).copy()
    reg.prox_(0.1)
    PW = P @ w
    assert np.allclose(m.weight.detach().numpy().reshape(-1), PW + (w - PW) / 1.4, atol=1e-6)
    assert m.weight.dtype == torch.float32


def test_prox_bad_inputs(rng):
    m, spec, _, _, _ = case("orbit-regular", rng)
    reg = EquivarianceRegularizer(m, spec)
    for bad in (-0.1, float("nan"), float("inf"), "x"):
        with pytest.raises(InvalidArgumentError, match="lr="):
            reg.prox_(bad)
    with pytest.raises(InvalidArgumentError, match="norm='fro'"):
        EquivarianceRegularizer(m, spec, norm="fro").prox_(0.1)
    with pytest.raises(InvalidArgumentError, match="norm='spectral'"):
        EquivarianceRegularizer(m, spec, norm="spectral").prox_(0.1)
    with pytest.raises(InvalidArgumentError, match="normalize=True"):
        EquivarianceRegularizer(m, spec, normalize=True).prox_(0.1)


def test_prox_refuses_a_tensor_penalised_twice():
    seq = nn.Sequential(nn.Linear(8, 8, bias=False), nn.ReLU(), nn.Linear(8, 8, bias=False))
    seq[2].weight = seq[0].weight  # tied weights
    reg = EquivarianceRegularizer(seq, {"0": LayerSpec(REG, REG, bias=False), "2": LayerSpec(REG, REG, bias=False)})
    with pytest.raises(InvalidArgumentError, match="same tensor"):
        reg.prox_(0.1)


def test_plan_detection_rejects_non_regular_layouts():
    # one orbit spanning two blocks: labels of a (2·2)×2 weight with orbit sizes 2
    P = OrbitProjection([0, 1, 1, 0, 0, 1, 1, 0], [1.0] * 8, 2, shape=(4, 2))
    assert _fast.plan_for(P) is None
    assert _fast.plan_for(projection_for(REG, 2 * REG)) is not None
    assert _fast.plan_for(KernelAverageProjection.__new__(KernelAverageProjection)) is None


@pytest.mark.parametrize("dtype", [torch.bfloat16, torch.float16])
def test_prox_half_precision_parameters(dtype, rng):
    """Half-precision parameters are updated in float32 and written back in their dtype."""
    m, spec, _, P, _ = case("orbit-regular", rng)
    m = m.to(dtype)
    reg = EquivarianceRegularizer(m, spec, lambda_perp=2.0)
    w = m.weight.detach().double().numpy().reshape(-1).copy()
    reg.prox_(0.1)
    PW = P @ w
    assert m.weight.dtype == dtype
    assert np.allclose(m.weight.detach().double().numpy().reshape(-1), PW + (w - PW) / 1.4, atol=2e-2)
    (g,) = torch.autograd.grad(reg(), [m.weight])
    assert g.dtype == dtype


def test_regular_plan_scratch_is_never_handed_out(rng):
    """The plan's scratch tensor is reused across calls: no returned gradient, and no other dtype, may alias it."""
    R = Representation.regular(groups.dihedral(4))
    P = projection_for(2 * R, 3 * R).double()
    plan = _fast.plan_for(P)
    assert isinstance(plan, _fast.RegularPlan)
    w1, w2 = (torch.from_numpy(rng.standard_normal(24 * 16)) for _ in range(2))
    for le, lp in [(0.0, 1.3), (0.4, 1.3)]:
        v1, G1 = plan.penalty(w1, le, lp)
        G1c = G1.clone()
        v2, G2 = plan.penalty(w2, le, lp)  # a second call through the same scratch
        assert torch.equal(G1, G1c) and G1.data_ptr() != G2.data_ptr()
        for w, v, G in [(w1, v1, G1), (w2, v2, G2)]:
            PW = P(w.view(24, 16)).reshape(-1)
            assert torch.allclose(v, le * (PW @ PW) + lp * ((w - PW) @ (w - PW)))
            assert torch.allclose(G, 2 * lp * (w - PW) + 2 * le * PW)
    x32 = w1.float()
    want = P(w1.view(24, 16)).reshape(-1)
    plan.prox_(x32, 1.0, 0.0)  # λ_⊥ → ∞ in float32: a second scratch, the float64 one untouched
    assert torch.allclose(x32.double(), want, atol=1e-5)
    assert {t.dtype for t in plan._scratch.values()} == {torch.float64, torch.float32}
    x = w2.clone()
    plan.prox_(x, 0.5, 0.25)
    PW = P(w2.view(24, 16)).reshape(-1)
    assert torch.allclose(x, 0.5 * PW + 0.25 * (w2 - PW))
