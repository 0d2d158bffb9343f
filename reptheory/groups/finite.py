"""Finite groups given by a Cayley table, by permutations or by matrices.

A [`FiniteGroup`][reptheory.groups.finite.FiniteGroup] is stored as its *Cayley graph*: generators
``s_0 … s_{k-1}`` and, once enumerated, ``right[g, j] = index of g · s_j`` (shape ``(n, k)``).  Words,
products, inverses, conjugacy classes (orbits of ``x ↦ s⁻¹ x s``), element orders and the Schreier
relators that validate representations follow in ``O(n · k)`` or ``O(n · L)`` time (``L`` the depth
of the breadth-first tree).  A full ``n × n`` table in the smallest integer type is used for every
product whenever it exists (given by the user, or built up to `TABLE_LIMIT` elements); otherwise a
product walks the word of its right factor.  Groups of huge order (``symmetric(10)``) stay *lazy*:
nothing is enumerated unless asked for, and asking beyond ``max_order`` raises
[`TooLargeError`][reptheory.errors.TooLargeError].

Examples
--------
>>> import numpy as np
>>> from reptheory import FiniteGroup
>>> table = np.array([[(i + j) % 3 for j in range(3)] for i in range(3)])
>>> G = FiniteGroup.from_cayley_table(table)
>>> G.order, G.is_abelian, [len(c) for c in G.conjugacy_classes()]
(3, True, [1, 1, 1])
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cached_property
from typing import Any

import numpy as np

from reptheory._numerics.limits import Limits
from reptheory.errors import GroupAxiomError, InvalidArgumentError, TooLargeError
from reptheory.groups._cayley import (
    _cayley_graph,
    _conjugacy_classes,
    _digest,
    _element_orders,
    _Enumeration,
    _ro,
)
from reptheory.groups._closure import (
    Word,
    _check_associative,
    _check_claimed_order,
    _check_columns,
    _check_finite_order,
    _check_labels,
    _check_matrices,
    _check_max_order,
    _check_perms,
    _check_relators,
    _check_table,
    _closure_matrices,
    _closure_perms,
    _cosets,
    _cycle_string,
    _fmt_int,
    _greedy_generators,
    _subgroup_closure,
    _table_identity_inverse,
    small_int_dtype,
)

__all__ = ["FiniteGroup", "DEFAULT_MAX_ORDER", "TABLE_LIMIT"]

#: Largest order that is enumerated without an explicit ``max_order`` (the default of the
#: ``max_order`` limit in `reptheory._numerics.limits`; ``max_order=None`` reads the limit in force).
DEFAULT_MAX_ORDER = Limits().max_order
#: Largest order for which the full ``n × n`` multiplication table is built on demand
#: (``int16``: 128 MiB at the limit).  A table given by the user is always used.
TABLE_LIMIT = 8192



class FiniteGroup:
    """A finite group, immutable, identified by its defining data.

    Build one with [`from_cayley_table`][reptheory.groups.finite.FiniteGroup.from_cayley_table], [`from_permutations`][reptheory.groups.finite.FiniteGroup.from_permutations],
    [`from_matrices`][reptheory.groups.finite.FiniteGroup.from_matrices] or from the catalogue `reptheory.groups`.
    Elements are the integers ``0 … order-1``; ``labels[i]`` names element ``i``.

    Notes
    -----
    Products follow the convention of the defining data: for a Cayley table,
    ``table[i, j] = i · j``; for permutations, ``(g · h)(x) = g(h(x))`` (apply
    ``h`` first, as matrices acting on column vectors); for matrices, the matrix
    product.

    Examples
    --------
    >>> from reptheory import groups
    >>> D4 = groups.dihedral(4)
    >>> D4.order, len(D4.conjugacy_classes()), D4.is_abelian
    (8, 5, False)
    >>> D4
    FiniteGroup('dihedral(4)', order=8)
    """

    _frozen = False

    def __init__(
        self,
        *,
        name: str,
        key: str,
        order: int,
        generators: tuple[int, ...] | None = None,
        enumeration: _Enumeration | None = None,
        enumerate_fn: Callable[[int], _Enumeration] | None = None,
        generator_perms: np.ndarray | None = None,
        generator_matrices: np.ndarray | None = None,
        exact_generator_matrices: tuple[Any, ...] | None = None,
        relators: tuple[Word, ...] | Callable[[], tuple[Word, ...]] | None = None,
        labels: tuple[str, ...] | Callable[[], tuple[str, ...]] | None = None,
        table: np.ndarray | None = None,
        parent: tuple[FiniteGroup, np.ndarray] | None = None,
        max_order: int = DEFAULT_MAX_ORDER,
        meta: dict[str, Any] | None = None,
        relators_trusted: bool = True,
    ) -> None:
        self.name = name
        self._key = key
        self._order = int(order)
        self._enum_given = enumeration
        self._enumerate_fn = enumerate_fn
        self._generators = generators
        self.generator_perms = None if generator_perms is None else _ro(generator_perms)
        self.generator_matrices = None if generator_matrices is None else _ro(generator_matrices)
        self.exact_generator_matrices = exact_generator_matrices
        # labels and relators may be zero-argument callables, resolved (within limits) on first use
        self._relators = relators
        self._relators_trusted = relators_trusted
        self._labels = labels
        if table is not None:
            table = np.asarray(table)
            if table.dtype != small_int_dtype(len(table)):
                table = table.astype(small_int_dtype(len(table)))
            table = _ro(table)
            if enumeration is not None and enumeration.table is None:
                enumeration.table = table
        self._table_given = table
        self._parent = parent
        self.max_order = max_order
        self.meta = dict(meta or {})
        self._frozen = True

    def __setattr__(self, name: str, value: Any) -> None:
        if self._frozen:
            raise AttributeError(f"FiniteGroup is immutable: cannot set {name!r}")
        object.__setattr__(self, name, value)

    # ----------------------------------------------------------------- identity
    def __eq__(self, other: object) -> bool:
        return isinstance(other, FiniteGroup) and other._key == self._key

    def __hash__(self) -> int:
        return hash(("FiniteGroup", self._key))

    def __repr__(self) -> str:
        return f"FiniteGroup({self.name!r}, order={_fmt_int(self._order)})"

    @property
    def key(self) -> str:
        """Canonical description used for equality, hashing and cache keys."""
        return self._key

    # ------------------------------------------------------------- constructors
    @classmethod
    def from_cayley_table(
        cls, table: Any, labels: Sequence[str] | None = None, *, name: str | None = None
    ) -> FiniteGroup:
        """Build a group from its multiplication table, validating every axiom.

        Parameters
        ----------
        table : array_like of int, shape (n, n)
            ``table[i, j]`` is the index of the product ``g_i · g_j``.
        labels : sequence of str, optional
            Names of the ``n`` elements (default ``"0"``, ``"1"``, …).
        name : str, optional
            A display name.

        Raises
        ------
        GroupAxiomError
            Not square, not integer, out of range, not a Latin square, no identity,
            inconsistent inverses, or not associative; the message names the elements.

        Notes
        -----
        Associativity is checked by Light's test on a greedy generating set ``S``
        (``(x s) y = x (s y)`` for all ``x, y`` and ``s ∈ S``): the elements that
        associate with everything are closed under products, so ``O(n² |S|)``
        with ``|S| ≤ log₂ n`` suffices.  Every pass runs over row chunks, so the
        extra memory is linear in ``n``, and the table is kept in the smallest
        integer type (``int16`` below order 32768): order 2000 validates in well
        under a second, order 15,000 (a 450 MB table) in seconds.

        Examples
        --------
        >>> G = FiniteGroup.from_cayley_table([[0, 1], [1, 0]], labels=["e", "a"])
        >>> G.order, G.labels
        (2, ('e', 'a'))
        >>> FiniteGroup.from_cayley_table([[0, 1], [0, 1]])
        Traceback (most recent call last):
        ...
        reptheory.errors.GroupAxiomError: table is not a Latin square: column 0 contains 0 twice (rows 0 and 1)
        """
        t = _check_table(table)
        n = t.shape[0]
        if labels is not None:
            labels = _check_labels(labels)
            if len(labels) != n:
                raise InvalidArgumentError(
                    f"labels has {len(labels)} entries, expected {n} (one per element)"
                )
        try:
            e, rinv = _table_identity_inverse(t)
            gens = _greedy_generators(t, e)
            _check_associative(t, gens)
        except GroupAxiomError:
            _check_columns(t)  # report a repeated entry in a column first
            raise
        enum = _Enumeration(t[:, list(gens)], e, table=t, inverse=rinv)
        key = "table:" + _digest(t)
        return cls(
            name=name or f"group of order {n}",
            key=key,
            order=n,
            generators=tuple(gens),
            enumeration=enum,
            labels=labels,
            table=t,
        )

    @classmethod
    def from_permutations(
        cls,
        generators: Sequence[Any],
        *,
        name: str | None = None,
        max_order: int | None = None,
        order: int | None = None,
        relators: Sequence[Word] | None = None,
    ) -> FiniteGroup:
        """The group generated by permutations of ``{0, …, m-1}``.

        Parameters
        ----------
        generators : sequence of permutations
            Each is a sequence ``p`` with ``p[x]`` the image of ``x`` (or a
            ``sympy.combinatorics.Permutation``).  Composition is
            ``(g · h)(x) = g(h(x))``.
        name : str, optional
        max_order : int, optional
            Enumeration (breadth-first closure) refuses groups larger than this
            (default: the ``max_order`` resource limit, see ``docs/explanation/guarantees.md``).
        order : int, optional
            A claimed order, *verified* by enumerating the closure now; a claim above
            ``max_order`` cannot be verified cheaply and is refused (TooLargeError).
        relators : sequence of words, optional
            Relators (letter ``j`` is generator j, ``~j`` its inverse), checked to hold on
            the permutations; used to validate representations only of groups too large
            to enumerate (docs/explanation/guarantees.md#correct-answers-or-an-error).

        Raises
        ------
        InvalidArgumentError
            A generator is not a permutation, degrees differ, or an argument has the wrong type.
        GroupAxiomError
            A relator does not hold, or the closure does not have the claimed order.
        TooLargeError
            The closure exceeds ``max_order`` elements.

        Examples
        --------
        >>> S3 = FiniteGroup.from_permutations([[1, 0, 2], [1, 2, 0]])
        >>> S3.order, S3.is_abelian
        (6, False)
        """
        max_order = _check_max_order(max_order)
        perms = _check_perms(generators)
        if name is not None and not isinstance(name, str):
            raise InvalidArgumentError(f"name must be a str, got {type(name).__name__}")
        _check_claimed_order(order, max_order)
        rel = None if relators is None else _check_relators(relators, perms)
        key = "perm:" + _digest(perms)
        g = cls(
            name=name or f"permutation group of degree {perms.shape[1]}",
            key=key,
            order=order if order is not None else 0,
            enumerate_fn=lambda limit: _closure_perms(perms, limit),
            generator_perms=perms,
            relators=rel,
            max_order=max_order,
            relators_trusted=False,
        )
        # the closure is the verification of a claimed order (GroupAxiomError when it differs)
        enum = g._enumeration
        object.__setattr__(g, "_order", enum.n)
        return g

    @classmethod
    def from_matrices(
        cls,
        generators: Sequence[Any],
        *,
        name: str | None = None,
        max_order: int | None = None,
        exact: bool | None = None,
    ) -> FiniteGroup:
        """The finite group generated by invertible square matrices.

        Parameters
        ----------
        generators : sequence of array_like, each shape (d, d)
            Float arrays, or sympy matrices / rational entries for exact groups.
        name : str, optional
        max_order : int, optional
            The closure refuses to grow beyond this many elements (a matrix of
            infinite order would otherwise run forever).
        exact : bool, optional
            Keep sympy matrices as the exact payload.  Default: exact when every
            generator is a sympy matrix.

        Notes
        -----
        Complex generators keep their imaginary parts.  Each generator must have finite order
        (eigenvalues on the unit circle and ``g^m = I`` for the order ``m`` read off their
        angles), else [`GroupAxiomError`][reptheory.groups.finite.GroupAxiomError]; key collisions of the ``1e-8`` rounding grid are
        checked against the matrices, and the closure must preserve ``Σ_g gᴴ g``
        (docs/explanation/guarantees.md#correct-answers-or-an-error).  Exact generators are also
        multiplied exactly along the breadth-first tree, on demand, for
        `exact_generator_matrices`.

        Raises
        ------
        InvalidArgumentError
            Wrong shapes, non-finite entries, singular matrices, wrong argument types.
        GroupAxiomError
            A generator has infinite order, or the closure is not a finite group.
        TooLargeError
            The generated group has more than ``max_order`` elements.

        Examples
        --------
        >>> import numpy as np
        >>> G = FiniteGroup.from_matrices([np.array([[0, -1], [1, 0]])])
        >>> G.order
        4
        """
        max_order = _check_max_order(max_order)
        if name is not None and not isinstance(name, str):
            raise InvalidArgumentError(f"name must be a str, got {type(name).__name__}")
        if exact is not None and not isinstance(exact, bool):
            raise InvalidArgumentError(f"exact must be a bool or None, got {exact!r}")
        mats, exact_mats = _check_matrices(generators, exact)
        for i, m in enumerate(mats):
            _check_finite_order(m, i, max_order)
        key = "mat:" + _digest(np.round(mats, 10))
        g = cls(
            name=name or f"matrix group of degree {mats.shape[1]}",
            key=key,
            order=0,
            enumerate_fn=lambda limit: _closure_matrices(mats, limit),
            generator_matrices=mats,
            exact_generator_matrices=exact_mats,
            max_order=max_order,
        )
        enum = g._enumeration
        object.__setattr__(g, "_order", enum.n)
        return g

    # ------------------------------------------------------------ enumeration
    @cached_property
    def _enumeration(self) -> _Enumeration:
        if self._enum_given is not None:
            return self._enum_given
        if self._order and self._order > self.max_order:
            raise TooLargeError(
                f"{self.name} has order {self._order} > max_order={self.max_order}; "
                "enumerating it is refused (rebuild it with a larger max_order to force it)",
                estimate=self._order,
                limit=self.max_order,
            )
        assert self._enumerate_fn is not None
        enum = self._enumerate_fn(self.max_order)
        if self._order and enum.n != self._order:
            raise GroupAxiomError(
                f"{self.name}: closure has {enum.n} elements, expected order {self._order}"
            )
        return enum

    @property
    def is_enumerated(self) -> bool:
        """Whether the elements have been (or were given) enumerated."""
        return self._enum_given is not None or "_enumeration" in self.__dict__

    # ------------------------------------------------------------- basic data
    @property
    def order(self) -> int:
        """Number of elements ``|G|``."""
        return self._order

    def __len__(self) -> int:
        return self._order

    @property
    def identity(self) -> int:
        """Index of the identity element."""
        if self._table_given is not None or self._enum_given is not None:
            return self._enumeration.identity
        return 0

    @property
    def generators(self) -> tuple[int, ...]:
        """Indices of a (small) generating set, in the order of the defining data.

        Representations are stored by the images of exactly these elements.
        """
        if self._generators is not None:
            return self._generators
        enum = self._enumeration
        return tuple(int(enum.right[enum.identity, j]) for j in range(enum.k))

    @property
    def num_generators(self) -> int:
        """Number of generators ``k`` (known without enumerating the group)."""
        if self._generators is not None:
            return len(self._generators)
        if self.generator_perms is not None:
            return int(self.generator_perms.shape[0])
        assert self.generator_matrices is not None
        return int(self.generator_matrices.shape[0])

    @property
    def labels(self) -> tuple[str, ...]:
        """Display names of the elements."""
        if callable(self._labels):  # the builder checks its own size estimate
            object.__setattr__(self, "_labels", tuple(self._labels()))
        if self._labels is not None:
            return self._labels  # type: ignore[return-value]
        if self.generator_perms is not None:
            pl = self._enumeration.payload
            assert pl is not None
            return tuple(_cycle_string(p) for p in pl)
        return tuple(str(i) for i in range(self.order))

    @property
    def parent(self) -> FiniteGroup | None:
        """For a subgroup built by [`subgroup`][reptheory.groups.finite.FiniteGroup.subgroup]: the ambient group."""
        return None if self._parent is None else self._parent[0]

    @property
    def embedding(self) -> np.ndarray | None:
        """For a subgroup: ``embedding[h]`` is the index in [`parent`][reptheory.groups.finite.FiniteGroup.parent] of element ``h``."""
        return None if self._parent is None else self._parent[1]

    @property
    def elements(self) -> np.ndarray | None:
        """Payload of every element: permutations ``(n, m)`` or matrices ``(n, d, d)``, else None."""
        if self.generator_perms is None and self.generator_matrices is None:
            return None
        return self._enumeration.payload

    def element_matrix(self, g: int) -> np.ndarray:
        """The defining matrix (matrix groups) or permutation matrix (permutation groups) of ``g``."""
        pl = self.elements
        if pl is None:
            raise InvalidArgumentError(f"{self.name} has no defining matrices")
        if self.generator_perms is not None:
            p = pl[g]
            m = np.zeros((p.size, p.size))
            m[p, np.arange(p.size)] = 1.0
            return m
        return np.array(pl[g])

    # ------------------------------------------------------------- arithmetic
    def mul(self, a: Any, b: Any) -> Any:
        """Product ``a · b`` of element indices (vectorised, broadcasting).

        Examples
        --------
        >>> from reptheory import groups
        >>> G = groups.cyclic(5)
        >>> int(G.mul(2, 4))
        1
        """
        t = self._product_table()
        if t is not None:
            out = np.asarray(t[np.asarray(a), np.asarray(b)], dtype=np.int64)
        elif self._enumeration.product is not None:
            out = self._enumeration.mul(np.asarray(a), np.asarray(b))
        else:
            out = self._enumeration.mul(np.asarray(a), np.asarray(b))
        return out if np.ndim(out) else int(out)

    def _product_table(self) -> np.ndarray | None:
        """The multiplication table if it exists or is cheap enough to build (attached to the enumeration)."""
        enum = self._enumeration
        if enum.table is None and self.order <= TABLE_LIMIT:
            enum.table = self.table
        return enum.table

    def left_products(self, a: Any) -> np.ndarray:
        """``out[i, x] = a_i · x`` for every element ``x``, shape (len(a), |G|), int64.

        Rows of the table when it exists, else along the breadth-first tree
        (``O(len(a) · |G|)`` look-ups in ``L`` vectorised steps, ``L`` the tree depth).

        Examples
        --------
        >>> from reptheory import groups
        >>> G = groups.cyclic(4)
        >>> G.left_products([1, 2]).tolist()
        [[1, 2, 3, 0], [2, 3, 0, 1]]
        """
        a = np.asarray(a, dtype=np.int64).reshape(-1)
        t = self._product_table()
        if t is not None:
            return np.asarray(t[a], dtype=np.int64)
        return self._enumeration.left_products(a)

    def inverse(self, a: Any) -> Any:
        """Inverse of element indices (vectorised).

        Examples
        --------
        >>> from reptheory import groups
        >>> int(groups.cyclic(5).inverse(2))
        3
        """
        out = self._enumeration.inverse[np.asarray(a)]
        return out if np.ndim(out) else int(out)

    def power(self, a: Any, k: int) -> Any:
        """``a**k`` for element indices (vectorised), by repeated squaring; ``k`` may be negative."""
        a = np.asarray(a, dtype=np.int64)
        if k < 0:
            a = self._enumeration.inverse[a]
            k = -k
        result = np.full(a.shape, self.identity, dtype=np.int64)
        base = a
        while k:
            if k & 1:
                result = np.asarray(self.mul(result, base))
            k >>= 1
            if k:
                base = np.asarray(self.mul(base, base))
        return result if result.ndim else int(result)

    def conjugate(self, x: Any, g: Any) -> Any:
        """``g⁻¹ x g`` (vectorised)."""
        gi = self.inverse(g)
        return self.mul(self.mul(gi, x), g)

    @cached_property
    def table(self) -> np.ndarray:
        """The full multiplication table ``table[i, j] = i · j`` (shape (n, n)).

        Read-only, in the smallest signed integer type holding ``0 … n-1``
        (`small_int_dtype`: ``int16`` up to order 32768).

        Raises
        ------
        TooLargeError
            Above `TABLE_LIMIT` elements.
        """
        if self._table_given is not None:
            return self._table_given
        if self.is_enumerated and self._enumeration.table is not None:
            return self._enumeration.table
        n = self.order
        if n > TABLE_LIMIT:
            raise TooLargeError(
                f"multiplication table of {self.name} would have {n}^2 entries "
                f"(limit {TABLE_LIMIT}^2); use mul() instead",
                estimate=n * n,
                limit=TABLE_LIMIT**2,
            )
        return _ro(self._enumeration.left_products(np.arange(n), dtype=small_int_dtype(n)))

    @cached_property
    def element_orders(self) -> np.ndarray:
        """Order of every element, shape (n,).

        Examples
        --------
        >>> from reptheory import groups
        >>> sorted(groups.cyclic(4).element_orders.tolist())
        [1, 2, 4, 4]
        """
        return _ro(_element_orders(self.order, self.identity, self.mul))

    @cached_property
    def exponent(self) -> int:
        """Least common multiple of the element orders."""
        return int(np.lcm.reduce(np.unique(self.element_orders)))

    @cached_property
    def is_abelian(self) -> bool:
        """Whether all generators commute (hence the group is abelian)."""
        gens = list(self.generators)
        for i, a in enumerate(gens):
            for b in gens[i + 1 :]:
                if self.mul(a, b) != self.mul(b, a):
                    return False
        return True

    # ------------------------------------------------------------ classes
    @cached_property
    def _class_data(self) -> tuple[tuple[np.ndarray, ...], np.ndarray]:
        return _conjugacy_classes(self._enumeration, self.element_orders)

    def conjugacy_classes(self) -> list[np.ndarray]:
        """Conjugacy classes as arrays of element indices, identity class first.

        Classes are ordered by element order, then size, then smallest index.

        Examples
        --------
        >>> from reptheory import groups
        >>> [len(c) for c in groups.symmetric(4).conjugacy_classes()]
        [1, 3, 6, 8, 6]
        """
        return list(self._class_data[0])

    @property
    def class_of(self) -> np.ndarray:
        """``class_of[g]`` is the index of the conjugacy class of ``g``."""
        return self._class_data[1]

    @property
    def class_sizes(self) -> np.ndarray:
        """Sizes of the conjugacy classes."""
        return np.array([len(c) for c in self._class_data[0]], dtype=np.int64)

    @property
    def class_representatives(self) -> np.ndarray:
        """The smallest element index of each class."""
        return np.array([int(c.min()) for c in self._class_data[0]], dtype=np.int64)

    def power_map(self, k: int) -> np.ndarray:
        """``power_map(k)[i]`` is the class of ``g_i**k`` for the representative ``g_i`` of class i."""
        reps = self.class_representatives
        return self.class_of[np.asarray(self.power(reps, k))]

    @cached_property
    def center(self) -> np.ndarray:
        """Indices of central elements (singleton conjugacy classes)."""
        return np.sort(np.concatenate([c for c in self.conjugacy_classes() if len(c) == 1]))

    # ------------------------------------------------------------ relations
    @property
    def relators(self) -> tuple[Word, ...] | None:
        """A presentation's relators (words equal to the identity), if one is known."""
        if callable(self._relators):  # the builder checks its own size estimate
            object.__setattr__(self, "_relators", tuple(self._relators()))
        return self._relators  # type: ignore[return-value]

    @property
    def relators_trusted(self) -> bool:
        """Whether [`relators`][reptheory.groups.finite.FiniteGroup.relators] are known to present the group (catalogue presentations)."""
        return self._relators_trusted

    def word(self, g: int) -> Word:
        """A shortest word in the generators equal to ``g`` (letters are generator positions)."""
        return self._enumeration.word(int(g))

    # ------------------------------------------------------------ subgroups
    def subgroup(self, generators: Sequence[int], *, name: str | None = None) -> FiniteGroup:
        """The subgroup generated by the given element indices.

        The result is a [`FiniteGroup`][reptheory.groups.finite.FiniteGroup] whose [`parent`][reptheory.groups.finite.FiniteGroup.parent] is ``self`` and whose
        [`embedding`][reptheory.groups.finite.FiniteGroup.embedding] maps its elements to elements of ``self``.

        Examples
        --------
        >>> from reptheory import groups
        >>> G = groups.symmetric(3)
        >>> H = G.subgroup([G.generators[0]])
        >>> H.order, H.parent == G
        (2, True)
        """
        gens = [int(g) for g in generators]
        for g in gens:
            if not 0 <= g < self.order:
                raise InvalidArgumentError(
                    f"subgroup generator {g} is not an element of {self.name} (order {self.order})"
                )
        if not gens:
            gens = [self.identity]
        elems, right = _subgroup_closure(self.mul, self.identity, gens)
        index = {g: i for i, g in enumerate(elems)}
        emb = np.asarray(elems, dtype=np.int64)
        enum = _Enumeration(np.asarray(right, dtype=np.int64), 0)
        gens_idx = tuple(index[s] for s in gens)
        labels = tuple(self.labels[i] for i in emb)
        return FiniteGroup(
            name=name or f"subgroup of {self.name} generated by {gens}",
            key=f"sub({self._key}):" + _digest(np.sort(emb)) + _digest(np.asarray(gens)),
            order=len(elems),
            generators=gens_idx,
            enumeration=enum,
            labels=labels,
            parent=(self, _ro(emb)),
        )

    def left_cosets(self, H: FiniteGroup) -> list[np.ndarray]:
        """Left cosets ``gH`` of a subgroup built by [`subgroup`][reptheory.groups.finite.FiniteGroup.subgroup] (arrays of indices)."""
        return _cosets(self.order, lambda g: self.mul(g, _subgroup_embedding(self, H)))

    def right_cosets(self, H: FiniteGroup) -> list[np.ndarray]:
        """Right cosets ``Hg`` of a subgroup built by [`subgroup`][reptheory.groups.finite.FiniteGroup.subgroup]."""
        return _cosets(self.order, lambda g: self.mul(_subgroup_embedding(self, H), g))

    def character_table(self) -> Any:
        """The character table; see [`reptheory.characters.table`][reptheory.characters.table].

        For the catalogue groups ``symmetric(n)`` and ``alternating(n)`` whose order is
        beyond ``max_order`` (n ≥ 9 by default) the group is not enumerated: the table
        comes from partitions ([`symmetric_character_table`][reptheory.characters.symmetric.symmetric_character_table],
        [`alternating_character_table`][reptheory.characters.symmetric.alternating_character_table]), rows labelled
        by partitions, columns by cycle types.

        Examples
        --------
        >>> from reptheory import groups
        >>> T = groups.symmetric(20).character_table()
        >>> T.num_classes, T.partitions[1]
        (627, (19, 1))
        """
        fam = self._catalogue_family()
        if fam is not None and not self.is_enumerated and self.order > self.max_order:
            from reptheory.characters import symmetric as sym

            kind, n = fam
            return sym.symmetric_character_table(n) if kind == "symmetric" else sym.alternating_character_table(n)
        from reptheory.characters.table import character_table

        return character_table(self)

    def _catalogue_family(self) -> tuple[str, int] | None:
        for kind in ("symmetric", "alternating"):
            head = f"catalog:{kind}("
            if self._key.startswith(head):
                return kind, int(self._key[len(head) : -1])
        return None

    def irreps(self, *, exact: bool = False) -> Any:
        """Explicit real irreducible representations; see `reptheory.decomposition.irreps.finite` (``exact=True``: exact images over ℚ or the character field, `reptheory.decomposition.irreps.exact.exact_irreps`)."""
        from reptheory.decomposition.irreps import exact_irreps, finite_irreps

        return exact_irreps(self) if exact else finite_irreps(self)

    def irrep(self, label: Any) -> Any:
        """One real irrep: by partition for ``symmetric(n)`` (no enumeration), else by label.

        Examples
        --------
        >>> from reptheory import groups
        >>> groups.symmetric(12).irrep((7, 3, 2)).dim
        1925
        >>> groups.cyclic(3).irrep("trivial").dim
        1
        """
        fam = self._catalogue_family()
        if fam is not None and fam[0] == "symmetric" and not isinstance(label, str):
            from reptheory.decomposition.irreps.symmetric import symmetric_irrep

            return symmetric_irrep(self, label)
        for rep in self.irreps():
            if rep.label == label:
                return rep
        raise InvalidArgumentError(f"{self.name} has no irrep labelled {label!r}")

    def cayley_graph(self) -> Any:
        """The Cayley graph as a ``networkx.DiGraph``: edge ``g → g·s`` labelled by ``s``.

        Nodes carry a ``label`` attribute; edges carry ``generator`` (its position) and
        ``label`` (the generator's element label).

        Examples
        --------
        >>> from reptheory import groups
        >>> g = groups.cyclic(4).cayley_graph()
        >>> g.number_of_nodes(), g.number_of_edges()
        (4, 4)
        """
        return _cayley_graph(self.name, self._enumeration.right, self.labels, self.generators)


# --------------------------------------------------------------------- helpers
def _subgroup_embedding(G: FiniteGroup, H: FiniteGroup) -> np.ndarray:
    from reptheory.errors import GroupMismatchError

    if H.parent != G or H.embedding is None:
        raise GroupMismatchError(f"{H.name} is not a subgroup of {G.name} built by G.subgroup()")
    return H.embedding
