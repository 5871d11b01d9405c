"""Filler DNIs stored before they were refused ("12345678", "00000000") are cleared.

Such a person cannot be saved in the admin (the form refuses the filler it shows), so the
clean-up clears the number on persons and identity records, audits codes and counts, never
the values, and leaves the roster rows as received.
"""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from participants.identity.placeholders import placeholder_documents_clear
from participants.models import IdentityRecord, Person, RecordSource
from tests.factories import PersonFactory, SourceRecordFactory, identity_record_of_row

pytestmark = pytest.mark.django_db


def _stored_with(number: str, **fields: object) -> Person:
    """A person whose document was written bypassing validation, as older code did."""
    person = PersonFactory(document_number="", **fields)
    Person.objects.filter(pk=person.pk).update(document_number=number)
    person.refresh_from_db()
    return person


def _record(person: Person, dni: str) -> IdentityRecord:
    return identity_record_of_row(
        person=person,
        source=RecordSource.ROSTER_ROW,
        row=SourceRecordFactory(person=person, raw={"DNI": dni}),
        given_names=person.given_names,
        paternal_surname=person.paternal_surname,
        dni=dni,
        document_type="dni",
        document_number=dni,
    )


def _admin_save(client, person: Person):  # type: ignore[no-untyped-def]
    """POST the person's change form as the page shows it."""
    url = reverse("admin:participants_person_change", args=[person.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    data = {
        name: (value if value is not None else "")
        for name, value in form.initial.items()
        if name in form.fields
    }
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        prefix = formset.formset.prefix
        data.update({f"{prefix}-{key}": value for key, value in management.initial.items()})
    return client.post(url, data)


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("clear_placeholder_documents", *args, stdout=out)
    return out.getvalue()


def test_a_person_stored_with_a_filler_dni_is_editable_after_the_clean_up(admin_client) -> None:  # type: ignore[no-untyped-def]
    person = _stored_with("12345678")
    refused = _admin_save(admin_client, person)
    assert refused.status_code == 200
    assert "document_number" in refused.context["adminform"].form.errors

    _run()

    person.refresh_from_db()
    assert person.document_number == ""
    saved = _admin_save(admin_client, person)
    assert saved.status_code == 302, saved.context["adminform"].form.errors


def test_persons_and_records_are_cleared_once_and_the_rows_stay_as_received() -> None:
    filler = _stored_with("12345678")
    zeros = _stored_with("00000000")
    real = PersonFactory(document_number="41234567")
    _record(filler, "12345678")
    on_real = _record(real, "11111111")
    kept = _record(real, "41234567")

    preview = _run("--dry-run")
    assert "[simulación]" in preview
    assert "2 personas" in preview
    assert Person.objects.get(pk=filler.pk).document_number == "12345678"
    assert not AuditEvent.objects.filter(action=AuditAction.MAINTENANCE).exists()

    output = _run()
    assert "2 personas" in output
    assert "2 registros de identidad" in output
    assert filler.code in output
    assert zeros.code in output
    assert "12345678" not in output

    for person in (filler, zeros):
        person.refresh_from_db()
        assert (person.document_type, person.document_number) == ("dni", "")
    real.refresh_from_db()
    assert real.document_number == "41234567"
    on_real.refresh_from_db()
    assert (on_real.dni, on_real.document_type, on_real.document_number) == ("", "", "")
    kept.refresh_from_db()
    assert kept.dni == "41234567"
    # The roster row keeps the cell as it was received.
    assert on_real.source_record.raw == {"DNI": "11111111"}

    events = AuditEvent.objects.count()
    again = _run()
    assert "nada que borrar" in again
    assert AuditEvent.objects.count() == events


def test_the_audit_log_names_codes_and_counts_never_the_numbers() -> None:
    filler = _stored_with("12345678")
    real = PersonFactory(document_number="41234567")
    _record(real, "87654321")

    report = placeholder_documents_clear(actor=None)

    assert report.persons == [filler.code]
    assert report.identity_records == 1
    summary = AuditEvent.objects.get(action=AuditAction.MAINTENANCE)
    assert summary.details["persons"] == [filler.code]
    assert summary.details["identity_records"] == 1
    edits = AuditEvent.objects.filter(action=AuditAction.PERSON_EDIT)
    assert sorted(edits.values_list("object_code", flat=True)) == sorted([filler.code, real.code])
    logged = json.dumps([event.details for event in AuditEvent.objects.all()])
    for number in ("12345678", "87654321", "41234567"):
        assert number not in logged
