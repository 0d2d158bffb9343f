"""Character-level tools: fusion, restriction, induction, permutation characters, tensor multiplicities."""

from __future__ import annotations

import numpy as np
import pytest

from reptheory import Representation, groups
from reptheory.characters import inner_product
from reptheory.characters.class_functions import (
    class_fusion,
    decompose_class_function,
    induce_class_function,
    permutation_character,
    restrict_class_function,
    tensor_multiplicities,
)
from reptheory.errors import GroupMismatchError, InvalidArgumentError


def _subgroups():  # type: ignore[no-untyped-def]
    S4 = groups.symmetric(4)
    A5 = groups.alternating(5)
    D6 = groups.dihedral(6)
    return [
        (S4, S4.subgroup([S4.generators[1]])),
        (S4, S4.subgroup([S4.generators[0], S4.mul(S4.generators[1], S4.generators[1])])),
        (A5, A5.subgroup([A5.generators[0]])),
        (D6, D6.subgroup([D6.generators[1]])),
    ]


@pytest.mark.parametrize(("G", "H"), _subgroups())
def test_fusion_against_brute_force(G, H) -> None:  # type: ignore[no-untyped-def]
    f = class_fusion(G, H)
    for i, c in enumerate(H.conjugacy_classes()):
        assert set(np.asarray(G.class_of)[H.embedding[c]].tolist()) == {int(f[i])}


@pytest.mark.parametrize(("G", "H"), _subgroups())
def test_frobenius_reciprocity_and_permutation_character(G, H) -> None:  # type: ignore[no-untyped-def]
    TG, TH = G.character_table(), H.character_table()
    for psi in TH.values:
        ind = induce_class_function(G, H, psi)
        assert np.isclose(ind[0], psi[0] * G.order / H.order)
        for chi in TG.values:
            lhs = inner_product(G, ind, chi)
            rhs = inner_product(H, psi, restrict_class_function(G, H, chi))
            assert np.isclose(lhs, rhs)
    # 1_H^G counts fixed cosets: compare with the permutation representation on G/H
    cosets = G.left_cosets(H)
    where = np.empty(G.order, dtype=np.int64)
    for k, c in enumerate(cosets):
        where[c] = k
    fixed = [sum(int(where[G.mul(int(g), int(c[0]))]) == k for k, c in enumerate(cosets)) for g in G.class_representatives]
    assert np.allclose(permutation_character(G, H), fixed)
    m = decompose_class_function(G, permutation_character(G, H))
    assert m[0] == 1 and int(m @ TG.degrees) == len(cosets)


@pytest.mark.parametrize("G", [groups.symmetric(4), groups.alternating(5), groups.quaternion(), groups.dicyclic(3)])
def test_tensor_multiplicities_against_decompositions(G) -> None:  # type: ignore[no-untyped-def]
    N = tensor_multiplicities(G)
    T = G.character_table()
    r = T.num_classes
    assert N.shape == (r, r, r) and (N >= 0).all()
    assert np.array_equal(N, np.swapaxes(N, 0, 1))
    assert np.array_equal(N[0], np.eye(r, dtype=np.int64))
    assert np.array_equal(N @ T.degrees, T.degrees[:, None] * T.degrees[None, :])
    # chi_i x conj chi_i contains the trivial character once
    for i in range(r):
        assert N[i, T.conjugate_row(i), 0] == 1
    # against an explicit tensor product of real irreps
    irr = G.irreps()
    a, b = irr[-1], irr[-2]
    chi = np.asarray((a.tensor(b)).character())
    m = decompose_class_function(G, chi)
    ra, rb = a.meta["characters"], b.meta["characters"]
    expect = sum(N[i, j] for i in ra for j in rb) * (1 if len(ra) > 1 or T.indicators[ra[0]] >= 0 else 2) * (
        1 if len(rb) > 1 or T.indicators[rb[0]] >= 0 else 2)
    assert np.array_equal(m, expect)


def test_errors() -> None:
    G, H = groups.symmetric(3), groups.cyclic(2)
    with pytest.raises(GroupMismatchError):
        class_fusion(G, H)
    with pytest.raises(InvalidArgumentError, match="one value per class"):
        decompose_class_function(G, [1, 2])
    with pytest.raises(InvalidArgumentError, match="virtual character"):
        decompose_class_function(G, [0.5, 0, 0])
    assert Representation.trivial(G).dim == 1
