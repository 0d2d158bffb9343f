"""Complex representations of groups given only by Lie-algebra generators: decomposition over C
with Frobenius–Schur types and the real form.

Oracles: for SU(2) the spin-j irrep is real for integer j and quaternionic for half-integer j;
for U(1) the character of charge q ≠ 0 is of complex type with dual −q, charge 0 is real.
The group is built from generators (no catalogue labels), and the representations are put in a
random unitary basis so that nothing depends on the coordinates.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import unitary_group

from reptheory import Representation
from reptheory.groups.lie import CompactLieGroup

SX = np.array([[0, 1], [1, 0]], complex)
SY = np.array([[0, -1j], [1j, 0]])
SZ = np.array([[1, 0], [0, -1]], complex)


def _su2() -> CompactLieGroup:
    return CompactLieGroup.from_generators([0.5j * SX, 0.5j * SY, 0.5j * SZ], name="su2 from generators")


def _twist(r: Representation, seed: int) -> Representation:
    U = unitary_group.rvs(r.dim, random_state=seed)
    return Representation(r.group, np.zeros((0, r.dim, r.dim), complex),
                          algebra=np.array([U @ a @ U.conj().T for a in r.algebra]), name="twisted")


@pytest.mark.parametrize("k", [1, 2, 3, 4])
def test_su2_tensor_powers_types_follow_spin(k: int) -> None:
    G = _su2()
    V = Representation.defining(G)
    r = V
    for _ in range(k - 1):
        r = r @ V
    D = _twist(r, seed=k).decompose()
    assert D.field == "C"
    for c in D.components:
        spin = (c.irrep.dim - 1) / 2
        assert c.irrep.real_type == ("R" if float(spin).is_integer() else "H"), (c.irrep.dim, c.irrep.real_type)
    assert len(D.real_form) == len(D.components)
    for line, c in zip(D.real_form, D.components, strict=True):
        assert ("quaternionic" in line) == (c.irrep.real_type == "H")
    assert sum(c.multiplicity * c.irrep.dim for c in D.components) == r.dim


@pytest.mark.parametrize("charges", [(1, -1, 2), (3, 0, -3, 3), (2, 2, 5)])
def test_u1_charges_pair_with_their_negatives(charges: tuple[int, ...]) -> None:
    T = CompactLieGroup.from_generators([np.array([[1j]])], name="u1 from generators")
    r = Representation(T, np.zeros((0, len(charges), len(charges)), complex),
                       algebra=np.array([np.diag([1j * q for q in charges])]), name="charges")
    D = _twist(r, seed=sum(charges) + 7).decompose()
    # recover each component's charge from its 1×1 algebra image
    charge = {c.irrep.label: round(float(np.imag(c.irrep.algebra[0][0, 0]))) for c in D.components}
    for c in D.components:
        q = charge[c.irrep.label]
        assert c.multiplicity == charges.count(q)
        if q == 0:
            assert c.irrep.real_type == "R"
            continue
        assert c.irrep.real_type == "C"
        dual = c.irrep.meta["dual"]
        if -q in charges:
            assert charge[dual] == -q
        else:
            assert dual == f"{c.irrep.label}*"
    text = " ".join(D.real_form)
    for q in set(charges):
        if q > 0 and -q in charges:
            assert "complex type" in text


def _spin_multiplicities(k: int) -> dict[int, int]:
    """Multiplicities of spin j (keyed by dim 2j+1) in (spin 1/2)^{⊗k}, by the Clebsch–Gordan rule."""
    mult = {2: 1}
    for _ in range(k - 1):
        new: dict[int, int] = {}
        for d, m in mult.items():
            for e in (d - 1, d + 1):
                if e >= 1:
                    new[e] = new.get(e, 0) + m
        mult = new
    return mult


@pytest.mark.parametrize("k", [2, 4, 5])
def test_repeated_copies_split_including_trivial(k: int) -> None:
    """Several trivial copies used to come back as one 'irrep' of dimension 2 (noise-level
    constraints made the random commutant element vanish)."""
    G = _su2()
    V = Representation.defining(G)
    r = V
    for _ in range(k - 1):
        r = r @ V
    D = _twist(r, seed=10 + k).decompose()
    got = {c.irrep.dim: c.multiplicity for c in D.components}
    assert got == _spin_multiplicities(k)
