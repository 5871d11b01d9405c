"""The pages of suspected wrong links: list, split one DNI off, keep together, undo."""

from __future__ import annotations

import pytest
from django.urls import reverse

from courses.models import Enrollment
from participants.models import (
    Decision,
    IdentityRecord,
    MergeRecord,
    Person,
    PersonStatus,
    RecordSource,
    SplitCandidate,
)
from review.splits import split_suspects_queue
from tests.factories import (
    CohortFactory,
    EnrollmentFactory,
    PersonFactory,
    SourceRecordFactory,
    identity_record_of_row,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def suspect() -> SplitCandidate:
    person = PersonFactory(
        given_names="Rosa", paternal_surname="Chuquimamani", document_number="41234567"
    )
    for dni in ("41234567", "70011223"):
        enrollment = EnrollmentFactory(person=person, cohort=CohortFactory())
        row = SourceRecordFactory(person=person, enrollment=enrollment)
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
    [candidate] = split_suspects_queue([person.pk])
    return candidate


def test_the_list_and_the_person_page_show_the_records_by_dni(admin_client, suspect) -> None:  # type: ignore[no-untyped-def]
    listing = admin_client.get(reverse("review:splits")).content.decode()
    assert suspect.person.code in listing
    page = admin_client.get(reverse("review:split", args=[suspect.pk])).content.decode()
    assert "Registros con DNI 41234567" in page
    assert "Registros con DNI 70011223" in page


def test_a_split_moves_the_records_and_enrollments_and_can_be_undone(admin_client, suspect) -> None:  # type: ignore[no-untyped-def]
    url = reverse("review:split", args=[suspect.pk])
    response = admin_client.post(url, {"decision": "split", "dni": "70011223"})
    assert response.status_code == 302
    suspect.refresh_from_db()
    assert suspect.decision == Decision.DIFFERENT
    new_person = suspect.split_into
    assert new_person.document_number == "70011223"
    assert IdentityRecord.objects.filter(person=new_person, dni="70011223").count() == 1
    assert Enrollment.objects.filter(person=new_person).count() == 1
    assert Enrollment.objects.filter(person=suspect.person).count() == 1
    assert new_person.source_records.count() == 1

    admin_client.post(reverse("review:split_undo", args=[suspect.pk]))
    assert Person.objects.get(pk=new_person.pk).status == PersonStatus.MERGED
    assert Enrollment.objects.filter(person=suspect.person).count() == 2
    assert MergeRecord.objects.get().rule == "deshacer separación"


def test_keep_together_is_remembered(admin_client, suspect) -> None:  # type: ignore[no-untyped-def]
    admin_client.post(reverse("review:split", args=[suspect.pk]), {"decision": "keep"})
    suspect.refresh_from_db()
    assert suspect.decision == Decision.SAME
    assert split_suspects_queue([suspect.person_id]) == []


def test_school_staff_cannot_see_the_pages(client, suspect) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import UserFactory

    user = UserFactory(is_staff=True)
    client.force_login(user)
    assert client.get(reverse("review:splits")).status_code == 403
