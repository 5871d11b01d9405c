"""Access, rectification and cancellation of one person's data."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError

from accounts.access.rows import persons_visible_to
from assessments.models import Score
from audit.models import AuditAction, AuditEvent
from audit.services import audit_record
from courses.models import Enrollment, SourceRecord
from data_requests.access import person_data_export
from data_requests.cancellation import CANCELLED_NAME, person_cancel
from data_requests.common import DataRequestError
from data_requests.rectification import person_rectify
from data_requests.redaction import REDACTED
from participants.models import MergeRecord, PersonStatus, Sex
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


# --- access -------------------------------------------------------------------------------


def test_export_holds_everything_about_the_person(subject, admin_user) -> None:  # type: ignore[no-untyped-def]
    audit_record(actor=admin_user, action=AuditAction.PERSON_VIEW, obj=subject)
    data = person_data_export(person=subject, actor=admin_user)
    assert data["person"]["code"] == subject.code
    assert data["person"]["document_number"] == "43218765"
    assert data["person"]["birth_date"] == "1988-03-14"
    assert len(data["enrollments"]) == 2
    assert {e["institution_as_written"] for e in data["enrollments"]} == {"", "Fiscalía"}
    assert len(data["scores"]) == 1
    assert data["source_records"][0]["cells"]["N° DNI"] == "43218765"
    assert data["consents"][0]["text_version"] == "2026-11-v1"
    assert [e["action"] for e in data["audit_events"]] == [AuditAction.PERSON_VIEW]
    json.dumps(data)  # a JSON document as it is


def test_export_is_audited_without_personal_data(subject, admin_user) -> None:  # type: ignore[no-untyped-def]
    person_data_export(person=subject, actor=admin_user)
    event = AuditEvent.objects.get(action=AuditAction.DSR_ACCESS)
    assert event.object_code == subject.code
    assert event.details["sections"]["enrollments"] == 2
    assert "Ccahuana" not in json.dumps(event.details)


def test_export_includes_persons_merged_into_them(subject, admin_user) -> None:  # type: ignore[no-untyped-def]
    tombstone = PersonFactory(status=PersonStatus.MERGED, merged_into=subject, document_number="")
    data = person_data_export(person=subject, actor=admin_user)
    assert [p["code"] for p in data["merged_records"]] == [tombstone.code]


# --- rectification ------------------------------------------------------------------------


def test_rectify_records_which_fields_changed_not_the_values(subject, admin_user) -> None:  # type: ignore[no-untyped-def]
    person_rectify(
        person=subject,
        changes={"maternal_surname": "PARIONA DE LA CRUZ", "document_number": "43218766"},
        actor=admin_user,
        reason="Solicitud 12-2026",
    )
    subject.refresh_from_db()
    assert subject.maternal_surname == "Pariona de la Cruz"
    assert subject.document_number == "43218766"
    event = AuditEvent.objects.get(action=AuditAction.DSR_RECTIFY)
    # The audit log outlives a cancellation: it never receives the values.
    assert event.details == {
        "fields": ["document_number", "maternal_surname"],
        "reason": "Solicitud 12-2026",
    }


def test_rectify_refreshes_the_phonetic_keys(subject, admin_user) -> None:  # type: ignore[no-untyped-def]
    person_rectify(
        person=subject, changes={"paternal_surname": "Cahuana"}, actor=admin_user, reason="r"
    )
    subject.refresh_from_db()
    assert subject.paternal_key == "KAWANA"


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"email": "nuevo@example.org"}, "  "),
        ({"code": "PE-00000000"}, "r"),
        ({"status": "cancelled"}, "r"),
        ({"document_number": "123"}, "r"),
        ({"email": "marisol@example.org"}, "r"),  # nothing changes
    ],
)
def test_rectify_refuses_bad_requests_and_writes_nothing(
    subject, admin_user, changes, reason
) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError):
        person_rectify(person=subject, changes=changes, actor=admin_user, reason=reason)
    subject.refresh_from_db()
    assert subject.document_number == "43218765"
    assert subject.email == "marisol@example.org"
    assert not AuditEvent.objects.filter(action=AuditAction.DSR_RECTIFY).exists()


def test_rectify_refuses_a_dni_held_by_another_person(subject, admin_user) -> None:  # type: ignore[no-untyped-def]
    PersonFactory(document_number="40000001")
    with pytest.raises(ValidationError):
        person_rectify(
            person=subject, changes={"document_number": "40000001"}, actor=admin_user, reason="r"
        )


# --- cancellation -------------------------------------------------------------------------


def test_cancel_anonymises_the_person_and_keeps_participations(subject, admin_user) -> None:  # type: ignore[no-untyped-def]
    report = person_cancel(person=subject, actor=admin_user, reason="Solicitud 13-2026")
    subject.refresh_from_db()
    assert subject.status == PersonStatus.CANCELLED
    assert (subject.given_names, subject.paternal_surname) == (CANCELLED_NAME, CANCELLED_NAME)
    assert subject.maternal_surname == subject.document_number == subject.email == ""
    assert subject.phone == ""
    assert subject.birth_date is None
    assert subject.sex == Sex.NOT_RECORDED
    assert subject.paternal_key == subject.given_key == ""
    # Participations stay for the anonymised totals.
    assert Enrollment.objects.filter(person=subject).count() == 2
    assert Score.objects.filter(enrollment__person=subject).count() == 1
    assert report.persons == 1
    assert report.source_records == 1


def test_cancel_redacts_the_roster_row_but_keeps_it(subject, admin_user) -> None:  # type: ignore[no-untyped-def]
    person_cancel(person=subject, actor=admin_user, reason="r")
    record = SourceRecord.objects.get(person=subject)
    assert record.raw == {
        "Apellidos y nombres": REDACTED,
        "N° DNI": REDACTED,
        "Institución": "Ministerio Público",
        "Observaciones": REDACTED,
        "Nota": "12",
    }
    assert "43218765" not in json.dumps(record.problems)


def test_cancel_redacts_merge_snapshots_and_tombstones(subject, admin_user) -> None:  # type: ignore[no-untyped-def]
    tombstone = PersonFactory(
        given_names="Marisol",
        paternal_surname="Cahuana",
        status=PersonStatus.MERGED,
        merged_into=subject,
        document_number="",
    )
    MergeRecord.objects.create(
        survivor=subject,
        merged=tombstone,
        rule="test",
        before_state={
            "survivor": {"given_names": "Marisol", "document_number": "43218765"},
            "merged": {"paternal_surname": "Cahuana", "id": tombstone.pk},
        },
    )
    person_cancel(person=subject, actor=admin_user, reason="r")
    tombstone.refresh_from_db()
    assert tombstone.status == PersonStatus.MERGED
    assert tombstone.paternal_surname == CANCELLED_NAME
    state = MergeRecord.objects.get().before_state
    assert state["survivor"]["document_number"] == REDACTED
    assert state["merged"] == {"paternal_surname": REDACTED, "id": tombstone.pk}


def test_cancelled_person_vanishes_from_listings_and_matching(
    subject, admin_user, role_user
) -> None:  # type: ignore[no-untyped-def]
    from intake.registration.matching.live_hint import registration_candidates

    school = subject.enrollments.first().cohort.school
    staff = role_user("school", school=school)
    assert subject in persons_visible_to(staff)
    person_cancel(person=subject, actor=admin_user, reason="r")
    assert subject not in persons_visible_to(staff)
    found = registration_candidates(
        user=staff, given_names="Marisol", paternal_surname="Ccahuana", dni="43218765"
    )
    assert found.visible == ()
    assert not found.registered_elsewhere


def test_cancel_is_audited_without_personal_data(subject, admin_user) -> None:  # type: ignore[no-untyped-def]
    person_cancel(person=subject, actor=admin_user, reason="Solicitud 13-2026")
    event = AuditEvent.objects.get(action=AuditAction.DSR_CANCEL)
    assert event.object_code == subject.code
    assert event.details["reason"] == "Solicitud 13-2026"
    text = json.dumps(event.details)
    assert "Ccahuana" not in text
    assert "43218765" not in text


def test_cancel_twice_or_without_reason_is_refused(subject, admin_user) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError):
        person_cancel(person=subject, actor=admin_user, reason="")
    subject.refresh_from_db()
    assert subject.status == PersonStatus.ACTIVE
    person_cancel(person=subject, actor=admin_user, reason="r")
    with pytest.raises(DataRequestError):
        person_cancel(person=subject, actor=admin_user, reason="r")
    assert AuditEvent.objects.filter(action=AuditAction.DSR_CANCEL).count() == 1


def test_the_dni_is_free_again_after_cancellation(subject, admin_user) -> None:  # type: ignore[no-untyped-def]
    person_cancel(person=subject, actor=admin_user, reason="r")
    again = PersonFactory(document_number="43218765")
    assert again.status == PersonStatus.ACTIVE
