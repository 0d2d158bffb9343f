"""The field of a representation survives every construction (issue 16, item 1).

Symmetric and exterior powers, direct sums, tensor products and subspaces of complex Lie
representations keep their imaginary parts. The law
:func:`reptheory.testing.laws.power_commutant_dimension` compares ``dim End_G`` of the
power with the Weyl-integrated character ``∫ |h_k|²`` / ``∫ |e_k|²`` of the eigenvalues,
which never builds the power.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reptheory import Representation, intertwiners
from reptheory.decomposition.irreps.lie import su2_complex_irrep
from reptheory.groups.lie_catalog import O3, SO2, SO3, SU2, U1, lie_direct_product
from reptheory.testing import laws


def _lift(G, i, rep):
    """A representation of factor ``i`` of the product ``G`` as a representation of ``G``."""
    d = rep.dim
    alg, disc = [], []
    for j, f in enumerate(G.factors):
        alg += list(rep.algebra) if j == i else [np.zeros((d, d))] * f.lie_dim
        disc += list(rep.images) if j == i else [np.eye(d)] * f.num_generators
    return Representation.from_algebra_images(G, alg, disc, name=f"{rep.name}[{i}]")


def _factor_blocks(f):
    if f.kind == "U1":
        return [f.irrep(q) for q in (-2, -1, 1, 2)]
    if f.kind == "SU2":
        return [su2_complex_irrep("1/2"), su2_complex_irrep(1), f.irrep(0)]
    return list(f.irreps(1))[:4]


_GROUPS = [U1(), SU2(), SO2(), O3(), lie_direct_product(U1(), SO3()), lie_direct_product(SU2(), U1())]


@st.composite
def complex_representations(draw, max_dim=5):
    G = draw(st.sampled_from(_GROUPS))
    if G.kind == "product":
        blocks = [_lift(G, i, b) for i, f in enumerate(G.factors) for b in _factor_blocks(f)]
        blocks.append(Representation.defining(G))
    else:
        blocks = _factor_blocks(G)
    blocks = [b for b in blocks if b.dim <= max_dim]
    terms = [draw(st.sampled_from(blocks))]
    total = terms[0].dim
    for _ in range(draw(st.integers(0, 2))):
        b = draw(st.sampled_from(blocks))
        if total + b.dim <= max_dim:
            terms.append(b)
            total += b.dim
    rep = terms[0].direct_sum(*terms[1:]) if len(terms) > 1 else terms[0]
    # a random unitary change of basis (QR of a complex Gaussian), so nothing is diagonal
    seed = draw(st.integers(0, 2**31 - 1))
    rng = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(rng.normal(size=(rep.dim, rep.dim)) + 1j * rng.normal(size=(rep.dim, rep.dim)))
    return rep.change_basis(Q)


@settings(max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(complex_representations(), st.integers(2, 3), st.sampled_from(["symmetric", "exterior"]))
def test_power_commutant_matches_weyl_integral(rho, k, kind):
    if kind == "exterior" and k > rho.dim:
        k = rho.dim
    if k < 2:
        return
    laws.power_commutant_dimension(rho, k, kind)


def test_u1_symmetric_square_keeps_imaginary_part():
    V = Representation.defining(U1())
    np.testing.assert_allclose(V.symmetric_power(2).algebra, [[[2j]]])
    np.testing.assert_allclose(V.exterior_power(1).algebra, [[[1j]]])
    assert (V + V).images.dtype.kind == "c" and (V @ V).images.dtype.kind == "c"


@pytest.mark.parametrize(("kind", "want"), [("exterior", 2), ("symmetric", 4)])
def test_u1_times_so3_published_values(kind, want):
    V = Representation.defining(lie_direct_product(U1(), SO3()))  # charge 1 ⊕ R³
    W = V.exterior_power(2) if kind == "exterior" else V.symmetric_power(2)
    assert intertwiners(W, W).dim == want
    laws.power_commutant_dimension(V, 2, kind)


def test_su2_from_generators_sym3_is_irreducible():
    X = SU2().defining_representation().algebra
    R = Representation.from_algebra_images(SU2(), list(X))
    assert intertwiners(R.symmetric_power(3), R.symmetric_power(3)).dim == 1


def test_dropping_the_imaginary_part_gives_the_old_wrong_answer():
    V = Representation.defining(lie_direct_product(U1(), SO3()))
    W = V.exterior_power(2)
    broken = Representation(W.group, W.images.real, name="broken", algebra=W.algebra.real)
    assert intertwiners(broken, broken).dim == 4  # what the defect produced; the law's integral says 2
