"""Groups: bad inputs get typed errors naming the argument; infinite or mis-described groups are refused."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reptheory import FiniteGroup, Representation, groups
from reptheory.errors import GroupAxiomError, InvalidArgumentError, NotAHomomorphismError, TooLargeError
from tests.reliability.conftest import assert_typed_error

BAD = [
    # (callable, exception, words the message must contain)
    (lambda: FiniteGroup.from_matrices([np.array([[2.0]])]), GroupAxiomError, ["generators[0]", "infinite order"]),
    (lambda: FiniteGroup.from_matrices([np.array([[0.5]])]), GroupAxiomError, ["generators[0]", "infinite order"]),
    (lambda: FiniteGroup.from_matrices([np.array([[1.0, 1.0], [0.0, 1.0]])]), GroupAxiomError, ["generators[0]"]),
    (lambda: FiniteGroup.from_matrices([np.array([[np.cos(1), -np.sin(1)], [np.sin(1), np.cos(1)]])]),
     GroupAxiomError, ["generators[0]", "infinite order"]),
    (lambda: FiniteGroup.from_matrices([np.eye(2), np.array([[2.0, 0], [0, 0.5]])]), GroupAxiomError, ["generators[1]"]),
    (lambda: FiniteGroup.from_matrices([[[1, 0], [0, 1]]], max_order="10"), InvalidArgumentError, ["max_order"]),
    (lambda: FiniteGroup.from_matrices([np.eye(2)], exact="yes"), InvalidArgumentError, ["exact"]),
    (lambda: FiniteGroup.from_matrices(["ab"]), InvalidArgumentError, ["generators[0]"]),
    (lambda: FiniteGroup.from_matrices(5), InvalidArgumentError, ["generators"]),
    (lambda: FiniteGroup.from_permutations([[1, 2, 0]], order=5), GroupAxiomError, ["order 5"]),
    (lambda: FiniteGroup.from_permutations([[1, 2, 0]], order=0), InvalidArgumentError, ["order"]),
    (lambda: FiniteGroup.from_permutations([[1, 2, 0]], order=10**9), TooLargeError, ["order", "max_order"]),
    (lambda: FiniteGroup.from_permutations([[1, 0]], max_order="10"), InvalidArgumentError, ["max_order"]),
    (lambda: FiniteGroup.from_permutations([[1, 0]], max_order=True), InvalidArgumentError, ["max_order"]),
    (lambda: FiniteGroup.from_permutations([[1, 2, 0]], relators=[(0, 0)]), GroupAxiomError, ["relators[0]"]),
    (lambda: FiniteGroup.from_permutations([[1, 2, 0]], relators=[(5,)]), InvalidArgumentError, ["relators[0]"]),
    (lambda: FiniteGroup.from_permutations([[1, 2, 0]], relators="abc"), InvalidArgumentError, ["relators"]),
    (lambda: FiniteGroup.from_permutations([[1, 2, 0]], name=3), InvalidArgumentError, ["name"]),
    (lambda: FiniteGroup.from_cayley_table([[0]], labels=5), InvalidArgumentError, ["labels"]),
    (lambda: FiniteGroup.from_cayley_table([[0, 1], [1, 0]], labels="ab"), InvalidArgumentError, ["labels"]),
    (lambda: groups.cyclic(10**9).labels, TooLargeError, ["labels", "cyclic"]),
    (lambda: groups.cyclic(10**9).relators, TooLargeError, ["presentation"]),
    (lambda: groups.cyclic(10**9).table, TooLargeError, ["table"]),
    (lambda: groups.symmetric(10000).relators, TooLargeError, ["presentation", "symmetric"]),
    (lambda: groups.cyclic(2.5), InvalidArgumentError, ["n"]),
]


@pytest.mark.parametrize("case", range(len(BAD)))
def test_bad_inputs_get_typed_errors(case):
    assert_typed_error(*BAD[case])


def test_huge_catalogue_groups_stay_lazy():
    assert groups.symmetric(10000).order > 10**35000
    assert not groups.symmetric(10000).is_enumerated
    G = groups.cyclic(10**9)
    assert G.order == 10**9 and G.num_generators == 1 and not G.is_enumerated
    assert "~10^" in repr(groups.symmetric(10000))
    with pytest.raises(TooLargeError) as info:
        groups.cyclic(10**9).conjugacy_classes()
    err = info.value
    assert err.estimate is not None and err.limit is not None


@given(st.floats(0.01, 100.0).filter(lambda x: abs(abs(x) - 1) > 1e-3), st.booleans())
@settings(max_examples=30, deadline=None)
def test_scalar_of_modulus_not_one_is_refused(x, neg):
    with pytest.raises(GroupAxiomError, match="infinite order"):
        FiniteGroup.from_matrices([np.array([[-x if neg else x]])])


@given(st.integers(1, 40), st.integers(0, 39))
@settings(max_examples=30, deadline=None)
def test_complex_roots_of_unity_keep_their_order(n, k):
    z = np.exp(2j * np.pi * (k % n) / n)
    G = FiniteGroup.from_matrices([np.array([[z]])])
    assert G.order == n // np.gcd(n, k % n) if k % n else G.order == 1


@given(st.integers(2, 7), st.data())
@settings(max_examples=25, deadline=None)
def test_wrong_claimed_orders_are_refused(m, data):
    perm = data.draw(st.permutations(list(range(m))))
    true = FiniteGroup.from_permutations([perm]).order
    claim = data.draw(st.integers(1, 5040).filter(lambda c: c != true))
    with pytest.raises(GroupAxiomError, match="expected order"):
        FiniteGroup.from_permutations([perm], order=claim)


@given(st.lists(st.sampled_from([0, 1, -1, -2]), min_size=1, max_size=12))
@settings(max_examples=40, deadline=None)
def test_relators_are_checked_against_the_generators(word):
    s, t = [1, 0, 2], [1, 2, 0]  # S3
    perms = np.array([s, t])
    p = np.arange(3)
    for x in word:
        p = p[perms[x]] if x >= 0 else p[np.argsort(perms[~x])]
    if np.array_equal(p, np.arange(3)):
        FiniteGroup.from_permutations([s, t], relators=[tuple(word)])
    else:
        with pytest.raises(GroupAxiomError, match=r"relators\[0\]"):
            FiniteGroup.from_permutations([s, t], relators=[tuple(word)])


def test_incomplete_relators_do_not_let_a_non_homomorphism_through():
    # t^3 = e holds in S3 but does not present it: validation must use the complete relations
    G = FiniteGroup.from_permutations([[1, 0, 2], [1, 2, 0]], relators=[(1, 1, 1)])
    with pytest.raises(NotAHomomorphismError):
        Representation.from_generator_images(G, [np.eye(1), -np.eye(1)])
