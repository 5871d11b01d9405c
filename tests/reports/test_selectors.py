from __future__ import annotations

from django.test import RequestFactory

from registry.context_processors import nav_links
from registry.reports.filters import ReportFilters
from registry.reports.selectors import SECTIONS, report_build
from tests.factories import UserFactory


def test_full_report_has_every_section(registry) -> None:  # type: ignore[no-untyped-def]
    report = report_build(filters=ReportFilters(course=registry.course_a.pk))
    assert report["filters"] == {"course": str(registry.course_a.pk)}
    assert {name for name in SECTIONS if name != "totals"} <= set(report)
    assert report["unique_persons"] == 5
    assert report["pre_post"]["note"].startswith("Medias, ganancias")


def test_only_the_sections_asked_for(registry) -> None:  # type: ignore[no-untyped-def]
    report = report_build(filters=ReportFilters(), sections=["by_sex"])
    assert set(report) == {"filters", "by_sex"}


def test_header_link_only_for_users_who_may_see_reports(db) -> None:  # type: ignore[no-untyped-def]
    request = RequestFactory().get("/")
    request.user = UserFactory(username="clerk")
    assert nav_links(request) == {"nav_links": []}
    # Staff status alone (school staff are staff users) does not open the reports.
    request.user = UserFactory(username="staffer", is_staff=True)
    assert nav_links(request) == {"nav_links": []}
    request.user = UserFactory(username="boss", is_staff=True, is_superuser=True)
    assert {"url": "/reports/", "label": "Informes"} in nav_links(request)["nav_links"]
