"""A school user registers a participant on a phone-sized screen and sees the duplicate hint.

Uses the `browser` fixture of tests/browser/conftest.py (Playwright driving Debian's Chromium).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from accounts.roles import SCHOOL_STAFF, user_grant_role
from courses.models import Enrollment
from participants.models import DuplicateCandidate, Person
from tests.factories import (
    CohortFactory,
    EnrollmentFactory,
    PersonFactory,
    SchoolFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def phone(browser: Any) -> Any:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="es-PE"
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_school_user_registers_a_participant_and_sees_the_duplicate_hint(
    live_server: Any, phone: Any, tmp_path: Path
) -> None:
    school_a, school_b = SchoolFactory(acronym="ESA"), SchoolFactory(acronym="ESB")
    cohort_a = CohortFactory(school=school_a, label="2026-CUSCO")
    bruno = PersonFactory(
        given_names="Bruno",
        paternal_surname="Quispe",
        maternal_surname="Mamani",
        document_number="41234567",
    )
    EnrollmentFactory(person=bruno, cohort=CohortFactory(school=school_b, label="2025-PUNO"))
    user = UserFactory(username="escuela-a")
    user_grant_role(user=user, role=SCHOOL_STAFF, school=school_a)
    persons_before = Person.objects.count()

    foreign_requests: list[str] = []
    phone.on(
        "request",
        lambda request: (
            None
            if request.url.startswith(live_server.url)
            else foreign_requests.append(request.url)
        ),
    )

    # Sign in through the sign-in form and land on the school's cohorts.
    phone.goto(f"{live_server.url}/admin/login/?next=/schools/")
    phone.fill("#id_username", "escuela-a")
    phone.fill("#id_password", PASSWORD)
    phone.click("button[type=submit]")
    phone.wait_for_url(f"{live_server.url}/schools/")
    assert "2026-CUSCO" in phone.content()
    assert "2025-PUNO" not in phone.content()

    phone.click("text=Registrar participante")
    phone.wait_for_selector("#registration-form")
    phone.fill("#id_given_names", "Bruno")
    phone.fill("#id_paternal_surname", "Quispe")
    phone.fill("#id_dni", "41234567")

    # The hint appears while typing, and says nothing about who or where.
    hint = phone.locator("#matches-elsewhere")
    hint.wait_for(state="visible")
    assert "podría estar ya registrada" in hint.inner_text()
    matches_box = phone.locator("#matches").inner_text()
    assert bruno.code not in matches_box
    assert "Mamani" not in matches_box
    assert "PUNO" not in matches_box
    # The names and the DNI typed travel in POST bodies, never in a URL.
    assert "41234567" not in phone.url

    phone.select_option("#id_sex", "N")
    phone.check("#id_consent")
    phone.screenshot(path=str(tmp_path / "registration-phone.png"), full_page=True)
    # Nothing wider than the phone's screen.
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

    phone.click("#registration-form button[type=submit]")
    phone.wait_for_url(f"{live_server.url}/schools/cohorts/{cohort_a.pk}/")
    assert "sin crear un duplicado" in phone.content()
    assert bruno.code in phone.locator("table").inner_text()

    assert Person.objects.count() == persons_before
    assert Enrollment.objects.filter(person=bruno, cohort=cohort_a).exists()
    assert foreign_requests == []


def test_a_misspelt_existing_person_is_a_warning_and_confirmed_as_new_queues_a_pair(
    live_server: Any, phone: Any, tmp_path: Path
) -> None:
    school = SchoolFactory(acronym="ESA")
    earlier = CohortFactory(school=school, label="2025-CUSCO")
    cohort = CohortFactory(school=school, label="2026-CUSCO")
    ana = PersonFactory(
        given_names="Ana Fiorella",
        paternal_surname="Huamán",
        maternal_surname="Huamán",
        document_number="",
        sex="F",
    )
    EnrollmentFactory(person=ana, cohort=earlier)
    user = UserFactory(username="escuela-a")
    user_grant_role(user=user, role=SCHOOL_STAFF, school=school)

    phone.goto(f"{live_server.url}/admin/login/?next=/schools/cohorts/{cohort.pk}/register/")
    phone.fill("#id_username", "escuela-a")
    phone.fill("#id_password", PASSWORD)
    phone.click("button[type=submit]")
    phone.wait_for_selector("#registration-form")
    phone.fill("#id_given_names", "Ana Fiorela")
    phone.fill("#id_paternal_surname", "Huaman")
    phone.fill("#id_maternal_surname", "Huaman")
    phone.select_option("#id_sex", "F")

    # While typing: the engine's candidate, with its probability.
    phone.locator("#matches-list li").wait_for(state="visible")
    assert ana.code in phone.locator("#matches-list").inner_text()
    assert "probabilidad 0.99" in phone.locator("#matches-list").inner_text()

    phone.check("#id_consent")
    phone.click("#registration-form button.primary")
    warning = phone.locator("#duplicate-warning")
    warning.wait_for(state="visible")
    assert "Esta persona parece estar ya registrada" in warning.inner_text()
    assert ana.code in warning.inner_text()
    phone.screenshot(path=str(tmp_path / "registration-warning.png"), full_page=True)
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert not Person.objects.filter(given_names="Ana Fiorela").exists()

    # The consent box keeps its tick across the warning; the user says it is someone else.
    phone.click("#confirm-new")
    phone.wait_for_url(f"{live_server.url}/schools/cohorts/{cohort.pk}/")
    assert "Participante registrado con el código" in phone.content()
    new = Person.objects.get(given_names="Ana Fiorela")
    pair = DuplicateCandidate.objects.get()
    assert {pair.person_a_id, pair.person_b_id} == {ana.pk, new.pk}
    assert not Enrollment.objects.filter(person=ana, cohort=cohort).exists()


def test_past_the_hourly_budget_of_hints_the_form_says_so(
    live_server: Any, phone: Any, settings: Any
) -> None:
    settings.SCHOOL_LOOKUP_LIMITS = {**settings.SCHOOL_LOOKUP_LIMITS, "registration_hint": 0}
    school = SchoolFactory(acronym="ESA")
    CohortFactory(school=school, label="2026-CUSCO")
    user = UserFactory(username="escuela-a")
    user_grant_role(user=user, role=SCHOOL_STAFF, school=school)

    phone.goto(f"{live_server.url}/admin/login/?next=/schools/")
    phone.fill("#id_username", "escuela-a")
    phone.fill("#id_password", PASSWORD)
    phone.click("button[type=submit]")
    phone.wait_for_url(f"{live_server.url}/schools/")
    phone.click("text=Registrar participante")
    phone.wait_for_selector("#registration-form")
    phone.fill("#id_given_names", "Bruno")
    phone.fill("#id_paternal_surname", "Quispe")

    # The hint does not go quiet: the registry's refusal is shown where the hint would be.
    limit = phone.locator("#matches-limit")
    limit.wait_for(state="visible")
    assert "hora" in limit.inner_text()


def test_a_doubtful_match_already_in_the_cohort_is_asked_and_nothing_is_registered_again(
    live_server: Any, phone: Any
) -> None:
    school = SchoolFactory(acronym="ESA")
    cohort = CohortFactory(school=school, label="2026-CUSCO")
    ana = PersonFactory(
        given_names="Ana Fiorella",
        paternal_surname="Huamán",
        maternal_surname="Huamán",
        document_number="",
        sex="F",
        email="ana.huaman@example.org",
    )
    EnrollmentFactory(person=ana, cohort=cohort)
    user = UserFactory(username="escuela-a")
    user_grant_role(user=user, role=SCHOOL_STAFF, school=school)
    persons_before = Person.objects.count()

    phone.goto(f"{live_server.url}/admin/login/?next=/schools/cohorts/{cohort.pk}/register/")
    phone.fill("#id_username", "escuela-a")
    phone.fill("#id_password", PASSWORD)
    phone.click("button[type=submit]")
    phone.wait_for_selector("#registration-form")
    # About 0.98 against Ana: between the review and the auto-link thresholds.
    phone.fill("#id_given_names", "Ana Lucía")
    phone.fill("#id_paternal_surname", "Huaman")
    phone.fill("#id_maternal_surname", "Quispe")
    phone.fill("#id_email", "ana.huaman@example.org")
    phone.select_option("#id_sex", "F")
    phone.check("#id_consent")
    phone.click("#registration-form button.primary")

    question = phone.locator("#duplicate-warning-cohort")
    question.wait_for(state="visible")
    assert ana.code in question.inner_text()
    assert "ya inscrita en esta cohorte" in question.inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert Person.objects.count() == persons_before

    phone.click("text=Es la misma persona: no registrar de nuevo")
    phone.wait_for_url(f"{live_server.url}/schools/cohorts/{cohort.pk}/#inscripcion-{ana.code}")
    assert f"{ana.code} ya está inscrita en esta cohorte" in phone.content()
    assert phone.locator(f"#inscripcion-{ana.code}").is_visible()
    assert Person.objects.count() == persons_before
    assert Enrollment.objects.filter(person=ana, cohort=cohort).count() == 1
    assert not DuplicateCandidate.objects.exists()
