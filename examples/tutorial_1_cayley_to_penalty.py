"""Tutorial 1: from a Cayley table to a penalty in a torch model.

Cayley table -> group -> character table -> decomposition -> commutant -> projector -> penalty.
Run it with ``python examples/tutorial_1_cayley_to_penalty.py`` (``--fast`` trains for fewer steps).
"""

from __future__ import annotations

import sys

import numpy as np
import torch
from torch import nn

import penalties
from reptheory import FiniteGroup, Representation, commutant, intertwiners

# The quaternion group Q8 = {±1, ±i, ±j, ±k}: entry [a][b] is the index of the product a·b.
LABELS = ["1", "-1", "i", "-i", "j", "-j", "k", "-k"]
TABLE = [
    [0, 1, 2, 3, 4, 5, 6, 7],
    [1, 0, 3, 2, 5, 4, 7, 6],
    [2, 3, 1, 0, 6, 7, 5, 4],
    [3, 2, 0, 1, 7, 6, 4, 5],
    [4, 5, 7, 6, 1, 0, 2, 3],
    [5, 4, 6, 7, 0, 1, 3, 2],
    [6, 7, 4, 5, 3, 2, 1, 0],
    [7, 6, 5, 4, 2, 3, 0, 1],
]


def main(fast: bool = False) -> dict[str, float]:
    # 1. The group: the table is checked (closure, identity, inverses, associativity).
    G = FiniteGroup.from_cayley_table(np.array(TABLE), labels=LABELS)
    print(f"order {G.order}, {len(G.conjugacy_classes())} conjugacy classes, abelian: {G.is_abelian}")

    # 2. The character table, exact.
    print(G.character_table())

    # 3. Decompose the regular representation into real irreducibles. The 2-dimensional complex
    #    irrep of Q8 is quaternionic, so over the reals it appears as one 4-dimensional irrep.
    R = Representation.regular(G)
    dec = R.decompose()
    print(dec)
    for comp in dec.components:
        print(f"  {comp.irrep.label}: dim {comp.irrep.dim}, multiplicity {comp.multiplicity}, "
              f"type {comp.irrep.real_type}")

    # 4. The commutant End_G(R): dim = sum over real irreps of m^2 * e (e = 1, 2, 4 for R, C, H).
    E = commutant(R)
    print(f"commutant of R: dim {E.dim} (= |G| = {G.order}), method {E.method!r}")

    # 5. The projector onto Hom_G(R, 2R) (weights of a first layer with hidden field 2R):
    H = intertwiners(R, 2 * R)
    W = np.random.default_rng(0).standard_normal((16, 8))
    PW = H.project(W)
    print(f"Hom_G(R, 2R): dim {H.dim}; residual of P(W): {H.residual(PW).max():.1e}")

    # 6. The penalty on a torch model: 8 -> 16 -> 16 -> 1, invariant output.
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 1))
    reg = penalties.EquivarianceRegularizer(model, penalties.mlp_spec(model, R, Representation.trivial(G)))
    # an invariant target: a function of the multiset of values on each coset of the centre {±1}
    x = torch.randn(256, 8)
    y = (x.view(256, 4, 2).abs().sum(-1) ** 2).sum(-1, keepdim=True) / 8
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    before = reg.layer_defect()
    for _ in range(60 if fast else 300):
        opt.zero_grad()
        loss = nn.functional.mse_loss(model(x), y) + reg()
        loss.backward()
        opt.step()
    after = reg.layer_defect()
    err = penalties.equivariance_error(model, x[:64], R, Representation.trivial(G))["median"]
    print(f"relative non-equivariant weight ‖W − P(W)‖²/‖W‖²: {before:.2e} -> {after:.2e}; "
          f"equivariance error of the model {err:.1e}")
    return {"defect_before": before, "defect_after": after, "equivariance_error": err}


if __name__ == "__main__":
    penalties.configure_threads()  # one torch thread (fastest for small models); PENALTIES_NUM_THREADS=N for more
    main(fast="--fast" in sys.argv)
