"""The property-testing example script runs and catches a broken representation."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


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


# The code blocks of docs/how-to/property-testing.md and custom-group-strategy.md (and of every other
# tutorial and how-to page) are run by tests/test_docs_code_blocks.py.
