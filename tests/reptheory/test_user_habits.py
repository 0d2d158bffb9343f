"""Habits users bring from neighbouring libraries, and names they read (issue 15)."""

from __future__ import annotations

import numpy as np
import pytest

from reptheory import CompactLieGroup, Representation, groups, intertwiners
from reptheory.errors import InvalidArgumentError


@pytest.mark.parametrize("expr", [lambda V: V * V, lambda V: V >> V, lambda V: 2 >> V, lambda V: V >> 2])
def test_emlp_operators_are_refused_with_the_library_spelling(expr):
    V = Representation.defining(groups.square_symmetries())
    with pytest.raises(InvalidArgumentError, match="'a @ b' for the tensor product") as info:
        expr(V)
    assert "intertwiners(a, b)" in str(info.value)
    # the spellings the message proposes do what it says
    assert (V @ V).dim == 4 and (3 * V).dim == 6 and (V * 3).dim == 6
    assert intertwiners(V, V).dim == 1  # D4 on the plane is absolutely irreducible


def test_character_table_and_decompositions_use_the_same_irrep_names():
    for G in (groups.symmetric(4), groups.quaternion(), groups.cyclic(5)):
        rows = [line.split()[0] for line in G.character_table().to_text().splitlines()[3:]]
        assert rows[0] == "trivial"
        for c in Representation.regular(G).decompose().components:
            for part in c.label.split("+"):  # complex pairs are named by their two rows
                assert part in rows, (G.name, c.label, rows)


def test_custom_lie_irreps_have_readable_labels():
    J1 = np.zeros((4, 4), dtype=int)
    J1[1, 0], J1[0, 1] = 1, -1
    J2 = np.zeros((4, 4), dtype=int)
    J2[3, 2], J2[2, 3] = 1, -1
    G = CompactLieGroup.from_generators([J1, J2], name="T2")
    V = Representation.defining(G)
    labels = [c.label for c in (V @ V).decompose().components]
    assert labels == [f"psi{i}" for i in range(len(labels))]
    assert all("=" not in lab and "#" not in lab for lab in labels)


def test_su2_spin_half_says_it_is_a_real_form():
    lie = pytest.importorskip("reptheory.groups.lie_catalog")
    psi = lie.SU2().irrep("1/2")
    assert psi.dim == 4 and psi.real_type == "H"
    assert "real form of a 2-dim quaternionic irrep" in repr(psi)
    assert "real form" not in repr(Representation.defining(lie.SO(3)))
