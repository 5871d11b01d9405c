"""The public entry points: ``fit``, ``link`` and ``dedupe``."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .arrays import unique_ints
from .blocking import CandidatePairs, dedupe_candidates, link_candidates
from .chunks import THREADS, chunk_ranges, in_threads
from .classifying import (
    LinkageModel,
    estimate_u,
    fit_em,
    fit_em_patterns,
    pattern_counts,
    prior_bits,
    score_pairs,
)
from .clustering import constrained_clusters
from .comparing import Comparison, compare, compared, dni_typo_with_names
from .config import DEFAULT_CONFIG, LinkageConfig
from .keys import prepare
from .reasons import explain

Pair = tuple[int, int]


def names_contradict(comparison: Comparison) -> np.ndarray:
    """Pairs whose first given names or paternal surnames are different names altogether."""
    return (comparison.levels["given"] == 1) | (comparison.levels["paternal"] == 1)


@dataclass
class DedupeResult:
    """``pairs``: scored pairs at or above the lower threshold (left_id < right_id).
    ``clusters``: cluster id (smallest member id) per record id.
    ``conflicts``: must-link pairs that could not be honoured, with the reason.
    """

    pairs: pd.DataFrame
    clusters: pd.Series
    conflicts: pd.DataFrame
    model: LinkageModel
    n_candidates: int


def _positions(index: pd.Index, ids: Iterable[object]) -> np.ndarray:
    return index.get_indexer(pd.Index(list(ids)))


def _with_pairs(
    cands: CandidatePairs,
    extra: Iterable[Pair],
    left: pd.Index,
    right: pd.Index,
    n_right: int,
    ordered: bool,
) -> CandidatePairs:
    """Add explicitly requested pairs (must-links) to the candidates."""
    extra = list(extra)
    if not extra:
        return cands
    a = _positions(left, [p[0] for p in extra])
    b = _positions(right, [p[1] for p in extra])
    ok = (a >= 0) & (b >= 0) & (a != b if ordered else True)
    a, b = a[ok], b[ok]
    if ordered:
        a, b = np.minimum(a, b), np.maximum(a, b)
    codes = unique_ints(np.r_[cands.left * n_right + cands.right, a * n_right + b])
    return CandidatePairs(codes // n_right, codes % n_right, cands.pass_sizes)


def _pair_mask(
    left_ids: np.ndarray, right_ids: np.ndarray, pairs: Iterable[Pair], symmetric: bool
) -> np.ndarray:
    wanted = {(a, b) for a, b in pairs}
    if symmetric:
        wanted |= {(b, a) for a, b in wanted}
    if not wanted:
        return np.zeros(len(left_ids), bool)
    return np.array(
        [(a, b) in wanted for a, b in zip(left_ids.tolist(), right_ids.tolist(), strict=False)],
        dtype=bool,
    )


def fit(
    records: pd.DataFrame,
    *,
    registry: pd.DataFrame | None = None,
    config: LinkageConfig = DEFAULT_CONFIG,
    candidates: CandidatePairs | None = None,
) -> LinkageModel:
    """Estimate the model, to reuse across calls of ``link`` or ``dedupe``.

    Without ``registry``: on the duplicates within ``records`` (a raw registry or roster that
    still has duplicates). With ``registry``: on the candidate pairs between ``records`` (a
    roster) and the registry; use this when the registry is already deduplicated, because
    then it has too few duplicates of its own to learn from. u probabilities always come from
    random pairs of the larger frame. ``candidates``: ``dedupe_candidates`` of ``records``
    (prepared) when the caller has blocked them already (without ``registry`` only).
    """
    prepared = prepare(records, config)
    n = len(prepared)
    if registry is None:
        cands = dedupe_candidates(prepared, config) if candidates is None else candidates
        patterns, counts = pattern_counts(_compared(prepared, prepared, cands, config), config)
        u = estimate_u(prepared, config)
        return fit_em_patterns(patterns, counts, u, config, n, n * (n - 1) / 2)
    reg_p = prepare(registry, config)
    cands = link_candidates(prepared, reg_p, config)
    patterns, counts = pattern_counts(_compared(prepared, reg_p, cands, config), config)
    return fit_em_patterns(patterns, counts, estimate_u(reg_p, config), config, n, n * len(reg_p))


# Candidate pairs are compared this many at a time while fitting (a million-record registry
# has tens of millions): EM needs only how many pairs show each agreement pattern. Each
# thread compares its own chunk, so the pairs held at once stay about the same.
FIT_PAIRS_PER_CHUNK = 2_000_000 // THREADS


def _compared(
    left: pd.DataFrame, right: pd.DataFrame, cands: CandidatePairs, config: LinkageConfig
) -> Iterator[Comparison]:
    def chunk(bounds: tuple[int, int]) -> Comparison:
        start, stop = bounds
        return compare(left, right, cands.left[start:stop], cands.right[start:stop], config)

    yield from in_threads(chunk, chunk_ranges(len(cands), FIT_PAIRS_PER_CHUNK))


def automatic_links(score: np.ndarray, comparison: Comparison, config: LinkageConfig) -> np.ndarray:
    """Pairs that link without a reviewer: above the upper threshold, no DNI conflict, and
    (with ``names_must_agree``) no contradicting names."""
    conflict = comparison.dni_conflict & ~dni_typo_with_names(comparison, config)
    link = (score >= config.upper_threshold) & ~conflict
    if config.names_must_agree:
        link &= ~names_contradict(comparison)
    return link


def _decide(score: np.ndarray, comparison: Comparison, config: LinkageConfig) -> np.ndarray:
    return np.where(automatic_links(score, comparison, config), "link", "review").astype(object)


def refuse_links_across_clusters(pairs: pd.DataFrame, clusters: pd.Series) -> pd.DataFrame:
    """An auto-link the constrained clustering refused (it would chain conflicting records)
    goes to review instead of being reported as linked."""
    refused = (pairs["decision"] == "link").to_numpy() & (
        clusters.reindex(pairs["left_id"]).to_numpy()
        != clusters.reindex(pairs["right_id"]).to_numpy()
    )
    pairs.loc[refused, "decision"] = "review"
    pairs.loc[refused, "reasons"] = (
        "no fusionado: uniría registros en conflicto; " + pairs.loc[refused, "reasons"]
    )
    return pairs.reset_index(drop=True)


def link(
    new: pd.DataFrame,
    registry: pd.DataFrame,
    *,
    config: LinkageConfig = DEFAULT_CONFIG,
    cannot_link: Iterable[Pair] = (),
    must_link: Iterable[Pair] = (),
    model: LinkageModel | None = None,
    registry_size: int | None = None,
) -> pd.DataFrame:
    """Score roster rows against registry persons.

    ``registry`` may be only the candidates fetched from a larger registry (by blocking keys,
    through an index); ``registry_size`` is then the whole registry's size, which sets the
    prior odds (a name shared with one of a million persons says less than with one of fifty).

    Returns columns new_id, registry_id, score, decision, reasons for pairs at or above the
    lower threshold. A roster row with more than one automatic match is sent to review
    (the registry then holds a duplicate a person should look at). Without ``model`` the
    parameters are estimated on these candidate pairs (m) and the registry (u).
    """
    new_p = prepare(new, config)
    reg_p = prepare(registry, config)
    cands = link_candidates(new_p, reg_p, config)
    cands = _with_pairs(
        cands, must_link, new_p.index, reg_p.index, max(len(reg_p), 1), ordered=False
    )
    comparison = compare(new_p, reg_p, cands.left, cands.right, config)
    if model is None:
        model = fit_em(
            comparison, estimate_u(reg_p, config), config, len(new_p), len(new_p) * len(reg_p)
        )
    prior = prior_bits(config.link_match_rate / max(registry_size or len(reg_p), 1))
    score, used = score_pairs(comparison, model, prior, config)
    new_ids = new_p.index.to_numpy()[cands.left]
    reg_ids = reg_p.index.to_numpy()[cands.right]
    forced = _pair_mask(new_ids, reg_ids, must_link, symmetric=False)
    forbidden = _pair_mask(new_ids, reg_ids, cannot_link, symmetric=False)
    keep = np.flatnonzero(((score >= config.lower_threshold) | forced) & ~forbidden)
    decision = _decide(score, comparison, config)[keep]
    # A must-link is honoured unless it would give one person two different valid DNIs.
    dni_conflict = compared(comparison.dni_conflict, "DNI conflicts")
    honoured = forced[keep] & ~dni_conflict[keep]
    refused = forced[keep] & dni_conflict[keep]
    decision[honoured] = "link"
    decision[refused] = "review"
    reasons = explain(comparison, used, keep, config).astype(str)
    reasons = np.where(honoured, "vínculo obligado; " + reasons, reasons)
    reasons = np.where(
        refused, "vínculo obligado rechazado (DNI válidos distintos); " + reasons, reasons
    )
    out = pd.DataFrame(
        {
            "new_id": new_ids[keep],
            "registry_id": reg_ids[keep],
            "score": score[keep],
            "decision": decision,
            "reasons": reasons,
        }
    )
    auto = out["decision"] == "link"
    ambiguous = (
        auto & out["new_id"].map(out.loc[auto, "new_id"].value_counts()).gt(1) & ~forced[keep]
    )
    out.loc[ambiguous, "decision"] = "review"
    out.loc[ambiguous, "reasons"] = (
        "coinciden varias personas del registro; " + out.loc[ambiguous, "reasons"]
    )
    return out.sort_values(["new_id", "score"], ascending=[True, False], kind="stable").reset_index(
        drop=True
    )


def dedupe(
    records: pd.DataFrame,
    *,
    config: LinkageConfig = DEFAULT_CONFIG,
    must_link: Iterable[Pair] = (),
    cannot_link: Iterable[Pair] = (),
    model: LinkageModel | None = None,
) -> DedupeResult:
    """Find duplicates within one frame (a roster, or the whole registry) and cluster them."""
    must_link, cannot_link = list(must_link), list(cannot_link)
    prepared = prepare(records, config)
    n = len(prepared)
    cands = dedupe_candidates(prepared, config)
    cands = _with_pairs(cands, must_link, prepared.index, prepared.index, max(n, 1), ordered=True)
    comparison = compare(prepared, prepared, cands.left, cands.right, config)
    if model is None:
        model = fit_em(comparison, estimate_u(prepared, config), config, n, n * (n - 1) / 2)
    score, used = score_pairs(comparison, model, model.dedupe_prior(n), config)
    ids = prepared.index.to_numpy()
    left_ids, right_ids = ids[cands.left], ids[cands.right]
    forced = _pair_mask(left_ids, right_ids, must_link, symmetric=True)
    forbidden = _pair_mask(left_ids, right_ids, cannot_link, symmetric=True)
    decision = _decide(score, comparison, config)
    decision[forced] = "link"
    edges = np.flatnonzero(
        (decision == "link") & ~forbidden & (score >= config.lower_threshold) | forced
    )
    conflict_dnis = np.where(
        prepared["dni_valid"].to_numpy(bool), prepared["dni_norm"].to_numpy(object), ""
    )
    clusters, conflicts = constrained_clusters(
        prepared.index,
        conflict_dnis,
        cands.left[edges],
        cands.right[edges],
        score[edges],
        must_link=must_link,
        cannot_link=cannot_link,
        policy=config.cluster_dni_policy,
    )
    keep = np.flatnonzero(((score >= config.lower_threshold) | forced) & ~forbidden)
    swap = left_ids[keep] > right_ids[keep]
    pairs = pd.DataFrame(
        {
            "left_id": np.where(swap, right_ids[keep], left_ids[keep]),
            "right_id": np.where(swap, left_ids[keep], right_ids[keep]),
            "score": score[keep],
            "decision": decision[keep],
            "reasons": explain(comparison, used, keep, config),
        }
    )
    pairs = refuse_links_across_clusters(pairs, clusters)
    return DedupeResult(pairs, clusters, conflicts, model, len(cands))
