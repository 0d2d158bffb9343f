"""Decomposition of a representation of a permutation group that is never enumerated.

`decompose_permutation_group` (reached through ``rep.decompose()`` for a representation of a
[`PermutationGroup`][reptheory.groups.permutation.PermutationGroup]) returns a
[`Decomposition`][reptheory.decomposition.Decomposition] of the same shape as the finite route:

$$
ρ(g)\\, Q = Q \\bigoplus_ψ (I_{m_ψ} ⊗ ψ(g)),
$$

with real irreducible ψ (labels ``chi<i>`` or ``chi<i>+chi<j>`` of the rows of
``G.character_table()``, types R/C/H) in the group's stored matrices (``G.irreps()``: the same label
always carries the same matrices, so Hom spaces between two decompositions match irrep by irrep), and
orthogonal ``Q``.  Memory is
``O(r · n + dim End_G(ρ) · d² + d²)`` for ``r`` classes and degree ``n``, never ``O(|G|)``.

Algorithm
---------
1. **Multiplicities from characters**: ``χ_ρ`` at the class representatives through the group's
   straight-line programs (`reptheory.reps.permutation_group`), ``m_ψ = ⟨χ_ρ, χ_ψ⟩ / ⟨χ_ψ, χ_ψ⟩``
   against the Dixon–Schneider table.
2. **The commutant from the generators**: ``End_G(ρ) = {X : ρ(s) X = X ρ(s)}`` by the orbit
   method (monomial ρ) or the nullspace of the Sylvester constraints
   ([`intertwiners`][reptheory.hom.space.intertwiners]).
3. **Split**: the eigenspaces of ``S = X + Xᵀ`` for a random ``X ∈ End_G(ρ)`` are ρ-invariant
   (ρ orthogonal); for generic ``X`` each is one copy of a real irrep: ``End_G`` of an isotypic
   component ``m ψ`` is ``M_m(D)`` (``D = ℝ, ℂ, ℍ`` by the type of ψ) and its symmetric
   elements are the Hermitian ``m × m`` matrices over ``D``, with ``m`` simple eigenvalues.
4. **Identify** each copy by its character ``tr(Wᵀ ρ(g_c) W)`` against the real characters of the
   table; the counts must equal the multiplicities of step 1, else
   [`DecompositionError`][reptheory.errors.DecompositionError] (a retry with a new ``X`` first,
   in case two eigenvalues met).
5. **Align copies**: for copies ``W_1, W_j`` of one ψ, ``Y = W_jᵀ X W_1`` is in
   ``Hom_G(ψ_1, ψ_j)`` and ``YᵀY = a I`` (a symmetric element of ``End_G(ψ_1)``, whose basis
   beyond ``I`` is antisymmetric), so ``W_j Y / √a`` carries exactly the matrices of ``ψ_1``.
6. **Canonical matrices**: the first irrep of a character found on ``G`` is stored there; a later
   copy ``W_1`` (``ψ₁ = W_1ᵀ ρ W_1``) is turned into it by an orthogonal ``Y ∈ Hom_G(ψ, ψ₁)`` computed
   from the generators by spinning
   ([`reptheory.decomposition.irreps.permutation_group`][reptheory.decomposition.irreps.permutation_group]),
   every copy ``W_j ↦ W_j Y``.
7. **Verify** ``‖Qᵀ Q − I‖`` and ``max_s ‖ρ(s) Q − Q D(s)‖``.

Examples
--------
>>> from reptheory import Representation
>>> from reptheory.groups import permutation_group
>>> A8 = permutation_group([[1, 2, 0, 3, 4, 5, 6, 7], [0, 2, 3, 4, 5, 6, 7, 1]], name="A8")
>>> V = Representation.defining(A8)
>>> dec = (V @ V).decompose()
>>> [(c.label, c.multiplicity, c.irrep.dim) for c in dec.components]
[('trivial', 2, 1), ('chi1', 3, 7), ('chi3', 1, 20), ('chi4', 1, 21)]
>>> bool(dec.error < 1e-10)
True
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from reptheory._numerics.tolerance import relative_error, tolerance
from reptheory.decomposition._finite import _residual
from reptheory.decomposition.core import Decomposition, IsotypicComponent
from reptheory.decomposition.irreps.permutation_group import canonical_copy, split_copies
from reptheory.errors import DecompositionError, InvalidArgumentError
from reptheory.groups.permutation import PermutationGroup
from reptheory.reps.representation import Representation

__all__ = ["decompose_permutation_group"]

_DEFAULT_SEED = 0


def decompose_permutation_group(rep: Representation, *, rng: Any = None) -> Decomposition:
    """Decompose a real orthogonal representation of a PermutationGroup (see the module docstring).

    Parameters
    ----------
    rep : Representation
        Of a [`PermutationGroup`][reptheory.groups.permutation.PermutationGroup], with real images.  A
        non-orthogonal ρ is made orthogonal first (``rep.orthogonalize()``, from the generators) and
        ``Q`` pulled back (then only invertible, ``info["orthogonal"] = False``).
    rng : numpy.random.Generator, int or None
        Source of the random commutant elements (``None``: a fixed seed).

    Returns
    -------
    Decomposition
        ``method = "commutant+characters"``; ``info`` holds the multiplicities, the Hom route
        and the dimension of the commutant.

    Raises
    ------
    InvalidArgumentError
        ``rep`` is not a representation of a PermutationGroup, or has complex images.
    DecompositionError
        The split of the commutant disagrees with the character inner products, or verification fails.

    Examples
    --------
    >>> from reptheory import Representation
    >>> from reptheory.groups import permutation_group
    >>> S5 = permutation_group([[1, 2, 3, 4, 0], [1, 0, 2, 3, 4]])
    >>> decompose_permutation_group(Representation.defining(S5)).multiplicities
    {'trivial': 1, 'chi2': 1}
    """
    if not isinstance(rep, Representation) or not isinstance(rep.group, PermutationGroup):
        raise InvalidArgumentError(
            f"decompose_permutation_group: rep must be a Representation of a PermutationGroup, got {rep!r:.80}")
    if rep.is_complex:
        raise InvalidArgumentError(f"decompose: rep={rep.name!r} has complex images; a real representation is needed")
    if not rep.is_orthogonal():
        # Weyl's trick from the generators (reps.permutation_group): decompose σ = Lᵀ ρ L⁻ᵀ, pull Q back
        work, Lt = rep.orthogonalize()
        inner = decompose_permutation_group(work, rng=rng)
        Q = np.linalg.solve(Lt, inner.Q)
        err = _residual(rep, list(inner.components), Q)
        if err > tolerance(np.float64).rtol * max(1.0, math.sqrt(rep.dim)) * max(1.0, float(np.linalg.cond(Lt))):
            raise DecompositionError(f"decomposition of {rep.name} failed verification after Weyl's trick: {err:.3g}")
        return Decomposition(rep=rep, components=inner.components, Q=Q, error=err, method=inner.method,
                             info={**inner.info, "orthogonal": False})
    gen = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(_DEFAULT_SEED if rng is None else rng)
    from reptheory.hom.space import intertwiners  # hom comes after decomposition: imported where used

    space = intertwiners(rep, rep, method="orbit" if rep.monomial is not None else "constraints")
    T, _mult, found = split_copies(rep, gen, space)
    d = rep.dim
    blocks: list[np.ndarray] = []
    comps: list[IsotypicComponent] = []
    start = 0
    for k in range(len(T.real_rows())):
        Ws = found.get(k)
        if not Ws:
            continue
        psi, Y = canonical_copy(rep, k, Ws[0], gen)  # the group's stored matrices of this character
        blocks.extend(W @ Y for W in Ws)
        comps.append(IsotypicComponent(psi, len(Ws), start, start + len(Ws) * psi.dim))
        start += len(Ws) * psi.dim
    Q = np.concatenate(blocks, axis=1) if blocks else np.zeros((d, 0))
    tol = tolerance(np.float64).rtol * max(1.0, math.sqrt(d))
    orth_err = relative_error(Q.T @ Q, np.eye(Q.shape[1]))
    err = _residual(rep, comps, Q)
    if orth_err > tol or err > tol:
        raise DecompositionError(
            f"decomposition of {rep.name} failed verification: orthogonality {orth_err:.3g}, residual {err:.3g} > {tol:.3g}")
    return Decomposition(
        rep=rep, components=tuple(comps), Q=Q, error=err, method="commutant+characters",
        info={"orthogonal": True, "orthogonality_error": orth_err, "multiplicities": {c.label: c.multiplicity for c in comps},
              "monomial": rep.monomial is not None, "hom_method": space.method, "commutant_dim": space.dim},
    )
