"""Nullspaces allocate no more than the answer needs; dense steps refuse before allocating (issue 16, item 2)."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

from reptheory import intertwiners
from reptheory._numerics.arrays import check_dense_bytes
from reptheory._numerics.limits import current_limits
from reptheory._numerics.linalg import nullspace
from reptheory.errors import TooLargeError
from reptheory.groups.lie_catalog import SO, SO3


def test_tall_dense_nullspace_never_builds_the_m_by_m_factor():
    # a full SVD would need a 200000 x 200000 U (320 GB); the economy path needs the 200000 x 20 input
    rng = np.random.default_rng(0)
    m, r = 200_000, 20
    M = rng.normal(size=(m, r - 2)) @ rng.normal(size=(r - 2, r))  # rank r - 2
    tracemalloc.start()
    res = nullspace(M)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert res.N.shape == (r, 2) and res.solver == "svd"
    assert np.abs(M @ res.N).max() < 1e-9 * np.abs(M).max()
    assert peak < 4 * M.nbytes


def test_wide_dense_nullspace_keeps_every_null_vector():
    M = np.array([[1.0, -1.0, 0.0, 0.0]])
    res = nullspace(M)
    assert res.N.shape == (4, 3)
    assert np.allclose(M @ res.N, 0)


def test_check_dense_bytes_refuses_with_the_estimate():
    with pytest.raises(TooLargeError) as err:
        check_dense_bytes(current_limits().max_bytes + 1, "a test array")
    assert err.value.estimate == current_limits().max_bytes + 1 and err.value.limit == current_limits().max_bytes


def test_huge_tensor_power_is_refused_before_allocation():
    V = SO3().defining_representation()
    A, B = V**5, V**4  # 243- and 81-dimensional
    tracemalloc.start()
    with pytest.raises(TooLargeError) as err:
        A @ B  # 19683-dimensional: 17 GiB of algebra images
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert err.value.estimate > err.value.limit
    assert peak < 64 * 2**20
    tracemalloc.start()
    with pytest.raises(TooLargeError):
        (V**9).decompose()  # refused before V**8 is built
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 64 * 2**20


@pytest.mark.parametrize(("n", "power", "dim"), [(4, "tensor", 25), (6, "sym", 2)])
def test_so_n_commutants_that_used_to_allocate_gibibytes(n, power, dim):
    V = SO(n).defining_representation()
    W = V**3 if power == "tensor" else V.symmetric_power(3)
    tracemalloc.start()
    space = intertwiners(W, W)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert space.dim == dim
    assert peak < 200 * 2**20
