"""EquivarianceRegularizer, specs, project_, constrain_: behaviour and bad input."""

from __future__ import annotations

import io

import numpy as np
import pytest
import torch
from torch import nn

from penalties import (
    EquivarianceRegularizer,
    LayerSpec,
    cnn_spec,
    constrain_,
    equivariance_error,
    mlp_spec,
    project_,
    regular_spec,
    unconstrain_,
)
from penalties.errors import GridActionError, SpecError
from penalties.spectral import FourierMaskProjection
from reptheory import Representation, groups
from reptheory._numerics.tolerance import tolerance
from reptheory.errors import DimensionMismatchError, GroupMismatchError, InvalidArgumentError

D8 = groups.dihedral(8)
R8 = Representation.regular(D8)
ONE8 = Representation.trivial(D8)
SQ = groups.square_symmetries()
SQR, SQ1 = Representation.regular(SQ), Representation.trivial(SQ)
TOL = tolerance("float64").rtol


def mlp(d_in=16, width=32, d_out=1):
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(d_in, width), nn.ReLU(), nn.Linear(width, width), nn.ReLU(), nn.Linear(width, d_out))


def cnn():
    torch.manual_seed(0)
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 16, 5, padding=2), nn.ReLU(),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 1),
    )


def test_sum_equals_breakdown_and_manual():
    model = mlp()
    reg = EquivarianceRegularizer(model, mlp_spec(model, R8, ONE8), lambda_eq=0.1, lambda_perp=2.0)
    b = reg.breakdown()
    assert set(b) == {f"{i}.{p}" for i in ("0", "2", "4") for p in ("weight", "bias")}
    total = reg().item()
    assert abs(total - sum(v["penalty"] for v in b.values())) < 1e-5 * total
    for v in b.values():
        assert abs(v["penalty"] - (0.1 * v["eq"] + 2.0 * v["perp"])) < 1e-5 * max(1.0, v["penalty"])
        assert abs(v["eq"] + v["perp"] - v["norm2"]) < 1e-5 * v["norm2"]
        assert 0 <= v["relative"] <= 1
    assert 0 < reg.layer_defect() < 1


def test_project_makes_model_equivariant(rng):
    model = mlp().double()
    spec = mlp_spec(model, R8, ONE8)
    x = torch.from_numpy(rng.standard_normal((6, 16)))
    assert equivariance_error(model, x, R8, ONE8)["max"] > 1e-3
    project_(model, spec)
    reg = EquivarianceRegularizer(model, spec)
    assert reg().item() < TOL
    assert equivariance_error(model, x, R8, ONE8)["max"] < TOL


def test_cnn_project_equivariant(rng):
    model = cnn().double()
    spec = cnn_spec(model, SQ1, SQ1)
    project_(model, spec)
    x = torch.from_numpy(rng.standard_normal((2, 1, 9, 9)))
    err = equivariance_error(model, x, SQ1, SQ1, grid=Representation.defining(SQ), output_grid=False)
    assert err["max"] < TOL and err["n_elements"] == 8


def test_constrain_parametrize_exact_and_trainable(rng):
    model = mlp().double()
    spec = mlp_spec(model, R8, ONE8)
    constrain_(model, spec)
    x = torch.from_numpy(rng.standard_normal((6, 16)))
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    for _ in range(3):
        opt.zero_grad()
        model(x).pow(2).mean().backward()
        opt.step()
    assert equivariance_error(model, x, R8, ONE8)["max"] < TOL
    unconstrain_(model)
    assert equivariance_error(model, x, R8, ONE8)["max"] < TOL
    assert not any(hasattr(m, "parametrizations") for m in model.modules())


def test_training_with_large_lambda_converges_to_commutant(rng):
    """A gradient step on R alone shrinks E by (1 − 2ηλ_⊥) (docs/explanation/penalties.md#basic-facts)."""
    lin = nn.Linear(16, 16, bias=False).double()
    reg = EquivarianceRegularizer(lin, {"": (R8, R8)}, lambda_perp=1.0)
    e0 = reg.breakdown()["weight"]["perp"]
    opt = torch.optim.SGD(lin.parameters(), lr=0.1)
    for _ in range(5):
        opt.zero_grad()
        reg().backward()
        opt.step()
    e5 = reg.breakdown()["weight"]["perp"]
    assert abs(e5 - e0 * (1 - 2 * 0.1) ** 10) < 1e-8 * e0


def test_spec_keys_patterns_types():
    model = nn.ModuleDict({"enc": nn.ModuleDict({"a": nn.Linear(16, 16), "b": nn.Linear(16, 16)}), "head": nn.Linear(16, 1)})
    r1 = EquivarianceRegularizer(model, {"enc.*": (R8, R8)})
    assert [k for k, _ in r1.entries()] == ["enc.a.weight", "enc.a.bias", "enc.b.weight", "enc.b.bias"]
    r2 = EquivarianceRegularizer(model, {"head": LayerSpec(R8, ONE8, bias=False), nn.Linear: (R8, R8)})
    keys = [k for k, _ in r2.entries()]
    assert keys[0] == "head.weight" and "head.bias" not in keys and "enc.b.weight" in keys
    assert len(r2.projectors) == 3  # (R8→1), (R8→R8) weight, R8 bias; shared across layers


def test_state_dict_and_to():
    model = mlp()
    reg = EquivarianceRegularizer(model, mlp_spec(model, R8, ONE8))
    sd = reg.state_dict()
    assert all(k.startswith("projectors.") for k in sd)  # the model is referenced, not registered
    buf = io.BytesIO()
    torch.save(sd, buf)
    buf.seek(0)
    reg2 = EquivarianceRegularizer(model, mlp_spec(model, R8, ONE8))
    reg2.load_state_dict(torch.load(buf))
    assert torch.equal(reg(), reg2())
    model.double()
    reg.double()
    assert reg().dtype == torch.float64


def test_autocast_keeps_float32():
    model = mlp()
    reg = EquivarianceRegularizer(model, mlp_spec(model, R8, ONE8))
    ref = reg()
    with torch.autocast("cpu", dtype=torch.bfloat16):
        out = reg()
    assert out.dtype == torch.float32 and torch.allclose(out, ref)


def test_bfloat16_model():
    model = mlp().to(torch.bfloat16)
    reg = EquivarianceRegularizer(model, mlp_spec(model, R8, ONE8))
    out = reg()
    out.backward()
    assert out.dtype == torch.float32 and model[0].weight.grad.dtype == torch.bfloat16


def test_torch_compile_matches_eager():
    model = mlp()
    reg = EquivarianceRegularizer(model, mlp_spec(model, R8, ONE8))
    compiled = torch.compile(reg, backend="aot_eager", fullgraph=True)
    assert torch.allclose(compiled(), reg())


def test_wrapped_models_are_unwrapped():
    model = mlp()
    reg = EquivarianceRegularizer(nn.DataParallel(model), mlp_spec(model, R8, ONE8))
    assert next(k for k, _ in reg.entries()) == "0.weight"


def test_other_parameter_with_reshape_and_projector():
    """A complex Fourier-basis parameter (the SO(2) toy model) with a ready projector and a reshape rule."""

    class Toy(nn.Module):
        def __init__(self):
            super().__init__()
            self.coef = nn.Parameter(torch.randn(12, dtype=torch.complex64))

    toy = Toy()
    P = FourierMaskProjection([0, 1, 2], [0, 1, 2, 3])
    reg = EquivarianceRegularizer(toy, {"": LayerSpec(projector=P, param="coef", reshape=(3, 4))})
    W = toy.coef.detach().reshape(3, 4)
    mask = torch.tensor([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]], dtype=torch.bool)
    assert abs(reg().item() - float(W[~mask].abs().pow(2).sum())) < 1e-5
    project_(toy, reg)
    assert reg().item() < 1e-12


# ------------------------------------------------------------------ bad input
def test_error_no_match():
    with pytest.raises(SpecError, match="'enc' matches no module"):
        EquivarianceRegularizer(mlp(), {"enc": (R8, R8)})
    with pytest.raises(SpecError, match="matches no module"):
        EquivarianceRegularizer(mlp(), {nn.Conv2d: (R8, R8)})


def test_error_shape_names_layer_expected_actual():
    with pytest.raises(DimensionMismatchError, match=r"layer '2' \(Linear\)\.weight.*\(32, 32\).*expected \(16, 16\)"):
        EquivarianceRegularizer(mlp(), {"2": (R8, R8)})


def test_error_groups_differ():
    with pytest.raises(GroupMismatchError, match="different groups"):
        EquivarianceRegularizer(mlp(), {"0": (R8, 2 * Representation.regular(groups.cyclic(16)))})


def test_error_grid():
    with pytest.raises(GridActionError, match="even side"):
        EquivarianceRegularizer(nn.Conv2d(8, 8, 4), {"": (SQR, SQR)})
    C8 = groups.cyclic(8)
    with pytest.raises(GridActionError, match="grid"):
        EquivarianceRegularizer(nn.Conv2d(8, 8, 3), {"": (Representation.regular(C8), Representation.regular(C8))})


def test_error_non_floating():
    class M(nn.Module):
        def __init__(self):
            super().__init__()
            self.register_buffer("weight", torch.zeros(16, 16, dtype=torch.int64))

    with pytest.raises(InvalidArgumentError, match="not floating point"):
        EquivarianceRegularizer(M(), {"": (R8, R8)})


def test_error_missing_param_and_bad_value():
    with pytest.raises(SpecError, match="no tensor parameter 'kernel'"):
        EquivarianceRegularizer(nn.Linear(16, 16), {"": LayerSpec(R8, R8, param="kernel")})
    with pytest.raises(SpecError, match="expected a LayerSpec"):
        EquivarianceRegularizer(nn.Linear(16, 16), {"": R8})


def test_spec_helpers_errors_and_regular_spec():
    with pytest.raises(DimensionMismatchError, match="not a multiple"):
        mlp_spec(mlp(width=20), R8, ONE8)
    s = regular_spec(nn.Sequential(nn.Conv2d(8, 16, 3), nn.Linear(8, 8)), SQ)
    assert s["0"].rho_out.dim == 16 and s["1"].grid is None


def test_regular_spec_cnn_trains_towards_equivariance(rng):
    model = nn.Sequential(nn.Conv2d(8, 8, 3, padding=1), nn.ReLU(), nn.Conv2d(8, 8, 3, padding=1)).double()
    reg = EquivarianceRegularizer(model, regular_spec(model, SQ), lambda_perp=1.0)
    first = reg().item()
    opt = torch.optim.SGD(model.parameters(), lr=0.2)
    for _ in range(20):
        opt.zero_grad()
        reg().backward()
        opt.step()
    assert reg().item() < 1e-3 * first
    assert np.isfinite(first)


def test_fused_path_equals_per_layer_path_with_gradients(rng):
    """The fused multi-parameter pass gives the same value, gradient and Hessian-vector product."""
    model = mlp().double()
    spec = mlp_spec(model, R8, ONE8)
    fused = EquivarianceRegularizer(model, spec, lambda_eq=0.3, lambda_perp=1.7)
    assert fused._fused and not fused._loose
    loose = EquivarianceRegularizer(model, spec, lambda_eq=0.3, lambda_perp=1.7)
    loose._fast, loose._fused, loose._loose = [], [], list(range(len(loose._entries)))
    params = list(model.parameters())
    g1 = torch.autograd.grad(fused(), params, create_graph=True)
    g2 = torch.autograd.grad(loose(), params, create_graph=True)
    assert torch.allclose(fused(), loose())
    for a, b in zip(g1, g2):
        assert torch.allclose(a, b, atol=TOL)
    v = [torch.from_numpy(rng.standard_normal(p.shape)) for p in params]
    h1 = torch.autograd.grad(sum((a * w).sum() for a, w in zip(g1, v)), params)
    h2 = torch.autograd.grad(sum((a * w).sum() for a, w in zip(g2, v)), params)
    for a, b in zip(h1, h2):
        assert torch.allclose(a, b, atol=TOL)
    g3 = torch.autograd.grad(fused(), params)  # the saved-gradient path
    for a, b in zip(g3, g2):
        assert torch.allclose(a, b, atol=TOL)


def test_conv1d_flips_and_conv3d_cube(rng):
    F1 = groups.flips(1)
    R1 = Representation.regular(F1)
    conv1 = nn.Conv1d(4, 2, 5, padding=2).double()
    reg1 = EquivarianceRegularizer(conv1, {"": (2 * R1, R1)})  # grid defaults to the defining rep
    project_(conv1, reg1)
    x = torch.from_numpy(rng.standard_normal((2, 4, 9)))
    err = equivariance_error(conv1, x, 2 * R1, R1, grid=Representation.defining(F1))
    assert err["max"] < TOL
    O = groups.octahedral()
    one = Representation.trivial(O)
    conv3 = nn.Conv3d(1, 2, 3, padding=1).double()
    project_(conv3, {"": (one, 2 * one)})
    x3 = torch.from_numpy(rng.standard_normal((1, 1, 5, 5, 5)))
    assert equivariance_error(conv3, x3, one, 2 * one, grid=Representation.defining(O))["max"] < TOL


def test_isotypic_layout_becomes_orbit_with_complex_blocks(rng):
    from penalties import _build
    from penalties.projectors import as_projection
    from reptheory.hom.projectors import IsotypicBlock, IsotypicProjector

    J = np.array([[0.0, -1.0], [1.0, 0.0]])
    perm = rng.permutation(5)
    signs = rng.choice([-1.0, 1.0], size=5)
    Q = np.eye(5)[:, perm] * signs
    iso = IsotypicProjector(Q, Q, (IsotypicBlock(0, 4, 0, 4, 2, 2, 2, np.stack([np.eye(2), J])),
                                   IsotypicBlock(4, 5, 4, 5, 1, 1, 1, np.ones((1, 1, 1)))))
    orb = _build.isotypic_as_orbit(iso)
    assert orb is not None and orb.dim == iso.dim == 9
    W = rng.standard_normal((5, 5))
    assert np.allclose(orb.apply(W), iso.apply(W), atol=TOL)
    assert type(as_projection(iso)).__name__ == "OrbitProjection"
    # a general orthogonal Q keeps the isotypic route
    Qg = np.linalg.qr(rng.standard_normal((5, 5)))[0]
    assert _build.isotypic_as_orbit(IsotypicProjector(Qg, Qg, iso.blocks)) is None


@pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA device")
def test_cuda_matches_cpu():
    model = mlp()
    reg = EquivarianceRegularizer(model, mlp_spec(model, R8, ONE8))
    ref = reg().item()
    model.cuda()
    reg.cuda()
    out = reg()
    out.backward()
    assert abs(out.item() - ref) < 1e-4 * ref and model[0].weight.grad.is_cuda


def test_pointwise_activation_on_irreps_refused():
    """docs/explanation/penalties.md#networks: zero layer penalties would not make a ReLU network on irreps equivariant."""
    lie = pytest.importorskip("reptheory.groups.lie_catalog")
    irr = lie.SO3().irreps(1)
    field = irr[0] + irr[1]
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 4))
    with pytest.raises(InvalidArgumentError, match=r"penalties\.md#networks"):
        mlp_spec(model, field, field, hidden=field)
    spec = mlp_spec(model, field, field, hidden=field, pointwise_ok=True)
    assert spec["0"].rho_out.dim == 8


def test_intertwiner_space_as_projector(rng):
    itw = pytest.importorskip("reptheory.hom.space")
    from penalties import as_projection

    try:
        space = itw.intertwiners(R8, 2 * R8)
    except ImportError:
        space = itw.intertwiners(R8, 2 * R8, cache=False)
    P = as_projection(space).double()
    W = rng.standard_normal((32, 16))
    assert np.allclose(P(torch.from_numpy(W)).numpy(), space.project(W), atol=TOL)


@pytest.mark.parametrize("cat_limit", [0, 1 << 18])
def test_fused_path_signed_orbits_and_no_concatenation(cat_limit, rng, monkeypatch):
    """Signed orbits (a sign representation) and the per-parameter (no-concatenation) fused pass."""
    from penalties import functional

    monkeypatch.setattr(functional, "_CAT_LIMIT", cat_limit)
    D4 = groups.dihedral(4)
    sgn = Representation.from_generator_images(D4, [np.array([[1.0]]), np.array([[-1.0]])])
    R = Representation.regular(D4)
    model = nn.Sequential(nn.Linear(9, 16), nn.Linear(16, 3)).double()
    spec = {"0": (R + sgn, 2 * R), "1": (2 * R, sgn + 2 * Representation.trivial(D4))}
    fused = EquivarianceRegularizer(model, spec, lambda_eq=0.2)
    assert fused._fused and fused._fused[0][3]  # signed
    loose = EquivarianceRegularizer(model, spec, lambda_eq=0.2)
    loose._fast, loose._fused, loose._loose = [], [], list(range(len(loose._entries)))
    params = list(model.parameters())
    for a, b in zip(torch.autograd.grad(fused(), params), torch.autograd.grad(loose(), params)):
        assert torch.allclose(a, b, atol=TOL)
    assert torch.allclose(fused(), loose())


def test_every_amortises_without_changing_the_average():
    import torch
    from torch import nn

    from penalties import EquivarianceRegularizer
    from reptheory import Representation, groups
    from reptheory.errors import InvalidArgumentError

    torch.manual_seed(0)
    R = 2 * Representation.regular(groups.dihedral(3))
    lin = nn.Linear(R.dim, R.dim)
    full = EquivarianceRegularizer(lin, {"": (R, R)})
    amort = EquivarianceRegularizer(lin, {"": (R, R)}, every=3)
    ref = full()
    (g_ref,) = torch.autograd.grad(ref, [lin.weight])
    values, grads = [], torch.zeros_like(lin.weight)
    for _ in range(6):
        v = amort()
        values.append(float(v.detach()))
        if v.requires_grad:
            grads += torch.autograd.grad(v, [lin.weight])[0]
    assert values[1:3] == [0.0, 0.0] and values[4:6] == [0.0, 0.0]
    assert abs(values[0] - 3 * float(ref.detach())) < 1e-5 * max(1.0, 3 * float(ref.detach()))
    assert abs(values[3] - values[0]) < 1e-6 * max(1.0, values[0])
    # averaged over calls, the gradient is the full penalty's gradient
    torch.testing.assert_close(grads / 6, g_ref)
    for bad in (0, -1, 1.5, True):
        with pytest.raises(InvalidArgumentError, match="every"):
            EquivarianceRegularizer(lin, {"": (R, R)}, every=bad)


@pytest.mark.parametrize("lambdas", [(0.0, 1.7), (0.0, 0.0), (0.3, 0.0), (0.3, 1.7)])
def test_fused_and_fast_paths_every_lambda_and_rebuilt_plans(lambdas):
    """The folded λ_G = 0 pass, λ = 0 and the cached hot path after the plans are rebuilt agree with per-layer."""
    from penalties import _fast

    torch.manual_seed(1)
    model = mlp().double()
    spec = mlp_spec(model, R8, ONE8)
    le, lp = lambdas
    fast = EquivarianceRegularizer(model, spec, lambda_eq=le, lambda_perp=lp)
    fast._fast = sorted(fast._plan_of)  # every planned parameter through the fast plans
    fast._build_fused()
    fused = EquivarianceRegularizer(model, spec, lambda_eq=le, lambda_perp=lp)
    fused._plan_of, fused._fast = {}, []
    fused._build_fused()
    assert fast._fast and fused._fused
    loose = EquivarianceRegularizer(model, spec, lambda_eq=le, lambda_perp=lp)
    params = list(model.parameters())
    loose()  # populate the hot cache, then switch the fast and fused passes off: the cache must follow
    loose._fast, loose._fused, loose._loose = [], [], list(range(len(loose._entries)))
    want_v = loose()
    want = torch.autograd.grad(want_v, params)
    for reg in (fast, fused):
        v = reg()
        assert torch.allclose(v, want_v, rtol=1e-12, atol=1e-12)
        for a, b in zip(torch.autograd.grad(v, params), want):
            assert torch.allclose(a, b, atol=TOL)
    assert isinstance(fast.__dict__["_hot_cache"], _fast._Hot)
