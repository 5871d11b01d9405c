"""An administrator creates a follow-up wave, draws its sample, exports the contact list for
LimeSurvey, imports the survey's responses and reads the indicator with its interval."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.utils import timezone

from accounts.consent import CURRENT_CONTACT_CONSENT_VERSION
from accounts.contact_consent import contact_consent_record
from accounts.models import ContactConsentSource
from accounts.roles import ADMINISTRATOR, user_grant_role
from courses.models import Indicator, IndicatorKind
from followup.models import SurveyResponse, SurveyWave
from registry.reference_data import load_reference_data
from tests.factories import CohortFactory, EnrollmentFactory, PersonFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PASSWORD = "correct-horse-battery-staple"


def _trained_people(count: int) -> None:
    cohort = CohortFactory(label="2024-LIMA", start_date=date(2024, 5, 6))
    for number in range(count):
        person = PersonFactory(email=f"persona{number}@ejemplo.pe", birth_date=date(1985, 1, 1))
        EnrollmentFactory(person=person, cohort=cohort)
        contact_consent_record(
            person=person,
            granted=True,
            source=ContactConsentSource.ADMIN,
            given_at=timezone.now(),
            text_version=CURRENT_CONTACT_CONSENT_VERSION,
            actor=None,
        )


def test_a_wave_from_creation_to_its_indicator(
    live_server: Any, page: Any, sign_in: Any, tmp_path: Path
) -> None:
    # A transactional test before this one may have flushed what the migrations loaded.
    load_reference_data(apps)
    _trained_people(24)
    admin = UserFactory(username="evaluadora")
    user_grant_role(user=admin, role=ADMINISTRATOR)
    indicator = Indicator.objects.filter(kind=IndicatorKind.SURVEY).order_by("code").first()
    assert indicator is not None
    sign_in(page, "evaluadora", PASSWORD)

    page.goto(f"{live_server.url}/")
    page.click("nav >> text=Seguimiento")
    page.click("text=Nueva ola")
    page.fill("#id_name", "Seguimiento 2025")
    page.fill("#id_purpose", "Saber si las personas capacitadas aplican lo aprendido.")
    page.fill("#id_sample_size", "16")
    page.click("button:has-text('Crear ola')")
    page.wait_for_selector("#draw")

    page.fill("#id_code", "aplica")
    page.fill("#id_text", "¿Aplica el protocolo de atención a víctimas?")
    page.select_option("#id_kind", "yes_no")
    page.select_option("#id_indicator", str(indicator.pk))
    page.click("button:has-text('Agregar pregunta')")
    page.wait_for_selector("text=Pregunta «aplica» agregada.")

    page.click("#draw")
    page.wait_for_selector("#makeup")
    wave = SurveyWave.objects.get(name="Seguimiento 2025")
    assert wave.members.count() == 16

    with page.expect_download() as download_info:
        page.click("#contact-lists li:has-text('LimeSurvey') >> text=CSV")
    exported = Path(download_info.value.path()).read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert {"firstname", "lastname", "email", "token"} <= set(rows[0])
    assert len(rows) == 16

    # LimeSurvey's response export: its own columns, then the question codes.
    answers = io.StringIO()
    writer = csv.writer(answers)
    writer.writerow(["id", "submitdate", "lastpage", "startlanguage", "token", "aplica"])
    for number, row in enumerate(rows[:12], start=1):
        yes = "Y" if number % 4 else "N"
        writer.writerow([number, "2025-03-10 09:00:00", 1, "es", row["token"], yes])
    responses = tmp_path / "results-survey123.csv"
    responses.write_text(answers.getvalue(), encoding="utf-8")

    page.click("#import-responses")
    page.set_input_files("input[type=file]", str(responses))
    page.click("button:has-text('Vista previa')")
    page.wait_for_selector("#responses-confirm")
    assert SurveyResponse.objects.count() == 0  # nothing saved before the confirmation
    page.click("button:has-text('Confirmar importación')")
    page.wait_for_selector("text=Resultado")
    assert SurveyResponse.objects.count() == 12

    page.click("text=Volver a la ola")
    estimates = page.locator("#estimates")
    estimates.wait_for()
    text = estimates.inner_text()
    assert indicator.code in text
    assert "75.0 %" in text  # 9 of the 12 answered yes, one stratum: equal weights
    assert " a " in text  # its 95% confidence interval
    assert "Respondieron 12 de 16" in page.content()
