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

import numpy as np
import pandas as pd

from .blocking import dedupe_candidates, link_candidates
from .classifying import LinkageModel, prior_bits, score_pairs
from .clustering import constrained_clusters
from .comparing import DNI_DIFFERENT, TF_LEVELS, Comparison, compare
from .config import LinkageConfig
from .keys import prepare
from .pipeline import automatic_links, refuse_links_across_clusters
from .reasons import explain

RESULT_COLUMNS = ("new_id", "group_id", "score", "decision", "reasons")


def _all_records_of_groups(
    left: np.ndarray, right: np.ndarray, groups: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(row, record) pairs for every record of every group a candidate record belongs to."""
    pair_groups = np.unique(left.astype(np.int64) * (groups.max() + 1) + groups[right])
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
    kind = np.where(comparison.dni_kind == 0, 127, comparison.dni_kind).astype(np.int8)
    best_kind = np.full(n, 127, np.int8)
    np.minimum.at(best_kind, inverse, kind)
    best_kind[best_kind == 127] = 0
    # Valid DNIs that differ on some record and equal on none: a DNI the person never showed.
    any_conflict = np.zeros(n, bool)
    np.logical_or.at(any_conflict, inverse, comparison.dni_conflict)
    conflict = any_conflict & (levels["dni"] < 3)
    swapped = np.zeros(n, bool)
    np.logical_or.at(swapped, inverse, comparison.swapped)
    return Comparison(levels, tf_freq, swapped, best_kind, conflict), unique


def _far_dnis(pooled: Comparison) -> np.ndarray:
    """Valid DNIs that no typo explains: two people, not a question worth a reviewer's time."""
    return pooled.dni_conflict & (pooled.dni_kind == DNI_DIFFERENT)


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
            "reasons": explain(pooled, used, keep).astype(str),
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


def group_frequencies(prepared: pd.DataFrame, groups: np.ndarray) -> pd.DataFrame:
    """Term frequencies counted over persons (groups), not records: a person who wrote the
    same address in six rosters makes it no more common than one who wrote it once."""
    out = prepared.copy()
    n_groups = max(len(np.unique(groups)), 1)

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
    return out


def _cross_pairs(
    group_a: np.ndarray, group_b: np.ndarray, groups: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every (record of a, record of b) for each group pair; returns positions and pair index."""
    order = np.argsort(groups, kind="stable")
    sorted_groups = groups[order]
    start_a = np.searchsorted(sorted_groups, group_a, side="left")
    size_a = np.searchsorted(sorted_groups, group_a, side="right") - start_a
    start_b = np.searchsorted(sorted_groups, group_b, side="left")
    size_b = np.searchsorted(sorted_groups, group_b, side="right") - start_b
    sizes = size_a * size_b
    pair = np.repeat(np.arange(len(group_a)), sizes)
    within = np.arange(sizes.sum()) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    a = order[start_a[pair] + within // size_b[pair]]
    b = order[start_b[pair] + within % size_b[pair]]
    return a, b, pair


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
    person_ids = pd.Index(np.unique(groups))
    empty = pd.DataFrame(columns=["left_id", "right_id", "score", "decision", "reasons"])
    if len(person_ids) < 2:
        return empty, pd.Series(person_ids, index=person_ids, name="cluster")
    prepared = group_frequencies(prepare(records, config), groups)
    cands = dedupe_candidates(prepared, config)
    ga, gb = groups[cands.left], groups[cands.right]
    different = ga != gb
    low = np.minimum(ga, gb)[different]
    high = np.maximum(ga, gb)[different]
    forced = np.array(sorted(set(must_link)), dtype=np.int64).reshape(-1, 2)
    if len(forced):
        known = person_ids.get_indexer(forced.ravel()).reshape(-1, 2).min(axis=1) >= 0
        low, high = np.r_[low, forced[known, 0]], np.r_[high, forced[known, 1]]
    span = int(person_ids.max()) + 1
    codes = np.unique(low * span + high)
    left_group, right_group = codes // span, codes % span
    a, b, pair = _cross_pairs(left_group, right_group, groups)
    comparison = compare(prepared, prepared, a, b, config)
    pooled, _unique = _best_per_group(comparison, pair)
    score, used = score_pairs(pooled, model, model.dedupe_prior(len(person_ids)), config)
    link = automatic_links(score, pooled, config)
    must = {(int(x), int(y)) for x, y in must_link}
    cannot = {(int(x), int(y)) for x, y in cannot_link}
    pair_keys = list(zip(left_group.tolist(), right_group.tolist(), strict=True))
    is_forced = np.array([key in must for key in pair_keys], dtype=bool)
    is_forbidden = np.array([key in cannot for key in pair_keys], dtype=bool)
    link = (link | is_forced) & ~is_forbidden
    edges = np.flatnonzero(link)
    dnis = np.array([group_dnis.get(int(pk), "") for pk in person_ids], dtype=object)
    clusters, _conflicts = constrained_clusters(
        person_ids,
        dnis,
        person_ids.get_indexer(left_group[edges]),
        person_ids.get_indexer(right_group[edges]),
        score[edges],
        must_link=sorted(must),
        cannot_link=sorted(cannot),
        policy=config.dni_conflict,
    )
    keep = np.flatnonzero(
        ((score >= config.lower_threshold) & ~_far_dnis(pooled) | is_forced) & ~is_forbidden
    )
    decision = np.where(link, "link", "review").astype(object)
    pairs = pd.DataFrame(
        {
            "left_id": left_group[keep],
            "right_id": right_group[keep],
            "score": score[keep],
            "decision": decision[keep],
            "reasons": explain(pooled, used, keep).astype(str),
        }
    )
    return refuse_links_across_clusters(pairs, clusters), clusters
