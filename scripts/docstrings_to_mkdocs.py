"""Rewrite reST/Sphinx markup in docstrings into what mkdocstrings (numpy style) renders.

One scripted, idempotent pass over ``reptheory/`` and ``penalties/`` (docstrings and ``#:``
attribute comments only):

* roles ``:class:`X```, ``:func:``, ``:meth:``, ``:mod:``, ``:attr:``, ``:data:``, ``:exc:``,
  ``:obj:`` become autorefs cross-references ``[`X`][full.path.X]`` when the object is rendered
  in the API reference (listed in the built site's ``objects.inv``), plain ``` `X` ``` otherwise;
  ``~a.b.C`` shows ``C``; names without dots are looked up in the docstring's module and class;
* ``:math:`x``` becomes ``$x$`` and a ``.. math::`` block becomes a ``$$ … $$`` block
  (typeset by ``pymdownx.arithmatex`` and MathJax);
* a paragraph ending in ``::`` (a reST literal block) ends in ``:`` and its indented block is
  fenced with ```` ``` ```` (Markdown would otherwise not show it as code inside a section);
* a definition list before the numpydoc sections (a term line, then its indented definition)
  becomes a bullet list ``- term: definition``.

Usage (from the repository root, after the markup of a new module was written in reST)::

    python scripts/docstrings_to_mkdocs.py            # builds the site once for objects.inv
    python scripts/docstrings_to_mkdocs.py --inventory site/objects.inv --check

``--check`` reports what would change and exits with 1 if anything would.
"""

from __future__ import annotations

import argparse
import ast
import importlib
import re
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("reptheory", "penalties")
ROLE = re.compile(r":(class|func|meth|mod|attr|data|exc|obj):`(~?)([^`]+)`")
MATH_ROLE = re.compile(r":math:`([^`]+)`")


def read_inventory(path: Path) -> set[str]:
    data = path.read_bytes()
    parts = data.split(b"\n", 4)
    body = zlib.decompress(parts[4]).decode()
    return {line.split(" ")[0] for line in body.splitlines() if line.strip()}


def build_inventory() -> set[str]:
    out = Path(tempfile.mkdtemp(prefix="docs-inv-"))
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(out)], cwd=ROOT, check=True)
    return read_inventory(out / "objects.inv")


def _lookup(path: str) -> Any:
    parts = path.split(".")
    for k in range(len(parts), 0, -1):
        try:
            obj: Any = importlib.import_module(".".join(parts[:k]))
        except ImportError:
            continue
        try:
            for p in parts[k:]:
                obj = getattr(obj, p)
        except AttributeError:
            return None
        return obj
    return None


def _canonical(path: str) -> list[str]:
    out = [path]
    obj = _lookup(path)
    if obj is None:
        return out
    if isinstance(obj, type(sys)):
        out.append(obj.__name__)
    elif hasattr(obj, "__module__") and hasattr(obj, "__qualname__"):
        out.append(f"{obj.__module__}.{obj.__qualname__}")
    return out


class Converter:
    def __init__(self, inventory: set[str]):
        self.inventory = inventory

    def target(self, text: str, module: str, cls: str | None) -> str | None:
        text = text.strip().lstrip(".")
        if "(" in text:
            text = text.split("(")[0]
        cands = []
        if "." in text:
            cands.append(text)
            cands.append(f"{module}.{text}")
            cands.append(f"{module.rsplit('.', 1)[0]}.{text}")
        else:
            if cls:
                cands.append(f"{module}.{cls}.{text}")
            cands += [text, f"{module}.{text}", f"{module.rsplit('.', 1)[0]}.{text}", f"reptheory.{text}",
                      f"penalties.{text}"]
        for c in cands:
            for name in _canonical(c):
                if name in self.inventory:
                    return name
        return None

    def roles(self, text: str, module: str, cls: str | None) -> str:
        def repl(m: re.Match[str]) -> str:
            tilde, body = m.group(2), " ".join(m.group(3).split())
            explicit = re.fullmatch(r"(.+?)\s*<([^>]+)>", body)  # :meth:`text <target>`
            if explicit:
                shown, body = explicit.group(1), explicit.group(2)
            else:
                shown = body.split(".")[-1] if tilde else body.lstrip("~")
            tgt = self.target(body, module, cls)
            return f"[`{shown}`][{tgt}]" if tgt else f"`{shown}`"

        text = ROLE.sub(repl, text)
        return MATH_ROLE.sub(lambda m: f"${m.group(1)}$", text)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def blocks(lines: list[str]) -> list[str]:
    """``.. math::`` blocks to ``$$`` and ``::`` literal blocks to fences."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        is_math = stripped == ".. math::"
        is_literal = stripped.endswith("::") and not stripped.startswith("..") and not stripped.startswith(">>>")
        if not (is_math or is_literal):
            out.append(line)
            i += 1
            continue
        base = _indent(line)
        j = i + 1
        while j < len(lines) and not lines[j].strip():
            j += 1
        body = []
        while j < len(lines) and (not lines[j].strip() or _indent(lines[j]) > base):
            body.append(lines[j])
            j += 1
        while body and not body[-1].strip():
            body.pop()
            j -= 1
        if not body:
            out.append(line)
            i += 1
            continue
        cut = min(_indent(b) for b in body if b.strip())
        pad = " " * base
        inner = [pad + b[cut:] if b.strip() else "" for b in body]
        if is_math:
            out += [pad + "$$", *inner, pad + "$$"]
        else:
            head = stripped[:-2].rstrip()
            if head:
                out.append(pad + head + (":" if not head.endswith(":") else ""))
                out.append("")
            out += [pad + "```text", *inner, pad + "```"]
        i = j
    return out


_ITEM = re.compile(r"^\s*([-*+] |\d+[.)] |>>>|\$\$|```|\.\. )")


def deflists(lines: list[str]) -> list[str]:
    """reST definition lists (a term, then its indented definition) before the first numpydoc section
    become Markdown bullet lists ``- term: definition``; the sections keep numpydoc's own layout."""
    body = [ln for ln in lines[1:] if ln.strip()]
    if not body:
        return lines
    base = min(_indent(ln) for ln in body)
    out: list[str] = []
    fenced = False
    i = 0
    while i < len(lines):
        line = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if set(nxt.strip()) == {"-"} and len(nxt.strip()) >= 3 and line.strip():  # a section header: stop
            return out + lines[i:]
        if line.strip().startswith(("```", "$$")):
            fenced = not fenced if line.strip() in ("```", "$$") or line.strip().startswith("```") else fenced
        is_term = (not fenced and i > 0 and line.strip() and _indent(line) == base and not _ITEM.match(line)
                   and nxt.strip() and _indent(nxt) > base and not line.rstrip().endswith((":", ",", "("))
                   and (not out or not out[-1].strip() or out[-1].lstrip().startswith("- ")
                        or _indent(out[-1]) > base))
        if not is_term:
            out.append(line)
            i += 1
            continue
        j = i + 1
        defn = []
        while j < len(lines) and lines[j].strip() and _indent(lines[j]) > base:
            defn.append(lines[j].strip())
            j += 1
        if out and out[-1].strip() and not out[-1].lstrip().startswith("- ") and _indent(out[-1]) <= base:
            out.append("")
        pad = " " * base
        out.append(f"{pad}- {line.strip()}: {defn[0]}")
        out += [f"{pad}  {d}" for d in defn[1:]]
        i = j
    return out


def docstring_spans(source: str) -> list[tuple[int, int, str | None]]:
    """(first line, last line, enclosing class) of every docstring, 0-based inclusive."""
    tree = ast.parse(source)
    spans: list[tuple[int, int, str | None]] = []

    def visit(node: Any, cls: str | None) -> None:
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) \
                and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
            e = body[0]
            spans.append((e.lineno - 1, (e.end_lineno or e.lineno) - 1, cls))
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                visit(child, child.name if cls is None else f"{cls}.{child.name}")
            elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                visit(child, cls)

    visit(tree, None)
    return spans


def convert_file(path: Path, conv: Converter) -> str:
    source = path.read_text(encoding="utf-8")
    rel = path.relative_to(ROOT).with_suffix("")
    module = ".".join(rel.parts[:-1] if rel.name == "__init__" else rel.parts)
    lines = source.split("\n")
    for a, b, cls in sorted(docstring_spans(source), reverse=True):
        seg = lines[a:b + 1]
        seg = deflists(blocks(conv.roles("\n".join(seg), module, cls).split("\n")))  # roles may span lines
        lines[a:b + 1] = seg
    lines = [conv.roles(s, module, None) if s.lstrip().startswith("#:") else s for s in lines]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--inventory", type=Path, help="objects.inv of a built site (default: build one)")
    p.add_argument("--check", action="store_true", help="only report files that would change")
    p.add_argument("paths", nargs="*", type=Path, help="files (default: every module of the two packages)")
    args = p.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    inv = read_inventory(args.inventory) if args.inventory else build_inventory()
    conv = Converter(inv)
    files = [f.resolve() for f in args.paths] or sorted(f for pkg in PACKAGES for f in (ROOT / pkg).rglob("*.py"))
    changed = []
    for f in files:
        new = convert_file(f, conv)
        if new != f.read_text(encoding="utf-8"):
            changed.append(f)
            if not args.check:
                f.write_text(new, encoding="utf-8")
    for f in changed:
        print(("would change " if args.check else "rewrote ") + str(f.relative_to(ROOT)))
    return 1 if (args.check and changed) else 0


if __name__ == "__main__":
    raise SystemExit(main())
