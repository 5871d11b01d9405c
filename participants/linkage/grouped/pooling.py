"""The evidence of a person pair: record comparisons pooled feature by feature.

Each feature takes the best level any record pair of the two persons reaches, with the term
frequency of the value that agreed; the DNI kind is the closest one, and the DNIs conflict
when valid DNIs differ on some record pair and are equal on none. ``best_per_group`` pools
comparisons already made record pair by record pair (linking a roster: few pairs);
``pooled_parts`` compares each part of ``compare`` once per distinct value a person shows and
pools as it goes (deduplicating the registry: many pairs, many records per person). Both give
the same comparison, which ``far_dnis`` reads for pairs not worth a reviewer's time.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..agreement_levels import DNI_DIFFERENT
from ..comparing import Comparison, compare_part, compared, part_columns
from ..config import LinkageConfig
from ..features import TF_LEVELS
from ..keys import code_column


def best_per_group(comparison: Comparison, keys: np.ndarray) -> tuple[Comparison, np.ndarray]:
    """One comparison per (row, group): each feature's best level over the group's records."""
    unique, inverse = np.unique(keys, return_inverse=True)
    n = len(unique)
    levels: dict[str, np.ndarray] = {}
    for name, level in comparison.levels.items():
        best = np.zeros(n, np.int8)
        np.maximum.at(best, inverse, level)
        levels[name] = best
    tf_freq: dict[str, np.ndarray] = {}
    for name in TF_LEVELS:
        if name not in comparison.tf_freq:
            continue
        # The frequency of the value that agreed best; the commonest one if several did.
        at_best = comparison.levels[name] == levels[name][inverse]
        freq = np.zeros(n)
        np.maximum.at(freq, inverse[at_best], comparison.tf_freq[name][at_best])
        tf_freq[name] = freq
    # DNI kinds are ordered from equal to different; 0 is "not comparable".
    dni_kind = compared(comparison.dni_kind, "DNI kinds")
    kind = np.where(dni_kind == 0, 127, dni_kind).astype(np.int8)
    best_kind = np.full(n, 127, np.int8)
    np.minimum.at(best_kind, inverse, kind)
    best_kind[best_kind == 127] = 0
    # Valid DNIs that differ on some record and equal on none: a DNI the person never showed.
    any_conflict = np.zeros(n, bool)
    np.logical_or.at(any_conflict, inverse, compared(comparison.dni_conflict, "DNI conflicts"))
    conflict = any_conflict & (levels["dni"] < 3)
    swapped = np.zeros(n, bool)
    np.logical_or.at(swapped, inverse, compared(comparison.swapped, "surname swaps"))
    return Comparison(levels, tf_freq, swapped, best_kind, conflict), unique


def far_dnis(pooled: Comparison) -> np.ndarray:
    """Valid DNIs that no typo explains: two people, not a question worth a reviewer's time."""
    conflict = compared(pooled.dni_conflict, "DNI conflicts")
    return conflict & (compared(pooled.dni_kind, "DNI kinds") == DNI_DIFFERENT)


class GroupSpans:
    """Where each group's records are, for expanding group pairs into record pairs one chunk
    at a time: ``positions`` holds record positions group by group, the records of the i-th
    group (of the sorted group ids) at ``start[i]:start[i] + size[i]``."""

    def __init__(self, sorted_groups: np.ndarray, positions: np.ndarray, ids: np.ndarray) -> None:
        self.positions = positions
        self.start = np.searchsorted(sorted_groups, ids, side="left")
        self.size = np.searchsorted(sorted_groups, ids, side="right") - self.start

    @classmethod
    def of_groups(cls, groups: np.ndarray, ids: np.ndarray) -> GroupSpans:
        order = np.argsort(groups, kind="stable")
        return cls(groups[order], order, ids)

    def sizes(self, index_a: np.ndarray, index_b: np.ndarray) -> np.ndarray:
        """Record pairs of each group pair (groups given by their index among the ids)."""
        return self.size[index_a] * self.size[index_b]

    def expand(
        self, index_a: np.ndarray, index_b: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Record positions (a, b) of the group pairs, and each one's group pair (counted
        from 0), pair by pair."""
        size_b = self.size[index_b]
        sizes = self.size[index_a] * size_b
        pair = np.repeat(np.arange(len(sizes)), sizes)
        within = np.arange(sizes.sum()) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        a = self.positions[self.start[index_a][pair] + within // size_b[pair]]
        b = self.positions[self.start[index_b][pair] + within % size_b[pair]]
        return a, b, pair


def _value_codes(frame: pd.DataFrame, columns: tuple[str, ...]) -> np.ndarray:
    """One int per row, equal for two rows exactly when all ``columns`` are equal."""
    code = np.zeros(len(frame), np.int64)
    for column in columns:
        # A text's integer codes (``keys.code_column``) are equal exactly where the texts
        # are: the same numbering as the texts give, from ints instead of strings.
        coded = code_column(column)
        values = (
            pd.factorize(frame[coded if coded in frame else column].to_numpy(), sort=False)[0] + 1
        ).astype(np.int64)
        code = pd.factorize(code * (int(values.max(initial=0)) + 1) + values, sort=False)[0]
    return code.astype(np.int64)


def part_spans(
    prepared: pd.DataFrame, groups: np.ndarray, ids: np.ndarray, part: str
) -> GroupSpans:
    """One record per distinct value of a part of ``compare`` in each group: a person who
    showed the same given names in five rosters is compared on them once, and the best
    level over the person's records is the same."""
    codes = _value_codes(prepared, part_columns(part))
    order = np.lexsort((codes, groups))
    by_group, by_code = groups[order], codes[order]
    first = np.r_[True, (by_group[1:] != by_group[:-1]) | (by_code[1:] != by_code[:-1])]
    return GroupSpans(by_group[first], order[first], ids)


def pooled_parts(
    prepared: pd.DataFrame,
    parts: dict[str, GroupSpans],
    index_a: np.ndarray,
    index_b: np.ndarray,
    config: LinkageConfig,
) -> Comparison:
    """`best_per_group` of every record pair of the group pairs (given by their index among
    the group ids), computed part by part over the distinct values of each group: the same
    levels, frequencies, surname swap and DNI kind and conflict."""
    levels: dict[str, np.ndarray] = {}
    tf_freq: dict[str, np.ndarray] = {}
    swapped = best_kind = conflict = None
    for part, spans in parts.items():
        a, b, _pair = spans.expand(index_a, index_b)
        sizes = spans.sizes(index_a, index_b)
        starts = np.cumsum(sizes) - sizes
        piece = compare_part(part, prepared, prepared, a, b, config)
        del a, b, _pair
        for name, level in piece.levels.items():
            best = np.maximum.reduceat(level, starts)
            levels[name] = best
            if name in piece.tf_freq:
                # The frequency of the value that agreed best; the commonest one if several did.
                at_best = level == np.repeat(best, sizes)
                tf_freq[name] = np.maximum.reduceat(
                    np.where(at_best, piece.tf_freq[name], 0.0), starts
                )
        if piece.swapped is not None:
            swapped = np.logical_or.reduceat(piece.swapped, starts)
        if piece.dni_kind is not None:
            # DNI kinds are ordered from equal to different; 0 is "not comparable".
            kind = np.where(piece.dni_kind == 0, 127, piece.dni_kind).astype(np.int8)
            best_kind = np.minimum.reduceat(kind, starts)
            best_kind[best_kind == 127] = 0
            # The DNI part sets its kinds and conflicts together.
            conflicts = compared(piece.dni_conflict, "DNI conflicts")
            any_conflict = np.logical_or.reduceat(conflicts, starts)
            conflict = any_conflict & (levels["dni"] < 3)
    ordered_tf = {name: tf_freq[name] for name in TF_LEVELS if name in tf_freq}
    return Comparison(levels, ordered_tf, swapped, best_kind, conflict)
