"""Decomposition above the regular-representation limit: irreps split off the representation itself."""

from __future__ import annotations

from collections import Counter

import numpy as np

from reptheory import FiniteGroup, Representation
from reptheory.characters import complex_multiplicities
from reptheory.hom import commutant


def a8() -> FiniteGroup:
    """A8 by two permutations of 8 points: (0 1 2) and the 7-cycle (1 2 ... 7)."""
    return FiniteGroup.from_permutations([[1, 2, 0, 3, 4, 5, 6, 7], [0, 2, 3, 4, 5, 6, 7, 1]], name="A8")


def psl2(q: int) -> FiniteGroup:
    """PSL(2, q) on the projective line F_q ∪ {∞} (∞ = q): x ↦ x + 1 and x ↦ −1/x."""
    inf = q

    def t(x: int) -> int:
        return inf if x == inf else (x + 1) % q

    def s(x: int) -> int:
        return 0 if x == inf else inf if x == 0 else (-pow(x, q - 2, q)) % q

    return FiniteGroup.from_permutations([[t(x) for x in range(q + 1)], [s(x) for x in range(q + 1)]],
                                         name=f"PSL(2,{q})")


def test_a8_permutation_and_tensor_square() -> None:
    G = a8()
    assert G.order == 20160
    T = G.character_table()
    # ATLAS A8: 14 classes, degrees 1 7 14 20 21 21 21 28 35 45 45 56 64 70
    assert sorted(T.degrees.tolist()) == [1, 7, 14, 20, 21, 21, 21, 28, 35, 45, 45, 56, 64, 70]
    # G.irreps() is complete above the limit too (tests/reptheory/test_irreps_from_table.py, slow);
    # decompositions split only the irreps they need
    V = Representation.defining(G)
    dec = V.decompose()
    assert dec.error < 1e-12 and [(c.multiplicity, c.irrep.dim) for c in dec.components] == [(1, 1), (1, 7)]
    W = V.tensor(V)
    dec2 = W.decompose()
    assert dec2.error < 1e-12
    cm = complex_multiplicities(W)
    assert sorted(c.multiplicity for c in dec2.components) == sorted(int(m) for m in cm if m)
    # the 7-dimensional irrep is the same matrices in both decompositions (cached per group)
    seven = next(c.irrep for c in dec2.components if c.irrep.dim == 7)
    assert np.array_equal(seven.images, dec.components[1].irrep.images)
    Q = dec2.Q
    assert np.allclose(Q.T @ Q, np.eye(64), atol=1e-10)
    assert commutant(W).dim == int((cm**2).sum())  # all characters of A8 are real


def test_psl2_31_against_the_published_degrees() -> None:
    G = psl2(31)
    assert G.order == 14880
    T = G.character_table()
    # PSL(2, q), q = 31 = 3 mod 4: 1, q, two of (q-1)/2, (q-3)/4 of q+1, (q-3)/4 of q-1  [(q+5)/2 = 18 classes]
    assert Counter(T.degrees.tolist()) == Counter({1: 1, 31: 1, 15: 2, 32: 7, 30: 7})
    assert int((T.degrees**2).sum()) == G.order
    V = Representation.defining(G)
    dec = V.decompose()
    assert [(c.multiplicity, c.irrep.dim) for c in dec.components] == [(1, 1), (1, 31)]
    assert commutant(V.tensor(V)).dim == int((complex_multiplicities(V.tensor(V)).astype(np.int64) ** 2).sum())
