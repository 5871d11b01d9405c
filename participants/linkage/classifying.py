"""Fellegi-Sunter model: m from EM on candidate pairs, u from random pairs, term frequencies.

- u (how often two different people agree by chance) is counted on random record pairs, as
  candidate pairs are biased towards agreement on whatever they were blocked on.
- m (how often the same person agrees) is estimated by EM on the candidate pairs, run on the
  distinct agreement patterns only, so it costs milliseconds whatever the number of pairs.
- Exact agreement on a surname or first given name is weighted by that value's frequency:
  ``log2(m / frequency)``, so "QUISPE" agreeing adds little and "CHUQUIMAMANI" a lot.

Everything is deterministic: EM starts from fixed values and random pairs use a fixed seed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .comparing import Comparison, compare
from .config import LinkageConfig
from .features import BLOCKED_ID_LEVELS, MULTI_VALUED_FEATURES, TF_LEVELS, feature_levels

PSEUDO_COUNT = 1.0


@dataclass(frozen=True)
class LinkageModel:
    """Estimated parameters. ``m``/``u`` hold per-level probabilities (index 0 unused)."""

    features: tuple[str, ...]
    m: tuple[np.ndarray, ...]
    u: tuple[np.ndarray, ...]
    matches_per_record: float  # EM's matching pairs per record, to set dedupe priors
    candidate_match_rate: float  # EM's share of matches among candidate pairs
    iterations: int
    weak_cap_bits: float = 2.0

    def weights(self) -> dict[str, np.ndarray]:
        """Match weight (bits) of each level; level 0 weighs 0."""
        out = {}
        for name, m, u in zip(self.features, self.m, self.u, strict=True):
            w = np.log2(np.maximum(m, 1e-12) / np.maximum(u, 1e-12))
            if name.startswith("weak:"):
                # Never let a shared workplace decide a match, nor a job change veto one.
                w = np.clip(w, -self.weak_cap_bits / 4, self.weak_cap_bits)
            if name in MULTI_VALUED_FEATURES:
                # A second address or phone is how officials are, not a sign of another person.
                w = np.maximum(w, 0.0)
            w[0] = 0.0
            out[name] = w
        return out

    def dedupe_prior(self, n_records: int) -> float:
        """Prior log2-odds for a pair within ``n_records`` records."""
        pairs = max(n_records * (n_records - 1) / 2, 1.0)
        return prior_bits(self.matches_per_record * n_records / pairs)


def _normalise(counts: np.ndarray) -> np.ndarray:
    probs = counts.astype(float).copy()
    probs[0] = 0.0
    total = probs[1:].sum()
    probs[1:] = probs[1:] / total if total > 0 else 1.0 / (len(probs) - 1)
    return probs


def estimate_u(records: pd.DataFrame, config: LinkageConfig) -> tuple[np.ndarray, ...]:
    """Level frequencies among random pairs of distinct records (prepared frame)."""
    n = len(records)
    levels = feature_levels(config)
    if n < 2:
        return tuple(_normalise(np.ones(k)) for k in levels.values())
    rng = np.random.default_rng(config.seed)
    # Small frames need fewer pairs: 50 per record is plenty for the levels that matter.
    size = min(config.u_sample_pairs, max(50 * n, 20_000), n * (n - 1) // 2)
    a = rng.integers(0, n, size)
    b = (a + rng.integers(1, n, size)) % n
    comparison = compare(records, records, a, b, config)
    out = []
    for name, k in levels.items():
        counts = np.bincount(comparison.levels[name], minlength=k).astype(float)
        counts[1:] += PSEUDO_COUNT
        out.append(_normalise(counts))
    return tuple(out)


def _floor(probs: np.ndarray, floor: float) -> np.ndarray:
    """Keep every level possible for matches: data entry errors happen on any field."""
    out = probs.copy()
    out[1:] = np.maximum(out[1:], floor)
    out[1:] /= out[1:].sum()
    return out


def _patterns(matrix: np.ndarray, sizes: list[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    radix = np.cumprod([1, *sizes[:-1]]).astype(np.int64)
    codes = matrix.astype(np.int64) @ radix
    uniq, inverse, counts = np.unique(codes, return_inverse=True, return_counts=True)
    patterns = (uniq[:, None] // radix[None, :]) % np.array(sizes)[None, :]
    return patterns, counts.astype(float), inverse


def _initial_m(k: int) -> np.ndarray:
    # Matches mostly agree: put most mass on the top level, then geometrically less.
    probs = np.zeros(k)
    probs[1:] = 8.0 ** np.arange(k - 1)
    return _normalise(probs)


def pattern_counts(
    comparisons: Iterable[Comparison], config: LinkageConfig
) -> tuple[np.ndarray, np.ndarray]:
    """The distinct agreement patterns of the candidate pairs and how many pairs show each,
    over comparisons of successive chunks of pairs (all EM needs of them)."""
    sizes = list(feature_levels(config).values())
    radix = np.cumprod([1, *sizes[:-1]]).astype(np.int64)
    codes, counts = [], []
    for comparison in comparisons:
        chunk_codes, chunk_counts = np.unique(
            comparison.matrix().astype(np.int64) @ radix, return_counts=True
        )
        codes.append(chunk_codes)
        counts.append(chunk_counts)
    if not codes:
        return np.empty((0, len(sizes)), np.int64), np.empty(0)
    uniq, inverse = np.unique(np.concatenate(codes), return_inverse=True)
    total = np.bincount(inverse.ravel(), weights=np.concatenate(counts), minlength=len(uniq))
    patterns = (uniq[:, None] // radix[None, :]) % np.array(sizes)[None, :]
    return patterns, total.astype(float)


def fit_em(
    comparison: Comparison,
    u: tuple[np.ndarray, ...],
    config: LinkageConfig,
    n_records: int,
    total_pairs: float,
) -> LinkageModel:
    """EM for m (and a candidate-space u) on the agreement patterns of the candidate pairs."""
    sizes = list(feature_levels(config).values())
    patterns, counts, _ = _patterns(comparison.matrix(), sizes)
    return fit_em_patterns(patterns, counts, u, config, n_records, total_pairs)


def fit_em_patterns(
    patterns: np.ndarray,
    counts: np.ndarray,
    u: tuple[np.ndarray, ...],
    config: LinkageConfig,
    n_records: int,
    total_pairs: float,
) -> LinkageModel:
    """`fit_em` on the candidate pairs' distinct patterns and their counts."""
    levels = feature_levels(config)
    names, sizes = list(levels), list(levels.values())
    m = [_initial_m(k) for k in sizes]
    u_cand = [p.copy() for p in u]
    lam = 0.1
    iterations = 0
    for iteration in range(1, config.em_max_iterations + 1):
        iterations = iteration
        log_m = np.zeros(len(patterns))
        log_u = np.zeros(len(patterns))
        for f in range(len(sizes)):
            lev = patterns[:, f]
            log_m += np.where(lev > 0, np.log(np.maximum(m[f][lev], 1e-300)), 0.0)
            log_u += np.where(lev > 0, np.log(np.maximum(u_cand[f][lev], 1e-300)), 0.0)
        logit = np.log(lam) - np.log1p(-lam) + log_m - log_u
        post = 1.0 / (1.0 + np.exp(-np.clip(logit, -700, 700)))
        wm, wu = post * counts, (1 - post) * counts
        new_m, new_u = [], []
        for f, k in enumerate(sizes):
            lev = patterns[:, f]
            # Weighted counts are floats (the stubs type every bincount as integers).
            cm: np.ndarray = np.bincount(lev, weights=wm, minlength=k)
            cu: np.ndarray = np.bincount(lev, weights=wu, minlength=k)
            cm[1:] += PSEUDO_COUNT
            cu[1:] += PSEUDO_COUNT
            new_m.append(_floor(_normalise(cm), config.m_floor))
            new_u.append(_normalise(cu))
        new_lam = float(np.clip(wm.sum() / counts.sum(), 1e-9, 1 - 1e-9))
        delta = max(
            max(np.abs(a - b).max() for a, b in zip(m, new_m, strict=False)), abs(new_lam - lam)
        )
        m, u_cand, lam = new_m, new_u, new_lam
        if delta < 1e-7:
            break
    n_candidates = float(counts.sum())
    per_record = lam * n_candidates / max(n_records, 1)
    # Random pairs cannot measure how often two different people share a DNI: a random pair
    # sharing one is nearly always the same person. For identifier levels that are blocking
    # keys all agreeing pairs are candidates, so count EM's non-matches among them instead.
    u_final = [p.copy() for p in u]
    non_matches = (1 - lam) * n_candidates
    for f, name in enumerate(names):
        for level in BLOCKED_ID_LEVELS.get(name, ()):
            u_final[f][level] = u_cand[f][level] * non_matches / max(total_pairs, 1.0)
    return LinkageModel(
        tuple(names),
        tuple(m),
        tuple(u_final),
        per_record,
        lam,
        iterations,
        config.weak_evidence_bits,
    )


def bits_from_probability(probability: float) -> float:
    """The match weight (log2 odds) of a probability."""
    rate = min(max(probability, 1e-15), 1 - 1e-9)
    return float(np.log2(rate / (1 - rate)))


def probability_from_bits(bits: float) -> float:
    """The probability of a match weight (log2 odds): 1 / (1 + 2**-bits)."""
    return float(1 / (1 + 2.0**-bits))


def prior_bits(match_rate: float) -> float:
    """log2 prior odds of a match for a pair drawn at random."""
    return bits_from_probability(match_rate)


def score_pairs(
    comparison: Comparison, model: LinkageModel, prior: float, config: LinkageConfig
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Posterior log2-odds of each pair, and the value frequency used where TF applied."""
    weights = model.weights()
    score = np.full(len(comparison), prior)
    used_freq: dict[str, np.ndarray] = {}
    for f, name in enumerate(model.features):
        lev = comparison.levels[name]
        contribution = weights[name][lev]
        if config.tf_adjusted and name in TF_LEVELS:
            tf_mask = np.isin(lev, TF_LEVELS[name]) & (comparison.tf_freq[name] > 0)
            freq = np.maximum(comparison.tf_freq[name][tf_mask], config.tf_min_frequency)
            contribution = contribution.copy()
            contribution[tf_mask] = np.log2(model.m[f][lev[tf_mask]] / freq)
            full = np.zeros(len(lev))
            full[tf_mask] = freq
            used_freq[name] = full
        score += contribution
    return score, used_freq
