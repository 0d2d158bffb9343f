"""Tutorial 2: SO(3) and O(3) tensors with exact bases.

Which linear maps between Cartesian tensors commute with every rotation?  The answers are
classical (the identity, the transpose and the trace on 3x3 matrices; the cross product; the
Levi-Civita symbol), and here they come out exactly, as rational matrices.
Run it with ``python examples/tutorial_2_so3_tensors.py``.
"""

from __future__ import annotations

import sys

import numpy as np

from reptheory import Representation, commutant, groups, intertwiners, invariants


def main(fast: bool = False) -> dict[str, int]:
    SO3, O3 = groups.SO3(), groups.O3()
    V = Representation.defining(SO3)          # vectors: R^3, rotations act by their matrices
    T2 = V @ V                                # rank-2 tensors: R^9 = R^3 ⊗ R^3

    # 1. End_SO(3)(V ⊗ V): the identity, the transpose and the trace map, exactly.
    E = commutant(T2, exact=True)
    print(f"commutant of V⊗V: dim {E.dim}, method {E.method!r}, exact {E.exact}")
    import sympy

    identity = sympy.eye(9)
    swap = sympy.Matrix(9, 9, lambda r, c: int(c == 3 * (r % 3) + r // 3))     # a⊗b ↦ b⊗a
    vec_i = sympy.Matrix([int(i % 4 == 0) for i in range(9)])
    trace = vec_i * vec_i.T                                                  # T ↦ tr(T) I
    stacked = sympy.Matrix.hstack(*[M.reshape(81, 1) for M in (*E.basis_exact, identity, swap, trace)])
    same_span = stacked.rank() == E.dim == 3
    print(f"  its exact basis spans {{identity, transpose, trace}}: {same_span}")

    # 2. V ⊗ V = 0 + 1 + 2 (trace, antisymmetric part, symmetric traceless part).
    dec = (Representation.defining(O3) @ Representation.defining(O3)).decompose()
    print(f"O(3): V⊗V = {dec}")

    # 3. Hom_SO(3)(V ⊗ V, V) is one-dimensional: the cross product, up to scale.
    X = intertwiners(T2, V, exact=True)
    (C,) = X.basis_exact
    print(f"Hom(V⊗V, V): dim {X.dim}; the basis map sends e_x⊗e_y to {list(C[:, 1])}")
    a, b = np.array([1.0, 2.0, 3.0]), np.array([-1.0, 0.5, 2.0])
    Cf = np.array(C.tolist(), dtype=float)
    c = Cf @ np.kron(a, b)
    ratio = c / np.cross(a, b)
    assert np.allclose(ratio, ratio[0]), "the intertwiner is a multiple of the cross product"
    print(f"  C (a ⊗ b) = {ratio[0]:+.0f} · (a × b)")

    # 4. Invariants of V^⊗3: the Levi-Civita symbol for SO(3); none for O(3), where it is a pseudo-tensor.
    eps_so3 = invariants(V ** 3, exact=True)
    eps_o3 = invariants(Representation.defining(O3) ** 3)
    print(f"invariant 3-tensors: SO(3) {eps_so3.dim}, O(3) {eps_o3.dim}")

    # 5. The numeric projector on a random 9x9 weight lands in the commutant (checked against all
    #    generators of so(3)) and is idempotent.
    W = np.random.default_rng(0).standard_normal((9, 9))
    PW = E.project(W)
    print(f"numeric projector: residual {E.residual(PW).max():.1e}, "
          f"idempotence error {np.abs(E.project(PW) - PW).max():.1e}")
    return {"commutant": E.dim, "cross": X.dim, "eps_so3": eps_so3.dim, "eps_o3": eps_o3.dim}


if __name__ == "__main__":
    main(fast="--fast" in sys.argv)
