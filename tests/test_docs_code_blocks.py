"""Every ```python block of the README and the docs runs as a reader would copy it.

For each page, the blocks are pasted in order into one fresh script and run in a subprocess
(from an empty directory, with a timeout), the way a reader copies them into a session.  A block
that is a whole script (``--8<-- "examples/….py"``, shown expanded on the site) is saved to a file
and run as ``python script.py --fast``, as a reader who copies it would; those runs repeat what
``tests/test_examples.py`` checks in-process, so they are marked ``slow``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted([*ROOT.glob("docs/**/*.md"), ROOT / "README.md"])
_BLOCK = re.compile(r"^```python[^\n]*\n(.*?)^```", re.S | re.M)
_SNIPPET = re.compile(r'^--8<-- "([^"]+)"\s*$')


def blocks(page: Path) -> tuple[list[str], list[Path]]:
    """(inline blocks, included scripts) of a page, in order."""
    inline, scripts = [], []
    for body in _BLOCK.findall(page.read_text(encoding="utf-8")):
        m = _SNIPPET.match(body.strip())
        if m:
            scripts.append(ROOT / m.group(1))
        else:
            inline.append(body)
    return inline, scripts


def _env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(ROOT), OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1",
                MKL_NUM_THREADS="1", REPTHEORY_DISK_CACHE="0", MPLBACKEND="Agg")


def _run(script: Path, cwd: Path, *args: str) -> None:
    p = subprocess.run([sys.executable, str(script), *args], cwd=cwd, env=_env(), capture_output=True, text=True,
                       timeout=600)
    assert p.returncode == 0, f"{script.name} failed:\n{p.stdout[-3000:]}\n{p.stderr[-3000:]}"


def test_every_page_is_found():
    names = {p.name for p in PAGES}
    assert {"1-cayley-to-penalty.md", "4-property-testing.md", "choosing-lambdas.md"} <= names
    assert all(_BLOCK.search(p.read_text(encoding="utf-8")) for p in PAGES if p.parent.name == "tutorials")


@pytest.mark.parametrize("page", [p for p in PAGES if blocks(p)[0]], ids=lambda p: f"{p.parent.name}/{p.name}")
def test_inline_blocks_run_in_sequence(page: Path, tmp_path: Path):
    inline, _ = blocks(page)
    script = tmp_path / "copied.py"
    # a reader who pastes test functions runs them (with pytest, or by calling them)
    collect = ("\n\nfor _name, _obj in list(globals().items()):\n"
               "    if _name.startswith('test_') and callable(_obj):\n"
               "        _obj()\n")
    # Hypothesis: fewer examples and no timing health checks (the test machine is shared and loaded)
    profile = ("from hypothesis import HealthCheck, settings\n"
               "settings.register_profile('docs', max_examples=10, deadline=None, "
               "suppress_health_check=[HealthCheck.too_slow])\n"
               "settings.load_profile('docs')\n\n")
    script.write_text(profile + "\n\n".join(inline) + collect, encoding="utf-8")
    _run(script, tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("page", [p for p in PAGES if blocks(p)[1]], ids=lambda p: f"{p.parent.name}/{p.name}")
def test_whole_scripts_run_when_copied(page: Path, tmp_path: Path):
    for src in blocks(page)[1]:
        assert src.is_file(), src
        copy = tmp_path / src.name
        copy.write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
        _run(copy, tmp_path, "--fast")
