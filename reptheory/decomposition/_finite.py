"""Decomposition of a real representation of a finite group into the canonical real irreps.

`decompose_finite` (reached through ``rep.decompose()``) returns a
[`Decomposition`][reptheory.decomposition.Decomposition] with

$$
ρ(g)\\, Q = Q \\bigoplus_ψ (I_{m_ψ} ⊗ ψ(g)),
$$

where the ψ are **exactly** the matrices of ``G.irreps()`` (in that order,
copies outer), and ``Q`` is orthogonal when ρ is.  For groups above the
regular-representation limit without closed forms, the ψ occurring in ρ are split off ρ
itself and cached per group ([`reptheory.decomposition.irreps.from_representation`][reptheory.decomposition.irreps.from_representation]).

Algorithm
---------
1. **Multiplicities from characters** (docs/explanation/projector.md#characters): ``m_ψ = ⟨χ_ρ, χ_ψ⟩ / ⟨χ_ψ, χ_ψ⟩``,
   verified to be non-negative integers with ``Σ m_ψ dim ψ = dim ρ``.
2. **Intertwiners by the Reynolds operator on** ``Hom(ψ, ρ)``: for random
   ``A ∈ R^{d × d_ψ}``, ``T = (1/|G|) Σ_g ρ(g) A ψ(g)ᵀ`` lies in ``Hom_G(ψ, ρ)``
   (dimension ``m_ψ e_ψ``).  For orthogonal ρ and ψ every such ``T`` satisfies
   ``Tᵀ T = a I`` (``Tᵀ T`` is a symmetric element of ``End_G(ψ) = span{E_u}``,
   whose non-identity basis elements are antisymmetric), so ``T / √a`` is an
   isometric intertwiner onto one copy, carrying exactly ψ's matrices.  All
   ``m_ψ`` random maps are projected with one matrix product
   (``(d × |G| d) · (|G| d × m_ψ d_ψ)``).  For monomial ρ (permutation, signed
   permutation and regular representations) the maps are ``A = e_{i₀} aᵀ`` with
   one point ``i₀`` per orbit: ``T = (1/|G|) Σ_g c_g(i₀) e_{g·i₀} (ψ(g) a)ᵀ``
   costs ``O(|G| d_ψ²)``, and by Frobenius reciprocity such maps span
   ``Hom_G(ψ, span(orbit))``; the dense route is the fallback.
3. **Orthonormalise over the division algebra**: copy ``j`` is made orthogonal to
   ``T_i E_u`` for all earlier copies ``i`` and all commutant basis elements
   ``E_u`` of ψ (``⟨T_i E_u, T_j⟩ = 0`` ⇔ ``T_iᵀ T_j = 0``), twice for stability.
   Different isotypic components are orthogonal automatically.
4. **Verify**: ``error = max_s ‖ρ(s) Q − Q D(s)‖ / max(1, ‖ρ(s)‖)`` over generators
   and ``‖Qᵀ Q − I‖``; failure raises [`DecompositionError`][reptheory.errors.DecompositionError].

A non-orthogonal ρ is first made orthogonal by Weyl's trick
(``σ = L ρ L⁻¹`` with ``L`` from [`Representation.orthogonalize`][reptheory.reps.representation.Representation.orthogonalize]); the
decomposition of σ is pulled back, ``Q = L⁻¹ Q_σ``, which is then only invertible
(``info["orthogonal"] = False``).

Examples
--------
>>> import numpy as np
>>> from reptheory import groups, Representation
>>> G = groups.dihedral(6)
>>> R = (Representation.regular(G) * 2)
>>> dec = decompose_finite(R)
>>> dec.multiplicities
{'trivial': 2, 'chi1': 2, 'chi2': 2, 'chi3': 2, 'chi4': 4, 'chi5': 4}
>>> bool(dec.error < 1e-12)
True
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import connected_components

from reptheory._numerics.tolerance import relative_error, tolerance
from reptheory.characters.table import character_table
from reptheory.decomposition.core import Decomposition, IsotypicComponent
from reptheory.decomposition.irreps.from_representation import irreps_within
from reptheory.errors import DecompositionError, InvalidArgumentError
from reptheory.groups.finite import FiniteGroup
from reptheory.reps.representation import Representation

__all__ = ["decompose_finite"]

_DEFAULT_SEED = 0


def _character(rep: Representation, mats: np.ndarray | None = None) -> np.ndarray:
    if mats is not None:
        reps_ = rep.group.class_representatives
        return np.trace(mats[reps_], axis1=1, axis2=2)
    return np.asarray(rep.character())


def _multiplicities(rep: Representation, T: Any, chi: np.ndarray) -> np.ndarray:
    G = rep.group
    rows = T.real_rows()
    n = G.order
    sizes = T.class_sizes
    out = []
    for grp in rows:
        ref = T.real_character(grp)
        norm = (sizes * ref * ref).sum() / n
        m_f = float(np.real((sizes * chi * ref).sum()) / n / norm)
        m = round(m_f)
        if abs(m_f - m) > 1e-6 * max(1.0, abs(m_f)) or m < 0:
            raise DecompositionError(
                f"multiplicity of an irrep of {G.name} in {rep.name} is {m_f:.6g}, not a non-negative integer "
                "(is the representation a homomorphism?)"
            )
        out.append(m)
    mult = np.asarray(out, dtype=np.int64)
    dims = [round(float(T.real_character(grp)[0])) for grp in rows]  # class 0 is the identity
    total = int(sum(m * dp for m, dp in zip(mult.tolist(), dims, strict=True)))
    if total != rep.dim:
        raise DecompositionError(
            f"multiplicities of {rep.name} account for dimension {total}, but the representation has dimension {rep.dim}"
        )
    return mult


def decompose_finite(rep: Representation, *, rng: Any = None) -> Decomposition:
    """Decompose a real representation of a finite group (see the module docstring).

    Parameters
    ----------
    rep : Representation
        Real (float) images; orthogonal or not.
    rng : numpy.random.Generator, int or None
        Source of the random maps (``None``: a fixed seed, so results are reproducible).

    Returns
    -------
    Decomposition
        ``method = "characters+reynolds"``; ``info`` holds ``orthogonal``,
        ``orthogonality_error`` and the multiplicities.

    Raises
    ------
    InvalidArgumentError
        ``rep`` is not a representation of a finite group, or has complex images.
    DecompositionError
        Multiplicities are not integers (ρ is not a homomorphism) or the result fails verification.
    TooLargeError
        ``|G| · d²`` exceeds the limit for materialising all images (dense, non-monomial ρ).

    Notes
    -----
    Cost: ``O(|G| d³)`` flops for a dense ρ of dimension d (one GEMM per irrep type,
    ``Σ_ψ m_ψ d_ψ = d`` columns in total), ``O(|G| d · d_ψ)`` per type for a monomial ρ,
    plus ``O(|G| Σ d_ψ³)`` for the irreps' images.  Memory ``O(|G| d²)``.

    Examples
    --------
    >>> import numpy as np
    >>> from reptheory import groups, Representation
    >>> G = groups.cyclic(4)
    >>> R = Representation.regular(G)
    >>> dec = decompose_finite(R)
    >>> [(c.label, c.multiplicity, c.irrep.dim) for c in dec.components]
    [('trivial', 1, 1), ('chi1', 1, 1), ('chi2+chi3', 1, 2)]
    >>> D = dec.block_matrix(1)
    >>> bool(np.allclose(R.matrix(1) @ dec.Q, dec.Q @ D))
    True
    """
    if not isinstance(rep, Representation) or not isinstance(rep.group, FiniteGroup):
        raise InvalidArgumentError(
            f"decompose_finite: rep must be a Representation of a finite group, got {type(rep).__name__}"
        )
    if rep.is_complex:
        raise InvalidArgumentError(
            f"decompose_finite: {rep.name} has complex images; decomposition into real irreps needs a real representation"
        )
    gen = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(_DEFAULT_SEED if rng is None else rng)
    G = rep.group
    T = character_table(G)
    orthogonal = rep.is_orthogonal()
    work = rep
    Lt = None
    if not orthogonal:
        work, Lt = rep.orthogonalize()
    P = C = mats = None
    orbit_reps: list[int] = []
    if work.monomial is not None:
        P, C = work._monomial_all()
        chi = np.asarray(work.character())
        perm = work.monomial[0]
        k_gen, dd = perm.shape
        graph = coo_matrix(
            (np.ones(k_gen * dd), (np.tile(np.arange(dd), k_gen), perm.ravel())), shape=(dd, dd)
        )
        _, lab = connected_components(graph, directed=True, connection="weak")
        _, first = np.unique(lab, return_index=True)
        orbit_reps = sorted(first.tolist())
    else:
        mats = work.matrices()
        chi = _character(work, mats)
    mult = _multiplicities(rep, T, chi)
    irreps = irreps_within(work, mult, gen)  # G.irreps(), or those in rep split off it (large groups)
    d = rep.dim
    n = G.order
    psi_images = _irrep_images(G, [psi for psi, m in zip(irreps, mult.tolist(), strict=True) if m and psi is not None])
    # orbit rows, and g -> e_{g i0} with coefficient c_g(i0) on those rows, shape (|orbit|, |G|)
    orbit_maps: dict[int, tuple[np.ndarray, csr_matrix]] = {}
    blocks = []
    comps = []
    start = 0
    for psi, m in zip(irreps, mult.tolist(), strict=True):
        if m == 0 or psi is None:
            continue
        dp = psi.dim
        E = psi.meta.get("commutant_basis")
        if E is None:
            E = np.eye(dp)[None]
        psi_all = psi_images[str(psi.label)]
        Ts: list[np.ndarray] = []
        if P is not None and C is not None:
            # monomial: maps from one point per orbit (a e_{i0} a^T) already span Hom_G(psi, span(orbit)).
            # Different orbits have disjoint supports, so their copies are exactly orthogonal:
            # Gram-Schmidt runs per orbit, on the orbit's rows only (O(sum m_orbit^2) instead of O(m^2 d)).
            psi_flat = psi_all.reshape(n * dp, dp)
            for i0 in orbit_reps:
                if len(Ts) >= m:
                    break
                hit = orbit_maps.get(i0)
                if hit is None:
                    rows = np.unique(P[:, i0])
                    loc = np.searchsorted(rows, P[:, i0])
                    hit = orbit_maps[i0] = (rows, csr_matrix((C[:, i0], (loc, np.arange(n))), shape=(rows.size, n)))
                rows, S = hit
                local = _CopyBasis(E)
                while len(Ts) < m:
                    q = min(max(1, dp // E.shape[0]), m - len(Ts))
                    a = gen.standard_normal((dp, q))
                    Z = (S @ (psi_flat @ a).reshape(n, dp * q)).reshape(rows.size, dp, q) / n
                    new_copies = local.offer(Z, np.einsum("ij,ij->j", a, a), m - len(Ts))
                    for copy in new_copies:
                        full = np.zeros((d, dp))
                        full[rows] = copy
                        Ts.append(full)
                    if not new_copies:
                        break
        attempts = 0
        basis: _CopyBasis | None = None
        while len(Ts) < m:
            attempts += 1
            if attempts > 5:
                raise DecompositionError(f"could not find {m} independent copies of {psi.label} in {rep.name}")
            if basis is None:
                basis = _CopyBasis(E, Ts)
            k = m - len(Ts)
            A = gen.standard_normal((d, k, dp))
            Z = _reynolds_hom(mats, P, C, A, psi_all, d) / n
            Ts.extend(basis.offer(Z.reshape(d, k, dp).transpose(0, 2, 1), np.einsum("ijk,ijk->j", A, A), k))
        Qpsi = np.concatenate(Ts, axis=1)
        blocks.append(Qpsi)
        comps.append(IsotypicComponent(psi, m, start, start + m * dp))
        start += m * dp
    Q = np.concatenate(blocks, axis=1) if blocks else np.zeros((d, 0))
    orth_err = _orthogonality_error(Q)
    tol = tolerance(np.float64).rtol * max(1.0, math.sqrt(d))
    if orth_err > tol:
        raise DecompositionError(f"decomposition of {rep.name}: Q is not orthogonal (error {orth_err:.3g})")
    if Lt is not None:
        Q = np.linalg.solve(Lt, Q)
    err = _residual(rep, comps, Q)
    if err > tol:
        raise DecompositionError(f"decomposition of {rep.name} failed verification: residual {err:.3g} > {tol:.3g}")
    return Decomposition(
        rep=rep,
        components=tuple(comps),
        Q=Q,
        error=err,
        method="characters+reynolds",
        info={
            "orthogonal": orthogonal,
            "orthogonality_error": orth_err,
            "multiplicities": {c.label: c.multiplicity for c in comps},
            "monomial": P is not None,
        },
    )


def _orthogonality_error(Q: np.ndarray) -> float:
    """``‖QᵀQ − I‖_F / max(1, √d)``: exactly up to d = 1024, else estimated from 8 Gaussian probes.

    For Gaussian ``x``, ``E ‖A x‖² = ‖A‖_F²``, so 8 probes estimate the Frobenius norm
    within a small factor at ``O(d²)`` cost instead of the ``O(d³)`` Gram matrix.
    """
    d = Q.shape[1]
    if d <= 1024:
        return relative_error(Q.T @ Q, np.eye(d))
    X = np.random.default_rng(0).standard_normal((d, 8))
    R = Q.T @ (Q @ X) - X
    return float(np.sqrt((R * R).sum() / 8)) / max(1.0, math.sqrt(d))


#: Numbers held by one batch of all-element irrep images in `_irrep_images`.
_IMAGE_BATCH = 8_000_000


def _irrep_images(G: FiniteGroup, irreps: list[Representation]) -> dict[str, np.ndarray]:
    """Images of all elements for each irrep, computed in batches of equal dimension.

    One tree walk per batch (`tree_images`)
    instead of one per irrep; batches are capped at `_IMAGE_BATCH` numbers.
    """
    out: dict[str, np.ndarray] = {}
    by_dim: dict[int, list[Representation]] = {}
    for psi in irreps:
        by_dim.setdefault(psi.dim, []).append(psi)
    for dp, reps in by_dim.items():
        step = max(1, _IMAGE_BATCH // max(1, G.order * dp * dp))
        for lo in range(0, len(reps), step):
            chunk = reps[lo : lo + step]
            allm = G._enumeration.tree_images(np.stack([p.images for p in chunk]))
            for p, m in zip(chunk, allm, strict=True):
                out[str(p.label)] = m
    return out


#: Candidates orthogonalised together against the accepted copies (one GEMM per chunk).
_COPY_CHUNK = 32


class _CopyBasis:
    """Accepted copies S of one irrep, kept with the flattened ``S E_u`` as orthonormal columns.

    A candidate T (shape ``(rows, d_ψ)``) is orthogonalised (twice, classical Gram-Schmidt as GEMMs)
    against all accepted ``S E_u`` under ``⟨X, Y⟩ = tr(XᵀY) / d_ψ``, then against the copies accepted
    earlier in its chunk, and kept when its norm survives.  The chunked form costs
    ``O(m² · rows · d_ψ)`` flops in BLAS calls instead of ``O(m²)`` Python-level vector updates.
    """

    def __init__(self, E: np.ndarray, accepted: list[np.ndarray] | None = None) -> None:
        self.E = E
        cols = [(S @ Eu).ravel() for S in accepted or [] for Eu in E]
        self.B: np.ndarray | None = np.stack(cols, axis=1) if cols else None

    def offer(self, Z: np.ndarray, scales: np.ndarray, limit: int) -> list[np.ndarray]:
        """Accept at most ``limit`` of the candidates ``Z[:, :, j]``; return the new copies (normalised).

        ``scales[j]`` is ``‖A_j‖²`` of the random map projected to ``Z[:, :, j]``: a non-zero projection
        has ``‖T‖² = ⟨A, T⟩`` of order ``‖A‖² / d²`` at least, an empty one is rounding noise.
        """
        rows, dp, q = Z.shape
        out: list[np.ndarray] = []
        for lo in range(0, q, _COPY_CHUNK):
            if len(out) >= limit:
                break
            flat = Z[:, :, lo : lo + _COPY_CHUNK].reshape(rows * dp, -1)
            before = np.einsum("ij,ij->j", flat, flat) / dp
            keep = before > 1e-20 * np.asarray(scales[lo : lo + _COPY_CHUNK], dtype=float)
            flat, before = flat[:, keep], before[keep]
            if self.B is not None and flat.shape[1]:
                for _ in range(2):
                    flat = flat - self.B @ (self.B.T @ flat) / dp
            new_cols: list[np.ndarray] = []
            for j in range(flat.shape[1]):
                if len(out) >= limit:
                    break
                t = flat[:, j]
                for _ in range(2):
                    for c in new_cols:
                        t = t - c * (float(c @ t) / dp)
                nrm2 = float(t @ t) / dp
                if nrm2 <= 1e-16 * before[j]:
                    continue
                T = (t / math.sqrt(nrm2)).reshape(rows, dp)
                out.append(T)
                new_cols.extend((T @ Eu).ravel() for Eu in self.E)
            if new_cols:
                add = np.stack(new_cols, axis=1)
                self.B = add if self.B is None else np.concatenate([self.B, add], axis=1)
        return out


def _reynolds_hom(
    mats: np.ndarray | None,
    P: np.ndarray | None,
    C: np.ndarray | None,
    A: np.ndarray,
    psi_all: np.ndarray,
    d: int,
) -> np.ndarray:
    """``Σ_g ρ(g) A_j ψ(g)ᵀ`` for every copy j, shape (d, k·d_ψ); chunked over g to bound memory."""
    n, dp = psi_all.shape[0], psi_all.shape[1]
    k = A.shape[1]
    Z = np.zeros((d, k * dp))
    chunk = max(1, int(4_000_000 // max(1, d * k * dp)))
    for lo in range(0, n, chunk):
        hi = min(n, lo + chunk)
        b = hi - lo
        # C_g = A_j psi(g)^T: shape (b, d, k, dp)
        Cg = np.matmul(A.reshape(d * k, dp)[None], np.swapaxes(psi_all[lo:hi], 1, 2)).reshape(b * d, k * dp)
        if mats is not None:
            Z += mats[lo:hi].transpose(1, 0, 2).reshape(d, b * d) @ Cg
        else:
            assert P is not None and C is not None
            S = csr_matrix((C[lo:hi].ravel(), (P[lo:hi].ravel(), np.arange(b * d))), shape=(d, b * d))
            Z += S @ Cg
    return Z


def _residual(rep: Representation, comps: list[IsotypicComponent], Q: np.ndarray) -> float:
    err = 0.0
    for j in range(rep.images.shape[0]):
        rho = rep.images[j]
        if rep.monomial is not None:
            # rho(s) e_i = c_i e_{p_i}: (rho(s) Q)[p_i] = c_i Q[i], no dense product
            perm, coeff = rep.monomial
            lhs = np.empty_like(Q)
            lhs[perm[j]] = coeff[j][:, None] * Q
            rho_norm = float(np.sqrt(np.sum(np.abs(coeff[j]) ** 2)))
        else:
            lhs = rho @ Q
            rho_norm = float(np.linalg.norm(rho))
        # Q D(s) with the block-diagonal D(s) = ⊕_ψ I_m ⊗ ψ(s), one batched product per component
        # (one GEMM per component: numpy's batched matmul over d tiny (m, d_ψ) stacks is far slower)
        rhs = np.empty_like(Q)
        for c in comps:
            dp = c.irrep.dim
            block = Q[:, c.start : c.stop].reshape(-1, dp)
            rhs[:, c.start : c.stop] = (block @ c.irrep.images[j]).reshape(Q.shape[0], c.multiplicity * dp)
        lhs -= rhs
        err = max(err, float(np.linalg.norm(lhs)) / max(1.0, rho_norm))
    return err
