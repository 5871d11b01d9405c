"""An administrator maps a column the import left unread; the school's next file reads it.

A form's responses whose file's name does not say which test they were: the preview lists
"Puntuación" as unread and warns that no score was read, before the confirm button. The
administrator maps it to the post-test, the preview reads it, the import is confirmed; the
next course of the same school sends a file of the same layout, and it is read without asking.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from accounts.roles import ADMINISTRATOR, user_grant_role
from assessments.models import Score
from courses.models import ColumnProfile
from tests.factories import CohortFactory, SchoolFactory, UserFactory
from tests.roster_import.files import csv_bytes

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PASSWORD = "correct-horse-battery-staple"
HEADER = [
    "Marca temporal",
    "Dirección de correo electrónico",
    "Puntuación",
    "Nombres y apellidos",
    "DNI",
    "Institución donde labora",
    "¿Qué institución recibe la denuncia de un caso de trata?",
]
FIRST = [
    ["14/05/2026 17:10:33", "lhuaman@mpfn.example", "17 / 20", "Lucía Huamán Rojas",
     "47100011", "Ministerio Público", "La Policía o el Ministerio Público"],
    ["14/05/2026 17:11:02", "jquispem@pnp.example", "15,5 / 20", "Juan Carlos Quispe Mamani",
     "40781234", "Policía Nacional del Perú", "La Policía"],
]  # fmt: skip
SECOND = [
    ["21/06/2026 10:02:41", "ctorres@mimp.example", "16 / 20", "Carmen Rosa Torres Vargas",
     "41928374", "Ministerio de la Mujer", "La Policía o el Ministerio Público"],
]  # fmt: skip


def _sign_in(page: Any, live_server: Any) -> None:
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", "administradora")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")


def _preview(page: Any, live_server: Any, cohort: Any, roster: Path) -> None:
    page.goto(f"{live_server.url}/admin/courses/cohort/{cohort.pk}/import-roster/")
    page.set_input_files("#id_file", str(roster))
    page.click("input[type=submit][value='Vista previa']")
    page.wait_for_selector("#roster-columns")


def test_a_mapped_column_is_read_in_the_schools_next_file(
    live_server: Any, page: Any, tmp_path: Path
) -> None:
    school = SchoolFactory(acronym="EMP", name="Escuela del Ministerio Público")
    first_cohort = CohortFactory(label="2026-CUSCO-01", school=school)
    second_cohort = CohortFactory(label="2026-PUNO-01", school=school)
    admin = UserFactory(username="administradora")
    user_grant_role(user=admin, role=ADMINISTRATOR)
    first = tmp_path / "respuestas-cusco.csv"
    first.write_bytes(csv_bytes(FIRST, header=HEADER))
    second = tmp_path / "respuestas-puno.csv"
    second.write_bytes(csv_bytes(SECOND, header=HEADER))

    _sign_in(page, live_server)
    _preview(page, live_server, first_cohort, first)
    unread = page.locator("#roster-unread").inner_text()
    assert "«Puntuación» (C)" in unread
    assert "«¿Qué institución recibe la denuncia de un caso de trata?» (G)" in unread
    # The warning comes before the confirm button.
    warning = page.locator("#roster-column-warnings")
    assert "no se leyó ninguna nota" in warning.inner_text()
    confirm = page.locator("#roster-confirm")
    assert warning.bounding_box()["y"] < confirm.bounding_box()["y"]
    page.screenshot(path=str(tmp_path / "unread-column.png"), full_page=True)

    # Map the score to the post-test; leave the quiz question unread.
    page.select_option("#roster-map select >> nth=0", label="nota del post-test")
    page.click("#roster-map input[name=map_columns]")
    page.wait_for_selector(".messagelist .success")
    assert "columnas asignadas: «puntuación» como nota del post-test" in (
        page.locator(".messagelist .success").inner_text().lower()
    )
    assert page.locator("#roster-column-warnings").count() == 0
    assert "«Puntuación» (C)" not in page.locator("#roster-unread").inner_text()
    assert "Escala del post-test: 0-20 (indicada en el archivo)" in (
        page.locator("#roster-scales").inner_text()
    )
    assert not Score.objects.exists()  # mapping imports nothing
    profile = ColumnProfile.objects.get()
    assert (profile.school, profile.header, profile.field) == (school, "Puntuación", "post_score")

    page.click("input[type=submit][name=confirm]")
    page.wait_for_selector(".messagelist .success")
    message = page.locator(".messagelist .success").inner_text().lower()
    assert "respuestas-cusco.csv: importado" in message
    scores = Score.objects.filter(enrollment__cohort=first_cohort)
    assert sorted(scores.values_list("phase", "raw_score")) == [
        ("post", Decimal("15.50")),
        ("post", Decimal("17.00")),
    ]

    # The school's next course, the same layout: read without asking.
    _preview(page, live_server, second_cohort, second)
    assert page.locator("#roster-column-warnings").count() == 0
    assert "«Puntuación» (C)" not in page.locator("#roster-unread").inner_text()
    page.click("#roster-read summary")
    read = page.locator("#roster-read").inner_text()
    assert "«Puntuación» (C)" in read
    assert "nota del post-test (recordada)" in read
    page.screenshot(path=str(tmp_path / "remembered-column.png"), full_page=True)
    page.click("input[type=submit][name=confirm]")
    page.wait_for_selector(".messagelist .success")
    carmen = Score.objects.get(enrollment__cohort=second_cohort)
    assert (carmen.phase, carmen.raw_score, carmen.scale_max) == (
        "post",
        Decimal("16.00"),
        Decimal("20.00"),
    )
