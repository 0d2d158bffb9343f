"""Oracles and helpers shared by the laws (private).

The brute-force Reynolds operator [`explicit_group_average`][reptheory.testing._oracles.explicit_group_average], characters from
element matrices, and the small argument helpers of [`reptheory.testing.laws`][reptheory.testing.laws].
"""

from __future__ import annotations

from typing import Any

import numpy as np

from reptheory._numerics.tolerance import tolerance
from reptheory.errors import InvalidArgumentError
from reptheory.groups.finite import FiniteGroup
from reptheory.reps.representation import Representation
from reptheory.testing.assertions import _check_pair

__all__ = ["explicit_group_average", "power_character", "torus_class_integral"]

#: Groups up to this order get the brute-force O(n³) associativity check.
BRUTE_FORCE_ORDER = 64

_TOL = tolerance("float64").rtol


def _fail(message: str) -> None:
    __tracebackhide__ = True
    raise AssertionError(message)


# =========================================================================== oracles
def _finite_group_of(rho: Representation, law: str) -> FiniteGroup:
    G = rho.group
    if not isinstance(G, FiniteGroup):
        raise InvalidArgumentError(f"{law} is stated for finite groups; got {getattr(G, 'name', G)!r}")
    return G


def explicit_group_average(rho_in: Representation, rho_out: Representation, W: Any) -> np.ndarray:
    """The Reynolds operator by brute force: ``(1/|G|) Σ_g ρ_out(g) W ρ_in(g)⁻¹`` (finite G).

    The oracle for every projector law (docs/explanation/projector.md#reynolds-operator); ``W`` has shape ``(d_out, d_in)``
    or ``(batch, d_out, d_in)``.  Cost ``O(|G| d_out d_in (d_out + d_in))`` per matrix.

    Examples
    --------
    >>> import numpy as np
    >>> from reptheory import groups
    >>> R = Representation.regular(groups.cyclic(3))
    >>> explicit_group_average(R, R, np.diag([3.0, 0.0, 0.0]))
    array([[1., 0., 0.],
           [0., 1., 0.],
           [0., 0., 1.]])
    """
    _check_pair(rho_in, rho_out)
    G = _finite_group_of(rho_in, "explicit_group_average")
    M_in = np.asarray(rho_in.matrices())
    M_out = np.asarray(rho_out.matrices())
    inv = np.asarray(G.inverse(np.arange(G.order)))
    W = np.asarray(W)
    out = np.einsum("gij,...jk,gkl->...il", M_out, W, M_in[inv], optimize=True) / G.order
    if not (np.iscomplexobj(M_in) or np.iscomplexobj(M_out) or np.iscomplexobj(W)):
        out = out.real
    return np.asarray(out)


def _characters(rho: Representation) -> np.ndarray:
    """``χ(g) = tr ρ(g)`` on every element (from the element matrices)."""
    return np.trace(np.asarray(rho.matrices()), axis1=1, axis2=2)


def _inner(G: FiniteGroup, chi: np.ndarray, psi: np.ndarray) -> complex:
    return complex(np.sum(chi * np.conj(psi)) / G.order)


def _space(rho_in: Representation, rho_out: Representation, space: Any, **kw: Any) -> Any:
    _check_pair(rho_in, rho_out)
    if space is not None:
        return space
    from reptheory.hom.space import intertwiners

    return intertwiners(rho_in, rho_out, **kw)


def _project(space: Any, W: np.ndarray) -> np.ndarray:
    return np.asarray(space.project(W) if hasattr(space, "project") else space(W))


def _check_W(rho_in: Representation, rho_out: Representation, W: Any, name: str = "W") -> np.ndarray:
    W = np.asarray(W)
    if W.shape != (rho_out.dim, rho_in.dim):
        raise InvalidArgumentError(f"{name} must have shape ({rho_out.dim}, {rho_in.dim}), got {W.shape}")
    return W


def _reference_space(rho_in: Representation, rho_out: Representation, space: Any) -> Any:
    """``space`` if given; else the explicit average (finite G) or the library's intertwiner space."""
    _check_pair(rho_in, rho_out)
    if space is not None:
        return space
    if isinstance(rho_in.group, FiniteGroup):
        return lambda W: explicit_group_average(rho_in, rho_out, W)
    return _space(rho_in, rho_out, None)


# ------------------------------------------------- Weyl integration on the torus (Lie)
#: (torus generator in the factor's Lie coordinates, period, Weyl density) of the rank-one catalogue groups.
def _rank_one_torus(G: Any) -> tuple[np.ndarray, float, bool]:
    kind, n = G.kind, (G.params[0] if G.params else None)
    if kind == "U1" or (kind in ("SO", "O") and n == 2):
        return np.array([1.0]), 2 * np.pi, False
    if kind in ("SO", "O") and n == 3:
        return np.array([0.0, 1.0, 0.0]), 2 * np.pi, True
    if kind == "SU2":
        return np.array([0.0, 0.0, 1.0]), 4 * np.pi, True
    raise InvalidArgumentError(f"the torus oracle covers products of SO(2), O(2), SO(3), O(3), SU(2), U(1); got {G.name}")


def torus_class_integral(rho: Representation, fn: Any, *, degree: int) -> complex:
    """``∫_G f(ρ(g)) dg`` for a class function ``f`` of the eigenvalues of ``ρ(g)``, by Weyl integration.

    ``fn`` maps eigenvalues of shape (N, d) to values of shape (N,). ``degree`` bounds the
    degree of ``f`` as a polynomial in the eigenvalues and their conjugates (e.g. 2k for
    ``|χ_{Sym^k ρ}|²``). The group is a product of SO(2), O(2), SO(3), O(3), SU(2), U(1)
    (product torus, product of Weyl densities ``1 − cos θ``, both cosets of O(n));
    the equispaced rule on each torus factor has more nodes than the trigonometric degree of
    the integrand, so the value is exact up to rounding. Independent of every solver.
    """
    import itertools

    import scipy.linalg

    G = rho.group
    facs = list(G.factors) if G.kind == "product" else [G]
    gens, periods, dens, ncos = [], [], [], []
    off = 0
    for f in facs:
        g, P, d = _rank_one_torus(f)
        full = np.zeros(G.lie_dim)
        full[off : off + f.lie_dim] = g
        off += f.lie_dim
        gens.append(full)
        periods.append(P)
        dens.append(d)
        ncos.append(f.num_generators)
    # largest |weight| of each torus generator on ρ bounds the frequencies
    nodes = []
    for g, P in zip(gens, periods, strict=True):
        H = np.tensordot(g, rho.algebra, axes=1)
        m = float(np.abs(np.linalg.eigvals(H).imag).max(initial=0.0)) * P / (2 * np.pi)
        N = int(np.ceil(degree * m)) + 4
        nodes.append(P * np.arange(N) / N)
    total = 0.0 + 0.0j
    # discrete generators: index of each factor's (single) coset generator, or None
    disc_idx, k = [], 0
    for c in ncos:
        disc_idx.append(k if c else None)
        k += c
    for coset in itertools.product(*[(False, True) if c else (False,) for c in ncos]):
        S = np.eye(rho.dim, dtype=complex)
        for use, j in zip(coset, disc_idx, strict=True):
            if use:
                S = S @ rho.images[j]
        grids = np.meshgrid(*nodes, indexing="ij")
        th = np.stack([x.ravel() for x in grids], axis=1)  # (M, r)
        w = np.ones(len(th))
        for i, d in enumerate(dens):
            if d:
                w = w * (1 - np.cos(th[:, i]))
        X = np.einsum("mr,ra,aij->mij", th, np.stack(gens), rho.algebra)
        M = scipy.linalg.expm(X) @ S
        vals = fn(np.linalg.eigvals(M))
        total += complex((vals * w).mean())
    return total / np.prod([2 if c else 1 for c in ncos])


def power_character(eigs: np.ndarray, k: int, kind: str) -> np.ndarray:
    """``χ_{Sym^k}`` (complete homogeneous ``h_k``) or ``χ_{Λ^k}`` (elementary ``e_k``) of eigenvalues (N, d).

    Newton's identities from the power sums ``p_j = Σ_i λ_i^j``:
    ``k h_k = Σ_{j=1}^k p_j h_{k−j}``, ``k e_k = Σ_{j=1}^k (−1)^{j−1} p_j e_{k−j}``.
    """
    p = [None] + [np.sum(eigs**j, axis=-1) for j in range(1, k + 1)]
    out = [np.ones(eigs.shape[0], dtype=complex)]
    sign = 1 if kind == "symmetric" else -1
    for n in range(1, k + 1):
        out.append(sum((sign ** (j - 1)) * p[j] * out[n - j] for j in range(1, n + 1)) / n)  # type: ignore[operator]
    return out[k]
