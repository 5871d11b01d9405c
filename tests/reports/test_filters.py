from __future__ import annotations

import datetime as dt

import pytest

from registry.reports.coverage import coverage_totals
from registry.reports.filters import FilterError, ReportFilters


def figures(filters: ReportFilters) -> tuple[int, int]:
    totals = coverage_totals(filters=filters)
    return totals["participations"], totals["unique_persons"]


def test_each_filter(registry) -> None:  # type: ignore[no-untyped-def]
    assert figures(ReportFilters(course=registry.course_a.pk)) == (6, 5)
    assert figures(ReportFilters(region=registry.ra.pk)) == (5, 4)
    assert figures(ReportFilters(institution=registry.ia.pk)) == (6, 4)
    assert figures(ReportFilters(component="protection")) == (4, 4)
    assert figures(ReportFilters(provider="EMP")) == (6, 5)
    assert figures(ReportFilters(date_from=dt.date(2024, 1, 1))) == (7, 5)
    assert figures(ReportFilters(date_to=dt.date(2024, 5, 1))) == (6, 5)
    assert figures(ReportFilters(date_from=dt.date(2024, 5, 2), date_to=dt.date(2024, 12, 31))) == (
        4,
        4,
    )


def test_combined_filters(registry) -> None:  # type: ignore[no-untyped-def]
    assert figures(ReportFilters(course=registry.course_a.pk, region=registry.ra.pk)) == (5, 4)


def test_from_query_string_ids(registry) -> None:  # type: ignore[no-untyped-def]
    params = {"date_from": "2024-01-01", "region": str(registry.rb.pk), "component": ""}
    filters = ReportFilters.from_params(params)
    assert filters == ReportFilters(date_from=dt.date(2024, 1, 1), region=registry.rb.pk)
    assert ReportFilters.from_params(filters.as_params()) == filters


def test_from_command_line_codes(registry) -> None:  # type: ignore[no-untyped-def]
    filters = ReportFilters.from_params(
        {"region": "T1", "institution": "tia", "course": "Curso A"}, by_code=True
    )
    assert (filters.region, filters.institution, filters.course) == (
        registry.ra.pk,
        registry.ia.pk,
        registry.course_a.pk,
    )


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"date_from": "31/12/2024"}, "date_from: '31/12/2024' no es una fecha"),
        ({"date_from": "2024-02-01", "date_to": "2024-01-01"}, "es anterior"),
        ({"component": "ventas"}, "component: 'ventas' no es un componente"),
        ({"region": "999999"}, "region: no se encontró '999999'"),
    ],
)
def test_bad_values_are_named(db, params: dict[str, str], message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(FilterError, match=message):
        ReportFilters.from_params(params)
