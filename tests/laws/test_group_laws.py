"""Group laws driven by the shipped strategies, and the strategies' own contracts."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from reptheory import FiniteGroup
from reptheory.errors import InvalidArgumentError
from reptheory.testing import laws
from reptheory.testing import strategies as rst


@given(rst.finite_groups())
def test_group_axioms(G):
    laws.group_axioms(G)


@given(rst.cayley_tables(max_order=16))
def test_group_axioms_on_raw_tables(table):
    laws.group_axioms(table)
    # the validated constructor accepts every drawn table and agrees on the order
    assert FiniteGroup.from_cayley_table(table).order == len(table)


@given(rst.finite_groups())
def test_class_equation(G):
    laws.class_equation(G)


def test_trivial_table_group_classes():
    laws.class_equation(FiniteGroup.from_cayley_table([[0]]))


@given(
    st.integers(1, 24).flatmap(lambda n: st.tuples(st.just(n), rst.finite_groups(min_order=n, max_order=n)))
)
def test_exact_order_bounds(pair):
    n, G = pair
    assert G.order == n


@given(rst.finite_groups(min_order=5, max_order=30))
def test_order_bounds(G):
    assert 5 <= G.order <= 30


@given(rst.finite_groups(max_order=12).flatmap(lambda G: st.tuples(st.just(G), rst.subgroups(G))))
def test_subgroups_are_subgroups(pair):
    G, H = pair
    assert H.parent == G and G.order % H.order == 0
    emb = H.embedding
    # closed under the parent's product: the embedding is a homomorphism
    lhs = emb[H.table]
    rhs = np.asarray(G.mul(emb[:, None], emb[None, :]))
    assert np.array_equal(lhs, rhs)


def test_cayley_tables_are_relabelled():
    # some drawn table has its identity away from 0 (relabelling really happens)
    from hypothesis import find

    t = find(
        rst.cayley_tables(min_order=3, max_order=6), lambda t: not np.array_equal(t[0], np.arange(len(t)))
    )
    assert len(t) == 3  # shrinks to the smallest order allowed


def test_failures_shrink_to_small_groups():
    from hypothesis import find

    G = find(rst.finite_groups(), lambda G: not G.is_abelian)
    assert G.order == 6  # S3 / D3, the smallest non-abelian group


@pytest.mark.parametrize(
    "kwargs",
    [
        {"min_order": 0},
        {"max_order": 0},
        {"min_order": 5, "max_order": 4},
        {"min_order": 2.5},
        {"max_order": "10"},
        {"relabel": 1},
    ],
)
def test_finite_groups_invalid_bounds(kwargs):
    with pytest.raises(InvalidArgumentError):
        rst.finite_groups(**kwargs)


@pytest.mark.parametrize("kwargs", [{"min_order": 0}, {"min_order": 3, "max_order": 2}, {"max_order": True}])
def test_cayley_tables_invalid_bounds(kwargs):
    with pytest.raises(InvalidArgumentError):
        rst.cayley_tables(**kwargs)


def test_subgroups_invalid():
    with pytest.raises(InvalidArgumentError):
        rst.subgroups("not a group")
    from reptheory import groups

    with pytest.raises(InvalidArgumentError):
        rst.subgroups(groups.cyclic(3), max_generators=-1)


def test_group_axioms_rejects_non_tables():
    with pytest.raises(AssertionError, match="square integer array"):
        laws.group_axioms(np.zeros((2, 3), dtype=int))
    with pytest.raises(AssertionError, match="outside"):
        laws.group_axioms([[0, 1], [1, 2]])
    with pytest.raises(AssertionError, match="identity"):
        laws.group_axioms([[(-i - j) % 3 for j in range(3)] for i in range(3)])
