"""Safe parsing of group names and representation expressions for the command line (no ``eval``).

- Groups (`parse_group`): Catalogue names, case-insensitive: ``C<n>`` cyclic, ``D<n>`` dihedral of order 2n,
  ``Dic<n>`` dicyclic, ``S<n>`` symmetric, ``A<n>`` alternating, ``Q8``, ``V4``/``K4``,
  ``T``/``tetrahedral``, ``O``/``octahedral``, ``Oh``/``full_octahedral``,
  ``I``/``icosahedral``, ``square_rotations``, ``square_symmetries``; compact Lie groups
  ``SO2``, ``O2``, ``SO3``, ``O3``, ``SU2``, ``U1``, ``SO<n>``, ``O<n>`` (also ``SO(3)``);
  direct products ``GxH`` (finite); or a Cayley table file (``.json``: a list of rows or
  ``{"table": …, "labels": …}``; ``.csv``: integer rows; ``.npy``: an integer array, read
  without pickle).

Representations (`parse_rep`), a small expression language:

```text
expr   := term ('+' term)*
term   := INT '*' term | INT 'x' LABEL | tensor
tensor := power ('@' power)*
power  := atom (('**' | '^') INT)?
atom   := '(' expr ')' | NAME | LABEL | 'l=' INT
```

``NAME`` is ``regular``, ``trivial``, ``sign``, ``V`` (also ``defining``/``standard``) or an
irrep label of the group (``G.irreps()`` labels for finite groups, catalogue labels such as
``0e``, ``1o``, ``2`` or ``1/2`` for Lie groups); ``l=K`` is the SO(3)/O(3) irrep of degree K
(parity ``(−1)^K`` for O(3)).  Examples: ``regular``, ``3*regular + sign``, ``V**2``,
``2x0e+1x1o``, ``l=1 + l=2``.  Unknown names raise
[`InvalidArgumentError`][reptheory.errors.InvalidArgumentError] with a suggestion.

Examples
--------
>>> G = parse_group("D4")
>>> G.order
8
>>> parse_rep(G, "3*regular + trivial").dim
25
>>> parse_rep(parse_group("S4"), "V**2").dim
16
"""

from __future__ import annotations

import difflib
import os
import re
from typing import Any

import numpy as np

from reptheory._numerics.limits import check_limit
from reptheory.errors import InvalidArgumentError

__all__ = ["parse_group", "parse_rep", "group_label", "catalogue", "GROUP_PATTERNS"]

#: (pattern, description) of every catalogue name accepted by `parse_group`.
GROUP_PATTERNS: tuple[tuple[str, str], ...] = (
    ("C<n>", "cyclic group of order n"),
    ("D<n>", "dihedral group of order 2n (symmetries of the n-gon)"),
    ("Dic<n>", "dicyclic group of order 4n"),
    ("S<n>", "symmetric group on n points"),
    ("A<n>", "alternating group on n points"),
    ("Q8", "quaternion group"),
    ("V4", "Klein four-group (also K4)"),
    ("T", "tetrahedral rotations (12, also 'tetrahedral')"),
    ("O", "octahedral rotations of the cube (24, also 'octahedral')"),
    ("Oh", "full octahedral group (48, also 'full_octahedral')"),
    ("I", "icosahedral rotations (60, also 'icosahedral')"),
    ("square_rotations", "C4 as 2x2 rotation matrices"),
    ("square_symmetries", "D4 as 2x2 matrices"),
    ("GxH", "direct product of finite groups, e.g. C2xC3"),
    ("SO2, O2, SO3, O3, SU2, U1", "compact Lie groups"),
    ("SO<n>, O<n>", "special orthogonal / orthogonal group in dimension n"),
    ("FILE.json|.csv|.npy", "a Cayley table"),
)

_FIXED = {
    "q8": "quaternion", "v4": "klein_four", "k4": "klein_four", "t": "tetrahedral", "tetrahedral": "tetrahedral",
    "o": "octahedral", "octahedral": "octahedral", "oh": "full_octahedral", "full_octahedral": "full_octahedral",
    "i": "icosahedral", "icosahedral": "icosahedral", "square_rotations": "square_rotations",
    "square_symmetries": "square_symmetries", "quaternion": "quaternion", "klein_four": "klein_four",
}
_LIE_FIXED = {"so2": "SO2", "o2": "O2", "so3": "SO3", "o3": "O3", "su2": "SU2", "u1": "U1"}
_MAX_N = 10_000


def catalogue() -> list[str]:
    """Names shown by ``reptheory groups`` and used for suggestions.

    Examples
    --------
    >>> "D8" in catalogue()
    True
    """
    names = ["C2", "C3", "C4", "C8", "C128", "D3", "D4", "D8", "D128", "Dic3", "S3", "S4", "S5", "S6", "S10",
             "A4", "A5", "Q8", "V4", "T", "O", "Oh", "I", "square_rotations", "square_symmetries",
             "SO2", "O2", "SO3", "O3", "SU2", "U1", "SO4", "O4"]
    return names


def _suggest(word: str, options: list[str]) -> str:
    options = [o for o in options if o.lower() != word.lower()]  # never "did you mean" the word itself
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.5)
    if not close:
        close = difflib.get_close_matches(word.lower(), [o.lower() for o in options], n=1, cutoff=0.5)
        if close:
            close = [next(o for o in options if o.lower() == close[0])]
    return f" (did you mean {close[0]!r}?)" if close else ""


def _read_table(path: str) -> Any:
    from reptheory.groups.finite import FiniteGroup

    ext = os.path.splitext(path)[1].lower()
    labels = None
    name = None
    try:
        if ext == ".json":
            import json

            with open(path, encoding="utf-8") as fh:
                data = json.load(fh)
            if isinstance(data, dict):
                labels = data.get("labels")
                name = data.get("name")
                data = data.get("table")
            table = np.asarray(data)
        elif ext == ".csv":
            table = np.loadtxt(path, delimiter=",", dtype=np.int64, ndmin=2)
        elif ext == ".npy":
            table = np.load(path, allow_pickle=False)
        else:
            raise InvalidArgumentError(f"Cayley table file {path!r} must end in .json, .csv or .npy")
    except InvalidArgumentError:
        raise
    except Exception as exc:
        raise InvalidArgumentError(f"cannot read Cayley table {path!r}: {exc}") from None
    if table.dtype.kind not in "iu":
        if table.dtype.kind == "f" and np.all(table == np.round(table)):
            table = table.astype(np.int64)
        else:
            raise InvalidArgumentError(f"Cayley table {path!r} must hold integers, got dtype {table.dtype}")
    return FiniteGroup.from_cayley_table(
        table, labels=labels, name=str(name) if name else os.path.basename(path)
    )


def parse_group(text: str) -> Any:
    """A group from a catalogue name or a Cayley-table file (see the module docstring).

    Raises
    ------
    InvalidArgumentError
        Unknown name (with a suggestion) or unreadable file.

    Examples
    --------
    >>> parse_group("C5").order, parse_group("s4").order
    (5, 24)
    >>> parse_group("D-8")
    Traceback (most recent call last):
    ...
    reptheory.errors.InvalidArgumentError: unknown group 'D-8' (did you mean 'D8'?); run 'reptheory groups' for the catalogue
    """
    from reptheory.groups import catalog

    if not isinstance(text, str) or not text.strip():
        raise InvalidArgumentError(f"group must be a non-empty name, got {text!r}")
    raw = text.strip()
    if os.path.splitext(raw)[1].lower() in (".json", ".csv", ".npy"):
        if not os.path.exists(raw):
            raise InvalidArgumentError(f"Cayley table file {raw!r} does not exist")
        return _read_table(raw)
    key = raw.lower().replace("(", "").replace(")", "").replace("_", "_")
    if "x" in key and key not in _FIXED and not key.startswith("dic"):
        parts = [p for p in re.split(r"x", raw, flags=re.IGNORECASE) if p]
        if len(parts) >= 2 and all(parts):
            gs = [parse_group(p) for p in parts]
            from reptheory.groups.finite import FiniteGroup

            if all(isinstance(g, FiniteGroup) for g in gs):
                return catalog.direct_product(*gs)
    if key in _FIXED:
        return getattr(catalog, _FIXED[key])()
    if key in _LIE_FIXED:
        return _lie(_LIE_FIXED[key])
    m = re.fullmatch(r"(c|d|dic|s|a|so|o)(\d+)", key)
    if m:
        fam, n = m.group(1), int(m.group(2))
        if n > _MAX_N:
            raise InvalidArgumentError(f"group {raw!r}: n={n} is too large (limit {_MAX_N})")
        if fam in ("so", "o"):
            return _lie(fam.upper(), n)
        fn = {"c": catalog.cyclic, "d": catalog.dihedral, "dic": catalog.dicyclic, "s": catalog.symmetric,
              "a": catalog.alternating}[fam]
        return fn(n)
    raise InvalidArgumentError(f"unknown group {raw!r}{_suggest(raw, catalogue())}; run 'reptheory groups' for the "
                               "catalogue")


_PRETTY = {"q8": "Q8", "v4": "V4", "k4": "K4", "t": "T", "o": "O", "oh": "Oh", "i": "I"}


def group_label(text: str, group: Any = None) -> str:
    """How a group given as ``text`` is printed: as the user wrote it, in the catalogue's spelling.

    Catalogue names keep their short form (``Q8``, ``D4``, ``SO3``, ``C2xC3``), whatever the case
    typed; a Cayley-table file is printed by the name stored in it (or the file name).

    Examples
    --------
    >>> group_label("q8"), group_label("so(3)"), group_label("c2xc3"), group_label("dic3")
    ('Q8', 'SO3', 'C2xC3', 'Dic3')
    """
    raw = text.strip()
    if os.path.splitext(raw)[1].lower() in (".json", ".csv", ".npy"):
        return str(getattr(group, "name", None) or os.path.basename(raw))
    key = raw.lower().replace("(", "").replace(")", "")
    if key in _PRETTY:
        return _PRETTY[key]
    if key in _FIXED:
        return key
    if key in _LIE_FIXED:
        return _LIE_FIXED[key]
    m = re.fullmatch(r"(c|d|dic|s|a|so|o)(\d+)", key)
    if m:
        return {"dic": "Dic", "so": "SO"}.get(m.group(1), m.group(1).upper()) + m.group(2)
    if "x" in key and not key.startswith("dic"):
        parts = [p for p in re.split(r"x", raw, flags=re.IGNORECASE) if p]
        if len(parts) >= 2:
            return "x".join(group_label(p) for p in parts)
    return raw


def _lie(name: str, n: int | None = None) -> Any:
    try:
        from reptheory.groups import lie_catalog
    except ImportError:  # pragma: no cover - depends on the Lie helper
        raise InvalidArgumentError(f"compact Lie groups ({name}) are not available in this installation") from None
    if n is None:
        return getattr(lie_catalog, name)()
    return getattr(lie_catalog, name)(n)


# ------------------------------------------------------------------------------ representations
_TOKEN = re.compile(
    r"\s*(?:(?P<mult>\d+)x(?P<mlab>[0-9A-Za-z_'/.-]+)"
    r"|(?P<ell>l=\d+)"
    r"|(?P<num>\d+(?:/\d+)?[A-Za-z]*)"
    r"|(?P<name>[A-Za-z_][\w']*)"
    r"|(?P<op>\*\*|[+*@()^]))"
)


def _tokenize(text: str) -> list[tuple[str, str]]:
    pos = 0
    out = []
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise InvalidArgumentError(f"representation {text!r}: unexpected character {text[pos:].strip()[:1]!r} "
                                       f"at position {pos}")
        kind = m.lastgroup
        if m.group("mult") is not None:
            out.append(("mult", m.group("mult") + "|" + m.group("mlab")))
        else:
            assert kind is not None
            out.append((kind, m.group(kind)))
        pos = m.end()
    return out


class _Parser:
    def __init__(self, group: Any, text: str, label: str | None = None):
        self.G = group
        self.label = label or str(getattr(group, "name", group))
        self.text = text
        check_limit("max_expr_chars", len(text), "representation expression: characters")
        self.toks = _tokenize(text)
        check_limit("max_expr_terms", len(self.toks), "representation expression: tokens")
        self.i = 0
        self.depth = 0

    def peek(self) -> tuple[str, str] | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> tuple[str, str]:
        tok = self.peek()
        if tok is None:
            raise InvalidArgumentError(f"representation {self.text!r}: unexpected end of expression")
        self.i += 1
        return tok

    def expect(self, op: str) -> None:
        tok = self.take()
        if tok != ("op", op):
            raise InvalidArgumentError(f"representation {self.text!r}: expected {op!r}, got {tok[1]!r}")

    def expr(self) -> Any:
        terms = [self.term()]
        while self.peek() == ("op", "+"):
            self.take()
            terms.append(self.term())
        # one direct sum of all terms: linear in their number (pairwise sums were quadratic)
        return terms[0] if len(terms) == 1 else terms[0].direct_sum(*terms[1:])

    def term(self) -> Any:
        tok = self.peek()
        if tok is not None and tok[0] == "num" and tok[1].isdigit() and self.i + 1 < len(self.toks) \
                and self.toks[self.i + 1] == ("op", "*"):
            self.take()
            self.take()
            k = int(tok[1])
            if k < 1:
                raise InvalidArgumentError(f"representation {self.text!r}: multiplicity must be >= 1, got {k}")
            return k * self.term()
        if tok is not None and tok[0] == "mult":
            self.take()
            ks, lab = tok[1].split("|", 1)
            if int(ks) < 1:
                raise InvalidArgumentError(f"representation {self.text!r}: multiplicity must be >= 1, got {ks}")
            rep = self.irrep(lab)
            return int(ks) * rep
        rep = self.power()
        while self.peek() == ("op", "@"):
            self.take()
            rep = rep @ self.power()
        if self.peek() == ("op", "*"):
            raise InvalidArgumentError(f"representation {self.text!r}: '*' needs an integer on its left "
                                       "(use '@' for tensor products)")
        return rep

    def power(self) -> Any:
        rep = self.atom()
        if self.peek() in (("op", "**"), ("op", "^")):
            self.take()
            tok = self.take()
            if tok[0] != "num" or not tok[1].isdigit():
                raise InvalidArgumentError(f"representation {self.text!r}: exponent must be an integer, got {tok[1]!r}")
            rep = rep ** int(tok[1])
        return rep

    def atom(self) -> Any:
        tok = self.take()
        if tok == ("op", "("):
            self.depth += 1
            check_limit("max_expr_depth", self.depth, f"representation {self.text[:40]!r}...: nesting depth")
            rep = self.expr()
            self.expect(")")
            self.depth -= 1
            return rep
        if tok[0] == "ell":
            return self.irrep(tok[1])
        if tok[0] in ("name", "num"):
            return self.named(tok[1])
        raise InvalidArgumentError(f"representation {self.text!r}: unexpected {tok[1]!r}")

    # -------------------------------------------------------------- names
    def _finite_irreps(self) -> list[Any]:
        try:
            return list(self.G.irreps())
        except (ImportError, NotImplementedError, AttributeError):
            return []

    def names(self) -> list[str]:
        base = ["regular", "trivial", "sign", "V", "defining"]
        from reptheory.groups.finite import FiniteGroup

        if isinstance(self.G, FiniteGroup):
            try:
                base += [str(r.label) for r in self._finite_irreps() if r.label is not None]
            except Exception:  # pragma: no cover - irreps may be unavailable for large groups
                pass
        else:
            base = ["trivial", "V", "defining", "l=0", "l=1", "l=2", "0e", "1o"]
        return base

    def named(self, name: str) -> Any:
        from reptheory.groups.finite import FiniteGroup
        from reptheory.reps.representation import Representation

        low = name.lower()
        if isinstance(self.G, FiniteGroup):
            if low == "regular":
                return Representation.regular(self.G)
            if low == "sign":
                return Representation.sign(self.G)
        elif low in ("regular", "sign"):
            what = ("no regular representation: L²(G) of a compact Lie group is infinite-dimensional"
                    if low == "regular" else "no 'sign' name: use an irrep label (e.g. 0o for O3's determinant)")
            raise InvalidArgumentError(
                f"representation {self.text!r}: {self.label} is a compact Lie group and has {what}; "
                "use V (the defining representation), trivial, sums/tensor powers of these, or irrep labels "
                "(l=K for SO3/O3, 1/2 for SU2; 'reptheory info' and 'reptheory decompose GROUP V**2' show them)"
            )
        if low == "trivial":
            return Representation.trivial(self.G)
        if name in ("V", "v") or low in ("defining", "standard"):
            return Representation.defining(self.G)
        return self.irrep(name)

    def irrep(self, label: str) -> Any:
        from reptheory.groups.finite import FiniteGroup

        if isinstance(self.G, FiniteGroup):
            irreps = self._finite_irreps()
            for r in irreps:
                if str(r.label) == label:
                    return r
            for r in irreps:
                if str(r.label).lower() == label.lower():
                    return r
            if label.lower() == "chi0" and irreps:  # the character table's name of the trivial irrep
                return irreps[0]
            raise InvalidArgumentError(f"representation {self.text!r}: unknown name {label!r} for {self.label}"
                                       f"{_suggest(label, self.names())}")
        lab: Any = label
        if label.startswith("l="):
            deg = int(label[2:])
            lab = deg
            gname = str(getattr(self.G, "name", "")).upper().replace("(", "").replace(")", "")
            if gname == "O3":
                lab = f"{deg}{'e' if deg % 2 == 0 else 'o'}"
        elif label.isdigit():
            lab = int(label)
        last: Exception | None = None
        for cand in (lab, str(lab)):
            try:
                return self.G.irrep(cand)
            except Exception as exc:
                last = exc
        raise InvalidArgumentError(f"representation {self.text!r}: unknown irrep {label!r} for "
                                   f"{self.label} ({last}){_suggest(label, self.names())}")


def parse_rep(group: Any, text: str, *, label: str | None = None) -> Any:
    """A [`Representation`][reptheory.reps.representation.Representation] of ``group`` from an expression.

    Raises
    ------
    InvalidArgumentError
        Syntax errors and unknown names (with a suggestion).

    Examples
    --------
    >>> G = parse_group("C4")
    >>> parse_rep(G, "2*regular").dim
    8
    >>> parse_rep(G, "regulr")
    Traceback (most recent call last):
    ...
    reptheory.errors.InvalidArgumentError: representation 'regulr': unknown name 'regulr' for cyclic(4) (did you mean 'regular'?)
    """
    if not isinstance(text, str) or not text.strip():
        raise InvalidArgumentError(f"representation must be a non-empty expression, got {text!r}")
    p = _Parser(group, text.strip(), label)
    rep = p.expr()
    if p.peek() is not None:
        raise InvalidArgumentError(f"representation {text!r}: unexpected {p.peek()[1]!r}")  # type: ignore[index]
    return rep
