"""``python -m reptheory``: the command line (see [`reptheory.cli`][reptheory.cli])."""

from __future__ import annotations

import sys

from reptheory.cli import main

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
