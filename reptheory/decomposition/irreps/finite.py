"""Explicit irreducible representations of finite groups (real orthogonal and complex unitary).

[`finite_irreps`][reptheory.decomposition.irreps.finite_irreps] (also ``G.irreps()``) returns the **real** irreducible
representations of a finite group, orthogonal, one per real irreducible
character, in the order of
[`CharacterTable.real_rows`][reptheory.characters.table.CharacterTable.real_rows]: a complex row ``χ_i`` of
indicator ``+1`` gives a real irrep of dimension ``χ_i(1)`` (type ``"R"``); a
pair ``χ_i, χ_j = conj χ_i`` of indicator 0 gives one irrep of dimension
``2 χ_i(1)`` with character ``χ_i + χ_j`` (type ``"C"``); a row of indicator −1
gives one irrep of dimension ``2 χ_i(1)`` with character ``2 χ_i`` (type ``"H"``).
The trivial irrep comes first.  Each irrep carries

* ``label``: ``"trivial"``, ``"chi{i}"`` (types R and H) or ``"chi{i}+chi{j}"`` (type C),
  where ``i, j`` are rows of ``G.character_table()``; for ``symmetric(n)`` the partition,
  written ``"(3,1^2)"`` (see [`FiniteGroup.irrep`][reptheory.groups.finite.FiniteGroup.irrep]);
* ``real_type`` and ``components = ((self, 1),)``;
* ``meta["characters"]``: the tuple of character-table rows it comes from, plus
  family data (``"partition"`` for symmetric groups, ``"frequency"`` for cyclic
  and dihedral groups);
* for types C and H, ``meta["commutant_basis"]``: an array ``(e, d, d)`` with
  ``E_0 = I`` and orthogonal antisymmetric ``E_u`` (``E_u² = −I``),
  Frobenius-orthogonal, ``‖E_u‖_F² = d`` (docs/explanation/projector.md#schur-and-real-types, docs/explanation/projector.md#mask-and-average); it spans ``End_G(ψ)``.

Constructions: closed forms for ``cyclic(n)`` (``±1`` and 2×2 rotation blocks of
complex type), ``dihedral(n)`` (rotation/reflection 2×2 blocks of real type),
``symmetric(n)`` (Young's orthogonal form: images of ``(0 1) = s_0`` and of the
n-cycle ``(0 1 … n−1) = s_0 s_1 ⋯ s_{n−2}`` under ``(g·h)(x) = g(h(x))``) and
``alternating(n)`` (restrictions of Young's form, one per conjugate pair of
partitions; a self-conjugate λ is split by its *associator* ``A``, the signed
permutation ``e_T ↦ ±e_{T'}`` with ``A ρ(σ) = sgn(σ) ρ(σ) A``: into the ±1
eigenspaces when ``A² = I`` (two irreps of type R), or kept whole with ``J = A``
when ``A² = −I`` (type C); these are verified through the Coxeter relations of
``S_n``, which also covers orders beyond the regular-representation limit).  Any
other group: 1-dimensional characters and realifications of 1-dimensional
complex characters directly from the character table, larger irreps from the
regular representation (docs/explanation/routes.md#decomposition): the real isotypic projector
``Π_ψ = (χ(1)/|G|) Σ_g φ(g) ρ_reg(g)`` (``φ`` the conjugate of the complex
character(s)), then the eigenspace of a random symmetric element of the
commutant (right multiplication by ``b + b*``) restricted to ``range Π_ψ``
is one copy of ψ.  Every irrep is validated as a homomorphism, checked to be
orthogonal, and its character compared with the table.

[`complex_irreps`][reptheory.decomposition.irreps.complex_irreps] returns unitary complex irreps, one per row of the
character table (same order): real type irreps as complex matrices; for types
C and H the ``+i`` eigenspace of ``J = E_1`` inside the real irrep.

Examples
--------
>>> from reptheory import groups
>>> [(p.label, p.dim, p.real_type) for p in groups.cyclic(3).irreps()]
[('trivial', 1, 'R'), ('chi1+chi2', 2, 'C')]
>>> [p.dim for p in groups.symmetric(4).irreps()]
[1, 1, 2, 3, 3]
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import numpy as np

from reptheory._numerics.tolerance import relative_error, tolerance
from reptheory.characters.symmetric import _part_name
from reptheory.characters.table import CharacterTable, character_table
from reptheory.errors import ConvergenceError, DecompositionError, InvalidArgumentError
from reptheory.groups._cayley import small_matmul
from reptheory.groups.finite import TABLE_LIMIT, FiniteGroup
from reptheory.reps.representation import Representation

__all__ = ["finite_irreps", "complex_irreps", "young_orthogonal_form", "commutant_basis"]

#: Largest order for which irreps without a closed form are built from the regular representation.
REGULAR_LIMIT = TABLE_LIMIT
_SEED = 0x1EEB5
_COXETER = "Coxeter relations of Young's form"
#: Markers of irreps that are homomorphisms by construction (see `_verify_all`).
_PROVEN = (_COXETER, "restriction of a representation to an invariant subspace")


# =========================================================================== public
def finite_irreps(G: FiniteGroup) -> tuple[Representation, ...]:
    """The real irreducible representations of ``G`` (orthogonal), trivial first.

    Parameters
    ----------
    G : FiniteGroup

    Returns
    -------
    tuple of Representation
        In the order of ``G.character_table().real_rows()`` (see the module docstring).

    Raises
    ------
    InvalidArgumentError
        ``G`` is not a finite group.
    TooLargeError
        ``G`` has no closed form, order above `REGULAR_LIMIT`, and an irrep that occurs in no
        permutation representation on the cosets of a cyclic subgroup within the size limits.
        Above `REGULAR_LIMIT` the irreps are split off those coset representations, from the
        character table ([`irreps_from_table`][reptheory.decomposition.irreps.from_representation.irreps_from_table]);
        ``rep.decompose()`` still works for any ``rep``, splitting the irreps it needs off ``rep``
        itself ([`reptheory.decomposition.irreps.from_representation`][reptheory.decomposition.irreps.from_representation]).

    Notes
    -----
    Closed forms cost ``O(Σ dim²)``.  The generic route costs ``O(|G|² · m_ψ d_ψ)``
    per real irrep ψ of dimension ``d_ψ ≥ 2`` coming from a character of degree ≥ 2
    (a dense product with the ``|G| × |G|`` isotypic projector), plus
    ``O(|G| d_ψ³)`` for the commutant of types C and H.

    Examples
    --------
    >>> from reptheory import groups
    >>> irr = finite_irreps(groups.quaternion())
    >>> [(p.label, p.dim, p.real_type) for p in irr]
    [('trivial', 1, 'R'), ('chi1', 1, 'R'), ('chi2', 1, 'R'), ('chi3', 1, 'R'), ('chi4', 4, 'H')]
    >>> irr[-1].meta["commutant_basis"].shape
    (4, 4, 4)
    """
    if not isinstance(G, FiniteGroup):
        raise InvalidArgumentError(f"finite_irreps: G must be a FiniteGroup, got {type(G).__name__}")
    return _finite_irreps(G)


def complex_irreps(G: FiniteGroup) -> tuple[Representation, ...]:
    """Unitary complex irreps (complex128 images), one per character-table row, same order.

    ``label`` is ``"chi{i}"`` (``"trivial"`` for row 0), ``real_type`` the type of the row.

    Examples
    --------
    >>> import numpy as np
    >>> from reptheory import groups
    >>> irr = complex_irreps(groups.cyclic(4))
    >>> [p.dim for p in irr], irr[0].label
    ([1, 1, 1, 1], 'trivial')
    >>> T = groups.cyclic(4).character_table()
    >>> bool(np.allclose([p.character() for p in irr], T.values))
    True
    """
    if not isinstance(G, FiniteGroup):
        raise InvalidArgumentError(f"complex_irreps: G must be a FiniteGroup, got {type(G).__name__}")
    return _complex_irreps(G)


def commutant_basis(psi: Representation, *, rng: Any = None) -> np.ndarray:
    """Standard basis ``{E_u}`` of ``End_G(ψ)`` for an orthogonal irrep ψ (docs/explanation/projector.md#schur-and-real-types).

    ``E_0 = I``; for complex type one more, for quaternionic type three more
    orthogonal antisymmetric ``E_u`` with ``E_u² = −I``, ``E_1 E_2 = E_3``.
    Computed by the Reynolds average of random antisymmetric matrices over all
    elements (``O(|G| d³)``).

    Returns
    -------
    ndarray, shape (e, d, d), e ∈ {1, 2, 4}
    """
    G = psi.group
    d = psi.dim
    rng = np.random.default_rng(_SEED if rng is None else rng)
    mats = psi.matrices()
    out = [np.eye(d)]

    def reynolds(A: np.ndarray) -> np.ndarray:
        return np.einsum("gij,jk,glk->il", mats, A, mats, optimize=True) / G.order

    for _ in range(3):
        A = rng.standard_normal((d, d))
        J = reynolds(A - A.T)
        for E in out[1:]:
            J -= E * (np.vdot(E, J) / d)
        nrm = np.linalg.norm(J)
        if nrm < math.sqrt(d) * 1e-6:
            break
        J *= math.sqrt(d) / nrm
        if relative_error(J @ J, -np.eye(d)) > 1e-8:
            raise DecompositionError(f"commutant of {psi.name}: an antisymmetric element does not square to -I")
        out.append(J)
        if len(out) == 3:
            out.append(out[1] @ out[2])
            break
    return np.stack(out)


def young_orthogonal_form(partition: tuple[int, ...]) -> tuple[np.ndarray, list[tuple[tuple[int, ...], ...]]]:
    """Young's orthogonal form: matrices of the adjacent transpositions ``s_i = (i, i+1)``.

    Basis: the standard Young tableaux of shape λ.  ``ρ(s_i) e_T = e_T`` if ``i, i+1``
    share a row of T, ``−e_T`` if they share a column, otherwise
    ``ρ(s_i) e_T = (1/a) e_T + √(1 − 1/a²) e_{s_i T}`` with the axial distance
    ``a = c(i+1) − c(i)``, ``c = column − row`` of the box holding the entry.

    Returns
    -------
    mats : ndarray, shape (n − 1, f, f)
        ``mats[i] = ρ(s_i)``, symmetric orthogonal involutions.
    tableaux : list
        The standard tableaux (tuples of rows) indexing the basis.

    Examples
    --------
    >>> mats, tabs = young_orthogonal_form((2, 1))
    >>> mats.shape, len(tabs)
    ((2, 2, 2), 2)
    """
    from reptheory.decomposition.irreps.symmetric import young_orthogonal_sparse

    sparse, tabs = young_orthogonal_sparse(tuple(int(x) for x in partition))
    f = len(tabs)
    return (np.stack([m.toarray() for m in sparse]) if sparse else np.zeros((0, f, f))), tabs


# =========================================================================== internals
def _irrep(G: FiniteGroup, images: np.ndarray, label: str, real_type: str, meta: dict[str, Any]) -> Representation:
    rep = Representation(G, np.asarray(images), name=label, label=label, real_type=real_type, meta=meta)
    object.__setattr__(rep, "components", ((rep, 1),))
    return rep


def _real_label(rows: tuple[int, ...]) -> str:
    if rows == (0,):
        return "trivial"
    return "+".join(f"chi{i}" for i in rows)


def _rot(theta: float) -> np.ndarray:
    c, s = math.cos(theta), math.sin(theta)
    return np.array([[c, -s], [s, c]])


_J2 = np.array([[0.0, -1.0], [1.0, 0.0]])


def _closed_forms(G: FiniteGroup) -> list[tuple[np.ndarray, dict[str, Any], np.ndarray | None]] | None:
    """Candidate real irreps (images, meta, J or None) for catalogue families, else None."""
    key = G.key
    if key.startswith("catalog:cyclic("):
        n = G.order
        out: list[tuple[np.ndarray, dict[str, Any], np.ndarray | None]] = [(np.ones((1, 1, 1)), {"frequency": 0}, None)]
        if n % 2 == 0 and n > 1:
            out.append((-np.ones((1, 1, 1)), {"frequency": n // 2}, None))
        for j in range(1, (n - 1) // 2 + 1):
            out.append((_rot(2 * math.pi * j / n)[None], {"frequency": j}, _J2))
        return out
    if key.startswith("catalog:dihedral("):
        n = G.order // 2
        out = [(np.ones((2, 1, 1)), {"frequency": 0}, None),
               (np.array([[[1.0]], [[-1.0]]]), {"frequency": 0}, None)]
        if n % 2 == 0:
            out.append((np.array([[[-1.0]], [[1.0]]]), {"frequency": n // 2}, None))
            out.append((np.array([[[-1.0]], [[-1.0]]]), {"frequency": n // 2}, None))
        refl = np.diag([1.0, -1.0])
        for j in range(1, (n - 1) // 2 + 1):
            out.append((np.stack([_rot(2 * math.pi * j / n), refl]), {"frequency": j}, None))
        return out
    if key.startswith("catalog:symmetric("):
        n = int(key[len("catalog:symmetric("):-1])
        out = []
        for lam in _partitions(n):
            mats, _ = young_orthogonal_form(lam)
            f = mats.shape[1] if n > 1 else 1
            if n == 1:
                images = np.ones((1, 1, 1))
            elif n == 2:
                images = mats[:1]
            else:
                cyc = np.eye(f)
                for i in range(n - 1):  # (0 1 ... n-1) = s_0 s_1 ... s_{n-2}
                    cyc = cyc @ mats[i]
                images = np.stack([mats[0], cyc])
            out.append((images, {"partition": lam}, None))
        return out
    if key.startswith("catalog:alternating("):
        n = int(key[len("catalog:alternating("):-1])
        if n >= 4:
            return _alternating_forms(n)
    return None


def _adjacent_word(p: np.ndarray) -> list[int]:
    """Adjacent transpositions with ``p = s_{w_0} s_{w_1} ⋯`` under ``(g·h)(x) = g(h(x))``."""
    # bubble sort q = p: each swap of positions i, i+1 right-multiplies by s_i
    q = list(int(x) for x in p)
    word: list[int] = []
    changed = True
    while changed:
        changed = False
        for i in range(len(q) - 1):
            if q[i] > q[i + 1]:
                q[i], q[i + 1] = q[i + 1], q[i]  # q <- q s_i
                word.append(i)
                changed = True
    return word[::-1]  # q_final = p s_{a_1} ... s_{a_k} = id  =>  p = s_{a_k} ... s_{a_1}


def _young_image(mats: np.ndarray, p: np.ndarray) -> np.ndarray:
    f = mats.shape[1]
    out = np.eye(f)
    for i in _adjacent_word(p):
        out = out @ mats[i]
    return out


def _associator(mats: np.ndarray, tabs: list[tuple[tuple[int, ...], ...]]) -> np.ndarray:
    """For self-conjugate λ: the signed permutation ``A`` (e_T ↦ ±e_{T'}) with ``A ρ(s_i) = −ρ(s_i) A``."""
    f = len(tabs)
    index = {t: k for k, t in enumerate(tabs)}
    tr = [index[_transpose(t)] for t in tabs]
    cols = np.zeros((mats.shape[0], f, f, f))
    for k in range(f):
        B = np.zeros((f, f))
        B[tr[k], k] = 1.0
        cols[:, :, :, k] = B[None] @ mats + mats @ B[None]
    M = cols.reshape(-1, f)
    ev, vecs = np.linalg.eigh(M.T @ M)  # Gram matrix: the null vector gives the signs
    eps = vecs[:, 0]
    if f > 1 and ev[1] < 1e-8 * ev[-1]:
        raise DecompositionError("associator of a self-conjugate partition is not unique")
    eps = eps / np.abs(eps).max()
    if not np.allclose(np.abs(eps), 1.0, atol=1e-8):
        raise DecompositionError("associator of a self-conjugate partition is not a signed permutation")
    A = np.zeros((f, f))
    A[tr, np.arange(f)] = np.sign(eps)
    if np.abs(A @ mats + mats @ A).max() > 1e-9 * max(1, f):
        raise DecompositionError("associator of a self-conjugate partition does not anticommute with s_i")
    return A


def _check_coxeter(mats: np.ndarray) -> None:
    """``s_i² = 1``, ``(s_i s_{i+1})³ = 1``, ``(s_i s_j)² = 1`` for ``|i − j| ≥ 2``: a presentation of S_n."""
    f = mats.shape[1]
    eye = np.eye(f)
    tol = 1e-9 * max(1, f)
    for i in range(len(mats)):
        bad = np.abs(mats[i] @ mats[i] - eye).max() > tol
        if i + 1 < len(mats):
            st = mats[i] @ mats[i + 1]
            bad |= np.abs(st @ st @ st - eye).max() > tol
        for j in range(i + 2, len(mats)):
            bad |= np.abs(mats[i] @ mats[j] - mats[j] @ mats[i]).max() > tol
        if bad:
            raise DecompositionError("Young's orthogonal form violates a Coxeter relation")


def _transpose(t: tuple[tuple[int, ...], ...]) -> tuple[tuple[int, ...], ...]:
    ncols = len(t[0])
    return tuple(tuple(row[c] for row in t if len(row) > c) for c in range(ncols))


def _alternating_forms(n: int) -> list[tuple[np.ndarray, dict[str, Any], np.ndarray | None]]:
    """Real irreps of ``alternating(n)`` from Young's orthogonal form of ``S_n``.

    ``λ ≠ λ'``: the restriction of ``ρ_λ`` is irreducible (one per conjugate pair).
    ``λ = λ'``: the associator ``A`` (``A ρ(σ) = sgn(σ) ρ(σ) A``) commutes with the even
    permutations; ``A² = I`` splits the restriction into its ±1 eigenspaces (two irreps of
    real type), ``A² = −I`` makes the restriction one irrep of complex type with ``J = A``.
    """
    from reptheory.groups import catalog

    gens = catalog.alternating(n).generator_perms
    assert gens is not None
    out: list[tuple[np.ndarray, dict[str, Any], np.ndarray | None]] = []
    for lam in _partitions(n):
        conj = tuple(sum(1 for x in lam if x > j) for j in range(lam[0]))
        if conj > lam:
            continue  # keep one partition of each conjugate pair
        mats, tabs = young_orthogonal_form(lam)
        _check_coxeter(mats)
        images = np.stack([_young_image(mats, p) for p in gens])
        meta: dict[str, Any] = {"partition": lam, "verified": _COXETER}
        if conj != lam:
            out.append((images, meta, None))
            continue
        A = _associator(mats, tabs)
        if np.abs(images @ A - A @ images).max() > 1e-9:
            raise DecompositionError(f"associator of {lam} does not commute with the even generators")
        if np.allclose(A @ A, np.eye(len(tabs))):
            w, V = np.linalg.eigh((A + A.T) / 2)
            for sign in (1.0, -1.0):
                W = V[:, np.isclose(w, sign)]
                out.append((np.einsum("ia,kij,jb->kab", W, images, W), dict(meta, associate=sign), None))
        else:
            out.append((images, meta, A))
    return out


def _partitions(n: int) -> list[tuple[int, ...]]:
    out: list[tuple[int, ...]] = []

    def rec(rem: int, mx: int, cur: list[int]) -> None:
        if rem == 0:
            out.append(tuple(cur))
            return
        for k in range(min(rem, mx), 0, -1):
            rec(rem - k, k, [*cur, k])

    rec(n, n, [])
    return out


def _standard_tableaux(lam: tuple[int, ...]) -> list[tuple[tuple[int, ...], ...]]:
    n = sum(lam)
    out: list[tuple[tuple[int, ...], ...]] = []
    rows: list[list[int]] = [[] for _ in lam]

    def rec(k: int) -> None:
        if k == n:
            out.append(tuple(tuple(r) for r in rows))
            return
        for r in range(len(lam)):
            if len(rows[r]) < lam[r] and (r == 0 or len(rows[r - 1]) > len(rows[r])):
                rows[r].append(k)
                rec(k + 1)
                rows[r].pop()

    rec(0)
    return out


_BATCH_LIMIT = 20_000_000  # numbers held by a batch of all-element images


def _all_images(G: FiniteGroup, images: np.ndarray) -> np.ndarray:
    """Images of all elements, shape (..., n, d, d), from generator images (..., k, d, d).

    Batched over the leading axes; see `tree_images`.
    """
    return G._enumeration.tree_images(images)


def _class_character(G: FiniteGroup, images: np.ndarray) -> np.ndarray:
    """Character on class representatives from generator images (batched over leading axes)."""
    reps = G.class_representatives
    d = images.shape[-1]
    size = int(np.prod(images.shape[:-3], dtype=np.int64)) * G.order * d * d
    words_cheaper = len(reps) * G._enumeration.max_depth < G.order
    if size <= _BATCH_LIMIT and not words_cheaper:
        allm = _all_images(G, images)
        return np.trace(allm[..., reps, :, :], axis1=-2, axis2=-1)
    if images.ndim == 4 and not words_cheaper and G.order * d * d <= _BATCH_LIMIT:
        step = max(1, _BATCH_LIMIT // (G.order * d * d))  # batches of all-element images that fit
        return np.concatenate([_class_character(G, images[i : i + step]) for i in range(0, len(images), step)])
    if images.ndim > 3:
        return np.stack([_class_character(G, im) for im in images])
    vals = []
    for x in reps.tolist():
        m = np.eye(d, dtype=images.dtype)
        for letter in G.word(x):
            m = m @ images[letter]
        vals.append(np.trace(m))
    return np.asarray(vals)


def _match(T: CharacterTable, chars: list[np.ndarray]) -> list[int]:
    """Index into T.real_rows() of each real character (float match).

    Real irreducible characters are orthogonal, so the candidate is the largest
    inner product (one matrix product); the match is then checked value by value.
    """
    groups = T.real_rows()
    refs = np.stack([T.real_character(g) for g in groups])
    C = np.real(np.stack(chars))
    inner = (C * T.class_sizes[None, :]) @ refs.T
    out = np.argmax(inner, axis=1)
    err = np.abs(refs[out] - C).max(axis=1)
    if err.size and err.max() > 1e-6:
        raise DecompositionError(f"{T.group.name}: a constructed irrep has a character not in the table")
    res = [int(k) for k in out]
    if sorted(res) != list(range(len(groups))):
        raise DecompositionError(f"{T.group.name}: constructed irreps do not match the real characters one to one")
    return res


@lru_cache(maxsize=64)
def _finite_irreps(G: FiniteGroup) -> tuple[Representation, ...]:
    T = character_table(G)
    groups = T.real_rows()
    reps: list[Representation | None] = [None] * len(groups)
    cands = _closed_forms(G)
    if cands is not None:
        chars = _characters_batched(G, [im for im, _, _ in cands])
        where = _match(T, chars)
        for (im, meta, J), k in zip(cands, where, strict=True):
            rows = groups[k]
            rt = T.real_types[rows[0]]
            meta = dict(meta, characters=rows)
            if J is not None:
                meta["commutant_basis"] = np.stack([np.eye(J.shape[0]), J])
            label = _real_label(rows)
            if G.key.startswith("catalog:symmetric(") and rows != (0,):
                label = _part_name(meta["partition"])  # S_n: irreps named by their partitions
            reps[k] = _irrep(G, im, label, rt, meta)
    else:
        rng = np.random.default_rng(_SEED)
        big: list[int] = []
        for k, rows in enumerate(groups):
            i = rows[0]
            if T.degrees[i] == 1:
                reps[k] = _linear_irrep(G, T, rows)
            else:
                big.append(k)
        if big and G.order > REGULAR_LIMIT:  # split off coset representations, from the character table
            from reptheory.decomposition.irreps.from_representation import irreps_from_table

            for k, psi in zip(big, irreps_from_table(G, [groups[k] for k in big], rng), strict=True):
                reps[k] = psi
        elif big:
            ctx = _RegularContext(G)
            for k in big:
                reps[k] = _regular_irrep(ctx, T, groups[k], rng)
    out = tuple(r for r in reps if r is not None)
    _verify_all(out, T)
    return out


def _characters_batched(G: FiniteGroup, images: list[np.ndarray]) -> list[np.ndarray]:
    out: list[np.ndarray | None] = [None] * len(images)
    by_dim: dict[int, list[int]] = {}
    for k, im in enumerate(images):
        by_dim.setdefault(im.shape[-1], []).append(k)
    for _d, ks in by_dim.items():
        chis = _class_character(G, np.stack([images[k] for k in ks]))
        for k, c in zip(ks, chis, strict=True):
            out[k] = c
    return [c for c in out if c is not None]


def _linear_irrep(G: FiniteGroup, T: CharacterTable, rows: tuple[int, ...]) -> Representation:
    """R type: the character itself; C type from a degree-1 character: its realification."""
    i = rows[0]
    class_of = G.class_of
    vals = np.array([T.values[i, class_of[s]] for s in G.generators])
    meta: dict[str, Any] = {"characters": rows}
    if len(rows) == 1:
        return _irrep(G, vals.real.reshape(-1, 1, 1), _real_label(rows), "R", meta)
    images = np.stack([np.array([[v.real, -v.imag], [v.imag, v.real]]) for v in vals])
    meta["commutant_basis"] = np.stack([np.eye(2), _J2])
    return _irrep(G, images, _real_label(rows), "C", meta)


class _RegularContext:
    """Index data of the regular representation (|G| ≤ REGULAR_LIMIT)."""

    def __init__(self, G: FiniteGroup) -> None:
        self.G = G
        self.n = G.order
        self.table = G.table
        self.inv = np.asarray(G.inverse(np.arange(self.n)))
        self.class_of = G.class_of


def _regular_irrep(ctx: _RegularContext, T: CharacterTable, rows: tuple[int, ...], rng: np.random.Generator) -> Representation:
    """One copy of the real irrep ψ inside the regular representation (docs/explanation/routes.md#decomposition).

    The isotypic component ``range Π_ψ`` is spanned by translates ``ρ(x) Π_ψ e``
    (columns ``Π_ψ[:, x] = (χ(1)/|G|) φ(h x⁻¹)``): sample columns until their
    rank is ``m_ψ d_ψ``.  A symmetric element of the commutant is right
    multiplication by ``b + b*`` with ``b`` supported on a few random elements
    (``O(|G|)`` per element and column); restricted to the component its
    eigenspaces are single copies of ψ when ``b`` is generic enough, otherwise
    the support grows and the split is retried.
    """
    G, n = ctx.G, ctx.n
    i = rows[0]
    dC = int(T.degrees[i])
    rt = T.real_types[i]
    phi = sum(T.values[j].conj() for j in rows).real  # real class function
    dpsi = dC if rt == "R" else 2 * dC
    rank = dC * dC * len(rows)
    ncols = min(n, int(1.5 * rank) + 4)
    while True:
        xs = rng.choice(n, size=ncols, replace=False)
        Y = (dC / n) * phi[ctx.class_of[ctx.table[:, ctx.inv[xs]]]]
        U, sv, _ = np.linalg.svd(Y, full_matrices=False)
        got = int((sv > 1e-8 * sv[0]).sum())
        if got == rank or ncols == n:
            break
        ncols = min(n, 2 * ncols)
    if got != rank:  # pragma: no cover - the character table is verified
        raise DecompositionError(f"isotypic component of {_real_label(rows)} in the regular representation has rank {got}, expected {rank}")
    B = U[:, :rank]
    support = 8
    W = None
    for _attempt in range(12):
        gs = rng.choice(n, size=min(n, support), replace=False)
        w = rng.standard_normal(len(gs))
        RB = np.zeros_like(B)
        for wj, g in zip(w.tolist(), gs.tolist(), strict=True):
            # right multiplication by g: v[h] -> v[h g^{-1}]; its adjoint v[h] -> v[h g]
            RB += wj * (B[ctx.table[:, ctx.inv[g]]] + B[ctx.table[:, g]])
        S = B.T @ RB
        ev, V = np.linalg.eigh((S + S.T) / 2)
        spread = max(1.0, float(np.abs(ev).max()))
        cuts = np.flatnonzero(np.diff(ev) > 1e-7 * spread) + 1
        parts = np.split(np.arange(len(ev)), cuts)
        if all(len(p) == dpsi for p in parts):
            W = B @ V[:, parts[0]]
            break
        support = min(n, 2 * support)
    if W is None:  # pragma: no cover - probability zero
        raise ConvergenceError(f"could not split an isotypic component of the regular representation of {G.name}")
    # psi(s) = W^T rho_reg(s) W, (rho_reg(s) W)[h] = W[s^{-1} h]
    images = np.stack([W.T @ W[ctx.table[ctx.inv[s]]] for s in G.generators])
    meta: dict[str, Any] = {"characters": rows}
    rep = _irrep(G, images, _real_label(rows), rt, meta)
    if rt != "R":
        rep.meta["commutant_basis"] = commutant_basis(rep, rng=rng)
    return rep


def _verify_all(irreps: tuple[Representation, ...], T: CharacterTable) -> None:
    """Orthogonal, a homomorphism, the right character, a commuting commutant basis."""
    G = T.group
    assert isinstance(G, FiniteGroup)  # irreps are built for enumerated groups only
    tol = tolerance().rtol
    enum = G._enumeration
    by_dim: dict[int, list[Representation]] = {}
    for rep in irreps:
        by_dim.setdefault(rep.dim, []).append(rep)
    for d, reps in by_dim.items():
        ims = np.stack([r.images for r in reps])  # (N, k, d, d)
        orth = np.abs(ims @ np.swapaxes(ims, -1, -2) - np.eye(d)).max(initial=0.0)
        if orth > tol * 10 * max(1, d):
            raise DecompositionError(f"an irrep of dimension {d} of {G.name} is not orthogonal (error {orth:.3g})")
        proven = all(r.meta.get("verified") in _PROVEN for r in reps)
        if len(reps) * G.order * d * d <= _BATCH_LIMIT and not proven:
            allm = _all_images(G, ims)  # (N, n, d, d)
            for j in range(enum.k):
                # psi(g) psi(s_j) = psi(g s_j) for every element g, all irreps at once
                err = np.abs(small_matmul(allm, ims[:, None, j]) - allm[:, enum.right[:, j]]).max()
                if err > tol * 10 * max(1, d):
                    raise DecompositionError(
                        f"an irrep of dimension {d} of {G.name} is not a homomorphism ({err:.3g})"
                    )
            chis = np.trace(allm[:, G.class_representatives], axis1=-2, axis2=-1)
        else:
            for rep in reps:
                if rep.meta.get("verified") in _PROVEN:
                    continue  # Young matrices (a representation of S_n), or a restriction to an invariant subspace
                try:
                    Representation.from_generator_images(G, list(rep.images), validate=True)
                except Exception as exc:  # pragma: no cover - construction bug
                    raise DecompositionError(f"irrep {rep.label} of {G.name} is not a homomorphism: {exc}") from None
            chis = _class_character(G, ims)
        for rep, chi in zip(reps, chis, strict=True):
            ref = T.real_character(rep.meta["characters"])
            if np.abs(chi - ref).max() > 1e-6 * max(1, rep.dim):
                raise DecompositionError(f"irrep {rep.label} of {G.name} has the wrong character")
            E = rep.meta.get("commutant_basis")
            if E is not None:
                e = {"C": 2, "H": 4}[str(rep.real_type)]
                if E.shape != (e, rep.dim, rep.dim):
                    raise DecompositionError(f"irrep {rep.label}: commutant basis has shape {E.shape}")
                if np.abs(rep.images @ E[1:, None] - E[1:, None] @ rep.images).max() > 1e-8:
                    raise DecompositionError(f"irrep {rep.label}: commutant basis does not commute")


@lru_cache(maxsize=64)
def _complex_irreps(G: FiniteGroup) -> tuple[Representation, ...]:
    T = character_table(G)
    real = _finite_irreps(G)
    out: list[Representation | None] = [None] * T.num_classes
    for psi in real:
        rows = psi.meta["characters"]
        rt = str(psi.real_type)
        if rt == "R":
            U = psi.images.astype(np.complex128)
            out[rows[0]] = _complex_irrep(G, U, rows[0], rt)
            continue
        J = psi.meta["commutant_basis"][1]
        w, V = np.linalg.eigh(1j * J)
        W = V[:, w < 0]  # J w = i w  <=>  (iJ) w = -w
        U = np.einsum("ia,kij,jb->kab", W.conj(), psi.images, W)
        chi = _class_character(G, U)
        if len(rows) == 1:
            out[rows[0]] = _complex_irrep(G, U, rows[0], rt)
            continue
        a, b = rows
        if np.abs(chi - T.values[a]).max() > np.abs(chi - T.values[b]).max():
            a, b = b, a
        out[a] = _complex_irrep(G, U, a, rt)
        out[b] = _complex_irrep(G, U.conj(), b, rt)
    res = tuple(r for r in out if r is not None)
    chis = _characters_batched(G, [rep.images for rep in res])
    for i, chi in enumerate(chis):
        if np.abs(chi - T.values[i]).max() > 1e-6 * max(1, res[i].dim):
            raise DecompositionError(f"complex irrep chi{i} of {G.name} has the wrong character")
    return res


def _complex_irrep(G: FiniteGroup, images: np.ndarray, i: int, rt: str) -> Representation:
    label = "trivial" if i == 0 else f"chi{i}"
    rep = Representation(G, images, name=label, label=label, real_type=rt, meta={"characters": (i,)})
    object.__setattr__(rep, "components", ((rep, 1),))
    return rep
