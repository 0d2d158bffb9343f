"""Docstrings use the markup the API pages render (mkdocstrings, numpy style, Markdown).

Sphinx roles (``:class:`X```), ``.. math::`` directives and reST literal blocks (``::``) show up
raw on the site; ``python scripts/docstrings_to_mkdocs.py`` rewrites them into autorefs
cross-references, ``$$`` blocks and fenced code.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ROLE = re.compile(r":(class|func|meth|mod|attr|data|exc|obj|math):`")
FILES = sorted(f for pkg in ("reptheory", "penalties") for f in (ROOT / pkg).rglob("*.py"))


def _docstrings(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            doc = ast.get_docstring(node, clean=False)
            if doc:
                out.append((getattr(node, "lineno", 1), doc))
    return out


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_docstrings_have_no_rest_markup(path: Path):
    bad = []
    for line, doc in _docstrings(path):
        for text in doc.splitlines():
            s = text.strip()
            if ROLE.search(s) or s.startswith(".. math::") or (s.endswith("::") and not s.startswith(">>>")):
                bad.append(f"{path.relative_to(ROOT)}:{line}: {s}")
    assert not bad, "reST markup (run scripts/docstrings_to_mkdocs.py):\n" + "\n".join(bad)


def test_the_markup_check_would_fail_on_a_role():
    assert ROLE.search("see :class:`reptheory.Representation`") and not ROLE.search("see [`X`][a.X]")


CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # a TeX macro written into a non-raw string: "\rho" → CR + "ho"
TEXT = sorted([*(ROOT / "docs").rglob("*.md"), ROOT / "README.md", ROOT / "ARCHITECTURE.md", *FILES])


@pytest.mark.parametrize("path", TEXT, ids=lambda p: str(p.relative_to(ROOT)))
def test_text_has_no_control_characters(path: Path):
    """Docs and sources hold no control characters other than newlines (and no tabs in Markdown):
    ``\\r``, ``\\b``, ``\\t``, ``\\f`` from TeX written through a non-raw string render as garbage."""
    raw = path.read_bytes().decode("utf-8")
    bad = [f"{path.relative_to(ROOT)}:{raw.count(chr(10), 0, m.start()) + 1}: {m.group()!r}"
           for m in CONTROL.finditer(raw)]
    if path.suffix == ".md":
        bad += [f"{path.relative_to(ROOT)}:{i}: tab" for i, line in enumerate(raw.splitlines(), 1) if "\t" in line]
    assert not bad, "control characters:\n" + "\n".join(bad[:20])
