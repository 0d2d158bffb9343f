"""Decomposition at high multiplicity: linear in the number of copies, still exact to the tolerance policy."""

from __future__ import annotations

import numpy as np
import pytest

from reptheory import Representation, groups


def test_a_thousand_trivial_copies_decompose_quickly():
    # was O(m^2 d) Python-level Gram-Schmidt: about a minute; now well under the case alarm
    G = groups.symmetric(3)
    rep = 1000 * Representation.trivial(G)
    dec = rep.decompose()
    assert [(c.label, c.multiplicity) for c in dec.components] == [("trivial", 1000)]
    assert np.allclose(dec.Q.T @ dec.Q, np.eye(1000), atol=1e-9)
    assert dec.error < 1e-9


@pytest.mark.parametrize(
    ("G", "copies"),
    [(groups.symmetric(3), 1), (groups.symmetric(3), 40), (groups.symmetric(3), 300), (groups.cyclic(4), 200)],
)
def test_many_copies_of_a_dense_irrep(G, copies):
    # the dense (non-monomial) route, in a random orthonormal basis: the standard irrep of S3 (real type)
    # and the 2-dimensional real irrep of C4 (complex type, commutant basis {I, J})
    std = next(p for p in G.irreps() if p.dim == 2)
    rep = copies * std
    U, _ = np.linalg.qr(np.random.default_rng(1).standard_normal((rep.dim, rep.dim)))
    dense = Representation(G, U.T @ rep.images @ U, name="dense")
    assert dense.monomial is None
    dec = dense.decompose()
    assert [(c.label, c.multiplicity) for c in dec.components] == [(std.label, copies)]
    Q = dec.Q
    assert np.allclose(Q.T @ Q, np.eye(dense.dim), atol=1e-9)
    D = [np.kron(np.eye(copies), std.images[j]) for j in range(std.images.shape[0])]
    for j, Dj in enumerate(D):
        assert np.allclose(dense.images[j] @ Q, Q @ Dj, atol=1e-8)
