"""Irreducible representations: closed forms for catalogue groups and numeric constructions.

Finite groups: :func:`reptheory.irreps.finite.finite_irreps` (``G.irreps()``).
Compact Lie groups: ``G.irreps(max_label)`` / ``G.irrep(label)`` from :mod:`reptheory.irreps.lie`.
"""

from __future__ import annotations

from typing import Any

__all__ = ["parse_irreps_string"]


def parse_irreps_string(group: Any, text: str) -> Any:
    """Parse an e3nn-style irreps string such as ``"2x0e + 1x1o"`` into a :class:`Representation`.

    The grammar and the labels accepted depend on the group; see
    :func:`reptheory.irreps._strings.parse_irreps_string`.
    """
    from reptheory.irreps._strings import parse_irreps_string as _parse

    return _parse(group, text)
