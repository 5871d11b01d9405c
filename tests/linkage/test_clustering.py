"""Constrained clustering: no chains across different DNIs or cannot-link pairs."""

from __future__ import annotations

import numpy as np
import pandas as pd

from participants.linkage import dedupe
from participants.linkage.clustering import constrained_clusters
from tests.linkage.helpers import frame


def cluster(dnis, edges, scores, **kwargs):
    ids = pd.Index(range(10, 10 + len(dnis)))
    left = np.array([a for a, _ in edges])
    right = np.array([b for _, b in edges])
    return constrained_clusters(
        ids, np.array(dnis, dtype=object), left, right, np.array(scores), **kwargs
    )


def test_never_chains_two_different_dnis():
    # A(dni 1) - B(no dni) - C(dni 2): the stronger edge wins, the weaker is refused.
    labels, _ = cluster(["41234567", "", "70011122"], [(0, 1), (1, 2)], [20.0, 15.0])
    assert labels.tolist() == [10, 10, 12]


def test_chain_refused_whatever_the_edge_order():
    labels, _ = cluster(["41234567", "", "70011122"], [(1, 2), (0, 1)], [15.0, 20.0])
    assert labels[10] == labels[11] != labels[12]


def test_same_dni_and_unknown_dni_cluster_together():
    labels, _ = cluster(["41234567", "", "41234567"], [(0, 1), (1, 2)], [20.0, 15.0])
    assert labels.nunique() == 1


def test_cannot_link_blocks_direct_and_indirect_merges():
    labels, _ = cluster(["", "", ""], [(0, 1), (1, 2)], [20.0, 15.0], cannot_link=[(10, 12)])
    assert labels[10] == labels[11] != labels[12]
    labels, _ = cluster(["", ""], [(0, 1)], [30.0], cannot_link=[(11, 10)])
    assert labels[10] != labels[11]


def test_must_link_is_honoured_unless_dnis_differ():
    labels, conflicts = cluster(
        ["", "", "70011122", "41234567"], [], [], must_link=[(10, 11), (12, 13)]
    )
    assert labels[10] == labels[11]
    assert labels[12] != labels[13]
    assert conflicts[["left_id", "right_id"]].values.tolist() == [[12, 13]]
    assert conflicts["reason"].tolist() == ["different DNIs"]


def test_dni_typo_policy_allows_one_digit_but_not_chains():
    labels, _ = cluster(
        ["41234567", "41234568", "41234588"], [(0, 1), (1, 2)], [20.0, 15.0], policy="beyond_typo"
    )
    # 1-2 is one digit apart, but 0-2 differ in two digits: the chain stops.
    assert labels[10] == labels[11] != labels[12]


PERSON = {
    "given_names": "ROSA ELENA",
    "paternal_surname": "HUILLCA",
    "maternal_surname": "CCAHUANA",
    "dni": "",
    "sex": "F",
    "birth_date": "1985-02-14",
    "email": "rosa.huillca@mpfn.gob.pe",
}


def test_dedupe_respects_constraints_end_to_end():
    records = frame(
        PERSON,
        {**PERSON, "dni": "41234567"},
        {**PERSON, "dni": "70011122"},
        {**PERSON, "given_names": "ROSA", "maternal_surname": "C"},
        first_id=1,
    )
    result = dedupe(records, cannot_link=[(1, 4)])
    clusters = result.clusters
    assert clusters[2] != clusters[3]
    assert clusters[1] != clusters[4]
    for _, pair in result.pairs.iterrows():
        if pair["decision"] == "link":
            assert clusters[pair["left_id"]] == clusters[pair["right_id"]]
    assert set(result.pairs.columns) == {"left_id", "right_id", "score", "decision", "reasons"}
    assert (result.pairs["left_id"] < result.pairs["right_id"]).all()


def test_dedupe_must_link_joins_records_without_evidence():
    records = frame(
        {"given_names": "ANA", "paternal_surname": "TORRES"},
        {"given_names": "LUZ", "paternal_surname": "APAZA"},
        first_id=1,
    )
    result = dedupe(records, must_link=[(1, 2)])
    assert result.clusters[1] == result.clusters[2] == 1
    assert result.conflicts.empty
