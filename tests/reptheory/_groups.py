"""Groups shared by several test modules (test oracles built independently of the catalogue)."""

from __future__ import annotations

import itertools

import numpy as np

from reptheory.groups.finite import FiniteGroup


def relabel(G: FiniteGroup, perm: np.ndarray) -> FiniteGroup:
    """The same group with element i renamed π(i): table'[π(i), π(j)] = π(table[i, j])."""
    t = G.table
    t2 = np.empty_like(t)
    t2[perm[:, None], perm[None, :]] = perm[t]
    return FiniteGroup.from_cayley_table(t2)


def sl23() -> FiniteGroup:
    """SL(2, 3) as a Cayley table of 2x2 matrices over F_3 with determinant 1."""
    mats = [np.array(m).reshape(2, 2) for m in itertools.product(range(3), repeat=4)]
    mats = [m for m in mats if round(np.linalg.det(m)) % 3 == 1]
    index = {m.tobytes(): i for i, m in enumerate(mats)}
    table = np.array([[index[((a @ b) % 3).tobytes()] for b in mats] for a in mats])
    return FiniteGroup.from_cayley_table(table, name="SL(2,3)")
