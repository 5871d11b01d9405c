"""An administrator uploads a roster in the cohort's admin page, reads the preview, confirms.

Uses the `browser`/`page` fixtures of tests/browser/conftest.py (Playwright driving Debian's
Chromium) and signs in through the admin's own login form.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from accounts.roles import ADMINISTRATOR, user_grant_role
from courses.models import Enrollment
from participants.models import ImportBatch, Person
from tests.factories import CohortFactory, EnrollmentFactory, PersonFactory, UserFactory
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
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")

    page.goto(f"{live_server.url}/admin/courses/cohort/{cohort.pk}/change/")
    page.click("text=Importar lista")
    page.wait_for_url(f"{live_server.url}/admin/courses/cohort/{cohort.pk}/import-roster/")
    page.set_input_files("#id_file", str(roster))
    page.click("input[type=submit][value='Vista previa']")
    page.wait_for_selector("#roster-rows")

    assert "Vista previa" in page.locator("h2").first.inner_text()
    rows = page.locator("#roster-rows tbody tr")
    assert rows.count() == 2
    linked = rows.nth(0).inner_text()
    assert "Vinculada a una persona existente" in linked
    assert lucia.code in linked
    new = rows.nth(1).inner_text()
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
