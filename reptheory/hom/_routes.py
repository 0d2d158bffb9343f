"""Algorithms behind [`reptheory.hom.space.intertwiners`][reptheory.hom.space.intertwiners] (orbit, diagram, isotypic, constraints, average).

Private: each ``_route_*`` returns an [`IntertwinerSpace`][reptheory.hom.space.IntertwinerSpace] (or None when it
does not apply); see the module docstring of [`reptheory.hom.space`][reptheory.hom.space] for what they compute.
"""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np

from reptheory._numerics.linalg import generator_residual, nullspace, orthonormalize, stacked_constraints
from reptheory._numerics.tolerance import relative_error, tolerance
from reptheory.errors import ConvergenceError, ExactnessError, InvalidArgumentError, TooLargeError
from reptheory.hom.orbits import monomial_actions, orbit_matrix, orbit_projector
from reptheory.hom.projectors import (
    BasisProjector,
    IsotypicBlock,
    IsotypicProjector,
    OrbitProjector,
    StructuredProjector,
)
from reptheory.hom.space import MAX_BASIS_ENTRIES, IntertwinerSpace, _ExactData


# ============================================================================ helpers
def _constraint_pairs(rho_in: Any, rho_out: Any) -> list[tuple[np.ndarray, np.ndarray]]:
    pairs = [(np.asarray(a), np.asarray(b)) for a, b in zip(rho_out.images, rho_in.images, strict=True)]
    pairs += [(np.asarray(a), np.asarray(b)) for a, b in zip(rho_out.algebra, rho_in.algebra, strict=True)]
    return pairs


def _exact_pairs(rho_in: Any, rho_out: Any, rationalize: bool) -> list[tuple[Any, Any]]:
    """Exact constraint pairs as sympy matrices (or raise ExactnessError)."""
    import sympy

    def ex(rho: Any, which: str) -> list[Any]:
        floats = rho.images if which == "images" else rho.algebra
        exact = rho.exact_images if which == "images" else rho.exact_algebra
        if len(floats) == 0:
            return []
        if exact is not None:
            return [sympy.Matrix(m) for m in exact]
        if not np.iscomplexobj(floats) and np.all(floats == np.round(floats)):
            return [sympy.Matrix(np.asarray(m, dtype=np.int64).tolist()) for m in floats]
        if rationalize:
            from fractions import Fraction

            out = []
            for m in np.asarray(floats):
                if np.iscomplexobj(m):
                    raise ExactnessError(f"cannot rationalise the complex images of {rho.name!r}")
                fr = [[Fraction(float(x)).limit_denominator(10**6) for x in row] for row in m]
                approx = np.array([[float(f) for f in row] for row in fr])
                if relative_error(approx, m) > tolerance().rtol:
                    raise ExactnessError(f"the {which} of {rho.name!r} are not close to rationals with small "
                                         "denominators; exact intertwiners are unavailable")
                out.append(sympy.Matrix([[sympy.Rational(f.numerator, f.denominator) for f in row] for row in fr]))
            return out
        raise ExactnessError(
            f"exact=True needs exact {which} for {rho.name!r} (it has floating-point {which} only); build it from "
            "exact matrices, or pass rationalize=True to round to rationals and verify"
        )

    ins = ex(rho_in, "images") + ex(rho_in, "algebra")
    outs = ex(rho_out, "images") + ex(rho_out, "algebra")
    return list(zip(outs, ins, strict=True))


def _signed_perm(M: np.ndarray, tol: float = 1e-9) -> tuple[np.ndarray, np.ndarray] | None:
    if np.iscomplexobj(M):
        return None
    R = np.round(M)
    if np.max(np.abs(M - R), initial=0.0) > tol or not np.all(np.abs(R) <= 1):
        return None
    nz = R != 0
    if not (np.all(nz.sum(axis=0) == 1) and np.all(nz.sum(axis=1) == 1)):
        return None
    rows = np.argmax(nz, axis=0)
    return rows.astype(np.int64), R[rows, np.arange(M.shape[1])].astype(np.float64)


def _monomial_elements(rho_in: Any, rho_out: Any) -> tuple[list[Any], list[Any], list[int], list[str]]:
    """Group elements acting by signed permutations on both sides: (actions_out, actions_in, used pair ids, names)."""
    import scipy.linalg

    ao_all = monomial_actions(rho_out)
    ai_all = monomial_actions(rho_in)
    acts_out, acts_in, used, names = [], [], [], []
    k = rho_in.images.shape[0]
    for j in range(k):
        a: tuple[np.ndarray, np.ndarray] | None
        b: tuple[np.ndarray, np.ndarray] | None
        if ao_all is not None and ai_all is not None:
            a, b = ao_all[j], ai_all[j]
        else:
            a = _signed_perm(rho_out.images[j])
            b = _signed_perm(rho_in.images[j])
        if a is not None and b is not None:
            acts_out.append(a)
            acts_in.append(b)
            used.append(j)
            names.append(f"s{j}")
    if rho_in.algebra.shape[0] and max(rho_in.dim, rho_out.dim) <= 512:
        for a_idx in range(rho_in.algebra.shape[0]):
            for theta in (np.pi / 2, np.pi):
                Mo = _signed_perm(scipy.linalg.expm(theta * rho_out.algebra[a_idx]))
                if Mo is None:
                    continue
                Mi = _signed_perm(scipy.linalg.expm(theta * rho_in.algebra[a_idx]))
                if Mi is None:
                    continue
                acts_out.append(Mo)
                acts_in.append(Mi)
                names.append(f"exp({theta / np.pi:g}pi X{a_idx})")
                break
    return acts_out, acts_in, used, names


def _character_dimension(rho_in: Any, rho_out: Any) -> int | None:
    """``(1/|G|) Σ_k |K_k| conj(χ_in(g_k)) χ_out(g_k)`` for already-enumerated small finite groups, else None."""
    from reptheory.groups.finite import FiniteGroup

    G = rho_in.group
    if not isinstance(G, FiniteGroup) or not G.is_enumerated or G.order > 1000:
        return None
    try:
        a = np.asarray(rho_in.character())
        b = np.asarray(rho_out.character())
        sizes = np.asarray(G.class_sizes)
    except Exception:  # the check is optional
        return None
    val = complex(np.sum(sizes * np.conj(a) * b) / G.order)
    if abs(val.imag) > 1e-6 or abs(val.real - round(val.real)) > 1e-6:
        return None
    return round(val.real)


#: Compact Lie groups: above this many unknowns ``d_out · d_in`` auto tries the isotypic route before the
#: constraint solver when the cost model below says the decomposition is cheaper.
_ISOTYPIC_FIRST_LIE_UNKNOWNS = 256


def _isotypic_cheaper(rho_in: Any, rho_out: Any) -> bool:
    """Cost model of auto for compact Lie groups (numeric): isotypic before constraints?

    The constraint solver works on ``r ≤ d_out·d_in`` unknowns (dense ``O(r³)``, sparse Lanczos above a
    size), at least ``(d_out d_in)^{3/2}`` in practice; the isotypic route decomposes both
    representations (``O(d_in³ + d_out³)``) and gives up in about that time when the irreps are not in
    the catalogue, after which the constraints run anyway. Measured (one thread): SO(3) End(V⊗4)
    0.04 s against 0.12 s, O(3) 24·1 ⊕ 24·V ⊕ 8·V⊗V ⊕ 1 → … 0.045 s against 4.6 s; complex
    representations (the route over ℂ): SU(3) End(ψ ⊗ ψ), ψ = (2,1,0), 0.033 s against 140 s.
    """
    if rho_in.algebra.shape[0] == 0:
        return False
    n = rho_in.dim * rho_out.dim
    if n <= _ISOTYPIC_FIRST_LIE_UNKNOWNS:
        return False
    return rho_in.dim**3 + rho_out.dim**3 <= 8 * n**1.5


def _identity_orbits(shape: tuple[int, int]) -> OrbitProjector:
    n = shape[0] * shape[1]
    return OrbitProjector(shape, np.arange(n, dtype=np.int64), np.ones(n), n)


def _meta(rho_in: Any, rho_out: Any) -> dict[str, Any]:
    return {
        "group": getattr(rho_in.group, "name", str(rho_in.group)),
        "group_key": rho_in.group.key,
        "rho_in": rho_in.name,
        "rho_out": rho_out.name,
        "rho_in_key": rho_in.key,
        "rho_out_key": rho_out.key,
    }


# ============================================================================ routes
def _route_orbit(rho_in: Any, rho_out: Any, exact: bool) -> IntertwinerSpace | None:
    ao = monomial_actions(rho_out)
    ai = monomial_actions(rho_in)
    if ao is None or ai is None or rho_in.algebra.shape[0]:
        return None
    shape = (rho_out.dim, rho_in.dim)
    P = orbit_projector(shape, ao, ai, group=rho_in.group)
    # the exact basis (signed orbit indicators) is built only when asked for
    ex = _ExactData(S=lambda: orbit_matrix(P, normalized=False).astype(np.int64), k=P.dim)
    n = shape[0] * shape[1]
    zeros = P.zero_entries
    return IntertwinerSpace(
        shape=shape, dim=P.dim, method="orbit",
        reason=f"signed-permutation representations: {P.dim} orbits of G on {n} index pairs "
               f"({zeros} entries forced to zero)",
        pairs=_constraint_pairs(rho_in, rho_out), structured=P, exact_data=ex,
        info={"orbits": P.dim, "zero_entries": zeros},
        meta=_meta(rho_in, rho_out), rho_in=rho_in, rho_out=rho_out,
    )


def _route_diagram(rho_in: Any, rho_out: Any, exact: bool) -> IntertwinerSpace | None:
    """Tensor powers of the defining representation, and direct sums of them (`reptheory.hom._diagram_routes`)."""
    from reptheory.hom._diagram_routes import route_diagram

    return route_diagram(rho_in, rho_out, exact)


def _route_diagram_span(rho_in: Any, rho_out: Any) -> IntertwinerSpace | None:
    """Too many diagrams for an exact basis: the projector onto their span (`reptheory.hom.diagram_span`)."""
    from reptheory.hom._diagram_routes import route_diagram_span

    return route_diagram_span(rho_in, rho_out)


def _route_constraints(rho_in: Any, rho_out: Any, exact: bool, rationalize: bool, rng: Any) -> IntertwinerSpace:
    shape = (rho_out.dim, rho_in.dim)
    pairs = _constraint_pairs(rho_in, rho_out)
    complex_ = any(np.iscomplexobj(a) or np.iscomplexobj(b) for a, b in pairs)
    acts_out, acts_in, used, names = ([], [], [], []) if complex_ else _monomial_elements(rho_in, rho_out)
    if acts_out:
        P0 = orbit_projector(shape, acts_out, acts_in)
    else:
        P0 = _identity_orbits(shape)
    remaining = [p for j, p in enumerate(pairs) if j not in set(used)]
    r = P0.n_orbits
    info: dict[str, Any] = {"unknowns": r, "orbit_reduction": names}
    if exact:
        ex_pairs = _exact_pairs(rho_in, rho_out, rationalize)
        ex_remaining = [p for j, p in enumerate(ex_pairs) if j not in set(used)]
        exd = _exact_constraint_nullspace(ex_remaining, P0, shape, rng)
        Bf = exd.float_basis(shape)
        k = Bf.shape[0]
        if exd.sympy_basis is None:
            # orthonormalise in normalised orbit coordinates (the orbit columns are orthonormal)
            coef = np.asarray(exd.S.T @ Bf.reshape(k, -1).T) if k else np.zeros((r, 0))
            Sn = orbit_matrix(P0, normalized=True)
            coef_n = np.asarray(Sn.T @ Bf.reshape(k, -1).T) if k else np.zeros((r, 0))
            del coef
            q, _ = np.linalg.qr(coef_n) if k else (np.zeros((r, 0)), None)
            basis = np.asarray((Sn @ q).T).reshape(k, *shape)
        else:
            basis = orthonormalize(Bf)
        # cross-check the exact result against the float constraints
        res = float(np.max(generator_residual(pairs, basis), initial=0.0))
        scale = max((float(np.linalg.norm(a)) + float(np.linalg.norm(b)) for a, b in pairs), default=1.0)
        if res > 1e3 * tolerance().rtol * max(1.0, scale):
            raise ExactnessError(f"the exact basis does not satisfy the floating-point constraints (residual {res:.2e}); "
                                 "the exact images do not match the float images")
        info.update({"solver": "multimodular" if exd.sympy_basis is None else "domainmatrix",
                     "domain": exd.domain})
        return IntertwinerSpace(
            shape=shape, dim=k, method="constraints",
            reason=f"exact nullspace of {len(ex_remaining)} Sylvester constraints over {exd.domain} on {r} unknowns"
                   + (f" (orbits of {', '.join(names)})" if names else ""),
            pairs=pairs, structured=BasisProjector(basis), exact_data=exd, info=info,
            meta=_meta(rho_in, rho_out), basis=basis, rho_in=rho_in, rho_out=rho_out,
        )
    Sn = orbit_matrix(P0, normalized=True)
    if complex_:
        Sn = Sn.astype(np.complex128)
    M = stacked_constraints(remaining, Sn)
    # the size of the unreduced operators: a reduced system that is pure rounding noise is zero
    op_scale = max((float(np.linalg.norm(a, 2)) + float(np.linalg.norm(b, 2)) for a, b in remaining), default=0.0)
    ns = nullspace(M, scale=op_scale)
    C = ns.N
    k = C.shape[1]
    n = shape[0] * shape[1]
    if k * n > MAX_BASIS_ENTRIES:
        raise TooLargeError(f"the basis of dimension {k} at shape {shape} is too large to hold densely",
                            estimate=k * n, limit=MAX_BASIS_ENTRIES)
    basis = np.asarray((Sn @ C).T).reshape(k, *shape)
    info.update({"solver": ns.solver, "gap": ns.gap, "threshold": ns.threshold})
    expected = _character_dimension(rho_in, rho_out)
    if expected is not None:
        info["character_dim"] = expected
        if expected != k:
            raise ConvergenceError(
                f"numeric nullspace has dimension {k} but the character formula gives {expected} "
                f"(singular-value gap {ns.gap:.3g} at threshold {ns.threshold:.3g}); the rank decision failed")
    return IntertwinerSpace(
        shape=shape, dim=k, method="constraints",
        reason=f"numeric nullspace ({ns.solver}) of {len(remaining)} Sylvester constraints on {r} unknowns"
               + (f" after reduction to orbits of {', '.join(names)}" if names else ""),
        pairs=pairs, structured=BasisProjector(basis), info=info, meta=_meta(rho_in, rho_out),
        basis=basis, rho_in=rho_in, rho_out=rho_out,
    )


def _exact_constraint_nullspace(ex_pairs: list[tuple[Any, Any]], P0: OrbitProjector, shape: tuple[int, int],
                                rng: Any) -> _ExactData:
    """Exact nullspace of the constraints restricted to the signed-orbit coordinates of ``P0``."""
    import scipy.sparse as sp
    import sympy

    from reptheory._numerics.exact import algebraic_nullspace, rational_nullspace, sympy_rational_parts

    S = orbit_matrix(P0, normalized=False).astype(np.int64)
    r = P0.n_orbits
    rational = True
    int_pairs = []
    for A, B in ex_pairs:
        pa = sympy_rational_parts(A)
        pb = sympy_rational_parts(B)
        if pa is None or pb is None:
            rational = False
            break
        (na, da), (nb, db) = pa, pb
        L = da * db // math.gcd(da, db)
        int_pairs.append((na * (L // da), nb * (L // db)))
    if rational:
        blocks = []
        for na, nb in int_pairs:
            from reptheory._numerics.exact import to_integer_matrix

            A = to_integer_matrix(na)
            B = to_integer_matrix(nb)
            if A.dtype == object or B.dtype == object:
                raise TooLargeError("exact constraint entries exceed 62 bits", estimate=None, limit=2**62)
            K = sp.kron(sp.csr_matrix(A), sp.identity(shape[1], dtype=np.int64, format="csr"), format="csr") - sp.kron(
                sp.identity(shape[0], dtype=np.int64, format="csr"), sp.csr_matrix(B.T), format="csr")
            blocks.append((K @ S).tocsr())
        M = sp.vstack(blocks, format="csr") if blocks else sp.csr_matrix((0, r), dtype=np.int64)
        M.eliminate_zeros()
        if M.shape[0] == 0:
            num = np.eye(r, dtype=np.int64).astype(object)
            den = np.ones(r, dtype=object)
        else:
            num, den = rational_nullspace(M, rng=rng)
        return _ExactData(S=S, num=num, den=den, domain="QQ")
    # algebraic entries: DomainMatrix over the generated number field
    n = shape[0] * shape[1]
    if n * r * len(ex_pairs) > 400_000:
        raise TooLargeError(f"exact algebraic nullspace with {r} unknowns and {n * len(ex_pairs)} equations is too "
                            "large for sympy", estimate=n * r * len(ex_pairs), limit=400_000)
    Sm = sympy.Matrix(S.toarray().tolist())
    rows = []
    for A, B in ex_pairs:
        K = sympy.kronecker_product(A, sympy.eye(shape[1])) - sympy.kronecker_product(sympy.eye(shape[0]), B.T)
        rows.append(K * Sm)
    Mx = sympy.Matrix.vstack(*rows)
    N = algebraic_nullspace(Mx)
    mats = []
    for i in range(N.shape[1]):
        vec = Sm * N[:, i]
        mats.append(sympy.ImmutableMatrix(shape[0], shape[1], [sympy.nsimplify(x) if False else sympy.simplify(x)
                                                                  for x in vec]))
    return _ExactData(sympy_basis=tuple(mats), domain="algebraic")


def _route_average(rho_in: Any, rho_out: Any, exact: bool, rng: Any) -> IntertwinerSpace:
    from reptheory.groups.finite import FiniteGroup
    from reptheory.hom.averaging import average_basis, reynolds_matrix_exact

    if not isinstance(rho_in.group, FiniteGroup):
        raise InvalidArgumentError(f"method='average' needs a finite group, got {rho_in.group.name!r}")
    shape = (rho_out.dim, rho_in.dim)
    pairs = _constraint_pairs(rho_in, rho_out)
    exd = None
    if exact:
        import scipy.sparse as sp

        from reptheory._numerics.exact import rational_nullspace

        P = reynolds_matrix_exact(rho_in, rho_out)
        n = P.shape[0]
        D = np.eye(n, dtype=object) - P
        L = 1
        for x in D.reshape(-1):
            L = L * x.denominator // math.gcd(L, x.denominator)
        Dint = np.array([int(x * L) for x in D.reshape(-1)], dtype=object).reshape(n, n)
        num, den = rational_nullspace(Dint.astype(np.int64) if L < 2**40 else Dint, rng=rng)
        exd = _ExactData(S=sp.identity(n, dtype=np.int64, format="csr"), num=num, den=den, domain="QQ")
        basis = orthonormalize(exd.float_basis(shape))
    else:
        basis = average_basis(rho_in, rho_out)
    orth = rho_in.is_orthogonal() and rho_out.is_orthogonal()
    conj = None
    structured: StructuredProjector = BasisProjector(basis)
    if not orth:
        structured, conj = _oblique_from_basis(rho_in, rho_out, basis)
    return IntertwinerSpace(
        shape=shape, dim=basis.shape[0], method="average",
        reason=f"explicit average over all {rho_in.group.order} group elements" + (" (exact over QQ)" if exact else ""),
        pairs=pairs, structured=structured, conj=conj, exact_data=exd, info={"elements": rho_in.group.order},
        meta=_meta(rho_in, rho_out), basis=basis, rho_in=rho_in, rho_out=rho_out,
    )


def _oblique_from_basis(rho_in: Any, rho_out: Any, basis: np.ndarray) -> tuple[StructuredProjector, Any]:
    """Weyl's trick for a space whose basis is known in the original coordinates."""
    _, Lo = rho_out.orthogonalize()
    _, Li = rho_in.orthogonalize()
    # sigma = L rho L^{-1}; rho = S sigma S^{-1} with S = L^{-1}
    S_out, S_out_inv = np.linalg.inv(Lo), Lo
    S_in, S_in_inv = np.linalg.inv(Li), Li
    Bsig = orthonormalize(S_out_inv @ basis @ S_in) if basis.shape[0] else basis
    return BasisProjector(Bsig), (S_out, S_out_inv, S_in, S_in_inv)


# ----------------------------------------------------------------------------- isotypic
#: ``(Q or None for the identity, [(irrep, multiplicity, start, stop), …], field of the irreps or None)``
_Segments = tuple[np.ndarray | None, list[tuple[Any, int, int, int]], str | None]


def _segments(rho: Any) -> _Segments | None:
    """Segments from known components (Q None: the identity; the field of the irreps unknown)."""
    comps = rho.components
    if comps is not None:
        segs = []
        o = 0
        for irr, m in comps:
            segs.append((irr, int(m), o, o + int(m) * irr.dim))
            o += int(m) * irr.dim
        if o != rho.dim:
            return None
        return None, segs, None
    return None


def _decomposed_segments(rho: Any) -> _Segments | None:
    """Segments from ``rho.decompose()``; the field is that of the decomposition (``"R"`` or ``"C"``)."""
    try:
        dec = rho.decompose()
    except (ImportError, ModuleNotFoundError, NotImplementedError):
        return None
    segs = [(c.irrep, int(c.multiplicity), int(c.start), int(c.stop)) for c in dec.components]
    return np.asarray(dec.Q), segs, dec.field


def _irreducible_over_c(irr: Any, field: str | None) -> bool:
    """Whether ``irr`` stays irreducible over ℂ: a component of a decomposition over ℂ, a complex
    (catalogue) irrep, or a real irrep of real type (real irreps of complex or quaternionic type split)."""
    return field == "C" or (field is None and irr.is_complex) or (not irr.is_complex and irr.real_type == "R")

@functools.lru_cache(maxsize=256)
def _irrep_commutant(irrep: Any) -> np.ndarray:
    """``{E_u}``: Frobenius-orthogonal basis of ``End_G(ψ)``, ``E_0 = I``, ``‖E_u‖² = d`` (shape (e, d, d))."""
    d = irrep.dim
    if irrep.real_type == "R":
        return np.eye(d)[None]
    cb = irrep.meta.get("commutant_basis") if irrep.meta else None
    if cb is not None:
        return np.asarray(cb, dtype=np.float64)
    pairs = _constraint_pairs(irrep, irrep)
    N = nullspace(stacked_constraints(pairs)).N  # (d*d, e)
    vecs = [np.eye(d).reshape(-1) / np.sqrt(d)]
    for v in N.T:
        w = v - sum(np.dot(u, v) * u for u in vecs)
        if np.linalg.norm(w) > 1e-6:
            vecs.append(w / np.linalg.norm(w))
    return np.stack([v.reshape(d, d) * np.sqrt(d) for v in vecs[: N.shape[1]]])


def _gather(Q: np.ndarray | None, segs: list[tuple[Any, int, int, int]]
            ) -> tuple[np.ndarray, dict[str, tuple[Any, int, int, int]]]:
    """Reorder the columns of Q so that all copies of an irrep are contiguous; key → (irrep, m, start, stop)."""
    order: dict[str, list[tuple[Any, int, int, int]]] = {}
    for irr, m, a, b in segs:
        order.setdefault(irr.key, []).append((irr, m, a, b))
    cols: list[int] = []
    out: dict[str, tuple[Any, int, int, int]] = {}
    o = 0
    for key, lst in order.items():
        m_tot = sum(m for _, m, _, _ in lst)
        for _, _, a, b in lst:
            cols.extend(range(a, b))
        out[key] = (lst[0][0], m_tot, o, o + m_tot * lst[0][0].dim)
        o += m_tot * lst[0][0].dim
    idx = np.asarray(cols, dtype=np.int64)
    if Q is None:  # the identity: build the permutation matrix directly (C-contiguous, no gather)
        P = np.zeros((idx.size, idx.size))
        P[idx, np.arange(idx.size)] = 1.0
        return P, out
    return np.ascontiguousarray(Q[:, idx]), out


def _route_isotypic(rho_in: Any, rho_out: Any, exact: bool, allow_decompose: bool) -> IntertwinerSpace | None:
    """Schur's lemma in isotypic bases (docs/explanation/projector.md#mask-and-average).

    Over ℝ each shared real irrep ψ contributes ``m_out · m_in · e_ψ`` dimensions (``e_ψ = dim End_G(ψ)``
    ∈ {1, 2, 4}).  When either representation is complex, or a decomposition is over ℂ (every
    representation of U(n), SU(n), Sp(n)), the irreps are complex and ``End_G(ψ) = ℂ I``: each shared
    irrep contributes ``m_out · m_in`` (complex dimensions for complex representations; for real ones the
    real points of that complex space have the same real dimension,
    docs/explanation/projector.md#mask-and-average-over-c).
    """
    cplx = rho_in.is_complex or rho_out.is_complex
    if cplx and exact:
        return None  # exact complex spaces: the constraints route (over an algebraic number field)
    si = _segments(rho_in)
    so = _segments(rho_out)
    source = "known components"
    if (si is None or so is None) and allow_decompose and not exact:
        si = si or _decomposed_segments(rho_in)
        so = so or _decomposed_segments(rho_out)
        source = "decompositions"
    if si is None or so is None:
        return None
    over_c = cplx or si[2] == "C" or so[2] == "C"
    Qi, gi = _gather(si[0], si[1])
    Qo, go = _gather(so[0], so[1])
    # irreps matched by key; same label with a different key means another basis: give up
    labels_in = {irr.label: key for key, (irr, *_rest) in gi.items()}
    for key, (irr, *_rest) in go.items():
        if irr.label is not None and irr.label in labels_in and labels_in[irr.label] != key:
            return None
    for field, g in ((si[2], gi), (so[2], go)):
        for irr, *_rest in g.values():
            if not irr.is_orthogonal():
                return None
            if over_c and not _irreducible_over_c(irr, field):
                return None
            if not over_c and irr.real_type is None:
                return None
    blocks = []
    for key, (irr, m_out, os_, oe) in go.items():
        if key not in gi:
            continue
        _, m_in, is_, ie = gi[key]
        E = np.eye(irr.dim)[None] if over_c else _irrep_commutant(irr)
        blocks.append(IsotypicBlock(os_, oe, is_, ie, irr.dim, m_out, m_in, E))
    P = IsotypicProjector(Qo, Qi, tuple(blocks), "C" if cplx else "R")
    shape = (rho_out.dim, rho_in.dim)
    exd = None
    if exact:
        if np.iscomplexobj(Qi) or np.iscomplexobj(Qo):
            return None
        perm_q = all(np.array_equal(np.abs(Q), np.abs(Q).astype(bool)) and np.all(np.abs(Q).sum(0) == 1) for Q in (Qi, Qo))
        ints = all(np.array_equal(b.basis, np.round(b.basis)) for b in blocks)
        if not (perm_q and ints):
            return None
        exd = _isotypic_exact(P)
    where = "over ℂ " if over_c else ""
    return IntertwinerSpace(
        shape=shape, dim=P.dim, method="isotypic",
        reason=f"Schur's lemma {where}in the isotypic bases from {source}: {len(blocks)} shared irreps, "
               f"mask-and-average" + (" (complex representations: the complex space)" if cplx else ""),
        pairs=_constraint_pairs(rho_in, rho_out), structured=P, exact_data=exd,
        info={"blocks": [(b.irrep_dim, b.m_out, b.m_in, int(b.basis.shape[0])) for b in blocks], "source": source,
              "field": "C" if over_c else "R"},
        meta=_meta(rho_in, rho_out), rho_in=rho_in, rho_out=rho_out,
    )


def _isotypic_exact(P: IsotypicProjector) -> _ExactData:
    import scipy.sparse as sp

    rows, cols, vals = [], [], []
    c = 0
    d_out, d_in = P.shape
    po = np.argmax(np.abs(P.Q_out), axis=0)  # column j of Q is ± e_{po[j]}
    so = P.Q_out[po, np.arange(d_out)]
    pi = np.argmax(np.abs(P.Q_in), axis=0)
    si = P.Q_in[pi, np.arange(d_in)]
    for b in P.blocks:
        dp = b.irrep_dim
        for a in range(b.m_out):
            for bb in range(b.m_in):
                for E in b.basis:
                    ii, jj = np.nonzero(E)
                    for i, j in zip(ii, jj, strict=True):
                        r0 = b.out_start + a * dp + i
                        c0 = b.in_start + bb * dp + j
                        rows.append(int(po[r0]) * d_in + int(pi[c0]))
                        cols.append(c)
                        vals.append(int(E[i, j] * so[r0] * si[c0]))
                    c += 1
    S = sp.csr_matrix((np.array(vals, dtype=np.int64), (rows, cols)), shape=(d_out * d_in, c))
    return _ExactData(S=S)
