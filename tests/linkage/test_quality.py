"""Blocking completeness, determinism and a small synthetic quality check."""

from __future__ import annotations

import pandas as pd
import recordlinkage

from participants.linkage import (
    EngineFeatures,
    EngineIndex,
    LinkageConfig,
    dedupe,
    dedupe_candidates,
    prepare,
)
from participants.linkage.clustering import dni_typo_apart
from participants.linkage.synthetic import synthetic_registry, true_pairs
from tests.linkage.helpers import frame

_CACHE: dict[str, object] = {}


def records() -> pd.DataFrame:
    if "records" not in _CACHE:
        _CACHE["records"] = synthetic_registry(2000, seed=21)
    return _CACHE["records"]  # type: ignore[return-value]


def result():
    if "result" not in _CACHE:
        _CACHE["result"] = dedupe(records().drop(columns="person_id"))
    return _CACHE["result"]


def test_generator_is_deterministic_and_labelled():
    a = synthetic_registry(500, seed=3)
    b = synthetic_registry(500, seed=3)
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(synthetic_registry(500, seed=4))
    assert a["person_id"].nunique() < len(a)


def test_blocking_pair_completeness():
    prepared = prepare(records())
    cands = dedupe_candidates(prepared, LinkageConfig())
    ids = prepared.index.to_numpy()
    found = set(zip(ids[cands.left].tolist(), ids[cands.right].tolist(), strict=True))
    truth = true_pairs(records())
    assert len(found & truth) / len(truth) >= 0.97
    n = len(records())
    assert len(found) < 0.05 * n * (n - 1) / 2


def test_dni_variant_blocking_finds_typos():
    base = {"given_names": "ANA", "paternal_surname": "TORRES"}
    other = {"given_names": "LUZ", "paternal_surname": "APAZA"}
    third = {"given_names": "ROSA", "paternal_surname": "QUISPE"}
    records_ = frame(
        {**base, "dni": "41234567"}, {**other, "dni": "41284567"}, {**third, "dni": "14234567"}
    )
    cands = dedupe_candidates(prepare(records_), LinkageConfig(sorted_window=0))
    assert set(zip(cands.left.tolist(), cands.right.tolist(), strict=True)) == {(0, 1), (0, 2)}


def test_engine_index_and_features_plug_into_recordlinkage():
    indexer = recordlinkage.Index()
    indexer.add(EngineIndex())
    pairs = indexer.index(records().iloc[:300])
    assert len(pairs) > 0
    comparer = recordlinkage.Compare()
    comparer.add(EngineFeatures())
    features = comparer.compute(pairs, prepare(records().iloc[:300]))
    assert len(features) == len(pairs)
    assert {"given", "paternal", "maternal", "dni"} <= set(features.columns)
    assert features.to_numpy().min() >= 0


def test_dedupe_is_deterministic():
    again = dedupe(records().drop(columns="person_id"))
    pd.testing.assert_frame_equal(result().pairs, again.pairs)
    pd.testing.assert_series_equal(result().clusters, again.clusters)


def test_small_synthetic_quality():
    pairs = result().pairs
    linked = pairs[pairs["decision"] == "link"]
    found = set(zip(linked["left_id"].tolist(), linked["right_id"].tolist(), strict=True))
    truth = true_pairs(records())
    precision = len(found & truth) / len(found)
    recall = len(found & truth) / len(truth)
    assert precision >= 0.99
    assert recall >= 0.8
    # Clusters never hold two valid DNIs that are not one typo apart.
    dni = records()["dni"]
    valid = dni[dni.str.len() == 8]
    per_cluster = valid.groupby(result().clusters.reindex(valid.index)).unique()
    for dnis in per_cluster:
        assert all(dni_typo_apart(a, b) for a in dnis for b in dnis if a != b)
