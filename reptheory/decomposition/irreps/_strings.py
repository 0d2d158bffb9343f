"""e3nn-style irreps strings: ``"2x0e + 1x1o"`` ↔ direct sums of catalogue irreps.

Grammar: terms separated by ``+``; each term is ``[m x] label`` (``x`` or ``*``), with the
labels of `reptheory.decomposition.irreps.lie.parse_label`: ``"1o"``/``"2e"`` for O(3), ``"2"`` or
``"l=2"`` for SO(3), ``"3"`` for SO(2), ``"0"``/``"det"``/``"k"`` for O(2), ``"1/2"`` for
SU(2), ``"-1"`` for U(1).  The result is ``⊕ m × ψ`` in the order written, with
``components`` set, so its decomposition is known without computation.

Examples
--------
>>> from reptheory.groups.lie_catalog import O3, SO3
>>> R = parse_irreps_string(O3(), "2x0e + 1x1o + 1x2e")
>>> R.dim, irreps_string(R)
(10, '2x0e+1x1o+1x2e')
>>> parse_irreps_string(SO3(), "l=1 + l=2").dim
8
"""

from __future__ import annotations

import re
from typing import Any

from reptheory.errors import InvalidArgumentError

__all__ = ["parse_irreps_string", "irreps_string"]


def parse_irreps_string(group: Any, text: str) -> Any:
    """Parse ``text`` (e.g. ``"2x0e + 1x1o"``) into a direct sum of ``group``'s catalogue irreps.

    Raises
    ------
    InvalidArgumentError
        Empty or malformed text, zero multiplicities, unknown labels, or a group
        without catalogue irreps.

    Examples
    --------
    >>> from reptheory.groups.lie_catalog import SO2
    >>> parse_irreps_string(SO2(), "3x1").components[0][1]
    3
    >>> parse_irreps_string(SO2(), "2x")
    Traceback (most recent call last):
    ...
    reptheory.errors.InvalidArgumentError: irreps string '2x': term '2x' has no label
    """
    from reptheory.groups.lie import CompactLieGroup
    from reptheory.reps.representation import Representation

    if not isinstance(text, str):
        raise InvalidArgumentError(f"irreps string must be a str, got {type(text).__name__}")
    if not isinstance(group, CompactLieGroup):
        raise InvalidArgumentError(f"irreps strings need a catalogue compact Lie group, got {getattr(group, 'name', group)!r}")
    terms = [t for t in text.split("+")]
    if not text.strip() or any(not t.strip() for t in terms):
        raise InvalidArgumentError(f"irreps string {text!r} is empty or has an empty term")
    parsed = []
    for t in terms:
        t = t.strip()
        m_str, lab = None, t
        mt = re.match(r"^(\d+)\s*[x*]\s*(.*)$", t)
        if mt:
            m_str, lab = mt.group(1), mt.group(2).strip()
            if not lab:
                raise InvalidArgumentError(f"irreps string {text!r}: term {t!r} has no label")
        mult = int(m_str) if m_str is not None else 1
        if mult == 0:
            continue
        irr = group.irrep(lab)
        parsed.append((irr, mult))
    if not parsed:
        raise InvalidArgumentError(f"irreps string {text!r} has only zero multiplicities")
    blocks = []
    for irr, m in parsed:
        blocks.extend([irr] * m)
    rep = blocks[0].direct_sum(*blocks[1:]) if len(blocks) > 1 else blocks[0]
    name = "+".join(f"{m}x{irr.label}" for irr, m in parsed)
    d = rep.dim
    images = rep.images.reshape(group.num_generators, d, d)  # (works around a core shape bug for k = 0)
    out = Representation(
        group, images, name=name, algebra=rep.algebra, exact_images=rep.exact_images,
        exact_algebra=rep.exact_algebra, components=tuple(parsed),
    )
    return out


def irreps_string(rep: Any) -> str:
    """The irreps string of a representation with known ``components``, or of a Decomposition.

    Round-trips with [`parse_irreps_string`][reptheory.decomposition.irreps.parse_irreps_string] (up to the order of the terms for a
    Decomposition, which lists isotypic components trivial first).

    Examples
    --------
    >>> from reptheory.groups.lie_catalog import O3
    >>> V = O3().defining_representation()
    >>> irreps_string((V @ V).decompose())
    '1x0e+1x1e+1x2e'

    Raises
    ------
    InvalidArgumentError
        If the decomposition of ``rep`` is not known (call ``rep.decompose()`` first).
    """
    comps = getattr(rep, "components", None)
    if comps is not None and comps and hasattr(comps[0], "multiplicity"):
        return "+".join(f"{c.multiplicity}x{c.irrep.label}" for c in comps)
    if comps is None:
        raise InvalidArgumentError(f"the decomposition of {rep!r} is not known; decompose it first")
    return "+".join(f"{m}x{irr.label}" for irr, m in comps)
