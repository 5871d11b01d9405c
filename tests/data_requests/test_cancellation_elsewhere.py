"""Cancellation reaches the person's data that is not linked to them, and only theirs."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from audit.models import AuditAction, AuditEvent
from courses.models import RowOutcome, SourceRecord
from data_requests.cancellation import person_cancel
from data_requests.prefilter import mention_patterns
from data_requests.redaction import REDACTED
from data_requests.traces import traces_of
from participants.models import PersonStatus
from tests.factories import EnrollmentFactory, PersonFactory, SourceRecordFactory

pytestmark = pytest.mark.django_db


def _rejected(batch, row_number: int, raw: dict[str, str]) -> SourceRecord:  # type: ignore[no-untyped-def]
    return SourceRecordFactory(
        batch=batch, row_number=row_number, raw=raw, person=None, outcome=RowOutcome.REJECTED
    )


def test_a_rejected_row_found_by_dni_loses_every_personal_cell(subject, admin_user) -> None:  # type: ignore[no-untyped-def]
    row = _rejected(
        SourceRecordFactory().batch,
        7,
        # Her DNI under someone else's name: a mixed row loses its whole personal part.
        {"Nombres": "Teodoro", "DNI": "43218765", "Cargo": "Asistente", "Nota": "12"},
    )
    person_cancel(person=subject, actor=admin_user, reason="Solicitud 1")
    row.refresh_from_db()
    assert row.raw == {"Nombres": REDACTED, "DNI": REDACTED, "Cargo": "Asistente", "Nota": "12"}


def test_other_peoples_rejected_rows_keep_a_shared_surname(subject, admin_user) -> None:  # type: ignore[no-untyped-def]
    own = subject.source_records.get()
    other = {
        "Apellidos y nombres": "CCAHUANA QUISPE, ROSA",
        "N° DNI": "40000011",
        "Observaciones": "Reemplaza a Marisol Ccahuana Pariona",
    }
    own.batch.rejected_rows = [{"row": 9, "reason": "sin DNI", "problems": [], "raw": other}]
    own.batch.save()
    elsewhere = _rejected(own.batch, 9, other)

    person_cancel(person=subject, actor=admin_user, reason="Solicitud 1")

    own.batch.refresh_from_db()
    elsewhere.refresh_from_db()
    kept = {**other, "Observaciones": REDACTED}
    assert own.batch.rejected_rows[0]["raw"] == kept
    assert elsewhere.raw == kept


def test_the_spelling_on_an_enrollment_loses_her_name(subject, admin_user) -> None:  # type: ignore[no-untyped-def]
    enrollment = subject.enrollments.get(institution_text="Fiscalía")
    enrollment.institution_text = "Fiscalía - encargada M. Ccahuana"
    enrollment.save()
    person_cancel(person=subject, actor=admin_user, reason="Solicitud 1")
    enrollment.refresh_from_db()
    assert enrollment.institution_text == ""


def test_a_reason_that_names_the_person_is_refused(subject, admin_user) -> None:  # type: ignore[no-untyped-def]
    for reason in ("Pedido de Marisol Ccahuana", "DNI 43218765", "marisol@example.org"):
        with pytest.raises(ValidationError):
            person_cancel(person=subject, actor=admin_user, reason=reason)
    subject.refresh_from_db()
    assert subject.status == PersonStatus.ACTIVE
    assert not AuditEvent.objects.filter(action=AuditAction.DSR_CANCEL).exists()


def test_export_participations_leaves_out_a_cancelled_person(subject, admin_user, tmp_path) -> None:  # type: ignore[no-untyped-def]
    other = PersonFactory()
    SourceRecordFactory(person=other, enrollment=EnrollmentFactory(person=other))
    person_cancel(person=subject, actor=admin_user, reason="Solicitud 1")
    call_command("export_participations", output=str(tmp_path / "p.csv"))
    text = (tmp_path / "p.csv").read_text(encoding="utf-8-sig")
    assert subject.code not in text
    assert other.code in text


def test_a_complete_name_needs_the_maternal_surname_when_one_is_known(subject) -> None:  # type: ignore[no-untyped-def]
    traces = traces_of([subject])
    assert traces.names_them("PARIONA CCAHUANA, Marisol")
    assert traces.names_them("llamar al 956-123-456")
    assert not traces.names_them("Marisol Ccahuana Quispe")
    assert not traces.names_them("Ccahuana")
    assert traces.may_name_them("Marisol Ccahuana")


def test_rows_written_with_accents_or_separators_are_found(subject, admin_user) -> None:  # type: ignore[no-untyped-def]
    batch = SourceRecordFactory().batch
    by_name = _rejected(batch, 3, {"Participante": "PARIÓNA CCAHUANA, MARÍSOL", "Nota": "9"})
    by_phone = _rejected(
        batch, 4, {"Nombre": "Teodoro Quispe", "Observaciones": "hermana: cel. 956-123-456"}
    )
    person_cancel(person=subject, actor=admin_user, reason="Solicitud 1")
    by_name.refresh_from_db()
    by_phone.refresh_from_db()
    assert by_name.raw == {"Participante": REDACTED, "Nota": "9"}
    assert by_phone.raw == {"Nombre": "Teodoro Quispe", "Observaciones": REDACTED}


def test_the_database_pass_lets_through_what_the_exact_check_accepts(subject) -> None:  # type: ignore[no-untyped-def]
    traces = traces_of([subject])
    mentions = mention_patterns(traces)
    assert mentions is not None
    for text in (
        "PARIONA CCAHUANA, Marisol",
        "Marisól Ccahuána Pariona",
        "llamar al 956.123.456",
        "DNI 43 218 765",
        "MARISOL@EXAMPLE.ORG",
    ):
        assert traces.names_them(text)
        assert mentions.search(json.dumps({"c": text}))  # as SQLite stores JSON
        assert mentions.search(json.dumps({"c": text}, ensure_ascii=False))  # as PostgreSQL
    assert not mentions.search(json.dumps({"c": "Rosa Ccahuana Quispe", "dni": "40000011"}))
