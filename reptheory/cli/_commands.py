"""The ``reptheory`` command line (also ``python -m reptheory``).

Subcommands::

    reptheory groups [--json]                         the catalogue of group names
    reptheory info GROUP [--json]                     order, generators, classes, irreps
    reptheory character-table GROUP [--latex|--json]  character table (finite groups)
    reptheory decompose GROUP REP [--json]            multiplicities of the irreps in REP
    reptheory hom GROUP --in REP --out REP [--exact] [--method M] [--json] [-o FILE] [--basis]
    reptheory verify FILE [GROUP --in REP --out REP] [--json]
                                                      check a file written by 'hom -o' (against
                                                      the given representations; key: $REPTHEORY_KEY)

GROUP is a catalogue name (``D8``, ``C4``, ``S5``, ``A5``, ``Q8``, ``SO3``, ``O3``, ``SO2``, ``O2``, …)
or a Cayley table file (``.json``, ``.csv``, ``.npy``); REP is an expression such as
``regular``, ``3*regular + sign``, ``V**2``, ``2x0e+1x1o`` or ``l=1 + l=2`` (see
:mod:`reptheory.cli._expr`).

JSON output (``--json``), one object on stdout:

* ``hom``: ``{"dim": int, "method": str, "reason": str, "seconds": float, "shape": [d_out, d_in],
  "exact": bool, "group": str, "rho_in": str, "rho_out": str, "projector_kind": str,
  "error_bound": {str: float}, "file": str|null}``; with ``--basis`` also ``"basis"`` (list of
  d_out × d_in float lists) and, with ``--exact``, ``"basis_exact"`` (entries as strings).
* ``decompose``: ``{"multiplicities": {label: int}, "dims": {label: int}, "seconds": float,
  "method": str, "error": float, "group": str, "rep": str, "dim": int}``.
* ``verify``: ``{"ok": bool, "dim": int, "shape": [..], "method": str, ...}``.
* ``groups``: ``{"groups": [{"pattern": str, "description": str}], "examples": [str]}``;
  ``info``: ``{"name", "kind", "order" | "lie_dim", "generators", ...}``;
  ``character-table``: the table's ``to_json()``.

Errors: one line ``reptheory: error: <message>`` on stderr (with ``--json`` also
``{"error": <message>, "type": <exception class>}`` on stdout).  Exit codes: 0 success,
2 for every failure (usage, bad input, limits, integrity failures, and anything unexpected), always
as one line; a closed output pipe (``reptheory info O | head -3``) ends quietly with 0.

Examples
--------
>>> main(["hom", "D4", "--in", "regular", "--out", "regular", "--quiet"])
dim Hom_dihedral(4)(regular, regular) = 8
0
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

from reptheory.errors import ReptheoryError, TooLargeError

__all__ = ["main", "build_parser", "EXIT_OK", "EXIT_INTERNAL", "EXIT_USAGE"]

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_USAGE = 2


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # argparse exits with 2 itself; keep its format but our type
        raise _UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for documentation tools)."""
    p = _Parser(prog="reptheory", description=__doc__.split("Examples")[0] if __doc__ else None,
                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action="store_true", help="print the library version and exit")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bars or extra text")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    g = sub.add_parser("groups", help="list the group catalogue")
    g.add_argument("--json", action="store_true")

    i = sub.add_parser("info", help="facts about a group")
    i.add_argument("group", metavar="GROUP")
    i.add_argument("--json", action="store_true")

    c = sub.add_parser("character-table", help="character table of a finite group")
    c.add_argument("group", metavar="GROUP")
    fmt = c.add_mutually_exclusive_group()
    fmt.add_argument("--latex", action="store_true")
    fmt.add_argument("--json", action="store_true")

    d = sub.add_parser("decompose", help="decompose a representation into irreps")
    d.add_argument("group", metavar="GROUP")
    d.add_argument("rep", metavar="REP")
    d.add_argument("--json", action="store_true")

    h = sub.add_parser("hom", help="intertwiners Hom_G(in, out): dimension, basis, projector export")
    h.add_argument("group", metavar="GROUP")
    h.add_argument("--in", dest="rep_in", required=True, metavar="REP")
    h.add_argument("--out", dest="rep_out", required=True, metavar="REP")
    h.add_argument("--exact", action="store_true", help="also compute an exact (rational/algebraic) basis")
    h.add_argument("--method", default="auto", help="auto, orbit, isotypic, constraints or average")
    h.add_argument("--json", action="store_true")
    h.add_argument("--basis", action="store_true", help="print the basis (JSON) as well")
    h.add_argument("-o", "--output", metavar="FILE", help="save the space (.npz, verifiable with 'verify')")
    h.add_argument("--no-cache", action="store_true", help="do not use the disk cache")

    v = sub.add_parser("verify", help="verify a file written by 'hom -o'")
    v.add_argument("file", metavar="FILE")
    v.add_argument("group", metavar="GROUP", nargs="?", default=None,
                   help="with --in/--out: verify the file against these representations of GROUP")
    v.add_argument("--in", dest="rep_in", metavar="REP", default=None)
    v.add_argument("--out", dest="rep_out", metavar="REP", default=None)
    v.add_argument("--json", action="store_true")
    for sp in (g, i, c, d, h, v):
        sp.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS,
                        help="no progress bars or extra text")
    return p


def _emit(obj: Any, as_json: bool, text: str) -> None:
    if as_json:
        print(json.dumps(obj, sort_keys=True, default=str))
    else:
        print(text)


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
    from reptheory.cli._expr import parse_group
    from reptheory.groups.finite import FiniteGroup

    G = parse_group(args.group)
    if isinstance(G, FiniteGroup):
        obj: dict[str, Any] = {"name": G.name, "kind": "finite", "order": int(G.order),
                               "generators": int(G.num_generators)}
        # the extras are computed only within a small budget, so `info` answers in seconds
        from reptheory._numerics.limits import resource_limits

        try:
            with resource_limits(max_bytes=min(64 << 20, _limit("max_bytes")), max_order=20_000):
                if G.order > 20_000:
                    raise TooLargeError("order above the info budget", estimate=G.order, limit=20_000)
                obj.update({"classes": len(G.conjugacy_classes()), "abelian": bool(G.is_abelian),
                            "exponent": int(G.exponent), "class_sizes": [int(x) for x in G.class_sizes]})
                if len(G.conjugacy_classes()) <= _INFO_MAX_IRREPS:
                    obj["irrep_dims"] = [int(r.dim) for r in G.irreps()]
                else:
                    obj["irrep_dims"] = f"not computed ({len(G.conjugacy_classes())} classes > {_INFO_MAX_IRREPS})"
        except TooLargeError as exc:
            obj["classes"] = f"not computed ({exc.estimate} > {exc.limit}: too large for 'info')"
    else:
        obj = {"name": str(getattr(G, "name", G)), "kind": "compact Lie", "lie_dim": int(G.lie_dim),
               "generators": int(G.num_generators), "matrix_size": int(G.n)}
    text = "\n".join(f"{k}: {v}" for k, v in obj.items())
    _emit(obj, args.json, text)
    return EXIT_OK


def _cmd_character_table(args: Any) -> int:
    from reptheory.cli._expr import parse_group
    from reptheory.errors import InvalidArgumentError
    from reptheory.groups.finite import FiniteGroup

    G = parse_group(args.group)
    if not isinstance(G, FiniteGroup):
        raise InvalidArgumentError(f"character tables are computed for finite groups; {G.name} is a Lie group")
    T = G.character_table()
    if args.json:
        print(json.dumps(T.to_json(), sort_keys=True))
    elif args.latex:
        print(T._repr_latex_())
    else:
        print(T.to_text())
    return EXIT_OK


def _cmd_decompose(args: Any) -> int:
    from reptheory.cli._expr import parse_group, parse_rep

    G = parse_group(args.group)
    rho = parse_rep(G, args.rep)
    t0 = time.perf_counter()
    dec = rho.decompose()
    secs = time.perf_counter() - t0
    mult = {str(c.label): int(c.multiplicity) for c in dec.components}
    dims = {str(c.label): int(c.irrep.dim) for c in dec.components}
    obj = {"multiplicities": mult, "dims": dims, "seconds": secs, "method": dec.method, "error": float(dec.error),
           "group": G.name, "rep": rho.name, "dim": int(rho.dim)}
    text = f"{rho.name} ({rho.dim}) = " + " + ".join(f"{m}x{lab}" for lab, m in mult.items())
    if not args.quiet:
        text += f"\n[{dec.method}, {secs:.3g} s, error {dec.error:.1e}]"
    _emit(obj, args.json, text)
    return EXIT_OK


def _progress(enabled: bool, desc: str) -> Any:
    if not enabled:
        return None
    try:
        from tqdm import tqdm
    except ImportError:  # pragma: no cover - tqdm is optional
        return None
    return tqdm(total=3, desc=desc, file=sys.stderr, leave=False, bar_format="{desc}: {n}/{total} {elapsed}")


def _cmd_hom(args: Any) -> int:
    import os

    from reptheory.cli._expr import parse_group, parse_rep
    from reptheory.hom.space import intertwiners

    bar = _progress(not args.quiet and sys.stderr.isatty() and args.exact, "hom (exact)")
    G = parse_group(args.group)
    rho_in = parse_rep(G, args.rep_in)
    rho_out = parse_rep(G, args.rep_out)
    if bar is not None:
        bar.update(1)
    if args.no_cache:
        os.environ["REPTHEORY_DISK_CACHE"] = "0"
    t0 = time.perf_counter()
    H = intertwiners(rho_in, rho_out, exact=args.exact, method=args.method)
    secs = time.perf_counter() - t0
    if bar is not None:
        bar.update(1)
    out_file = None
    if args.output:
        H.save(args.output)
        out_file = args.output
    if bar is not None:
        bar.update(1)
        bar.close()
    obj: dict[str, Any] = {
        "dim": H.dim, "method": H.method, "reason": H.reason, "seconds": secs, "shape": list(H.shape),
        "exact": H.exact, "group": G.name, "rho_in": rho_in.name, "rho_out": rho_out.name,
        "projector_kind": H.projector_kind, "error_bound": H.error_bound, "file": out_file,
    }
    if args.basis:
        obj["basis"] = H.basis.tolist()
        if args.exact:
            obj["basis_exact"] = [[[str(x) for x in row] for row in m.tolist()] for m in H.basis_exact]
    text = f"dim Hom_{G.name}({rho_in.name}, {rho_out.name}) = {H.dim}"
    if not args.quiet:
        text += f"\n[{H.method}: {H.reason}; {secs:.3g} s]"
        if out_file:
            text += f"\nsaved to {out_file}"
    if args.basis and not args.json:
        text += "\n" + json.dumps(obj["basis"])
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


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 ok, 2 any failure, with one line on stderr)."""
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    as_json = "--json" in argv
    try:
        args = parser.parse_args(argv)
    except _UsageError as exc:
        print(parser.format_usage().rstrip(), file=sys.stderr)
        print(f"reptheory: error: {exc}", file=sys.stderr)
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
    except BrokenPipeError:  # `reptheory info O | head -3`: the reader left, nothing to report
        _silence_stdout()
        return EXIT_OK
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
