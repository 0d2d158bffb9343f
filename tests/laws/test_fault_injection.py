"""The laws have teeth: each one fails on some drawn example once a known fault is injected.

Faults: a transposed representation, a projector averaged over a subgroup only, an off-by-one
element permutation, a dropped irrep block, a wrong sign in a generator, and a few more
(an oblique projector, averaging over generators instead of the group, a wrong penalty).
Each test searches the shipped strategies (derandomised) for an example on which the law
raises; ``hypothesis.find`` fails the test if the law never fires, so a law that catches
no injected fault is reported as a defect.
"""

from __future__ import annotations

import dataclasses
import importlib

import numpy as np
import pytest
from hypothesis import Phase, find, settings
from hypothesis import strategies as st

from reptheory import FiniteGroup, Representation
from reptheory.testing import (
    assert_equivariant_model,
    assert_homomorphism,
    assert_intertwiner,
    assert_projector,
    laws,
)
from reptheory.testing import strategies as rst

# generate only: the first example on which the law fires is enough (no shrinking needed)
SEARCH = settings(max_examples=300, database=None, derandomize=True, deadline=None, phases=[Phase.generate])
GROUPS = rst.finite_groups(max_order=12)
REPS = GROUPS.flatmap(lambda G: rst.representations(G, max_dim=5))
PAIRS = GROUPS.flatmap(lambda G: rst.intertwiner_pairs(G, max_dim=4))


def fires(law, *args, **kwargs) -> bool:
    """Whether the law (or assertion) raises AssertionError on these arguments."""
    try:
        law(*args, **kwargs)
    except AssertionError:
        return True
    return False


def caught(strategy, predicate):
    """Some example drawn from ``strategy`` satisfies ``predicate`` (else NoSuchExample fails the test)."""
    return find(strategy, predicate, settings=SEARCH)


def with_weights(pair, **kw):
    return st.tuples(st.just(pair[0]), st.just(pair[1]), rst.weights_for(*pair, **kw))


CASES = PAIRS.flatmap(with_weights)
EQ_CASES = PAIRS.flatmap(lambda p: with_weights(p, equivariant=True))


# ------------------------------------------------------------------ injected faults
class TransposedRep(Representation):
    """Every element image transposed, ``g ↦ ρ(g)ᵀ``: an anti-homomorphism on non-abelian groups.

    (Transposing only the generator images would give ``ρ* ∘ φ`` with ``φ: s ↦ s⁻¹``, a genuine
    representation whenever φ extends to an automorphism, as for dihedral groups.)
    """

    @property
    def _all_images(self):  # type: ignore[override]
        M = Representation(self.group, self.images, name="inner").matrices()
        return np.transpose(M, (0, 2, 1))


def transposed(rho: Representation) -> Representation:
    return TransposedRep(rho.group, rho.images, name=f"({rho.name})^T")


def sign_flipped(rho: Representation, j: int = 0) -> Representation:
    """The image of generator j negated."""
    images = np.array(rho.images)
    images[j] = -images[j]
    return Representation(rho.group, images, name=f"flip({rho.name})")


class ShiftedRep(Representation):
    """A representation whose element images are off by one: ``matrices()[g] = ρ(g + 1 mod |G|)``."""

    @property
    def _all_images(self):  # type: ignore[override]
        M = Representation(self.group, self.images, name="inner").matrices()
        return np.roll(M, -1, axis=0)


def shifted(rho: Representation) -> Representation:
    return ShiftedRep(rho.group, rho.images, name=f"shift({rho.name})")


def shifted_table(G: FiniteGroup) -> np.ndarray:
    """Off-by-one relabelling of the products only: ``T'[i, j] = T[i, j] + 1 mod n``."""
    return (np.asarray(G.table) + 1) % G.order


def subgroup_average(rho_in, rho_out, H):
    """The Reynolds average over a subgroup H only (a projector onto Hom_H, not Hom_G)."""
    emb = np.asarray(H.embedding)
    G = rho_in.group
    M_in, M_out = np.asarray(rho_in.matrices()), np.asarray(rho_out.matrices())
    inv = np.asarray(G.inverse(emb))
    return lambda W: np.einsum("gij,jk,gkl->il", M_out[emb], np.asarray(W), M_in[inv]) / len(emb)


def generator_average(rho_in, rho_out):
    """Averaging over {e} and the generators instead of the whole group."""

    def P(W):
        W = np.asarray(W)
        terms = [W] + [a @ W @ np.linalg.inv(b) for a, b in zip(rho_out.images, rho_in.images, strict=True)]
        return sum(terms) / len(terms)

    return P


def orthonormal_hom_basis(rho_in, rho_out):
    d = rho_in.dim * rho_out.dim
    P = laws.explicit_group_average(rho_in, rho_out, np.eye(d).reshape(d, rho_out.dim, rho_in.dim))
    U, s, _ = np.linalg.svd(P.reshape(d, d).T)
    k = int(np.sum(s > 0.5))
    return U[:, :k].T.reshape(k, rho_out.dim, rho_in.dim)


@dataclasses.dataclass
class Space:
    """A minimal intertwiner space: basis (k, d_out, d_in) and the projection onto its span."""

    basis: np.ndarray

    @property
    def dim(self) -> int:
        return len(self.basis)

    def project(self, W):
        W = np.asarray(W)
        B = self.basis.reshape(len(self.basis), W.size)
        return (B.T @ (B @ W.ravel())).reshape(W.shape)


def dropped_block(rho_in, rho_out):
    """The orthogonal projector onto Hom_G with its first basis element dropped."""
    return Space(orthonormal_hom_basis(rho_in, rho_out)[1:])


def oblique(rho_in, rho_out, seed=0):
    """``P + P X (I − P)``: a projector onto Hom_G that is not self-adjoint."""
    C = np.random.default_rng(seed).standard_normal((rho_in.dim, rho_in.dim))

    def P(W):
        avg = lambda V: laws.explicit_group_average(rho_in, rho_out, V)  # noqa: E731
        W = np.asarray(W)
        return avg(W) + avg((W - avg(W)) @ C)

    return P


def proper_subgroup(G: FiniteGroup) -> st.SearchStrategy[FiniteGroup]:
    return rst.subgroups(G, max_generators=1)


SUB_CASES = GROUPS.flatmap(
    lambda G: st.tuples(rst.intertwiner_pairs(G, max_dim=4), proper_subgroup(G)).flatmap(
        lambda t: st.tuples(st.just(t[0]), st.just(t[1]), rst.weights_for(*t[0]))
    )
)


# ---------------------------------------------------------------------- group laws
def test_group_axioms_catch_an_off_by_one_table():
    caught(GROUPS, lambda G: fires(laws.group_axioms, shifted_table(G)))


class ShiftedClasses:
    """A group whose conjugacy classes are off by one element."""

    def __init__(self, G):
        self._G = G

    def __getattr__(self, name):
        return getattr(self._G, name)

    def conjugacy_classes(self):
        n = self._G.order
        return [(c + 1) % n for c in self._G.conjugacy_classes()]


def test_class_equation_catches_off_by_one_classes():
    caught(
        rst.finite_groups(min_order=2, max_order=12), lambda G: fires(laws.class_equation, ShiftedClasses(G))
    )


def test_character_orthogonality_catches_a_transposed_table(monkeypatch):
    ct_mod = importlib.import_module("reptheory.characters.table")

    real = ct_mod.character_table

    def transposed_table(G):
        T = real(G)
        return dataclasses.replace(T, values=np.asarray(T.values).T.copy())

    monkeypatch.setattr(ct_mod, "character_table", transposed_table)
    caught(GROUPS, lambda G: fires(laws.character_orthogonality, G))


def test_character_orthogonality_catches_a_wrong_sign(monkeypatch):
    ct_mod = importlib.import_module("reptheory.characters.table")

    real = ct_mod.character_table

    def wrong_sign(G):
        T = real(G)
        v = np.array(T.values)
        v[-1, -1] = -v[-1, -1]
        return dataclasses.replace(T, values=v)

    monkeypatch.setattr(ct_mod, "character_table", wrong_sign)
    caught(GROUPS, lambda G: fires(laws.character_orthogonality, G))


# ------------------------------------------------------------ representation laws
def test_homomorphism_catches_a_transposed_representation():
    caught(REPS, lambda rho: fires(laws.homomorphism, transposed(rho)))


def test_assert_homomorphism_catches_a_transposed_function():
    caught(REPS, lambda rho: fires(assert_homomorphism, lambda g: rho.matrix(g).T, group=rho.group))


def test_homomorphism_catches_a_wrong_sign():
    caught(REPS, lambda rho: fires(laws.homomorphism, sign_flipped(rho)))


def test_homomorphism_catches_an_off_by_one_element_permutation():
    caught(REPS, lambda rho: fires(laws.homomorphism, shifted(rho)))


def test_orthogonality_catches_a_forgotten_orthogonalization():
    caught(
        GROUPS.flatmap(lambda G: rst.representations(G, max_dim=5, orthogonal=False)),
        lambda rho: fires(laws.orthogonality, rho),
    )


class TransposedWeyl(Representation):
    """``orthogonalize`` returns ``Lᵀ`` in place of ``L`` (a convention slip)."""

    def orthogonalize(self):  # type: ignore[override]
        sigma, L = Representation(self.group, self.images, name="inner").orthogonalize()
        return sigma, L.T


def test_weyl_trick_catches_a_transposed_factor():
    reps = GROUPS.flatmap(lambda G: rst.representations(G, max_dim=4, orthogonal=False))
    caught(reps, lambda rho: fires(laws.weyl_trick, TransposedWeyl(rho.group, rho.images, name="w")))


def test_character_dimension_formula_catches_an_off_by_one_permutation():
    caught(PAIRS, lambda p: fires(laws.character_dimension_formula, p[0], shifted(p[1])))


def test_character_dimension_formula_catches_a_wrong_sign():
    caught(PAIRS, lambda p: fires(laws.character_dimension_formula, p[0], sign_flipped(p[1])))


class OffByOneRestriction(Representation):
    """``restrict`` reads the images of the wrong elements (embedding shifted by one)."""

    def restrict(self, H):  # type: ignore[override]
        G = self.group
        M = Representation(G, self.images, name="inner").matrices()
        emb = (np.asarray(H.embedding) + 1) % G.order
        return Representation(H, np.stack([M[emb[s]] for s in H.generators]), name="bad restriction")


def test_frobenius_reciprocity_catches_an_off_by_one_restriction():
    cases = GROUPS.flatmap(
        lambda G: st.tuples(
            rst.subgroups(G).flatmap(lambda H: rst.representations(H, max_dim=2)),
            rst.representations(G, max_dim=3),
        )
    )
    caught(
        cases,
        lambda c: fires(
            laws.frobenius_reciprocity, c[0], OffByOneRestriction(c[1].group, c[1].images, name="r")
        ),
    )


# ----------------------------------------------------------------- projector laws
def test_commutation_catches_a_subgroup_average():
    caught(
        SUB_CASES,
        lambda c: fires(
            laws.projection_commutes_with_generators, *c[0], c[2], space=subgroup_average(*c[0], c[1])
        ),
    )


def test_group_average_law_catches_a_subgroup_average():
    caught(
        SUB_CASES,
        lambda c: fires(
            laws.projector_matches_group_average, *c[0], c[2], space=subgroup_average(*c[0], c[1])
        ),
    )


def test_rank_catches_a_subgroup_average():
    caught(SUB_CASES, lambda c: fires(laws.projector_rank, *c[0], space=subgroup_average(*c[0], c[1])))


def test_rank_catches_a_dropped_block():
    caught(PAIRS, lambda p: fires(laws.projector_rank, *p, space=dropped_block(*p)))


def test_fixes_equivariant_catches_a_dropped_block():
    caught(EQ_CASES, lambda c: fires(laws.projector_fixes_equivariant, *c, space=dropped_block(c[0], c[1])))


def test_range_catches_a_subgroup_basis():
    def check(c):
        (rho_in, rho_out), H, _ = c
        P = subgroup_average(rho_in, rho_out, H)
        d = rho_in.dim * rho_out.dim
        cols = np.stack([P(e.reshape(rho_out.dim, rho_in.dim)).ravel() for e in np.eye(d)], axis=1)
        U, s, _ = np.linalg.svd(cols)
        basis = U[:, : int(np.sum(s > 0.5))].T.reshape(-1, rho_out.dim, rho_in.dim)
        return fires(laws.projector_range_is_commutant, rho_in, rho_out, space=Space(basis))

    caught(SUB_CASES, check)


def test_range_catches_a_wrong_sign_basis():
    def check(p):
        basis = orthonormal_hom_basis(*p)
        if len(basis) == 0:
            return False
        rho_out = sign_flipped(p[1])  # the basis of Hom(rho_in, rho_out) checked against a wrong rho_out
        return fires(laws.projector_range_is_commutant, p[0], rho_out, space=Space(basis))

    caught(PAIRS, check)


def test_idempotent_catches_a_generator_average():
    caught(CASES, lambda c: fires(laws.projector_idempotent, *c, space=generator_average(c[0], c[1])))


def test_self_adjoint_catches_an_oblique_projector():
    cases = PAIRS.flatmap(lambda p: st.tuples(st.just(p), rst.weights_for(*p), rst.weights_for(*p)))
    caught(cases, lambda c: fires(laws.projector_self_adjoint, *c[0], c[1], c[2], space=oblique(*c[0])))


# ------------------------------------------------------------------- penalty laws
def test_orbit_identity_catches_a_subgroup_average():
    caught(SUB_CASES, lambda c: fires(laws.orbit_identity, *c[0], c[2], space=subgroup_average(*c[0], c[1])))


def test_orbit_identity_catches_a_transposed_representation():
    caught(
        CASES,
        lambda c: fires(
            laws.orbit_identity,
            c[0],
            transposed(c[1]),
            c[2],
            space=lambda W: laws.explicit_group_average(c[0], c[1], W),
        ),
    )


def _torch_penalty(space, kind="fro2"):
    import torch

    def pen(w):
        d_out, d_in = w.shape
        cols = torch.stack(
            [
                torch.as_tensor(space(e.reshape(d_out, d_in)), dtype=torch.float64).reshape(-1)
                for e in np.eye(d_out * d_in)
            ],
            dim=1,
        )  # matrix of P in the row-major flattening
        E = w.reshape(-1) - cols @ w.reshape(-1)
        return (E**2).sum() if kind == "fro2" else (E**2).sum().sqrt() if kind == "fro" else -(E**2).sum()

    return pen


def test_penalty_nonnegative_catches_a_wrong_sign():
    pytest.importorskip("torch")
    caught(
        CASES,
        lambda c: fires(
            laws.penalty_nonnegative,
            *c,
            penalty=_torch_penalty(lambda W: laws.explicit_group_average(c[0], c[1], W), "neg"),
        ),
    )


def test_penalty_nonnegative_catches_a_subgroup_average():
    pytest.importorskip("torch")
    caught(
        SUB_CASES,
        lambda c: fires(
            laws.penalty_nonnegative, *c[0], c[2], penalty=_torch_penalty(subgroup_average(*c[0], c[1]))
        ),
    )


def test_penalty_zero_iff_equivariant_catches_a_dropped_block():
    pytest.importorskip("torch")
    caught(
        CASES,
        lambda c: fires(
            laws.penalty_zero_iff_equivariant, *c, penalty=_torch_penalty(dropped_block(c[0], c[1]).project)
        ),
    )


def test_penalty_gradient_catches_the_unsquared_norm():
    pytest.importorskip("torch")
    caught(
        CASES,
        lambda c: fires(
            laws.penalty_gradient,
            *c,
            penalty=_torch_penalty(lambda W: laws.explicit_group_average(c[0], c[1], W), "fro"),
        ),
    )


# --------------------------------------------------------------------- assertions
def test_assert_intertwiner_catches_a_wrong_sign():
    caught(EQ_CASES, lambda c: fires(assert_intertwiner, c[2], c[0], sign_flipped(c[1])))


def test_assert_projector_catches_a_subgroup_average():
    caught(SUB_CASES, lambda c: fires(assert_projector, subgroup_average(*c[0], c[1]), *c[0]))


def test_assert_projector_catches_a_dropped_block():
    caught(PAIRS, lambda p: fires(assert_projector, dropped_block(*p), *p))


def test_assert_equivariant_model_catches_a_non_equivariant_part():
    cases = PAIRS.flatmap(lambda p: with_weights(p, violation=(1e-6, 1.0)))
    caught(cases, lambda c: fires(assert_equivariant_model, lambda x: x @ c[2].T, c[0], c[1]))


def test_assert_equivariant_model_catches_a_transposed_weight():
    caught(
        EQ_CASES,
        lambda c: c[0].dim == c[1].dim and fires(assert_equivariant_model, lambda x: x @ c[2], c[0], c[1]),
    )


# ----------------------------------------------------- decomposition and exact projectors
class DroppedBlockDecomposition(Representation):
    """``decompose`` forgets the last isotypic component."""

    def decompose(self, **kwargs):  # type: ignore[override]
        dec = Representation(self.group, self.images, name="inner").decompose(**kwargs)
        return dataclasses.replace(dec, components=dec.components[:-1])


class WrongSignDecomposition(Representation):
    """``decompose`` returns Q with its last column negated."""

    def decompose(self, **kwargs):  # type: ignore[override]
        dec = Representation(self.group, self.images, name="inner").decompose(**kwargs)
        Q = np.array(dec.Q)
        Q[:, -1] = -Q[:, -1]
        return dataclasses.replace(dec, Q=Q)


def test_decomposition_law_catches_a_dropped_block():
    caught(
        REPS,
        lambda r: fires(
            laws.decomposition_reconstructs, DroppedBlockDecomposition(r.group, r.images, name="d")
        ),
    )


def test_decomposition_law_catches_a_wrong_sign():
    caught(
        REPS,
        lambda r: fires(laws.decomposition_reconstructs, WrongSignDecomposition(r.group, r.images, name="d")),
    )


class _WrongSignExactSpace:
    """Delegates to a real space, but the exact basis has one entry with the wrong sign."""

    def __init__(self, inner):
        self._inner = inner

    def __getattr__(self, name):
        return getattr(self._inner, name)

    @property
    def basis_exact(self):
        import sympy

        out = []
        for b in self._inner.basis_exact:
            m = sympy.Matrix(b)
            i = next(k for k, x in enumerate(m) if x != 0)
            m[i] = -m[i]
            out.append(sympy.ImmutableMatrix(m))
        return tuple(out)


def test_exact_matches_numeric_catches_a_wrong_sign(monkeypatch):
    import importlib

    it = importlib.import_module("reptheory.hom.space")  # the module (the package exports a function)
    real = it.intertwiners

    def faulty(rho_in, rho_out, **kw):
        space = real(rho_in, rho_out, **kw)
        return _WrongSignExactSpace(space) if kw.get("exact") else space

    monkeypatch.setattr(it, "intertwiners", faulty)
    pairs = rst.finite_groups(max_order=8).flatmap(lambda G: rst.intertwiner_pairs(G, max_dim=3, exact=True))
    caught(pairs.flatmap(with_weights), lambda c: fires(laws.projector_exact_matches_numeric, *c))
