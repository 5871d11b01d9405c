"""The distinct values of many sorted runs, split over threads, are those of one sort."""

from __future__ import annotations

import numpy as np
import pytest

from participants.linkage import arrays
from participants.linkage.arrays import unique_ints, unique_ints_of_own, unique_union


@pytest.mark.parametrize("threads", [1, 2, 3, 4])
def test_the_union_of_sorted_runs_is_one_sort_of_them_all(monkeypatch, threads):
    # Split even small inputs, so that each thread's range and its edges are exercised.
    monkeypatch.setattr(arrays, "_UNION_SPLIT_FROM", 0)
    rng = np.random.default_rng(7)
    # Many repeats within and across runs, empty runs, and a value held by a quarter of
    # everything, so that a cut falls on a value many runs hold.
    runs = [unique_ints(rng.integers(0, 500, size)) for size in (0, 40, 300, 1, 0, 900)]
    runs.append(np.full(1, 250, np.int64))
    runs += [unique_ints(np.r_[np.full(400, 250), rng.integers(0, 5_000, 200)])]
    expected = unique_ints(np.concatenate(runs))
    result = unique_union(runs, threads=threads)
    np.testing.assert_array_equal(result, expected)
    assert result.dtype == np.int64


def test_nothing_to_unite_is_an_empty_array(monkeypatch):
    monkeypatch.setattr(arrays, "_UNION_SPLIT_FROM", 0)
    assert len(unique_union([], threads=2)) == 0
    assert len(unique_union([np.empty(0, np.int64)], threads=2)) == 0


def test_distinct_values_sorted_in_place_are_those_of_a_copy():
    values = np.array([5, 3, 5, 0, 9, 3, 3], dtype=np.int64)
    expected = unique_ints(values)
    np.testing.assert_array_equal(unique_ints_of_own(values.copy()), expected)
    np.testing.assert_array_equal(unique_ints_of_own(np.empty(0, np.int64)), [])
