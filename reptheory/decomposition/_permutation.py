"""Decomposition of a representation of a permutation group that is never enumerated.

`decompose_permutation_group` (reached through ``rep.decompose()`` for a representation of a
[`PermutationGroup`][reptheory.groups.permutation.PermutationGroup]) returns a
[`Decomposition`][reptheory.decomposition.Decomposition] of the same shape as the finite route:

$$
ρ(g)\\, Q = Q \\bigoplus_ψ (I_{m_ψ} ⊗ ψ(g)),
$$

with real irreducible ψ (labels ``chi<i>`` or ``chi<i>+chi<j>`` of the rows of
``G.character_table()``, types R/C/H) split off ρ itself, and orthogonal ``Q``.  Memory is
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
6. **Verify** ``‖Qᵀ Q − I‖`` and ``max_s ‖ρ(s) Q − Q D(s)‖``.

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
from reptheory.decomposition._finite import _multiplicities, _residual
from reptheory.decomposition.core import Decomposition, IsotypicComponent
from reptheory.decomposition.irreps.finite import _real_label
from reptheory.decomposition.irreps.from_representation import RESTRICTION, _apply
from reptheory.errors import DecompositionError, InvalidArgumentError
from reptheory.groups.permutation import PermutationGroup
from reptheory.reps.permutation_group import class_character
from reptheory.reps.representation import Representation

__all__ = ["decompose_permutation_group"]

_DEFAULT_SEED = 0
#: Random commutant elements tried before two merged eigenvalues are taken for a failure.
_ATTEMPTS = 6


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
    G = rep.group
    T = G.character_table()
    rows_all = T.real_rows()
    chi = np.asarray(class_character(rep))
    if np.abs(np.imag(chi)).max(initial=0.0) > 1e-8 * max(1, rep.dim):
        raise DecompositionError(f"the character of {rep.name} is not real: the images are not a real representation")
    mult = _multiplicities(rep, T, np.real(chi))
    refs = np.stack([T.real_character(rows) for rows in rows_all])
    from reptheory.hom.space import intertwiners  # hom comes after decomposition: imported where used

    space = intertwiners(rep, rep, method="orbit" if rep.monomial is not None else "constraints")
    d = rep.dim
    found: dict[int, list[np.ndarray]] = {}
    for attempt in range(_ATTEMPTS):
        copies = _eigen_copies(_random_element(space, gen, d))
        chars = np.real(class_character(rep, copies))
        found = {}
        ok = True
        for W, ch in zip(copies, chars, strict=True):
            err = np.abs(refs - ch[None, :]).max(axis=1)
            k = int(np.argmin(err))
            if err[k] > 1e-6 * max(1.0, float(refs[k, 0])):
                ok = False  # two copies met in one eigenspace (probability zero): draw again
                break
            found.setdefault(k, []).append(W)
        if ok:
            break
        if attempt == _ATTEMPTS - 1:
            raise DecompositionError(f"could not split the commutant of {rep.name} into irreducible copies")
    counts = np.array([len(found.get(k, [])) for k in range(len(rows_all))])
    if not np.array_equal(counts, mult):
        bad = int(np.flatnonzero(counts != mult)[0])
        raise DecompositionError(
            f"decomposition of {rep.name}: the commutant splits off {counts[bad]} copies of "
            f"{_real_label(rows_all[bad])} but the character inner product gives multiplicity {mult[bad]}")
    X = _random_element(space, gen, d)
    blocks, comps, start = [], [], 0
    for k in range(len(rows_all)):
        Ws = found.get(k)
        if not Ws:
            continue
        W1 = Ws[0]
        aligned = [W1]
        for Wj in Ws[1:]:
            Y = Wj.T @ X @ W1
            a = float(np.trace(Y.T @ Y)) / W1.shape[1]
            if a <= 1e-20 or relative_error(Y.T @ Y, a * np.eye(W1.shape[1])) > 1e-8:
                raise DecompositionError(f"copies of {_real_label(rows_all[k])} in {rep.name} could not be aligned")
            aligned.append(Wj @ (Y / math.sqrt(a)))
        images = np.stack([W1.T @ _apply(rep, j, W1) for j in range(rep.images.shape[0])])
        label = _real_label(rows_all[k])
        psi = Representation(G, images, name=label, label=label, real_type=str(T.real_types[rows_all[k][0]]),
                             meta={"characters": rows_all[k], "split_from": rep.name, "verified": RESTRICTION})
        object.__setattr__(psi, "components", ((psi, 1),))
        blocks.extend(aligned)
        comps.append(IsotypicComponent(psi, len(Ws), start, start + len(Ws) * W1.shape[1]))
        start += len(Ws) * W1.shape[1]
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


def _random_element(space: Any, rng: np.random.Generator, d: int) -> np.ndarray:
    """A random element of ``End_G(ρ)``: random values per orbit (orbit route) or a random basis combination."""
    P = space._structured
    if getattr(P, "kind", None) == "orbit":
        r = rng.standard_normal(P.n_orbits + 1)[P.labels] * P.signs  # label −1 (forced zero) has sign 0
        return np.asarray(r.reshape(d, d))
    B = space.basis
    return np.tensordot(rng.standard_normal(B.shape[0]), B, axes=1)


def _eigen_copies(X: np.ndarray) -> list[np.ndarray]:
    """Orthonormal bases of the eigenspaces of ``X + Xᵀ`` (eigenvalues grouped by a relative gap)."""
    lam, V = np.linalg.eigh(X + X.T)
    spread = max(1.0, float(np.abs(lam).max(initial=0.0)))
    parts = np.split(np.arange(lam.size), np.flatnonzero(np.diff(lam) > 1e-7 * spread) + 1)
    return [V[:, p] for p in parts if p.size]

