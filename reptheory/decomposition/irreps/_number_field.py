"""The character field ``K = ℚ(ψ)`` of an exact irrep and the split of its rational isotypic subspace over ``K``.

A private helper of [`exact`][reptheory.decomposition.irreps.exact] (step 4 of its construction):
`_Field` presents ``K`` in sympy with an exact embedding into ``ℚ(ζ_e)`` (so that traces are compared
with the table as cyclotomic numbers); `_split_over_field` cuts ``ψ`` out of ``V = ⊕ U_i`` as
``U_1 = ker(S_V − λ_1 I)``, through the idempotent ``p(S_V)`` in python-flint rational arithmetic
(`_split_by_idempotent`) or, without flint, by row reduction over ``K``.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np

from reptheory.errors import ExactnessError


class _Field:
    """``K = ℚ(ψ)`` in sympy, its generator's image in ``ℚ(ζ_e)``, and the exact character of ``ψ`` there."""

    def __init__(self, T: Any, k: int, conj: tuple[int, ...], rng: np.random.Generator) -> None:
        import sympy
        from sympy import QQ

        e = int(T.exponent)
        self.z = z = sympy.Dummy("z")
        self.phi = sympy.Poly(sympy.cyclotomic_poly(e, z), z, domain=QQ)
        rows_all = T.real_rows()
        self.refs = np.stack([T.real_character(rows_all[kk]) for kk in conj])  # (r, classes), float
        rows = rows_all[k]
        factor = 2 if len(rows) == 1 and T.real_types[rows[0]] == "H" else 1
        self.chi = []  # exact ψ(g_c) in ℚ(ζ_e)
        for c in range(self.refs.shape[1]):
            exps = np.concatenate([np.asarray(T.spectra[i][c], dtype=np.int64) % e for i in rows])
            coeffs = np.bincount(exps, minlength=e) * factor
            self.chi.append(sympy.Poly(coeffs[::-1].tolist(), z, domain=QQ).rem(self.phi))
        self.r = r = len(conj)
        self.K: Any = QQ
        self.name = "QQ"
        self.ext_num = 0.0
        if r == 1:
            return
        # θ = Σ_c t_c ψ(g_c) with r distinct conjugates: a generator of K; m_θ from the floats, checked exactly
        t: np.ndarray = np.zeros(self.refs.shape[1], dtype=np.int64)
        for attempt in range(64):
            if attempt < self.refs.shape[1]:
                t = np.eye(self.refs.shape[1], dtype=np.int64)[attempt]
            else:
                t = np.asarray(rng.integers(-3, 4, self.refs.shape[1]), dtype=np.int64)
            th = self.refs @ t
            if np.abs(th[:, None] - th[None, :])[~np.eye(r, dtype=bool)].min() > 1e-6:
                break
        else:  # pragma: no cover - a character field always has a generator of this form
            raise ExactnessError("no generator of the character field found")
        m = np.round(np.poly(th).real).astype(np.int64)
        theta = sum((self.chi[c] * int(t[c]) for c in range(t.size) if t[c]), sympy.Poly(0, z, domain=QQ))
        if _horner([int(a) for a in m], theta, self.phi) != 0:
            raise ExactnessError(f"the character field: the float minimal polynomial {m.tolist()} is not exact")
        x = sympy.Symbol("x")
        if r == 2:  # θ = (−b + √D)/2 in the embedding of ψ: √D = f √D0 = sgn (2θ + b)
            b, D = int(m[1]), int(m[1]) ** 2 - 4 * int(m[2])
            f, gen = sympy.sqrt(D).as_coeff_Mul()
            sgn = 1 if 2 * th[0] + b > 0 else -1
            cyc = (theta * 2 + b) * sympy.Rational(sgn, int(f))
            self.ext_num = float(math.sqrt(D) / int(f))
        else:
            mp = sympy.Poly(m.tolist(), x)
            roots = np.sort(np.roots(m.astype(float)).real)
            gen = sympy.CRootOf(mp.as_expr(), int(np.argmin(np.abs(roots - th[0]))))
            cyc = theta
            self.ext_num = float(th[0])
        self.K = QQ.algebraic_field(gen)
        if self.K.ext.as_expr() != gen:  # pragma: no cover - sympy normalised the generator
            raise ExactnessError(f"the character field {self.K}: unexpected generator {self.K.ext.as_expr()}")
        if _horner(list(self.K.mod.to_list()), cyc, self.phi) != 0:  # gen ↦ cyc is a field embedding K → ℚ(ζ_e)
            raise ExactnessError(f"the character field {self.K}: its generator has no exact cyclotomic value")
        self.gen_cyc = cyc
        self.name = f"QQ({gen})"

    def rational_character(self) -> list[int]:
        return [int(p.as_expr()) for p in self.chi]

    def to_float(self, a: Any) -> float:
        """The value of ``a ∈ K`` in the real embedding of ``ψ``."""
        out = 0.0
        for cf in a.to_list():
            out = out * self.ext_num + float(cf)
        return out

    def is_character(self, a: Any, c: int) -> bool:
        """Whether ``a ∈ K`` equals ``ψ(g_c)`` (exactly, in ``ℚ(ζ_e)``)."""
        return bool(_horner(a.to_list(), self.gen_cyc, self.phi) == self.chi[c])


def _horner(coeffs: list[Any], x: Any, phi: Any) -> Any:
    out = x * 0
    for cf in coeffs:
        out = (out * x + cf).rem(phi)
    return out


def _free_rows(num: np.ndarray, den: np.ndarray) -> list[int]:
    """Rows ``F`` with ``B[F] = I`` for the rref basis ``B = num / den`` (one per column)."""
    nz = num != 0
    F = []
    for j in range(num.shape[1]):
        hits = np.flatnonzero((num[:, j] == den[j]) & (nz.sum(axis=1) == 1))
        if hits.size == 0:
            raise ExactnessError("the exact nullspace basis is not in reduced form")  # pragma: no cover
        F.append(int(hits[0]))
    return F


def _split_over_field(field: _Field, SVq: list[list[Fraction]], num: np.ndarray, den: np.ndarray,
                      Q: list[list[list[Fraction]]], Qc: list[list[list[Fraction]]], m: list[int], lam: float,
                      why: str) -> list[Any] | None:
    """``ψ(s) = (Q(s) C)[F']`` with ``C`` spanning ``ker(S_V − λ I)`` over ``K`` (None: another draw is needed).

    ``S_V`` is the commutant element on ``V`` in the basis ``B = num / den`` (``B[F] = I``)."""
    import sympy
    from sympy import QQ
    from sympy.polys.matrices import DomainMatrix

    K = field.K
    rd = len(SVq)

    def dm(rows: list[list[Fraction]]) -> Any:
        data = [[QQ(x.numerator, x.denominator) for x in row] for row in rows]
        return DomainMatrix(data, (len(rows), len(rows[0])), QQ).convert_to(K)

    x = sympy.Symbol("x")
    roots = [K.convert(-f.TC() / f.LC()) for f, _ in sympy.Poly(m, x, domain=K).factor_list()[1] if f.degree() == 1]
    if not roots:
        return None
    lam_K = min(roots, key=lambda a: abs(field.to_float(a) - lam))
    if abs(field.to_float(lam_K) - lam) > 1e-6 * max(1.0, abs(lam)):
        return None
    try:
        import flint  # noqa: F401
    except ImportError:  # without flint: row reduction over K below
        pass
    else:
        return _split_by_idempotent(field, SVq, Q, Qc, m, lam_K, why)
    SV = dm(SVq)
    A = SV - DomainMatrix.eye(rd, K) * lam_K  # type: ignore[no-untyped-call]
    N = A.nullspace()
    d = round(float(field.refs[0, 0]))
    if N.shape[0] != d:
        return None
    R, piv = N.rref()
    C = R.transpose()
    piv = list(piv)
    out = []
    for j, q in enumerate(Q):
        QC = dm(q) * C
        psi = QC.extract(piv, list(range(d)))
        if QC != C * psi:
            raise ExactnessError(f"{why}: the subspace over {field.name} is not invariant under generator {j}")
        out.append(psi)
    Cl = C.to_dense().to_list()
    for c, q in enumerate(Qc):  # tr((Q(g_c) C)[F']) = Σ_a Σ_j Q(g_c)[F'_a, j] C[j, a]: only the diagonal
        tr = K.zero
        for a, f in enumerate(piv):
            for j, x in enumerate(q[f]):
                if x:
                    tr += K.convert(QQ(x.numerator, x.denominator)) * Cl[j][a]
        if not field.is_character(tr, c):
            raise ExactnessError(f"{why}: the exact images over {field.name} have trace {K.to_sympy(tr)} at class "
                                 f"{c}, not the character")
    return out


def _split_by_idempotent(field: _Field, SVq: list[list[Fraction]], Q: list[list[list[Fraction]]],
                         Qc: list[list[list[Fraction]]], m: list[int], lam_K: Any, why: str) -> list[Any] | None:
    """The split over ``K`` through the idempotent ``e = p(S_V)``, ``p = m / ((x − λ) m'(λ))``, in rational arithmetic.

    ``e = Σ_i θ^i E_i`` with rational ``E_i = Σ_j c_{ji} S_V^j`` (``θ`` the generator of ``K``, ``c_j = Σ_i c_{ji} θ^i``
    the coefficients of ``p``) is the projection onto ``U₁ = ker(S_V − λ I)`` that commutes with ``G`` (``S_V``
    does, checked exactly).  With rows ``F'`` and columns ``J`` where ``M = e[F', J]`` is invertible (chosen on
    the floats), ``C = e[:, J] M⁻¹`` is a basis of ``U₁`` with ``C[F'] = I`` and
    ``ψ(s) = (Q(s)[F', :] e[:, J]) M⁻¹``.  Traces are ``tr ψ(g) = tr(Q(g) e) = Σ_i θ^i tr(Q(g) E_i)``.  Only
    ``d × d`` matrices are handled over ``K``; the rest are python-flint rational products.
    """
    import flint
    import scipy.linalg
    import sympy
    from sympy import QQ
    from sympy.polys.matrices import DomainMatrix

    K, r = field.K, field.r
    d = round(float(field.refs[0, 0]))
    rd = len(SVq)

    def fq(rows: list[list[Fraction]]) -> Any:
        return flint.fmpq_mat(len(rows), len(rows[0]), [flint.fmpq(v.numerator, v.denominator) for row in rows for v in row])

    def coords(a: Any) -> list[Any]:  # a ∈ K as coefficients of θ^0 … θ^(r−1)
        c = list(K.convert(a).to_list())[::-1]
        return [flint.fmpq(int(v.numerator), int(v.denominator)) for v in c] + [flint.fmpq(0)] * (r - len(c))

    x = sympy.Symbol("x")
    mK = sympy.Poly(m, x, domain=K)
    quo = mK.exquo(sympy.Poly([K.one, -lam_K], x, domain=K)).rep.to_list()  # m / (x − λ), highest first
    at = K.zero
    for a in quo:
        at = at * lam_K + a
    cs = [coords(K.quo(a, at)) for a in quo[::-1]]  # p = m / ((x − λ) m'(λ)): c_j, j = 0 … r−1
    SV = fq(SVq)
    for q in Q:  # S_V commutes with G: so does every polynomial in it
        Qm = fq(q)
        if Qm * SV != SV * Qm:
            raise ExactnessError(f"{why}: the commutant element does not commute with the action on the subspace")
    powers = [flint.fmpq_mat(rd, rd, [int(a == b) for a in range(rd) for b in range(rd)])]
    for _ in range(len(cs) - 1):
        powers.append(powers[-1] * SV)
    E = []
    for i in range(r):
        acc = flint.fmpq_mat(rd, rd)
        for j, cj in enumerate(cs):
            if cj[i] != 0:
                acc += powers[j] * cj[i]
        E.append(acc)
    g = field.ext_num
    e_num = np.zeros((rd, rd))
    for i in range(r):
        e_num += np.array([[float(E[i][a, b]) for b in range(rd)] for a in range(rd)]) * g**i
    _, _, cols = scipy.linalg.qr(e_num, pivoting=True)
    J = sorted(int(j) for j in cols[:d])
    _, _, rws = scipy.linalg.qr(e_num[:, J].T, pivoting=True)
    Fp = sorted(int(f) for f in rws[:d])
    theta = [K.one]
    for _ in range(r - 1):
        theta.append(theta[-1] * K.from_sympy(K.ext.as_expr()))

    def to_K(parts: list[Any], rows: int, cols: int) -> Any:  # Σ_i θ^i parts[i] as a DomainMatrix over K
        data = [[sum((theta[i] * K.convert(QQ(int(parts[i][a, b].p), int(parts[i][a, b].q))) for i in range(r)
                      if parts[i][a, b] != 0), K.zero) for b in range(cols)] for a in range(rows)]
        return DomainMatrix(data, (rows, cols), K)

    def sub(A: Any, rows: list[int], cols: list[int]) -> Any:
        return flint.fmpq_mat(len(rows), len(cols), [A[a, b] for a in rows for b in cols])

    EJ = [sub(Ei, list(range(rd)), J) for Ei in E]
    M = to_K([sub(Ei, Fp, J) for Ei in E], d, d)
    try:
        Minv = M.inv()
    except Exception:  # a singular pivot choice: another draw
        return None
    out = []
    for q in Q:
        QF = fq([q[f] for f in Fp])
        out.append(to_K([QF * EJi for EJi in EJ], d, d) * Minv)
    for c, q in enumerate(Qc):  # tr ψ(g_c) = tr(Q(g_c) e), in the cyclotomic field
        Qm = fq(q)
        tr = K.zero
        for i in range(r):
            P = Qm * E[i]
            t = sum((P[a, a] for a in range(rd)), flint.fmpq(0))
            tr += theta[i] * K.convert(QQ(int(t.p), int(t.q)))
        if not field.is_character(tr, c):
            raise ExactnessError(f"{why}: the exact images over {field.name} have trace {K.to_sympy(tr)} at class "
                                 f"{c}, not the character")
    return out
