"""The registry's person-against-person pass (``dedupe_groups``) on a prepared frame."""

from __future__ import annotations

import numpy as np
import pandas as pd

from participants.linkage import LinkageConfig, prepare
from participants.linkage.blocking import dedupe_candidate_passes, dedupe_candidates
from participants.linkage.comparing import compare_parts
from participants.linkage.grouped.dedupe import _set_group_frequencies, dedupe_groups
from participants.linkage.grouped.pooling import part_spans
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


def test_pairs_blocked_in_threads_are_every_pass_pair_once_in_order():
    records = synthetic_registry(1500, seed=5)
    records.pop("person_id")
    prepared = prepare(records, CONFIG)
    span = len(prepared)
    codes, sizes = [], {}
    for name, left, right in dedupe_candidate_passes(prepared, CONFIG):
        codes.append(left.astype(np.int64) * span + right)
        sizes[name] = sizes.get(name, 0) + len(left)
    expected = np.unique(np.concatenate(codes))
    blocked = dedupe_candidates(prepared, CONFIG)
    np.testing.assert_array_equal(blocked.left * span + blocked.right, expected)
    assert blocked.pass_sizes == sizes
    assert (blocked.left < blocked.right).all()


def test_frequencies_over_persons_count_each_person_once_per_value():
    records = synthetic_registry(1500, seed=6)
    owners = records.pop("person_id").to_numpy(np.int64) + 1
    # A person seen in several rosters: its surname, email and phone repeat on its records.
    prepared = prepare(pd.concat([records, records.iloc[:200]], ignore_index=True), CONFIG)
    owners = np.r_[owners, owners[:200]]
    counted = prepared.copy(deep=False)
    _set_group_frequencies(counted, owners)
    # The same counts by plain pandas over the texts, as the definition reads.
    n_persons = len(np.unique(owners))

    def per_person(values: np.ndarray, persons: np.ndarray) -> pd.Series:
        pairs = pd.DataFrame({"value": values, "person": persons})
        return pairs[pairs["value"] != ""].drop_duplicates()["value"].value_counts()

    surnames = per_person(
        np.r_[prepared["pat_ph"].to_numpy(object), prepared["mat_ph"].to_numpy(object)],
        np.r_[owners, owners],
    )
    for source, name, counts in (
        ("pat_ph", "pat_freq", surnames),
        ("mat_ph", "mat_freq", surnames),
        ("giv1_ph", "giv1_freq", per_person(prepared["giv1_ph"].to_numpy(object), owners)),
        ("email_norm", "email_freq", per_person(prepared["email_norm"].to_numpy(object), owners)),
        ("phone9", "phone_freq", per_person(prepared["phone9"].to_numpy(object), owners)),
    ):
        expected = prepared[source].map(counts).fillna(0).to_numpy(float) / n_persons
        np.testing.assert_array_equal(counted[name].to_numpy(float), expected)
    # Frequencies over persons differ from those over records for the repeated persons.
    assert (counted["pat_freq"] != prepared["pat_freq"]).any()


def test_distinct_values_per_person_are_the_same_from_codes_and_from_texts():
    records = synthetic_registry(800, seed=8)
    owners = records.pop("person_id").to_numpy(np.int64) + 1
    prepared = prepare(pd.concat([records, records.iloc[:100]], ignore_index=True), CONFIG)
    owners = np.r_[owners, owners[:100]]
    ids = np.unique(owners)
    texts_only = prepared.drop(columns=[c for c in prepared.columns if c.endswith("#")])
    for part in compare_parts(CONFIG):
        from_codes = part_spans(prepared, owners, ids, part)
        from_texts = part_spans(texts_only, owners, ids, part)
        np.testing.assert_array_equal(from_codes.positions, from_texts.positions)
        np.testing.assert_array_equal(from_codes.size, from_texts.size)
