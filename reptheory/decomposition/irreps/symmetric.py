"""One irreducible representation of ``S_n`` by its partition, without enumerating the group.

[`symmetric_irrep`][reptheory.decomposition.irreps.symmetric.symmetric_irrep] (also ``symmetric(n).irrep(λ)``) builds Young's orthogonal form
of ``λ ⊢ n`` as *sparse* matrices of the adjacent transpositions ``s_i = (i, i+1)``
(at most two non-zeros per column; see
`young_orthogonal_form` for the formula),
verifies the Coxeter relations ``s_i² = 1``, ``(s_i s_{i+1})³ = 1``,
``(s_i s_j)² = 1 (|i − j| ≥ 2)`` — a presentation of ``S_n``, so the matrices define a
representation — and returns the images of the catalogue generators: ``(0 1) = s_0`` and
the n-cycle ``(0 1 … n−1) = s_0 s_1 ⋯ s_{n−2}``.  Cost ``O(n² f)`` for the checks and
``O(n f²)`` for the dense n-cycle image (``f = f^λ`` the degree); ``symmetric(12).irrep((7, 3, 2))``
(``f = 1925``) takes about a second.

Examples
--------
>>> from reptheory import groups
>>> rho = groups.symmetric(6).irrep((4, 2))
>>> rho.dim, rho.label, rho.meta["partition"]
(9, '(4,2)', (4, 2))
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse import eye as sparse_eye

from reptheory.characters.symmetric import _check_partition, _part_name
from reptheory.errors import DecompositionError, InvalidArgumentError
from reptheory.groups.finite import FiniteGroup
from reptheory.reps.representation import Representation

__all__ = ["symmetric_irrep", "young_orthogonal_sparse"]

_COXETER = "Coxeter relations of Young's form"


def young_orthogonal_sparse(partition: Any) -> tuple[list[csr_matrix], list[tuple[tuple[int, ...], ...]]]:
    """Young's orthogonal form as sparse matrices ``ρ(s_i)``, ``i = 0 … n−2``, and the standard tableaux.

    Examples
    --------
    >>> mats, tabs = young_orthogonal_sparse((2, 1))
    >>> len(mats), mats[0].shape, len(tabs)
    (2, (2, 2), 2)
    """
    from reptheory.decomposition.irreps.finite import _standard_tableaux

    lam = _check_partition(partition)
    n = sum(lam)
    tabs = _standard_tableaux(lam)
    index = {t: k for k, t in enumerate(tabs)}
    f = len(tabs)
    rows: list[list[int]] = [[] for _ in range(max(n - 1, 0))]
    cols: list[list[int]] = [[] for _ in range(max(n - 1, 0))]
    vals: list[list[float]] = [[] for _ in range(max(n - 1, 0))]
    def put(i: int, r: int, c: int, v: float) -> None:
        rows[i].append(r)
        cols[i].append(c)
        vals[i].append(v)

    for k, t in enumerate(tabs):
        pos = {}
        for r, row in enumerate(t):
            for c, x in enumerate(row):
                pos[x] = (r, c)
        for i in range(n - 1):
            (r1, c1), (r2, c2) = pos[i], pos[i + 1]
            if r1 == r2:
                put(i, k, k, 1.0)
            elif c1 == c2:
                put(i, k, k, -1.0)
            else:
                a = (c2 - r2) - (c1 - r1)  # axial distance
                swapped = tuple(tuple(i + 1 if x == i else i if x == i + 1 else x for x in row) for row in t)
                put(i, k, k, 1.0 / a)
                put(i, index[swapped], k, math.sqrt(1.0 - 1.0 / a**2))
    mats = [csr_matrix((vals[i], (rows[i], cols[i])), shape=(f, f)) for i in range(n - 1)]
    return mats, tabs


def _check_coxeter_sparse(mats: list[csr_matrix]) -> None:
    if not mats:
        return
    f = mats[0].shape[0]
    eye = sparse_eye(f, format="csr")
    tol = 1e-9 * max(1, f)

    def bad(M: Any) -> bool:
        return bool(abs(M - eye).max() > tol) if M.nnz or f else False

    for i, s in enumerate(mats):
        if bad(s @ s):
            raise DecompositionError(f"Young's orthogonal form: s_{i}^2 != 1")
        if i + 1 < len(mats):
            st = s @ mats[i + 1]
            if bad(st @ st @ st):
                raise DecompositionError(f"Young's orthogonal form: (s_{i} s_{i + 1})^3 != 1")
        for j in range(i + 2, len(mats)):
            if abs(s @ mats[j] - mats[j] @ s).max() > tol:
                raise DecompositionError(f"Young's orthogonal form: s_{i} and s_{j} do not commute")


def symmetric_irrep(G: FiniteGroup, partition: Any) -> Representation:
    """The real orthogonal irrep of the catalogue group ``G = symmetric(n)`` labelled by ``λ ⊢ n``.

    Parameters
    ----------
    G : FiniteGroup
        A catalogue symmetric group (lazy: nothing is enumerated).
    partition : sequence of int
        ``λ``, non-increasing, summing to n.

    Returns
    -------
    Representation
        ``label`` is the partition written ``"(4,2,1^2)"`` (``"trivial"`` for ``(n,)``),
        ``real_type = "R"``, ``meta = {"partition": λ, "verified": ...}``.

    Raises
    ------
    InvalidArgumentError
        ``G`` is not ``symmetric(n)`` or λ is not a partition of n.

    Examples
    --------
    >>> import numpy as np
    >>> from reptheory import groups
    >>> from reptheory.characters.symmetric import mn_character
    >>> rho = symmetric_irrep(groups.symmetric(5), (3, 1, 1))
    >>> rho.dim, round(float(np.trace(rho.images[1])))  # trace on the 5-cycle
    (6, 1)
    >>> mn_character((3, 1, 1), (5,))
    1
    """
    key = getattr(G, "key", "")
    if not isinstance(G, FiniteGroup) or not key.startswith("catalog:symmetric("):
        raise InvalidArgumentError(f"symmetric_irrep: G must be a catalogue group symmetric(n), got {G!r}")
    n = int(key[len("catalog:symmetric(") : -1])
    lam = _check_partition(partition, "partition", n=n)
    mats, _ = young_orthogonal_sparse(lam)
    _check_coxeter_sparse(mats)
    f = mats[0].shape[0] if mats else 1
    if n == 1:
        images = np.ones((1, 1, 1))
    elif n == 2:
        images = mats[0].toarray()[None]
    else:
        cyc = np.eye(f)
        for s in mats:  # (0 1 ... n-1) = s_0 s_1 ... s_{n-2}: right-multiply by the sparse s_i
            cyc = np.asarray((s.T @ cyc.T).T)
        images = np.stack([mats[0].toarray(), cyc])
    label = "trivial" if lam == (n,) else _part_name(lam)
    rep = Representation(G, images, name=label, label=label, real_type="R",
                         meta={"partition": lam, "verified": _COXETER})
    object.__setattr__(rep, "components", ((rep, 1),))
    return rep
