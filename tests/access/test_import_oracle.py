"""A school's roster preview is no DNI oracle: a file of invented names and guessed DNIs reads
the same whether a DNI is registered or not, and every preview is counted and audited."""

from __future__ import annotations

import pytest

from audit.models import AuditAction, AuditEvent
from intake.roster_import import RosterFileError, roster_import
from tests.factories import CohortFactory, EnrollmentFactory, PersonFactory, SchoolFactory
from tests.roster_import.files import csv_bytes

pytestmark = pytest.mark.django_db

REGISTERED_DNI = "41234567"
UNKNOWN_DNI = "49876543"
EMAIL_HEADER = ["N°", "Apellido paterno", "Apellido materno", "Nombres", "DNI", "Sexo", "Correo"]


@pytest.fixture
def world(role_user):  # type: ignore[no-untyped-def]
    school_a, school_b = SchoolFactory(acronym="ESA"), SchoolFactory(acronym="ESB")
    bruno = PersonFactory(
        given_names="Bruno",
        paternal_surname="Bustamante",
        maternal_surname="Zevallos",
        document_number=REGISTERED_DNI,
        email="bruno.bustamante@example.org",
    )
    EnrollmentFactory(person=bruno, cohort=CohortFactory(school=school_b))
    return {
        "cohort_a": CohortFactory(school=school_a),
        "bruno": bruno,
        "staff_a": role_user("school", school=school_a),
    }


def _preview(world, rows, header=None):  # type: ignore[no-untyped-def]
    data = csv_bytes(rows, header=header) if header else csv_bytes(rows)
    return roster_import(
        file=data, file_name="l.csv", cohort=world["cohort_a"], actor=world["staff_a"], dry_run=True
    )


def _row(dni: str) -> list[object]:
    return [1, "Inventado", "Pérez", "Zacarías", dni, "M", "", "", "", "", "", ""]


def test_a_registered_dni_under_invented_names_reads_as_an_unknown_one(world) -> None:  # type: ignore[no-untyped-def]
    registered = _preview(world, [_row(REGISTERED_DNI)]).rows[0]
    unknown = _preview(world, [_row(UNKNOWN_DNI)]).rows[0]
    assert (registered.outcome, registered.reason, registered.person_code) == (
        unknown.outcome,
        unknown.reason,
        unknown.person_code,
    )
    assert "figura" not in registered.reason


def test_a_link_by_another_schools_email_names_no_field(world) -> None:  # type: ignore[no-untyped-def]
    bruno = world["bruno"]
    rows = [[1, "Bustamante", "Zevallos", "Bruno", "", "M", bruno.email]]
    row = _preview(world, rows, header=EMAIL_HEADER).rows[0]
    assert row.outcome == "linked"
    assert "correo" not in row.reason
    assert "p=" not in row.reason
    assert bruno.code not in row.reason


def test_a_preview_is_audited_as_a_person_lookup(world) -> None:  # type: ignore[no-untyped-def]
    _preview(world, [_row(REGISTERED_DNI)])
    event = AuditEvent.objects.get(action=AuditAction.PERSON_LOOKUP, actor=world["staff_a"])
    assert event.details["source"] == "roster_preview"
    assert event.details["matched"] == [world["bruno"].code]
    assert event.details["counts"] == {"review": 1}
    assert REGISTERED_DNI not in str(event.details)
    assert "Inventado" not in str(event.details)


def test_previews_past_the_hourly_budget_are_refused(world, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SCHOOL_LOOKUP_LIMITS = {**settings.SCHOOL_LOOKUP_LIMITS, "roster_preview": 1}
    _preview(world, [_row(UNKNOWN_DNI)])
    with pytest.raises(RosterFileError, match=r"l\.csv: .*límite de consultas"):
        _preview(world, [_row(REGISTERED_DNI)])
    assert AuditEvent.objects.filter(action=AuditAction.PERSON_LOOKUP).count() == 1
