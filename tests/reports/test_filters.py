from __future__ import annotations

import datetime as dt

import pytest

from registry.reports.coverage import coverage_totals
from registry.reports.filter_form import report_filters_parse
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


def test_filter_form_gives_the_same_filters_as_the_query_string(registry) -> None:  # type: ignore[no-untyped-def]
    params = {"date_from": "2024-01-01", "region": str(registry.rb.pk), "component": ""}
    filters, form = report_filters_parse(params=params)
    assert form.errors == {}
    assert filters == ReportFilters.from_params(params)


def test_filter_form_names_every_bad_field_at_once(registry) -> None:  # type: ignore[no-untyped-def]
    filters, form = report_filters_parse(
        params={
            "date_from": "2024-13-01",
            "date_to": "ayer",
            "region": "999999",
            "course": "-1",
            "component": "ventas",
        }
    )
    assert filters is None
    assert sorted(form.errors) == ["component", "course", "date_from", "date_to", "region"]
    assert form.errors["date_from"] == [
        "«2024-13-01» no es una fecha válida; escríbala como AAAA-MM-DD (p. ej. 2024-03-31)."
    ]
    assert form.errors["course"] == ["El curso «-1» no existe; elija uno de la lista."]


def test_filter_form_refuses_an_end_before_the_start(registry) -> None:  # type: ignore[no-untyped-def]
    filters, form = report_filters_parse(
        params={"date_from": "2024-06-01", "date_to": "2024-05-31"}
    )
    assert filters is None
    assert list(form.errors) == ["date_to"]
