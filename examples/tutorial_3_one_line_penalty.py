"""Tutorial 3: add the penalty to an existing model in one line and watch each layer become equivariant.

An ordinary CNN regresses an approximately rotation-and-reflection-invariant quantity of 12x12
images.  One line builds the regulariser for the square's symmetry group D4 (8 elements acting
on the pixel grid, on the kernels and, through the regular representation, on the hidden
channels); the training loop adds ``reg()`` to its loss.  Every few steps the script prints the
relative non-equivariant part ``‖W − P(W)‖ / ‖W‖`` of every layer.
Run it with ``python examples/tutorial_3_one_line_penalty.py`` (``--fast`` for fewer steps).
"""

from __future__ import annotations

import sys

import torch
from torch import nn

import penalties
from reptheory import Representation, groups


def make_data(n: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 1, 12, 12, generator=g)
    x = nn.functional.avg_pool2d(x, 3, stride=1, padding=1)          # smooth images
    r2 = (torch.arange(12.0) - 5.5) ** 2
    radial = torch.exp(-(r2[:, None] + r2[None, :]) / 18)            # invariant weighting
    y = (x[:, 0] ** 2 * radial).sum((1, 2)) + 0.05 * x[:, 0, :, :6].sum((1, 2))   # + a small non-invariant part
    return x, y[:, None]


def main(fast: bool = False) -> dict[str, float]:
    torch.manual_seed(0)
    model = nn.Sequential(                      # an existing model, unchanged
        nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(),
        nn.Conv2d(16, 16, 3, padding=1), nn.ReLU(),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 1),
    )
    G = groups.square_symmetries()              # D4 as 2x2 signed permutation matrices
    one = Representation.trivial(G)

    # the one line: image in (trivial field), scalar out; hidden channels are 2 copies of the regular rep
    reg = penalties.EquivarianceRegularizer(model, penalties.cnn_spec(model, one, one), lambda_perp=5.0)

    x, y = make_data(256, seed=0)
    grid = Representation.defining(G)           # how D4 moves pixels
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    steps = 60 if fast else 300
    first = last = None
    for step in range(steps + 1):
        if step % (steps // 4) == 0:
            rel = {k: round(v["relative"], 4) for k, v in reg.breakdown().items() if k.endswith("weight")}
            err = penalties.equivariance_error(model, x[:32], one, one, grid=grid, output_grid=False)["median"]
            print(f"step {step:4d}  ‖W − P(W)‖/‖W‖ per layer {rel}  model equivariance error {err:.1e}")
            first = first or (rel, err)
            last = (rel, err)
        if step == steps:
            break
        opt.zero_grad()
        loss = nn.functional.mse_loss(model(x), y) + reg()
        loss.backward()
        opt.step()
    assert first is not None and last is not None
    return {"first_error": first[1], "last_error": last[1],
            "first_defect": max(first[0].values()), "last_defect": max(last[0].values())}


if __name__ == "__main__":
    penalties.configure_threads()  # one torch thread (fastest for small models); PENALTIES_NUM_THREADS=N for more
    main(fast="--fast" in sys.argv)
