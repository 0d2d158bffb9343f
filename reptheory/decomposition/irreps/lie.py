"""Closed-form irreducible representations of the catalogue's compact Lie groups (docs/explanation/lie-groups.md#catalogue).

Labels and real types:

* ``SO(2)``: frequency ``k ≥ 0``; ``ψ_0 = 1`` (R), ``ψ_k`` with ``dψ_k = k J`` (complex type,
  commutant ``{I, J}``).
* ``O(2)``: ``"0"`` (trivial), ``"det"``, and ``k ≥ 1`` with ``ψ_k(F) = diag(1, −1)`` (all real type).
* ``SO(3)``: degree ``l ≥ 0``, the real Wigner-D in **e3nn's real spherical-harmonic basis**
  (index ``m = −l … l``, polar axis y, ``D^1(R) = R``; generators
  ``Q^† (−i J_a) Q`` with e3nn's ``change_basis_real_to_complex`` ``Q``, so
  ``exp(α L_y) exp(β L_x) exp(γ L_y)`` equals e3nn's ``wigner_D(l, α, β, γ)``).
* ``O(3)``: ``"le"`` / ``"lo"``: ``D^l`` with the inversion acting as ``±1``.
* ``SU(2)``: spin ``j`` (``"0"``, ``"1/2"``, ``"1"``, …), *real* irreps: integer j gives
  the SO(3) ``D^j`` through ``X_a ↦ L_a`` (real type); half-integer j gives the
  realification of the complex spin-j irrep, dimension ``2(2j+1)``, quaternionic type.
  `su2_complex_irrep` gives the complex ``(2j+1)``-dimensional irreps (basis
  ``m = j, j−1, …, −j``, Condon–Shortley phases; spin 1/2 is the defining representation).
* ``U(1)``: charge ``q ∈ Z``, the complex character ``e^{iqθ}``.

Irreps of complex or quaternionic type carry the standard commutant basis
``meta["commutant_basis"]`` (shape (e, d, d): ``E_0 = I`` and orthogonal antisymmetric
``E_u``, Frobenius-orthogonal, ``‖E_u‖² = d``).  Every irrep has
``components = ((irrep, 1),)``.  Exact (sympy) algebra images are attached to every
irrep: integers for SO(2)/O(2), ``i q`` for U(1), and for SO(3)/O(3)/SU(2) entries
``±√n / 2`` (every entry of ``2 L_a`` and of ``2 J_a`` is ± the square root of an integer
since ``j(j+1) − m(m+1) = (j−m)(j+m+1)``); the float images are snapped to these values,
so floats and exact matrices agree to the last bit.

Examples
--------
>>> from reptheory.groups.lie_catalog import SO3, SO2, SU2
>>> D2 = SO3().irrep(2)
>>> D2.dim, D2.label, D2.real_type
(5, '2', 'R')
>>> SO2().irrep(3).meta["commutant_basis"].shape, SU2().irrep("1/2").real_type
((2, 2, 2), 'H')
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache, partial
from typing import TYPE_CHECKING, Any

import numpy as np

from reptheory.errors import InvalidArgumentError

if TYPE_CHECKING:
    from reptheory.groups.lie import CompactLieGroup
    from reptheory.reps.representation import Representation

__all__ = [
    "lie_irrep",
    "lie_irreps",
    "so3_generators",
    "su2_complex_generators",
    "su2_complex_irrep",
    "so2_complex_irrep",
    "parse_label",
    "label_key",
]


# ----------------------------------------------------------------------- generators
@lru_cache(maxsize=64)
def su2_complex_generators(two_j: int) -> np.ndarray:
    """``−i J_a`` (a = x, y, z) on spin ``j = two_j / 2``, basis ``m = j, j−1, …, −j``; shape (3, 2j+1, 2j+1).

    Examples
    --------
    >>> X = su2_complex_generators(1)
    >>> bool(np.allclose(X[0] @ X[1] - X[1] @ X[0], X[2]))
    True
    """
    j = two_j / 2
    m = j - np.arange(two_j + 1)
    Jz = np.diag(m).astype(complex)
    Jp = np.zeros((two_j + 1, two_j + 1), dtype=complex)
    for i in range(1, two_j + 1):  # J+ |m_i> = c |m_{i-1}>, m_{i-1} = m_i + 1
        Jp[i - 1, i] = np.sqrt(j * (j + 1) - m[i] * (m[i] + 1))
    Jm = Jp.conj().T
    Jx = (Jp + Jm) / 2
    Jy = (Jp - Jm) / 2j
    out = np.stack([-1j * Jx, -1j * Jy, -1j * Jz])
    out.flags.writeable = False
    return out


def _real_to_complex(l: int) -> np.ndarray:
    """e3nn's change of basis from real to complex spherical harmonics (index m = −l … l)."""
    q = np.zeros((2 * l + 1, 2 * l + 1), dtype=complex)
    s = 2**-0.5
    for m in range(-l, 0):
        q[l + m, l + abs(m)] = s
        q[l + m, l - abs(m)] = -1j * s
    q[l, l] = 1
    for m in range(1, l + 1):
        q[l + m, l + abs(m)] = (-1) ** m * s
        q[l + m, l - abs(m)] = 1j * (-1) ** m * s
    return (-1j) ** l * q


@lru_cache(maxsize=64)
def so3_generators(l: int) -> np.ndarray:
    """Real ``(L_x, L_y, L_z)`` on ``D^l`` in e3nn's basis, shape (3, 2l+1, 2l+1).

    Built from the complex spin-l generators (basis ``m = −l … l``, e3nn's
    ``su2_generators`` convention) conjugated by e3nn's real-to-complex change of basis.

    Examples
    --------
    >>> so3_generators(1).astype(int)[2].tolist()
    [[0, -1, 0], [1, 0, 0], [0, 0, 0]]
    """
    # e3nn: m ascending; raising has -sqrt(...) below the diagonal, lowering +sqrt(...) above
    mm = np.arange(-l, l)
    raising = np.diag(-np.sqrt(l * (l + 1) - mm * (mm + 1.0)), k=-1)
    mm2 = np.arange(-l + 1, l + 1)
    lowering = np.diag(np.sqrt(l * (l + 1) - mm2 * (mm2 - 1.0)), k=1)
    m = np.arange(-l, l + 1)
    X = np.stack([0.5 * (raising + lowering) + 0j, np.diag(1j * m), -0.5j * (raising - lowering)])
    Q = _real_to_complex(l)
    R = Q.conj().T[None] @ X @ Q[None]  # Qᴴ X Q, O(d³) per generator
    assert np.abs(R.imag).max(initial=0) < 1e-12
    out = np.ascontiguousarray(R.real)
    out[np.abs(out) < 1e-12] = 0.0
    # snap to the exact values ±√n / 2 so that the floats equal the exact matrices
    out = np.sign(out) * np.sqrt(np.round(4 * out * out)) / 2
    out.flags.writeable = False
    return out


def _exact_half_roots(X: np.ndarray) -> tuple[Any, ...]:
    """Exact sympy copies of matrices whose entries are ``±√n / 2`` (n integer), real and imaginary parts."""
    import sympy

    def one(v: float) -> Any:
        if v == 0:
            return sympy.Integer(0)
        n4 = round(4 * v * v)
        assert abs(4 * v * v - n4) < 1e-9
        return sympy.sign(v) * sympy.sqrt(n4) / 2

    out = []
    for M in X:
        rows = [[one(float(np.real(v))) + sympy.I * one(float(np.imag(v))) for v in r] for r in M]
        out.append(sympy.ImmutableMatrix(rows))
    return tuple(out)


@lru_cache(maxsize=64)
def _so3_generators_exact(l: int) -> tuple[Any, ...]:
    return _exact_half_roots(so3_generators(l))


@lru_cache(maxsize=64)
def _su2_real_exact(two_j: int) -> tuple[Any, ...]:
    X = su2_complex_generators(two_j)
    return _exact_half_roots(np.block([[X.real, -X.imag], [X.imag, X.real]]))


@lru_cache(maxsize=64)
def _su2_complex_exact(two_j: int) -> tuple[Any, ...]:
    return _exact_half_roots(su2_complex_generators(two_j))


def _quaternionic_structure(two_j: int) -> np.ndarray:
    """Commutant basis of the realified spin-j irrep (half-integer j), shape (4, d, d)."""
    n = two_j + 1
    X = su2_complex_generators(two_j)
    # antilinear C v̄ commuting with the irrep: C conj(X_a) = X_a C
    C = np.zeros((n, n))
    for i in range(n):
        C[n - 1 - i, i] = (-1) ** i
    if not all(np.allclose(C @ x.conj(), x @ C) for x in X):
        C = -C.T
    assert all(np.allclose(C @ x.conj(), x @ C) for x in X)
    Id = np.eye(n)
    Z = np.zeros((n, n))
    E0 = np.eye(2 * n)
    E1 = np.block([[Z, -Id], [Id, Z]])
    E2 = np.block([[C, Z], [Z, -C]])
    E3 = E1 @ E2
    return np.stack([E0, E1, E2, E3])


# ----------------------------------------------------------------------- labels
def parse_label(G: CompactLieGroup, label: Any) -> Any:
    """Normalise an irrep label of a catalogue group (see the module docstring).

    Returns an int (SO(2), SO(3), U(1) and O(2) frequencies ≥ 1), a string
    (``"0"``/``"det"`` of O(2)), a tuple ``(l, p)`` (O(3)) or a Fraction (SU(2)).

    Examples
    --------
    >>> from reptheory.groups.lie_catalog import O3, SU2
    >>> parse_label(O3(), "2o"), parse_label(SU2(), "3/2")
    ((2, -1), Fraction(3, 2))
    """
    from reptheory.decomposition.irreps.highest_weight import is_highest_weight_group, parse_weight

    if is_highest_weight_group(G):
        return parse_weight(G, label)
    kind = G.kind
    n = G.params[0] if G.params else None
    text = str(label).strip() if not isinstance(label, (tuple, Fraction)) else label

    def as_int(v: Any, lo: int | None = 0) -> int:
        try:
            if isinstance(v, bool):
                raise ValueError
            iv = int(v) if not isinstance(v, str) else int(v.strip())
            if isinstance(v, float) and iv != v:
                raise ValueError
        except (TypeError, ValueError):
            raise InvalidArgumentError(f"label {label!r} is not a valid irrep label of {G.name}") from None
        if lo is not None and iv < lo:
            raise InvalidArgumentError(f"label {label!r} of {G.name} must be >= {lo}")
        return iv

    if kind == "SO" and n in (2, 3):
        s = text[2:] if isinstance(text, str) and text.startswith("l=") else text
        return as_int(s)
    if kind == "O" and n == 2:
        if isinstance(text, str) and text in ("0", "0e", "trivial", "0+"):
            return "0"
        if isinstance(text, str) and text in ("det", "0o", "0-", "sign"):
            return "det"
        return as_int(text, 1)
    if kind == "O" and n == 3:
        if isinstance(text, tuple):
            if len(text) != 2 or text[1] not in (1, -1):
                raise InvalidArgumentError(f"label {label!r} of O(3) must be (l, ±1) or 'le'/'lo'")
            return (as_int(text[0]), int(text[1]))
        if isinstance(text, str) and len(text) >= 2 and text[-1] in "eo":
            return (as_int(text[:-1]), 1 if text[-1] == "e" else -1)
        raise InvalidArgumentError(f"label {label!r} of O(3) must look like '1o' or '2e'")
    if kind == "SU2":
        try:
            fr = Fraction(str(label)) if not isinstance(label, Fraction) else label
        except (ValueError, ZeroDivisionError):
            raise InvalidArgumentError(f"label {label!r} is not a spin (0, 1/2, 1, ...)") from None
        if fr < 0 or (2 * fr).denominator != 1:
            raise InvalidArgumentError(f"label {label!r} is not a spin (0, 1/2, 1, ...)")
        return fr
    if kind == "U1":
        return as_int(text, None)
    raise InvalidArgumentError(f"{G.name} has no closed-form irreps in the catalogue")


def label_key(G: CompactLieGroup, lab: Any) -> tuple[Any, ...]:
    """Sort key: trivial first, then by degree (O(3): even parity first; O(2): det second; highest weights: Σ|λ_i|)."""
    from reptheory.decomposition.irreps.highest_weight import is_highest_weight_group, weight_key

    if is_highest_weight_group(G):
        return weight_key(G, lab)
    if G.kind == "O" and G.params[0] == 2:
        return (0, 0) if lab == "0" else ((0, 1) if lab == "det" else (lab, 0))
    if G.kind == "O" and G.params[0] == 3:
        return (lab[0], 0 if lab[1] == 1 else 1)
    if G.kind == "U1":
        return (abs(lab), -lab)
    return (lab,)


def _label_text(G: CompactLieGroup, lab: Any) -> str:
    if isinstance(lab, tuple):
        return f"{lab[0]}{'e' if lab[1] == 1 else 'o'}"
    return str(lab)


# ----------------------------------------------------------------------- construction
def lie_irrep(G: CompactLieGroup, label: Any) -> Representation:
    """The catalogue irrep of ``G`` with ``label`` (identical object on repeated calls).

    Raises
    ------
    InvalidArgumentError
        Unknown label, or a group without closed-form irreps.

    Examples
    --------
    >>> from reptheory.groups.classical import Sp
    >>> lie_irrep(Sp(2), (1, 1)).dim
    5
    """
    from reptheory.decomposition.irreps.highest_weight import hw_irrep, is_highest_weight_group

    if is_highest_weight_group(G):
        return hw_irrep(G, label)
    return _irrep_cached(G, parse_label(G, label))


def lie_irreps(G: CompactLieGroup, max_label: Any) -> list[Representation]:
    """All catalogue irreps up to ``max_label`` (degree, frequency, spin or |charge|; ``Σ|λ_i|`` for highest weights), trivial first.

    Examples
    --------
    >>> from reptheory.groups.lie_catalog import O3, O2, SU2
    >>> [r.label for r in O3().irreps(1)], [r.label for r in O2().irreps(2)]
    (['0e', '0o', '1e', '1o'], ['0', 'det', '1', '2'])
    >>> [r.dim for r in SU2().irreps("3/2")]
    [1, 4, 3, 8]
    """
    from reptheory.decomposition.irreps.highest_weight import hw_irreps, is_highest_weight_group

    if is_highest_weight_group(G):
        return hw_irreps(G, max_label)
    kind = G.kind
    if kind == "SU2":
        top = parse_label(G, max_label)
        return [lie_irrep(G, Fraction(t, 2)) for t in range(int(2 * top) + 1)]
    try:
        top_i = int(str(max_label).rstrip("eo")) if not isinstance(max_label, (int, np.integer)) else int(max_label)
    except ValueError:
        raise InvalidArgumentError(f"max_label {max_label!r} is not a valid degree for {G.name}") from None
    if top_i < 0:
        raise InvalidArgumentError(f"max_label must be >= 0, got {max_label!r}")
    if kind == "O" and G.params[0] == 2:
        return [lie_irrep(G, "0"), lie_irrep(G, "det")] + [lie_irrep(G, k) for k in range(1, top_i + 1)]
    if kind == "O" and G.params[0] == 3:
        return [lie_irrep(G, (l, p)) for l in range(top_i + 1) for p in (1, -1)]
    if kind == "U1":
        return [lie_irrep(G, q) for q in sorted(range(-top_i, top_i + 1), key=lambda q: (abs(q), -q))]
    parse_label(G, 0)
    return [lie_irrep(G, k) for k in range(top_i + 1)]


def _check_irrep_size(G: CompactLieGroup, lab: Any) -> None:
    """Estimate the dimension of a catalogue irrep before building it (resource-limit policy)."""
    from reptheory.reps._utils import check_rep_size

    kind, params = G.kind, G.params
    if kind in ("SO", "O") and params[0] == 3:
        d = 2 * int(lab if kind == "SO" else lab[0]) + 1
    elif kind == "SU2":
        d = int(2 * lab) + 1
        d = d if d % 2 == 1 else 2 * d
    else:
        return
    check_rep_size(d, 4, f"irrep {lab} of {G.name}")


def _finish(rep: Representation) -> Representation:
    object.__setattr__(rep, "components", ((rep, 1),))
    return rep


@lru_cache(maxsize=512)
def _irrep_cached(G: CompactLieGroup, lab: Any) -> Representation:
    import sympy

    from reptheory.reps.representation import Representation

    kind, params = G.kind, G.params
    text = _label_text(G, lab)
    _check_irrep_size(G, lab)
    if kind in ("SO", "O") and params[0] == 2:
        k = 0 if lab in ("0", "det") else int(lab)
        J = np.array([[0.0, -1.0], [1.0, 0.0]])
        if k == 0:
            alg = np.zeros((1, 1, 1))
            ex_alg = (sympy.ImmutableMatrix([[0]]),)
            imgs = np.array([[[-1.0 if lab == "det" else 1.0]]]) if kind == "O" else np.zeros((0, 1, 1))
            rt, meta = "R", {}
        else:
            alg = (k * J)[None]
            ex_alg = (sympy.ImmutableMatrix([[0, -k], [k, 0]]),)
            imgs = np.array([[[1.0, 0.0], [0.0, -1.0]]]) if kind == "O" else np.zeros((0, 2, 2))
            rt = "C" if kind == "SO" else "R"
            meta = {"commutant_basis": np.stack([np.eye(2), J])} if rt == "C" else {}
        ex_im = tuple(sympy.ImmutableMatrix(m.astype(np.int64).tolist()) for m in imgs)
        rep = Representation(G, imgs, name=f"psi_{text}", algebra=alg, exact_images=ex_im, exact_algebra=ex_alg,
                             label=text, real_type=rt, meta=meta)
        return _finish(rep)
    if kind in ("SO", "O") and params[0] == 3:
        l, p = (lab, 1) if kind == "SO" else lab
        alg = np.array(so3_generators(l))
        d = 2 * l + 1
        imgs = (p * np.eye(d) + 0.0)[None] if kind == "O" else np.zeros((0, d, d))
        n_im = imgs.shape[0]

        def ex_im3() -> tuple[Any, ...]:
            return tuple(sympy.ImmutableMatrix(p * sympy.eye(d)) for _ in range(n_im))

        rep = Representation(G, imgs, name=f"D^{text}", algebra=alg, exact_images=ex_im3,
                             exact_algebra=partial(_so3_generators_exact, l), label=text, real_type="R")
        return _finish(rep)
    if kind == "SU2":
        two_j = int(2 * lab)
        if two_j % 2 == 0:
            l = two_j // 2
            d = 2 * l + 1
            rep = Representation(G, np.zeros((0, d, d)), name=f"spin {text}", algebra=np.array(so3_generators(l)),
                                 exact_images=(), exact_algebra=partial(_so3_generators_exact, l), label=text, real_type="R")
            return _finish(rep)
        X = su2_complex_generators(two_j)
        alg = np.block([[X.real, -X.imag], [X.imag, X.real]])
        d = alg.shape[-1]
        rep = Representation(G, np.zeros((0, d, d)), name=f"spin {text} (real)", algebra=alg, exact_images=(),
                             exact_algebra=partial(_su2_real_exact, two_j), label=text, real_type="H", meta={"commutant_basis": _quaternionic_structure(two_j)})
        return _finish(rep)
    if kind == "U1":
        q = int(lab)
        rep = Representation(G, np.zeros((0, 1, 1), dtype=complex), name=f"charge {q}",
                             algebra=np.array([[[1j * q]]]), exact_images=(),
                             exact_algebra=(sympy.ImmutableMatrix([[sympy.I * q]]),), label=text, real_type="C" if q else "R")
        return _finish(rep)
    raise InvalidArgumentError(f"{G.name} has no closed-form irreps in the catalogue")  # pragma: no cover


def su2_complex_irrep(j: Any) -> Representation:
    """The complex spin-j irrep of SU(2) (dimension 2j+1, basis ``m = j … −j``).

    ``real_type`` records the Frobenius–Schur indicator: ``"R"`` for integer j, ``"H"``
    for half-integer j.

    Examples
    --------
    >>> su2_complex_irrep("1/2").algebra.shape
    (3, 2, 2)
    """
    from reptheory.groups.lie_catalog import SU2

    G = SU2()
    return _complex_cached(parse_label(G, j))


@lru_cache(maxsize=64)
def _complex_cached(lab: Fraction) -> Representation:
    from reptheory.groups.lie_catalog import SU2
    from reptheory.reps.representation import Representation

    two_j = int(2 * lab)
    X = np.array(su2_complex_generators(two_j))
    d = two_j + 1
    rep = Representation(SU2(), np.zeros((0, d, d), dtype=complex), name=f"spin {lab} (complex)", algebra=X,
                         exact_images=(), exact_algebra=partial(_su2_complex_exact, two_j), label=f"{lab}c", real_type="R" if two_j % 2 == 0 else "H")
    return _finish(rep)


@lru_cache(maxsize=64)
def so2_complex_irrep(k: int) -> Representation:
    """The complex character ``e^{ikθ}`` of SO(2) (dimension 1, ``dψ(J) = ik``), label ``"kc"``.

    Over ℂ the real irrep ``ψ_k`` (k ≥ 1) is ``e^{ikθ} ⊕ e^{−ikθ}``; complex representations of
    SO(2) decompose into these characters.

    Examples
    --------
    >>> so2_complex_irrep(-2).algebra[0, 0, 0].imag, so2_complex_irrep(-2).label
    (np.float64(-2.0), '-2c')
    """
    import sympy

    from reptheory.groups.lie_catalog import SO2
    from reptheory.reps.representation import Representation

    k = int(k)
    rep = Representation(SO2(), np.zeros((0, 1, 1), dtype=complex), name=f"e^(i{k}θ)", algebra=np.array([[[1j * k]]]),
                         exact_images=(), exact_algebra=(sympy.ImmutableMatrix([[sympy.I * k]]),), label=f"{k}c",
                         real_type="C" if k else "R")
    return _finish(rep)
