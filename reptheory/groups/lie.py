"""Compact Lie groups given by a Lie-algebra basis and discrete generators (docs/explanation/projector.md#groups-and-representations, docs/explanation/lie-groups.md#catalogue).

A :class:`CompactLieGroup` is a matrix group ``G ⊂ GL(n)`` described by

* a basis ``X_1 … X_a`` of its Lie algebra, as ``n × n`` matrices of a faithful
  (defining) representation, skew-symmetric (real groups) or skew-Hermitian (complex
  groups), with structure constants ``[X_a, X_b] = Σ_c f_abc X_c``;
* discrete generators ``s_1 … s_k`` reaching the other connected components
  (the reflection of O(2), the inversion ``−I`` of O(3)).

Elements are stored in exponential coordinates plus a discrete part,
``g = Π_f exp(Σ_a θ_fa X_a) · s_{w_f}`` (one factor after canonicalisation, see
:class:`LieGroupElement`).  A representation is given by the images ``dρ(X_a)``
(``Representation.algebra``, shape (a, d, d)) and ``ρ(s_j)`` (``Representation.images``,
shape (k, d, d)); ``ρ(exp(X) s) = exp(dρ(X)) ρ(s)``.

The catalogue (SO(n), O(n), SU(2), U(1), products) lives in
:mod:`reptheory.groups.lie_catalog`; closed-form irreps in :mod:`reptheory.decomposition.irreps.lie`.

What stays exact and what is float:

* exact (sympy): integer, rational or sympy generators given to :meth:`CompactLieGroup.from_generators`
  (``exact_lie_algebra``, ``exact_discrete``), including the catalogue's integer ``L_ij``, ``±I``,
  ``diag(1, −1)`` and SU(2)'s ``−iσ/2``; the structure constants on request
  (:attr:`CompactLieGroup.exact_structure_constants`); the algebra images of every catalogue
  irrep (:mod:`reptheory.decomposition.irreps.lie`); representations built from integer/sympy algebra images;
  and whatever the core's ⊕, ⊗, dual and ``change_basis`` propagate (an exact commutant step can
  start from ``rep.exact_algebra`` and ``rep.exact_images``);
* floats: the structure constants used for validation, exponential coordinates and logarithms
  of elements, Haar samples, ``ρ(g)`` (matrix exponential), decompositions (``Q``) and character
  integrals (an exact quadrature rule evaluated in floats, rounded by ``hom_dimension``).

Haar sampling (catalogue groups only, docs/explanation/lie-groups.md#haar-sampling) is described in :meth:`CompactLieGroup.sample`.

Examples
--------
>>> import numpy as np
>>> from reptheory.groups.lie import CompactLieGroup
>>> Lz = np.array([[0, -1, 0], [1, 0, 0], [0, 0, 0]])
>>> G = CompactLieGroup.from_generators([Lz], name="rotations about z")
>>> G
CompactLieGroup('rotations about z', lie_dim=1, discrete=0, n=3)
>>> g = G.element([np.pi / 2])
>>> np.round(g.matrix, 12).astype(int).tolist()
[[0, -1, 0], [1, 0, 0], [0, 0, 1]]
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
import scipy.linalg

from reptheory._numerics.tolerance import relative_error, tolerance
from reptheory.errors import (
    DimensionMismatchError,
    GroupAxiomError,
    GroupMismatchError,
    InvalidArgumentError,
    NonCompactError,
)
from reptheory.groups._lie_algebra import (
    _check_compact,
    _is_skew,
    _parse_stack,
    _real_flat,
    _rng,
    _snap,
    structure_constants,
)
from reptheory.groups.finite import FiniteGroup, _digest, _ro

if TYPE_CHECKING:
    from reptheory.reps.representation import Representation

__all__ = [
    "CompactLieGroup",
    "LieGroupElement",
    "structure_constants",
]


class LieGroupElement:
    """An element ``g = Π_f exp(Σ_a θ_fa X_a) · s_{w_f}`` of a compact Lie group.

    Attributes
    ----------
    group : CompactLieGroup
    factors : tuple of (ndarray of shape (a,), tuple of int)
        Exponential coordinates and a word in the discrete generators, one pair per
        factor; catalogue groups keep a single factor.
    matrix : ndarray, shape (n, n)
        The defining matrix (equality and hashing use it, rounded to 1e-9).

    Examples
    --------
    >>> from reptheory.groups.lie_catalog import SO2
    >>> G = SO2()
    >>> g = G.element([0.5])
    >>> (g * g).coords.tolist(), g.inverse().coords.tolist()
    ([1.0], [-0.5])
    """

    __slots__ = ("__weakref__", "factors", "group", "matrix")
    group: CompactLieGroup
    factors: tuple[tuple[np.ndarray, tuple[int, ...]], ...]
    matrix: np.ndarray

    def __init__(self, group: CompactLieGroup, factors: tuple[tuple[np.ndarray, tuple[int, ...]], ...], matrix: np.ndarray):
        object.__setattr__(self, "group", group)
        object.__setattr__(self, "factors", tuple((_ro(np.asarray(t, dtype=float)), tuple(w)) for t, w in factors))
        object.__setattr__(self, "matrix", _ro(matrix))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("LieGroupElement is immutable")

    @property
    def coords(self) -> np.ndarray:
        """Exponential coordinates θ (shape (a,)) of a single-factor element ``exp(θ·X) s_w``."""
        if len(self.factors) != 1:
            raise InvalidArgumentError("this element is a product of several factors; it has no single coordinate vector")
        return self.factors[0][0]

    @property
    def discrete(self) -> tuple[int, ...]:
        """The word ``w`` (indices of discrete generators) of a single-factor element."""
        if len(self.factors) != 1:
            raise InvalidArgumentError("this element is a product of several factors; it has no single discrete part")
        return self.factors[0][1]

    def __mul__(self, other: LieGroupElement) -> LieGroupElement:
        if not isinstance(other, LieGroupElement):
            return NotImplemented
        if other.group != self.group:
            raise GroupMismatchError(f"cannot multiply elements of {self.group.name} and {other.group.name}")
        return self.group._canonical(self.factors + other.factors, self.matrix @ other.matrix)

    def inverse(self) -> LieGroupElement:
        """``g⁻¹``: ``(exp(θ) s_w)⁻¹ = s_w⁻¹ exp(−θ)`` (then canonicalised)."""
        G = self.group
        facs: list[tuple[np.ndarray, tuple[int, ...]]] = []
        for t, w in reversed(self.factors):
            for j in reversed(w):
                facs.append((np.zeros(G.lie_dim), (~j,)))
            facs.append((-t, ()))
        return G._canonical(tuple(facs), np.linalg.inv(self.matrix))

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, LieGroupElement)
            and other.group == self.group
            and bool(np.allclose(other.matrix, self.matrix, rtol=0, atol=1e-9))
        )

    def __hash__(self) -> int:
        return hash((self.group.key, np.round(self.matrix.real, 8).tobytes()))

    def __repr__(self) -> str:
        parts = []
        for t, w in self.factors:
            s = "exp(" + ", ".join(f"{x:.4g}" for x in t) + ")"
            if w:
                s += " " + " ".join(f"s{j}" if j >= 0 else f"s{~j}^-1" for j in w)
            parts.append(s)
        return f"{self.group.name}[{' · '.join(parts)}]"


class CompactLieGroup:
    """A compact matrix Lie group: Lie-algebra basis plus discrete generators (docs/explanation/projector.md#groups-and-representations).

    Build one with :meth:`from_generators` or take one from the catalogue
    (:mod:`reptheory.groups.lie_catalog`: ``SO(n)``, ``O(n)``, ``SU2()``, ``U1()``, …).

    Attributes
    ----------
    name : str
    key : str
        Canonical string; equality and hashing use it.
    lie_algebra : ndarray, shape (a, n, n)
        The basis ``X_a`` in the defining representation.
    discrete_generators : ndarray, shape (k, n, n)
    structure_constants : ndarray, shape (a, a, a)
        ``[X_a, X_b] = Σ_c f[a, b, c] X_c``.
    adjoint_discrete : ndarray, shape (k, a, a)
        ``s_j X_a s_j⁻¹ = Σ_b adjoint_discrete[j, b, a] X_b``.
    compact : bool
        False only for algebras accepted with ``allow_noncompact=True``.

    Examples
    --------
    >>> from reptheory.groups.lie_catalog import SO3, O3
    >>> SO3(), O3().num_generators, SO3().lie_dim
    (CompactLieGroup('SO(3)', lie_dim=3, discrete=0, n=3), 1, 3)
    """

    _frozen = False

    def __init__(
        self,
        *,
        name: str,
        key: str,
        lie_algebra: np.ndarray,
        discrete: np.ndarray,
        structure: np.ndarray,
        adjoint_discrete: np.ndarray,
        exact_lie_algebra: tuple[Any, ...] | None = None,
        exact_discrete: tuple[Any, ...] | None = None,
        compact: bool = True,
        kind: str | None = None,
        params: tuple[Any, ...] = (),
        factors: tuple[Any, ...] = (),
        meta: dict[str, Any] | None = None,
    ) -> None:
        self.name = name
        self._key = key
        self.lie_algebra = _ro(lie_algebra)
        self.discrete_generators = _ro(discrete)
        self.structure_constants = _ro(structure)
        self.adjoint_discrete = _ro(adjoint_discrete)
        self.exact_lie_algebra = exact_lie_algebra
        self.exact_discrete = exact_discrete
        self.compact = compact
        self.kind = kind
        self.params = params
        self.factors = factors
        self.meta = dict(meta or {})
        self._frozen = True

    def __setattr__(self, name: str, value: Any) -> None:
        if self._frozen:
            raise AttributeError(f"CompactLieGroup is immutable: cannot set {name!r}")
        object.__setattr__(self, name, value)

    # ------------------------------------------------------------- identity
    @property
    def key(self) -> str:
        """Canonical description used for equality, hashing and caches."""
        return self._key

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CompactLieGroup) and other._key == self._key

    def __hash__(self) -> int:
        return hash(("CompactLieGroup", self._key))

    def __repr__(self) -> str:
        return f"CompactLieGroup({self.name!r}, lie_dim={self.lie_dim}, discrete={self.num_generators}, n={self.n})"

    @property
    def lie_dim(self) -> int:
        """Dimension ``a`` of the Lie algebra."""
        return int(self.lie_algebra.shape[0])

    @property
    def num_generators(self) -> int:
        """Number ``k`` of discrete generators (``Representation.images`` has shape (k, d, d))."""
        return int(self.discrete_generators.shape[0])

    @property
    def n(self) -> int:
        """Size of the defining matrices."""
        return int(self.lie_algebra.shape[-1])

    @property
    def is_complex(self) -> bool:
        """Whether the defining matrices are complex (SU(2), U(1))."""
        return self.lie_algebra.dtype.kind == "c" or self.discrete_generators.dtype.kind == "c"

    @cached_property
    def exact_structure_constants(self) -> Any:
        """Structure constants as a sympy Array, computed exactly from exact generators.

        Raises
        ------
        ExactnessError
            If the generators are floats.
        """
        from reptheory.groups._lie_algebra import exact_structure_constants

        return exact_structure_constants(self)

    # --------------------------------------------------------- construction
    @classmethod
    def from_generators(
        cls,
        lie_algebra: Any,
        discrete: Any = (),
        name: str | None = None,
        *,
        allow_noncompact: bool = False,
    ) -> CompactLieGroup:
        """The matrix Lie group generated by ``exp`` of a Lie algebra and discrete generators.

        Parameters
        ----------
        lie_algebra : sequence of array_like, each shape (n, n)
            A basis of the Lie algebra in a faithful representation: skew-symmetric
            (real) or skew-Hermitian (complex), linearly independent, closed under the
            bracket.  Integer or sympy matrices are also kept exactly.
        discrete : sequence of array_like, each shape (n, n)
            Generators of the component group (orthogonal or unitary, normalising the
            algebra).
        name : str, optional
        allow_noncompact : bool
            Accept a non-compact (or non-skew) algebra for constraint-only uses
            (commutants, generator penalties); Haar sampling and orthogonalisation then
            raise :class:`~reptheory.errors.NonCompactError`.

        Raises
        ------
        DimensionMismatchError
            Wrong shapes.
        InvalidArgumentError
            NaN/inf, linearly dependent generators, non-skew generators of a compact
            algebra, non-orthogonal discrete generators, or discrete generators that
            do not normalise the algebra.
        GroupAxiomError
            The span is not closed under the bracket (the message names the pair).
        NonCompactError
            The algebra is not compact (e.g. the Lorentz algebra so(3, 1)).

        Notes
        -----
        Cost ``O(a³ n²)`` (structure constants by one least-squares solve).

        Examples
        --------
        >>> import numpy as np
        >>> J = np.array([[0, -1], [1, 0]])
        >>> O2 = CompactLieGroup.from_generators([J], [np.diag([1, -1])], name="my O(2)")
        >>> O2.structure_constants.shape, O2.adjoint_discrete.ravel().tolist()
        ((1, 1, 1), [-1.0])
        >>> K = np.array([[0, 1], [1, 0]])  # a boost: non-compact
        >>> CompactLieGroup.from_generators([K])  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        reptheory.errors.NonCompactError: the Lie algebra spanned by lie_algebra is not compact: ...
        """
        X, exact = _parse_stack(lie_algebra, "lie_algebra", allow_empty=False)
        S, exact_s = _parse_stack(discrete, "discrete")
        n = X.shape[-1]
        if S.shape[0] and S.shape[-1] != n:
            raise DimensionMismatchError(f"discrete generators have shape {S.shape[1:]}, expected ({n}, {n})")
        if S.shape[0] == 0:
            S = np.zeros((0, n, n), dtype=X.dtype)
            exact_s = ()
        return cls._build(X, S, exact, exact_s, name=name, allow_noncompact=allow_noncompact)

    @classmethod
    def _build(
        cls,
        X: np.ndarray,
        S: np.ndarray,
        exact: tuple[Any, ...] | None,
        exact_s: tuple[Any, ...] | None,
        *,
        name: str | None,
        allow_noncompact: bool = False,
        key: str | None = None,
        kind: str | None = None,
        params: tuple[Any, ...] = (),
        factors: tuple[Any, ...] = (),
        validate: bool = True,
    ) -> CompactLieGroup:
        tol = tolerance().rtol
        a, n = X.shape[0], X.shape[-1]
        if validate:
            flat = _real_flat(X)
            s = np.linalg.svd(flat, compute_uv=False)
            if s[-1] <= tol * max(1.0, s[0]):
                for i in range(1, a + 1):
                    si = np.linalg.svd(flat[:i], compute_uv=False)
                    if si[-1] <= tol * max(1.0, si[0]):
                        raise InvalidArgumentError(
                            f"lie_algebra is linearly dependent: lie_algebra[{i - 1}] lies in the span of the "
                            f"previous generators (smallest singular value {si[-1]:.3g})"
                        )
        f, res = structure_constants(X)
        if validate:
            bad = np.argwhere(res > tol * 10)
            if bad.size:
                i, j = (int(v) for v in bad[0])
                raise GroupAxiomError(
                    f"lie_algebra is not closed under the bracket: [lie_algebra[{i}], lie_algebra[{j}]] is not in "
                    f"the span (relative residual {res[i, j]:.3g})"
                )
        compact = True
        if validate:
            skew = all(_is_skew(x, tol) for x in X)
            if not skew:
                if allow_noncompact:
                    compact = False
                else:
                    _check_compact(X, f, "lie_algebra")
                    i = next(i for i in range(a) if not _is_skew(X[i], tol))
                    word = "skew-Hermitian" if np.iscomplexobj(X) else "skew-symmetric"
                    raise InvalidArgumentError(
                        f"lie_algebra[{i}] is not {word} (relative error {relative_error(X[i].conj().T, -X[i]):.3g}); "
                        "conjugate the generators into an orthogonal (unitary) basis first"
                    )
        k = S.shape[0]
        ad = np.zeros((k, a, a))
        B = _real_flat(X).T
        for j in range(k):
            sj = S[j]
            if compact and validate and relative_error(sj.conj().T @ sj, np.eye(n)) > tol:
                raise InvalidArgumentError(
                    f"discrete[{j}] is not orthogonal/unitary (relative error "
                    f"{relative_error(sj.conj().T @ sj, np.eye(n)):.3g}); a compact group needs bounded generators"
                )
            sinv = np.linalg.inv(sj)
            conj = np.einsum("ij,ajk,kl->ail", sj, X, sinv)
            coef, *_ = np.linalg.lstsq(B, _real_flat(conj).T, rcond=None)  # (a, a): column a' = coords of s X_a s^-1
            ad[j] = _snap(coef)
            if validate:
                recon = np.einsum("ba,bij->aij", coef, X)
                err = max((relative_error(conj[i], recon[i]) for i in range(a)), default=0.0)
                if err > 10 * tol:
                    raise InvalidArgumentError(
                        f"discrete[{j}] does not normalise the Lie algebra: discrete[{j}] X discrete[{j}]^-1 leaves "
                        f"the span (relative residual {err:.3g})"
                    )
        if key is None:
            key = "lie:" + _digest(np.round(X, 10), np.round(S, 10))
        return cls(
            name=name or f"Lie group of dimension {a} in GL({n})",
            key=key,
            lie_algebra=X,
            discrete=S,
            structure=f,
            adjoint_discrete=ad,
            exact_lie_algebra=exact,
            exact_discrete=exact_s,
            compact=compact,
            kind=kind,
            params=params,
            factors=factors,
        )

    # ------------------------------------------------------------- elements
    def _exp_matrix(self, theta: np.ndarray) -> np.ndarray:
        return scipy.linalg.expm(np.tensordot(theta, self.lie_algebra, axes=1))

    def _word_matrix(self, w: Sequence[int], mats: np.ndarray) -> np.ndarray:
        d = mats.shape[-1] if mats.shape[0] else self.n
        m = np.eye(d, dtype=mats.dtype if mats.size else float)
        for j in w:
            m = m @ (mats[j] if j >= 0 else np.linalg.inv(mats[~j]))
        return m

    @property
    def identity(self) -> LieGroupElement:
        """The identity element."""
        return LieGroupElement(self, ((np.zeros(self.lie_dim), ()),), np.eye(self.n, dtype=self.lie_algebra.dtype))

    def element(self, coords: Any = None, discrete: Sequence[int] = (), *, matrix: Any = None) -> LieGroupElement:
        """The element ``exp(Σ_a θ_a X_a) · s_{w_1} s_{w_2} …``, or the element with a given defining matrix.

        Parameters
        ----------
        coords : array_like, shape (a,)
            Exponential coordinates θ (default 0).
        discrete : sequence of int
            Word in the discrete generators (``~j`` means the inverse of ``s_j``).
        matrix : array_like, shape (n, n), optional
            Instead: a defining matrix (its logarithm is computed; see :meth:`from_matrix`).

        Examples
        --------
        >>> import numpy as np
        >>> from reptheory.groups.lie_catalog import O2
        >>> g = O2().element([np.pi / 2], [0])
        >>> np.round(g.matrix, 12).tolist()
        [[0.0, 1.0], [1.0, 0.0]]
        """
        if matrix is not None:
            return self.from_matrix(matrix)
        theta = np.zeros(self.lie_dim) if coords is None else np.asarray(coords, dtype=float).reshape(-1)
        if theta.shape != (self.lie_dim,):
            raise DimensionMismatchError(f"coords must have {self.lie_dim} entries, got shape {np.shape(coords)}")
        if not np.isfinite(theta).all():
            raise InvalidArgumentError(f"coords has non-finite entries: {theta}")
        w = tuple(int(j) for j in discrete)
        for j in w:
            if not (-self.num_generators <= j < self.num_generators):
                raise InvalidArgumentError(f"discrete word {w} names generator {j}; {self.name} has {self.num_generators}")
        M = self._exp_matrix(theta) @ self._word_matrix(w, self.discrete_generators)
        return self._canonical(((theta, w),), M)

    def from_matrix(self, matrix: Any) -> LieGroupElement:
        """The element with defining matrix ``M`` (a logarithm is computed).

        Raises
        ------
        InvalidArgumentError
            ``M`` is not (numerically) in the group, or no logarithm was found.

        Examples
        --------
        >>> import numpy as np
        >>> from reptheory.groups.lie_catalog import SO3
        >>> g = SO3().from_matrix(np.diag([1.0, -1.0, -1.0]))
        >>> np.round(np.abs(g.coords), 6).tolist()
        [3.141593, 0.0, 0.0]
        """
        M = np.asarray(matrix)
        if M.dtype.kind not in "fciu":
            raise InvalidArgumentError("matrix must be numeric")
        M = M.astype(np.complex128 if M.dtype.kind == "c" else np.float64)
        if M.shape != (self.n, self.n):
            raise DimensionMismatchError(f"matrix must have shape ({self.n}, {self.n}), got {M.shape}")
        if not np.isfinite(M).all():
            raise InvalidArgumentError("matrix has non-finite entries")
        out = self._log(M)
        if out is None:
            raise InvalidArgumentError(f"matrix is not an element of {self.name} (no logarithm in its Lie algebra found)")
        theta, w = out
        return LieGroupElement(self, ((theta, w),), M)

    def _log(self, M: np.ndarray) -> tuple[np.ndarray, tuple[int, ...]] | None:
        """Coordinates ``(θ, w)`` with ``M = exp(θ·X) s_w``, or None."""
        from reptheory.groups import lie_catalog

        special = lie_catalog._special_log(self, M)
        if special is not NotImplemented:
            return special  # type: ignore[return-value]
        if self.num_generators:
            return None
        return lie_catalog._generic_log(self, M)

    def _canonical(self, factors: tuple[tuple[np.ndarray, tuple[int, ...]], ...], M: np.ndarray) -> LieGroupElement:
        if len(factors) == 1 and not factors[0][1]:
            return LieGroupElement(self, factors, M)
        out = self._log(M)
        if out is not None:
            return LieGroupElement(self, (out,), M)
        # keep the product form; merge nothing
        return LieGroupElement(self, factors, M)

    # -------------------------------------------------------------- sampling
    def sample(self, n: int, rng: Any = None) -> list[LieGroupElement]:
        """``n`` Haar-distributed elements (catalogue groups; docs/explanation/lie-groups.md#haar-sampling).

        SO(2)/U(1): uniform angle; O(2): uniform angle and a fair reflection bit; SO(3)
        and SU(2): uniform unit quaternions; SO(n)/O(n): QR of a Gaussian matrix with
        the signs of ``diag(R)`` absorbed (Mezzadri 2007), determinant fixed for SO(n);
        O(3): SO(3) times a fair parity bit; products: independent factors.

        Raises
        ------
        InvalidArgumentError
            For groups built by :meth:`from_generators` (random products of
            ``exp(t X_a)`` are not Haar distributed, so no sampler is offered).
        NonCompactError
            For non-compact algebras.

        Examples
        --------
        >>> from reptheory.groups.lie_catalog import SO3
        >>> gs = SO3().sample(3, rng=0)
        >>> len(gs), gs[0].matrix.shape
        (3, (3, 3))
        """
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
            raise InvalidArgumentError(f"n must be a non-negative integer, got {n!r}")
        if not self.compact:
            raise NonCompactError(f"{self.name} is not compact: it has no Haar measure to sample from")
        from reptheory.groups import lie_catalog

        return lie_catalog._sample(self, int(n), _rng(rng))

    # -------------------------------------------------------- representations
    def defining_representation(self, *, exact: bool = True) -> Representation:
        """The defining representation ``g ↦ g`` (the generators as given).

        Parameters
        ----------
        exact : bool
            Attach the exact (sympy) generators when the group has them.  Pass False
            for large tensor powers: the core builds exact Kronecker products eagerly,
            which costs seconds beyond dimension ~200.

        Examples
        --------
        >>> from reptheory.groups.lie_catalog import O3
        >>> V = O3().defining_representation()
        >>> V.dim, V.images.shape, V.algebra.shape, V.components[0][0].label
        (3, (1, 3, 3), (3, 3, 3), '1o')
        """
        from reptheory.groups import lie_catalog
        from reptheory.reps.representation import Representation

        rep = Representation(
            self,
            np.array(self.discrete_generators),
            name="V",
            algebra=np.array(self.lie_algebra),
            exact_images=self.exact_discrete if exact else None,
            exact_algebra=self.exact_lie_algebra if exact else None,
        )
        lab = lie_catalog._defining_label(self)
        if lab is not None:
            irr = self.irrep(lab)
            if np.array_equal(irr.algebra, rep.algebra) and np.array_equal(irr.images, rep.images):
                object.__setattr__(rep, "components", ((irr, 1),))
        return rep

    def irreps(self, max_label: Any) -> list[Representation]:
        """The catalogue irreps up to ``max_label`` (see :mod:`reptheory.decomposition.irreps.lie`).

        Examples
        --------
        >>> from reptheory.groups.lie_catalog import SO3
        >>> [r.dim for r in SO3().irreps(3)]
        [1, 3, 5, 7]
        """
        from reptheory.decomposition.irreps.lie import lie_irreps

        return lie_irreps(self, max_label)

    def irrep(self, label: Any) -> Representation:
        """The catalogue irrep with ``label`` (e.g. ``2`` for SO(3), ``"1o"`` for O(3), ``"1/2"`` for SU(2)).

        Examples
        --------
        >>> from reptheory.groups.lie_catalog import O3
        >>> O3().irrep("1o").images.ravel().tolist()
        [-1.0, 0.0, 0.0, 0.0, -1.0, 0.0, 0.0, 0.0, -1.0]
        """
        from reptheory.decomposition.irreps.lie import lie_irrep

        return lie_irrep(self, label)

    def representation_matrix(self, rep: Representation, g: LieGroupElement) -> np.ndarray:
        """``ρ(g) = Π_f exp(Σ_a θ_fa dρ(X_a)) ρ(s_{w_f})``, shape (d, d).

        Examples
        --------
        >>> import numpy as np
        >>> from reptheory.groups.lie_catalog import SO2
        >>> G = SO2()
        >>> np.round(G.irrep(2).matrix(G.element([np.pi / 2])), 12).tolist()
        [[-1.0, -0.0], [0.0, -1.0]]
        """
        if not isinstance(g, LieGroupElement):
            raise InvalidArgumentError(
                f"g must be an element of {self.name} (use G.element(...), G.sample(...)), got {type(g).__name__}"
            )
        if g.group != self:
            raise GroupMismatchError(f"element of {g.group.name} given to a representation of {self.name}")
        d = rep.dim
        dt = np.result_type(rep.algebra.dtype, rep.images.dtype, float)
        out = np.eye(d, dtype=dt)
        for theta, w in g.factors:
            if np.any(theta):
                out = out @ scipy.linalg.expm(np.tensordot(theta, rep.algebra, axes=1))
            for j in w:
                out = out @ (rep.images[j] if j >= 0 else np.linalg.inv(rep.images[~j]))
        return out

    def representation_matrices(self, rep: Representation, elements: Sequence[LieGroupElement]) -> np.ndarray:
        """``ρ(g)`` for many single-factor elements at once, shape (N, d, d) (batched ``expm``).

        Examples
        --------
        >>> from reptheory.groups.lie_catalog import SO3
        >>> G = SO3()
        >>> G.representation_matrices(G.irrep(2), G.sample(4, rng=1)).shape
        (4, 5, 5)
        """
        els = list(elements)
        if not els:
            return np.zeros((0, rep.dim, rep.dim))
        if all(len(g.factors) == 1 for g in els) and all(g.group == self for g in els):
            th = np.stack([g.factors[0][0] for g in els])
            out = scipy.linalg.expm(np.tensordot(th, rep.algebra, axes=1)) if self.lie_dim else np.broadcast_to(np.eye(rep.dim), (len(els), rep.dim, rep.dim)).copy()
            for i, g in enumerate(els):
                w = g.factors[0][1]
                if w:
                    out[i] = out[i] @ self._word_matrix(w, rep.images)
            return out
        return np.stack([self.representation_matrix(rep, g) for g in els])

    def restrict_representation(
        self, rep: Representation, H: FiniteGroup, generators: Sequence[LieGroupElement] | None = None
    ) -> Representation:
        """Restriction of ``rep`` to a finite subgroup ``H``.

        The embedding ``H → G`` is given either by ``generators`` (one element of G per
        generator of H, in the order of ``H.generators``) or, when omitted, by H's
        generator matrices, which must be defining matrices of G (e.g.
        ``groups.octahedral()`` inside SO(3), ``groups.square_rotations()`` inside SO(2),
        or any group built by :meth:`finite_subgroup`); their logarithms are taken.
        The result is validated on H's relations, which checks the embedding.

        Raises
        ------
        GroupMismatchError
            H is not a FiniteGroup, or its matrices are not in G.
        NotAHomomorphismError
            The given generators do not satisfy H's relations.

        Examples
        --------
        >>> from reptheory import groups
        >>> from reptheory.groups.lie_catalog import SO3
        >>> R = SO3().irrep(2).restrict(groups.octahedral())
        >>> R.group.order, R.dim
        (24, 5)
        """
        from reptheory.reps.representation import Representation

        if not isinstance(H, FiniteGroup):
            raise GroupMismatchError(f"restrict: H must be a FiniteGroup, got {type(H).__name__}")
        if generators is None:
            mats = H.generator_matrices
            if mats is None or mats.shape[1:] != (self.n, self.n):
                raise GroupMismatchError(
                    f"restrict: {H.name} carries no {self.n}x{self.n} matrices to embed it into {self.name}; pass "
                    f"generators=[one element of {self.name} per generator of H] to "
                    f"{self.name}.restrict_representation(rep, H, generators) or build H with finite_subgroup()"
                )
            try:
                gens = [self.from_matrix(m) for m in mats]
            except InvalidArgumentError:
                raise GroupMismatchError(f"restrict: the matrices of {H.name} are not elements of {self.name}") from None
        else:
            gens = list(generators)
            if len(gens) != H.num_generators:
                raise DimensionMismatchError(
                    f"generators has {len(gens)} elements, expected one per generator of {H.name} ({H.num_generators})"
                )
        images = [self.representation_matrix(rep, g) for g in gens]
        return Representation.from_generator_images(H, images, name=f"Res({rep.name})", validate=True)

    def finite_subgroup(self, elements: Sequence[LieGroupElement], *, name: str | None = None) -> FiniteGroup:
        """The finite subgroup generated by elements of G, as a matrix group in the defining representation.

        Examples
        --------
        >>> import numpy as np
        >>> from reptheory.groups.lie_catalog import SO2
        >>> G = SO2()
        >>> C6 = G.finite_subgroup([G.element([2 * np.pi / 6])], name="C6")
        >>> C6.order, G.irrep(1).restrict(C6).dim
        (6, 2)
        """
        els = list(elements)
        for g in els:
            if not isinstance(g, LieGroupElement) or g.group != self:
                raise InvalidArgumentError(f"elements must be elements of {self.name}")
        if self.is_complex:
            raise InvalidArgumentError("finite_subgroup needs a real defining representation")
        return FiniteGroup.from_matrices([np.round(g.matrix, 15) for g in els], name=name or f"finite subgroup of {self.name}")

    def orthogonalize_representation(self, rep: Representation) -> tuple[Representation, np.ndarray]:
        """An equivalent orthogonal representation ``σ = T ρ T⁻¹`` and ``T`` (docs/explanation/projector.md#non-orthogonal-representations).

        Solves for invariant symmetric forms ``dρ(X)ᵀ M + M dρ(X) = 0``,
        ``ρ(s)ᵀ M ρ(s) = M``; takes a positive-definite one (the projection of the
        identity, else of a Haar Monte-Carlo average); ``M = L Lᵀ``, ``T = Lᵀ``.

        Raises
        ------
        TooLargeError
            ``d > 64`` (the nullspace problem has ``d(d+1)/2`` unknowns).
        ConvergenceError
            No positive-definite invariant form was found.

        Examples
        --------
        >>> import numpy as np
        >>> from reptheory.groups.lie_catalog import SO3
        >>> R = SO3().irrep(1).change_basis(np.diag([1.0, 2.0, 3.0]))
        >>> R.orthogonalize()[0].is_orthogonal()
        True
        """
        from reptheory.reps.lie import orthogonalize_lie

        return orthogonalize_lie(self, rep)

