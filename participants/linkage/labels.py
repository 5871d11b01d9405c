"""Reviewers' answers as labels: m estimated from pairs a person confirmed are one person.

This is what Splink calls `estimate_m_from_pairwise_labels`: among pairs known to be the same
person, how often does each field agree at each level? EM infers the same from unlabelled
candidate pairs; labels say it directly, and about exactly the hard cases a reviewer sees
(an initial for the maternal surname, a married name, a DNI typo), where EM has least to go
on. They are biased for that very reason (reviewers see borderline pairs, not typical ones),
so they are blended into the EM estimate as so many more pairs, never substituted for it.

Pure functions over prepared frames; no Django.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from .classifying import PSEUDO_COUNT, LinkageModel, _floor, _normalise
from .comparing import compare
from .config import LinkageConfig
from .features import feature_levels
from .keys import prepare


def labelled_patterns(
    records: pd.DataFrame, pair: np.ndarray, side: np.ndarray, config: LinkageConfig
) -> np.ndarray:
    """The agreement pattern of each labelled pair of persons (one row per pair, in pair
    order), each feature at the best level any record of one side reaches against any
    record of the other, as the import pools a person's records.

    ``pair[i]`` is the label (0..n-1) the i-th record belongs to and ``side[i]`` (0 or 1)
    which of its two persons it describes.
    """
    pair = np.asarray(pair, dtype=np.int64)
    side = np.asarray(side, dtype=np.int64)
    levels = feature_levels(config)
    n_pairs = int(pair.max()) + 1 if len(pair) else 0
    out = np.zeros((n_pairs, len(levels)), dtype=np.int64)
    if n_pairs == 0:
        return out
    prepared = prepare(records.reset_index(drop=True), config)
    positions = np.arange(len(prepared))
    frame = pd.DataFrame({"pair": pair, "side": side, "position": positions})
    left = frame[frame["side"] == 0]
    right = frame[frame["side"] == 1]
    crossed = left.merge(right, on="pair", suffixes=("_a", "_b"))
    if crossed.empty:
        return out
    comparison = compare(
        prepared,
        prepared,
        crossed["position_a"].to_numpy(np.int64),
        crossed["position_b"].to_numpy(np.int64),
        config,
    )
    owners = crossed["pair"].to_numpy(np.int64)
    for column, name in enumerate(levels):
        np.maximum.at(out[:, column], owners, comparison.levels[name].astype(np.int64))
    return out


def estimate_m_from_labels(patterns: np.ndarray, config: LinkageConfig) -> tuple[np.ndarray, ...]:
    """Level frequencies among the labelled matches (level 0, not comparable, left out)."""
    out = []
    for column, k in enumerate(feature_levels(config).values()):
        counts = np.bincount(patterns[:, column], minlength=k).astype(float)
        counts[1:] += PSEUDO_COUNT
        out.append(_floor(_normalise(counts), config.m_floor))
    return tuple(out)


def with_labels(
    model: LinkageModel,
    patterns: np.ndarray,
    *,
    model_pairs: float,
    config: LinkageConfig,
) -> LinkageModel:
    """``model`` with m re-estimated from the labels, each label worth one pair beside the
    ``model_pairs`` matching pairs the model's own estimate rests on."""
    if len(patterns) == 0:
        return model
    labelled = estimate_m_from_labels(patterns, config)
    weight = len(patterns) / (len(patterns) + max(model_pairs, 1.0))
    m = tuple(
        _floor((1 - weight) * mine + weight * theirs, config.m_floor)
        for mine, theirs in zip(model.m, labelled, strict=True)
    )
    return dataclasses.replace(model, m=m)
