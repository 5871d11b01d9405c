"""The registry's person-against-person pass (``dedupe_groups``) on a prepared frame."""

from __future__ import annotations

import numpy as np
import pandas as pd

from participants.linkage import LinkageConfig, prepare
from participants.linkage.blocking import dedupe_candidates
from participants.linkage.grouped.dedupe import dedupe_groups
from participants.linkage.synthetic import synthetic_registry
from tests.linkage.helpers import background_model

CONFIG = LinkageConfig()


def test_a_prepared_registry_gives_the_same_pairs_and_is_left_as_it_was():
    # Records of persons (each synthetic person is one person here): the refit and the
    # person pass of a real run share one prepared frame.
    records = synthetic_registry(1500, seed=3)
    owners = records.pop("person_id").to_numpy(np.int64) + 1
    prepared = prepare(records, CONFIG)
    before = prepared.copy()
    model = background_model()
    from_raw, clusters_raw = dedupe_groups(records, owners, {}, config=CONFIG, model=model)
    from_prepared, clusters = dedupe_groups(prepared, owners, {}, config=CONFIG, model=model)
    pd.testing.assert_frame_equal(prepared, before)
    pd.testing.assert_frame_equal(from_prepared, from_raw)
    pd.testing.assert_series_equal(clusters, clusters_raw)
    assert len(from_raw) > 0


def test_record_pairs_blocked_by_the_caller_give_the_same_pairs():
    # A real run blocks once for the refit and hands the record pairs to the person pass.
    records = synthetic_registry(1500, seed=4)
    owners = records.pop("person_id").to_numpy(np.int64) + 1
    prepared = prepare(records, CONFIG)
    model = background_model()
    blocked = dedupe_candidates(prepared, CONFIG)
    own, own_clusters = dedupe_groups(prepared, owners, {}, config=CONFIG, model=model)
    given, clusters = dedupe_groups(
        prepared, owners, {}, config=CONFIG, model=model, candidates=blocked
    )
    pd.testing.assert_frame_equal(given, own)
    pd.testing.assert_series_equal(clusters, own_clusters)
    assert len(own) > 0
