"""Reviewers' answers as labels: m re-estimated from pairs confirmed to be one person."""

from __future__ import annotations

import numpy as np
import pytest

from participants.linkage import DEFAULT_CONFIG
from participants.linkage.features import feature_levels
from participants.linkage.labels import estimate_m_from_labels, labelled_patterns, with_labels
from participants.linkage_store import ModelInUse, linkage_model_refit, reviewed_patterns
from participants.models import Decision
from tests.factories import DuplicateCandidateFactory, PersonFactory
from tests.linkage.helpers import background_model, frame

FEATURES = list(feature_levels(DEFAULT_CONFIG))
MATERNAL = FEATURES.index("maternal")


def _married_pairs(n: int) -> tuple[np.ndarray, ...]:
    """n labelled pairs: the same woman, once with her maternal surname, once with her
    husband's name in its place; each pair's two records."""
    records, pair, side = [], [], []
    for number in range(n):
        given = f"ROSA{chr(65 + number % 26)}"
        records.append(
            {"given_names": given, "paternal_surname": "CORDOVA", "maternal_surname": "SANCHEZ"}
        )
        records.append(
            {"given_names": given, "paternal_surname": "CORDOVA", "maternal_surname": "APAZA"}
        )
        pair += [number, number]
        side += [0, 1]
    return frame(*records), np.asarray(pair), np.asarray(side)


def test_a_labelled_pair_takes_the_best_level_of_its_records() -> None:
    records = frame(
        {"given_names": "ANA", "paternal_surname": "QUISPE", "dni": "41234567"},
        {"given_names": "ANA", "paternal_surname": "QUISPE"},
        {"given_names": "ANA MARIA", "paternal_surname": "QUISPE", "dni": "41234567"},
    )
    patterns = labelled_patterns(records, np.array([0, 0, 0]), np.array([0, 0, 1]), DEFAULT_CONFIG)
    assert patterns.shape == (1, len(FEATURES))
    assert patterns[0, FEATURES.index("dni")] == 3  # equal on the record that has it
    assert patterns[0, FEATURES.index("given")] == 4  # a name dropped


def test_labels_move_m_towards_what_reviewers_confirmed() -> None:
    model = background_model()
    records, pair, side = _married_pairs(200)
    patterns = labelled_patterns(records, pair, side, DEFAULT_CONFIG)
    assert (patterns[:, MATERNAL] == 1).all()  # the maternal surnames disagree
    labelled = estimate_m_from_labels(patterns, DEFAULT_CONFIG)
    assert labelled[MATERNAL][1] > 0.9
    learned = with_labels(model, patterns, model_pairs=200, config=DEFAULT_CONFIG)
    # Half the evidence is the labels: a different maternal surname costs far less.
    assert learned.m[MATERNAL][1] == pytest.approx(
        0.5 * model.m[MATERNAL][1] + 0.5 * labelled[MATERNAL][1], rel=0.05
    )
    assert learned.weights()["maternal"][1] > model.weights()["maternal"][1] + 2
    for m in learned.m:
        assert m[1:].sum() == pytest.approx(1.0)


def test_no_labels_leave_the_model_as_it_was() -> None:
    model = background_model()
    empty = np.empty((0, len(FEATURES)), dtype=np.int64)
    assert with_labels(model, empty, model_pairs=100, config=DEFAULT_CONFIG) is model


@pytest.mark.django_db
def test_the_refit_learns_from_answered_pairs_and_the_version_says_so(monkeypatch) -> None:
    monkeypatch.setattr("participants.linkage_store.MIN_RECORDS_TO_FIT", 2)
    for number in range(4):
        given = f"Rosa{chr(65 + number)}"
        a = PersonFactory(given_names=given, paternal_surname="Córdova", maternal_surname="Sánchez")
        b = PersonFactory(given_names=given, paternal_surname="Córdova", maternal_surname="Apaza")
        DuplicateCandidateFactory(person_a=a, person_b=b, decision=Decision.SAME)
    DuplicateCandidateFactory(decision=Decision.DIFFERENT)  # not a label of a match
    patterns = reviewed_patterns()
    assert patterns.shape == (4, len(FEATURES))
    assert (patterns[:, MATERNAL] == 1).all()
    version = linkage_model_refit()
    assert version is not None
    assert version.parameters["labels"] == 4
    assert "4 decisiones de revisión" in ModelInUse.label_of(version)
