"""The main job on an embedded default: ``python -m reptheory.cli.demo``.

Builds ``SL(2, 3)`` (order 24) from the Cayley table shipped in
``reptheory/data/sl23.json``, prints its character table, decomposes a
representation, computes a commutant (its dimension checked against the character
formula ``dim End_G(ρ) = ⟨χ_ρ, χ_ρ⟩``) and, when the commutant machinery is
present, exports the projector to a file.

Examples
--------
>>> from reptheory.cli.demo import load_default_group
>>> load_default_group().order
24
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from reptheory.errors import DecompositionError
from reptheory.groups.finite import FiniteGroup
from reptheory.hom.space import commutant
from reptheory.reps.representation import Representation

__all__ = ["load_default_group", "main"]


def load_default_group() -> FiniteGroup:
    """``SL(2, 3)`` from the embedded Cayley table (validated like any user table).

    Examples
    --------
    >>> G = load_default_group()
    >>> G.name, len(G.conjugacy_classes())
    ('SL(2,3)', 7)
    """
    text = resources.files("reptheory").joinpath("data/sl23.json").read_text(encoding="utf-8")
    doc = json.loads(text)
    return FiniteGroup.from_cayley_table(np.asarray(doc["table"]), labels=doc["labels"], name=doc["name"])


def _character_dimension(rep: Representation) -> int:
    """``⟨χ, χ⟩ = (1/|G|) Σ_g χ(g)²`` over all elements (real representation)."""
    G = rep.group
    chi = rep.character()
    return round(float(np.real(np.sum(G.class_sizes * chi * np.conj(chi)))) / G.order)


def run(out: Path | None = None, *, stream: Any = None) -> dict[str, Any]:
    """Run the demo; return a summary dict (also printed)."""
    stream = stream or sys.stdout
    t0 = time.perf_counter()
    G = load_default_group()
    print(f"group: {G.name}, order {G.order}, {len(G.conjugacy_classes())} classes", file=stream)
    table = G.character_table()
    print(table, file=stream)
    R = Representation.regular(G)
    rho = 2 * R
    summary: dict[str, Any] = {"group": G.name, "order": G.order}
    dec = R.decompose()
    print(f"regular representation = {dec}", file=stream)
    summary["regular_multiplicities"] = dec.multiplicities
    expected = _character_dimension(rho)
    space = commutant(rho)
    print(f"commutant of 2*regular: dim {space.dim} (character formula: {expected}), method {space.method}", file=stream)
    if space.dim != expected:
        raise DecompositionError(
            f"commutant dimension {space.dim} disagrees with the character formula {expected}"
        )
    summary["commutant_dim"] = space.dim
    summary["method"] = space.method
    if out is not None:
        space.save(out)
        print(f"projector written to {out}", file=stream)
        summary["file"] = str(out)
    summary["seconds"] = round(time.perf_counter() - t0, 3)
    print(f"done in {summary['seconds']} s", file=stream)
    return summary


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point of the main job."""
    p = argparse.ArgumentParser(prog="python -m reptheory.cli.demo", description=__doc__.splitlines()[0])
    p.add_argument("-o", "--out", type=Path, default=None, help="export the commutant projector to this .npz file")
    args = p.parse_args(argv)
    run(args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
