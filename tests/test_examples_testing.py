"""The property-testing example script and the code in the two how-to pages run and pass."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ["docs/how-to/property-testing.md", "docs/how-to/custom-group-strategy.md"]


def _run(path: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    return subprocess.run(
        [sys.executable, str(path)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def test_example_script_runs():
    out = _run(ROOT / "examples" / "property_test_your_rep.py")
    assert out.returncode == 0, out.stderr
    assert "all property tests passed" in out.stdout


def test_example_script_catches_a_broken_representation(tmp_path):
    """The five-line test fails (with the worst violation) when the representation is wrong."""
    src = (ROOT / "examples" / "property_test_your_rep.py").read_text()
    broken = src.replace("np.diag([1.0, (-1.0) ** e])", "np.diag([1.0, -1.0]) ** e")
    assert broken != src
    script = tmp_path / "broken.py"
    script.write_text(broken)
    out = _run(script)
    assert out.returncode != 0
    assert "rho(e) != I (relative error" in out.stderr


@pytest.mark.parametrize("page", DOCS)
def test_how_to_code_runs(page, tmp_path):
    text = (ROOT / page).read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert blocks, f"{page} has no python code"
    runner = textwrap.dedent(
        """
        _tests = [(k, v) for k, v in list(globals().items()) if k.startswith("test_") and callable(v)]
        assert _tests, "no test functions defined"
        for _name, _fn in _tests:
            _fn()
        print("ran", len(_tests), "tests")
        """
    )
    script = tmp_path / "page.py"
    script.write_text("\n\n".join(blocks) + runner)
    out = _run(script)
    assert out.returncode == 0, out.stderr
    assert "ran" in out.stdout
