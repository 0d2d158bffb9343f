"""Representations: immutable values with an algebra (⊕, ⊗, dual, powers, restriction, induction).

A representation ``ρ: G → GL(d)`` is stored by the images of the group's
generators, ``images`` of shape ``(k, d, d)`` (for a compact Lie group: the images
of its *discrete* generators), and for Lie groups also by the Lie-algebra images
``algebra`` of shape ``(a, d, d)``.  Optional structure travels with the value and
is kept by the algebra whenever it survives:

* ``exact_images`` / ``exact_algebra``: sympy matrices (rational or algebraic);
* ``monomial``: ``(perm, coeff)`` arrays of shape ``(k, d)`` with
  ``ρ(s_j) e_i = coeff[j, i] · e_{perm[j, i]}`` (permutation and signed-permutation
  representations; enables the orbit method);
* ``components``: a known decomposition into irreps in block order
  (``((irrep, multiplicity), …)``, copies outer), which lets Hom spaces skip the
  decomposition step.

Conventions: matrices act on column vectors; ``change_basis(Q)`` returns
``g ↦ Q ρ(g) Q⁻¹``; the dual is ``ρ*(g) = ρ(g⁻¹)ᵀ`` (``dρ*(X) = −dρ(X)ᵀ``); the tensor
product is the Kronecker product (Leibniz rule on the algebra).

Examples
--------
>>> from reptheory import groups, Representation
>>> G = groups.symmetric(3)
>>> V = Representation.defining(G)
>>> (V + Representation.trivial(G)).dim, (V @ V).dim, V.symmetric_power(2).dim
(4, 9, 6)
>>> Representation.regular(G).is_orthogonal()
True
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from reptheory._numerics.limits import current_limits
from reptheory._numerics.tolerance import relative_error, tolerance
from reptheory.errors import (
    DimensionMismatchError,
    GroupMismatchError,
    InvalidArgumentError,
    NotAHomomorphismError,
    TooLargeError,
)
from reptheory.groups.finite import FiniteGroup, _digest, _ro
from reptheory.reps import algebra
from reptheory.reps._utils import (
    _as_monomial,
    _check_images,
    _check_k,
    _check_trivial_args,
    _integral_monomial,
    _monomial_word,
    _paren,
    _perm_sign,
    _word_matrix,
    check_rep_size,
    is_orthogonal,
    power_basis,
    validate_finite,
)

if TYPE_CHECKING:
    from reptheory.decomposition.core import Decomposition

__all__ = ["Representation", "MAX_ELEMENT_IMAGES"]

#: Largest ``|G| · d²`` for which the images of all group elements are materialised.
MAX_ELEMENT_IMAGES = 50_000_000
#: Largest |G| · d for which the characters of a monomial representation come from all its element images.
_MONOMIAL_ALL_LIMIT = 20_000_000


class Representation:
    """A finite-dimensional representation of a finite or compact Lie group.

    Do not call the constructor directly; use [`from_generator_images`][reptheory.reps.representation.Representation.from_generator_images],
    [`trivial`][reptheory.reps.representation.Representation.trivial], [`regular`][reptheory.reps.representation.Representation.regular], [`permutation`][reptheory.reps.representation.Representation.permutation], [`defining`][reptheory.reps.representation.Representation.defining],
    [`from_function`][reptheory.reps.representation.Representation.from_function], the irreps of a group, or the algebra.

    Attributes
    ----------
    group
        The group (bound at construction).
    dim : int
        The dimension ``d``.
    images : ndarray, shape (k, d, d)
        Images of the group's (discrete) generators, float64 or complex128.
    algebra : ndarray, shape (a, d, d)
        Images of the Lie-algebra basis (``a = 0`` for finite groups).
    name : str
        A readable description, e.g. ``"regular + sign"``.

    Examples
    --------
    >>> from reptheory import groups, Representation
    >>> R = Representation.regular(groups.cyclic(4))
    >>> R
    Representation(cyclic(4), 'regular', dim=4)
    >>> R.matrix(1).astype(int).tolist()
    [[0, 0, 0, 1], [1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]]
    """

    _frozen = False

    def __init__(
        self,
        group: Any,
        images: np.ndarray,
        *,
        name: str,
        algebra: np.ndarray | None = None,
        exact_images: tuple[Any, ...] | Callable[[], tuple[Any, ...]] | None = None,
        exact_algebra: tuple[Any, ...] | Callable[[], tuple[Any, ...]] | None = None,
        monomial: tuple[np.ndarray, np.ndarray] | None = None,
        components: tuple[tuple[Representation, int], ...] | None = None,
        label: str | None = None,
        real_type: str | None = None,
        meta: dict[str, Any] | None = None,
    ) -> None:
        images = np.asarray(images)
        d = images.shape[-1]
        alg = np.zeros((0, d, d), dtype=images.dtype if images.dtype.kind in "fc" else float) if algebra is None else np.asarray(algebra)
        # one field for both stacks: an empty float64 stack must not make complex data look real
        if images.dtype.kind == "c" or alg.dtype.kind == "c":
            images, alg = images.astype(np.complex128, copy=False), alg.astype(np.complex128, copy=False)
        self.group = group
        self.dim = int(d)
        self.images = _ro(images)
        self.algebra = _ro(alg)
        # exact data may be given lazily as a zero-argument callable (built on first access)
        self._exact_images = exact_images
        self._exact_algebra = exact_algebra
        self.monomial = None if monomial is None else (_ro(monomial[0]), _ro(monomial[1]))
        self.components = components
        self.name = name
        self.label = label
        self.real_type = real_type
        self.meta = dict(meta or {})
        self._frozen = True

    def __setattr__(self, name: str, value: Any) -> None:
        if self._frozen:
            raise AttributeError(f"Representation is immutable: cannot set {name!r}")
        object.__setattr__(self, name, value)

    # ---------------------------------------------------------------- identity
    @cached_property
    def key(self) -> str:
        """Canonical description (group, images, algebra) for equality, hashing and caches."""
        return f"{self.group.key}|{self.dim}|" + _digest(
            np.round(self.images, 12), np.round(self.algebra, 12)
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Representation) and other.key == self.key

    def __hash__(self) -> int:
        return hash(self.key)

    __repr__ = algebra.representation_repr

    @property
    def exact_images(self) -> tuple[Any, ...] | None:
        """Exact images of the generators (sympy matrices), or None for float-only representations.

        Monomial representations with integer coefficients (permutation, regular, signed
        permutation) build them lazily on first access.
        """
        if self._exact_images is not None:
            return self._exact_resolved[0]
        if _integral_monomial(self.monomial):
            return self._exact_from_monomial
        return None

    @property
    def exact_algebra(self) -> tuple[Any, ...] | None:
        """Exact Lie-algebra images (sympy matrices), or None."""
        if self._exact_algebra is None:
            return None
        return self._exact_resolved[1]

    @cached_property
    def _exact_resolved(self) -> tuple[tuple[Any, ...] | None, tuple[Any, ...] | None]:
        ims, alg = self._exact_images, self._exact_algebra
        return (ims() if callable(ims) else ims, alg() if callable(alg) else alg)

    @cached_property
    def _exact_from_monomial(self) -> tuple[Any, ...]:
        import sympy

        return tuple(sympy.ImmutableMatrix(np.rint(m).astype(np.int64)) for m in self.images)

    @property
    def is_exact(self) -> bool:
        """Whether exact (sympy) images are available (without building them)."""
        return self._exact_images is not None or _integral_monomial(self.monomial)

    @property
    def is_complex(self) -> bool:
        """Whether the images are complex matrices."""
        return self.images.dtype.kind == "c" or self.algebra.dtype.kind == "c"

    @property
    def is_monomial(self) -> bool:
        """Whether every generator acts by a (signed) permutation matrix."""
        return self.monomial is not None

    # ------------------------------------------------------------ constructors
    @classmethod
    def from_generator_images(
        cls,
        group: FiniteGroup,
        images: Sequence[Any],
        *,
        name: str = "rho",
        validate: bool = True,
    ) -> Representation:
        """A representation of a finite group given by the images of its generators.

        Parameters
        ----------
        group : FiniteGroup
        images : sequence of array_like, each shape (d, d)
            ``images[j]`` is ``ρ(s_j)`` for the j-th generator ``group.generators[j]``.
            Float, complex, or sympy matrices (then the representation is exact).
        name : str
            Display name.
        validate : bool
            Check every relation of the group (a presentation's relators if the group
            has one, otherwise the Schreier relations of the enumerated Cayley graph).

        Raises
        ------
        DimensionMismatchError
            Wrong number of images or shapes.
        InvalidArgumentError
            Non-finite or singular images.
        NotAHomomorphismError
            A relation fails; the message names it and the size of the violation.

        Examples
        --------
        >>> from reptheory import groups
        >>> G = groups.cyclic(2)
        >>> Representation.from_generator_images(G, [[[-1.0]]]).matrix(1)
        array([[-1.]])
        >>> Representation.from_generator_images(G, [[[2.0]]])
        Traceback (most recent call last):
        ...
        reptheory.errors.NotAHomomorphismError: images violate the relation r r = e of cyclic(2) (relative error ...)
        """
        mats, exact = _check_images(images, group.num_generators, "images")
        mono = _as_monomial(mats) if mats.dtype.kind == "f" else None
        if mono is not None and not np.all(np.abs(mono[1]) == 1.0):
            mono = None  # only signed permutations feed the orbit method
        rep = cls(group, mats, name=name, exact_images=exact, monomial=mono)
        if validate:
            rep._validate_finite()
        return rep

    @classmethod
    def from_algebra_images(
        cls, group: Any, algebra_images: Sequence[Any], discrete_images: Sequence[Any] = (), **kwargs: Any
    ) -> Representation:
        """A representation of a compact Lie group from its Lie-algebra and discrete images.

        See `reptheory.reps.lie.representation_from_algebra_images`.
        """
        from reptheory._numerics.arrays import check_keywords
        from reptheory.reps.lie import representation_from_algebra_images

        check_keywords(kwargs, ["name", "validate"], "from_algebra_images")
        return representation_from_algebra_images(group, algebra_images, discrete_images, **kwargs)

    @classmethod
    def from_irreps_string(cls, group: Any, text: str) -> Representation:
        """A direct sum of irreps written e3nn-style, e.g. ``"2x0e + 1x1o"`` for O(3).

        See [`reptheory.decomposition.irreps.parse_irreps_string`][reptheory.decomposition.irreps.parse_irreps_string].
        """
        from reptheory.decomposition.irreps import parse_irreps_string

        return parse_irreps_string(group, text)

    @classmethod
    def from_function(
        cls, group: FiniteGroup, fn: Callable[[int], Any], *, name: str = "rho", validate: bool = True
    ) -> Representation:
        """A representation from a function ``g ↦ ρ(g)`` on element indices.

        The images of the generators define the representation; with ``validate``
        the relations are checked and ``fn`` must agree with the result on every
        element when ``|G| ≤ max_order`` and ``|G| d² ≤ MAX_ELEMENT_IMAGES`` (else only generators).

        Examples
        --------
        >>> import numpy as np
        >>> from reptheory import groups
        >>> G = groups.cyclic(3)
        >>> c, s = np.cos(2 * np.pi / 3), np.sin(2 * np.pi / 3)
        >>> rot = lambda g: np.linalg.matrix_power(np.array([[c, -s], [s, c]]), g)
        >>> Representation.from_function(G, rot).dim
        2
        """
        rep = cls.from_generator_images(
            group, [fn(int(s)) for s in group.generators], name=name, validate=validate
        )
        # estimate first: the element check costs |G| calls of fn and |G| d^2 numbers of images
        if validate and group.order <= current_limits().max_order and group.order * rep.dim**2 <= MAX_ELEMENT_IMAGES:
            allm = rep.matrices()
            for g in range(group.order):
                m = np.asarray(fn(g), dtype=allm.dtype)
                if relative_error(m, allm[g]) > tolerance().rtol:
                    raise NotAHomomorphismError(
                        f"fn is not a homomorphism: fn({group.labels[g]}) differs from the product "
                        f"of generator images along a word (relative error {relative_error(m, allm[g]):.3g})"
                    )
        return rep

    @classmethod
    def trivial(cls, group: Any, dim: int = 1) -> Representation:
        """The trivial representation ``g ↦ I_dim``.

        Examples
        --------
        >>> from reptheory import groups
        >>> Representation.trivial(groups.cyclic(3)).matrix(2)
        array([[1.]])
        """
        dim = _check_trivial_args(group, dim)
        k = group.num_generators
        imgs = np.broadcast_to(np.eye(dim), (k, dim, dim)).copy()
        n_alg = getattr(group, "lie_dim", 0)
        exact_alg = None
        if n_alg:
            import sympy

            exact_alg = tuple(sympy.ImmutableMatrix(sympy.zeros(dim)) for _ in range(n_alg))
        perm = np.tile(np.arange(dim), (k, 1))
        triv = cls(
            group,
            imgs,
            name="trivial" if dim == 1 else f"trivial({dim})",
            algebra=np.zeros((n_alg, dim, dim)),
            exact_algebra=exact_alg,
            monomial=(perm, np.ones((k, dim))),
            label="trivial" if dim == 1 else None,
            real_type="R" if dim == 1 else None,
        )
        if dim == 1:
            object.__setattr__(triv, "components", ((triv, 1),))
        return triv

    @classmethod
    def permutation(cls, group: FiniteGroup, action: Any, *, name: str = "permutation", validate: bool = True) -> Representation:
        """A permutation representation ``ρ(g) e_i = e_{π_g(i)}``.

        Parameters
        ----------
        group : FiniteGroup
        action : array_like of int, shape (k, m), or callable
            The permutation of ``{0, …, m-1}`` of each generator (``action[j][i]`` is
            the image of ``i`` under generator j), or a function of a generator's
            element index (of the generator's permutation for a ``PermutationGroup``)
            returning that permutation.

        Examples
        --------
        >>> from reptheory import groups
        >>> G = groups.cyclic(3)
        >>> Representation.permutation(G, [[1, 2, 0]]).dim
        3
        """
        if callable(action):
            perms = [action(s if np.ndim(s) else int(s)) for s in group.generators]  # permutation or element index
        else:
            perms = list(action)
        if len(perms) != group.num_generators:
            raise DimensionMismatchError(
                f"action has {len(perms)} permutations, expected one per generator ({group.num_generators})"
            )
        from reptheory.groups.finite import _check_perms

        p = _check_perms(perms)
        return cls._from_monomial(group, p, np.ones(p.shape), name=name, validate=validate)

    @classmethod
    def _from_monomial(
        cls, group: Any, perm: np.ndarray, coeff: np.ndarray, *, name: str, validate: bool = True
    ) -> Representation:
        k, m = perm.shape
        check_rep_size(m, k, name, np.dtype(coeff.dtype).itemsize)
        imgs = np.zeros((k, m, m), dtype=coeff.dtype)
        for j in range(k):
            imgs[j, perm[j], np.arange(m)] = coeff[j]
        rep = cls(group, imgs, name=name, monomial=(perm.astype(np.int64), coeff))
        if validate:
            rep._validate_finite()
        return rep

    @classmethod
    def regular(cls, group: FiniteGroup) -> Representation:
        """The left regular representation ``ρ(g) e_h = e_{g h}`` (dimension ``|G|``).

        Examples
        --------
        >>> from reptheory import groups
        >>> Representation.regular(groups.dihedral(3)).dim
        6
        """
        if not isinstance(group, FiniteGroup):
            why = ("is never enumerated: use group.to_finite_group() for an enumerated copy"
                   if hasattr(group, "to_finite_group") else "is infinite-dimensional")
            raise InvalidArgumentError(f"group must be a FiniteGroup (the regular representation of "
                                       f"{getattr(group, 'name', group)!r} {why})")
        n = group.order
        check_rep_size(n, group.num_generators, f"regular representation of {group.name}")
        enum = group._enumeration
        inv = enum.inverse
        perms = []
        for j in range(enum.k):
            # s h = (h^{-1} s^{-1})^{-1}; right multiplication by s^{-1} is right_inv
            perms.append(inv[enum.right_inv[inv, j]])
        p = np.stack(perms) if perms else np.zeros((0, n), dtype=np.int64)
        return cls._from_monomial(group, p, np.ones(p.shape), name="regular", validate=False)

    @classmethod
    def defining(cls, group: Any) -> Representation:
        """The defining representation of a matrix or permutation group.

        Examples
        --------
        >>> from reptheory import groups
        >>> Representation.defining(groups.octahedral()).dim
        3
        """
        if isinstance(group, FiniteGroup):
            if group.generator_perms is not None:
                p = group.generator_perms
                return cls._from_monomial(group, p, np.ones(p.shape), name="V", validate=False)
            if group.generator_matrices is not None:
                mats = np.asarray(group.generator_matrices)
                mono = _as_monomial(mats)
                return cls(
                    group,
                    mats,
                    name="V",
                    exact_images=group.exact_generator_matrices,
                    monomial=mono,
                )
            raise InvalidArgumentError(
                f"{group.name} was not given by permutations or matrices, so it has no defining representation"
            )
        return group.defining_representation()

    @classmethod
    def sign(cls, group: FiniteGroup) -> Representation:
        """The sign character: of permutations, of the determinant (matrix groups), or of reflections (dihedral).

        Raises
        ------
        InvalidArgumentError
            If the group carries neither permutations nor matrices.

        Examples
        --------
        >>> from reptheory import groups
        >>> Representation.sign(groups.symmetric(3)).images.ravel().tolist()
        [-1.0, 1.0]
        """
        if "sign_images" in group.meta:
            signs = [float(x) for x in group.meta["sign_images"]]
        elif group.generator_perms is not None:
            signs = [_perm_sign(p) for p in group.generator_perms]
        elif group.generator_matrices is not None:
            signs = [float(np.sign(np.linalg.det(m))) for m in group.generator_matrices]
        else:
            raise InvalidArgumentError(
                f"sign(G) is defined for permutation and matrix groups; {group.name} is neither "
                "(build it with from_generator_images instead)"
            )
        k = len(signs)
        perm = np.zeros((k, 1), dtype=np.int64)
        rep = cls._from_monomial(group, perm, np.asarray(signs, dtype=float)[:, None], name="sign", validate=False)
        object.__setattr__(rep, "label", "sign")
        object.__setattr__(rep, "real_type", "R")
        object.__setattr__(rep, "components", ((rep, 1),))
        return rep

    # ------------------------------------------------------------ validation
    def _validate_finite(self) -> None:
        validate_finite(self)

    # ------------------------------------------------------------ element images
    def matrix(self, g: Any) -> np.ndarray:
        """``ρ(g)``, shape (d, d): an element index (finite groups) or a group element (Lie groups).

        Examples
        --------
        >>> from reptheory import groups
        >>> Representation.trivial(groups.cyclic(2)).matrix(1)
        array([[1.]])
        """
        if not isinstance(self.group, FiniteGroup):
            return self.group.representation_matrix(self, g)
        g = int(g)
        if not 0 <= g < self.group.order:
            raise InvalidArgumentError(f"g={g} is not an element index of {self.group.name}")
        return _word_matrix(self.images, self.group.word(g), self.dim)

    __call__ = matrix

    def matrices(self) -> np.ndarray:
        """Images of all elements, shape (|G|, d, d), in element order (finite groups).

        Raises
        ------
        TooLargeError
            If ``|G| · d²`` exceeds `MAX_ELEMENT_IMAGES`.
        """
        return self._all_images

    @cached_property
    def _all_images(self) -> np.ndarray:
        G = self.group
        if not isinstance(G, FiniteGroup):
            raise InvalidArgumentError("matrices() is defined for finite groups only")
        size = G.order * self.dim**2
        if size > MAX_ELEMENT_IMAGES:
            raise TooLargeError(
                f"images of all {G.order} elements of {G.name} at dim {self.dim} would hold {size} numbers "
                f"(limit {MAX_ELEMENT_IMAGES})",
                estimate=size,
                limit=MAX_ELEMENT_IMAGES,
            )
        # along the breadth-first tree (level by level, or by binary lifting when it is deep)
        return _ro(G._enumeration.tree_images(self.images))

    def _monomial_all(self) -> tuple[np.ndarray, np.ndarray]:
        return self._monomial_images

    @cached_property
    def _monomial_images(self) -> tuple[np.ndarray, np.ndarray]:
        assert self.monomial is not None
        perm, coeff = self.monomial
        # rho(g) e_i = C[g, i] e_{P[g, i]}, composed along the breadth-first tree
        P, C = self.group._enumeration.tree_permutations(perm, coeff)
        return _ro(P), _ro(C)

    # ------------------------------------------------------------ algebra
    def _check_same_group(self, other: Representation, op: str) -> None:
        if not isinstance(other, Representation):
            raise InvalidArgumentError(f"{op}: expected a Representation, got {type(other).__name__}")
        if other.group != self.group:
            raise GroupMismatchError(
                f"{op}: representations of different groups ({self.group.name} and {other.group.name})"
            )

    def direct_sum(self, *others: Representation) -> Representation:
        """Direct sum ``ρ ⊕ σ ⊕ …`` (block-diagonal images); also ``ρ + σ``.

        Examples
        --------
        >>> from reptheory import groups
        >>> G = groups.cyclic(2)
        >>> (Representation.trivial(G) + Representation.regular(G)).dim
        3
        """
        return algebra.direct_sum(self, others)

    def __add__(self, other: Representation) -> Representation:
        return self.direct_sum(other)

    def __mul__(self, k: int) -> Representation:
        return self.__rmul__(k) if not isinstance(k, Representation) else algebra.operator_error("*", self, k)

    __rshift__ = algebra.refuse(">>")  # emlp's Hom (and '*' tensor): refused, naming our spelling
    __rrshift__ = algebra.refuse(">>", reflected=True)

    def __rmul__(self, k: int) -> Representation:
        if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
            raise InvalidArgumentError(f"multiplicity must be a positive integer, got {k!r}")
        if k == 1:
            return self
        check_rep_size(int(k) * self.dim, self.images.shape[0] + self.algebra.shape[0], f"{int(k)} * {self.name}",
                       self.images.itemsize)
        rep = self.direct_sum(*([self] * (int(k) - 1)))
        object.__setattr__(rep, "name", f"{int(k)}*{_paren(self.name, '+')}")
        return rep

    def tensor(self, other: Representation) -> Representation:
        """Tensor product ``ρ ⊗ σ`` (Kronecker; Leibniz rule on the Lie algebra); also ``ρ @ σ``.

        Examples
        --------
        >>> from reptheory import groups
        >>> V = Representation.defining(groups.symmetric(3))
        >>> V.tensor(V).dim
        9
        """
        return algebra.tensor(self, other)

    def __matmul__(self, other: Representation) -> Representation:
        return self.tensor(other)

    def tensor_power(self, k: int) -> Representation:
        """``ρ^{⊗k}`` (``k = 0`` gives the trivial representation); also ``ρ ** k``.

        Examples
        --------
        >>> from reptheory import groups
        >>> (Representation.defining(groups.symmetric(3)) ** 3).dim
        27
        """
        if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 0:
            raise InvalidArgumentError(f"tensor power must be a non-negative integer, got {k!r}")
        if k == 0:
            return Representation.trivial(self.group)
        out = algebra.tensor_power(self, int(k))
        if k > 1:
            object.__setattr__(out, "name", f"{_paren(self.name, '+@')}**{int(k)}")
        return out

    def __pow__(self, k: int) -> Representation:
        return self.tensor_power(k)

    def dual(self) -> Representation:
        """The dual ``ρ*(g) = ρ(g⁻¹)ᵀ`` (``dρ*(X) = −dρ(X)ᵀ``); equal to ρ when ρ is orthogonal.

        Examples
        --------
        >>> from reptheory import groups
        >>> R = Representation.regular(groups.cyclic(3))
        >>> bool(abs(R.dual().images - R.images).max() < 1e-12)
        True
        """
        return algebra.dual(self)

    def change_basis(self, Q: Any) -> Representation:
        """The equivalent representation ``g ↦ Q ρ(g) Q⁻¹``.

        Parameters
        ----------
        Q : array_like, shape (d, d)
            Invertible; a sympy matrix keeps exact images exact.

        Examples
        --------
        >>> import numpy as np
        >>> from reptheory import groups
        >>> R = Representation.regular(groups.cyclic(3))
        >>> R.change_basis(np.diag([1.0, 2.0, 3.0])).is_orthogonal()
        False
        """
        return algebra.change_basis(self, Q)

    def _power_basis(self, k: int, kind: str) -> np.ndarray:
        return power_basis(self.dim, k, kind, self.images.shape[0] + self.algebra.shape[0])

    def symmetric_power(self, k: int) -> Representation:
        """``Sym^k ρ``: ``ρ^{⊗k}`` on symmetric tensors, in the orthonormal basis of normalised symmetrised monomials.

        Dimension ``C(d + k − 1, k)``.

        Examples
        --------
        >>> from reptheory import groups
        >>> Representation.defining(groups.octahedral()).symmetric_power(2).dim
        6
        """
        _check_k(k)
        if k == 0:
            return Representation.trivial(self.group)
        B = self._power_basis(k, "symmetric")
        return algebra.subspace(self.tensor_power(k), B, f"Sym^{k}({self.name})")

    def exterior_power(self, k: int) -> Representation:
        """``Λ^k ρ``: ``ρ^{⊗k}`` on antisymmetric tensors, orthonormal basis; dimension ``C(d, k)``.

        Examples
        --------
        >>> from reptheory import groups
        >>> Representation.defining(groups.octahedral()).exterior_power(2).dim
        3
        """
        _check_k(k)
        if k == 0:
            return Representation.trivial(self.group)
        if k > self.dim:
            raise InvalidArgumentError(f"exterior power k={k} exceeds the dimension {self.dim}")
        B = self._power_basis(k, "exterior")
        return algebra.subspace(self.tensor_power(k), B, f"Ext^{k}({self.name})")

    def restrict(self, H: Any) -> Representation:
        """Restriction to a subgroup ``H`` (built by ``G.subgroup`` for finite G).

        Examples
        --------
        >>> from reptheory import groups
        >>> G = groups.symmetric(3)
        >>> H = G.subgroup([G.generators[1]])
        >>> Representation.regular(G).restrict(H).dim
        6
        """
        return algebra.restrict(self, H)

    def induce(self, G: FiniteGroup | None = None) -> Representation:
        """Induction ``Ind_H^G σ`` from a subgroup H (``self.group``) to its parent G.

        Block-monomial: with left coset representatives ``t_1 … t_r``, block ``(i, j)`` of
        ``ρ(g)`` is ``σ(t_i⁻¹ g t_j)`` when that element lies in H.  Dimension ``[G:H] · dim σ``.

        Examples
        --------
        >>> from reptheory import groups
        >>> G = groups.symmetric(3)
        >>> H = G.subgroup([G.generators[1]])
        >>> Representation.trivial(H).induce(G).dim
        2
        """
        return algebra.induce(self, G)

    # ------------------------------------------------------------ properties
    def is_orthogonal(self, tol: float | None = None) -> bool:
        """Whether every generator image is orthogonal (unitary) and algebra images antisymmetric.

        Examples
        --------
        >>> from reptheory import groups
        >>> Representation.defining(groups.octahedral()).is_orthogonal()
        True
        """
        return is_orthogonal(self.images, self.algebra, tol, self.monomial)

    def orthogonalize(self) -> tuple[Representation, np.ndarray]:
        """An equivalent orthogonal representation by Weyl's unitarian trick.

        With ``M = (1/|G|) Σ_g ρ(g)ᵀ ρ(g) = L Lᵀ`` (Cholesky), ``σ(g) = Lᵀ ρ(g) L⁻ᵀ`` is
        orthogonal.  Returns ``(σ, Lᵀ)``: ``σ = ρ.change_basis(Lᵀ)``.

        Examples
        --------
        >>> import numpy as np
        >>> from reptheory import groups
        >>> R = Representation.regular(groups.cyclic(3)).change_basis(np.diag([1.0, 2.0, 3.0]))
        >>> R.orthogonalize()[0].is_orthogonal()
        True
        """
        return algebra.orthogonalize(self)

    # ------------------------------------------------------------ characters
    def character(self, g: Any = None) -> Any:
        """Character ``χ(g) = tr ρ(g)``.

        With no argument (finite groups): the values on the conjugacy classes, in the
        order of ``group.conjugacy_classes()``, as a complex (or real) array.

        Examples
        --------
        >>> from reptheory import groups
        >>> Representation.regular(groups.cyclic(3)).character().real.tolist()
        [3.0, 0.0, 0.0]
        """
        if g is not None:
            return np.trace(self.matrix(g))
        if hasattr(self.group, "straight_line_program"):  # a PermutationGroup: along its programs
            from reptheory.reps.permutation_group import class_character

            return class_character(self)
        if not isinstance(self.group, FiniteGroup):
            raise InvalidArgumentError("character() without an element is defined for finite groups only")
        reps_ = self.group.class_representatives
        if self.monomial is not None and self.group.order * self.dim <= _MONOMIAL_ALL_LIMIT:
            P, C = self._monomial_all()
            fixed = P[reps_] == np.arange(self.dim)[None, :]
            out = np.where(fixed, C[reps_], 0).sum(axis=1)
        elif self.monomial is not None:
            vals = []
            for x in reps_:
                p, c = _monomial_word(self.monomial, self.group.word(int(x)), self.dim)
                fixed = p == np.arange(self.dim)
                vals.append(c[fixed].sum())
            out = np.asarray(vals)
        else:
            out = np.array([np.trace(self.matrix(int(x))) for x in reps_])
        return out

    def decompose(self, **kwargs: Any) -> Decomposition:
        """Decompose into irreducibles: multiplicities, isotypic components, orthogonal ``Q``.

        See [`reptheory.decomposition.decompose`][reptheory.decomposition.decompose].
        """
        from reptheory.decomposition.core import decompose

        return decompose(self, **kwargs)
