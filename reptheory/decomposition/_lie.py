"""Decomposition of representations of compact Lie groups into catalogue irreps (docs/explanation/routes.md#decomposition, docs/explanation/lie-groups.md#casimir).

Algorithm for the catalogue groups with closed-form irreps (SO(2), O(2), SO(3), O(3),
SU(2), U(1)), for an orthogonal (unitary) representation ρ of dimension d:

1. **Casimir.** ``C = Σ_a dρ(X_a)²`` is symmetric (Hermitian) and equals ``−l(l+1)``
   (SO(3), SU(2) with ``l → j``) or ``−k²`` (SO(2), O(2)) on each isotypic part; one
   ``eigh`` of C gives the isotypic subspaces up to the discrete part.
2. **Discrete part.** O(3): split each eigenspace by the parity ``ρ(−I)`` (eigenvalues ±1);
   O(2), ``k = 0``: split by ``ρ(F)`` into trivial and det.
3. **Seeds from a Cartan generator.** Inside an isotypic subspace, the vectors that a
   copy's intertwiner sends the catalogue basis vector ``e_{i0}`` to form a *seed space*
   on which End_G(ψ) acts transitively on unit vectors: SO(3)/O(3)/integer spin: the
   kernel of ``dρ(L_y)`` (weight 0 for the polar axis y; e_{i0} = the m = 0 vector);
   O(2): the ``ρ(F) = +1`` part; SO(2): the whole subspace (complex type);
   half-integer spin: the top-weight space ``dρ(X_z)² = −j²`` (quaternionic type).
4. **Intertwiners by a stable Krylov sweep.** For a unit seed u, the intertwiner Φ with
   ``Φ e_{i0} = u`` and ``dρ(X_a) Φ = Φ dψ(X_a)`` is obtained by applying the generators
   to ``(e_{i0}, u)`` simultaneously and re-orthonormalising the ψ side (the same column
   operation on both sides keeps ``Φ A = R``) until the ψ side spans ``R^{dim ψ}``;
   then ``Φ = R Aᵀ``.  Real type: all seeds of an orthonormal seed basis at once (the
   copies are orthogonal by Schur); complex/quaternionic type: one copy at a time, the
   next seed orthogonal to the previous copies.
5. **Verify.** ``max ‖dρ(X) Q − Q D(X)‖`` over the algebra and discrete images, and
   ``‖QᵀQ − I‖``; both must be within the tolerance policy or DecompositionError.

The components are the catalogue irreps themselves (``G.irrep(label)``), so ``ψ(g)`` of
every block equals the catalogue matrix.  U(1) (and complex representations of SU(2))
are decomposed over C into complex irreps with a unitary Q.  Cost: one ``d × d``
``eigh`` plus ``O(d²)``-size work per isotype; no commutant basis, no ``d² × d²``
matrix.  SO(3) on ``V^{⊗6}`` (d = 729) takes a fraction of a second.

Examples
--------
>>> from reptheory.groups.lie_catalog import SO3
>>> V = SO3().defining_representation()
>>> dec = decompose_lie(V @ V)
>>> dec.multiplicities
{'0': 1, '1': 1, '2': 1}
"""

from __future__ import annotations

from typing import Any

import numpy as np

from reptheory._numerics.tolerance import relative_error, tolerance
from reptheory.decomposition.core import Decomposition, IsotypicComponent
from reptheory.errors import DecompositionError, InvalidArgumentError

__all__ = ["decompose_lie"]


def _eigh_clusters(C: np.ndarray, value_of: Any, what: str) -> dict[Any, np.ndarray]:
    """Eigenvectors of a Hermitian C grouped by ``value_of(eigenvalue)`` (which must round cleanly)."""
    w, V = np.linalg.eigh(C)
    scale = max(1.0, float(np.abs(w).max(initial=0)))
    groups: dict[Any, list[int]] = {}
    for i, lam in enumerate(w):
        lab, exact = value_of(lam)
        if abs(lam - exact) > 1e3 * tolerance().rtol * scale:
            raise DecompositionError(
                f"{what} eigenvalue {lam:.12g} is not of the form expected for an irrep (nearest {exact}); "
                "the representation is not a genuine representation of the group or not orthogonal"
            )
        groups.setdefault(lab, []).append(i)
    return {k: V[:, idx] for k, idx in groups.items()}


def _kernel(H: np.ndarray, target: float, count: int | None = None) -> np.ndarray:
    """Orthonormal basis of the eigenspace of ``−H²`` (Hermitian PSD) with eigenvalue ``target``."""
    M = -(H @ H)
    M = (M + M.conj().T) / 2
    w, V = np.linalg.eigh(M)
    scale = max(1.0, float(np.abs(w).max(initial=0)))
    sel = np.abs(w - target) <= 1e-6 * scale
    return V[:, sel]


def _krylov(
    psi_alg: np.ndarray, e: np.ndarray, H: np.ndarray, U: np.ndarray
) -> np.ndarray:
    """Intertwiners Φ_c (shape (m, n, dψ)) with ``Φ_c e = U[:, c]`` and ``H_a Φ_c = Φ_c ψ_a``.

    ``psi_alg``: (a, dψ, dψ); ``e``: (dψ,); ``H``: (a, n, n); ``U``: (n, m).
    """
    dpsi = psi_alg.shape[-1]
    A = e[:, None].astype(np.result_type(psi_alg, e, float))  # (dψ, p)
    R = U.T[:, :, None]  # (m, n, p)
    rtol = 1e-10
    for _ in range(4 * dpsi + 4):
        if A.shape[1] == dpsi:
            break
        An = np.concatenate([A] + [psi_alg[a] @ A for a in range(psi_alg.shape[0])], axis=1)
        Rn = np.concatenate([R] + [H[a][None] @ R for a in range(H.shape[0])], axis=2)
        Uq, s, Vh = np.linalg.svd(An, full_matrices=False)
        r = int((s > rtol * s[0]).sum())
        T = Vh[:r].conj().T / s[:r]  # An @ T = Uq[:, :r]
        A = Uq[:, :r]
        R = Rn @ T
    if A.shape[1] != dpsi:
        raise DecompositionError("the seed vector does not generate the irrep (internal error)")
    return R @ A.conj().T  # (m, n, dψ)


def _seed_plan(G: Any, lab: Any, psi: Any, B: np.ndarray, H: np.ndarray, S: np.ndarray) -> tuple[np.ndarray, np.ndarray, str]:
    """Seed space (columns, in B coordinates), ψ-side seed vector, and the real type."""
    kind = G.kind
    d = psi.dim
    n = B.shape[1]
    if d == 1:
        return np.eye(n, dtype=B.dtype), np.ones(1), "R"
    if (kind in ("SO", "O") and G.params[0] == 3) or (kind == "SU2" and psi.real_type == "R" and not psi.is_complex):
        l = (d - 1) // 2
        W = _kernel(H[1], 0.0)
        e = np.zeros(d)
        e[l] = 1.0
        return W, e, "R"
    if kind == "SO" and G.params[0] == 2:
        e = np.zeros(2)
        e[0] = 1.0
        return np.eye(n), e, "C"
    if kind == "O" and G.params[0] == 2:
        F = S[0]
        w, V = np.linalg.eigh((F + F.conj().T) / 2)
        e = np.zeros(2)
        e[0] = 1.0
        return V[:, w > 0], e, "R"
    if kind == "SU2" and psi.is_complex:
        j2 = d - 1
        # top weight m = j: −i X_z has eigenvalue j on it (X_z = −i J_z)
        Hz = 1j * H[2]
        w, V = np.linalg.eigh((Hz + Hz.conj().T) / 2)
        W = V[:, np.abs(w - j2 / 2) < 1e-6]
        e = np.zeros(d, dtype=complex)
        e[0] = 1.0
        return W, e, "R"
    if kind == "SU2":
        j2 = d // 2 - 1
        W = _kernel(H[2], (j2 / 2) ** 2)
        e = np.zeros(d)
        e[0] = 1.0
        return W, e, "H"
    raise DecompositionError(f"no seed rule for {G.name}")  # pragma: no cover


def _copies(G: Any, lab: Any, psi: Any, B: np.ndarray, H: np.ndarray, S: np.ndarray, mult: int) -> np.ndarray:
    """Columns (n × mult·dψ, copies outer) of the isotypic subspace in B coordinates."""
    W, e, rtype = _seed_plan(G, lab, psi, B, H, S)
    psi_alg = psi.algebra
    if rtype == "R":
        if W.shape[1] != mult:
            raise DecompositionError(
                f"seed space of {psi.label} has dimension {W.shape[1]}, expected the multiplicity {mult}"
            )
        Phi = _krylov(psi_alg, e, H, W)  # (m, n, d)
        return np.concatenate(list(Phi), axis=1)
    cols: list[np.ndarray] = []
    Wrem = W
    for _ in range(mult):
        if Wrem.shape[1] == 0:
            raise DecompositionError(f"ran out of seed vectors for {psi.label}")
        u = Wrem[:, :1]
        Phi = _krylov(psi_alg, e, H, u)[0]
        cols.append(Phi)
        # remove the copy's part of the seed space
        P = Phi @ Phi.conj().T
        Wn = Wrem - P @ Wrem
        Uq, s, _ = np.linalg.svd(Wn, full_matrices=False)
        Wrem = Uq[:, s > 1e-8]
    return np.concatenate(cols, axis=1)


def _is_unitary_rep(rep: Any) -> bool:
    return rep.is_orthogonal()


def decompose_lie(rep: Any, *, rng: Any = None, verify: bool = True) -> Decomposition:
    """Decompose a representation of a catalogue compact Lie group (see the module docstring).

    Parameters
    ----------
    rep : Representation
        Of SO(2), O(2), SO(3), O(3), SU(2) or U(1); non-orthogonal representations
        are orthogonalised first (then ``Q`` is not orthogonal).
    rng : ignored
        Accepted for interface compatibility (the algorithm is deterministic).
    verify : bool
        Check the reconstruction on every algebra and discrete image.

    Returns
    -------
    Decomposition
        ``dρ(X) Q = Q ⊕_ψ (I_m ⊗ dψ(X))`` for every algebra element X and
        ``ρ(s) Q = Q ⊕ (I_m ⊗ ψ(s))``, hence ``ρ(g) Q = Q D(g)`` on all of G.

    Raises
    ------
    InvalidArgumentError
        A group without catalogue irreps.
    DecompositionError
        The Casimir spectrum is not that of a representation, or verification failed.

    Examples
    --------
    >>> from reptheory.groups.lie_catalog import O3
    >>> from reptheory import Representation
    >>> R = Representation.from_irreps_string(O3(), "1o + 2e")
    >>> decompose_lie(R @ R).multiplicities
    {'0e': 2, '1e': 2, '1o': 2, '2e': 2, '2o': 2, '3e': 1, '3o': 2, '4e': 1}
    """
    from reptheory.groups.lie import CompactLieGroup

    G = rep.group
    if not isinstance(G, CompactLieGroup):
        raise InvalidArgumentError(f"decompose_lie: {getattr(G, 'name', G)!r} is not a compact Lie group")
    from reptheory.decomposition.irreps.highest_weight import is_highest_weight_group

    kind = G.kind
    hw_group = is_highest_weight_group(G)
    supported = kind in ("SU2", "U1") or (kind in ("SO", "O") and G.params[0] in (2, 3)) or hw_group
    if not getattr(G, "compact", True):
        from reptheory.errors import NonCompactError

        raise NonCompactError(f"decompose: {G.name} is not compact; its representations need not be completely reducible")
    if supported:
        fast = _from_known_components(rep)
        if fast is not None:
            return fast
    T = None
    if not _is_unitary_rep(rep):
        sigma, T = rep.orthogonalize()
        rep_o = sigma
    else:
        rep_o = rep
    method = "casimir+cartan"
    extra: dict[str, Any] = {}
    if hw_group:
        from reptheory.decomposition._lie_hw import decompose_highest_weight

        Q, comps, extra = decompose_highest_weight(rep_o)
        method = "highest-weight"
    elif kind == "U1":
        Q, comps = _decompose_u1(rep_o)
    elif kind == "SO" and G.params[0] == 2 and rep_o.is_complex:
        Q, comps = _decompose_u1(rep_o)  # over C: the characters e^{ikθ}
    elif supported:
        Q, comps = _decompose_catalog(G, rep_o)
    else:
        Q, comps = decompose_generic(rep_o, rng=rng)
        method = "casimir+random-commutant"
    if T is not None:
        Q = np.linalg.solve(T, Q)
    generic_c = method == "casimir+random-commutant" and rep_o.is_complex
    if "real_form" not in extra and (rep_o.is_complex or Q.dtype.kind == "c") and (
            kind in ("SU2", "U1", "SO", "O") or generic_c):
        from reptheory.decomposition._lie_hw import real_form_report

        extra = {**extra, "field": "C", "real_form": real_form_report(G, comps, real=not rep.is_complex)}
    components = []
    o = 0
    for psi, m in comps:
        components.append(IsotypicComponent(psi, m, o, o + m * psi.dim))
        o += m * psi.dim
    error = _reconstruction_error(rep, Q, comps)
    ortho = float(np.linalg.norm(Q.conj().T @ Q - np.eye(rep.dim))) if T is None else float("nan")
    if verify:
        lim = 1e3 * tolerance().rtol
        if not error <= lim or (T is None and not ortho <= lim * max(1.0, np.sqrt(rep.dim))):
            raise DecompositionError(
                f"decomposition of {rep.name} failed verification (reconstruction error {error:.3g}, "
                f"orthogonality error {ortho:.3g})"
            )
    return Decomposition(rep, tuple(components), Q, error, method, {"orthogonality_error": ortho, **extra})


def _from_known_components(rep: Any) -> Decomposition | None:
    """Use ``rep.components`` when every block is a catalogue irrep (a permutation Q)."""
    from reptheory.decomposition.irreps.lie import label_key, parse_label

    comps = rep.components
    if comps is None:
        return None
    G = rep.group
    blocks = []
    o = 0
    for psi, m in comps:
        lab = psi.label
        if lab == "trivial":
            lab = G.irreps(0)[0].label
        try:
            cat = G.irrep(lab)
        except InvalidArgumentError:
            return None
        if cat.key != psi.key:
            return None
        for _ in range(m):
            blocks.append((label_key(G, parse_label(G, cat.label)), cat, o))
            o += cat.dim
    if o != rep.dim:
        return None
    blocks.sort(key=lambda b: b[0])
    d = rep.dim
    Q = np.zeros((d, d))
    col = 0
    out: list[tuple[Any, int]] = []
    for _key, cat, start in blocks:
        Q[start : start + cat.dim, col : col + cat.dim] = np.eye(cat.dim)
        col += cat.dim
        if out and out[-1][0] is cat:
            out[-1] = (cat, out[-1][1] + 1)
        else:
            out.append((cat, 1))
    components = []
    o = 0
    for psi, m in out:
        components.append(IsotypicComponent(psi, m, o, o + m * psi.dim))
        o += m * psi.dim
    error = _reconstruction_error(rep, Q, out)
    if error > 1e3 * tolerance().rtol:
        return None
    info: dict[str, Any] = {"orthogonality_error": 0.0}
    if rep.is_complex and G.kind in ("SU2", "U1", "SO", "O", "U", "SU", "Sp"):
        from reptheory.decomposition._lie_hw import real_form_report

        info.update(field="C", real_form=real_form_report(G, out, real=False))
    return Decomposition(rep, tuple(components), Q, error, "known components", info)


def _reconstruction_error(rep: Any, Q: np.ndarray, comps: list[tuple[Any, int]]) -> float:
    err = 0.0
    for which in ("algebra", "images"):
        mats = getattr(rep, which)
        for a in range(mats.shape[0]):
            RQ = mats[a] @ Q
            QD = np.zeros_like(RQ)
            o = 0
            for psi, m in comps:
                blk = getattr(psi, which)[a]
                dpsi = psi.dim
                for _ in range(m):
                    QD[:, o : o + dpsi] = Q[:, o : o + dpsi] @ blk
                    o += dpsi
            err = max(err, relative_error(RQ, QD))
    return err


def _decompose_catalog(G: Any, rep: Any) -> tuple[np.ndarray, list[tuple[Any, int]]]:
    from reptheory.decomposition.irreps.lie import label_key

    kind = G.kind
    A = rep.algebra
    d = rep.dim
    cplx = rep.is_complex
    # complex representations: SO(3), O(3), O(2) irreps are all of real type, so the real catalogue
    # irreps are also the complex ones; SU(2) uses its complex irreps; SO(2) goes by charges
    C = sum((A[a] @ A[a] for a in range(A.shape[0])), np.zeros((d, d), dtype=A.dtype))
    C = (C + C.conj().T) / 2
    n2 = kind in ("SO", "O") and G.params[0] == 2

    def val(lam: float) -> tuple[Any, float]:
        if n2:
            k = round(float(np.sqrt(max(-lam, 0.0))))
            return k, -float(k * k)
        root = float(np.sqrt(max(1 - 4 * lam, 0.0)))
        t = round(-1 + root) if kind == "SU2" else round((-1 + root) / 2)
        j = t / 2 if kind == "SU2" else t
        return t, -float(j * (j + 1))

    clusters = _eigh_clusters(C, val, "Casimir")
    pieces: list[tuple[Any, np.ndarray]] = []  # (label, basis columns)
    for v, B in clusters.items():
        if kind == "O" and (G.params[0] == 3 or v == 0):
            P = B.conj().T @ rep.images[0] @ B
            w, V = np.linalg.eigh((P + P.conj().T) / 2)
            if np.abs(np.abs(w) - 1).max(initial=0) > 1e-6:
                raise DecompositionError("the discrete generator does not act as ±1 on a Casimir eigenspace")
            for sgn in (1, -1):
                sub = B @ V[:, (w > 0) if sgn == 1 else (w < 0)]
                if sub.shape[1] == 0:
                    continue
                if G.params[0] == 3:
                    lab: Any = (v, sgn)
                else:
                    lab = "0" if sgn == 1 else "det"
                pieces.append((lab, sub))
        elif kind == "SU2":
            pieces.append((v, B))
        else:
            pieces.append((v, B))
    comps: list[tuple[Any, int]] = []
    cols = []
    labs = []
    for lab, B in pieces:
        if kind == "SU2":
            from fractions import Fraction

            if cplx:
                from reptheory.decomposition.irreps.lie import su2_complex_irrep

                psi = su2_complex_irrep(Fraction(lab, 2))
            else:
                psi = G.irrep(Fraction(lab, 2))
            key = (lab,)
        else:
            psi = G.irrep(lab)
            key = label_key(G, psi_label_value(G, lab))
        n = B.shape[1]
        if n % psi.dim:
            raise DecompositionError(f"isotypic subspace of {psi.label} has dimension {n}, not a multiple of {psi.dim}")
        mult = n // psi.dim
        Bh = B.conj().T
        H = Bh[None] @ A @ B[None]
        S = Bh[None] @ rep.images @ B[None] if rep.images.shape[0] else rep.images
        local = _copies(G, lab, psi, B, H, S, mult)
        labs.append((key, psi, mult, B @ local))
    labs.sort(key=lambda t: t[0])
    for _key, psi, mult, Qc in labs:
        comps.append((psi, mult))
        cols.append(Qc)
    Q = np.concatenate(cols, axis=1) if cols else np.zeros((d, 0))
    if not cplx:
        Q = Q.real
    return Q, comps


def psi_label_value(G: Any, lab: Any) -> Any:
    """The parsed label used by `reptheory.decomposition.irreps.lie.label_key`."""
    from reptheory.decomposition.irreps.lie import parse_label

    return parse_label(G, lab)


def _decompose_u1(rep: Any) -> tuple[np.ndarray, list[tuple[Any, int]]]:
    G = rep.group
    Hm = -1j * rep.algebra[0]
    Hm = (Hm + Hm.conj().T) / 2
    w, V = np.linalg.eigh(Hm)
    q = np.round(w).astype(int)
    if np.abs(w - q).max(initial=0) > 1e-6 * max(1.0, float(np.abs(w).max(initial=0))):
        raise DecompositionError("U(1) charges are not integers: not a representation of U(1)")
    order = sorted(set(q.tolist()), key=lambda c: (abs(c), -c))
    cols = []
    comps = []
    for c in order:
        sel = V[:, q == c]
        if G.kind == "U1":
            comps.append((G.irrep(c), sel.shape[1]))
        else:
            from reptheory.decomposition.irreps.lie import so2_complex_irrep

            comps.append((so2_complex_irrep(c), sel.shape[1]))
        cols.append(sel)
    return np.concatenate(cols, axis=1), comps


# ----------------------------------------------------------------------------- generic groups
def _project(H1: np.ndarray, S1: np.ndarray, H2: np.ndarray, S2: np.ndarray, Y0: np.ndarray, iters: int = 500) -> np.ndarray:
    """Orthogonal projection of ``Y0`` (shape (d2, d1)) onto ``Hom_G(ρ1, ρ2)`` by conjugate gradients.

    The constraints ``L(Y) = (H2_a Y − Y H1_a, S2_j Y S1_jᵀ − Y)`` are linear; CG on the
    normal equations ``Lᵀ L Y = 0`` started at ``Y0`` converges to ``Y0`` minus its
    component in the row space of L, i.e. the orthogonal projection onto the nullspace.
    ``Lᵀ L`` is (up to the discrete terms) the Casimir of ``ρ2 ⊗ ρ1*``, with few
    distinct eigenvalues, so CG needs few steps.
    """

    def L(Y: np.ndarray) -> list[np.ndarray]:
        out = [H2[a] @ Y - Y @ H1[a] for a in range(H1.shape[0])]
        out += [S2[j] @ Y @ S1[j].conj().T - Y for j in range(S1.shape[0])]
        return out

    def Lt(Z: list[np.ndarray]) -> np.ndarray:
        a = H1.shape[0]
        acc = np.zeros_like(Y0)
        for i in range(a):
            acc += H2[i].conj().T @ Z[i] - Z[i] @ H1[i].conj().T
        for j in range(S1.shape[0]):
            acc += S2[j].conj().T @ Z[a + j] @ S1[j] - Z[a + j]
        return acc

    Y = Y0.copy()
    r = -Lt(L(Y))
    p = r.copy()
    rr = float(np.vdot(r, r).real)
    r0 = max(rr, 1e-300)
    for _ in range(iters):
        if rr <= 1e-30 * r0 or rr == 0.0:
            break
        Np = Lt(L(p))
        den = float(np.vdot(p, Np).real)
        if den <= 0.0:  # p is in the nullspace to rounding: nothing left to remove
            break
        alpha = rr / den
        Y += alpha * p
        r -= alpha * Np
        rr_new = float(np.vdot(r, r).real)
        p = r + (rr_new / rr) * p
        rr = rr_new
    return Y


def _casimir_generic(G: Any, A: np.ndarray) -> np.ndarray:
    X = G.lie_algebra
    K = -np.einsum("aij,bji->ab", X, X).real  # Ad-invariant, positive definite for skew X
    Kinv = np.linalg.inv(K)
    d = A.shape[-1]
    C = np.zeros((d, d), dtype=A.dtype)
    for a in range(A.shape[0]):
        for b in range(A.shape[0]):
            if Kinv[a, b] != 0:
                C += Kinv[a, b] * (A[a] @ A[b])
    return (C + C.conj().T) / 2


def _cluster(w: np.ndarray, gap: float) -> list[np.ndarray]:
    order = np.argsort(w)
    groups: list[list[int]] = [[int(order[0])]] if len(order) else []
    for i in order[1:]:
        if abs(w[i] - w[groups[-1][-1]]) > gap:
            groups.append([int(i)])
        else:
            groups[-1].append(int(i))
    return [np.array(g) for g in groups]


def _frobenius_schur_types(types: list[dict[str, Any]], rand: Any) -> None:
    """Frobenius–Schur type and dual of each complex irreducible type (in place: ``fs``, ``dual``).

    For a unitary irrep ψ the dual is the conjugate ψ̄ (algebra ``−Xᵀ = X̄``, images ``ψ(g)⁻ᵀ
    = ψ̄(g)``).  An invariant bilinear form is a map ``B ∈ Hom_G(ψ, ψ̄)``; by Schur it is
    unique up to scale when it exists and then symmetric (real type ``R``) or antisymmetric
    (quaternionic ``H``); without one ψ is of complex type ``C`` and its dual is the type ψ̄ is
    isomorphic to.
    """
    for t in types:
        d = t["dim"]
        Hb, Sb = t["H"].conj(), t["S"].conj()
        B = _project(t["H"], t["S"], Hb, Sb, rand(d, d))
        nb = float(np.linalg.norm(B))
        t["dual"] = None
        if nb > 1e-6 * np.sqrt(d):
            t["fs"] = "R" if np.linalg.norm(B - B.T) < np.linalg.norm(B + B.T) else "H"
            continue
        t["fs"] = "C"
        for j, u in enumerate(types):
            if u["dim"] != d or abs(u["cas"] - t["cas"]) > 1e-6 * max(1.0, abs(t["cas"])):
                continue
            if np.linalg.norm(_project(u["H"], u["S"], Hb, Sb, rand(d, d))) > 1e-6 * np.sqrt(d):
                t["dual"] = j
                break


def decompose_generic(rep: Any, *, rng: Any = None) -> tuple[np.ndarray, list[tuple[Any, int]]]:
    """Numeric decomposition for compact Lie groups without catalogue irreps (docs/explanation/routes.md#decomposition).

    Casimir eigenspaces; inside each, a random symmetric element of the commutant
    (projection by CG) splits it into irreducible copies; copies are grouped by
    testing ``Hom_G`` between them and aligned by the polar factor of a projected
    random map.  The irreps are the restrictions to the first copy, labelled
    ``"psi0"``, ``"psi1"``, … in the order of the Casimir eigenvalue (their names add the
    dimension and the eigenvalue, e.g. ``"psi1 (dim 2, Casimir -0.5)"``), with ``real_type`` from ``dim End_G(ψ)``; complex
    representations are decomposed over C with a unitary Q, their irreps carry the
    Frobenius–Schur type (``R``, ``C``, ``H``) and, for type ``C``, the dual's label in
    ``meta["dual"]``, and the decomposition reports the real form.

    The irreps found are specific to this decomposition: two decompositions of
    different representations return equivalent irreps in different bases (and labels
    numbered per call).  To compare or intertwine two representations of a group
    without catalogue irreps, decompose their direct sum once.
    """
    from reptheory.groups._lie_algebra import _rng
    from reptheory.reps.representation import Representation

    gen = _rng(rng if rng is not None else 0)
    G = rep.group
    cplx = rep.is_complex
    dt = complex if cplx else float
    A, S = rep.algebra.astype(dt), rep.images.astype(dt)
    d = rep.dim

    def rand(m: int, n: int) -> np.ndarray:
        x = gen.standard_normal((m, n))
        return x + 1j * gen.standard_normal((m, n)) if cplx else x

    noise = 1e-12 * max(1.0, float(np.abs(A).max(initial=0)))

    def clean(x: np.ndarray) -> np.ndarray:
        """Restricted algebra images with rounding noise set to 0 (noise is not a constraint: CG
        on a noise-level operator would project everything away, e.g. the commutant of 2·trivial)."""
        return np.where(np.abs(x) <= noise, 0, x)

    C = _casimir_generic(G, A) if A.shape[0] else np.zeros((d, d))
    w, V = np.linalg.eigh(C)
    scale = max(1.0, float(np.abs(w).max(initial=0)))
    blocks: list[tuple[float, np.ndarray]] = []  # (casimir, basis of one irreducible copy)
    for idx in _cluster(w, 1e-6 * scale):
        B = V[:, idx]
        Bh = B.conj().T
        H = clean(Bh[None] @ A @ B[None])
        Sb = Bh[None] @ S @ B[None] if S.shape[0] else np.zeros((0, len(idx), len(idx)), dtype=dt)
        n = len(idx)
        Y0 = rand(n, n)
        Y = _project(H, Sb, H, Sb, (Y0 + Y0.conj().T) / 2)
        Y = (Y + Y.conj().T) / 2
        ev, U = np.linalg.eigh(Y)
        spread = max(1e-300, float(np.abs(ev).max(initial=0)))
        for cl in _cluster(ev, 1e-7 * spread):
            blocks.append((float(-w[idx].mean()), B @ U[:, cl]))
    # group equivalent copies
    types: list[dict[str, Any]] = []
    for cas, Bc in blocks:
        Bch = Bc.conj().T
        Hc = clean(Bch[None] @ A @ Bc[None])
        Sc = Bch[None] @ S @ Bc[None] if S.shape[0] else np.zeros((0, Bc.shape[1], Bc.shape[1]), dtype=dt)
        placed = False
        for t in types:
            if t["dim"] != Bc.shape[1] or abs(t["cas"] - cas) > 1e-6 * scale:
                continue
            Phi = _project(t["H"], t["S"], Hc, Sc, rand(Bc.shape[1], Bc.shape[1]))
            if np.linalg.norm(Phi) > 1e-6 * np.sqrt(Bc.shape[1]):
                Uu, _, Vh = np.linalg.svd(Phi)
                t["copies"].append(Bc @ (Uu @ Vh))
                placed = True
                break
        if not placed:
            types.append({"dim": Bc.shape[1], "cas": cas, "H": Hc, "S": Sc, "copies": [Bc]})
    types.sort(key=lambda t: (t["cas"], t["dim"]))
    if cplx:
        _frobenius_schur_types(types, rand)
    comps: list[tuple[Any, int]] = []
    cols = []
    for i, t in enumerate(types):
        dpsi = t["dim"]
        meta: dict[str, Any] = {}
        if cplx:  # over C: End_C(ψ) = C; the type is the Frobenius–Schur type of ψ
            rtype = t["fs"]
            if rtype == "C":  # the dual's label; "psiK*" when the dual does not occur here
                meta["dual"] = f"psi{t['dual']}" if t["dual"] is not None else f"psi{i}*"
        else:
            ends = [_project(t["H"], t["S"], t["H"], t["S"], rand(dpsi, dpsi)) for _ in range(4)]
            e = np.linalg.matrix_rank(np.stack([x.ravel() for x in ends]), tol=1e-6 * max(np.linalg.norm(x) for x in ends))
            rtype = {1: "R", 2: "C", 4: "H"}.get(int(e), "R")
        cas = 0.0 if abs(t["cas"]) < 1e-9 * scale else t["cas"]
        lab = f"psi{i}"
        psi = Representation(G, t["S"], name=f"{lab} (dim {dpsi}, Casimir {cas:.6g})", algebra=t["H"], label=lab,
                             real_type=rtype, meta=meta)
        object.__setattr__(psi, "components", ((psi, 1),))
        comps.append((psi, len(t["copies"])))
        cols.extend(t["copies"])
    return np.concatenate(cols, axis=1), comps
