from __future__ import annotations

from courses.models import Indicator
from registry.reports.filters import ReportFilters
from registry.reports.indicators import indicator_table


def test_indicator_counted_both_ways_against_target(registry) -> None:  # type: ignore[no-untyped-def]
    rows = {r["code"]: r for r in indicator_table(filters=ReportFilters())}
    assert rows["T-1"] == {
        "code": "T-1",
        "description": "Indicador uno",
        "participations": 6,
        "unique_persons": 5,
        "double_counting_factor": 1.2,
        "target": 10,
        "participations_pct_of_target": 60.0,
        "unique_pct_of_target": 50.0,
    }
    assert (rows["T-2"]["participations"], rows["T-2"]["unique_persons"]) == (10, 6)
    assert rows["T-2"]["target"] is None
    assert rows["T-2"]["unique_pct_of_target"] is None


def test_only_indicators_linked_to_courses(registry) -> None:  # type: ignore[no-untyped-def]
    Indicator.objects.create(code="T-9", description="Sin cursos", target=5)
    codes = {r["code"] for r in indicator_table(filters=ReportFilters())}
    assert "T-9" not in codes
    assert {"T-1", "T-2"} <= codes


def test_linked_indicator_without_participations_shows_zero(registry) -> None:  # type: ignore[no-untyped-def]
    rows = {
        r["code"]: r for r in indicator_table(filters=ReportFilters(course=registry.course_b.pk))
    }
    assert (rows["T-1"]["participations"], rows["T-1"]["unique_persons"]) == (0, 0)
    assert rows["T-1"]["unique_pct_of_target"] == 0.0
    assert (rows["T-2"]["participations"], rows["T-2"]["unique_persons"]) == (4, 4)
