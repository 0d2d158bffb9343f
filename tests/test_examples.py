"""Every script in ``examples/`` runs with fast settings and reaches its stated conclusion.

The scripts are imported from their files and their ``main(fast=True)`` is called in this
process (importing torch once keeps the whole file well under a minute on 2 cores).
``examples/property_test_your_rep.py`` is exercised by ``tests/test_examples_testing.py``.
"""

from __future__ import annotations

import importlib.util
import math
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest
import torch.distributed as dist

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"_example_{name}", EXAMPLES / f"{name}.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


def test_every_example_is_tested():
    tested = {"tutorial_1_cayley_to_penalty", "tutorial_2_so3_tensors", "tutorial_3_one_line_penalty",
              "howto_custom_lie_group", "howto_export_projector", "howto_convolutions", "howto_ddp",
              "howto_penalty_prox_tolerance", "property_test_your_rep"}
    assert {p.stem for p in EXAMPLES.glob("*.py")} <= tested


def test_tutorial_1_cayley_to_penalty(capsys):
    out = _load("tutorial_1_cayley_to_penalty").main(fast=True)
    text = capsys.readouterr().out
    # Q8: 5 classes; the regular representation has 4 one-dimensional real irreps and one quaternionic
    # 4-dimensional real irrep (type H), so dim End_G(R) = 4·1 + 1²·4 = 8 = |G|.
    assert "5 conjugacy classes" in text
    assert "type H" in text
    assert "commutant of R: dim 8" in text
    assert out["defect_after"] < 0.1 * out["defect_before"]


def test_tutorial_2_so3_tensors(capsys):
    out = _load("tutorial_2_so3_tensors").main(fast=True)
    text = capsys.readouterr().out
    # classical invariant theory: identity/transpose/trace; cross product; ε_ijk for SO(3) only
    assert out == {"commutant": 3, "cross": 1, "eps_so3": 1, "eps_o3": 0}
    assert "spans {identity, transpose, trace}: True" in text
    assert "0e + 1e + 2e" in text


def test_tutorial_3_one_line_penalty():
    out = _load("tutorial_3_one_line_penalty").main(fast=True)
    assert out["last_defect"] < 0.5 * out["first_defect"]
    assert out["last_error"] < out["first_error"]


def test_howto_custom_lie_group(capsys):
    out = _load("howto_custom_lie_group").main(fast=True)
    text = capsys.readouterr().out
    # V = two planes swapped: V ≅ the realification of a complex irrep of T²⋊C2 of complex type,
    # so End_G(V) ≅ C has real dimension 2, and invariant bilinear forms ≅ End_G(V) (V orthogonal).
    assert out == {"commutant": 2, "invariants": 2}
    assert "P(W) commutes with a group element: True" in text


def test_howto_export_projector(tmp_path):
    out = _load("howto_export_projector").main(fast=True, out_dir=str(tmp_path))
    assert out["dim"] == 2 * 8       # dim Hom_G(R, 2R) = 2 |G| for D4
    assert (tmp_path / "d4_hom.npz").exists()
    assert math.isclose(out["penalty"], out["reg"], rel_tol=1e-6)


def test_howto_convolutions():
    out = _load("howto_convolutions").main(fast=True)
    assert out["spatial_error"] < 1e-5
    assert out["fft_agrees"] == 1.0


@pytest.mark.skipif(not dist.is_available(), reason="torch.distributed not available")
def test_howto_ddp():
    # a separate interpreter, as a user runs it (its workers are spawned from the script)
    import subprocess

    out = subprocess.run([sys.executable, str(EXAMPLES / "howto_ddp.py"), "--fast"], capture_output=True,
                         text=True, timeout=300, cwd=EXAMPLES.parent)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "2 ranks, 20 steps" in out.stdout


def test_howto_penalty_prox_tolerance(capsys):
    out = _load("howto_penalty_prox_tolerance").main(fast=True)
    assert "multipliers" in capsys.readouterr().out
    tol = out["tolerance"]
    assert tol["worst_layer_defect"] <= 1.1 * 0.05  # every layer reached its tolerance
    assert tol["min_multiplier"] >= 0.0
    assert tol["defect"] < out["penalty"]["defect"] and tol["defect"] < out["prox"]["defect"]
    assert out["prox"]["defect"] < 0.5  # the proximal step pulled the layers towards Hom_G


def test_readme_example_runs(capsys):
    text = (EXAMPLES.parent / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)
    assert blocks, "the README has no python example"
    namespace: dict[str, object] = {}
    exec(compile(blocks[0], "README.md", "exec"), namespace)
    out = capsys.readouterr().out
    # C2 × C2 × C2 is abelian: 8 classes, 8 one-dimensional irreps, dim End_G(R) = |G| = 8
    assert out.rstrip().endswith(" 8")
    reg = namespace["reg"]
    assert reg.layer_defect() > 0     # an untrained MLP is not invariant


def test_docs_build_strict(tmp_path):
    """The documentation site builds in strict mode: broken links, snippets or references fail."""
    pytest.importorskip("mkdocs")
    pytest.importorskip("mkdocstrings")
    pytest.importorskip("material")
    import subprocess

    root = EXAMPLES.parent
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(tmp_path / "site")],
                          cwd=root, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert (tmp_path / "site" / "tutorials" / "1-cayley-to-penalty" / "index.html").exists()
