"""Property-test your own representation in five lines.

Run it directly (``python examples/property_test_your_rep.py``) or collect it with pytest
(``pytest examples/property_test_your_rep.py``).  Three tests of growing ambition:

1. your representation, given as a plain function ``g -> matrix``, is a homomorphism for
   every dihedral group ``D_n`` (the five-line version);
2. your equivariant layer commutes with the group action, for random groups and random
   representations drawn by ``reptheory.testing.strategies``;
3. the same tests under the shipped laws, so that a failure shrinks to a small group.
"""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reptheory import groups
from reptheory.testing import assert_equivariant_model, assert_homomorphism, laws
from reptheory.testing import strategies as rst


# --- your code -----------------------------------------------------------------------------
def polygon_rep(n):
    """D_n acting on the plane: element k + n*e of groups.dihedral(n) is r^k s^e."""

    def rho(g):
        k, e = g % n, g // n
        c, s = np.cos(2 * np.pi * k / n), np.sin(2 * np.pi * k / n)
        return np.array([[c, -s], [s, c]]) @ np.diag([1.0, (-1.0) ** e])

    return rho


def symmetrize(W, rho_in, rho_out):
    """Your 'make a layer equivariant' routine: the group average of W (finite groups)."""
    G = rho_in.group
    return sum(rho_out.matrix(g) @ W @ rho_in.matrix(G.inverse(g)) for g in range(G.order)) / G.order


# --- 1. five lines: the representation is a homomorphism for every n --------------------------
@given(st.integers(1, 12))
def test_polygon_rep_is_a_homomorphism(n):
    assert_homomorphism(polygon_rep(n), group=groups.dihedral(n))


# --- 2. the layer is equivariant, for random groups and representations -----------------------
@settings(max_examples=50, suppress_health_check=[HealthCheck.too_slow])  # a draw computes a Hom space
@given(rst.finite_groups(max_order=12).flatmap(lambda G: rst.intertwiner_pairs(G, max_dim=4)), st.data())
def test_symmetrized_layer_is_equivariant(pair, data):
    rho_in, rho_out = pair
    W = symmetrize(data.draw(rst.weights_for(rho_in, rho_out)), rho_in, rho_out)
    assert_equivariant_model(lambda x: x @ W.T, rho_in, rho_out)


# --- 3. the shipped laws: your routine is the Reynolds projector -------------------------------
@settings(max_examples=50, suppress_health_check=[HealthCheck.too_slow])  # a draw computes a Hom space
@given(rst.finite_groups(max_order=12).flatmap(lambda G: rst.intertwiner_pairs(G, max_dim=4)), st.data())
def test_symmetrize_obeys_the_projector_laws(pair, data):
    rho_in, rho_out = pair
    W = data.draw(rst.weights_for(rho_in, rho_out))
    P = lambda V: symmetrize(V, rho_in, rho_out)  # noqa: E731
    laws.projector_idempotent(rho_in, rho_out, W, space=P)
    laws.projection_commutes_with_generators(rho_in, rho_out, W, space=P)
    laws.projector_rank(rho_in, rho_out, space=P)


if __name__ == "__main__":
    test_polygon_rep_is_a_homomorphism()
    test_symmetrized_layer_is_equivariant()
    test_symmetrize_obeys_the_projector_laws()
    print("all property tests passed")
