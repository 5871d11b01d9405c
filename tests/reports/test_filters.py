from __future__ import annotations

import datetime as dt

import pytest

from registry.reports.cellset import report_cells, stored_slice
from registry.reports.coverage import coverage_totals
from registry.reports.filter_form import report_filters_parse
from registry.reports.filters import FilterError, ReportFilters, enrollments, filters_described


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


def test_sex_filter_counts_only_that_sex(registry) -> None:  # type: ignore[no-untyped-def]
    # Women: P1 (three participations), P4 and P6 (one each); P7 is cancelled.
    assert figures(ReportFilters(sex="F")) == (5, 3)
    assert enrollments(ReportFilters(sex="F")).count() == 5
    # With one other filter: a stored slice of that filter alone must not be served.
    assert figures(ReportFilters(sex="F", region=registry.ra.pk)) == (3, 2)
    assert figures(ReportFilters(sex="M", course=registry.course_b.pk)) == (2, 2)


def test_no_stored_slice_answers_for_a_sex(registry) -> None:  # type: ignore[no-untyped-def]
    # There is no slice per sex: the whole registry's slice would give (10, 6) instead.
    assert stored_slice(ReportFilters(sex="F")) is None
    assert stored_slice(ReportFilters(sex="F", region=registry.ra.pk)) is None
    whole_year = ReportFilters(date_from=dt.date(2024, 1, 1), date_to=dt.date(2024, 12, 31))
    assert stored_slice(whole_year) == ("year", "2024")
    assert stored_slice(ReportFilters(sex="U", date_from=dt.date(2024, 1, 1))) is None
    assert report_cells(ReportFilters(sex="F")).stored is False


def test_year_means_its_whole_calendar_year(registry) -> None:  # type: ignore[no-untyped-def]
    filters = ReportFilters.from_params({"year": "2024"})
    assert filters == ReportFilters(date_from=dt.date(2024, 1, 1), date_to=dt.date(2024, 12, 31))
    assert stored_slice(filters) == ("year", "2024")
    assert figures(filters) == (7, 5)
    assert figures(ReportFilters.from_params({"year": "2024", "sex": "F"})) == (3, 2)
    assert figures(ReportFilters.from_params({"year": "2023"})) == (3, 3)


def test_sex_round_trips_and_is_described(registry) -> None:  # type: ignore[no-untyped-def]
    filters = ReportFilters.from_params({"sex": "f", "region": str(registry.ra.pk)})
    assert filters.sex == "F"
    assert filters.as_params()["sex"] == "F"
    assert ReportFilters.from_params(filters.as_params()) == filters
    assert ("Sexo", "Mujer") in filters_described(filters)
    # On the command line the label is accepted too, in any case.
    assert ReportFilters.from_params({"sex": "hombre"}, by_code=True).sex == "M"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"sex": "W"}, "sex: 'W' no es un sexo; use uno de F, M, X, U"),
        ({"year": "24"}, "year: '24' no es un año de cuatro cifras"),
        ({"year": "2024", "date_from": "2024-03-01"}, "year: el año 2024 no se puede combinar"),
        ({"year": "2024", "date_to": "2024-03-01"}, "use el año o las fechas"),
    ],
)
def test_bad_sex_or_year_is_named(db, params: dict[str, str], message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(FilterError, match=message):
        ReportFilters.from_params(params)


def test_filter_form_takes_a_year_and_a_sex(registry) -> None:  # type: ignore[no-untyped-def]
    filters, form = report_filters_parse(params={"year": "2024", "sex": "F"})
    assert form.errors == {}
    assert filters == ReportFilters(
        date_from=dt.date(2024, 1, 1), date_to=dt.date(2024, 12, 31), sex="F"
    )


def test_filter_form_refuses_a_year_with_dates_and_an_unknown_sex(registry) -> None:  # type: ignore[no-untyped-def]
    filters, form = report_filters_parse(
        params={"year": "2024", "date_from": "2024-03-01", "sex": "W"}
    )
    assert filters is None
    assert form.errors["year"] == [
        "Elija un año o un rango de fechas («Desde», «Hasta»), no ambos."
    ]
    assert form.errors["sex"] == ["«W» no es un sexo; elija uno de la lista."]
