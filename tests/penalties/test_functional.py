"""The functional core: values, identities (docs/explanation/penalties.md#basic-facts, docs/explanation/penalties.md#norms), gradients, dtypes."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from penalties.functional import projection_penalty, split_norms
from penalties.projectors import projection_for
from reptheory import Representation, groups
from reptheory._numerics.tolerance import tolerance
from reptheory.errors import InvalidArgumentError

G = groups.dihedral(4)
R = Representation.regular(G)
P = projection_for(R, 2 * R).double()
TOL = tolerance("float64").rtol


def brute(W):
    A, B = (2 * R).matrices(), R.matrices()
    return sum(A[g] @ W @ B[g].T for g in range(8)) / 8


def test_values_against_brute_force(rng):
    W = rng.standard_normal((16, 8))
    PW = brute(W)
    Wt = torch.from_numpy(W)
    e2, p2 = np.sum((W - PW) ** 2), np.sum(PW**2)
    assert abs(float(projection_penalty(Wt, P)) - e2) < TOL * e2
    assert abs(float(projection_penalty(Wt, P, lambda_eq=0.3, lambda_perp=2.0)) - (0.3 * p2 + 2 * e2)) < TOL * e2
    assert abs(float(projection_penalty(Wt, P, norm="fro")) - np.sqrt(e2)) < TOL
    spec = np.linalg.norm(W - PW, 2)
    assert abs(float(projection_penalty(Wt, P, norm="spectral")) - spec) < TOL * spec
    rel = float(projection_penalty(Wt, P, norm="fro", normalize=True))
    assert abs(rel - np.sqrt(e2) / np.linalg.norm(W)) < TOL


def test_pythagoras_and_zero_on_commutant(rng):
    W = torch.from_numpy(rng.standard_normal((16, 8)))
    eq, perp, n2 = split_norms(W, P)
    assert abs(float(eq + perp - n2)) < TOL * float(n2)
    assert float(projection_penalty(P(W), P)) < TOL * float(n2)


def test_gradient_formula(rng):
    """∇R = 2λ_G P(W) + 2λ_⊥ (W − P(W)) (docs/explanation/penalties.md#basic-facts)."""
    W = torch.from_numpy(rng.standard_normal((16, 8))).requires_grad_()
    projection_penalty(W, P, lambda_eq=0.7, lambda_perp=1.3).backward()
    PW = P(W.detach())
    expected = 2 * 0.7 * PW + 2 * 1.3 * (W.detach() - PW)
    assert torch.allclose(W.grad, expected, atol=TOL, rtol=TOL)


@pytest.mark.parametrize("norm", ["fro2", "fro", "spectral"])
@pytest.mark.parametrize("normalize", [False, True])
def test_gradcheck(norm, normalize, rng):
    W = torch.from_numpy(rng.standard_normal((2, 16, 8))).requires_grad_()
    assert torch.autograd.gradcheck(
        lambda w: projection_penalty(w, P, lambda_eq=0.2, norm=norm, normalize=normalize), (W,)
    )


def test_reductions(rng):
    W = torch.from_numpy(rng.standard_normal((3, 16, 8)))
    none = projection_penalty(W, P, reduction="none")
    assert none.shape == (3,)
    assert torch.allclose(projection_penalty(W, P), none.sum())
    assert torch.allclose(projection_penalty(W, P, reduction="mean"), none.mean())


@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16])
def test_low_precision(dtype, rng):
    W = torch.from_numpy(rng.standard_normal((16, 8)))
    ref = float(projection_penalty(W, P))
    got = projection_penalty(W.to(dtype), P.to(torch.float32))
    # the weight itself is rounded to the dtype; the penalty accumulates in float32
    assert abs(float(got) - ref) < 20 * tolerance(dtype).rtol * ref
    assert got.dtype == torch.float32


def test_complex_weights(rng):
    Wc = torch.from_numpy(rng.standard_normal((16, 8)) + 1j * rng.standard_normal((16, 8)))
    v = projection_penalty(Wc, P)
    assert abs(float(v) - float(projection_penalty(Wc.real, P) + projection_penalty(Wc.imag, P))) < TOL * float(v)


def test_bad_arguments():
    W = torch.zeros(16, 8)
    with pytest.raises(InvalidArgumentError, match="norm="):
        projection_penalty(W, P, norm="l1")
    with pytest.raises(InvalidArgumentError, match="reduction="):
        projection_penalty(W, P, reduction="max")
    with pytest.raises(InvalidArgumentError, match="dtype"):
        projection_penalty(torch.zeros(16, 8, dtype=torch.int64), P)


def test_double_backward(rng):
    """The fused squared-Frobenius path recomputes its gradient differentiably under create_graph."""
    W = torch.from_numpy(rng.standard_normal((16, 8))).requires_grad_()
    assert torch.autograd.gradgradcheck(lambda w: projection_penalty(w, P, lambda_eq=0.3), (W,))
    # Hessian-vector product = 2(λ_G P + λ_⊥ (I − P)) v (docs/explanation/penalties.md#basic-facts)
    v = torch.from_numpy(rng.standard_normal((16, 8)))
    (g,) = torch.autograd.grad(projection_penalty(W, P, lambda_eq=0.3), W, create_graph=True)
    (hv,) = torch.autograd.grad((g * v).sum(), W)
    assert torch.allclose(hv, 2 * (0.3 * P(v) + (v - P(v))), atol=TOL)
