"""Array helpers shared by the engine's hot paths."""

from __future__ import annotations

import numpy as np

from .chunks import THREADS, in_threads


def unique_ints(values: np.ndarray) -> np.ndarray:
    """``np.unique(values)`` of an integer array (its sorted distinct values), by sorting.

    NumPy 2.3 finds the distinct values of a large unsorted array through a hash table: on
    the tens of millions of int64 pair codes that blocking a registry proposes that is some
    fifty times slower than sorting them and dropping repeats.
    """
    return _distinct_of_sorted(np.sort(np.asarray(values).ravel()))


def _distinct_of_sorted(values: np.ndarray) -> np.ndarray:
    if len(values) < 2:
        return values
    return values[np.r_[True, values[1:] != values[:-1]]]


def unique_ints_of_own(values: np.ndarray) -> np.ndarray:
    """``unique_ints`` of an array nobody else holds, sorted where it lies: a hundred
    million pair codes take no second copy to sort."""
    values.sort()
    return _distinct_of_sorted(values)


# Below this many values in all, one sort is quicker than splitting the work.
_UNION_SPLIT_FROM = 4_000_000


def unique_union(runs: list[np.ndarray], threads: int = THREADS) -> np.ndarray:
    """``unique_ints(np.concatenate(runs))`` of integer arrays each already sorted.

    The values are split into ``threads`` ranges at quantiles of a sample, and each range is
    gathered from every run (a binary search, since the runs are sorted) and sorted by a
    thread of its own: NumPy sorts without the interpreter lock, so a hundred million pair
    codes sort on every core at once, and the ranges put back in order are the same array.
    """
    runs = [np.asarray(run) for run in runs if len(run)]
    total = sum(len(run) for run in runs)
    if not runs:
        return np.empty(0, np.int64)
    if threads <= 1 or total < _UNION_SPLIT_FROM:
        return unique_ints_of_own(np.concatenate(runs))
    step = max(total // 10_000, 1)
    sample = np.sort(np.concatenate([run[::step] for run in runs]))
    cuts = np.unique(sample[(np.arange(1, threads) * len(sample)) // threads])

    def part(index: int) -> np.ndarray:
        pieces = []
        for run in runs:
            low = 0 if index == 0 else int(np.searchsorted(run, cuts[index - 1]))
            high = len(run) if index == len(cuts) else int(np.searchsorted(run, cuts[index]))
            pieces.append(run[low:high])
        return unique_ints_of_own(np.concatenate(pieces))

    return np.concatenate(list(in_threads(part, range(len(cuts) + 1), threads)))
