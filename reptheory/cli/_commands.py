"""The ``reptheory`` command line (also ``python -m reptheory``).

Subcommands:

```text
reptheory groups [--json]                         the catalogue of group names
reptheory info GROUP [--json]                     order, generators, classes, real irreps
reptheory character-table GROUP [--latex|--json]  character table (finite groups)
reptheory decompose GROUP REP [--json]            multiplicities of the real irreps in REP
reptheory hom GROUP --in REP --out REP [--exact] [--method M] [--json] [-o FILE] [--basis]
reptheory verify FILE [GROUP --in REP --out REP] [--json]
                                                  check a file written by 'hom -o' (against the
                                                  given representations; key: $REPTHEORY_KEY)
```

GROUP is a catalogue name (`D8`, `C4`, `S5`, `A5`, `Q8`, `SO3`, `O3`, `SO2`, `O2`, …)
or a Cayley table file (`.json`, `.csv`, `.npy`); REP is an expression such as
`regular`, `3*regular + sign`, `V**2`, `2x0e+1x1o` or `l=1 + l=2` (see
`reptheory.cli._expr`, or `reptheory --help`).  Groups are printed as you wrote them (`Q8`).

JSON output (`--json`), one object on stdout:

* `hom`: `{"dim": int, "method": str, "reason": str, "seconds": float, "shape": [d_out, d_in],
  "exact": bool, "group": str, "rho_in": str, "rho_out": str, "projector_kind": str,
  "error_bound": {str: float}, "file": str|null}`; with `--basis` also `"basis"` (list of
  d_out × d_in float lists) and, with `--exact`, `"basis_exact"` (entries as strings).
* `decompose`: `{"multiplicities": {label: int}, "dims": {label: int}, "types": {label: "R"|"C"|"H"},
  "seconds": float, "method": str, "error": float, "group": str, "rep": str, "dim": int}`.
* `verify`: `{"ok": bool, "dim": int, "shape": [..], "method": str, ...}`.
* `groups`: `{"groups": [{"pattern": str, "description": str}], "examples": [str]}`;
  `info`: `{"name", "kind", "order" | "lie_dim", "generators", ...}`;
  `character-table`: the table's `to_json()`.

Errors: one line `reptheory: error: <message>` on stderr, after the usage line of the
subcommand at fault for usage errors (with `--json` also `{"error": <message>, "type": <exception
class>}` on stdout).  Exit codes: 0 success, 2 for every failure (usage, bad input, limits,
integrity failures, and anything unexpected), always as one line; a closed output pipe
(`reptheory info O | head -3`) ends quietly with 141 (128 + SIGPIPE), as other command-line tools do.

Examples
--------
>>> main(["hom", "D4", "--in", "regular", "--out", "regular", "--quiet"])
dim Hom_D4(regular, regular) = 8
0
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import textwrap
import time
from typing import Any

from reptheory.errors import ReptheoryError, TooLargeError

__all__ = ["main", "build_parser", "EXIT_OK", "EXIT_INTERNAL", "EXIT_USAGE", "EXIT_PIPE"]

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_USAGE = 2
EXIT_PIPE = 141  # 128 + SIGPIPE: the reader closed the pipe (``reptheory info O | head -3``)

_GROUP_HELP = ("a catalogue name (C4, D8, Dic3, S4, A5, Q8, V4, T, O, Oh, I, CxD products; compact Lie groups SO2, "
               "O2, SO3, O3, SU2, U1, SO<n>, O<n>; 'reptheory groups' lists them) or a Cayley table file "
               "(.json, .csv, .npy)")
_REP_HELP = ("a representation expression: names regular, trivial, sign, V (the defining representation of a "
             "matrix or permutation group) and irrep labels (see 'reptheory decompose GROUP regular'; l=K, 0e, 1o, "
             "1/2 for Lie groups), combined with + (direct sum), K*REP or KxLABEL (K copies), @ (tensor product), "
             "**K (tensor power) and parentheses, e.g. '3*regular + sign', 'V@V', '2x0e+1x1o'")
_JSON_HELP = "print one JSON object on stdout instead of text (errors too: {\"error\": ..., \"type\": ...})"

_DESCRIPTION = """\
Representation theory from the command line: group facts, character tables, decompositions into
real irreducible representations, and spaces of equivariant linear maps Hom_G(in, out) with
their projectors (exported to verifiable files).

""" + textwrap.fill(_GROUP_HELP, 96, initial_indent="GROUP   ", subsequent_indent=" " * 8) + """
""" + textwrap.fill(_REP_HELP, 96, initial_indent="REP     ", subsequent_indent=" " * 8) + "\n"

_EPILOG = """\
examples:
  reptheory groups
  reptheory info Q8
  reptheory character-table S4
  reptheory decompose S4 'V@V'
  reptheory decompose SO3 'V**4'
  reptheory hom D4 --in regular --out '2*regular' -o d4.npz
  reptheory verify d4.npz

exit codes: 0 success, 2 usage or bad input, 1 internal error, 141 output pipe closed.
'reptheory COMMAND --help' explains each command."""


class _UsageError(Exception):
    def __init__(self, message: str, parser: argparse.ArgumentParser):
        super().__init__(message)
        self.parser = parser


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # argparse exits with 2 itself; keep its format but our type
        raise _UsageError(message, self)


def _sub(sub: Any, name: str, summary: str, description: str, epilog: str = "") -> argparse.ArgumentParser:
    return sub.add_parser(name, help=summary, description=textwrap.fill(description, 96), epilog=epilog or None,
                          formatter_class=argparse.RawDescriptionHelpFormatter)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for documentation tools).

    Examples
    --------
    >>> "decompose" in build_parser().format_help()
    True
    """
    p = _Parser(prog="reptheory", description=_DESCRIPTION, epilog=_EPILOG,
                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action="store_true", help="print the library version and exit")
    p.add_argument("-q", "--quiet", action="store_true", help="no timing lines or extra text")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    g = _sub(sub, "groups", "list the group catalogue", "List the group names GROUP accepts.",
             "example:\n  reptheory groups --json")
    g.add_argument("--json", action="store_true", help=_JSON_HELP)

    i = _sub(sub, "info", "facts about a group",
             "Facts about GROUP: order (or Lie algebra dimension), number of generators, conjugacy classes "
             "and the dimensions of its real irreducible representations (complex-type and quaternionic "
             "irreps are counted once, as their real forms of twice the dimension).",
             "examples:\n  reptheory info Q8\n  reptheory info SO3 --json")
    i.add_argument("group", metavar="GROUP", help=_GROUP_HELP)
    i.add_argument("--json", action="store_true", help=_JSON_HELP)

    c = _sub(sub, "character-table", "character table of a finite group",
             "The exact character table of a finite GROUP (complex irreducible characters; values "
             "written with roots of unity E(n) = exp(2 pi i/n)).",
             "examples:\n  reptheory character-table S4\n  reptheory character-table Q8 --latex")
    c.add_argument("group", metavar="GROUP", help=_GROUP_HELP)
    fmt = c.add_mutually_exclusive_group()
    fmt.add_argument("--latex", action="store_true", help="print a LaTeX array")
    fmt.add_argument("--json", action="store_true", help=_JSON_HELP)

    d = _sub(sub, "decompose", "decompose a representation into real irreps",
             "Multiplicities of the real irreducible representations of GROUP in REP. A label 'chi1+chi2' is "
             "one real irrep: the real form of a complex pair; 'H' marks quaternionic type.",
             "examples:\n  reptheory decompose S4 'V@V'\n  reptheory decompose SO3 'V**4' --json")
    d.add_argument("group", metavar="GROUP", help=_GROUP_HELP)
    d.add_argument("rep", metavar="REP", help=_REP_HELP)
    d.add_argument("--json", action="store_true", help=_JSON_HELP)

    h = _sub(sub, "hom", "intertwiners Hom_G(in, out): dimension, basis, projector export",
             "The space Hom_G(in, out) of linear maps W with out(g) W = W in(g) for every g in GROUP: its "
             "dimension, a basis, and its orthogonal projector, optionally saved to a file.",
             "examples:\n  reptheory hom D4 --in regular --out regular\n"
             "  reptheory hom S4 --in 'V@V' --out V --exact --basis\n"
             "  reptheory hom D8 --in '8*regular' --out '8*regular' -o d8.npz")
    h.add_argument("group", metavar="GROUP", help=_GROUP_HELP)
    h.add_argument("--in", dest="rep_in", required=True, metavar="REP", help="input representation: " + _REP_HELP)
    h.add_argument("--out", dest="rep_out", required=True, metavar="REP", help="output representation (same syntax)")
    h.add_argument("--exact", action="store_true", help="also compute an exact (rational/algebraic) basis")
    h.add_argument("--method", default="auto", help="auto, orbit, isotypic, constraints or average")
    h.add_argument("--json", action="store_true", help=_JSON_HELP)
    h.add_argument("--basis", action="store_true",
                   help="print the basis as well (the exact basis too with --exact)")
    h.add_argument("-o", "--output", metavar="FILE", help="save the space (.npz, verifiable with 'verify')")
    h.add_argument("--no-cache", action="store_true", help="do not use the disk cache")

    v = _sub(sub, "verify", "verify a file written by 'hom -o'",
             "Check the integrity (checksums, metadata digest, signature when $REPTHEORY_KEY is set) and "
             "the mathematics (equivariance, projector) of FILE; with GROUP --in REP --out REP, check it "
             "against those representations (every basis element intertwines them, the dimension "
             "matches the character formula).",
             "examples:\n  reptheory verify d8.npz\n  reptheory verify d8.npz D8 --in regular --out regular")
    v.add_argument("file", metavar="FILE", help="a .npz file written by 'reptheory hom ... -o FILE'")
    v.add_argument("group", metavar="GROUP", nargs="?", default=None,
                   help="with --in/--out: verify the file against these representations of GROUP")
    v.add_argument("--in", dest="rep_in", metavar="REP", default=None, help="input representation")
    v.add_argument("--out", dest="rep_out", metavar="REP", default=None, help="output representation")
    v.add_argument("--json", action="store_true", help=_JSON_HELP)
    for sp in (g, i, c, d, h, v):
        sp.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS,
                        help="no timing lines or extra text")
    return p


def _emit(obj: Any, as_json: bool, text: str) -> None:
    # one write: a reader that stops early (``| head -3``) then usually has everything it wanted
    sys.stdout.write((json.dumps(obj, sort_keys=True, default=str) if as_json else text) + "\n")


def _group(text: str) -> tuple[Any, str]:
    from reptheory.cli._expr import group_label, parse_group

    G = parse_group(text)
    return G, group_label(text, G)


def _cmd_groups(args: Any) -> int:
    from reptheory.cli._expr import GROUP_PATTERNS, catalogue

    obj = {"groups": [{"pattern": a, "description": b} for a, b in GROUP_PATTERNS], "examples": catalogue()}
    text = "\n".join(f"  {a:<28} {b}" for a, b in GROUP_PATTERNS) + "\nexamples: " + ", ".join(catalogue())
    _emit(obj, args.json, text)
    return EXIT_OK


#: ``info`` lists irrep dimensions only for groups with at most this many classes.
_INFO_MAX_IRREPS = 200


def _limit(name: str) -> int:
    from reptheory._numerics.limits import current_limits

    return int(getattr(current_limits(), name))


def _cmd_info(args: Any) -> int:
    from reptheory.groups.finite import FiniteGroup

    G, label = _group(args.group)
    lines: list[str]
    if isinstance(G, FiniteGroup):
        obj: dict[str, Any] = {"name": label, "description": G.name, "kind": "finite", "order": int(G.order),
                               "generators": int(G.num_generators)}
        lines = [f"name: {label}", "kind: finite", f"order: {G.order}",
                 f"generators: {G.num_generators}"]
        # the extras are computed only within a small budget, so `info` answers in seconds
        from reptheory._numerics.limits import resource_limits

        irreps: list[Any] = []
        try:
            with resource_limits(max_bytes=min(64 << 20, _limit("max_bytes")), max_order=20_000):
                if G.order > 20_000:
                    raise TooLargeError("order above the info budget", estimate=G.order, limit=20_000)
                obj.update({"classes": len(G.conjugacy_classes()), "abelian": bool(G.is_abelian),
                            "exponent": int(G.exponent), "class_sizes": [int(x) for x in G.class_sizes]})
                lines += [f"conjugacy classes: {obj['classes']} (sizes {obj['class_sizes']})",
                          f"abelian: {obj['abelian']}", f"exponent: {obj['exponent']}"]
                if obj["classes"] <= _INFO_MAX_IRREPS:
                    irreps = list(G.irreps())
                else:
                    obj["irrep_dims"] = f"not computed ({obj['classes']} classes > {_INFO_MAX_IRREPS})"
                    lines.append(f"real irreducible representations: {obj['irrep_dims']}")
        except TooLargeError as exc:
            obj["classes"] = f"not computed ({exc.estimate} > {exc.limit}: too large for 'info')"
            lines.append(f"conjugacy classes: {obj['classes']}")
        if irreps:
            obj["irrep_dims"] = [int(r.dim) for r in irreps]
            obj["irrep_labels"] = [str(r.label) for r in irreps]
            obj["irrep_types"] = [str(getattr(r, "real_type", "R")) for r in irreps]
            obj["irreps_over"] = "R"
            lines.append(f"real irreducible representations: {len(irreps)}")
            lines += [f"  {lab:<12} dim {d}  type {t}" for lab, d, t in
                      zip(obj["irrep_labels"], obj["irrep_dims"], obj["irrep_types"])]
            lines.append("  (type C: the real form of a complex pair; H: of a quaternionic irrep; "
                         "'character-table' lists the complex irreps)")
    else:
        n_disc = int(G.num_generators)
        obj = {"name": label, "description": str(G.name), "kind": "compact Lie", "lie_dim": int(G.lie_dim),
               "generators": int(G.lie_dim) + n_disc, "lie_algebra_generators": int(G.lie_dim),
               "discrete_generators": n_disc, "matrix_size": int(G.n)}
        lines = [f"name: {label}", "kind: compact Lie group",
                 f"Lie algebra dimension: {G.lie_dim}",
                 f"generators: {obj['generators']} ({G.lie_dim} of the Lie algebra + {n_disc} discrete)",
                 f"matrix size: {G.n}"]
    _emit(obj, args.json, "\n".join(lines))
    return EXIT_OK


def _cmd_character_table(args: Any) -> int:
    from reptheory.errors import InvalidArgumentError
    from reptheory.groups.finite import FiniteGroup

    G, label = _group(args.group)
    if not isinstance(G, FiniteGroup):
        raise InvalidArgumentError(f"character tables are computed for finite groups; {label} is a compact Lie "
                                   "group (try 'reptheory decompose' or 'reptheory info')")
    T = G.character_table()
    if args.json:
        print(json.dumps(T.to_json(), sort_keys=True))
    elif args.latex:
        print(T._repr_latex_())
    else:
        text = T.to_text()
        first, _, rest = text.partition("\n")
        print(f"character table of {label}\n{rest}" if first.startswith("character table") else text)
    return EXIT_OK


def _term(mult: int, label: str) -> str:
    lab = f"({label})" if any(ch in label for ch in "+ ,") else label
    return f"{mult}x{lab}"


def _cmd_decompose(args: Any) -> int:
    from reptheory.cli._expr import parse_rep

    G, label = _group(args.group)
    rho = parse_rep(G, args.rep, label=label)
    t0 = time.perf_counter()
    dec = rho.decompose()
    secs = time.perf_counter() - t0
    mult = {str(c.label): int(c.multiplicity) for c in dec.components}
    dims = {str(c.label): int(c.irrep.dim) for c in dec.components}
    types = {str(c.label): str(getattr(c.irrep, "real_type", None) or "R") for c in dec.components}
    obj = {"multiplicities": mult, "dims": dims, "types": types, "seconds": secs, "method": dec.method,
           "error": float(dec.error), "group": label, "rep": args.rep.strip(), "dim": int(rho.dim)}
    text = f"{args.rep.strip()} (dim {rho.dim}) = " + " + ".join(_term(m, lab) for lab, m in mult.items())
    if not args.quiet:
        text += "\n  real irreps: " + ", ".join(f"{lab}: dim {dims[lab]}, type {types[lab]}" for lab in mult)
        text += f"\n[{dec.method}, {secs:.3g} s, error {dec.error:.1e}]"
    _emit(obj, args.json, text)
    return EXIT_OK


def _cmd_hom(args: Any) -> int:
    from reptheory.cli._expr import parse_rep
    from reptheory.hom.space import intertwiners

    G, label = _group(args.group)
    rho_in = parse_rep(G, args.rep_in, label=label)
    rho_out = parse_rep(G, args.rep_out, label=label)
    if args.no_cache:
        os.environ["REPTHEORY_DISK_CACHE"] = "0"
    t0 = time.perf_counter()
    H = intertwiners(rho_in, rho_out, exact=args.exact, method=args.method)
    secs = time.perf_counter() - t0
    out_file = None
    if args.output:
        H.save(args.output)
        out_file = args.output
    name_in, name_out = args.rep_in.strip(), args.rep_out.strip()
    obj: dict[str, Any] = {
        "dim": H.dim, "method": H.method, "reason": H.reason, "seconds": secs, "shape": list(H.shape),
        "exact": H.exact, "group": label, "rho_in": name_in, "rho_out": name_out,
        "projector_kind": H.projector_kind, "error_bound": H.error_bound, "file": out_file,
    }
    if args.basis:
        obj["basis"] = H.basis.tolist()
        if args.exact:
            obj["basis_exact"] = [[[str(x) for x in row] for row in m.tolist()] for m in H.basis_exact]
    text = f"dim Hom_{label}({name_in}, {name_out}) = {H.dim}"
    if not args.quiet:
        text += f"\n[{H.method}: {H.reason}; {secs:.3g} s]"
        if out_file:
            text += f"\nsaved to {out_file}"
    if args.basis and not args.json:
        if args.exact:
            text += "\nexact basis (each matrix d_out x d_in):\n" + json.dumps(obj["basis_exact"])
        else:
            text += "\nbasis (float64, each matrix d_out x d_in):\n" + json.dumps(obj["basis"])
    _emit(obj, args.json, text)
    return EXIT_OK


def _cmd_verify(args: Any) -> int:
    from reptheory.cli._expr import parse_group, parse_rep
    from reptheory.errors import InvalidArgumentError
    from reptheory.io import verify_file

    given = [x is not None for x in (args.group, args.rep_in, args.rep_out)]
    if any(given) and not all(given):
        raise InvalidArgumentError("verify: give GROUP, --in and --out together (or none of them)")
    rho_in = rho_out = None
    if all(given):
        G = parse_group(args.group)
        rho_in, rho_out = parse_rep(G, args.rep_in), parse_rep(G, args.rep_out)
    rep = verify_file(args.file, rho_in, rho_out)  # key: REPTHEORY_KEY (never on the command line)
    text = (f"OK: {args.file}: dim {rep['dim']}, shape {tuple(rep['shape'])}, method {rep['method']}, "
            f"residual {rep['residual']:.1e}, verified against {rep['verified_against']}"
            f"{', signature valid' if rep['signed'] else ''}")
    _emit(rep, args.json, text)
    return EXIT_OK


_COMMANDS = {
    "groups": _cmd_groups,
    "info": _cmd_info,
    "character-table": _cmd_character_table,
    "decompose": _cmd_decompose,
    "hom": _cmd_hom,
    "verify": _cmd_verify,
}


def _pipe_closed() -> int:
    """The reader of stdout went away: silence the interpreter's final flush and exit like ``SIGPIPE``."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # pragma: no cover - stdout without a descriptor
        pass
    return EXIT_PIPE


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 ok, 2 any failure with one line on stderr, 141 closed pipe).

    Examples
    --------
    >>> main(["decompose", "C3", "regular", "--quiet"])
    regular (dim 3) = 1xtrivial + 1x(chi1+chi2)
    0
    """
    try:
        code = _main(argv)
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        return _pipe_closed()


def _main(argv: list[str] | None) -> int:
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    as_json = "--json" in argv
    try:
        args = parser.parse_args(argv)
    except _UsageError as exc:
        print(exc.parser.format_usage().rstrip(), file=sys.stderr)
        where = exc.parser.prog.removeprefix("reptheory").strip()
        print(f"reptheory: error: {where + ': ' if where else ''}{exc} (run '{exc.parser.prog} --help' for details)",
              file=sys.stderr)
        return EXIT_USAGE
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    if args.version:
        import reptheory

        print(reptheory.__version__)
        return EXIT_OK
    if not args.command:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return _COMMANDS[args.command](args)
    except BrokenPipeError:  # `reptheory info O | head -3`: handled by main (exit 141)
        raise
    except KeyboardInterrupt:  # pragma: no cover - interactive
        print("reptheory: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # every failure: exit 2, one line, typed name for the unexpected ones
        if isinstance(exc, ReptheoryError):
            kind, msg = type(exc).__name__, str(exc)
        elif isinstance(exc, (MemoryError, RecursionError)):
            kind, msg = "TooLargeError", f"input too large to process ({type(exc).__name__})"
        elif isinstance(exc, OSError):
            kind, msg = "InvalidArgumentError", f"{exc.strerror or exc}: {exc.filename!r}" if exc.filename else str(exc)
        else:
            kind, msg = type(exc).__name__, f"{type(exc).__name__}: {exc}"
        msg = " ".join(msg.split())  # one line
        try:
            if as_json:
                print(json.dumps({"error": msg, "type": kind}))
            print(f"reptheory: error: {msg}", file=sys.stderr)
        except BrokenPipeError:
            _silence_stdout()
        return EXIT_USAGE


def _silence_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so the interpreter's final flush stays quiet."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # pragma: no cover - no real stdout (tests)
        pass


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
