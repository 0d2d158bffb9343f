"""Irreducible representations: closed forms for catalogue groups and numeric constructions.

Finite groups: `reptheory.decomposition.irreps.finite.finite_irreps` (``G.irreps()``); exact images over
ℚ or the character field: `reptheory.decomposition.irreps.exact.exact_irreps` (``G.irreps(exact=True)``).
Compact Lie groups: ``G.irreps(max_label)`` / ``G.irrep(label)`` from `reptheory.decomposition.irreps.lie`.
"""

from __future__ import annotations

from typing import Any

__all__ = ["complex_irreps", "exact_irreps", "finite_irreps", "parse_irreps_string"]


def finite_irreps(group: Any) -> Any:
    """Real orthogonal irreps of a finite group (see `reptheory.decomposition.irreps.finite.finite_irreps`)."""
    from reptheory.decomposition.irreps.finite import finite_irreps as _f

    return _f(group)


def exact_irreps(group: Any, **kwargs: Any) -> Any:
    """Real irreps with exact images over ℚ or ``ℚ(ψ)`` (see `reptheory.decomposition.irreps.exact.exact_irreps`)."""
    from reptheory.decomposition.irreps.exact import exact_irreps as _e

    return _e(group, **kwargs)


def complex_irreps(group: Any) -> Any:
    """Unitary complex irreps of a finite group (see `reptheory.decomposition.irreps.finite.complex_irreps`)."""
    from reptheory.decomposition.irreps.finite import complex_irreps as _c

    return _c(group)


def parse_irreps_string(group: Any, text: str) -> Any:
    """Parse an e3nn-style irreps string such as ``"2x0e + 1x1o"`` into a [`Representation`][reptheory.Representation].

    The grammar and the labels accepted depend on the group; see
    `reptheory.decomposition.irreps._strings.parse_irreps_string`.
    """
    from reptheory.decomposition.irreps._strings import parse_irreps_string as _parse

    return _parse(group, text)
