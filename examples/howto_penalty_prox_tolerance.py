"""How-to: train an approximately equivariant model with the penalty, the proximal step or a tolerance.

The task: ``D_4`` acts on ``R^8`` by its regular representation (a permutation of the inputs); the
target is invariant up to a small symmetry-breaking term, so the best model is *nearly*
invariant.  The same MLP (regular hidden fields) is trained three ways:

1. **penalty**: ``loss = task + reg()`` with a fixed ``λ_⊥`` (any optimiser; Adam rescales the pull);
2. **proximal step**: ``ProximalEquivariance(AdamW(...), reg)``, the task loss only; after each
   step ``W ← PW + (W − PW) / (1 + 2·lr·λ_⊥)``, decoupled from Adam's scaling;
3. **tolerance**: ``EquivarianceRegularizer(..., tolerance=τ)`` and the same wrapper; no λ to
   choose, the per-layer multipliers are learned so that ``‖W − PW‖ / ‖W‖ ≤ τ``.

Run ``python examples/howto_penalty_prox_tolerance.py`` (``--fast`` for a short run).
"""

from __future__ import annotations

import sys

import torch
from torch import nn

import penalties
from reptheory import Representation, groups

G = groups.dihedral(4)
R, ONE = Representation.regular(G), Representation.trivial(G)


def data(n: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    x = torch.randn(n, 8, generator=torch.Generator().manual_seed(seed))
    y = x.pow(2).sum(1, keepdim=True) + x.sum(1, keepdim=True).relu() + 0.3 * x[:, :1]  # invariant + 0.3·x_0
    return x, y


def make_model() -> tuple[nn.Module, dict]:
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 1))
    return model, penalties.mlp_spec(model, R, ONE)


def train_penalty(steps: int) -> tuple[nn.Module, penalties.EquivarianceRegularizer]:
    """Mode 1: the penalty in the loss (λ_⊥ chosen by hand)."""
    model, spec = make_model()
    reg = penalties.EquivarianceRegularizer(model, spec, lambda_perp=0.1)
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    x, y = data(512, 1)
    for _ in range(steps):
        opt.zero_grad()
        (nn.functional.mse_loss(model(x), y) + reg()).backward()
        opt.step()
    return model, reg


def train_prox(steps: int) -> tuple[nn.Module, penalties.EquivarianceRegularizer]:
    """Mode 2: the proximal step after each AdamW step; reg() is NOT added to the loss."""
    model, spec = make_model()
    reg = penalties.EquivarianceRegularizer(model, spec, lambda_perp=1.0)
    opt = penalties.ProximalEquivariance(torch.optim.AdamW(model.parameters(), lr=3e-3), reg)
    x, y = data(512, 1)
    for _ in range(steps):
        opt.zero_grad()
        nn.functional.mse_loss(model(x), y).backward()
        opt.step()  # AdamW step, then reg.prox_(lr) with the group's lr
    return model, reg


def train_tolerance(steps: int, tau: float = 0.05) -> tuple[nn.Module, penalties.EquivarianceRegularizer]:
    """Mode 3: a tolerance per layer; the wrapper's step also updates the multipliers."""
    model, spec = make_model()
    reg = penalties.EquivarianceRegularizer(model, spec, tolerance=tau, tolerance_start=0.5,
                                            homotopy_steps=steps // 4)
    opt = penalties.ProximalEquivariance(torch.optim.Adam(model.parameters(), lr=3e-3), reg)
    x, y = data(512, 1)
    for _ in range(steps):
        opt.zero_grad()
        nn.functional.mse_loss(model(x), y).backward()  # reg() is not added: the step applies it
        opt.step()
    return model, reg


def main(fast: bool = False) -> dict[str, dict[str, float]]:
    steps = 200 if fast else 2000
    xt, yt = data(2048, 2)
    out: dict[str, dict[str, float]] = {}
    for name, train in (("penalty", train_penalty), ("prox", train_prox), ("tolerance", train_tolerance)):
        model, reg = train(steps)
        with torch.no_grad():
            mse = float(nn.functional.mse_loss(model(xt), yt))
        worst = max(v["relative"] for v in reg.breakdown().values())
        out[name] = {"test_mse": mse, "defect": reg.layer_defect(), "worst_layer_relative": worst}
        line = f"{name:9s}: test MSE {mse:.4f}, relative defect {reg.layer_defect():.2e} (worst layer {worst:.3f})"
        if name == "tolerance":
            lam = reg.multipliers()
            layer_worst = max(v["layer_relative"] for v in reg.breakdown().values())
            out[name].update(min_multiplier=min(lam.values()), worst_layer_defect=layer_worst)
            line += f"\n           per layer (weight and bias) at most {layer_worst:.3f} <= tau = 0.05 (+ dual lag); "
            line += "multipliers " + ", ".join(f"{k}: {v:.2f}" for k, v in lam.items())
        print(line)
    return out


if __name__ == "__main__":
    main(fast="--fast" in sys.argv)
