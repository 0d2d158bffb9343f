"""Every citation of the explanation pages resolves: the page exists and defines the anchor.

Code, tests, benchmarks and docs cite the mathematics as ``docs/explanation/<page>.md#<anchor>``
(and the explanation pages link to each other as ``<page>.md#<anchor>`` or ``#<anchor>``).  An
anchor is defined by an explicit attribute list on a heading (``## Title {#anchor}``) or by the
slug MkDocs' ``toc`` extension gives a heading without one.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXPLANATION = ROOT / "docs" / "explanation"
SCANNED = ["reptheory", "penalties", "benchmarks", "tests", "docs", "experiments", "examples", "README.md",
           "ARCHITECTURE.md"]
SUFFIXES = {".py", ".md", ".txt", ".rst", ".yml", ".yaml", ".toml"}

CITATION = re.compile(r"explanation/([a-z0-9][a-z0-9_-]*)\.md#([A-Za-z0-9_-]+)")
# links between explanation pages: ](page.md#anchor) and ](#anchor)
RELATIVE = re.compile(r"\]\(([a-z0-9][a-z0-9_-]*)\.md#([A-Za-z0-9_-]+)\)")
SAME_PAGE = re.compile(r"\]\(#([A-Za-z0-9_-]+)\)")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
ATTR_ID = re.compile(r"\{[^}]*#([A-Za-z0-9_-]+)[^}]*\}\s*$")


def slugify(text: str) -> str:
    """The default slug of Python-Markdown's ``toc`` extension."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


def anchors_of(markdown: str) -> list[str]:
    """Anchors a page defines, in order (explicit ``{#id}`` on headings, else the heading slug)."""
    out: list[str] = []
    fenced = False
    for line in markdown.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if fenced:
            continue
        m = HEADING.match(line)
        if m:
            text = m.group(2)
            a = ATTR_ID.search(text)
            out.append(a.group(1) if a else slugify(re.sub(r"`|\*|\$", "", text)))
        out.extend(re.findall(r"<a\s+(?:name|id)=\"([A-Za-z0-9_-]+)\"", line))
    return out


def scanned_files(root: Path = ROOT) -> list[Path]:
    files: list[Path] = []
    for name in SCANNED:
        p = root / name
        if p.is_file():
            files.append(p)
        elif p.is_dir():
            files.extend(f for f in sorted(p.rglob("*")) if f.is_file() and f.suffix in SUFFIXES
                         and "__pycache__" not in f.parts)
    return files


def citations(root: Path = ROOT) -> list[tuple[str, int, str, str]]:
    """``(file, line, page, anchor)`` for every citation of an explanation page under ``root``."""
    out = []
    explanation = root / "docs" / "explanation"
    for f in scanned_files(root):
        rel = str(f.relative_to(root))
        for i, line in enumerate(f.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            for page, anchor in CITATION.findall(line):
                out.append((rel, i, page, anchor))
            if f.parent == explanation and f.suffix == ".md":
                for page, anchor in RELATIVE.findall(line):
                    out.append((rel, i, page, anchor))
                for anchor in SAME_PAGE.findall(line):
                    out.append((rel, i, f.stem, anchor))
    return out


def broken(root: Path = ROOT) -> list[str]:
    """One message per citation whose page or anchor does not exist."""
    pages: dict[str, list[str] | None] = {}
    bad = []
    for rel, line, page, anchor in citations(root):
        if page not in pages:
            path = root / "docs" / "explanation" / f"{page}.md"
            pages[page] = anchors_of(path.read_text(encoding="utf-8")) if path.is_file() else None
        defined = pages[page]
        if defined is None:
            bad.append(f"{rel}:{line}: docs/explanation/{page}.md does not exist")
        elif anchor not in defined:
            bad.append(f"{rel}:{line}: docs/explanation/{page}.md has no anchor #{anchor}")
    return bad


def test_every_explanation_citation_resolves() -> None:
    found = citations()
    # the scan is not vacuous: the code cites the pages in many places
    assert len(found) > 100, f"only {len(found)} citations found; is the scan pattern still right?"
    assert {page for _, _, page, _ in found} >= {"projector", "routes", "lie-groups", "penalties", "convolutions"}
    assert broken() == []


def test_explanation_pages_define_each_anchor_once() -> None:
    for page in sorted(EXPLANATION.glob("*.md")):
        defined = anchors_of(page.read_text(encoding="utf-8"))
        dupes = sorted({a for a in defined if defined.count(a) > 1})
        assert dupes == [], f"{page.name} defines {dupes} more than once"


@pytest.mark.parametrize(
    ("page", "anchors"),
    [
        ("projector", ["conventions", "groups-and-representations", "non-orthogonal-representations", "intertwiners",
                       "generators-suffice", "sylvester-form", "reynolds-operator", "reynolds-is-orthogonal",
                       "non-compact-groups", "schur-and-real-types", "isotypic-decomposition", "characters",
                       "mask-and-average"]),
        ("routes", ["routes", "orbit-method", "nullspace-solvers", "decomposition", "character-tables",
                    "frobenius-schur", "exact-arithmetic"]),
        ("lie-groups", ["catalogue", "so2-o2", "su2", "so3-o3", "so-n", "casimir", "haar-sampling",
                        "known-dimensions"]),
        ("penalties", ["the-penalty", "basic-facts", "orbit-identity", "worst-case", "sample-based",
                       "generator-penalty", "rpp", "biases", "networks", "norms", "equivariance-error", "cost-model",
                       "proximal-step", "constrained-mode"]),
        ("convolutions", ["convolutions", "kernel-action", "grid-symmetries", "spatial-projector",
                          "spectral-projector"]),
    ],
)
def test_stable_anchors_are_explicit(page: str, anchors: list[str]) -> None:
    """The anchors the code cites are written out (``{#id}``), so rewording a heading cannot break them."""
    text = (EXPLANATION / f"{page}.md").read_text(encoding="utf-8")
    explicit = set(re.findall(r"^#{1,6} .*\{#([a-z0-9-]+)\}\s*$", text, flags=re.M))
    assert set(anchors) <= explicit, sorted(set(anchors) - explicit)


def test_checker_reports_broken_citations(tmp_path: Path) -> None:
    """The checker itself can fail: a missing page and a missing anchor are both reported."""
    (tmp_path / "docs" / "explanation").mkdir(parents=True)
    (tmp_path / "docs" / "explanation" / "page.md").write_text(
        "# Title\n\n## Defined {#good}\n\n## A plain heading\n\n```\n## not a heading {#fenced}\n```\n"
        "See [x](#a-plain-heading) and [y](#nowhere).\n"
    )
    (tmp_path / "reptheory").mkdir()
    ex = "docs/" + "explanation"  # split so that this file's own scan does not see the fixtures
    (tmp_path / "reptheory" / "mod.py").write_text(
        f'"""{ex}/page.md#good, {ex}/page.md#a-plain-heading,\n'
        f'{ex}/page.md#missing, {ex}/other.md#good, {ex}/page.md#fenced."""\n'
    )
    msgs = broken(tmp_path)
    assert len(msgs) == 4, msgs
    assert any("#missing" in m for m in msgs)
    assert any("other.md does not exist" in m for m in msgs)
    assert any("#fenced" in m for m in msgs)
    assert any("#nowhere" in m for m in msgs)


def test_slugify_matches_toc() -> None:
    assert slugify("Schur's lemma and the three real types") == "schurs-lemma-and-the-three-real-types"
    assert slugify("SO(2) and O(2)") == "so2-and-o2"
