"""One es-PE number format everywhere: a decimal point and a comma between thousands."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import formats, translation

from assessments.models import Phase
from formats.numbers import number_shown
from participants.models import DuplicateCandidate
from tests.factories import (
    CohortFactory,
    EnrollmentFactory,
    PersonFactory,
    SchoolFactory,
    ScoreFactory,
)
from tests.roster_import.files import ROWS, csv_bytes

# "0,85" or "12,5": a decimal comma. "1,234" (three digits after the comma) is a thousand.
DECIMAL_COMMA = re.compile(r"(?<![\d,])\d{1,3},\d{1,2}(?![\d,])")


def test_es_pe_resolves_to_the_registry_formats() -> None:
    assert translation.get_language() == "es-pe"
    modules = [module.__name__ for module in formats.get_format_modules("es-pe")]
    # Peru's own module first; Django's `es` only for what it leaves out.
    assert modules[0] == "formats.es_PE.formats"
    assert formats.get_format("DECIMAL_SEPARATOR") == "."
    assert formats.get_format("THOUSAND_SEPARATOR") == ","
    assert formats.get_format("NUMBER_GROUPING") == 3
    assert formats.get_format("SHORT_DATE_FORMAT") == "d/m/Y"


def test_numbers_and_dates_as_peru_writes_them() -> None:
    assert number_shown(1234) == "1,234"
    assert number_shown(1234567.891, decimals=1) == "1,234,567.9"
    assert number_shown(1.2, decimals=2) == "1.20"
    assert number_shown(Decimal("0.85")) == "0.85"
    rendered = Template(
        "{{ p|floatformat:2 }} {{ d }} {{ n }} {{ day }} {{ day|date:'SHORT_DATE_FORMAT' }}"
    ).render(Context({"p": 0.8512, "d": Decimal("12.50"), "n": 1234, "day": date(2024, 3, 4)}))
    # Ids and years stay ungrouped where a template prints them plainly.
    assert rendered == "0.85 12.50 1234 4 de marzo de 2024 04/03/2024"


@pytest.fixture
def pages(db, admin_user, role_user, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """A pair to review scored 0.85, a school's cohort with scores out of 20 with a half
    point, and one person who took a second course."""
    school = SchoolFactory(acronym="ESN")
    # The test's transaction never commits: running the on-commit callbacks is what the
    # writers' commits do, bringing the report figures up to date.
    with django_capture_on_commit_callbacks(execute=True):
        cohort = CohortFactory(school=school, label="2024-NUM-01")
        first, second = PersonFactory(), PersonFactory()
        for person, pre, post in ((first, "12.5", "17.5"), (second, "9.5", "15")):
            enrollment = EnrollmentFactory(person=person, cohort=cohort)
            ScoreFactory(enrollment=enrollment, phase=Phase.PRE, raw_score=Decimal(pre))
            ScoreFactory(enrollment=enrollment, phase=Phase.POST, raw_score=Decimal(post))
        EnrollmentFactory(person=first, cohort=CohortFactory())
        low, high = sorted((first, second), key=lambda p: p.pk)
        pair = DuplicateCandidate.objects.create(
            person_a=low, person_b=high, score=0.85, reasons=["apellido paterno coincide"]
        )
    return {
        "admin": admin_user,
        "school_user": role_user("school", school=school),
        "cohort": cohort,
        "pair": pair,
    }


def _get(user, url: str) -> str:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_main_pages_write_no_decimal_comma(pages) -> None:  # type: ignore[no-untyped-def]
    admin, cohort = pages["admin"], pages["cohort"]
    seen = {
        # Exact values (an administrator's audited reading): three participations of two
        # persons are withheld otherwise, and the format of the figures is what is tested.
        "dashboard": _get(admin, reverse("reports:dashboard") + "?exactos=1"),
        "dashboard_withheld": _get(admin, reverse("reports:dashboard")),
        "queue": _get(admin, reverse("review:queue")),
        "pair": _get(admin, reverse("review:pair", args=[pages["pair"].pk])),
        "school": _get(pages["school_user"], reverse("registration:cohort", args=[cohort.pk])),
    }
    client = Client()
    client.force_login(admin)
    preview = client.post(
        reverse("admin:courses_cohort_import_roster", args=[cohort.pk]),
        {"file": SimpleUploadedFile("lista.csv", csv_bytes(ROWS))},
    )
    assert preview.status_code == 200
    seen["preview"] = preview.content.decode()

    for name, html in seen.items():
        assert not DECIMAL_COMMA.findall(html), name
    assert "0.85" in seen["queue"]
    assert "0.85" in seen["pair"]
    assert "12.50/20" in seen["school"]
    # The dashboard: 3 participations of 2 persons, with two places like every other factor.
    assert "1.50 participaciones por persona" in seen["dashboard"]
