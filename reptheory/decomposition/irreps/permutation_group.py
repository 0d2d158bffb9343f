"""Real irreps of a permutation group that is never enumerated, and the split of its representations.

For a [`PermutationGroup`][reptheory.groups.permutation.PermutationGroup] ``G`` (a base and strong
generating set; the Dixon–Schneider character table ``T``) the real irreducible representations are
found without listing the elements of ``G``:

* **Degree 1** from the table: ``ψ(s) = χ(s)`` (type R) or the realification ``[[Re, −Im], [Im, Re]]``
  of a non-real linear character (type C).
* **Larger ones split off monomial representations whose characters are known first**: the actions
  on the ``k``-subsets of the points, *unsigned* (``χ = [x^k] Π_c (1 + x^{|c|})`` over the cycles ``c``
  of ``g``, ``G.subset_character(k)``) and *signed* (``g e_A = sgn(g|_A) e_{g(A)}``, ``A`` ordered
  increasingly: ``Ind_{G_{A}}`` of the sign on ``A``), and products of two of those
  (``χ_a χ_b``), each split into its orbits (transitive constituents: the actions on the cosets of the
  stabilisers).  After them come the conjugation actions on the classes of ``G`` twisted by a sign
  character ``λ`` of the centraliser, ``Ind_{C_G(x)}^G λ``, and on the conjugates of ``⟨x⟩``,
  ``Ind_{N_G(⟨x⟩)}^G λ`` (built only when the subset actions fall
  short; they hold the discrete series of ``PSL(2, q)`` once).  Every irrep still missing is looked for in the smallest orbit whose character contains
  it (``m_ψ = ⟨χ, ψ⟩/⟨ψ, ψ⟩``), up to degree `MAX_SOURCE_DEGREE`; that orbit is split by
  [`split_copies`][reptheory.decomposition.irreps.permutation_group.split_copies] and one copy kept.

**One set of matrices per group object.**  The first real irrep found for a character (by
``G.irreps()`` or by any ``rep.decompose()``) is stored on ``G`` (an attribute of the instance, like
the character table) and every later decomposition expresses its copies of that character in those
matrices: a copy ``W`` (``ρ(s) W = W ψ₁(s)``) is turned by an intertwiner ``Y ∈ Hom_G(ψ, ψ₁)``,
``Yᵀ Y = a I`` (Schur: ``End_G(ψ)`` is ``ℝ``, ``ℂ`` or ``ℍ``, whose non-zero elements are multiples of
orthogonal matrices), into ``W Y / √a``, which carries exactly ``ψ``.

**The intertwiner from the generators (spinning).**  For a random symmetric element of the group
algebra ``a = Σ_i c_i (ψ(g_i) + ψ(g_i)ᵀ)`` (random elements ``g_i`` through straight-line programs),
its image ``a₁`` in ``ψ₁`` is conjugate to ``a`` by every ``Y``.  The symmetric elements of the image
``M_m(D)`` of the group algebra are the Hermitian matrices over ``D``, whose eigenvalues have
multiplicity ``e = dim_ℝ D`` (1, 2, 4 for types R, C, H) when generic.  Take unit vectors ``v``, ``w``
in the eigenspaces of one such eigenvalue of ``a`` and ``a₁``: exactly one ``Y`` maps ``v`` to ``w``,
and it is read off the spun bases, ``Y ψ(u) v = ψ₁(u) w`` for words ``u`` in the generators
(``O(k d³)``).  With ``ψ₁ = ψ`` and ``w ⊥ v`` the same construction gives the antisymmetric basis
``E_u`` of ``End_G(ψ)`` (``meta["commutant_basis"]`` for types C and H).

Examples
--------
>>> from reptheory.groups import permutation_group
>>> G = permutation_group([[1, 2, 3, 4, 5, 6, 0], [0, 2, 4, 6, 1, 3, 5]], name="F21")  # C7 ⋊ C3
>>> [(p.label, p.dim, p.real_type) for p in G.irreps()]
[('trivial', 1, 'R'), ('chi1+chi2', 2, 'C'), ('chi3+chi4', 6, 'C')]
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from typing import Any

import numpy as np

from reptheory._numerics.tolerance import relative_error
from reptheory.decomposition.irreps._induced import conjugation_actions
from reptheory.errors import DecompositionError, InvalidArgumentError, TooLargeError
from reptheory.groups.permutation import PermutationGroup
from reptheory.reps._utils import apply_generator
from reptheory.reps.permutation_group import class_character, element_images
from reptheory.reps.representation import Representation

__all__ = ["permutation_group_irreps", "split_copies", "canonical_copy", "orbit_sources", "MAX_SOURCE_DEGREE"]

#: Largest orbit (degree of a transitive monomial representation) split by ``G.irreps()``.
MAX_SOURCE_DEGREE = 2048
#: Largest product of two subset actions built (as permutations of its points) before the split into orbits.
_PRODUCT_LIMIT = 1 << 15
#: Random commutant / group-algebra elements tried before a merged eigenvalue is taken for a failure.
_ATTEMPTS = 6
_SEED = 0x17B
_ENDO = {"R": 1, "C": 2, "H": 4}
#: ``meta["verified"]`` of an irrep split off a representation (its images are a restriction to an invariant subspace).
RESTRICTION = "restriction of a representation to an invariant subspace"


# =========================================================================== the split of one representation
def split_copies(rep: Representation, rng: np.random.Generator, space: Any = None
                 ) -> tuple[Any, np.ndarray, dict[int, list[np.ndarray]]]:
    """Orthonormal bases of the irreducible copies in an orthogonal representation of a PermutationGroup.

    Returns ``(T, mult, found)``: the character table, the multiplicities of ``T.real_rows()`` in ``rep``
    (from characters) and, for every real irrep ``k`` that occurs, ``m_k`` matrices ``W_j`` (``d × d_k``,
    orthonormal columns, mutually orthogonal) with ``ρ(s) W_j = W_j ψ₁(s)`` for the same ``ψ₁ = W_1ᵀ ρ W_1``
    (steps 1–5 of `reptheory.decomposition._permutation`).

    Raises
    ------
    DecompositionError
        The split of the commutant disagrees with the character inner products.

    Examples
    --------
    >>> import numpy as np
    >>> from reptheory import Representation
    >>> from reptheory.groups import permutation_group
    >>> S4 = permutation_group([[1, 2, 3, 0], [1, 0, 2, 3]])
    >>> T, mult, found = split_copies(Representation.defining(S4), np.random.default_rng(0))
    >>> mult.tolist(), {k: [W.shape for W in Ws] for k, Ws in found.items()}
    ([1, 0, 0, 1, 0], {0: [(4, 1)], 3: [(4, 3)]})
    """
    from reptheory.decomposition._finite import _multiplicities
    from reptheory.decomposition.irreps.finite import _real_label

    G = rep.group
    T = G.character_table()
    rows_all = T.real_rows()
    chi = np.asarray(class_character(rep))
    if np.abs(np.imag(chi)).max(initial=0.0) > 1e-8 * max(1, rep.dim):
        raise DecompositionError(f"the character of {rep.name} is not real: the images are not a real representation")
    mult = _multiplicities(rep, T, np.real(chi))
    refs = np.stack([T.real_character(rows) for rows in rows_all])
    if space is None:
        from reptheory.hom.space import intertwiners  # hom comes after decomposition: imported where used

        space = intertwiners(rep, rep, method="orbit" if rep.monomial is not None else "constraints")
    d = rep.dim
    found: dict[int, list[np.ndarray]] = {}
    for attempt in range(_ATTEMPTS):
        copies = _eigen_copies(_random_element(space, rng, d))
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
    X = _random_element(space, rng, d)
    for k, Ws in found.items():
        W1 = Ws[0]
        aligned = [W1]
        for Wj in Ws[1:]:  # Y = W_jᵀ X W_1 ∈ Hom_G(ψ_1, ψ_j) with YᵀY = a I
            Y = Wj.T @ X @ W1
            a = float(np.trace(Y.T @ Y)) / W1.shape[1]
            if a <= 1e-20 or relative_error(Y.T @ Y, a * np.eye(W1.shape[1])) > 1e-8:
                raise DecompositionError(f"copies of {_real_label(rows_all[k])} in {rep.name} could not be aligned")
            aligned.append(Wj @ (Y / math.sqrt(a)))
        found[k] = aligned
    return T, mult, found


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
    return [V[:, p] for p in _clusters(lam)]


def _clusters(lam: np.ndarray) -> list[np.ndarray]:
    spread = max(1.0, float(np.abs(lam).max(initial=0.0)))
    return [p for p in np.split(np.arange(lam.size), np.flatnonzero(np.diff(lam) > 1e-7 * spread) + 1) if p.size]


# =========================================================================== canonical irreps on the group
def _store(G: PermutationGroup) -> dict[tuple[int, ...], Representation]:
    """The irreps found so far for ``G`` (an attribute of the instance, keyed by character-table rows)."""
    known = G.__dict__.get("_irreps")
    if known is None:
        known = G.__dict__["_irreps"] = {}
    return known  # type: ignore[no-any-return]


def _make_irrep(G: PermutationGroup, T: Any, rows: tuple[int, ...], images: np.ndarray, source: str,
                rng: np.random.Generator) -> Representation:
    from reptheory.decomposition.irreps.finite import _real_label

    label = _real_label(rows)
    rt = str(T.real_types[rows[0]])
    meta: dict[str, Any] = {"characters": rows, "split_from": source, "verified": RESTRICTION}
    psi = Representation(G, images, name=label, label=label, real_type=rt, meta=meta)
    object.__setattr__(psi, "components", ((psi, 1),))
    if rt != "R":
        psi.meta["commutant_basis"] = _commutant_basis(psi, _ENDO[rt], rng)
    return psi


def _linear_irrep(G: PermutationGroup, T: Any, rows: tuple[int, ...], rng: np.random.Generator) -> Representation:
    """Degree-1 characters from the table: ``χ(s)`` (type R) or its realification (type C)."""
    vals = T.values[rows[0], G.conjugacy_classes().index(G.generators)]
    if len(rows) == 1:
        images = vals.real.reshape(-1, 1, 1)
    else:
        images = np.stack([np.array([[v.real, -v.imag], [v.imag, v.real]]) for v in vals])
    psi = _make_irrep(G, T, rows, images, "character table", rng)
    psi.meta["verified"] = "linear character of the table"
    return psi


def canonical_copy(rep: Representation, k: int, W: np.ndarray, rng: np.random.Generator
                   ) -> tuple[Representation, np.ndarray]:
    """The stored irrep ψ of real character ``k`` (``T.real_rows()[k]``) and ``Y`` with ``ρ(s) W Y = W Y ψ(s)``.

    ``W`` spans one copy (``ψ₁ = Wᵀ ρ W``).  When ``G`` has no irrep of that character yet, ``ψ₁``
    becomes it (``Y = I``); degree-1 characters are always taken from the table.

    Raises
    ------
    DecompositionError
        No orthogonal intertwiner was found (the copy does not carry the character).

    Examples
    --------
    >>> import numpy as np
    >>> from reptheory import Representation
    >>> from reptheory.groups import permutation_group
    >>> S4 = permutation_group([[1, 2, 3, 0], [1, 0, 2, 3]])
    >>> V = Representation.defining(S4)
    >>> W = np.linalg.qr(np.eye(4)[:, 1:] - 0.25)[0]  # the sum-zero vectors
    >>> psi, Y = canonical_copy(V, 3, W, np.random.default_rng(0))
    >>> bool(np.allclose(Y.T @ Y, np.eye(3)))
    True
    """
    G = rep.group
    T = G.character_table()
    rows = T.real_rows()[k]
    known = _store(G)
    images = np.stack([W.T @ apply_generator(rep, j, W) for j in range(rep.images.shape[0])])
    psi = known.get(rows)
    if psi is None and T.degrees[rows[0]] == 1:
        psi = known[rows] = _linear_irrep(G, T, rows, rng)
    if psi is None:
        psi = known[rows] = _make_irrep(G, T, rows, images, rep.name, rng)
        return psi, np.eye(W.shape[1])
    return psi, _intertwiner(psi, images, rng)


def _group_algebra_element(psi: Representation, others: list[np.ndarray], rng: np.random.Generator,
                           size: int) -> list[np.ndarray]:
    """``Σ_i c_i (σ(g_i) + σ(g_i)ᵀ)`` for ``σ = ψ`` and each representation of ``others`` (generator images)."""
    G = psi.group
    els = G.random_elements(rng, size)
    c = rng.standard_normal(size)
    out = []
    for ims in [psi.images, *others]:
        sigma = psi if ims is psi.images else Representation(G, ims, name="copy")
        E = element_images(sigma, els)
        out.append(np.tensordot(c, E + np.swapaxes(E, 1, 2), axes=1))
    return out


def _best_cluster(lam: np.ndarray, e: int) -> np.ndarray | None:
    """The eigenvalue cluster of size ``e`` farthest from its neighbours (None: there is none)."""
    parts = _clusters(lam)
    best, gap = None, -1.0
    for i, p in enumerate(parts):
        if p.size != e:
            continue
        lo = lam[p[0]] - lam[parts[i - 1][-1]] if i else np.inf
        hi = lam[parts[i + 1][0]] - lam[p[-1]] if i + 1 < len(parts) else np.inf
        if min(lo, hi) > gap:
            best, gap = p, float(min(lo, hi))
    return best


def _spin(A: np.ndarray, B: np.ndarray, v: np.ndarray, w: np.ndarray) -> np.ndarray | None:
    """The linear map ``Y`` with ``Y A(u) v = B(u) w`` for all words ``u`` in the generators (None: ``v`` not cyclic)."""
    d = v.size
    Qa = np.zeros((d, d))
    Qb = np.zeros((d, d))
    r = 0

    def add(x: np.ndarray, y: np.ndarray) -> None:
        nonlocal r
        scale = float(np.linalg.norm(x))
        for _ in range(2):  # Gram–Schmidt twice; the same coefficients on the image side
            c = Qa[:, :r].T @ x
            x = x - Qa[:, :r] @ c
            y = y - Qb[:, :r] @ c
        nrm = float(np.linalg.norm(x))
        if nrm > 1e-8 * max(scale, 1e-300):
            Qa[:, r], Qb[:, r] = x / nrm, y / nrm
            r += 1

    add(v, w)
    i = 0
    while i < r < d:
        for s in range(A.shape[0]):
            if r < d:
                add(A[s] @ Qa[:, i], B[s] @ Qb[:, i])
        i += 1
    return Qb @ Qa.T if r == d else None


def _intertwiner(psi: Representation, images: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """An orthogonal ``Y`` with ``images[s] Y = Y ψ(s)`` (see the module docstring: spinning)."""
    e = _ENDO[str(psi.real_type)]
    A = np.asarray(psi.images)
    d = psi.dim
    for attempt in range(_ATTEMPTS):
        a, b = _group_algebra_element(psi, [images], rng, 4 + 2 * attempt)
        la, Va = np.linalg.eigh(a)
        lb, Vb = np.linalg.eigh(b)
        p = _best_cluster(la, e)
        if p is None or relative_error(lb, la) > 1e-6:
            continue
        Y = _spin(A, images, Va[:, p[0]], Vb[:, p[0]])
        if Y is None:
            continue
        a2 = float(np.trace(Y.T @ Y)) / d
        res = max(relative_error(images[s] @ Y, Y @ A[s]) for s in range(A.shape[0])) if A.shape[0] else 0.0
        if a2 > 0 and res < 1e-8 and relative_error(Y.T @ Y, a2 * np.eye(d)) < 1e-8:
            U, _, Vt = np.linalg.svd(Y)  # the polar factor: orthogonal to rounding, still an intertwiner
            return np.asarray(U @ Vt)
    raise DecompositionError(f"no orthogonal intertwiner onto the stored irrep {psi.label} of {psi.group.name}: "
                             "the copy does not carry its character")


def _commutant_basis(psi: Representation, e: int, rng: np.random.Generator) -> np.ndarray:
    """``{E_u}``: ``E_0 = I`` and orthogonal antisymmetric ``E_u`` (``E_u² = −I``) spanning ``End_G(ψ)``."""
    A = np.asarray(psi.images)
    d = psi.dim
    for attempt in range(_ATTEMPTS):
        (a,) = _group_algebra_element(psi, [], rng, 4 + 2 * attempt)
        lam, V = np.linalg.eigh(a)
        p = _best_cluster(lam, e)
        if p is None:
            continue
        Es = [np.eye(d)]
        for u in range(1, min(e, 3)):  # Y v = v_u ⊥ v: a pure imaginary element of D
            Y = _spin(A, A, V[:, p[0]], V[:, p[u]])
            if Y is None:
                break
            Es.append(Y)
        if len(Es) < min(e, 3):
            continue
        if e == 4:
            Es.append(Es[1] @ Es[2])
        E = np.stack(Es)
        ok = all(relative_error(E[u] @ E[u], -np.eye(d)) < 1e-8 and relative_error(E[u].T, -E[u]) < 1e-8
                 for u in range(1, e))
        ok = ok and all(relative_error(A[s] @ E[u], E[u] @ A[s]) < 1e-8 for s in range(A.shape[0]) for u in range(e))
        if ok:
            return E
    raise DecompositionError(f"could not find the commutant of {psi.label} of {psi.group.name} (type {psi.real_type})")


# =========================================================================== G.irreps()
def permutation_group_irreps(G: PermutationGroup, *, max_degree: int = MAX_SOURCE_DEGREE,
                             rng: np.random.Generator | None = None) -> tuple[Representation, ...]:
    """The real irreps of a PermutationGroup, one per real character, in the order of ``T.real_rows()``.

    Same conventions as [`finite_irreps`][reptheory.decomposition.irreps.finite_irreps]: labels
    ``"trivial"``, ``"chi{i}"``, ``"chi{i}+chi{j}"`` (type C), ``real_type``, ``meta["characters"]``,
    ``meta["commutant_basis"]`` for types C and H, ``components = ((ψ, 1),)``; orthogonal images of the
    generators.  Found as in the module docstring and stored on ``G`` (``G.irreps()`` uses this).

    Parameters
    ----------
    G : PermutationGroup
    max_degree : int
        Largest orbit split (default `MAX_SOURCE_DEGREE`).
    rng : numpy.random.Generator, optional
        Source of the random commutant and group-algebra elements (default: a fixed seed).

    Raises
    ------
    TooLargeError
        Some character occurs in no orbit of degree ≤ ``max_degree`` of the subset actions or their
        products; the message names those characters (``rep.decompose()`` of a representation that
        contains them still finds them).

    Examples
    --------
    >>> from reptheory.groups import permutation_group
    >>> A5 = permutation_group([[1, 2, 0, 3, 4], [0, 1, 3, 4, 2]], name="A5")
    >>> [(p.label, p.dim) for p in permutation_group_irreps(A5)]
    [('trivial', 1), ('chi1', 3), ('chi2', 3), ('chi3', 4), ('chi4', 5)]
    """
    from reptheory.decomposition.irreps.finite import _real_label

    gen = rng if rng is not None else np.random.default_rng(_SEED)
    T = G.character_table()
    rows_all = T.real_rows()
    known = _store(G)
    for rows in rows_all:
        if rows not in known and T.degrees[rows[0]] == 1:
            known[rows] = _linear_irrep(G, T, rows, gen)
    missing = {k for k, rows in enumerate(rows_all) if rows not in known}
    if missing:
        _search(G, T, missing, max_degree, gen)
    if missing:
        names = ", ".join(f"{_real_label(rows_all[k])} (degree {int(T.degrees[rows_all[k][0]])})" for k in sorted(missing))
        raise TooLargeError(
            f"irreps {names} of {G.name} (order {G.order}) occur in no orbit of degree <= max_degree={max_degree} of its "
            "actions on k-subsets (signed or not) and their products; decompose a representation that contains them "
            "instead (rep.decompose())", estimate=None, limit=max_degree)
    return tuple(known[rows] for rows in rows_all)


def _search(G: PermutationGroup, T: Any, missing: set[int], cap: int, rng: np.random.Generator) -> None:
    """Split the smallest orbits of the candidate actions that contain a missing character (removed from ``missing``)."""
    rows_all = T.real_rows()
    known = _store(G)
    for rho, _ in orbit_sources(G, T, missing, cap):
        if not missing:
            return
        _, _, found = split_copies(rho, rng)
        for k in sorted(missing & set(found)):
            W = found[k][0]
            images = np.stack([W.T @ apply_generator(rho, j, W) for j in range(rho.images.shape[0])])
            known[rows_all[k]] = _make_irrep(G, T, rows_all[k], images, rho.name, rng)
            missing.discard(k)


def orbit_sources(G: PermutationGroup, T: Any, wanted: set[int], cap: int, *, signed: bool = True,
                  exactly_once: bool = False, copies: tuple[int, ...] | None = None
                  ) -> Iterator[tuple[Representation, np.ndarray]]:
    """Orbits of the subset actions and their products, then the conjugation actions, that contain
    a character of ``wanted``, smallest first within each kind.

    Yields ``(rho, mult)``: the monomial representation on one orbit (points renumbered in orbit
    order) and the multiplicities of ``T.real_rows()`` in it, for every orbit of degree ``≤ cap`` with
    ``mult[k] > 0`` (``exactly_once``: ``mult[k] == 1``; ``copies``: ``mult[k]`` one of them) for some ``k`` in ``wanted``.  ``wanted`` is read
    at every step (the caller may shrink it); ``signed=False`` keeps the permutation representations
    (unsigned subset actions and their products, conjugation on classes and on cyclic subgroups).  The
    conjugation actions ``Ind_H^G λ`` (on the class of ``x``, ``H = C_G(x)``, or on the conjugates of
    ``⟨x⟩``, ``H = N_G(⟨x⟩)``, twisted by a sign character ``λ`` of ``H``) are built only once the subset
    actions are exhausted.

    Examples
    --------
    >>> from reptheory.groups import permutation_group
    >>> S4 = permutation_group([[1, 2, 3, 0], [1, 0, 2, 3]])
    >>> rho, mult = next(orbit_sources(S4, S4.character_table(), {3}, 64, signed=False))
    >>> rho.name, mult.tolist()
    ('1-subsets (orbit of 0)', [1, 0, 0, 1, 0])
    """
    from reptheory.decomposition._finite import _multiplicities

    if copies is not None and (not isinstance(copies, tuple)
                               or not all(isinstance(m, (int, np.integer)) and m >= 1 for m in copies)):
        raise InvalidArgumentError(f"copies must be a tuple of positive integers, got {copies!r}")

    def fits(m: int) -> bool:
        return m in copies if copies is not None else (m == 1 if exactly_once else m > 0)

    base = [b for b in _subset_actions(G, cap) if signed or not b[2]]
    chars = [_subset_character(G, k, sg) for _, k, sg, _, _ in base]
    deg = [b[3].shape[1] for b in base]
    cands: list[tuple[int, tuple[int, ...]]] = [(deg[i], (i,)) for i in range(len(base))]
    cands += [(deg[i] * deg[j], (i, j)) for i, j in itertools.combinations_with_replacement(range(len(base)), 2)
              if deg[i] * deg[j] <= _PRODUCT_LIMIT]
    cands.sort(key=lambda t: t[0])
    for _, idx in cands:
        if not wanted:
            return
        chi = np.prod([chars[i] for i in idx], axis=0)
        mult = _multiplicities_of(T, chi)
        if not any(mult[k] > 0 for k in wanted):
            continue
        name, _, _, perm, coeff = base[idx[0]]
        if len(idx) == 2:
            _, _, _, p2, c2 = base[idx[1]]
            m = p2.shape[1]
            perm = (perm[:, :, None] * m + p2[:, None, :]).reshape(perm.shape[0], -1)
            coeff = (coeff[:, :, None] * c2[:, None, :]).reshape(perm.shape)
            name = f"{name} x {base[idx[1]][0]}"
        for orbit in sorted(_orbits(perm), key=len):
            if len(orbit) > cap or not wanted:
                break
            rho = _restrict(G, perm, coeff, orbit, f"{name} (orbit of {orbit[0]})")
            mo = _multiplicities(rho, T, np.real(class_character(rho)))
            if any(fits(int(mo[k])) for k in wanted):
                yield rho, mo
    for act in conjugation_actions(G, T, cap, signed=signed):  # built only when the subset actions fall short
        if not wanted:
            return
        mo = _multiplicities_of(T, act.character)
        if any(fits(int(mo[k])) for k in wanted):
            yield _as_rep(G, act.perm, act.coeff, act.name), mo


def _subset_character(G: PermutationGroup, k: int, signed: bool) -> np.ndarray:
    """The character of the action on ``k``-subsets at the class representatives, from cycle types:
    ``[x^k] Π_c (1 + ε_c x^{|c|})`` over the cycles ``c`` of ``g``, ``ε_c = 1`` (unsigned) or ``(−1)^{|c|−1}``
    (signed: ``Λᵏ`` of the permutation representation), before any matrix is built."""
    from reptheory.groups._perm_classes import cycle_lengths

    out = []
    for row in cycle_lengths(np.asarray(G.conjugacy_classes().representatives)):
        poly = [1] + [0] * k  # coefficients of x^0..x^k
        lengths, points = np.unique(row, return_counts=True)
        for c, count in zip(lengths.tolist(), (points // lengths).tolist(), strict=True):
            sign = (-1) ** (c - 1) if signed else 1
            for _ in range(count if c <= k else 0):
                for j in range(k, c - 1, -1):
                    poly[j] += sign * poly[j - c]
        out.append(poly[k])
    return np.asarray(out, dtype=float)


def _multiplicities_of(T: Any, chi: np.ndarray) -> np.ndarray:
    sizes = T.class_sizes
    out = []
    for rows in T.real_rows():
        ref = T.real_character(rows)
        out.append(round(float((sizes * chi * ref).sum() / (sizes * ref * ref).sum())))
    return np.asarray(out)


def _as_rep(G: PermutationGroup, perm: np.ndarray, coeff: np.ndarray, name: str) -> Representation:
    return Representation._from_monomial(G, perm, coeff, name=name, validate=False)


def _subset_actions(G: PermutationGroup, cap: int) -> Iterator[tuple[str, int, bool, np.ndarray, np.ndarray]]:
    """``(name, k, signed, perms, signs)`` of the actions on k-subsets, ``k ≤ n/2``, unsigned and signed (``k ≥ 2``)."""
    P = np.asarray(G.generators, dtype=np.int64)
    n = G.degree
    for size in range(1, n // 2 + 1):
        if math.comb(n, size) > cap:
            return
        subs = np.asarray(list(itertools.combinations(range(n), size)), dtype=np.int64)
        # colexicographic rank of a sorted subset c_0 < … < c_{k-1}: Σ_i C(c_i, i + 1), a bijection onto [0, C(n, k))
        binom = np.array([[math.comb(c, i + 1) for i in range(size)] for c in range(n)], dtype=np.int64)
        position = np.empty(len(subs), dtype=np.int64)
        position[binom[subs, np.arange(size)].sum(axis=1)] = np.arange(len(subs))
        perms, signs = [], []
        for p in P:
            img = p[subs]  # (d, size): images of the sorted points
            perms.append(position[binom[np.sort(img, axis=1), np.arange(size)].sum(axis=1)])
            inv = np.zeros(len(subs), dtype=np.int64)
            for a, b in itertools.combinations(range(size), 2):
                inv += img[:, a] > img[:, b]
            signs.append(np.where(inv % 2 == 0, 1.0, -1.0))
        perm = np.stack(perms)
        yield f"{size}-subsets", size, False, perm, np.ones(perm.shape)
        if size >= 2:
            yield f"signed {size}-subsets", size, True, perm, np.stack(signs)


def _orbits(perm: np.ndarray) -> list[np.ndarray]:
    """The orbits of the permutations ``perm`` (rows) on ``{0, …, d−1}``, each sorted."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    k, d = perm.shape
    rows = np.repeat(np.arange(d)[None, :], k, axis=0).ravel()
    graph = coo_matrix((np.ones(k * d), (rows, perm.ravel())), shape=(d, d))
    _, lab = connected_components(graph, directed=True, connection="weak")
    order = np.argsort(lab, kind="stable")
    return np.split(order, np.flatnonzero(np.diff(lab[order])) + 1)


def _restrict(G: PermutationGroup, perm: np.ndarray, coeff: np.ndarray, orbit: np.ndarray, name: str
              ) -> Representation:
    """The monomial representation on one orbit (a subrepresentation), points renumbered in orbit order."""
    new = np.full(perm.shape[1], -1, dtype=np.int64)
    new[orbit] = np.arange(orbit.size)
    return _as_rep(G, new[perm[:, orbit]], coeff[:, orbit], name)
