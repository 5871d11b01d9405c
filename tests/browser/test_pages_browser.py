"""The site's main pages in a real browser: no Content-Security-Policy violation, each role
lands on its home, the sign-in form's fields look alike, and on a phone the school pages
keep their action and the Pre/Post scores on screen.

Screenshots go to $SCREENSHOT_DIR when it is set (to look at them), else to the test's
temporary folder.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from accounts.roles import ADMINISTRATOR, ANALYST, SCHOOL_STAFF, user_grant_role
from assessments.models import Phase
from tests.factories import (
    CohortFactory,
    DuplicateCandidateFactory,
    EnrollmentFactory,
    PersonFactory,
    SchoolFactory,
    ScoreFactory,
    UserFactory,
)
from tests.roster_import.files import csv_bytes

pytestmark = [
    pytest.mark.browser,
    # serialized_rollback puts back the reference data the flush after this test removes.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PASSWORD = "correct-horse-battery-staple"
# A phone held upright (iPhone 12-15 class).
PHONE = {"width": 390, "height": 844}

# Records every CSP violation the page reports, whatever the console says; added before any
# of the page's own code runs.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline")
    + " " + (event.sourceFile || "") + ":" + event.lineNumber);
});
"""


@pytest.fixture
def shots(tmp_path: Path) -> Callable[[Any, str], None]:
    folder = Path(os.environ.get("SCREENSHOT_DIR", "") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)

    def take(page: Any, name: str) -> None:
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)

    return take


def _open(browser: Any, viewport: dict[str, int], **options: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=viewport, locale="es-PE", **options)
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(15_000)
    console: list[str] = []
    page.on(
        "console",
        lambda message: (
            console.append(message.text)
            if "Content Security Policy" in message.text or "Permissions-Policy" in message.text
            else None
        ),
    )
    page.csp_console = console
    yield page
    context.close()


@pytest.fixture
def desktop(browser: Any) -> Iterator[Any]:
    yield from _open(browser, {"width": 1300, "height": 900})


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    yield from _open(browser, PHONE, is_mobile=True, has_touch=True)


@pytest.fixture(params=["desktop", "phone"])
def screen(request: Any) -> Any:
    return request.getfixturevalue(request.param)


def _violations(page: Any) -> list[str]:
    """What the current page reported, and the console said since the last call."""
    found = page.evaluate("window.__cspViolations") + page.csp_console
    page.csp_console.clear()
    return found


def _sign_in(page: Any, live_server: Any, username: str, path: str = "/") -> None:
    """Sign in the way a person does: open a page, get sent to the form, fill it in."""
    page.goto(f"{live_server.url}{path}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form.login-form button[type=submit]")
    page.wait_for_load_state()


@pytest.fixture
def school_setup() -> dict[str, Any]:
    school = SchoolFactory(acronym="ESCPNP")
    cohort = CohortFactory(
        school=school, label="2026-CUSCO-01", course__title="Trata de personas: investigación"
    )
    names = [
        ("María Fernanda", "Quispe", "Huamán"),
        ("José Luis", "Mamani", "Condori"),
        ("Rosa", "Flores", "Ccahuana"),
    ]
    for index, (given, paternal, maternal) in enumerate(names):
        enrollment = EnrollmentFactory(
            cohort=cohort,
            person=PersonFactory(
                given_names=given, paternal_surname=paternal, maternal_surname=maternal
            ),
            institution_text="Policía Nacional del Perú - Comisaría de Wanchaq",
            role_text="Suboficial de tercera",
        )
        ScoreFactory(enrollment=enrollment, phase=Phase.PRE, raw_score=Decimal(10 + index))
        if index < 2:
            ScoreFactory(enrollment=enrollment, phase=Phase.POST, raw_score=Decimal(16 + index))
    user = UserFactory(username="escuela")
    user_grant_role(user=user, role=SCHOOL_STAFF, school=school)
    return {"school": school, "cohort": cohort}


def test_main_pages_run_without_csp_violations(
    live_server: Any, screen: Any, shots: Any, school_setup: dict[str, Any]
) -> None:
    cohort = school_setup["cohort"]
    person = cohort.enrollments.first().person
    DuplicateCandidateFactory(score=0.8)
    user_grant_role(user=UserFactory(username="analista"), role=ANALYST)
    user_grant_role(user=UserFactory(username="administra"), role=ADMINISTRATOR)
    visited: dict[str, list[str]] = {}
    size = "phone" if screen.viewport_size["width"] == PHONE["width"] else "desktop"

    def visit(path: str, name: str) -> None:
        screen.goto(f"{live_server.url}{path}")
        screen.wait_for_load_state("networkidle")
        shots(screen, f"{size}-{name}")
        visited[name] = _violations(screen)

    visit("/reports/login/", "login")
    _sign_in(screen, live_server, "escuela")
    assert screen.url == f"{live_server.url}/schools/"
    visit("/schools/", "schools")
    visit(f"/schools/cohorts/{cohort.pk}/", "cohort")
    visit(f"/schools/cohorts/{cohort.pk}/register/", "register")
    # The duplicate hint's request runs under the policy too.
    with screen.expect_response(f"{live_server.url}/schools/matches/"):
        screen.fill("#id_paternal_surname", "Quispe")
    visited["register-typing"] = _violations(screen)
    visit("/reports/", "403")
    assert screen.locator("h1").inner_text() == "No tiene acceso a esta página"
    screen.context.clear_cookies()

    _sign_in(screen, live_server, "analista")
    assert screen.url == f"{live_server.url}/reports/"
    visit("/reports/", "reports")
    assert "Administración" not in screen.locator("nav.site-nav").inner_text()
    screen.context.clear_cookies()

    _sign_in(screen, live_server, "administra")
    assert screen.url == f"{live_server.url}/review/"
    visit("/review/", "review")
    # The queue's action stays on screen on a phone too (its rows stack as cards).
    review = screen.locator("table.queue a", has_text="Revisar")
    assert review.is_visible()
    assert screen.evaluate("document.documentElement.scrollWidth") <= screen.viewport_size["width"]
    # So does the pair page: each compared field is a card with A, B and what is kept.
    review.click()
    screen.wait_for_load_state("networkidle")
    shots(screen, f"{size}-pair")
    assert screen.evaluate("document.documentElement.scrollWidth") <= screen.viewport_size["width"]
    assert screen.locator("button", has_text="Misma persona").is_visible()
    visited["pair"] = _violations(screen)
    visit("/admin/", "admin-index")
    visit("/admin/participants/person/", "admin-changelist")
    visit(f"/admin/participants/person/{person.pk}/change/", "admin-change-form")
    visit("/admin/courses/cohort/", "admin-cohorts")
    visit("/no-such-page/", "404")

    assert {path: found for path, found in visited.items() if found} == {}
    assert len(visited) == 14


def test_the_roster_import_preview_runs_without_csp_violations(
    live_server: Any, desktop: Any, shots: Any, tmp_path: Path
) -> None:
    cohort = CohortFactory(label="2026-URUBAMBA")
    user_grant_role(user=UserFactory(username="administra"), role=ADMINISTRATOR)
    roster = tmp_path / "lista.csv"
    row = [1, "Ccori", "Apaza", "Wilber", "47100012", "M", "PNP", "Comisario", "Cusco", "", 9, 15]
    roster.write_bytes(csv_bytes([row]))
    _sign_in(desktop, live_server, "administra", f"/admin/courses/cohort/{cohort.pk}/change/")
    assert desktop.url.endswith(f"/admin/courses/cohort/{cohort.pk}/change/")
    desktop.click("text=Importar lista")
    desktop.set_input_files("#id_file", str(roster))
    desktop.click("input[type=submit][value='Vista previa']")
    desktop.wait_for_selector("#roster-rows")
    shots(desktop, "desktop-admin-import-preview")
    assert _violations(desktop) == []


def test_the_password_field_looks_like_the_username_field(
    live_server: Any, desktop: Any, shots: Any
) -> None:
    desktop.goto(f"{live_server.url}/reports/login/")
    shots(desktop, "desktop-login")
    properties = ("width", "height", "padding-top", "padding-left", "border-top-width")
    properties += ("border-top-color", "border-top-left-radius", "font-size", "font-family")
    style = "(el, names) => names.map(name => getComputedStyle(el).getPropertyValue(name))"
    username = desktop.locator("#id_username").evaluate(style, list(properties))
    password = desktop.locator("#id_password").evaluate(style, list(properties))
    assert password == username
    assert _violations(desktop) == []


def _fits(page: Any, locator: Any) -> bool:
    box = locator.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]


def test_on_a_phone_the_school_pages_keep_their_action_and_scores_on_screen(
    live_server: Any, phone: Any, shots: Any, school_setup: dict[str, Any]
) -> None:
    cohort = school_setup["cohort"]
    _sign_in(phone, live_server, "escuela")
    assert phone.url == f"{live_server.url}/schools/"
    shots(phone, "phone-schools")
    register = phone.locator("table.stack a", has_text="Registrar participante")
    assert register.is_visible()
    assert _fits(phone, register)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    phone.goto(f"{live_server.url}/schools/cohorts/{cohort.pk}/")
    shots(phone, "phone-cohort")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    button = phone.locator("a.button", has_text="Registrar participante")
    assert button.is_visible()
    assert _fits(phone, button)
    pre_cells = phone.locator("td[data-label=Pre]")
    post_cells = phone.locator("td[data-label=Post]")
    assert pre_cells.count() == post_cells.count() == 3
    for index in range(3):
        for cell in (pre_cells.nth(index), post_cells.nth(index)):
            assert cell.is_visible()
            assert _fits(phone, cell)
    scores = [cell.inner_text() for cell in (*pre_cells.all(), *post_cells.all())]
    assert sum("/" in text for text in scores) == 5  # three pre, two post
    assert sum(text == "—" for text in scores) == 1
    # Each value is labelled: the column heading is hidden on a phone.
    label = "(el) => getComputedStyle(el, '::before').content"
    assert pre_cells.first.evaluate(label) == '"Pre"'

    phone.goto(f"{live_server.url}/schools/cohorts/{cohort.pk}/scores/")
    shots(phone, "phone-scores")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert _violations(phone) == []
