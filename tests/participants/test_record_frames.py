from __future__ import annotations

import pandas as pd
import pytest

from participants.models import PersonStatus
from participants.record_frames.blocking import candidate_person_ids
from participants.record_frames.descriptions import records_frame
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _rows(**columns: list[str]) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    base = {
        c: [""] * n
        for c in ("given_names", "paternal_surname", "maternal_surname", "dni", "email", "phone")
    }
    base.update(columns)
    return pd.DataFrame(base)


def test_records_frame_uses_the_canonical_schema() -> None:
    person = PersonFactory(
        given_names="Juan Carlos",
        paternal_surname="Quispe",
        maternal_surname="Mamani",
        document_number="01234567",
        sex="U",
    )
    frame, owners = records_frame()
    row = frame[owners == person.pk].iloc[0]  # the person's own current values
    assert row["dni"] == "01234567"
    assert row["sex"] == ""  # not recorded is missing for the engine
    assert row["birth_date"] == ""
    assert row["paternal_surname"] == "Quispe"


def test_records_frame_leaves_out_merged_persons() -> None:
    survivor = PersonFactory()
    PersonFactory(status=PersonStatus.MERGED, merged_into=survivor)
    assert set(records_frame()[1].tolist()) == {survivor.pk}


def test_candidates_share_a_key_with_a_row() -> None:
    by_name = PersonFactory(
        given_names="Juan Carlos", paternal_surname="Quispe", maternal_surname="Mamani"
    )
    swapped = PersonFactory(
        given_names="Juan", paternal_surname="Mamani", maternal_surname="Quispe"
    )
    by_dni = PersonFactory(
        given_names="Rosa", paternal_surname="Flores", document_number="45678912"
    )
    by_email = PersonFactory(given_names="Ana", paternal_surname="Luna", email="ana@example.org")
    unrelated = PersonFactory(given_names="Juan", paternal_surname="Rojas", maternal_surname="Díaz")
    other_given = PersonFactory(given_names="Pedro", paternal_surname="Quispe")

    rows = _rows(
        given_names=["JUAN", "X"],
        paternal_surname=["QUISPI", "Y"],  # a spelling variant of Quispe
        maternal_surname=["MAMANI", ""],
        dni=["", "45678912"],
        email=["", "ana@example.org"],
    )
    found = candidate_person_ids(rows)
    assert {by_name.pk, swapped.pk, by_dni.pk, by_email.pk} <= found
    assert unrelated.pk not in found
    assert other_given.pk not in found


def test_no_candidates_for_an_empty_roster() -> None:
    PersonFactory()
    assert candidate_person_ids(_rows(given_names=[])) == set()


def test_a_crowded_name_pair_is_only_fetched_with_the_maternal_surname(monkeypatch) -> None:
    monkeypatch.setattr("participants.record_frames.blocking.MAX_NAME_BLOCK", 2)
    crowd = [
        PersonFactory(given_names="Juan", paternal_surname="Quispe", maternal_surname=m)
        for m in ("Mamani", "Flores", "Rojas")
    ]
    initial_only = PersonFactory(
        given_names="Juan", paternal_surname="Quispe", maternal_surname="M"
    )
    no_maternal = PersonFactory(given_names="Juan", paternal_surname="Quispe", maternal_surname="")

    # "Quispe Juan" alone is held by more persons than a block takes: not fetched by the pair.
    found = candidate_person_ids(_rows(given_names=["JUAN"], paternal_surname=["QUISPE"]))
    assert found == {no_maternal.pk}

    # With the maternal surname, the exact triple, its initial and the missing one are fetched.
    found = candidate_person_ids(
        _rows(given_names=["JUAN"], paternal_surname=["QUISPE"], maternal_surname=["MAMANI"])
    )
    assert found == {crowd[0].pk, initial_only.pk, no_maternal.pk}
