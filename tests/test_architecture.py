"""The layout promises of ``ARCHITECTURE.md``, checked on the source tree.

- ``reptheory`` has at most 12 first-level parts, laid out along the data flow, and its
  module-level imports only point down the flow (groups ← reps ← characters ← decomposition ←
  hom ← io/cli); anything upward is a lazy import inside a function.
- ``reptheory`` never imports torch, and imports sympy / python-flint only lazily.
- ``penalties`` and ``experiments`` build no equivariant maps of their own: no connected
  components, no nullspaces, no baseline classes outside ``penalties.baselines``.
- Modules stay under 800 lines.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT / "reptheory"

#: Rank of each first-level part along the data flow; a module may import (at module level) only
#: from parts of lower or equal rank.  ``testing`` sits on top (it may import anything).
RANK = {
    "errors": 0,
    "_numerics": 1,
    "_compat": 1,
    "groups": 2,
    "reps": 3,
    "characters": 4,
    "decomposition": 5,
    "hom": 6,
    "io": 7,
    "cli": 8,
    "testing": 9,
    "__init__": 10,
    "__main__": 10,
}


def _part(path: Path) -> str:
    rel = path.relative_to(PKG)
    return rel.parts[0].removesuffix(".py")


def _module_level_imports(path: Path) -> list[tuple[int, str]]:
    """``(line, module)`` for imports executed at import time (top level, ``if``/``try`` blocks; not
    ``TYPE_CHECKING`` blocks, not function bodies)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: list[tuple[int, str]] = []

    def visit(stmts: list[ast.stmt]) -> None:
        for node in stmts:
            if isinstance(node, ast.Import):
                out.extend((node.lineno, a.name) for a in node.names)
            elif isinstance(node, ast.ImportFrom):
                if node.level == 0 and node.module:
                    out.append((node.lineno, node.module))
                    out.extend((node.lineno, f"{node.module}.{a.name}") for a in node.names)
            elif isinstance(node, ast.If):
                test = ast.unparse(node.test)
                if "TYPE_CHECKING" not in test:
                    visit(node.body)
                visit(node.orelse)
            elif isinstance(node, ast.Try):
                visit(node.body)
                for h in node.handlers:
                    visit(h.body)

    visit(tree.body)
    return out


def _sources(pkg: Path) -> list[Path]:
    return sorted(p for p in pkg.rglob("*.py") if "__pycache__" not in p.parts)


def test_first_level_parts():
    parts = {p.name.removesuffix(".py") for p in PKG.iterdir() if (p.suffix == ".py" or (p.is_dir() and (p / "__init__.py").exists()))}
    parts -= {"__init__", "__main__", "_compat"}
    assert len(parts) <= 12, sorted(parts)
    assert parts <= set(RANK), f"a new first-level part needs a place in the data flow: {sorted(parts - set(RANK))}"


@pytest.mark.parametrize("path", _sources(PKG), ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_point_down_the_data_flow(path):
    here = _part(path)
    for line, mod in _module_level_imports(path):
        top = mod.split(".")[0]
        assert top != "torch", f"{path}:{line} imports torch"
        assert top not in ("sympy", "flint"), f"{path}:{line} imports {top} at module level (must be lazy)"
        if top != "reptheory" or mod == "reptheory":
            continue
        parts = mod.split(".")
        if len(parts) < 2:
            continue
        target = parts[1]
        if target not in RANK or here == "testing":
            continue
        assert RANK[target] <= RANK[here], (
            f"{path.relative_to(ROOT)}:{line}: '{here}' imports '{mod}' at module level, against the data flow"
        )


_FORBIDDEN = re.compile(
    r"connected_components|null_space|scipy\.sparse\.csgraph|def [a-z_]*nullspace|linalg\.svd|linalg\.eigh?\(|"
    r"class [A-Za-z]*(RPP|SampleBased|Generator)[A-Za-z]*"
)


@pytest.mark.parametrize("package", ["penalties", "experiments"])
def test_no_private_copies_of_the_library(package):
    offenders = []
    for path in _sources(ROOT / package):
        if path.name == "baselines.py" and package == "penalties":
            continue
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if _FORBIDDEN.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{i}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


@pytest.mark.parametrize("package", ["reptheory", "penalties", "experiments"])
def test_modules_stay_small(package):
    big = [
        f"{p.relative_to(ROOT)} ({n} lines)"
        for p in _sources(ROOT / package)
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 800
    ]
    assert not big, big


def test_a_violation_is_caught(tmp_path):
    """The import scanner sees module-level imports and ignores lazy and TYPE_CHECKING ones."""
    src = tmp_path / "m.py"
    src.write_text(
        "from typing import TYPE_CHECKING\n"
        "import numpy as np\n"
        "from reptheory.hom.space import intertwiners\n"
        "if TYPE_CHECKING:\n    from reptheory.cli import main\n"
        "def f():\n    import torch\n",
        encoding="utf-8",
    )
    mods = [m for _, m in _module_level_imports(src)]
    assert "reptheory.hom.space" in mods and "numpy" in mods
    assert "torch" not in mods and "reptheory.cli" not in mods
