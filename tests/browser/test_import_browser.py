"""An administrator uploads a roster in the cohort's admin page, reads the preview, confirms.

Uses the `browser`/`page` fixtures of tests/browser/conftest.py (Playwright driving Debian's
Chromium) and signs in through the admin's own login form.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from accounts.roles import ADMINISTRATOR, SCHOOL_STAFF, user_grant_role
from courses.models import Enrollment, ImportBatch
from participants.models import DuplicateCandidate, Person
from tests.factories import (
    CohortFactory,
    EnrollmentFactory,
    PersonFactory,
    SchoolFactory,
    UserFactory,
)
from tests.roster_import.files import csv_bytes

pytestmark = [
    pytest.mark.browser,
    # serialized_rollback puts back the reference data the flush after this test removes.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PASSWORD = "correct-horse-battery-staple"

ROWS = [
    # The DNI of a person already in the registry: linked, not created again.
    [1, "Huamán", "Rojas", "Lucía", "47100011", "F", "PNP", "Comisario", "Cusco", "", 12, 18],
    # An institution nobody has mapped yet: imported, its text kept and flagged.
    [2, "Ccori", "Apaza", "Wilber", "47100012", "M", "Gobernación de Urubamba", "", "", "", 9, 15],
]


def test_administrator_previews_and_confirms_a_roster(
    live_server: Any, page: Any, tmp_path: Path
) -> None:
    cohort = CohortFactory(label="2026-URUBAMBA")
    lucia = PersonFactory(
        given_names="Lucía",
        paternal_surname="Huamán",
        maternal_surname="Rojas",
        document_number="47100011",
    )
    EnrollmentFactory(person=lucia)
    admin = UserFactory(username="administradora")
    user_grant_role(user=admin, role=ADMINISTRATOR)
    roster = tmp_path / "lista-urubamba.csv"
    roster.write_bytes(csv_bytes(ROWS))
    persons_before = Person.objects.count()

    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", "administradora")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")

    page.goto(f"{live_server.url}/admin/courses/cohort/{cohort.pk}/change/")
    page.click("text=Importar lista")
    page.wait_for_url(f"{live_server.url}/admin/courses/cohort/{cohort.pk}/import-roster/")
    page.set_input_files("#id_file", str(roster))
    page.click("input[type=submit][value='Vista previa']")
    page.wait_for_selector("#roster-rows")

    assert "Vista previa" in page.locator("h2").first.inner_text()
    # The rows come grouped by outcome: the linked row first, the new one in its own group.
    rows = page.locator("#roster-rows tbody tr")
    assert rows.count() == 1
    linked = rows.nth(0).inner_text()
    assert "Vinculada a una persona existente" in linked
    assert lucia.code in linked
    page.click("#roster-groups >> text=Persona nueva")
    page.wait_for_selector("#roster-rows tr.outcome-new")
    new = page.locator("#roster-rows tbody tr").nth(0).inner_text()
    assert "Persona nueva" in new
    assert "Gobernación de Urubamba" in new
    assert "no está en el vocabulario" in new
    totals = page.locator("#roster-totals tbody").inner_text()
    assert "Persona nueva\t1" in totals
    assert "Vinculada a una persona existente\t1" in totals
    # Nothing is written before the confirmation.
    assert Person.objects.count() == persons_before
    assert not ImportBatch.objects.filter(cohort=cohort).exists()
    page.screenshot(path=str(tmp_path / "import-preview.png"), full_page=True)

    page.click("input[type=submit][name=confirm]")
    page.wait_for_selector(".messagelist .success")
    message = page.locator(".messagelist .success").text_content()
    assert "lista-urubamba.csv: importado" in message.lower()
    assert "Resultado" in page.locator("h2").first.inner_text()

    batch = ImportBatch.objects.get(cohort=cohort)
    assert (batch.rows_total, batch.rows_new, batch.rows_linked) == (2, 1, 1)
    assert batch.imported_by == admin
    assert Person.objects.count() == persons_before + 1
    wilber = Person.objects.get(document_number="47100012")
    assert Enrollment.objects.filter(cohort=cohort, person__in=[lucia, wilber]).count() == 2
    enrollment = Enrollment.objects.get(cohort=cohort, person=wilber)
    assert enrollment.institution is None
    assert enrollment.institution_text == "Gobernación de Urubamba"


def _roster_with_outliers(count: int) -> list[list[object]]:
    """`count` new participants on 0-20, one post-test of 21 (row 6), one row without names."""
    given = ["Ana", "Luis", "Rosa", "Pedro", "Elena", "Jorge", "Marta", "Raúl", "Sonia", "Iván"]
    surnames = ["Quispe", "Mamani", "Flores", "Huamán", "Rojas", "Torres", "Vargas", "Castro"]
    rows: list[list[object]] = [
        [
            number,
            f"{surnames[number % 8]}{'abcdefghijklmnopqrstuvwxyz'[number % 26]}",
            surnames[(number // 8) % 8],
            f"{given[number % 10]} {given[(number // 10) % 10]}",
            f"{43000000 + number}",
            "F" if number % 2 else "M",
            "PNP",
            "",
            "Cusco",
            "",
            10 + number % 5,
            21 if number == 5 else 15 + number % 5,
        ]
        for number in range(1, count + 1)
    ]
    rows.append([count + 1, "", "", "", "43999999", "F", "", "", "", "", "", ""])
    return rows


def test_a_large_preview_is_summary_first_and_paged(
    live_server: Any, page: Any, tmp_path: Path
) -> None:
    cohort = CohortFactory(label="2026-CUSCO-02")
    admin = UserFactory(username="administradora")
    user_grant_role(user=admin, role=ADMINISTRATOR)
    roster = tmp_path / "lista-cusco.csv"
    roster.write_bytes(csv_bytes(_roster_with_outliers(150)))

    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", "administradora")
    page.fill("#id_password", PASSWORD)
    page.click("[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    page.goto(f"{live_server.url}/admin/courses/cohort/{cohort.pk}/import-roster/")
    page.set_input_files("#id_file", str(roster))
    page.click("input[type=submit][value='Vista previa']")
    page.wait_for_selector("#roster-rows")

    # The summary and the scale decision are on the first screen, above the rows.
    summary = page.locator("#roster-summary-section")
    assert summary.bounding_box()["y"] < page.locator("#roster-rows").bounding_box()["y"]
    assert summary.bounding_box()["y"] < 900
    scales = page.locator("#roster-scales").inner_text()
    assert "Escala del post-test: 0-20 (inferida de las notas, confirme)" in scales
    assert "1 nota mayor que la escala no se guarda (fila 6)" in scales
    totals = page.locator("#roster-totals tbody").inner_text()
    assert "Persona nueva\t150" in totals
    assert "Rechazada\t1" in totals
    # A rejected row: the whole file cannot be confirmed, its valid rows can.
    assert page.locator("text=Confirmar importación").count() == 0
    assert page.locator("#roster-not-imported").count() == 0
    assert page.locator("input[name=valid_only]").is_visible()
    # The rejected row comes first, alone in its group.
    assert page.locator("#roster-rows tbody tr").count() == 1
    assert "fila sin nombre ni apellidos" in page.locator("#roster-rows").inner_text()

    page.click("#roster-groups >> text=Persona nueva")
    page.wait_for_selector("#roster-rows tr.outcome-new")
    assert page.locator("#roster-rows tbody tr").count() == 100
    outlier = page.locator("#roster-rows tbody tr").nth(4).inner_text()
    assert "43000005" in outlier
    assert "nota 21 mayor que la escala 0-20 (inferida de las notas); no se guarda" in outlier
    page.click("#roster-pages >> text=Siguiente")
    page.wait_for_selector("text=Persona nueva: filas 101 a 150 de 150")
    assert page.locator("#roster-rows tbody tr").count() == 50
    assert "Página 2 de 2" in page.locator("#roster-pages").inner_text()
    page.screenshot(path=str(tmp_path / "import-preview-paged.png"), full_page=True)
    assert not ImportBatch.objects.filter(cohort=cohort).exists()


def test_school_staff_import_their_cohorts_valid_rows_from_its_page(
    live_server: Any, page: Any, tmp_path: Path
) -> None:
    """From the school's cohort page: "Importar lista", the preview, "Importar solo las filas
    válidas", and a result that says what was done and who reviews the possible duplicate."""
    school = SchoolFactory(acronym="ESA")
    earlier = CohortFactory(school=school, label="2025-CUSCO")
    cohort = CohortFactory(school=school, label="2026-CUSCO")
    rosa = PersonFactory(
        given_names="Rosa",
        paternal_surname="Quispe",
        maternal_surname="Luna",
        document_number="41000001",
    )
    EnrollmentFactory(person=rosa, cohort=earlier)
    user = UserFactory(username="secretaria")
    user_grant_role(user=user, role=SCHOOL_STAFF, school=school)
    roster = tmp_path / "lista-esa.csv"
    roster.write_bytes(
        csv_bytes(
            [
                # Rosa's DNI under other names: a possible duplicate for the administrators.
                [1, "Quispe", "Rojas", "Marisol", "41000001", "F", "PNP", "", "Cusco", "", 12, 18],
                [2, "Flores", "Apaza", "Wilber", "41000004", "M", "PNP", "", "Cusco", "", 9, 14],
                [3, "", "", "", "41000005", "F", "", "", "", "", "", ""],  # no names: rejected
            ]
        )
    )

    page.goto(f"{live_server.url}/admin/login/?next=/schools/cohorts/{cohort.pk}/")
    page.fill("#id_username", "secretaria")
    page.fill("#id_password", PASSWORD)
    page.click("[type=submit]")
    page.wait_for_url(f"{live_server.url}/schools/cohorts/{cohort.pk}/")
    assert page.locator("a.button", has_text="Registrar participante").is_visible()
    page.click("a.button:has-text('Importar lista')")
    page.wait_for_url(f"{live_server.url}/schools/cohorts/{cohort.pk}/import/")
    page.set_input_files("#id_file", str(roster))
    page.click("input[type=submit][value='Vista previa']")
    page.wait_for_selector("#roster-rows")

    assert "Vista previa: lista-esa.csv" in page.locator("h2").first.inner_text()
    assert "La fila rechazada no se importará" in page.locator("#roster-valid-only").inner_text()
    assert page.locator("text=Confirmar importación").count() == 0
    assert not ImportBatch.objects.filter(cohort=cohort).exists()
    page.screenshot(path=str(tmp_path / "school-import-preview.png"), full_page=True)

    page.click("input[type=submit][name=valid_only]")
    page.wait_for_selector("#roster-duplicates")
    assert "Resultado: lista-esa.csv" in page.locator("h2").first.inner_text()
    assert "importadas las filas válidas" in page.locator(".messages .success").inner_text()
    duplicates = page.locator("#roster-duplicates").inner_text()
    assert "1 fila quedó como posible duplicado" in duplicates
    assert "el administrador del registro la revisará" in duplicates
    # School staff do not review: no link to the queue.
    assert page.locator("#roster-duplicates a").count() == 0
    assert page.locator("#roster-confirm").count() == 0
    assert "confirme" not in page.locator("#roster-summary-section").inner_text()
    page.screenshot(path=str(tmp_path / "school-import-result.png"), full_page=True)

    batch = ImportBatch.objects.get(cohort=cohort)
    assert (batch.status, batch.imported_by, batch.rows_rejected) == ("partial", user, 1)
    assert Enrollment.objects.filter(cohort=cohort).count() == 2
    assert DuplicateCandidate.objects.filter(person_b__enrollments__cohort=cohort).count() == 1
    page.click("text=Volver a la cohorte")
    page.wait_for_url(f"{live_server.url}/schools/cohorts/{cohort.pk}/")
    assert "Participantes (2)" in page.locator("h2").first.inner_text()
