"""How-to: export a projector offline with the command line, then load it in a training script.

Offline (once, e.g. on a login node)::

    reptheory hom D4 --in regular --out "2*regular" -o d4_hom.npz
    reptheory verify d4_hom.npz

In training, load the file (checksums, shapes, ``P² = P`` and the generator residual are
verified on load) and turn it into a torch projector.  This script does both steps; the
first through :func:`reptheory.cli.main`, which is what the ``reptheory`` command runs.
Run it with ``python examples/howto_export_projector.py [DIR]``.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import torch
from torch import nn

import penalties
import reptheory
from reptheory.cli import main as reptheory_cli


def main(fast: bool = False, out_dir: str | None = None) -> dict[str, float]:
    path = Path(out_dir or tempfile.mkdtemp()) / "d4_hom.npz"
    # 1. offline: the same as the shell command in the docstring
    assert reptheory_cli(["hom", "D4", "--in", "regular", "--out", "2*regular", "-o", str(path), "--quiet"]) == 0
    assert reptheory_cli(["verify", str(path)]) == 0

    # 2. in training: load, convert once, keep as a buffer-holding module
    space = reptheory.load(path)
    P = penalties.as_projection(space)                 # an nn.Module; .to(device) moves its buffers
    print(f"loaded {path.name}: dim {space.dim}, method {space.method!r}, torch projector {P}")

    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 1))
    # either call the functional penalty on the weight yourself ...
    pen = penalties.projection_penalty(model[0].weight, P, lambda_perp=1.0)
    # ... or hand the loaded projector to the regulariser for that layer
    reg = penalties.EquivarianceRegularizer(model, {"0": penalties.LayerSpec(projector=P)})
    print(f"penalty of the first layer: {pen.item():.4f} (regulariser: {reg().item():.4f})")
    return {"dim": space.dim, "penalty": pen.item(), "reg": reg().item()}


if __name__ == "__main__":
    penalties.configure_threads()  # one torch thread (fastest for small models); PENALTIES_NUM_THREADS=N for more
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    main(fast="--fast" in sys.argv, out_dir=args[0] if args else None)
