"""A roster column that answers follow-up contact: recognised, read, recorded on commit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.consent import ROSTER_CONTACT_CONSENT_VERSION, contact_consent_sha256
from accounts.contact_consent import (
    contact_consent_record,
    contact_consent_withdraw,
    persons_consenting,
)
from accounts.models import ContactConsent, ContactConsentSource
from audit.models import AuditAction, AuditEvent
from courses.models import ImportBatch, SourceRecord
from intake.roster_import import roster_import
from intake.roster_import.headers import canonical_field
from intake.roster_import.values import parse_contact_consent
from participants.models import Person
from tests.factories import PersonFactory
from tests.roster_import.files import HEADER, ROWS, csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db


def _with_consent(answers: list[object], header: str = "Acepta ser contactado") -> bytes:
    rows = [[*row, answer] for row, answer in zip(ROWS, answers, strict=True)]
    return csv_bytes(rows, header=[*HEADER, header])


@pytest.mark.parametrize(
    "header",
    [
        "Acepta ser contactado",
        "ACEPTA SEGUIMIENTO",
        "Consentimiento de contacto",
        "¿Acepta ser contactado para encuestas de seguimiento?",
        "Consent to follow-up",
        "Consent to be contacted",
    ],
)
def test_the_column_is_recognised_by_its_spanish_and_english_headers(header: str) -> None:
    assert canonical_field(header) == "contact_consent"


def test_consent_to_data_processing_is_not_read_as_contact_consent() -> None:
    assert canonical_field("Acepto el tratamiento de mis datos personales") is None
    assert canonical_field("Consentimiento") is None


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("sí", True),
        ("Si", True),
        ("X", True),
        (1, True),
        ("true", True),
        ("Yes", True),
        ("Acepta", True),
        ("no", False),
        ("0", False),
        ("FALSE", False),
        ("No acepta", False),
        ("", None),
        (None, None),
    ],
)
def test_cell_values(cell: object, expected: bool | None) -> None:
    assert parse_contact_consent(cell) == (expected, "")


def test_preview_lists_the_column_as_read_and_writes_nothing(cohort) -> None:  # type: ignore[no-untyped-def]
    report = roster_import(
        file=_with_consent(["sí", "no", ""]), file_name="l.csv", cohort=cohort, dry_run=True
    )
    read = {item["column"]: item["label"] for item in report.columns["read"]}
    assert read["«Acepta ser contactado» (M)"] == "consentimiento de contacto para seguimiento"
    assert not report.columns["unread"]
    assert not ContactConsent.objects.exists()


def test_commit_records_a_grant_a_refusal_and_nothing_for_a_blank(cohort, admin_user) -> None:  # type: ignore[no-untyped-def]
    report = roster_import(
        file=_with_consent(["Sí", "No", ""]),
        file_name="l.csv",
        cohort=cohort,
        actor=admin_user,
    )
    assert report.status == "committed"
    batch = ImportBatch.objects.get()
    quispe = Person.objects.get(document_number="40000001")
    flores = Person.objects.get(document_number="40000002")
    nahui = Person.objects.get(document_number="40000003")
    grant = ContactConsent.objects.get(person=quispe)
    assert grant.granted
    assert grant.source == ContactConsentSource.ROSTER
    assert grant.source_record == SourceRecord.objects.get(person=quispe)
    assert grant.given_at == batch.created_at
    assert grant.text_version == ROSTER_CONTACT_CONSENT_VERSION
    assert grant.text_sha256 == contact_consent_sha256(ROSTER_CONTACT_CONSENT_VERSION)
    assert grant.recorded_by == admin_user
    refusal = ContactConsent.objects.get(person=flores)
    assert (refusal.granted, refusal.text_version) == (False, "")
    assert not ContactConsent.objects.filter(person=nahui).exists()
    assert persons_consenting([quispe.pk, flores.pk, nahui.pk]) == {quispe.pk}
    event = AuditEvent.objects.get(action=AuditAction.CONTACT_CONSENT)
    assert (event.details["batch"], event.details["granted"], event.details["refused"]) == (
        batch.pk,
        1,
        1,
    )


def test_an_xlsx_true_cell_grants(cohort) -> None:  # type: ignore[no-untyped-def]
    rows = [[*ROWS[0], True]]
    roster_import(
        file=xlsx_bytes(rows, header=[*HEADER, "Consent to follow-up"]),
        file_name="l.xlsx",
        cohort=cohort,
    )
    assert ContactConsent.objects.get().granted


def test_an_unreadable_value_is_a_row_problem_and_records_nothing(cohort) -> None:  # type: ignore[no-untyped-def]
    report = roster_import(
        file=_with_consent(["quizás", "sí", "no"]), file_name="l.csv", cohort=cohort
    )
    assert report.status == "committed"  # a flagged value does not stop the row
    assert (
        "l.csv, fila 2, columna Acepta ser contactado (M): consentimiento de contacto 'quizás' "
        "no reconocido (use Sí/No, X o 1/0); no se registra ninguna respuesta"
    ) in report.problem_lines()
    quispe = Person.objects.get(document_number="40000001")
    assert not ContactConsent.objects.filter(person=quispe).exists()
    assert ContactConsent.objects.count() == 2


def test_a_failure_while_writing_leaves_no_consent_behind(cohort, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from intake.roster_import import committing

    def explode(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk full")

    monkeypatch.setattr(committing, "identity_learned", explode)
    with pytest.raises(RuntimeError):
        roster_import(file=_with_consent(["sí", "sí", "no"]), file_name="l.csv", cohort=cohort)
    assert not ContactConsent.objects.exists()
    assert not Person.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.CONTACT_CONSENT).exists()


def test_a_failure_recording_consents_leaves_nothing_of_the_import(cohort, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def explode(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk full")

    monkeypatch.setattr(ContactConsent.objects, "bulk_create", explode)
    with pytest.raises(RuntimeError):
        roster_import(file=_with_consent(["sí", "sí", "no"]), file_name="l.csv", cohort=cohort)
    assert (Person.objects.count(), ImportBatch.objects.count(), SourceRecord.objects.count()) == (
        0,
        0,
        0,
    )


def test_a_rosters_grant_does_not_undo_a_later_withdrawal(cohort, admin_user) -> None:  # type: ignore[no-untyped-def]
    existing = PersonFactory(document_number="40000001")
    contact_consent_record(
        person=existing,
        granted=True,
        source=ContactConsentSource.ADMIN,
        given_at=timezone.now() - timedelta(days=30),
        actor=admin_user,
    )
    contact_consent_withdraw(person=existing, actor=admin_user, source=ContactConsentSource.ADMIN)
    roster_import(file=_with_consent(["sí", "sí", "sí"]), file_name="l.csv", cohort=cohort)
    assert existing.pk not in persons_consenting([existing.pk])
    assert not ContactConsent.objects.filter(person=existing, source="roster").exists()
    event = AuditEvent.objects.get(action=AuditAction.CONTACT_CONSENT, details__batch__isnull=False)
    assert event.details["kept_withdrawal"] == 1


def test_a_rosters_refusal_overrides_an_earlier_grant(cohort, admin_user) -> None:  # type: ignore[no-untyped-def]
    existing = PersonFactory(document_number="40000002")
    contact_consent_record(
        person=existing,
        granted=True,
        source=ContactConsentSource.ADMIN,
        given_at=timezone.now() - timedelta(days=30),
        actor=admin_user,
    )
    roster_import(file=_with_consent(["", "no", ""]), file_name="l.csv", cohort=cohort)
    assert persons_consenting([existing.pk]) == set()
