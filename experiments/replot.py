"""Redraw the figures of ``docs/img`` from the stored results in ``experiments/output/*.json``.

``python -m experiments.replot [--img docs/img]``: no training, only the plotting of
``experiments.so2_toy``, ``o5``, ``grid_dynamics`` and ``inertia`` applied to their JSON results.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from experiments.so2_toy import GRID_LG, GRID_LP, _heatmap
from experiments.train import METHOD_ORDER, plot_lines

OUT = Path(__file__).resolve().parent / "output"


def _series(per: dict, keys: list[str], names: list[str], metric: str, floor: float | None = None) -> dict:
    out = {}
    for k in names:
        mean = [float(np.mean([r[metric] for r in per[x][k]["runs"]])) for x in keys]
        std = [float(np.std([r[metric] for r in per[x][k]["runs"]])) for x in keys]
        out[k] = ([max(v, floor) for v in mean] if floor else mean, std)
    return out


def main(argv: list[str] | None = None) -> list[Path]:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--img", type=Path, default=Path(__file__).resolve().parents[1] / "docs" / "img")
    args = p.parse_args(argv)
    img: Path = args.img
    written = []

    so2 = json.loads((OUT / "so2_toy.json").read_text())
    wavey = so2["wavey"]
    sig = list(wavey)
    names = [k for k in [*METHOD_ORDER, "plain MLP"] if k in wavey[sig[0]]]
    xs = [float(s) for s in sig]
    for metric, fname, lab, logy in (("test_acc", "so2_rings_acc.png", "test accuracy", False),
                                     ("E_max", "so2_rings_invariance.png", "E(T) = max |f(Rx) − f(x)|", True)):
        plot_lines(img / fname, xs, _series(wavey, sig, names, metric, 1e-9 if logy else None),
                   xlabel="σ_⊥ (symmetry breaking)", ylabel=lab, title=f"T1 wavey rings: {lab}", logy=logy)
        written.append(img / fname)
    acc = np.zeros((len(GRID_LG), len(GRID_LP)))
    err = np.zeros_like(acc)
    for cell in so2["lambda_grid"]:
        i, j = GRID_LG.index(cell["lam_G"]), GRID_LP.index(cell["lam_perp"])
        acc[i, j] = np.mean([r["test_acc"] for r in cell["runs"]])
        err[i, j] = np.mean([r["E_max"] for r in cell["runs"]])
    _heatmap(img / "so2_lambda_grid_acc.png", acc, "T1 data A: test accuracy", ".2f")
    _heatmap(img / "so2_lambda_grid_E.png", np.log10(np.maximum(err, 1e-8)), "T1 data A: log10 E(T)", ".1f")
    written += [img / "so2_lambda_grid_acc.png", img / "so2_lambda_grid_E.png"]

    o5 = json.loads((OUT / "o5.json").read_text())
    per = o5["per_sigma"]
    keys = list(per)
    names = [k for k in METHOD_ORDER if k in per[keys[0]]]
    plot_lines(img / "o5_mse_vs_sigma.png", [float(k) for k in keys], _series(per, keys, names, "test_mse"),
               xlabel="σ (symmetry breaking)", ylabel="test MSE", title=f"T3 O5Synthetic, N_train = {o5['n_train']}")
    written.append(img / "o5_mse_vs_sigma.png")

    grid = json.loads((OUT / "grid_dynamics.json").read_text())
    per = grid["per_eps"]
    keys = list(per)
    names = [k for k in METHOD_ORDER if k in per[keys[0]]]
    plot_lines(img / "grid_rmse_vs_eps.png", [float(k) for k in keys], _series(per, keys, names, "rmse"),
               xlabel="ε (anisotropy)", ylabel="one-step test RMSE", title="T4 periodic-grid diffusion, D4 CNN")
    written.append(img / "grid_rmse_vs_eps.png")

    inertia = json.loads((OUT / "inertia.json").read_text())
    for sname, per in inertia["settings"].items():
        keys = list(per)
        names = [k for k in METHOD_ORDER if k in per[keys[0]]]
        tag = sname.split()[0]
        plot_lines(img / f"inertia_{tag}.png", [float(k) for k in keys], _series(per, keys, names, "test_mse"),
                   xlabel="N_train", ylabel="test MSE", title=f"T2 inertia, {sname}", logx=True)
        written.append(img / f"inertia_{tag}.png")
    for w in written:
        print(w)
    return written


if __name__ == "__main__":
    main()
