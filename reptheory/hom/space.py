"""Intertwiner spaces ``Hom_G(ρ_in, ρ_out)`` and the Haar-averaged (Reynolds) projector (docs/explanation/projector.md#intertwiners, docs/explanation/projector.md#mask-and-average, docs/explanation/routes.md#routes).

$$
\\mathrm{Hom}_G(ρ_{in}, ρ_{out}) = \\{W ∈ ℝ^{d_{out}×d_{in}} : ρ_{out}(g) W = W ρ_{in}(g)\\ ∀ g\\},
\\qquad P(W) = ∫_G ρ_{out}(g)\\, W\\, ρ_{in}(g)^{-1}\\, dg.
$$

[`intertwiners`][reptheory.hom.space.intertwiners] returns an immutable [`IntertwinerSpace`][reptheory.hom.space.IntertwinerSpace]; it picks an algorithm
automatically and reports it in ``space.method`` (with the reason in ``space.reason``):

- ``"orbit"``: Signed-permutation (monomial) representations: orbits of G on index pairs (docs/explanation/routes.md#orbit-method).
  Exact, ``O(n_gen · d_out · d_in)``, the group is never enumerated; regular fields by Cayley-table
  look-ups (``h₁⁻¹h₂``), copies by one broadcast.  The space holds the orbit labels
  (``structured_projector()``); the dense ``basis`` and ``basis_exact`` are built on first access.
- ``"diagram"``: O(n), SO(n), Sp(n) on tensor powers of the defining representation, U(n)/SU(n) on mixed
  tensors of ``V`` and ``V*``: a basis of Brauer diagrams (ε-diagrams for SO(n)/SU(n), the
  symplectic form for Sp(n), walled diagrams for U(n)) extracted exactly among the linearly dependent ones,
  no solver (`reptheory.hom.diagrams`, docs/explanation/routes.md#diagram-method). Exact,
  cost proportional to the number of diagrams times their non-zeros. Above ``MAX_DIAGRAMS`` (O(n),
  SO(n), Sp(n); numeric only): the projector onto the span of all diagrams by conjugate gradients,
  with no basis chosen and the dimension from Schur–Weyl duality (`reptheory.hom.diagram_span`,
  docs/explanation/routes.md#diagram-span; ``info["form"] == "span"``), with ``method="diagram"``
  or where the isotypic route does not apply.
- ``"isotypic"``: Known decompositions (``rep.components``, or ``rep.decompose()``): Schur's lemma as
  mask-and-average in the isotypic bases, with the real/complex/quaternionic commutant
  ``{E_u}`` of each irrep (docs/explanation/projector.md#mask-and-average); over ℂ for complex
  representations and for decompositions over ℂ (U(n), SU(n), Sp(n)), where ``End_G(ψ) = ℂ I``
  (docs/explanation/projector.md#mask-and-average-over-c).
- ``"constraints"``: The nullspace of the stacked Sylvester constraints of the discrete generators and the
  Lie-algebra images (docs/explanation/projector.md#sylvester-form), first reduced to the orbits of every group element
  whose images are signed permutations (monomial discrete generators, and
  ``exp(θ dρ(X_a))`` for ``θ ∈ {π/2, π}`` when that is monomial, e.g. the 90° rotations
  of SO(3) on tensor powers).  Numeric by SVD / Gram eigendecomposition, exact by a
  multi-modular rational nullspace with exact verification (`reptheory._numerics.exact`),
  or over an algebraic number field with sympy's ``DomainMatrix``.
- ``"average"``: The explicit group average over all elements (finite groups only; the test oracle).

**Orthogonal and non-orthogonal representations.**  For orthogonal (unitary) ``ρ_in``,
``ρ_out`` the Reynolds operator is the Frobenius-orthogonal projector onto
``Hom_G`` (docs/explanation/projector.md#reynolds-is-orthogonal) and [`IntertwinerSpace.project`][reptheory.hom.space.IntertwinerSpace.project] applies it.  For
non-orthogonal representations the space uses **Weyl's trick**: ``ρ = S σ S⁻¹`` with
``σ`` orthogonal (``rep.orthogonalize()``), and [`project`][reptheory.hom.space.IntertwinerSpace.project] returns
the *oblique* Reynolds projector ``W ↦ S_out P_σ(S_out⁻¹ W S_in) S_in⁻¹`` (equal to the
explicit group average; docs/explanation/projector.md#reynolds-operator).  ``space.projector_kind`` is ``"reynolds"`` in
the first case and ``"reynolds-oblique"`` in the second; the basis is always
Frobenius-orthonormal.  [`structured_projector`][reptheory.hom.space.IntertwinerSpace.structured_projector] gives the
oblique projector no structured form and refuses unless asked for
``kind="orthogonal"`` (the Frobenius-orthogonal projector onto the same space).

Examples
--------
>>> from reptheory import groups, Representation
>>> G = groups.dihedral(4)
>>> R = Representation.regular(G)
>>> H = intertwiners(2 * R, R)
>>> H.dim, H.method
(16, 'orbit')
>>> V = Representation.defining(groups.symmetric(5))
>>> commutant(V @ V).dim          # Bell number B(4)
15
"""

from __future__ import annotations

import functools
import time
from functools import cached_property
from typing import Any

import numpy as np

from reptheory._numerics.linalg import generator_residual, orthonormalize
from reptheory.errors import (
    ConvergenceError,
    DimensionMismatchError,
    ExactnessError,
    GroupMismatchError,
    InvalidArgumentError,
    TooLargeError,
)
from reptheory.hom.orbits import monomial_actions
from reptheory.hom.projectors import BasisProjector, StructuredProjector

__all__ = [
    "IntertwinerSpace",
    "intertwiners",
    "commutant",
    "invariants",
    "clear_cache",
    "METHODS",
    "MAX_BASIS_ENTRIES",
    "MAX_DENSE_PROJECTOR",
]

#: Algorithms accepted by ``method=``.
METHODS = ("auto", "orbit", "diagram", "isotypic", "constraints", "average")
#: Largest ``k · d_out · d_in`` for which ``space.basis`` is materialised (1 GiB of float64).
MAX_BASIS_ENTRIES = 2**27
#: Largest ``d_out · d_in`` for which the dense ``(d_out·d_in)²`` projector matrix is built (128 MiB).
MAX_DENSE_PROJECTOR = 4096
#: Largest ``k · d_out · d_in`` for which ``space.basis_exact`` builds sympy matrices.
MAX_EXACT_ENTRIES = 2_000_000


# ============================================================================ exact data
class _ExactData:
    """An exact basis ``B_i = S @ num[:, i] / den[i]`` (S integer sparse, n × r), or sympy matrices.

    ``S`` may be given as a zero-argument callable, built on first use (the orbit route's signed
    orbit indicators: most callers never ask for an exact basis).
    """

    def __init__(self, S: Any = None, num: Any = None, den: Any = None, sympy_basis: Any = None, domain: str = "QQ",
                 k: int | None = None):
        self._S = S
        self._k = k
        self._num = num
        self._den = den
        self.sympy_basis = sympy_basis
        self.domain = domain

    @property
    def S(self) -> Any:
        """The sparse integer matrix ``S`` (n × r), built on first use when given as a callable."""
        if callable(self._S):
            self._S = self._S()
        return self._S

    @property
    def num(self) -> Any:
        """Numerators (r, k), object array of Python ints (identity when not given)."""
        if self._num is None:
            return np.eye(self.S.shape[1], dtype=np.int64).astype(object)
        return self._num

    @property
    def den(self) -> Any:
        """Denominators (k,), object array of Python ints."""
        if self._den is None:
            return np.ones(self.S.shape[1], dtype=object)
        return self._den

    @property
    def k(self) -> int:
        if self.sympy_basis is not None:
            return len(self.sympy_basis)
        if self._num is not None:
            return int(self._num.shape[1])
        return int(self._k) if self._k is not None else int(self.S.shape[1])

    def float_basis(self, shape: tuple[int, int]) -> np.ndarray:
        if self.sympy_basis is not None:
            mats = [np.array(m.evalf(20).tolist(), dtype=np.complex128) for m in self.sympy_basis]
            arr = np.stack(mats) if mats else np.zeros((0, *shape), dtype=np.complex128)
            return arr.real.copy() if np.abs(arr.imag).max(initial=0) == 0 else arr
        if self._num is None:
            return np.asarray(self.S.T.toarray(), dtype=np.float64).reshape(self.k, *shape)
        coef = np.array([[float(int(x)) for x in row] for row in self.num], dtype=np.float64).reshape(self.num.shape)
        coef = coef / np.array([float(int(x)) for x in self.den]) if self.k else coef
        return np.asarray((self.S @ coef).T).reshape(self.k, *shape)

    def sympy_matrices(self, shape: tuple[int, int]) -> tuple[Any, ...]:
        import sympy

        if self.sympy_basis is not None:
            return tuple(sympy.ImmutableMatrix(m) for m in self.sympy_basis)
        n = shape[0] * shape[1]
        if self.k * n > MAX_EXACT_ENTRIES:
            raise TooLargeError(f"exact basis of {self.k} matrices of shape {shape} exceeds {MAX_EXACT_ENTRIES} "
                                "entries", estimate=self.k * n, limit=MAX_EXACT_ENTRIES)
        S = self.S.tocsc()
        out = []
        for i in range(self.k):
            den = int(self.den[i])
            col = np.zeros(n, dtype=object)
            col[:] = 0
            nzr = [r for r in range(self.num.shape[0]) if int(self.num[r, i]) != 0]
            for r in nzr:
                a = int(self.num[r, i])
                lo, hi = S.indptr[r], S.indptr[r + 1]
                for idx, val in zip(S.indices[lo:hi], S.data[lo:hi], strict=True):
                    col[idx] = col[idx] + a * int(val)
            ents = [sympy.Rational(int(x), den) for x in col]
            out.append(sympy.ImmutableMatrix(shape[0], shape[1], ents))
        return tuple(out)


# ============================================================================ the space
class IntertwinerSpace:
    """``Hom_G(ρ_in, ρ_out)`` with its basis and Reynolds projector (see the module docstring).

    Do not construct directly; use [`intertwiners`][reptheory.hom.space.intertwiners].

    Attributes
    ----------
    dim : int
        ``k = dim Hom_G``.
    shape : tuple of int
        ``(d_out, d_in)``.
    method : str
        The algorithm that ran (``"orbit"``, ``"isotypic"``, ``"constraints"``, ``"average"``).
    reason : str
        Why it was chosen, and what it did (solver, reductions).
    exact : bool
        Whether an exact basis was computed (``basis_exact`` available).
    projector_kind : str
        ``"reynolds"`` (orthogonal reps: the orthogonal projector) or ``"reynolds-oblique"``.
    info : dict
        Diagnostics (solver, gap, orbit counts, seconds).

    Examples
    --------
    >>> import numpy as np
    >>> from reptheory import groups, Representation
    >>> R = Representation.regular(groups.cyclic(4))
    >>> H = commutant(R)
    >>> W = np.arange(16.0).reshape(4, 4)
    >>> P = H.project(W)
    >>> bool(np.allclose(H.project(P), P)), float(H.residual(P)) < 1e-12
    (True, True)
    """

    def __init__(
        self,
        *,
        shape: tuple[int, int],
        dim: int,
        method: str,
        reason: str,
        pairs: list[tuple[np.ndarray, np.ndarray]],
        structured: StructuredProjector,
        conj: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None = None,
        exact_data: _ExactData | None = None,
        info: dict[str, Any] | None = None,
        meta: dict[str, Any] | None = None,
        basis: np.ndarray | None = None,
        rho_in: Any = None,
        rho_out: Any = None,
    ) -> None:
        self.shape = (int(shape[0]), int(shape[1]))
        self.dim = int(dim)
        self.method = method
        self.reason = reason
        self._pairs = [(np.asarray(a), np.asarray(b)) for a, b in pairs]
        self._structured = structured
        self._conj = conj
        self._exact = exact_data
        self.info = dict(info or {})
        self.meta = dict(meta or {})
        self.rho_in = rho_in
        self.rho_out = rho_out
        if basis is not None:
            b = np.asarray(basis)
            b.setflags(write=False)
            self.__dict__["basis"] = b
        self._frozen = True

    def __setattr__(self, name: str, value: Any) -> None:
        if getattr(self, "_frozen", False):
            raise AttributeError(f"IntertwinerSpace is immutable: cannot set {name!r}")
        object.__setattr__(self, name, value)

    def __repr__(self) -> str:
        return (f"IntertwinerSpace(dim={self.dim}, shape={self.shape}, method={self.method!r}, "
                f"exact={self.exact})")

    # ------------------------------------------------------------------ properties
    @property
    def exact(self) -> bool:
        """Whether an exact basis is available."""
        return self._exact is not None

    @property
    def projector_kind(self) -> str:
        """``"reynolds"`` (orthogonal projector) or ``"reynolds-oblique"`` (non-orthogonal reps)."""
        return "reynolds" if self._conj is None else "reynolds-oblique"

    @property
    def generator_pairs(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """The constraints ``(A_out, A_in)``: ``A_out W = W A_in`` (generator images, then algebra images)."""
        return list(self._pairs)

    @cached_property
    def basis(self) -> np.ndarray:
        """Frobenius-orthonormal basis of ``Hom_G``, shape (k, d_out, d_in), float64 (complex128 for complex reps).

        Raises
        ------
        TooLargeError
            If ``k · d_out · d_in`` exceeds `MAX_BASIS_ENTRIES`; use [`project`][reptheory.hom.space.IntertwinerSpace.project] or
            [`structured_projector`][reptheory.hom.space.IntertwinerSpace.structured_projector] instead.
        """
        n = self.shape[0] * self.shape[1]
        if self.dim * n > MAX_BASIS_ENTRIES:
            raise TooLargeError(
                f"a dense basis of {self.dim} matrices of shape {self.shape} would hold {self.dim * n} numbers "
                f"({8 * self.dim * n / 2**30:.1f} GiB; limit {MAX_BASIS_ENTRIES}); use project() or "
                "structured_projector()", estimate=self.dim * n, limit=MAX_BASIS_ENTRIES)
        S = self._structured
        B = S.basis if isinstance(S, BasisProjector) else S.basis()
        if self._conj is not None:
            S_out, _, _, S_in_inv = self._conj
            B = orthonormalize(S_out @ B @ S_in_inv)
        B = np.ascontiguousarray(B)
        B.setflags(write=False)
        return B

    @cached_property
    def basis_exact(self) -> tuple[Any, ...]:
        """Exact basis (sympy ``ImmutableMatrix`` with rational or algebraic entries), canonical rref form.

        The matrices span ``Hom_G`` but are not orthonormal (that would need square roots,
        docs/explanation/projector.md#reynolds-is-orthogonal).  Available when the space was computed with ``exact=True`` (and for
        the orbit method, which is always exact).

        Raises
        ------
        ExactnessError
            If no exact basis was computed.
        """
        if self._exact is None:
            raise ExactnessError("this space has no exact basis; call intertwiners(..., exact=True)")
        return self._exact.sympy_matrices(self.shape)

    # ------------------------------------------------------------------ projector
    def _check_W(self, W: Any, name: str = "W") -> np.ndarray:
        arr = np.asarray(W)
        if arr.dtype.kind not in "fciub":
            raise InvalidArgumentError(f"{name} must be a numeric array, got dtype {arr.dtype}")
        if arr.ndim < 2 or arr.shape[-2:] != self.shape:
            raise DimensionMismatchError(f"{name} must have shape (..., {self.shape[0]}, {self.shape[1]}), "
                                         f"got {arr.shape}")
        if arr.dtype.kind in "fc" and not np.all(np.isfinite(arr)):
            raise InvalidArgumentError(f"{name} has non-finite entries (NaN or inf)")
        return arr

    def project(self, W: Any) -> np.ndarray:
        """The Reynolds projection ``P(W)`` for ``W`` of shape (..., d_out, d_in).

        Orthogonal reps: the orthogonal projector; otherwise the oblique Reynolds operator.
        """
        W = self._check_W(W)
        if self._conj is None:
            return self._structured.apply(W)
        S_out, S_out_inv, S_in, S_in_inv = self._conj
        out_dtype = W.dtype if W.dtype.kind in "fc" else np.dtype(np.float64)
        inner = self._structured.apply(S_out_inv @ W @ S_in)
        return (S_out @ inner @ S_in_inv).astype(out_dtype, copy=False)

    __call__ = project

    def projector(self) -> np.ndarray:
        """The dense Reynolds matrix, shape ``(d_out·d_in, d_out·d_in)``, row-major flattening.

        Raises
        ------
        TooLargeError
            If ``d_out · d_in`` exceeds `MAX_DENSE_PROJECTOR`.
        """
        n = self.shape[0] * self.shape[1]
        if n > MAX_DENSE_PROJECTOR:
            raise TooLargeError(
                f"the dense projector would be {n}x{n} ({8 * n * n / 2**30:.2f} GiB; limit d_out*d_in <= "
                f"{MAX_DENSE_PROJECTOR}); use project() or structured_projector()", estimate=n,
                limit=MAX_DENSE_PROJECTOR)
        E = np.eye(n).reshape(n, *self.shape)
        return np.ascontiguousarray(self.project(E).reshape(n, n).T)

    def structured_projector(self, kind: str = "reynolds") -> StructuredProjector:
        """The cheapest structured form of the projector (orbit, isotypic or basis).

        Parameters
        ----------
        kind : {"reynolds", "orthogonal"}
            For orthogonal representations both are the same.  For non-orthogonal ones the
            Reynolds operator is oblique and has no structured form here: ``"reynolds"``
            raises, ``"orthogonal"`` returns the Frobenius-orthogonal projector onto
            ``Hom_G`` (a [`BasisProjector`][reptheory.hom.space.BasisProjector]).
        """
        if kind not in ("reynolds", "orthogonal"):
            raise InvalidArgumentError(f"kind must be 'reynolds' or 'orthogonal', got {kind!r}")
        if self._conj is None:
            return self._structured
        if kind == "reynolds":
            raise InvalidArgumentError(
                "the Reynolds projector of non-orthogonal representations is oblique and has no structured form; "
                "use space.project(), orthogonalize the representations, or pass kind='orthogonal' for the "
                "Frobenius-orthogonal projector onto the same space"
            )
        return BasisProjector(self.basis)

    def residual(self, W: Any) -> np.ndarray:
        """``max_s ‖A_out,s W − W A_in,s‖_F`` over the constraints (generators and Lie-algebra images).

        Shape ``W.shape[:-2]``; zero exactly on ``Hom_G``.
        """
        W = self._check_W(W)
        return generator_residual(self._pairs, W)

    @cached_property
    def error_bound(self) -> dict[str, float]:
        """Numeric accuracy: ``residual`` (largest relative generator residual of a projected random
        matrix, or of the basis when it is materialised), ``idempotence`` (``‖P²W − PW‖/‖PW‖``),
        ``orthonormality`` (``‖B Bᵀ − I‖`` of the basis, when materialised) and, for nullspace
        solvers, the singular-value ``gap`` at the rank cut."""
        if self.dim == 0:  # the zero space: nothing to be inaccurate about
            out0 = {"residual": 0.0, "idempotence": 0.0, "orthonormality": 0.0}
            if "gap" in self.info:
                out0["gap"] = float(self.info["gap"])
            return out0
        rng = np.random.default_rng(0)
        W = rng.standard_normal((2, *self.shape))
        PW = self.project(W)
        scale = max(1.0, max((float(np.linalg.norm(a)) + float(np.linalg.norm(b)) for a, b in self._pairs), default=1.0))
        nrm = np.maximum(np.sqrt(np.sum(np.abs(PW) ** 2, axis=(-2, -1))), 1e-300)
        res = float(np.max(generator_residual(self._pairs, PW) / nrm)) / scale if self.dim else 0.0
        idem = float(np.max(np.sqrt(np.sum(np.abs(self.project(PW) - PW) ** 2, axis=(-2, -1))) / nrm)) if self.dim else 0.0
        out = {"residual": res, "idempotence": idem}
        n = self.shape[0] * self.shape[1]
        if self.dim * n <= 2**22:
            B = self.basis
            flat = B.reshape(self.dim, -1)
            out["orthonormality"] = float(np.linalg.norm(flat @ flat.conj().T - np.eye(self.dim))) if self.dim else 0.0
            if self.dim:
                out["residual"] = max(out["residual"], float(np.max(generator_residual(self._pairs, B))) / scale)
        if "gap" in self.info:
            out["gap"] = float(self.info["gap"])
        return out

    # ------------------------------------------------------------------ export
    def save(self, path: Any, *, key: Any = None) -> None:
        """Write to ``path`` (``.npz`` with embedded JSON metadata); see [`reptheory.io.save_space`][reptheory.io.save_space].

        ``key`` (or the environment variable ``REPTHEORY_KEY``) signs the file with HMAC-SHA256.
        """
        from reptheory.io import save_space

        save_space(self, path, key=key)


# ============================================================================ validation
def _validate(rho_in: Any, rho_out: Any, exact: Any, method: str) -> None:
    from reptheory.reps.representation import Representation

    for name, r in (("rho_in", rho_in), ("rho_out", rho_out)):
        if not isinstance(r, Representation):
            raise InvalidArgumentError(f"{name} must be a Representation, got {type(r).__name__}")
        # a monomial representation's images are built from its coefficients: check those (O(k·d))
        arrays = (r.images, r.algebra) if r.monomial is None else (r.monomial[1], r.algebra)
        for arr in arrays:
            if arr.size and not np.all(np.isfinite(arr)):
                raise InvalidArgumentError(f"{name} ({r.name!r}) has non-finite entries (NaN or inf)")
    if rho_in.group != rho_out.group:
        raise GroupMismatchError(
            f"rho_in and rho_out are representations of different groups "
            f"({rho_in.group.name!r} and {rho_out.group.name!r})"
        )
    if not isinstance(exact, bool):
        raise InvalidArgumentError(f"exact must be a bool, got {exact!r}")
    if method not in METHODS:
        import difflib

        close = difflib.get_close_matches(str(method), METHODS, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise InvalidArgumentError(f"method must be one of {METHODS}, got {method!r}{hint}")



# ============================================================================ entry points
def _compute(rho_in: Any, rho_out: Any, exact: bool, method: str, rationalize: bool, rng: Any) -> IntertwinerSpace:
    from reptheory.hom._routes import (
        _route_average,
        _route_constraints,
        _route_diagram,
        _route_diagram_span,
        _route_isotypic,
        _route_orbit,
    )

    t0 = time.perf_counter()
    signed = monomial_actions(rho_in) is not None and monomial_actions(rho_out) is not None
    space = None
    if not signed and method in ("auto", "isotypic") and rho_in.components is not None \
            and rho_out.components is not None:
        # known block decompositions into (orthogonal) irreps: no orthogonality check needed
        space = _route_isotypic(rho_in, rho_out, exact, allow_decompose=False)
    orth = space is not None or signed or (rho_in.is_orthogonal() and rho_out.is_orthogonal())
    if space is not None:
        pass
    elif method == "average":
        space = _route_average(rho_in, rho_out, exact, rng)
    elif not orth:
        space = _oblique(rho_in, rho_out, exact, method, rationalize, rng)
    else:
        if method in ("auto", "diagram"):
            space = _route_diagram(rho_in, rho_out, exact)
            if space is None and method == "diagram" and not exact:
                space = _route_diagram_span(rho_in, rho_out)
            if space is None and method == "diagram":
                raise InvalidArgumentError(
                    f"method='diagram' needs O(n), SO(n) or Sp(n) on tensor powers of the defining representation "
                    f"(or U(n)/SU(n) on mixed tensors of V and V*); {rho_in.name!r} -> {rho_out.name!r} is not, or "
                    f"has too many diagrams{' for an exact basis' if exact else ''}")
        if space is None and method in ("auto", "orbit"):
            space = _route_orbit(rho_in, rho_out, exact)
            if space is None and method == "orbit":
                raise InvalidArgumentError(
                    f"method='orbit' needs signed-permutation (monomial) representations; "
                    f"{rho_in.name!r} or {rho_out.name!r} is not (finite groups only)")
        if space is None and method in ("auto", "isotypic"):
            space = _route_isotypic(rho_in, rho_out, exact, allow_decompose=(method == "isotypic"))
            if space is None and method == "isotypic":
                raise InvalidArgumentError(
                    "method='isotypic' needs orthogonal (unitary) representations with known or computable "
                    "decompositions into orthogonal catalogue irreps (over ℂ: irreps irreducible over ℂ; "
                    "and, for exact=True, real representations with permutation bases)")
        if space is None and method == "auto" and not exact and _prefer_isotypic(rho_in, rho_out):
            space = _route_isotypic(rho_in, rho_out, exact, allow_decompose=True)
        if space is None and method == "auto" and not exact:
            space = _route_diagram_span(rho_in, rho_out)
        if space is None:
            try:
                space = _route_constraints(rho_in, rho_out, exact, rationalize, rng)
            except (TooLargeError, ConvergenceError) as exc:
                # a solver that does not scale (or whose rank decision failed against the character
                # formula) is not the answer: route through the decomposition, which does scale
                if method != "auto" or exact:
                    raise
                space = _route_isotypic(rho_in, rho_out, exact, allow_decompose=True)
                if space is None:
                    raise
                space.info["fallback_from"] = f"constraints ({type(exc).__name__})"
    assert space is not None
    space.info.setdefault("seconds", time.perf_counter() - t0)
    space.info["exact_requested"] = exact
    return space


#: Above this many unknowns and this nullity, the constraints route is a sparse eigensolver hunting
#: a large nullspace (slow, fragile); the decomposition scales with the number of copies instead.
_ISOTYPIC_FIRST_UNKNOWNS = 4096
_ISOTYPIC_FIRST_NULLITY = 64


def _prefer_isotypic(rho_in: Any, rho_out: Any) -> bool:
    from reptheory.hom._routes import _character_dimension, _isotypic_cheaper

    if _isotypic_cheaper(rho_in, rho_out):  # compact Lie groups: the cost model in _routes
        return True
    if rho_in.dim * rho_out.dim <= _ISOTYPIC_FIRST_UNKNOWNS:
        return False
    expected = _character_dimension(rho_in, rho_out)
    return expected is not None and expected > _ISOTYPIC_FIRST_NULLITY


def _oblique(rho_in: Any, rho_out: Any, exact: bool, method: str, rationalize: bool, rng: Any) -> IntertwinerSpace:
    """Non-orthogonal reps: solve for the orthogonalised pair, wrap with Weyl's change of basis."""
    from reptheory.hom._routes import _constraint_pairs, _meta, _route_constraints

    sig_in, Li = rho_in.orthogonalize()
    sig_out, Lo = rho_out.orthogonalize()
    inner = _compute(sig_in, sig_out, False, "auto" if method == "auto" else method, rationalize, rng)
    S_out, S_out_inv = np.linalg.inv(Lo), Lo
    S_in, S_in_inv = np.linalg.inv(Li), Li
    exd = None
    if exact:
        exd_space = _route_constraints(rho_in, rho_out, True, rationalize, rng)
        exd = exd_space._exact
        if exd_space.dim != inner.dim:
            raise ExactnessError(f"exact dimension {exd_space.dim} differs from the numeric one {inner.dim}")
    structured = inner._structured
    return IntertwinerSpace(
        shape=(rho_out.dim, rho_in.dim), dim=inner.dim, method=inner.method,
        reason=inner.reason + "; non-orthogonal representations: Weyl's trick (oblique Reynolds projector)",
        pairs=_constraint_pairs(rho_in, rho_out), structured=structured,
        conj=(S_out, S_out_inv, S_in, S_in_inv), exact_data=exd, info=dict(inner.info), meta=_meta(rho_in, rho_out),
        rho_in=rho_in, rho_out=rho_out,
    )


@functools.lru_cache(maxsize=64)
def _memo(rho_in: Any, rho_out: Any, exact: bool, method: str, rationalize: bool) -> IntertwinerSpace:
    from reptheory.hom import _cache

    key = _cache.cache_key(rho_in, rho_out, exact, method, rationalize)
    hit = _cache.lookup(key, rho_in, rho_out)
    if hit is not None:
        return hit
    space = _compute(rho_in, rho_out, exact, method, rationalize, None)
    _cache.maybe_store(key, space)
    return space


def clear_cache() -> None:
    """Empty the in-memory cache of [`intertwiners`][reptheory.hom.space.intertwiners] (the disk cache is left alone)."""
    _memo.cache_clear()


def intertwiners(
    rho_in: Any,
    rho_out: Any,
    *,
    exact: bool = False,
    method: str = "auto",
    cache: bool = True,
    rationalize: bool = False,
) -> IntertwinerSpace:
    """The space ``Hom_G(ρ_in, ρ_out)`` with a basis and the Reynolds projector.

    Parameters
    ----------
    rho_in, rho_out : Representation
        Representations of the same group.
    exact : bool
        Also compute an exact basis (``basis_exact``; rational, or algebraic for algebraic images).
        Needs exact images (``exact_images``/``exact_algebra``, integer-valued floats, or
        ``rationalize=True``).
    method : {"auto", "orbit", "diagram", "isotypic", "constraints", "average"}
        See the module docstring; ``"auto"`` picks the cheapest applicable one.
    cache : bool
        Use the in-memory cache (keyed by ``rep.key``) and the disk cache
        (`reptheory.hom._cache`; only for results that took long to compute).
    rationalize : bool
        With ``exact=True`` and float-only images: round the images to rationals (denominators
        ≤ 10⁶, accepted only within the tolerance policy) and verify the result against the floats.

    Returns
    -------
    IntertwinerSpace

    Raises
    ------
    GroupMismatchError
        Representations of different groups.
    ExactnessError
        ``exact=True`` for float-only representations without ``rationalize``.
    TooLargeError
        No structured route applies and the dense nullspace would be too large.
    InvalidArgumentError
        Unknown method, non-finite entries, or a method that does not apply.

    Notes
    -----
    Cost: orbit ``O(n_gen d_out d_in)``; isotypic ``O(d³)`` for the basis changes; constraints
    ``O(n_gen d_out d_in r)`` to build and ``O(r³)`` to solve with ``r`` the number of orbit
    unknowns (≤ ``d_out d_in``; dense up to `reptheory._numerics.linalg.MAX_DENSE_UNKNOWNS`, sparse
    shift-invert Lanczos above that while the Gram matrix is sparse, else refused);
    average ``O(|G| (d_out d_in)²)``.

    Examples
    --------
    >>> from reptheory import groups, Representation
    >>> G = groups.octahedral()
    >>> V = Representation.defining(G)
    >>> intertwiners(V @ V, V).dim    # the cross product
    1
    >>> intertwiners(V, V, exact=True).basis_exact[0]
    Matrix([
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1]])
    """
    _validate(rho_in, rho_out, exact, method)
    if not isinstance(rationalize, bool):
        raise InvalidArgumentError(f"rationalize must be a bool, got {rationalize!r}")
    if cache:
        return _memo(rho_in, rho_out, exact, method, rationalize)
    return _compute(rho_in, rho_out, exact, method, rationalize, None)


def commutant(rho: Any, *, exact: bool = False, method: str = "auto", **kwargs: Any) -> IntertwinerSpace:
    """``End_G(ρ) = Hom_G(ρ, ρ)``; see [`intertwiners`][reptheory.hom.space.intertwiners].

    Examples
    --------
    >>> from reptheory import groups, Representation
    >>> commutant(Representation.regular(groups.dihedral(5))).dim
    10
    """
    _check_kwargs(kwargs, "commutant")
    return intertwiners(rho, rho, exact=exact, method=method, **kwargs)


def invariants(rho: Any, *, exact: bool = False, method: str = "auto", **kwargs: Any) -> IntertwinerSpace:
    """Invariant vectors ``{v : ρ(g) v = v}`` as ``Hom_G(trivial, ρ)`` (shape ``(d, 1)``): where biases live.

    ``space.basis[:, :, 0]`` is an orthonormal basis of the invariant vectors.

    Examples
    --------
    >>> from reptheory import groups, Representation
    >>> invariants(Representation.regular(groups.cyclic(6))).basis[:, :, 0].round(3).tolist()
    [[0.408, 0.408, 0.408, 0.408, 0.408, 0.408]]
    """
    from reptheory.reps.representation import Representation

    if not isinstance(rho, Representation):
        raise InvalidArgumentError(f"rho must be a Representation, got {type(rho).__name__}")
    triv = _trivial_like(rho)
    _check_kwargs(kwargs, "invariants")
    return intertwiners(triv, rho, exact=exact, method=method, **kwargs)


_FORWARDED = ("cache", "rationalize")


def _check_kwargs(kwargs: dict[str, Any], where: str) -> None:
    unknown = sorted(set(kwargs) - set(_FORWARDED))
    if unknown:
        raise InvalidArgumentError(
            f"{where}() got unknown keyword argument(s) {', '.join(unknown)}; accepted: exact, method, "
            + ", ".join(_FORWARDED)
        )


def _trivial_like(rho: Any) -> Any:
    from reptheory.reps.representation import Representation

    triv = Representation.trivial(rho.group)
    return triv

