"""The survivorship rule and the reviewer's per-field choices."""

from __future__ import annotations

import datetime as dt

from participants.models import Person, Sex
from review.merging import person_merge
from review.merging.field_values import MERGED, SURVIVOR, survivorship
from tests.factories import CohortFactory, ImportBatchFactory, PersonFactory, SourceRecordFactory


def _merge(survivor, merged, **kwargs):
    record = person_merge(survivor=survivor, merged=merged, actor=None, **kwargs)
    return Person.objects.get(pk=survivor.pk), record


def test_empty_survivor_fields_are_filled_and_filled_ones_kept(db):
    survivor = PersonFactory(
        given_names="Juan", maternal_surname="", birth_date=None, document_number=""
    )
    merged = PersonFactory(
        given_names="Juan Carlos",
        maternal_surname="Flores",
        birth_date=dt.date(1985, 3, 2),
        document_number="",
    )

    result, record = _merge(survivor, merged)

    assert result.given_names == "Juan"
    assert result.maternal_surname == "Flores"
    assert result.birth_date == dt.date(1985, 3, 2)
    assert result.maternal_key  # blocking keys follow the new surname
    assert record.before_state["survivor_changes"]["maternal_surname"] == ["", "Flores"]
    assert "given_names" in record.before_state["conflicts"]


def test_recorded_sex_beats_not_recorded_and_a_conflict_keeps_the_survivors(db):
    unknown = PersonFactory(sex=Sex.NOT_RECORDED, document_number="")
    female = PersonFactory(sex=Sex.FEMALE, document_number="")
    result, record = _merge(unknown, female)
    assert result.sex == Sex.FEMALE
    assert "sex" not in record.before_state["conflicts"]

    male = PersonFactory(sex=Sex.MALE, document_number="")
    result, record = _merge(result, male)
    assert result.sex == Sex.FEMALE
    assert record.before_state["conflicts"]["sex"] == ["F", "M"]


def test_a_valid_dni_beats_none_and_another_document(db):
    passport = PersonFactory(document_type="passport", document_number="AB12345")
    with_dni = PersonFactory(document_type="dni", document_number="07654312")

    result, _ = _merge(passport, with_dni)

    assert (result.document_type, result.document_number) == ("dni", "07654312")


def test_contact_details_come_from_the_most_recent_source(db):
    survivor = PersonFactory(email="old@example.org", phone="", document_number="")
    merged = PersonFactory(email="new@example.org", phone="+51 911 111 111", document_number="")
    cohort = CohortFactory()
    old = SourceRecordFactory(person=survivor, batch=ImportBatchFactory(cohort=cohort))
    new = SourceRecordFactory(person=merged, batch=ImportBatchFactory(cohort=cohort))
    type(old).objects.filter(pk=old.pk).update(created_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    type(new).objects.filter(pk=new.pk).update(created_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC))

    outcomes = survivorship(survivor=survivor, merged=merged)
    assert outcomes["email"].side == MERGED
    outcomes = survivorship(survivor=merged, merged=survivor)
    assert outcomes["email"].side == SURVIVOR

    result, _ = _merge(survivor, merged)
    assert result.email == "new@example.org"
    assert result.phone == "+51 911 111 111"


def test_reviewer_choices_override_the_rule(db):
    survivor = PersonFactory(given_names="Maria", paternal_surname="Quispe", document_number="")
    merged = PersonFactory(
        given_names="María Luz", paternal_surname="Quispe", sex=Sex.FEMALE, document_number=""
    )

    result, record = _merge(
        survivor, merged, field_choices={"given_names": MERGED, "sex": SURVIVOR}
    )

    assert result.given_names == "María Luz"
    assert result.sex == Sex.NOT_RECORDED
    assert record.rule == "survivorship + reviewer's choices"
    assert record.before_state["field_choices"] == {"given_names": "merged", "sex": "survivor"}
