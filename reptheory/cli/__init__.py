"""The ``reptheory`` command line (``python -m reptheory``).

Subcommands ``groups``, ``info``, ``character-table``, ``decompose``, ``hom`` and ``verify``;
GROUP and REP arguments are read by the small expression language of `reptheory.cli._expr`.
[`reptheory.cli.demo`][reptheory.cli.demo] is the NumPy-only part of the main job.

Examples
--------
>>> from reptheory.cli import main
>>> main(["hom", "C2", "--in", "regular", "--out", "regular", "--quiet"])
dim Hom_C2(regular, regular) = 2
0
"""

from reptheory.cli._commands import EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, build_parser, main

__all__ = ["EXIT_INTERNAL", "EXIT_OK", "EXIT_USAGE", "build_parser", "main"]
