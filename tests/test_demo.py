"""The main job ``python -m penalties.demo --fast`` runs and its printed numbers say what the README says."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    out = tmp_path_factory.mktemp("demo")
    env = dict(os.environ, PYTHONPATH=str(ROOT), OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    proc = subprocess.run([sys.executable, "-m", "penalties.demo", "--fast", "--out", str(out)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout, out


def _numbers(stdout: str, name: str) -> tuple[float, float]:
    m = re.search(rf"{name}\s*: test MSE ([0-9.eE+-]+)\s+equivariance error ([0-9.eE+-]+)", stdout)
    assert m, stdout
    return float(m.group(1)), float(m.group(2))


def test_penalty_lowers_equivariance_error(demo_run):
    stdout, _ = demo_run
    _, eq_plain = _numbers(stdout, "plain")
    _, eq_pen = _numbers(stdout, "penalised")
    assert eq_pen < 0.5 * eq_plain, stdout


def test_penalty_helps_on_an_approximately_invariant_task(demo_run):
    stdout, _ = demo_run
    mse_plain, _ = _numbers(stdout, "plain")
    mse_pen, _ = _numbers(stdout, "penalised")
    assert mse_pen < mse_plain, stdout


def test_commutant_dimension_matches_the_character_formula(demo_run):
    stdout, _ = demo_run
    m = re.search(r"Hom_G\(R, 4R\): dim (\d+) \(character formula (\d+)\)", stdout)
    assert m, stdout
    # independent oracle: dim Hom_G(R, 4R) = 4 <χ_R, χ_R> = 4 |G| for the regular representation
    assert int(m.group(1)) == int(m.group(2)) == 4 * 24


def test_exported_projector_loads_and_projects(demo_run):
    from reptheory import Representation, load
    from reptheory.cli.demo import load_default_group

    _, out = demo_run
    space = load(out / "sl23_hom_R_4R.npz")
    G = load_default_group()
    R = Representation.regular(G)
    W = np.random.default_rng(0).standard_normal((96, 24))
    PW = space.project(W)
    # brute-force Reynolds average over all 24 elements as the oracle
    avg = sum(np.kron(np.eye(4), R.matrix(g)) @ W @ R.matrix(g).T for g in range(G.order)) / G.order
    np.testing.assert_allclose(PW, avg, atol=1e-10)


def test_plot_written_or_skipped_with_a_note(demo_run):
    stdout, out = demo_run
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        assert "skipping the plot" in stdout
    else:
        assert (out / "demo.png").stat().st_size > 1000


def test_the_task_is_invariant_up_to_its_small_part():
    import torch

    from penalties.demo import make_task, make_task_target
    from reptheory import Representation
    from reptheory.cli.demo import load_default_group

    G = load_default_group()
    R = Representation.regular(G)
    x, _ = make_task(16, rng=3)
    x = x.double()
    f = make_task_target(x, G, eps=0.0)
    for g in range(G.order):  # oracle: the representation's own matrices, every element
        gx = x @ torch.as_tensor(R.matrix(g)).T
        assert torch.allclose(make_task_target(gx, G, eps=0.0), f, atol=1e-10)
    # the full target is not invariant: its non-invariant part is really there
    g = int(G.generators[0])
    gx = x @ torch.as_tensor(R.matrix(g)).T
    assert not torch.allclose(make_task_target(gx, G), make_task_target(x, G), atol=1e-3)
