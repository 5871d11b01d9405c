"""A roster's minors: flagged, and a child under 14 without a guardian's consent held."""

from __future__ import annotations

from datetime import date, datetime
from unittest import mock

import pytest
from django.utils import timezone

from accounts.consent import ROSTER_GUARDIAN_CONSENT_VERSION, guardian_consent_sha256
from accounts.models import GuardianConsent, GuardianConsentSource, GuardianRelationship
from audit.models import AuditAction, AuditEvent
from courses.minors import enrollment_minor_status
from courses.models import Enrollment, ImportBatch, SourceRecord
from intake.roster_import import report as outcomes
from intake.roster_import import roster_import
from intake.roster_import.headers import canonical_field
from participants.models import Person
from tests.factories import CohortFactory
from tests.roster_import.files import HEADER, ROWS, csv_bytes

pytestmark = pytest.mark.django_db

START = date(2026, 3, 2)
GUARDIAN = ["Apoderado", "Parentesco", "Consentimiento del apoderado"]


@pytest.fixture
def cohort():  # type: ignore[no-untyped-def]
    return CohortFactory(start_date=START)


def _roster(extra_header: list[str], extra: list[list[object]]) -> bytes:
    rows = [[*row, *cells] for row, cells in zip(ROWS, extra, strict=True)]
    return csv_bytes(rows, header=[*HEADER, *extra_header])


def _import(cohort, data: bytes, **options):  # type: ignore[no-untyped-def]
    return roster_import(file=data, file_name="lista.csv", cohort=cohort, **options)


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Edad", "age_stated"),
        ("Edad (años)", "age_stated"),
        ("Age", "age_stated"),
        ("Menor de edad", "minor_stated"),
        ("Apoderado", "guardian_name"),
        ("Nombre del apoderado", "guardian_name"),
        ("Padre, madre o apoderado", "guardian_name"),
        ("Parentesco", "guardian_relationship"),
        ("Consentimiento del apoderado", "guardian_consent"),
        ("Autoriza el apoderado", "guardian_consent"),
        ("Fecha del consentimiento", "guardian_consent_date"),
    ],
)
def test_headers_of_age_and_guardian_columns(header: str, field: str) -> None:
    assert canonical_field(header) == field


def test_a_13_year_old_without_guardian_consent_is_held_and_nothing_of_the_row_written(
    cohort,  # type: ignore[no-untyped-def]
) -> None:
    # Row 3 of the file (the second data row) is 13 at the cohort's start (2026-03-02).
    data = _roster(["Fecha de nacimiento"], [["15/05/1990"], ["03/03/2012"], ["01/01/1995"]])
    preview = _import(cohort, data, dry_run=True)
    held = next(row for row in preview.rows if row.row_number == 3)
    assert held.outcome == outcomes.REJECTED
    assert held.minor == "menor de 14 años"
    assert held.describe() == (
        "fila 3: rechazada (columna Fecha de nacimiento (M): menor de 14 años (13 al inicio "
        "del curso) sin consentimiento registrado de su madre, padre o apoderado (faltan las "
        "columnas «Apoderado», «Parentesco» y «Consentimiento del apoderado»); la fila no se "
        "importa)"
    )
    assert preview.preview_data()["rows"][1]["minor"] == "menor de 14 años"
    # Held like any rejected row: the file is refused unless the valid rows are asked for.
    assert preview.failed

    report = _import(cohort, data, commit_valid=True)
    assert report.status == outcomes.STATUS_PARTIAL
    assert report.counts[outcomes.NEW] == 2
    assert not Person.objects.filter(document_number="40000002").exists()
    assert not Person.objects.filter(paternal_surname="Flores").exists()
    batch = ImportBatch.objects.get(pk=report.batch_id)
    assert batch.rejected_rows == [{"row": 3, "reason": held.reason, "problems": [], "raw": {}}]
    assert sorted(
        SourceRecord.objects.filter(batch=batch).values_list("row_number", flat=True)
    ) == [
        2,
        4,
    ]
    assert "Flores" not in str(list(SourceRecord.objects.values_list("raw", flat=True)))
    assert not GuardianConsent.objects.exists()


def test_a_guardian_who_says_no_holds_the_row_with_that_reason(cohort) -> None:  # type: ignore[no-untyped-def]
    data = _roster(
        ["Edad", *GUARDIAN],
        [["", "", "", ""], ["12", "Rosa Díaz", "madre", "no"], ["", "", "", ""]],
    )
    held = _import(cohort, data, dry_run=True).rows[1]
    assert held.outcome == outcomes.REJECTED
    assert "menor de 14 años (12 al inicio del curso)" in held.reason
    assert "el consentimiento del apoderado dice «no»" in held.reason


def test_with_the_guardian_columns_the_child_is_imported_and_the_consent_written(
    cohort,  # type: ignore[no-untyped-def]
) -> None:
    data = _roster(
        ["Fecha de nacimiento", *GUARDIAN, "Fecha del consentimiento", "Acepta ser contactado"],
        [
            ["15/05/1990", "", "", "", "", ""],
            ["03/03/2012", "Rosa Díaz Huamán", "Madre", "sí", "20/02/2026", "sí"],
            ["01/01/1995", "", "", "", "", ""],
        ],
    )
    report = _import(cohort, data)
    assert report.status == outcomes.STATUS_COMMITTED
    child = Person.objects.get(document_number="40000002")
    consent = GuardianConsent.objects.get()
    assert consent.person == child
    assert consent.cohort == cohort
    assert consent.guardian_name == "Rosa Díaz Huamán"
    assert consent.guardian_relationship == GuardianRelationship.MOTHER
    assert consent.source == GuardianConsentSource.ROSTER
    assert consent.text_version == ROSTER_GUARDIAN_CONSENT_VERSION
    assert consent.text_sha256 == guardian_consent_sha256(ROSTER_GUARDIAN_CONSENT_VERSION)
    assert timezone.localtime(consent.given_at).date() == date(2026, 2, 20)
    assert consent.allows_follow_up is True
    assert consent.source_record == SourceRecord.objects.get(person=child)
    event = AuditEvent.objects.get(action=AuditAction.GUARDIAN_CONSENT)
    assert event.details["batch"] == report.batch_id
    assert event.details["consents"] == 1
    status = enrollment_minor_status(Enrollment.objects.get(person=child))
    assert (status.minor, status.under_14, status.age) == (True, True, 13)


def test_without_a_consent_date_the_consent_is_dated_at_the_import(cohort) -> None:  # type: ignore[no-untyped-def]
    data = _roster(
        ["Edad", *GUARDIAN],
        [["", "", "", ""], ["13", "Luis Díaz", "tío", "X"], ["", "", "", ""]],
    )
    report = _import(cohort, data)
    consent = GuardianConsent.objects.get()
    assert consent.given_at == ImportBatch.objects.get(pk=report.batch_id).created_at
    # A relative the list does not name is recorded as "other", and the row says so.
    assert consent.guardian_relationship == GuardianRelationship.OTHER
    assert consent.allows_follow_up is False
    assert any("parentesco 'tío'" in p.problem for p in report.rows[1].problems)


def test_a_15_year_old_is_flagged_not_held(cohort) -> None:  # type: ignore[no-untyped-def]
    data = _roster(["Fecha de nacimiento"], [["15/05/1990"], ["01/01/2011"], [""]])
    report = _import(cohort, data)
    assert report.status == outcomes.STATUS_COMMITTED
    row = report.rows[1]
    assert row.outcome == outcomes.NEW
    assert row.minor == "menor de edad"
    assert any(p.problem == "menor de edad (15 al inicio del curso)" for p in row.problems), (
        row.problems
    )
    assert report.rows[0].minor == ""
    assert not GuardianConsent.objects.exists()
    enrollment = Enrollment.objects.get(person__document_number="40000002")
    status = enrollment_minor_status(enrollment)
    assert (status.minor, status.under_14, status.age) == (True, False, 15)


def test_an_age_column_without_birth_date_is_kept_on_the_enrollment(cohort) -> None:  # type: ignore[no-untyped-def]
    data = _roster(["Edad (años)"], [["34"], ["16 años"], [""]])
    report = _import(cohort, data)
    assert report.status == outcomes.STATUS_COMMITTED
    assert report.rows[1].minor == "menor de edad"
    enrollment = Enrollment.objects.get(person__document_number="40000002")
    assert enrollment.age_stated == 16
    assert enrollment.person.birth_date is None
    assert enrollment_minor_status(enrollment).label == "menor de edad"
    adult = Enrollment.objects.get(person__document_number="40000001")
    assert adult.age_stated == 34
    assert not enrollment_minor_status(adult).minor
    # A birth date learnt later wins over the stated age.
    person = enrollment.person
    person.birth_date = date(2000, 1, 1)
    person.save()
    enrollment.refresh_from_db()
    assert not enrollment_minor_status(enrollment).minor


def test_a_stated_minority_without_an_age_is_flagged_and_not_held(cohort) -> None:  # type: ignore[no-untyped-def]
    data = _roster(["Menor de edad"], [["no"], ["sí"], [""]])
    report = _import(cohort, data)
    assert report.status == outcomes.STATUS_COMMITTED
    assert report.rows[1].minor == "menor de edad"
    assert any("indique la fecha de nacimiento" in p.problem for p in report.rows[1].problems)
    assert Enrollment.objects.get(person__document_number="40000002").minor_stated is True


def test_a_cohort_without_start_date_counts_the_age_at_the_import(db) -> None:  # type: ignore[no-untyped-def]
    cohort = CohortFactory(start_date=None)
    today = timezone.localdate()
    born = date(today.year - 13, 1, 1)
    data = _roster(["Fecha de nacimiento"], [[""], [born.strftime("%d/%m/%Y")], [""]])
    held = _import(cohort, data, dry_run=True).rows[1]
    assert held.outcome == outcomes.REJECTED
    assert "(13 a la fecha de la importación)" in held.reason


def test_the_guardian_consents_are_written_with_the_import_or_not_at_all(cohort) -> None:  # type: ignore[no-untyped-def]
    data = _roster(
        ["Edad", *GUARDIAN],
        [["", "", "", ""], ["13", "Rosa Díaz", "madre", "sí"], ["", "", "", ""]],
    )
    with (
        mock.patch(
            "intake.roster_import.committing.guardian_consents_from_roster",
            side_effect=RuntimeError("disk full"),
        ),
        pytest.raises(RuntimeError),
    ):
        _import(cohort, data)
    assert not Person.objects.exists()
    assert not Enrollment.objects.exists()
    assert not ImportBatch.objects.exists()
    assert not GuardianConsent.objects.exists()
    # The same file imports once the failure is gone.
    assert _import(cohort, data).status == outcomes.STATUS_COMMITTED
    assert GuardianConsent.objects.count() == 1


def test_an_adults_guardian_columns_record_nothing(cohort) -> None:  # type: ignore[no-untyped-def]
    data = _roster(
        ["Edad", *GUARDIAN],
        [["40", "Rosa Díaz", "madre", "sí"], ["", "", "", ""], ["", "", "", ""]],
    )
    report = _import(cohort, data)
    assert report.status == outcomes.STATUS_COMMITTED
    assert not GuardianConsent.objects.exists()
    assert any("mayor de edad" in p.problem for p in report.rows[0].problems)


def test_the_command_line_output_names_the_file_row_and_column(cohort) -> None:  # type: ignore[no-untyped-def]
    data = _roster(
        ["Fecha de nacimiento"], [[""], [datetime(2013, 1, 5).strftime("%d/%m/%Y")], [""]]
    )
    text = _import(cohort, data, dry_run=True).render_text()
    assert "lista.csv: no se importaría" in text
    assert "fila 3: rechazada (columna Fecha de nacimiento (M): menor de 14 años" in text
