"""The roster import's person lookup, as school staff use it: nothing of other schools leaks.

School A's staff import a file naming Bruno, who trained only with school B. Whether the file
links him (same DNI and names) or not (same DNI, other names), the preview, the report and
the admin page show no code or name of his, and a DNI alone never attaches a stranger.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from courses.models import Enrollment, SourceRecord
from intake.roster_import import roster_import
from intake.roster_import.restricted_plan import HIDDEN_PERSON
from participants.models import DuplicateCandidate, IdentityRecord, Person
from tests.factories import CohortFactory, EnrollmentFactory, PersonFactory, SchoolFactory
from tests.roster_import.files import csv_bytes

pytestmark = pytest.mark.django_db

BRUNO_DNI = "41234567"


def _row(number: int, paternal: str, maternal: str, given: str, dni: str) -> list[object]:
    return [number, paternal, maternal, given, dni, "M", "", "", "", "", "", ""]


@pytest.fixture
def world(role_user):  # type: ignore[no-untyped-def]
    school_a, school_b = SchoolFactory(acronym="ESA"), SchoolFactory(acronym="ESB")
    cohort_a = CohortFactory(school=school_a, label="2026-CUSCO")
    bruno = PersonFactory(
        given_names="Bruno",
        paternal_surname="Bustamante",
        maternal_surname="Zevallos",
        document_number=BRUNO_DNI,
    )
    EnrollmentFactory(person=bruno, cohort=CohortFactory(school=school_b, label="2025-PUNO"))
    # Carla already trained with school A: the school may see her code when it links to her.
    carla = PersonFactory(given_names="Carla", paternal_surname="Cárdenas", document_number="")
    EnrollmentFactory(person=carla, cohort=CohortFactory(school=school_a))
    return {
        "cohort_a": cohort_a,
        "bruno": bruno,
        "carla": carla,
        "staff_a": role_user("school", school=school_a),
        "admin": role_user("admin"),
    }


def _leaks(text: str, person: Person) -> list[str]:
    """Whatever of `person` that is not in the file the school typed shows in `text`."""
    return [
        value
        for value in (person.code, person.maternal_surname, "2025-PUNO", "ESB")
        if value and value in text
    ]


def test_same_dni_and_names_links_without_showing_the_code(world) -> None:  # type: ignore[no-untyped-def]
    data = csv_bytes([_row(1, "Bustamante", "", "Bruno", BRUNO_DNI)])
    preview = roster_import(
        file=data, file_name="l.csv", cohort=world["cohort_a"], actor=world["staff_a"], dry_run=True
    )
    assert [row.outcome for row in preview.rows] == ["linked"]
    assert preview.rows[0].person_code == HIDDEN_PERSON
    assert _leaks(preview.render_text(), world["bruno"]) == []

    report = roster_import(
        file=data, file_name="l.csv", cohort=world["cohort_a"], actor=world["staff_a"]
    )
    assert report.rows[0].person_code == HIDDEN_PERSON
    assert _leaks(report.render_text(), world["bruno"]) == []
    # Linked, not duplicated: the person is counted once.
    assert Person.objects.filter(document_number=BRUNO_DNI).count() == 1
    assert Enrollment.objects.filter(person=world["bruno"], cohort=world["cohort_a"]).exists()


def test_same_dni_other_names_becomes_a_review_pair_not_a_link(world) -> None:  # type: ignore[no-untyped-def]
    data = csv_bytes([_row(1, "Mendoza", "Ríos", "Pedro", BRUNO_DNI)])
    preview = roster_import(
        file=data, file_name="l.csv", cohort=world["cohort_a"], actor=world["staff_a"], dry_run=True
    )
    # The school reads a new person: that the DNI is registered under other names is unsaid.
    assert [row.outcome for row in preview.rows] == ["new"]
    assert _leaks(preview.render_text(), world["bruno"]) == []

    report = roster_import(
        file=data, file_name="l.csv", cohort=world["cohort_a"], actor=world["staff_a"]
    )
    assert [row.outcome for row in report.rows] == ["new"]
    assert _leaks(report.render_text(), world["bruno"]) == []
    pedro = Person.objects.get(paternal_surname="Mendoza")
    assert report.rows[0].person_code == pedro.code
    # The DNI stays with the registered person; the row keeps it in its source record.
    assert pedro.document_number == ""
    assert SourceRecord.objects.get(person=pedro).raw["DNI"] == BRUNO_DNI
    assert not Enrollment.objects.filter(person=world["bruno"], cohort=world["cohort_a"]).exists()
    assert Enrollment.objects.filter(person=pedro, cohort=world["cohort_a"]).exists()
    pair = DuplicateCandidate.objects.get()
    assert {pair.person_a, pair.person_b} == {pedro, world["bruno"]}
    assert pair.decision == "pending"


def test_a_repeat_of_a_mismatched_row_follows_the_new_person(world) -> None:  # type: ignore[no-untyped-def]
    rows = [_row(1, "Mendoza", "Ríos", "Pedro", BRUNO_DNI)] * 2
    report = roster_import(
        file=csv_bytes(rows), file_name="l.csv", cohort=world["cohort_a"], actor=world["staff_a"]
    )
    assert [row.outcome for row in report.rows] == ["new", "repeated"]
    assert _leaks(report.render_text(), world["bruno"]) == []
    pedro = Person.objects.get(paternal_surname="Mendoza")
    assert Enrollment.objects.filter(cohort=world["cohort_a"]).get().person == pedro


def test_a_person_the_school_already_sees_keeps_their_code(world) -> None:  # type: ignore[no-untyped-def]
    carla = world["carla"]
    carla.document_number = "45556667"
    carla.save()
    report = roster_import(
        file=csv_bytes([_row(1, "Cárdenas", "", "Carla", "45556667")]),
        file_name="l.csv",
        cohort=world["cohort_a"],
        actor=world["staff_a"],
        dry_run=True,
    )
    assert report.rows[0].outcome == "linked"
    assert report.rows[0].person_code == carla.code


def test_administrators_see_codes_and_dni_links_need_no_name_check(world) -> None:  # type: ignore[no-untyped-def]
    report = roster_import(
        file=csv_bytes([_row(1, "Mendoza", "Ríos", "Pedro", BRUNO_DNI)]),
        file_name="l.csv",
        cohort=world["cohort_a"],
        actor=world["admin"],
        dry_run=True,
    )
    assert report.rows[0].outcome == "linked"
    assert report.rows[0].person_code == world["bruno"].code


def test_admin_preview_and_result_pages_show_nothing_of_the_other_school(world) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(world["staff_a"])
    url = reverse("admin:courses_cohort_import_roster", args=[world["cohort_a"].pk])
    rows = [
        _row(2, "Bustamante", "", "Bruno", BRUNO_DNI),
        _row(3, "Huamán", "Rojas", "Lucía", "47100011"),
    ]
    upload = SimpleUploadedFile("lista.csv", csv_bytes(rows))
    preview = client.post(url, {"file": upload})
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "roster-rows" in html
    assert HIDDEN_PERSON in html
    assert _leaks(html, world["bruno"]) == []

    token = preview.context["confirm_form"].initial["token"]
    result = client.post(url, {"token": token, "confirm": "1"})
    assert result.status_code == 200
    html = result.content.decode()
    assert "importado" in html
    assert _leaks(html, world["bruno"]) == []
    assert Enrollment.objects.filter(cohort=world["cohort_a"]).count() == 2


EMAIL_HEADER = ["N°", "Apellido paterno", "Apellido materno", "Nombres", "DNI", "Sexo", "Correo"]


def test_a_repeat_carrying_the_dni_passes_the_same_name_check(world) -> None:  # type: ignore[no-untyped-def]
    # The first row copies Bruno's names and e-mail (no DNI); the second invents a name and
    # types his DNI. The second must not become one more identity record of Bruno's.
    bruno = world["bruno"]
    rows = [
        [1, "Bustamante", "Zevallos", "Bruno", "", "M", bruno.email],
        [2, "Inventado", "Pérez", "Zacarías", BRUNO_DNI, "M", ""],
    ]
    data = csv_bytes(rows, header=EMAIL_HEADER)
    preview = roster_import(
        file=data, file_name="l.csv", cohort=world["cohort_a"], actor=world["staff_a"], dry_run=True
    )
    assert [row.outcome for row in preview.rows] == ["linked", "new"]
    report = roster_import(
        file=data, file_name="l.csv", cohort=world["cohort_a"], actor=world["staff_a"]
    )
    assert [row.outcome for row in report.rows] == ["linked", "new"]
    assert _leaks(report.render_text(), bruno) == []
    assert not IdentityRecord.objects.filter(person=bruno, given_names__icontains="Zac").exists()
    zacarias = Person.objects.get(paternal_surname="Inventado")
    assert zacarias.document_number == ""
    pair = DuplicateCandidate.objects.get()
    assert {pair.person_a, pair.person_b} == {zacarias, bruno}
