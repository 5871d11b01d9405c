"""Array helpers shared by the engine's hot paths."""

from __future__ import annotations

import numpy as np


def unique_ints(values: np.ndarray) -> np.ndarray:
    """``np.unique(values)`` of an integer array (its sorted distinct values), by sorting.

    NumPy 2.3 finds the distinct values of a large unsorted array through a hash table: on
    the tens of millions of int64 pair codes that blocking a registry proposes that is some
    fifty times slower than sorting them and dropping repeats.
    """
    values = np.sort(np.asarray(values).ravel())
    if len(values) < 2:
        return values
    return values[np.r_[True, values[1:] != values[:-1]]]
