"""An administrator's DNI correction replaces the DNI it corrects: no second document, no
split suspect, and the records that carried the mistaken value stay as they were."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from participants.models import IdentityRecord, RecordSource
from review.splits import split_suspects_queue
from tests.factories import (
    EnrollmentFactory,
    PersonFactory,
    SourceRecordFactory,
    identity_record_of_row,
)

pytestmark = pytest.mark.django_db

TYPED_WRONG = "41234567"
CORRECT = "70011223"  # not one typo from the wrong one: two documents, were it not corrected


def _person_from_a_roster(dni: str):  # type: ignore[no-untyped-def]
    person = PersonFactory(
        given_names="Rosa",
        paternal_surname="Chuquimamani",
        maternal_surname="",
        document_number=dni,
    )
    row = SourceRecordFactory(person=person, enrollment=EnrollmentFactory(person=person))
    identity_record_of_row(
        person=person,
        source=RecordSource.ROSTER_ROW,
        row=row,
        given_names="Rosa",
        paternal_surname="Chuquimamani",
        dni=dni,
        document_type="dni",
        document_number=dni,
    )
    return person


def _change(person, **changes: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {
        "given_names": person.given_names,
        "paternal_surname": person.paternal_surname,
        "maternal_surname": person.maternal_surname,
        "sex": person.sex,
        "document_type": person.document_type,
        "document_number": person.document_number,
        "email": person.email,
        "phone": person.phone,
        "birth_date": "",
        **{
            f"{prefix}-{count}": "0"
            for prefix in ("enrollments", "source_records", "identity_records")
            for count in ("TOTAL_FORMS", "INITIAL_FORMS")
        },
        **changes,
    }


def test_a_corrected_dni_is_not_a_second_document(client: Client, role_user) -> None:  # type: ignore[no-untyped-def]
    person = _person_from_a_roster(TYPED_WRONG)
    client.force_login(role_user("admin"))
    url = reverse("admin:participants_person_change", args=[person.pk])
    response = client.post(url, _change(person, document_number=CORRECT))
    assert response.status_code == 302, response.content.decode()[:2000]

    correction = IdentityRecord.objects.get(person=person, source=RecordSource.CORRECTION)
    assert (correction.dni, correction.replaces_dni) == (CORRECT, TYPED_WRONG)
    # The roster's record keeps what the roster said.
    assert IdentityRecord.objects.filter(source=RecordSource.ROSTER_ROW, dni=TYPED_WRONG).exists()
    assert split_suspects_queue([person.pk]) == []


def test_a_second_document_from_a_roster_is_still_a_split_suspect() -> None:
    person = _person_from_a_roster(TYPED_WRONG)
    other = SourceRecordFactory(person=person, enrollment=EnrollmentFactory(person=person))
    identity_record_of_row(
        person=person,
        source=RecordSource.ROSTER_ROW,
        row=other,
        given_names="Rosa",
        paternal_surname="Chuquimamani",
        dni=CORRECT,
        document_type="dni",
        document_number=CORRECT,
    )
    [suspect] = split_suspects_queue([person.pk])
    assert suspect.dnis == sorted([TYPED_WRONG, CORRECT])


def test_a_roster_bringing_the_corrected_value_back_counts_again(client: Client, role_user) -> None:  # type: ignore[no-untyped-def]
    """The correction covers the records before it; a later roster with the old DNI is new
    evidence only if the administrator did not correct it: here the person's DNI is
    corrected back, so the old value is the person's own again and nothing conflicts."""
    person = _person_from_a_roster(TYPED_WRONG)
    client.force_login(role_user("admin"))
    url = reverse("admin:participants_person_change", args=[person.pk])
    client.post(url, _change(person, document_number=CORRECT))
    person.refresh_from_db()
    client.post(url, _change(person, document_number=TYPED_WRONG))
    person.refresh_from_db()
    assert person.document_number == TYPED_WRONG
    # CORRECT is now the replaced value; TYPED_WRONG is the current one: one DNI remains.
    assert split_suspects_queue([person.pk]) == []
