"""Characters of compact Lie groups and their inner products (docs/explanation/projector.md#characters, Weyl integration).

``χ_ρ(g) = tr ρ(g)`` is a class function; ``<χ_ρ, χ_σ> = ∫_G χ_ρ(g) conj(χ_σ(g)) dg``.

On the catalogue groups with a one-dimensional maximal torus the Haar integral of a class
function reduces to the Weyl integration formula, and because the characters of
finite-dimensional representations restricted to the torus are trigonometric polynomials of
known degree (the largest weight of the Cartan generator), an equispaced rule with enough
nodes integrates them **exactly** (up to rounding):

* SO(2) / U(1): ``∫ f = (1/2π) ∫_0^{2π} f(θ) dθ``;
* SO(3): ``∫ f = (1/2π) ∫_0^{2π} f(exp(ω L_y)) (1 − cos ω) dω``;
* SU(2): ``∫ f = (1/4π) ∫_0^{4π} f(exp(θ X_z)) (1 − cos θ) dθ``;
* O(2), O(3): the mean of the two cosets (``F`` or ``−I`` times the connected part).

For SO(n), n ≥ 4, and O(n), n ≥ 4 (n odd: the coset ``−I · SO(n)``; n even: see below), the characters on the maximal
torus ``exp(Σ t_i L_{2i,2i+1})`` are Laurent polynomials in the integer weights, and the
Weyl integration formula ``∫ f = (1/|W|) ∫_T f |Δ|²`` is evaluated exactly as a constant term
(``|Δ|² = Π_{α>0} (2 − x^α − x^{−α})`` over the positive roots of B_r or D_r; ``|W| = 2^r r!``
or ``2^{r−1} r!``).  For O(2r) the coset ``F · SO(2r)`` (``F = diag(1, …, 1, −1)``) is integrated
over ``F t`` with t in the rank-(r−1) torus and the eigen-angle density of Sp(r−1).  Other groups
(products, groups built from generators) fall back to Monte-Carlo quadrature over Haar samples (an estimate).

Examples
--------
>>> from reptheory.groups.lie_catalog import SO3
>>> V = SO3().defining_representation()
>>> character_inner_product(V @ V, V @ V)
3.0
>>> hom_dimension(V @ V @ V @ V, SO3().irrep(0))
3
"""

from __future__ import annotations

from typing import Any

import numpy as np

from reptheory.errors import GroupMismatchError, InvalidArgumentError

__all__ = ["character", "character_inner_product", "hom_dimension", "haar_class_integral"]


def character(rep: Any, g: Any) -> complex | float:
    """``χ_ρ(g) = tr ρ(g)`` for a group element g.

    Examples
    --------
    >>> import numpy as np
    >>> from reptheory.groups.lie_catalog import SO2
    >>> G = SO2()
    >>> round(float(character(G.irrep(1), G.element([np.pi / 3]))), 12)
    1.0
    """
    t = np.trace(rep.matrix(g))
    return float(t.real) if abs(t.imag) == 0 else complex(t)


def _weight_degree(rep: Any, gen: np.ndarray) -> float:
    if rep.dim == 0:
        return 0.0
    H = np.tensordot(gen, rep.algebra, axes=1)
    return float(np.abs(np.linalg.eigvals(H).imag).max(initial=0.0))


def _torus_values(rep: Any, gen: np.ndarray, angles: np.ndarray, disc: np.ndarray | None) -> np.ndarray:
    H = np.tensordot(gen, rep.algebra, axes=1)
    w, V = np.linalg.eig(H)
    Vi = np.linalg.inv(V)
    E = np.exp(np.outer(angles, w))  # (N, d)
    if disc is None:
        return E.sum(axis=1)
    # tr(exp(θ H) S) = Σ_i e^{θ w_i} (V⁻¹ S V)_{ii}
    diag = np.diag(Vi @ disc @ V)
    return E @ diag


def haar_class_integral(G: Any, fn: Any, degree: float) -> tuple[complex, str]:
    """``∫_G f dg`` for a class function given on the torus, exact for trigonometric degree ≤ ``degree``.

    ``fn(gen, angles, disc)`` returns ``f(exp(angle · Σ gen_a X_a) · disc)`` for an array
    of angles (``disc`` is None or the index of the coset representative).

    Returns the value and the method used.
    """
    kind = getattr(G, "kind", None)
    n = G.params[0] if getattr(G, "params", ()) else None
    if (kind in ("SO", "O") and n == 2) or kind == "U1":
        gen = np.array([1.0])
        N = int(np.ceil(degree)) + 2
        th = 2 * np.pi * np.arange(N) / N
        val = fn(gen, th, None).mean()
        if kind == "O":
            val = (val + fn(gen, th, 0).mean()) / 2
        return complex(val), "weyl-exact"
    if (kind in ("SO", "O") and n == 3) or kind == "SU2":
        gen = np.array([0.0, 1.0, 0.0]) if kind != "SU2" else np.array([0.0, 0.0, 1.0])
        period = 4 * np.pi if kind == "SU2" else 2 * np.pi
        mult = 2 if kind == "SU2" else 1
        N = int(np.ceil(mult * degree)) + 4
        th = period * np.arange(N) / N
        dens = 1 - np.cos(th)
        val = (fn(gen, th, None) * dens).mean()
        if kind == "O":
            val = (val + (fn(gen, th, 0) * dens).mean()) / 2
        return complex(val), "weyl-exact"
    return complex("nan"), "none"


def character_inner_product(rho: Any, sigma: Any, *, n_samples: int = 20_000, rng: Any = 0) -> float | complex:
    """``<χ_ρ, χ_σ> = ∫_G χ_ρ(g) conj(χ_σ(g)) dg``.

    Exact (Weyl integration with an equispaced rule of sufficient degree) for SO(2),
    O(2), SO(3), O(3), SU(2) and U(1); exact by the Weyl integration formula on the
    maximal torus in integer weights (constant term of ``χ_ρ conj(χ_σ) |Δ|² / |W|``) for
    SO(n) and O(n), n odd, n ≥ 4; Monte-Carlo over ``n_samples`` Haar samples otherwise
    (an estimate with error about ``1/sqrt(n_samples)``).  For real
    representations this is ``dim Hom_G(ρ, σ)``.

    Raises
    ------
    GroupMismatchError
        Representations of different groups.

    Examples
    --------
    >>> from reptheory.groups.lie_catalog import O3
    >>> V = O3().defining_representation()
    >>> character_inner_product(V @ V, O3().irrep("1e"))
    1.0
    """
    if rho.group != sigma.group:
        raise GroupMismatchError(f"representations of different groups ({rho.group.name}, {sigma.group.name})")
    G = rho.group
    kind = getattr(G, "kind", None)
    if kind in ("SO", "O", "U1", "SU2") and (kind not in ("SO", "O") or G.params[0] in (2, 3)):
        gen = np.array([1.0]) if G.lie_dim == 1 else (np.array([0.0, 0.0, 1.0]) if kind == "SU2" else np.array([0.0, 1.0, 0.0]))
        deg = _weight_degree(rho, gen) + _weight_degree(sigma, gen) + 1

        def fn(genv: np.ndarray, th: np.ndarray, disc: Any) -> np.ndarray:
            Sr = None if disc is None else rho.images[disc]
            Ss = None if disc is None else sigma.images[disc]
            return _torus_values(rho, genv, th, Sr) * np.conj(_torus_values(sigma, genv, th, Ss))

        val, _ = haar_class_integral(G, fn, deg)
    elif _weyl_rank_n(G) is not None:
        val = _weyl_so_n(G, rho, sigma)
    else:
        if isinstance(n_samples, bool) or not isinstance(n_samples, (int, np.integer)) or n_samples < 1:
            raise InvalidArgumentError(f"n_samples must be a positive integer, got {n_samples!r}")
        gs = G.sample(int(n_samples), rng=rng)
        a = np.einsum("gii->g", _matrices(rho, gs))
        b = np.einsum("gii->g", _matrices(sigma, gs))
        val = complex(np.mean(a * np.conj(b)))
    if abs(val.imag) <= 1e-9 * max(1.0, abs(val.real)):
        return float(np.round(val.real, 12))
    return val


def _weyl_rank_n(G: Any) -> int | None:
    kind = getattr(G, "kind", None)
    if (kind == "SO" and G.params[0] >= 4) or (kind == "O" and G.params[0] >= 4):
        return int(G.params[0])
    return None


def _torus_weights(G: Any, rep: Any, disc: bool, rank: int | None = None) -> dict[tuple[int, ...], complex]:
    """Weights of ``rep`` on the maximal torus ``exp(Σ t_i L_{2i,2i+1})`` with multiplicities.

    With ``disc``, the multiplicity of μ is replaced by ``tr ρ(s)`` on the weight space (s = −I
    is central, so it preserves weight spaces).
    """
    n = G.params[0]
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    cart = [pairs.index((2 * i, 2 * i + 1)) for i in range(n // 2 if rank is None else rank)]
    H = rep.algebra[cart]  # (r, d, d)
    c = np.sqrt(np.arange(2, 2 + len(cart)) + 0.123)
    w, V = np.linalg.eig(np.tensordot(c, H, axes=1))
    # orthonormalise within clusters of equal eigenvalues (H is normal, so eigenspaces are orthogonal)
    order = np.argsort(w.imag)
    w, V = w[order], V[:, order]
    out: dict[tuple[int, ...], complex] = {}
    i = 0
    d = rep.dim
    while i < d:
        j = i + 1
        while j < d and abs(w[j].imag - w[i].imag) < 1e-6:
            j += 1
        Q, _ = np.linalg.qr(V[:, i:j])
        mu = tuple(round(float(np.trace(Q.conj().T @ Hk @ Q).imag) / (j - i)) for Hk in H)
        val = complex(np.trace(Q.conj().T @ rep.images[0] @ Q)) if disc else complex(j - i)
        out[mu] = out.get(mu, 0) + val
        i = j
    return out


def _density_polynomial(roots: list[tuple[int, ...]], rank: int) -> dict[tuple[int, ...], int]:
    """``Π_α (2 − x^α − x^{−α})`` over the given positive roots, as exponent → integer coefficient."""
    poly: dict[tuple[int, ...], int] = {(0,) * rank: 1}
    for root in roots:
        new: dict[tuple[int, ...], int] = {}
        for e, cf in poly.items():
            for coef, sgn in ((2, 0), (-1, 1), (-1, -1)):
                k = tuple(x + sgn * y for x, y in zip(e, root, strict=True))
                new[k] = new.get(k, 0) + cf * coef
        poly = {k: v for k, v in new.items() if v}
    return poly


def _weyl_density(n: int) -> tuple[dict[tuple[int, ...], int], int]:
    """``|Δ|² = Π_{α>0} (2 − x^α − x^{−α})`` as exponent → coefficient, and the Weyl group order."""
    import math

    r = n // 2
    roots = []
    for i in range(r):
        for j in range(i + 1, r):
            for sg in (1, -1):
                a = [0] * r
                a[i] = 1
                a[j] = sg
                roots.append(tuple(a))
    if n % 2 == 1:
        for i in range(r):
            a = [0] * r
            a[i] = 1
            roots.append(tuple(a))
    poly = _density_polynomial(roots, r)
    W = 2 ** (r - 1) * math.factorial(r) if n % 2 == 0 else 2**r * math.factorial(r)
    return poly, W


def _weyl_so_n(G: Any, rho: Any, sigma: Any) -> complex:
    n = G.params[0]
    dens, W = _weyl_density(n)

    def integral(disc: bool) -> complex:
        a = _torus_weights(G, rho, disc)
        b = _torus_weights(G, sigma, disc)
        tot = 0j
        for mu, x in a.items():
            for nu, y in b.items():
                key = tuple(v - u for u, v in zip(mu, nu, strict=True))
                tot += x * np.conj(y) * dens.get(key, 0)
        return tot / W

    if G.kind == "SO":
        return integral(False)
    if n % 2 == 1:
        return (integral(False) + integral(True)) / 2
    return (integral(False) + _weyl_o_minus(G, rho, sigma)) / 2


def _weyl_o_minus(G: Any, rho: Any, sigma: Any) -> complex:
    """``∫_{F·SO(2r)} χ_ρ conj(χ_σ)``: the class of ``F t`` (t in the rank-(r−1) torus of the first
    2r − 2 coordinates, F = diag(1, …, 1, −1)) meets every element of the coset, with the eigen-angle
    density of Sp(r − 1) (roots e_i ± e_j, 2 e_i; |W| = 2^{r−1} (r−1)!)."""
    import math

    r = G.params[0] // 2
    if r == 1:  # pragma: no cover - O(2) has its own rule
        return complex(np.trace(rho.images[0]) * np.conj(np.trace(sigma.images[0])))
    roots: list[tuple[int, ...]] = []
    for i in range(r - 1):
        for j in range(i + 1, r - 1):
            for sg in (1, -1):
                a = [0] * (r - 1)
                a[i], a[j] = 1, sg
                roots.append(tuple(a))
        a = [0] * (r - 1)
        a[i] = 2
        roots.append(tuple(a))
    poly = _density_polynomial(roots, r - 1)
    W = 2 ** (r - 1) * math.factorial(r - 1)
    wa = _torus_weights(G, rho, True, rank=r - 1)
    wb = _torus_weights(G, sigma, True, rank=r - 1)
    tot = 0j
    for mu, x in wa.items():
        for nu, y in wb.items():
            tot += x * np.conj(y) * poly.get(tuple(v - u for u, v in zip(mu, nu, strict=True)), 0)
    return tot / W


def _matrices(rep: Any, gs: list[Any]) -> np.ndarray:
    return rep.group.representation_matrices(rep, gs)


def hom_dimension(rho: Any, sigma: Any) -> int:
    """``dim_R Hom_G(ρ, σ) = <χ_ρ, χ_σ>`` for real representations (exact Weyl rule, rounded).

    Raises
    ------
    InvalidArgumentError
        If the group has no exact rule (the Monte-Carlo estimate is not an integer).

    Examples
    --------
    >>> from reptheory.groups.lie_catalog import SO2
    >>> V = SO2().defining_representation()
    >>> hom_dimension(V @ V, V @ V)
    6
    """
    G = rho.group
    kind = getattr(G, "kind", None)
    if kind in ("U", "SU", "Sp"):
        from reptheory.characters.weyl import torus_hom_dimension

        return torus_hom_dimension(rho, sigma)
    if not (kind in ("U1", "SU2") or (kind in ("SO", "O") and G.params[0] in (2, 3)) or _weyl_rank_n(G)):
        raise InvalidArgumentError(f"hom_dimension: no exact character integral for {G.name}")
    v = character_inner_product(rho, sigma)
    r = round(float(np.real(v)))
    if abs(np.real(v) - r) > 1e-6 * max(1.0, abs(r)):
        raise InvalidArgumentError(f"character inner product {v} is not an integer: not representations of {G.name}?")
    return r



