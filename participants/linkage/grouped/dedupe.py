"""Duplicates among the registry's persons (``dedupe_groups``).

Candidate record pairs of two different persons make candidate person pairs; every record of
one is compared with every record of the other, a chunk of person pairs at a time, and the
evidence pooled (``pooling``). Term frequencies are counted over persons, and the links are
clustered under the DNI and cannot-link constraints.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from ..arrays import unique_ints, unique_ints_of_own, unique_union
from ..blocking import CandidatePairs, dedupe_candidate_passes
from ..chunks import THREADS, chunk_ranges, in_threads
from ..classifying import LinkageModel, score_pairs
from ..clustering import constrained_clusters
from ..comparing import compare_parts
from ..config import LinkageConfig
from ..keys import code_column, prepare, text_codes
from ..pipeline import automatic_links, refuse_links_across_clusters
from ..reasons import explain
from .pooling import GroupSpans, far_dnis, part_spans, pooled_parts


def _text_codes(out: pd.DataFrame, name: str) -> np.ndarray:
    """Integer codes of a prepared text column (``keys.text_codes``: equal exactly for equal
    texts, 0 for ""), as ``prepare`` stored them or else numbered here."""
    coded = code_column(name)
    if coded in out:
        return out[coded].to_numpy(np.int64)
    return text_codes([out[name].to_numpy(object)])[0].astype(np.int64)


def _set_group_frequencies(out: pd.DataFrame, groups: np.ndarray) -> None:
    """Term frequencies counted over persons (groups), not records, written into ``out``
    itself (no copy of a large prepared frame): a person who wrote the same address in six
    rosters makes it no more common than one who wrote it once."""
    n_groups = max(len(unique_ints(groups)), 1)
    span = int(groups.max(initial=0)) + 1

    def persons_per_code(codes: np.ndarray, owners: np.ndarray) -> np.ndarray:
        # Distinct (value, person) pairs, counted per value; the empty text counts nothing.
        distinct = unique_ints(codes * span + owners)
        counts = np.bincount(distinct // span, minlength=int(codes.max(initial=0)) + 1)
        counts[0] = 0
        return counts

    # Paternal and maternal surnames share one numbering (``keys.CODE_SPACES``) and one count.
    pat, mat = _text_codes(out, "pat_ph"), _text_codes(out, "mat_ph")
    surnames = persons_per_code(np.r_[pat, mat], np.r_[groups, groups])
    out["pat_freq"] = surnames[pat] / n_groups
    out["mat_freq"] = surnames[mat] / n_groups
    for source, name in (
        ("giv1_ph", "giv1_freq"),
        ("email_norm", "email_freq"),
        ("phone9", "phone_freq"),
    ):
        codes = _text_codes(out, source)
        out[name] = persons_per_code(codes, groups)[codes] / n_groups


# Every record of one person is compared with every record of the other: many times as many
# record pairs as person pairs, so they are expanded and compared a chunk of person pairs at a
# time, about this many record pairs each (memory stays bounded; the result is the same).
# Each thread compares its own chunk, so the record pairs held at once stay about the same.
CROSS_PAIRS_PER_CHUNK = 2_000_000 // THREADS
# Record pairs already blocked are turned into person pairs this many at a time.
RECORD_PAIRS_PER_CHUNK = 5_000_000


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
    candidates: CandidatePairs | None = None,
) -> tuple[pd.DataFrame, pd.Series]:
    """Duplicates among persons that are clusters of records.

    Candidate record pairs (the usual blocking) whose records belong to different persons
    make candidate person pairs; every record of one is then compared with every record of
    the other and the evidence pooled, as in ``link_groups``. Returns the scored person pairs
    at or above the lower threshold (left_id < right_id, score, decision, reasons) and the
    constrained clusters of persons (person id -> cluster id, the smallest member), which
    never join two persons whose DNIs (``group_dnis``) differ or a cannot-link pair.
    ``candidates``: ``dedupe_candidates`` of these records when the caller has them (a real
    run blocks once for the model refit and for this), instead of blocking again.
    """
    groups = np.asarray(groups, dtype=np.int64)
    person_ids = pd.Index(unique_ints(groups))
    empty = pd.DataFrame(columns=["left_id", "right_id", "score", "decision", "reasons"])
    if len(person_ids) < 2:
        return empty, pd.Series(person_ids, index=person_ids, name="cluster")
    # The frequencies over persons replace columns of the prepared frame, which the caller
    # may hold (the registry's records, prepared once for the model refit too): they go
    # into a shallow copy, and the caller's frame is left as it was, without copying it.
    prepared = prepare(records, config).copy(deep=False)
    _set_group_frequencies(prepared, groups)
    span = int(person_ids.max()) + 1
    # Candidate record pairs of two different persons, straight to distinct person pairs
    # (low * span + high) pass by pass, or chunk by chunk of the record pairs the caller
    # already blocked: most record pairs are records of one person.
    blocked = (
        ((left, right) for _name, left, right in dedupe_candidate_passes(prepared, config))
        if candidates is None
        else (
            (candidates.left[start:stop], candidates.right[start:stop])
            for start, stop in chunk_ranges(len(candidates), RECORD_PAIRS_PER_CHUNK)
        )
    )

    def person_pairs(pair: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        ga, gb = groups[pair[0]], groups[pair[1]]
        different = ga != gb
        return unique_ints_of_own(
            np.minimum(ga, gb)[different] * span + np.maximum(ga, gb)[different]
        )

    # A thread turns a chunk into person pairs while the next chunk is found.
    person_codes = list(in_threads(person_pairs, blocked))
    forced = np.array(sorted(set(must_link)), dtype=np.int64).reshape(-1, 2)
    if len(forced):
        known = person_ids.get_indexer(forced.ravel()).reshape(-1, 2).min(axis=1) >= 0
        person_codes.append(unique_ints(forced[known, 0] * span + forced[known, 1]))
    codes = unique_union(person_codes)
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
    record_pairs = GroupSpans.of_groups(groups, ids).sizes(index_a, index_b)
    names = compare_parts(config)
    parts = dict(
        zip(
            names,
            in_threads(lambda part: part_spans(prepared, groups, ids, part), names),
            strict=True,
        )
    )

    def chunk(bounds: tuple[int, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Scores, automatic links, the pairs kept (from ``first``) and their reasons."""
        first, stop = bounds
        pooled = pooled_parts(prepared, parts, index_a[first:stop], index_b[first:stop], config)
        chunk_score, used = score_pairs(pooled, model, prior, config)
        keep = np.flatnonzero(
            ((chunk_score >= config.lower_threshold) & ~far_dnis(pooled) | is_forced[first:stop])
            & ~is_forbidden[first:stop]
        )
        links = automatic_links(chunk_score, pooled, config)
        return chunk_score, links, keep, explain(pooled, used, keep, config)

    bounds = _chunks(record_pairs, CROSS_PAIRS_PER_CHUNK)
    for (first, stop), (chunk_score, links, keep, why) in zip(
        bounds, in_threads(chunk, bounds), strict=True
    ):
        score[first:stop] = chunk_score
        link[first:stop] = links
        kept.append(keep + first)
        reasons.append(why.astype(str))
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
