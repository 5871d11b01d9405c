"""Candidate pairs: the union of several blocking passes over the keys made by ``prepare``.

Joins run on int64 key hashes with numpy, so a 1,000-row roster can be blocked against a
registry of a million prepared records in well under a second. ``EngineIndex`` exposes the
same passes as a ``recordlinkage`` index algorithm.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial

import numpy as np
import pandas as pd

from .arrays import unique_ints, unique_ints_of_own, unique_union
from .chunks import in_threads
from .config import LinkageConfig
from .keys import DNI_DELETION_KEYS, PAIRED_KEYS, SINGLE_KEYS

CONTACT_KEYS = ("k_email", "k_phone")
# A pass's pairs, a chunk at a time: (left, right) row positions.
PairChunks = Iterator[tuple[np.ndarray, np.ndarray]]


@dataclass
class CandidatePairs:
    """Row positions (not ids) of candidate pairs and how many each pass proposed."""

    left: np.ndarray
    right: np.ndarray
    pass_sizes: dict[str, int] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.left)


def _passes(config: LinkageConfig) -> list[tuple[str, tuple[str, ...]]]:
    passes: list[tuple[str, tuple[str, ...]]] = [
        (name, (name,))
        for name in SINGLE_KEYS
        if config.use_contact_blocks or name not in CONTACT_KEYS
    ]
    passes += list(PAIRED_KEYS.items())
    if config.use_dni_variants:
        passes.append(("k_dni_deletions", DNI_DELETION_KEYS))
    passes += [(f"k_extra{i}", (f"k_extra{i}",)) for i in range(len(config.extra_blocks))]
    return passes


# Pairs are expanded a chunk of key groups at a time, about this many each: the DNI
# deletion pass alone proposes tens of millions of pairs on a million-record registry.
PAIRS_PER_CHUNK = 4_000_000


def _group_pair_chunks(
    keys: np.ndarray, rows: np.ndarray, max_block: int, per_chunk: int | None = None
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """All pairs of rows sharing a key, skipping keys held by more than ``max_block`` rows,
    a chunk of whole key groups at a time."""
    per_chunk = per_chunk or PAIRS_PER_CHUNK
    order = np.argsort(keys, kind="stable")
    keys, rows = keys[order], rows[order]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    sizes = np.diff(np.r_[starts, len(keys)])
    del keys, order
    keep = (sizes > 1) & (sizes <= max_block)
    if not keep.any():
        return
    starts, sizes = starts[keep], sizes[keep]
    pairs = sizes * (sizes - 1) // 2
    ends = np.cumsum(pairs)
    first = 0
    while first < len(sizes):
        before = ends[first] - pairs[first]
        stop = max(int(np.searchsorted(ends, before + per_chunk, side="right")), first + 1)
        yield _expand_groups(rows, starts[first:stop], sizes[first:stop])
        first = stop


def _expand_groups(
    rows: np.ndarray, starts: np.ndarray, sizes: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    # Each member pairs with the members after it in its group.
    member_pos = np.repeat(starts, sizes) + (
        np.arange(sizes.sum()) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    )
    group_end = np.repeat(starts + sizes, sizes)
    after = group_end - member_pos - 1
    left_pos = np.repeat(member_pos, after)
    offsets = np.arange(after.sum()) - np.repeat(np.cumsum(after) - after, after)
    right_pos = left_pos + 1 + offsets
    a, b = rows[left_pos], rows[right_pos]
    return np.minimum(a, b), np.maximum(a, b)


def _name_order(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Row positions sorted by name key (as stored by prepare, or recomputed if stale)."""
    keys = frame["sn_key"].to_numpy(object)
    order = frame["sn_order"].to_numpy(np.int64)
    if len(keys) < 2:
        return np.arange(len(keys)), keys
    sorted_keys = keys[order] if len(order) and order.max() < len(order) else None
    # Checking a spread of adjacent positions catches a filtered or reordered frame without
    # comparing a million strings.
    probe = np.unique(
        np.linspace(0, max(len(keys) - 2, 0), num=min(len(keys), 2000)).astype(np.int64)
    )
    if sorted_keys is None or not (sorted_keys[probe] <= sorted_keys[probe + 1]).all():
        # The frame was filtered or reordered after prepare: the stored order is stale.
        order = np.argsort(keys.astype("U"), kind="stable")
        sorted_keys = keys[order]
    return order, sorted_keys


def _sorted_neighbourhood_self(frame: pd.DataFrame, window: int) -> tuple[np.ndarray, np.ndarray]:
    order, _ = _name_order(frame)
    lefts, rights = [], []
    for d in range(1, window):
        a, b = order[:-d], order[d:]
        lefts.append(np.minimum(a, b))
        rights.append(np.maximum(a, b))
    if not lefts:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    return np.concatenate(lefts), np.concatenate(rights)


def _unique_pairs(
    lefts: list[np.ndarray], rights: list[np.ndarray], n_right: int
) -> tuple[np.ndarray, np.ndarray]:
    if not lefts:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    codes = unique_ints(np.concatenate(lefts).astype(np.int64) * n_right + np.concatenate(rights))
    return codes // n_right, codes % n_right


def _pass_pairs(
    records: pd.DataFrame, columns: tuple[str, ...], config: LinkageConfig
) -> PairChunks:
    """One key pass's pairs within a prepared frame, in chunks (left < right positions)."""
    n = len(records)
    keys = np.concatenate([records[c].to_numpy(np.int64) for c in columns])
    rows = np.tile(np.arange(n, dtype=np.int64), len(columns))
    present = keys != 0
    keys, rows = keys[present], rows[present]
    del present
    found = False
    for a, b in _group_pair_chunks(keys, rows, config.max_block_size):
        distinct = a != b
        found = True
        yield a[distinct], b[distinct]
    if not found:
        yield np.empty(0, np.int64), np.empty(0, np.int64)


def _self_passes(
    records: pd.DataFrame, config: LinkageConfig
) -> list[tuple[str, Callable[[], PairChunks]]]:
    """Each blocking pass within one prepared frame: its name, and what yields its pairs."""
    passes: list[tuple[str, Callable[[], PairChunks]]] = [
        (name, partial(_pass_pairs, records, columns, config)) for name, columns in _passes(config)
    ]
    if config.sorted_window > 1:
        passes.append(
            (
                "sorted_neighbourhood",
                lambda: iter([_sorted_neighbourhood_self(records, config.sorted_window)]),
            )
        )
    return passes


def dedupe_candidate_passes(
    records: pd.DataFrame, config: LinkageConfig
) -> Iterator[tuple[str, np.ndarray, np.ndarray]]:
    """Each blocking pass's pairs within one prepared frame, in chunks: (pass name, left,
    right) positions with left < right; a pair may repeat within a pass and across passes."""
    for name, pairs in _self_passes(records, config):
        for a, b in pairs():
            yield name, a, b


def dedupe_candidates(records: pd.DataFrame, config: LinkageConfig) -> CandidatePairs:
    """Candidate pairs within one prepared frame, as positions with left < right.

    Each chunk of a pass's pairs is kept as distinct int64 codes (left * n + right) as soon
    as it is found: a million-record registry proposes tens of millions of pairs, many of
    them several times (two equal DNIs share all eight deletion keys). The passes run in
    threads, one pass each at a time: sorting keys and gathering positions is NumPy's work,
    done without the interpreter lock.
    """
    span = max(len(records), 1)

    def one_pass(pass_: tuple[str, Callable[[], PairChunks]]) -> tuple[int, list[np.ndarray]]:
        size, found = 0, []
        for a, b in pass_[1]():
            size += len(a)
            found.append(unique_ints_of_own(a.astype(np.int64) * span + b))
        return size, found

    passes = _self_passes(records, config)
    sizes: dict[str, int] = {}
    runs: list[np.ndarray] = []
    for (name, _pairs), (size, found) in zip(passes, in_threads(one_pass, passes), strict=True):
        sizes[name] = size
        runs += found
    unique = unique_union(runs)
    del runs
    # The codes become the right positions where they lie: one array less at this peak.
    left = unique // span
    return CandidatePairs(left, np.remainder(unique, span, out=unique), sizes)


def _cross_join(
    new_keys: np.ndarray, reg_keys: np.ndarray, max_block: int
) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (new position, registry position) sharing a key; registry keys may be 2-D."""
    wanted = unique_ints(new_keys[new_keys != 0])
    if reg_keys.ndim == 1:
        reg_keys = reg_keys[:, None]
    flat = reg_keys.ravel()
    hit = (
        np.flatnonzero(pd.Index(wanted).get_indexer(flat) >= 0)
        if len(wanted)
        else np.empty(0, np.int64)
    )
    reg_rows = hit // reg_keys.shape[1]
    reg_vals = flat[hit]
    reg = pd.DataFrame({"key": reg_vals, "r": reg_rows})
    counts = reg["key"].value_counts()
    reg = reg[reg["key"].map(counts).to_numpy() <= max_block]
    new = pd.DataFrame({"key": new_keys, "l": np.arange(len(new_keys)) % max(len(new_keys), 1)})
    merged = new[new["key"] != 0].merge(reg, on="key")
    return merged["l"].to_numpy(np.int64), merged["r"].to_numpy(np.int64)


def _sorted_neighbourhood_cross(
    new: pd.DataFrame, registry: pd.DataFrame, window: int
) -> tuple[np.ndarray, np.ndarray]:
    order, sorted_keys = _name_order(registry)
    pos = np.searchsorted(sorted_keys, new["sn_key"].to_numpy(object))
    half = max(window // 2, 1)
    offsets = np.arange(-half, half)
    cand = pos[:, None] + offsets[None, :]
    valid = (cand >= 0) & (cand < len(order))
    left = np.repeat(np.arange(len(new)), len(offsets)).reshape(len(new), -1)[valid]
    return left.astype(np.int64), order[cand[valid]].astype(np.int64)


def link_candidates(
    new: pd.DataFrame, registry: pd.DataFrame, config: LinkageConfig
) -> CandidatePairs:
    """Candidate pairs between two prepared frames, as (new position, registry position)."""
    lefts, rights, sizes = [], [], {}
    for name, columns in _passes(config):
        new_keys = np.concatenate([new[c].to_numpy(np.int64) for c in columns])
        reg_keys = np.column_stack([registry[c].to_numpy(np.int64) for c in columns])
        a, b = _cross_join(new_keys, reg_keys, config.max_block_size)
        a = a % max(len(new), 1)
        lefts.append(a)
        rights.append(b)
        sizes[name] = len(a)
    if config.sorted_window > 1 and len(registry):
        a, b = _sorted_neighbourhood_cross(new, registry, config.sorted_window)
        lefts.append(a)
        rights.append(b)
        sizes["sorted_neighbourhood"] = len(a)
    left, right = _unique_pairs(lefts, rights, max(len(registry), 1))
    return CandidatePairs(left, right, sizes)
