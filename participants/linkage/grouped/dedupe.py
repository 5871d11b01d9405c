"""Linking rows to persons that are clusters of records (``link_groups``).

A person in the registry is every record that ever described them: one roster gave the DNI,
another the institutional e-mail, a third a fuller name. A new row is compared with each
record of every candidate person, and the evidence is pooled per person, feature by feature:
the best agreement level any of the person's records reaches (the DNI they showed once, the
address they used in 2021), with the term frequency of the value that agreed. A person is a
candidate when any of its records shares a blocking key with the row; all of its records are
then compared.

The DNI is judged on the whole person: a row whose valid DNI is none of the person's valid
DNIs never links automatically, even when the record it matches best carries no DNI at all.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from .agreement_levels import DNI_DIFFERENT
from .arrays import unique_ints
from .blocking import dedupe_candidate_passes, link_candidates
from .classifying import LinkageModel, prior_bits, score_pairs
from .clustering import constrained_clusters
from .comparing import Comparison, compare, compare_part, compare_parts, compared, part_columns
from .config import LinkageConfig
from .features import TF_LEVELS
from .keys import prepare
from .pipeline import automatic_links, refuse_links_across_clusters
from .reasons import explain

RESULT_COLUMNS = ("new_id", "group_id", "score", "decision", "reasons")


def _all_records_of_groups(
    left: np.ndarray, right: np.ndarray, groups: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(row, record) pairs for every record of every group a candidate record belongs to."""
    pair_groups = unique_ints(left.astype(np.int64) * (groups.max() + 1) + groups[right])
    rows, wanted = pair_groups // (groups.max() + 1), pair_groups % (groups.max() + 1)
    order = np.argsort(groups, kind="stable")
    sorted_groups = groups[order]
    starts = np.searchsorted(sorted_groups, wanted, side="left")
    stops = np.searchsorted(sorted_groups, wanted, side="right")
    sizes = stops - starts
    positions = np.repeat(starts, sizes) + (
        np.arange(sizes.sum()) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    )
    return np.repeat(rows, sizes), order[positions]


def _best_per_group(comparison: Comparison, keys: np.ndarray) -> tuple[Comparison, np.ndarray]:
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


def _far_dnis(pooled: Comparison) -> np.ndarray:
    """Valid DNIs that no typo explains: two people, not a question worth a reviewer's time."""
    conflict = compared(pooled.dni_conflict, "DNI conflicts")
    return conflict & (compared(pooled.dni_kind, "DNI kinds") == DNI_DIFFERENT)


def link_groups(
    new: pd.DataFrame,
    records: pd.DataFrame,
    groups: np.ndarray,
    *,
    config: LinkageConfig,
    model: LinkageModel,
    registry_size: int,
) -> pd.DataFrame:
    """Score each row of ``new`` against the persons (``groups``) of ``records``.

    ``groups[i]`` is the person (a non-negative int) of the i-th record. Returns columns
    new_id, group_id, score, decision ('link' | 'review'), reasons, for the pairs at or above
    the lower threshold; a row with several automatic matches is sent to review.
    """
    new_p = prepare(new, config)
    rec_p = prepare(records, config)
    groups = np.asarray(groups, dtype=np.int64)
    if len(new_p) == 0 or len(rec_p) == 0:
        return pd.DataFrame(columns=list(RESULT_COLUMNS))
    cands = link_candidates(new_p, rec_p, config)
    if len(cands) == 0:
        return pd.DataFrame(columns=list(RESULT_COLUMNS))
    left, right = _all_records_of_groups(cands.left, cands.right, groups)
    comparison = compare(new_p, rec_p, left, right, config)
    keys = left * (groups.max() + 1) + groups[right]
    pooled, unique = _best_per_group(comparison, keys)
    rows, person = unique // (groups.max() + 1), unique % (groups.max() + 1)
    prior = prior_bits(config.link_match_rate / max(registry_size, 1))
    score, used = score_pairs(pooled, model, prior, config)
    link = automatic_links(score, pooled, config)
    keep = np.flatnonzero((score >= config.lower_threshold) & ~_far_dnis(pooled))
    out = pd.DataFrame(
        {
            "new_id": new_p.index.to_numpy()[rows[keep]],
            "group_id": person[keep],
            "score": score[keep],
            "decision": np.where(link[keep], "link", "review").astype(object),
            "reasons": explain(pooled, used, keep, config).astype(str),
        }
    )
    auto = out["decision"] == "link"
    ambiguous = auto & out["new_id"].map(out.loc[auto, "new_id"].value_counts()).gt(1)
    out.loc[ambiguous, "decision"] = "review"
    out.loc[ambiguous, "reasons"] = (
        "coinciden varias personas del registro; " + out.loc[ambiguous, "reasons"]
    )
    return out.sort_values(["new_id", "score"], ascending=[True, False], kind="stable").reset_index(
        drop=True
    )


def _set_group_frequencies(out: pd.DataFrame, groups: np.ndarray) -> None:
    """Term frequencies counted over persons (groups), not records, written into ``out``
    itself (no copy of a large prepared frame): a person who wrote the same address in six
    rosters makes it no more common than one who wrote it once."""
    n_groups = max(len(unique_ints(groups)), 1)

    def per_group(values: np.ndarray, owners: np.ndarray) -> pd.Series:
        pairs = pd.DataFrame({"value": values, "group": owners})
        pairs = pairs[pairs["value"] != ""].drop_duplicates()
        return pairs["value"].value_counts()

    def column(name: str) -> np.ndarray:
        return out[name].to_numpy(object)

    surname_counts = per_group(np.r_[column("pat_ph"), column("mat_ph")], np.r_[groups, groups])
    for source, name, counts in (
        ("pat_ph", "pat_freq", surname_counts),
        ("mat_ph", "mat_freq", surname_counts),
        ("giv1_ph", "giv1_freq", per_group(column("giv1_ph"), groups)),
        ("email_norm", "email_freq", per_group(column("email_norm"), groups)),
        ("phone9", "phone_freq", per_group(column("phone9"), groups)),
    ):
        out[name] = out[source].map(counts).fillna(0).to_numpy(float) / n_groups


# Every record of one person is compared with every record of the other: many times as many
# record pairs as person pairs, so they are expanded and compared a chunk of person pairs at a
# time, about this many record pairs each (memory stays bounded; the result is the same).
CROSS_PAIRS_PER_CHUNK = 2_000_000


class _GroupSpans:
    """Where each group's records are, for expanding group pairs into record pairs one chunk
    at a time: ``positions`` holds record positions group by group, the records of the i-th
    group (of the sorted group ids) at ``start[i]:start[i] + size[i]``."""

    def __init__(self, sorted_groups: np.ndarray, positions: np.ndarray, ids: np.ndarray) -> None:
        self.positions = positions
        self.start = np.searchsorted(sorted_groups, ids, side="left")
        self.size = np.searchsorted(sorted_groups, ids, side="right") - self.start

    @classmethod
    def of_groups(cls, groups: np.ndarray, ids: np.ndarray) -> _GroupSpans:
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


def _chunks(sizes: np.ndarray, per_chunk: int) -> list[tuple[int, int]]:
    """(first, stop) ranges of consecutive items of about ``per_chunk`` in total size each."""
    ends = np.cumsum(sizes)
    bounds, first = [], 0
    while first < len(ends):
        before = ends[first] - sizes[first]
        stop = max(int(np.searchsorted(ends, before + per_chunk, side="right")), first + 1)
        bounds.append((first, stop))
        first = stop
    return bounds


def _value_codes(frame: pd.DataFrame, columns: tuple[str, ...]) -> np.ndarray:
    """One int per row, equal for two rows exactly when all ``columns`` are equal."""
    code = np.zeros(len(frame), np.int64)
    for column in columns:
        values = pd.factorize(frame[column].to_numpy(), sort=False)[0].astype(np.int64) + 1
        code = pd.factorize(code * (int(values.max(initial=0)) + 1) + values, sort=False)[0]
    return code.astype(np.int64)


def _part_spans(
    prepared: pd.DataFrame, groups: np.ndarray, ids: np.ndarray, part: str
) -> _GroupSpans:
    """One record per distinct value of a part of ``compare`` in each group: a person who
    showed the same given names in five rosters is compared on them once, and the best
    level over the person's records is the same."""
    codes = _value_codes(prepared, part_columns(part))
    order = np.lexsort((codes, groups))
    by_group, by_code = groups[order], codes[order]
    first = np.r_[True, (by_group[1:] != by_group[:-1]) | (by_code[1:] != by_code[:-1])]
    return _GroupSpans(by_group[first], order[first], ids)


def _pooled_parts(
    prepared: pd.DataFrame,
    parts: dict[str, _GroupSpans],
    index_a: np.ndarray,
    index_b: np.ndarray,
    config: LinkageConfig,
) -> Comparison:
    """`_best_per_group` of every record pair of the group pairs (given by their index among
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


def _pair_codes(pairs: Iterable[tuple[int, int]], span: int) -> np.ndarray:
    """(x, y) pairs as codes x * span + y (pairs outside 0..span-1 can match no code)."""
    array = np.array(sorted({(int(x), int(y)) for x, y in pairs}), dtype=np.int64).reshape(-1, 2)
    inside = ((array >= 0) & (array < span)).all(axis=1)
    return array[inside, 0] * span + array[inside, 1]


def dedupe_groups(
    records: pd.DataFrame,
    groups: np.ndarray,
    group_dnis: dict[int, str],
    *,
    config: LinkageConfig,
    model: LinkageModel,
    must_link: list[tuple[int, int]] | tuple = (),
    cannot_link: list[tuple[int, int]] | tuple = (),
) -> tuple[pd.DataFrame, pd.Series]:
    """Duplicates among persons that are clusters of records.

    Candidate record pairs (the usual blocking) whose records belong to different persons
    make candidate person pairs; every record of one is then compared with every record of
    the other and the evidence pooled, as in ``link_groups``. Returns the scored person pairs
    at or above the lower threshold (left_id < right_id, score, decision, reasons) and the
    constrained clusters of persons (person id -> cluster id, the smallest member), which
    never join two persons whose DNIs (``group_dnis``) differ or a cannot-link pair.
    """
    groups = np.asarray(groups, dtype=np.int64)
    person_ids = pd.Index(unique_ints(groups))
    empty = pd.DataFrame(columns=["left_id", "right_id", "score", "decision", "reasons"])
    if len(person_ids) < 2:
        return empty, pd.Series(person_ids, index=person_ids, name="cluster")
    prepared = prepare(records, config)
    if prepared is records:
        prepared = prepared.copy()  # the caller's frame is left as it was
    _set_group_frequencies(prepared, groups)
    span = int(person_ids.max()) + 1
    # Candidate record pairs of two different persons, straight to distinct person pairs
    # (low * span + high) pass by pass: most record pairs are records of one person.
    person_codes = []
    for _name, left, right in dedupe_candidate_passes(prepared, config):
        ga, gb = groups[left], groups[right]
        different = ga != gb
        person_codes.append(
            unique_ints(np.minimum(ga, gb)[different] * span + np.maximum(ga, gb)[different])
        )
        del left, right, ga, gb, different
    forced = np.array(sorted(set(must_link)), dtype=np.int64).reshape(-1, 2)
    if len(forced):
        known = person_ids.get_indexer(forced.ravel()).reshape(-1, 2).min(axis=1) >= 0
        person_codes.append(forced[known, 0] * span + forced[known, 1])
    codes = unique_ints(np.concatenate(person_codes)) if person_codes else np.empty(0, np.int64)
    del person_codes
    left_group, right_group = codes // span, codes % span
    must = {(int(x), int(y)) for x, y in must_link}
    cannot = {(int(x), int(y)) for x, y in cannot_link}
    is_forced = np.isin(codes, _pair_codes(must, span))
    is_forbidden = np.isin(codes, _pair_codes(cannot, span))
    prior = model.dedupe_prior(len(person_ids))
    score = np.zeros(len(codes))
    link = np.zeros(len(codes), dtype=bool)
    kept: list[np.ndarray] = []
    reasons: list[np.ndarray] = []
    ids = person_ids.to_numpy(np.int64)
    index_a, index_b = np.searchsorted(ids, left_group), np.searchsorted(ids, right_group)
    # Chunks of person pairs by their record pairs (an upper bound on each part's pairs).
    record_pairs = _GroupSpans.of_groups(groups, ids).sizes(index_a, index_b)
    parts = {part: _part_spans(prepared, groups, ids, part) for part in compare_parts(config)}
    for first, stop in _chunks(record_pairs, CROSS_PAIRS_PER_CHUNK):
        pooled = _pooled_parts(prepared, parts, index_a[first:stop], index_b[first:stop], config)
        chunk_score, used = score_pairs(pooled, model, prior, config)
        score[first:stop] = chunk_score
        link[first:stop] = automatic_links(chunk_score, pooled, config)
        chunk_forced, chunk_forbidden = is_forced[first:stop], is_forbidden[first:stop]
        keep = np.flatnonzero(
            ((chunk_score >= config.lower_threshold) & ~_far_dnis(pooled) | chunk_forced)
            & ~chunk_forbidden
        )
        kept.append(keep + first)
        reasons.append(explain(pooled, used, keep, config).astype(str))
    link = (link | is_forced) & ~is_forbidden
    edges = np.flatnonzero(link)
    dnis = (
        pd.Series(group_dnis, dtype=object).reindex(person_ids).fillna("").to_numpy(object)
        if group_dnis
        else np.full(len(person_ids), "", dtype=object)
    )
    clusters, _conflicts = constrained_clusters(
        person_ids,
        dnis,
        person_ids.get_indexer(left_group[edges]),
        person_ids.get_indexer(right_group[edges]),
        score[edges],
        must_link=sorted(must),
        cannot_link=sorted(cannot),
        policy=config.cluster_dni_policy,
    )
    keep = np.concatenate(kept) if kept else np.empty(0, np.int64)
    decision = np.where(link[keep], "link", "review").astype(object)
    pairs = pd.DataFrame(
        {
            "left_id": left_group[keep],
            "right_id": right_group[keep],
            "score": score[keep],
            "decision": decision,
            "reasons": np.concatenate(reasons).astype(str) if reasons else np.array([], str),
        }
    )
    return refuse_links_across_clusters(pairs, clusters), clusters
