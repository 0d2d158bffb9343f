"""How-to: a custom compact Lie group from generators, its commutants, and a penalty.

The group is the torus SO(2) x SO(2) rotating two planes of R^4 independently, extended by the
swap of the two planes (a discrete generator).  Nothing about it is in the catalogue: it is
given by a basis of its Lie algebra and one extra matrix.
Run it with ``python examples/howto_custom_lie_group.py``.
"""

from __future__ import annotations

import sys

import numpy as np
import torch

import penalties
from reptheory import CompactLieGroup, Representation, commutant, invariants


def main(fast: bool = False) -> dict[str, int]:
    J1 = np.zeros((4, 4), dtype=int)
    J1[1, 0], J1[0, 1] = 1, -1                     # rotation generator of the (x0, x1) plane
    J2 = np.zeros((4, 4), dtype=int)
    J2[3, 2], J2[2, 3] = 1, -1                     # rotation generator of the (x2, x3) plane
    swap = np.eye(4, dtype=int)[[2, 3, 0, 1]]      # exchanges the two planes
    G = CompactLieGroup.from_generators([J1, J2], discrete=[swap], name="T2 ⋊ C2")
    print(G, "structure constants vanish (abelian algebra):", not G.structure_constants.any())

    V = Representation.defining(G)
    # End_G(V): the torus alone allows a complex scalar a·I + b·J on each plane (4 dims); the swap
    # ties the planes together (2 dims).
    E = commutant(V, exact=True)
    print(f"commutant of V: dim {E.dim}, method {E.method!r}")

    # invariant bilinear forms: the dot product and the sum of the two planes' area forms
    # (the swap removes |x_a|^2 - |x_b|^2 and the difference of the area forms); dim 2 = dim End_G(V)
    inv2 = invariants(V @ V)
    print(f"invariants of V⊗V: dim {inv2.dim}")

    # A penalty for a linear layer R^4 -> R^4 that should commute with the group:
    torch.manual_seed(0)
    P = penalties.projection_for(V, V)
    layer = torch.nn.Linear(4, 4, bias=False)
    print(f"penalty of a random layer: {penalties.projection_penalty(layer.weight, P).item():.3f}; "
          f"after projection: {penalties.projection_penalty(P(layer.weight), P).item():.1e}")
    # The projected layer commutes with any group element, e.g. exp(0.3 J1 + 1.1 J2) · swap.
    # (G.sample refuses groups built from generators: no Haar sampler is known for them.)
    g = G.element([0.3, 1.1], discrete=[0])
    Wp = P(layer.weight).detach().double().numpy()
    M = V.matrix(g)
    print("P(W) commutes with a group element:", np.allclose(M @ Wp, Wp @ M))
    return {"commutant": E.dim, "invariants": inv2.dim}


if __name__ == "__main__":
    penalties.configure_threads()  # one torch thread (fastest for small models); PENALTIES_NUM_THREADS=N for more
    main(fast="--fast" in sys.argv)
