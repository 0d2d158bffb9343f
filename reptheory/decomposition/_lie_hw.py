"""Decomposition by highest weights for U(n), SU(n), Sp(n), SO(n), O(n) (docs/explanation/lie-groups.md#highest-weights).

For a unitary (orthogonal) representation ρ with Lie-algebra images ``dρ(X_a)``:

1. **Weights.** The torus generators ``dρ(H_j)`` commute; one ``eigh`` of a generic real
   combination of ``−i dρ(H_j)`` gives the weight spaces ``W_μ``.
2. **Highest-weight vectors.** In each ``W_μ`` the common kernel of the raising operators
   ``dρ(E_α)`` (simple roots α) is the space of highest-weight vectors of weight μ; its dimension
   is the multiplicity of the complex irrep ``V_μ``.
3. **Copies.** For each orthonormal highest-weight vector u the intertwiner Φ with
   ``Φ v_μ = u`` (``v_μ`` the catalogue irrep's highest-weight vector) is found by a Krylov sweep
   over the generators applied to ``(v_μ, u)`` together; orthonormal seeds give orthonormal
   copies (Schur's lemma).

Complex representations (and every representation of U(n), SU(n), Sp(n)) are decomposed over ℂ
into the complex catalogue irreps, with a unitary ``Q``.  Real representations of SO(n), O(n)
are decomposed over ℝ into the real catalogue irreps with an orthogonal ``Q``: for irreps of real
type the real and imaginary parts of the complex intertwiners span the real ones; for the
complex-type irreps of SO(4k+2) each copy is seeded by ``(v, v̄) ↦ (u, ū)``; for O(n) the
highest-weight vectors are split by the reflection's eigenvalue (``[λ]`` versus ``[λ] ⊗ det``),
and the reflection joins the Krylov sweep.

The real form is reported beside a complex decomposition (``info["real_form"]``): a self-dual
``λ`` of real type, a pair ``λ ⊕ λ*`` (complex type, one real irrep of twice the dimension), or a
quaternionic ``λ`` (two complex copies make one real irrep).

Examples
--------
>>> from reptheory.groups.classical import SU
>>> V = SU(3).defining_representation()
>>> (V @ V.dual()).decompose().multiplicities
{'(0,0,0)': 1, '(2,1,0)': 1}
"""

from __future__ import annotations

from typing import Any

import numpy as np

from reptheory.errors import DecompositionError

__all__ = ["decompose_highest_weight", "real_form_report"]


def _krylov(psi_ops: list[np.ndarray], E0: np.ndarray, ops: list[np.ndarray], R0: np.ndarray) -> np.ndarray:
    """Φ_c (shape (m, n, dψ)) with ``Φ_c E0 = R0[c]`` and ``ops_k Φ_c = Φ_c psi_ops_k`` for every c.

    The ψ side ``E0`` (dψ × p) and the m seeds ``R0`` (m × n × p) are grown together by the same
    operators and the same column operations (ψ side re-orthonormalised), until the ψ side spans
    ``ℂ^{dψ}``; then ``Φ_c = R_c Aᴴ``.
    """
    dpsi = psi_ops[0].shape[-1] if psi_ops else E0.shape[0]
    A, R = E0, R0
    for _ in range(4 * dpsi + 4):
        if A.shape[1] == dpsi:
            break
        An = np.concatenate([A] + [P @ A for P in psi_ops], axis=1)
        Rn = np.concatenate([R] + [np.matmul(P, R) for P in ops], axis=2)
        Uq, s, Vh = np.linalg.svd(An, full_matrices=False)
        r = int((s > 1e-10 * s[0]).sum())
        T = Vh[:r].conj().T / s[:r]
        A, R = Uq[:, :r], Rn @ T
    if A.shape[1] != dpsi:
        raise DecompositionError("the highest-weight vector does not generate the irrep (internal error)")
    return R @ A.conj().T


def _associated(G: Any, lab: tuple[int, ...]) -> tuple[int, ...]:
    """O(n): the associated partition (first column ``n − λ'_1``), the label of ``[λ] ⊗ det``."""
    n = G.params[0]
    part = [p for p in lab if p > 0]
    cols = [sum(1 for p in part if p > c) for c in range(part[0])] if part else []
    cols = [n - (cols[0] if cols else 0)] + cols[1:]
    out = [sum(1 for c in cols if c > i) for i in range(n)]
    return tuple(out)


def _parity(psi: Any) -> float:
    e = psi.meta["highest_weight_vector"]
    return float(np.real(np.vdot(e, psi.images[0] @ e) / np.vdot(e, e)))


def decompose_highest_weight(rep: Any) -> tuple[np.ndarray, list[tuple[Any, int]], dict[str, Any]]:
    """``(Q, [(irrep, multiplicity)], info)`` for a unitary/orthogonal ``rep`` (see the module docstring)."""
    from reptheory.decomposition.irreps.highest_weight import (
        highest_weight_vectors,
        hw_irrep,
        label_of_torus_weight,
        weight_key,
    )

    G = rep.group
    kind = G.kind
    real_mode = (not rep.is_complex) and kind in ("SO", "O")
    from reptheory.decomposition.irreps.highest_weight import root_data

    A = rep.algebra.astype(complex)
    S = rep.images.astype(complex)
    rd = root_data(G)
    # the lowering operators generate an irrep from its highest-weight vector (with the reflection: O(n));
    # the complex-type real irreps also need the raising ones (from the conjugate, a lowest-weight vector)
    lower = list(np.tensordot(rd.lowering, A, axes=1)) + list(S)
    both = lower + list(np.tensordot(rd.raising, A, axes=1))
    n_even = kind in ("SO", "O") and G.params[0] % 2 == 0
    r_odd = n_even and (G.params[0] // 2) % 2 == 1
    found: list[tuple[Any, Any, np.ndarray]] = []  # (key, psi, columns)
    for mu, U in highest_weight_vectors(G, A):
        lab = label_of_torus_weight(G, mu)
        if kind == "O" and lab[-1] < 0:
            continue  # the same O(n) irrep as (…, +λ_r), reached through the reflection
        if real_mode and r_odd and kind == "SO" and lab[-1] < 0:
            continue  # the conjugate of (…, +λ_r): the same real irrep
        groups: list[tuple[Any, np.ndarray]] = []
        if kind == "O":
            padded = lab + (0,) * (G.params[0] - len(lab))
            psi = hw_irrep(G, padded)
            if G.params[0] % 2 == 1 or lab[-1] == 0:
                P = U.conj().T @ S[0] @ U
                w, V = np.linalg.eigh((P + P.conj().T) / 2)
                if np.abs(np.abs(w) - 1).max(initial=0) > 1e-6:
                    raise DecompositionError("the reflection does not act as ±1 on highest-weight vectors")
                eps = _parity(psi)
                for sgn, p in ((1, psi), (-1, hw_irrep(G, _associated(G, padded)))):
                    sel = U @ V[:, (w * eps * sgn) > 0]
                    if sel.shape[1]:
                        groups.append((p, sel))
            else:
                groups.append((psi, U))
        elif kind == "SO":
            groups.append((hw_irrep(G, lab, complex_form=not real_mode), U))
        else:
            groups.append((hw_irrep(G, lab), U))
        for psi, Useeds in groups:
            e = psi.meta["highest_weight_vector"]
            e = e / np.linalg.norm(e)
            pa = psi.algebra.astype(complex)
            p_lower = list(np.tensordot(rd.lowering, pa, axes=1)) + list(psi.images.astype(complex))
            cols: list[np.ndarray] = []
            seeds = Useeds.T[:, :, None]  # (m, n, 1)
            if real_mode and psi.real_type == "C":
                p_both = p_lower + list(np.tensordot(rd.raising, pa, axes=1))
                E0 = np.stack([e, e.conj()], 1)
                cols.extend(P.real for P in _krylov(p_both, E0, both, np.concatenate([seeds, seeds.conj()], axis=2)))
            else:
                Phis: list[np.ndarray] = list(_krylov(p_lower, e[:, None], lower, seeds))
                if real_mode:
                    Xs = [x for P in Phis for x in (P.real, P.imag)]
                    flat = np.stack([x.ravel() for x in Xs])
                    Gm = flat @ flat.T / psi.dim
                    w, V = np.linalg.eigh(Gm)
                    keep = w > 1e-6 * max(1.0, float(w.max(initial=0)))
                    if int(keep.sum()) != len(Phis):
                        raise DecompositionError(f"real intertwiners of {psi.label}: rank {int(keep.sum())}, "
                                                 f"expected {len(Phis)}")
                    for k in np.nonzero(keep)[0]:
                        cols.append(np.tensordot(V[:, k], np.stack(Xs), axes=1) / np.sqrt(w[k]))
                else:
                    cols.extend(Phis)
            found.append((weight_key(G, tuple(int(x) for x in str(psi.label).rstrip("c").strip("()").split(","))),
                          psi, np.concatenate(cols, axis=1)))
    found.sort(key=lambda t: t[0])
    comps: list[tuple[Any, int]] = []
    blocks = []
    for _key, psi, C in found:
        m = C.shape[1] // psi.dim
        if comps and comps[-1][0] is psi:
            comps[-1] = (psi, comps[-1][1] + m)
        else:
            comps.append((psi, m))
        blocks.append(C)
    d = rep.dim
    Q = np.concatenate(blocks, axis=1) if blocks else np.zeros((d, 0))
    if Q.shape[1] != d:
        raise DecompositionError(f"the highest-weight vectors account for {Q.shape[1]} of {d} dimensions: "
                                 f"not a (tensor) representation of {G.name}, or not unitary")
    if real_mode:
        Q = np.ascontiguousarray(Q.real)
    info: dict[str, Any] = {"field": "R" if real_mode else "C"}
    if not real_mode:
        info["real_form"] = real_form_report(G, comps, real=not rep.is_complex)
    return Q, comps, info


def real_form_report(G: Any, comps: list[tuple[Any, int]], *, real: bool) -> tuple[str, ...]:
    """How the complex components pair into real irreps (one line per real isotype).

    ``R``: a self-dual λ of real type is the complexification of a real irrep of the same
    dimension; ``C``: λ and its dual λ* (≠ λ) together are one real irrep of dimension
    ``2 dim λ``; ``H``: a quaternionic λ, two copies of which make one real irrep of dimension
    ``2 dim λ``.  For a real representation the multiplicities of the real irreps follow
    (λ and λ* occur equally often; quaternionic λ an even number of times).

    Examples
    --------
    >>> from reptheory.groups.classical import SU
    >>> V = SU(3).defining_representation()
    >>> real_form_report(SU(3), [(SU(3).irrep((1, 0, 0)), 1)], real=False)
    ('(1,0,0) ⊕ (1,1,0): complex type, one real irrep of dimension 6 (multiplicity 1 here, dual 0)',)
    """
    mult = {str(psi.label): m for psi, m in comps}
    done: set[str] = set()
    out = []
    for psi, m in comps:
        lab = str(psi.label)
        if lab in done:
            continue
        done.add(lab)
        dual = _dual_text(G, psi)
        rt = psi.real_type
        if rt == "C" and dual != lab:
            done.add(dual)
            m2 = mult.get(dual, 0)
            what = "real" if real else "here"
            out.append(f"{lab} ⊕ {dual}: complex type, one real irrep of dimension {2 * psi.dim} "
                       f"(multiplicity {min(m, m2) if real else m} {what}, dual {m2})")
        elif rt == "H":
            mtext = f"real multiplicity {m / 2:g}" if real else f"multiplicity {m} here"
            out.append(f"{lab}: quaternionic type, two copies make one real irrep of dimension {2 * psi.dim} "
                       f"({mtext})")
        else:
            out.append(f"{lab}: real type, the complexification of a real irrep of dimension {psi.dim} "
                       f"(multiplicity {m})")
    return tuple(out)


def _dual_text(G: Any, psi: Any) -> str:
    """The dual's label: from the irrep's meta, or U(1)/SO(2) charges ``q ↔ −q``; otherwise self-dual."""
    lab = str(psi.label)
    if "dual" in psi.meta:
        return str(psi.meta["dual"])
    if G.kind == "U1":
        return str(-int(lab))
    if G.kind == "SO" and G.params[0] == 2 and lab.endswith("c"):
        return f"{-int(lab[:-1])}c"
    return lab
