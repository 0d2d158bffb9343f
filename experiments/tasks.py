"""The three accuracy tasks: data, backbone, group action, metric (see ``docs/results.md``).

* :class:`InertiaTask`: Modified Inertia (EMLP/RPP), O(3), ``N = 300``, ``ε ∈ {0, 0.3, 1}``;
* :class:`O5Task`: O5Synthetic, O(5), ``σ ∈ {0, 1}``, ``N = 300``, raw units;
* :class:`ShapesTask`: SO(2)-steerable CNN on 32×32 shape images, ``ε ∈ {0, 0.5}``.

A task answers what :func:`experiments.methods.build` and :mod:`experiments.protocol` ask:
``make_model(seed)``, ``data(setting, seed)``, ``sample_penalty(model, m, rng)``,
``augmentation(p, rng)``, ``test_metric(model, data)``, ``equivariance(model, data)``, the
training budget (``lr``, ``batch``, ``max_steps``, ``eval_every``, ``patience``, ``max_decays``) and the
loss scale that sets the weight-space λ grid.

Examples
--------
>>> t = InertiaTask(quick=True)
>>> d = t.data(0.0, seed=1)
>>> d["x_train"].shape, d["y_train"].shape
(torch.Size([300, 20]), torch.Size([300, 9]))
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import torch
from torch import nn

from experiments.data import inertia_data, o5_data, shapes_data
from experiments.models import FieldMLP, HarmonicCNN
from penalties import baselines, metrics

__all__ = ["TASKS", "InertiaTask", "O5Task", "ShapesTask", "make_task"]

N_TRAIN = 300


def _split(gen: Any, setting: float, seed: int, n_train: int, n_val: int, n_test: int,
           dtype: torch.dtype) -> dict[str, torch.Tensor]:
    """Train and validation sets drawn per seed; one fixed test set per setting (seed-independent)."""
    out = {}
    for k, n, s in (("train", n_train, 1000 + seed), ("val", n_val, 2000 + seed), ("test", n_test, 999)):
        X, Y = gen(n, setting, np.random.default_rng(s))[:2]
        out[f"x_{k}"] = torch.as_tensor(X, dtype=dtype)
        out[f"y_{k}"] = torch.as_tensor(Y, dtype=dtype)
    return out


class _MSE:
    """Test and validation metric of every task: the mean squared error on that split."""

    metric_name = "test_mse"

    @torch.no_grad()
    def test_metric(self, model: nn.Module, d: dict[str, torch.Tensor]) -> float:
        return float(((model(d["x_test"]) - d["y_test"]) ** 2).mean())

    @torch.no_grad()
    def val_metric(self, model: nn.Module, d: dict[str, torch.Tensor]) -> float:
        return float(((model(d["x_val"]) - d["y_val"]) ** 2).mean())


class _FieldTask(_MSE):
    """Shared parts of the two O(n) regression tasks (FieldMLP, Haar banks, MSE)."""

    name = ""
    group = ""
    setting_name = "ε"
    settings: tuple[float, ...] = ()
    n = 3
    layout_in: ClassVar[list[tuple[int, int]]] = [(0, 1)]
    layout_out: ClassVar[list[tuple[int, int]]] = [(0, 1)]
    published: ClassVar[dict[float, str]] = {}

    def __init__(self, quick: bool = False):
        self.quick = quick
        self.width = 2 if quick else 8
        self.lr = 3e-2
        self.batch: int | None = None  # full batch (N = 300)
        self.max_steps = 12 if quick else 30_000
        self.eval_every = 3 if quick else 25
        self.patience = 2 if quick else 8  # evaluations without progress before the learning rate is divided by 3
        self.max_decays = 1 if quick else 4  # the next plateau after this many divisions stops the run
        self.n_val, self.n_test = (100, 200) if quick else (300, 2000)
        self._banks: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def gen(self, n: int, setting: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        raise NotImplementedError

    def data(self, setting: float, seed: int) -> dict[str, torch.Tensor]:
        return _split(self.gen, setting, seed, N_TRAIN, self.n_val, self.n_test, torch.float32)

    def loss_scale(self, setting: float) -> float:
        """``Var(y)`` of a large sample: the MSE of the zero predictor, which sets the λ grid."""
        _, Y = self.gen(20_000, setting, np.random.default_rng(7))
        return float(np.var(Y))

    rank2 = True

    def make_model(self, seed: int) -> FieldMLP:
        return FieldMLP(self.n, self.layout_in, self.layout_out, width=self.width, depth=2, rank2=self.rank2,
                        seed=seed, dtype=torch.float32)

    def _bank(self, model: FieldMLP, seed: int) -> tuple[np.ndarray, np.ndarray]:
        if seed not in self._banks:
            self._banks[seed] = model.bank(1024, seed)
        return self._banks[seed]

    def sample_penalty(self, model: FieldMLP, m: int, rng: np.random.Generator) -> nn.Module:
        return baselines.SampleBasedPenalty(model, model.rho_in, model.rho_out, m=m, bank=self._bank(model, 1),
                                            rng=rng, per_example=True)

    def augmentation(self, p: float, rng: np.random.Generator) -> Any:
        model = self.make_model(0)
        return baselines.GroupAugmentation(model.rho_in, model.rho_out, p=p, bank=self._bank(model, 1), rng=rng)

    def equivariance(self, model: FieldMLP, d: dict[str, torch.Tensor]) -> dict[str, float]:
        bank = self._bank(model, 2)
        err = metrics.equivariance_error(model, d["x_test"][:128], model.rho_in, model.rho_out,
                                         bank=(bank[0][:32], bank[1][:32]))
        return {"eq_err_median": err["median"], "eq_err_max": err["max"]}


class InertiaTask(_FieldTask):
    """Modified Inertia: ``Y = I + ε (I e_z) e_z^T`` of five point masses; O(3); test MSE (EMLP's units)."""

    name = "inertia"
    group = "O(3)"
    settings = (0.0, 0.3, 1.0)
    n = 3
    layout_in: ClassVar[list[tuple[int, int]]] = [(0, 5), (1, 5)]
    layout_out: ClassVar[list[tuple[int, int]]] = [(2, 1)]
    published: ClassVar[dict[float, str]] = {
        0.0: "EMLP-O(3) (hard) 1.44 at N = 100, 0.136 at N = 1000; MLP + augmentation 1.78 / 0.130; "
             "MLP 7.91 / 3.24 (EMLP's results file, mean of 3 runs)",
        0.3: "RPP 0.15, EMLP (hard) 2.39, MLP 4.78 (RPP's README, its default training size)",
    }

    def __init__(self, quick: bool = False):
        super().__init__(quick)
        if quick:
            self.settings = (0.0,)

    def gen(self, n: int, setting: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        return inertia_data(n, setting, rng=rng)


class O5Task(_FieldTask):
    """O5Synthetic with the σ breaking term, raw units (no standardisation); O(5); test MSE."""

    name = "o5"
    group = "O(5)"
    setting_name = "σ"
    settings = (0.0, 1.0)
    n = 5
    layout_in: ClassVar[list[tuple[int, int]]] = [(1, 2)]
    layout_out: ClassVar[list[tuple[int, int]]] = [(0, 1)]
    rank2 = False  # scalars and vectors only: the target is a function of the invariants (see FieldMLP)
    published: ClassVar[dict[float, str]] = {
        0.0: "EMLP-O(5) 0.041 at N = 100, 0.017 at N = 1000; MLP + augmentation 0.397 / 0.063 "
             "(EMLP's results file, EMLP's target scaling)",
    }

    def __init__(self, quick: bool = False):
        super().__init__(quick)
        if quick:
            self.settings = (1.0,)

    def gen(self, n: int, setting: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        return o5_data(n, setting, rng=rng)


class ShapesTask(_MSE):
    """Shapes at random orientations (32×32), SO(2) harmonic CNN, target with an ε·cos 2θ term; test MSE."""

    name = "shapes"
    group = "SO(2)"
    setting_name = "ε"
    settings: tuple[float, ...] = (0.0, 0.5)
    published: ClassVar[dict[float, str]] = {}

    def __init__(self, quick: bool = False):
        self.quick = quick
        self.size = 16 if quick else 32
        self.copies = 1 if quick else 2
        self.n_train = 64 if quick else 600
        self.lr = 1e-2
        self.batch: int | None = 32
        self.max_steps = 12 if quick else 8000
        self.eval_every = 4 if quick else 50
        self.patience = 2 if quick else 4
        self.max_decays = 1 if quick else 3
        self.n_val, self.n_test = (64, 64) if quick else (300, 1000)
        if quick:
            self.settings = (0.5,)

    def gen(self, n: int, setting: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        X, y, _ = shapes_data(n, setting, size=self.size, rng=rng)
        return X, y

    def data(self, setting: float, seed: int) -> dict[str, torch.Tensor]:
        return _split(self.gen, setting, seed, self.n_train, self.n_val, self.n_test, torch.float32)

    def loss_scale(self, setting: float) -> float:
        return float(np.var(self.gen(5000, setting, np.random.default_rng(7))[1]))

    def make_model(self, seed: int) -> HarmonicCNN:
        return HarmonicCNN(copies=self.copies, seed=seed)

    def sample_penalty(self, model: nn.Module, m: int, rng: np.random.Generator) -> nn.Module:
        return baselines.InterpolatedRotationPenalty(model, m=m, rng=rng)

    def augmentation(self, p: float, rng: np.random.Generator) -> Any:
        def aug(x: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
            ang = torch.as_tensor(rng.uniform(0, 2 * np.pi, x.shape[0]) * (rng.random(x.shape[0]) < p), dtype=x.dtype)
            return baselines.rotate_images(x, ang), y

        return aug

    def equivariance(self, model: nn.Module, d: dict[str, torch.Tensor]) -> dict[str, float]:
        x = d["x_test"][:64]
        quarter = metrics.rotation_error(model, x, 4)  # exact grid rotations (π/2 multiples)
        cont = metrics.rotation_error(model, x, [0.3, 0.9, 2.0, 4.1])
        return {"eq_err_median": cont["median"], "eq_err_max": cont["max"], "c4_err_max": quarter["max"]}


TASKS = {"inertia": InertiaTask, "o5": O5Task, "shapes": ShapesTask}


def make_task(name: str, quick: bool = False) -> Any:
    """The task object ``name`` (``inertia``, ``o5`` or ``shapes``)."""
    return TASKS[name](quick)
