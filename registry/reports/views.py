"""Dashboard and downloads. Thin: parse the filters, call the selectors, render."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from courses.models import Component, Course
from formats.numbers import number_shown
from participants.models import Institution, Region
from registry.reports import charts, exports
from registry.reports.access import reports_required
from registry.reports.cell_sql import INDICATOR_BREAKDOWNS
from registry.reports.download_audit import report_download_record
from registry.reports.filter_form import ReportFilterForm, report_filters_parse
from registry.reports.filters import ReportFilters
from registry.reports.indicator_workbook import SHEETS as INDICATOR_SHEETS
from registry.reports.indicator_workbook import indicator_workbook
from registry.reports.labels import COMPONENT_LABELS
from registry.reports.snapshots import report_snapshot_fetch
from registry.reports.tables import TABLES, Table

# Rows shown on the page per table; the downloads always hold every row.
PAGE_ROWS = 15
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

# The coverage tables (each with its chart) in the order the page shows them: who was
# trained (the "¿Quiénes?" tab), then in which courses (the "¿En qué cursos?" tab).
WHO_CHARTS = ("by_sex", "by_institution", "by_role", "by_region")
COURSE_CHARTS = ("by_component", "by_year", "by_course", "by_provider", "by_cohort")


def _filters(request: HttpRequest) -> tuple[ReportFilters, str]:
    """The request's filters, or an error naming each bad field (the caller answers 400)."""
    filters, form = report_filters_parse(params=request.GET)
    if filters is None:
        return ReportFilters(), _form_errors(form)
    return filters, ""


def _form_errors(form: ReportFilterForm) -> str:
    return " ".join(
        # An ErrorList yields each message as text (the stubs allow its errors too).
        f"{form.fields[name].label}: {message}" if name in form.fields else str(message)
        for name, messages in form.errors.items()
        for message in messages
    )


def _coverage_chart(table: Table, rows: list[dict[str, Any]]) -> str:
    return charts.bar_chart(
        rows,
        title=f"Personas únicas y participaciones {table.title.lower()}",
        value="unique_persons",
        background="participations",
        legend=("Personas únicas", "Participaciones"),
    )


# Decimal places of the report's fractional figures; any other is a percentage (one place).
DECIMALS = {"double_counting_factor": 2, "value": 2, "normalised_gain": 3}


def _shown(value: Any, key: str = "") -> Any:
    """Numbers as es-PE writes them: "1,234" and "1.13", the same places down a column."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, float):
        return number_shown(value, decimals=DECIMALS.get(key, 1))
    if isinstance(value, int):
        return number_shown(value)
    return value


def _section(
    name: str, report: dict[str, Any], chart: str = "", *, every_row: bool = False
) -> dict[str, Any]:
    """One table as the page shows it: its first PAGE_ROWS rows (`every_row`: all)."""
    table = TABLES[name]
    rows = table.rows(report)
    columns = [column for column in table.columns if column.on_page]
    return {
        "table": table,
        "columns": columns,
        "rows": [
            [
                {"value": _shown(row.get(c.key), c.key), "numeric": c.numeric, "css": c.css}
                for c in columns
            ]
            for row in (rows if every_row else rows[:PAGE_ROWS])
        ],
        "total_rows": len(rows),
        "chart": chart,
        # Wide tables go under their chart instead of beside it, so their columns stay legible.
        "wide": len(columns) > 5,
    }


def _indicator_sections(report: dict[str, Any]) -> dict[str, Any]:
    section = report["indicators"]
    counted = [row for row in section["outputs"] if row["participations"] is not None]
    return {
        "outputs": _section(
            "indicators",
            report,
            charts.bar_chart(
                counted,
                title="Participaciones y personas únicas del registro por indicador de producto",
                label="code",
                value="unique_persons",
                background="participations",
                legend=("Personas únicas", "Participaciones"),
                limit=len(counted),
            ),
            every_row=True,
        ),
        "breakdowns": [_section(f"indicators_by_{name}", report) for name in INDICATOR_BREAKDOWNS],
        "knowledge": _section(
            "indicators_knowledge",
            report,
            charts.bar_chart(
                section["knowledge"],
                title="Incremento de conocimientos: registro (pares) frente a la meta",
                label="code",
                value="registry_value",
                background="target",
                legend=("Registro %", "Meta %"),
                unit="%",
            ),
            every_row=True,
        ),
        "survey": _section("indicators_survey", report, every_row=True),
    }


@reports_required
def dashboard(request: HttpRequest) -> HttpResponse:
    filters, form = report_filters_parse(params=request.GET)
    if filters is None:
        # A filter that cannot be understood is shown beside its field; the report is not
        # computed, so nobody mistakes the whole registry for the filtered figures.
        return render(
            request,
            "registry/reports/dashboard.html",
            {"form": form, "filters": ReportFilters(), "choices": _choices()},
        )
    cached = report_snapshot_fetch(filters=filters)
    report = cached.report
    coverage = {
        name: _section(name, report, _coverage_chart(TABLES[name], report[name]))
        for name in WHO_CHARTS + COURSE_CHARTS
    }
    pre_post = report["pre_post"]
    context = {
        "filters": filters,
        "form": form,
        "querystring": filters.querystring(),
        "report": report,
        "computed_at": cached.computed_at,
        "pre_post": pre_post["overall"],
        "pre_post_note": pre_post["note"],
        "summary": _section("summary", report),
        "who_sections": [coverage[name] for name in WHO_CHARTS],
        "course_sections": [coverage[name] for name in COURSE_CHARTS],
        "repeat": _section(
            "repeat_participation",
            report,
            charts.bar_chart(
                report["repeat_participation"],
                title="Personas según cuántos cursos distintos tomaron",
                value="persons",
                label="courses",
            ),
        ),
        "sequences": _section("course_sequences", report),
        "pre_post_sections": [
            _section(
                "pre_post_by_course",
                report,
                charts.bar_chart(
                    pre_post["by_course"],
                    title="Media del post-test y del pre-test por curso (pares)",
                    value="mean_pre_pct",
                    background="mean_post_pct",
                    legend=("Media pre %", "Media post %"),
                    unit="%",
                ),
            ),
            _section("pre_post_by_knowledge", report),
            _section("pre_post_by_cohort", report),
        ],
        "indicators": _indicator_sections(report),
        "completeness": _section(
            "completeness",
            report,
            charts.bar_chart(
                report["completeness"]["fields"],
                title="Inscripciones con cada dato registrado",
                value="enrollments_pct",
                unit="%",
            ),
        ),
        "unmapped": _section("unmapped_spellings", report),
        "choices": _choices(),
    }
    return render(request, "registry/reports/dashboard.html", context)


def _choices() -> dict[str, Any]:
    return {
        # Ids as text, as the query string (and so the bound form) holds them.
        "regions": [(str(pk), name) for pk, name in Region.objects.values_list("pk", "name")],
        "institutions": [
            (str(pk), name) for pk, name in Institution.objects.values_list("pk", "acronym")
        ],
        "courses": [(str(pk), title) for pk, title in Course.objects.values_list("pk", "title")],
        "components": [(c, COMPONENT_LABELS[c]) for c in Component.values],
        "providers": [
            (name, name)
            for name in Course.objects.exclude(provider="")
            .order_by("provider")
            .values_list("provider", flat=True)
            .distinct()
        ],
    }


def _download_name(name: str, fmt: str) -> str:
    return f"informe-{name}-{timezone.localdate():%Y%m%d}.{fmt}"


@reports_required
def export_table(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    table = TABLES.get(name)
    if table is None or fmt not in CONTENT_TYPES:
        raise Http404("No existe esa tabla o formato.")
    filters, error = _filters(request)
    if error:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    cached = report_snapshot_fetch(filters=filters, sections=[table.section])
    report = cached.report
    if fmt == "csv":
        body = exports.table_csv(table, report)
    else:
        body = exports.table_xlsx(table, report, filters=filters, computed_at=cached.computed_at)
    report_download_record(
        request=request,
        export=name,
        file_format=fmt,
        filters=filters,
        rows=len(table.rows(report)),
    )
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = (
        f'attachment; filename="{_download_name(table.file_slug, fmt)}"'
    )
    return response


@reports_required
def export_indicator_report(request: HttpRequest) -> HttpResponse:
    """The informe de indicadores: the method and filters, then one sheet per table."""
    filters, error = _filters(request)
    if error:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    cached = report_snapshot_fetch(filters=filters, sections=["indicators"])
    body = indicator_workbook(report=cached.report, filters=filters, computed_at=cached.computed_at)
    report_download_record(
        request=request,
        export="indicator_report",
        file_format="xlsx",
        filters=filters,
        rows=sum(len(TABLES[name].rows(cached.report)) for name in INDICATOR_SHEETS),
    )
    response = HttpResponse(body, content_type=CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = (
        f'attachment; filename="{_download_name("indicadores", "xlsx")}"'
    )
    return response


@reports_required
def export_participations(request: HttpRequest, fmt: str) -> HttpResponse | StreamingHttpResponse:
    """Every participation by person code (no names, documents, emails or phones)."""
    if fmt not in CONTENT_TYPES:
        raise Http404("No existe ese formato.")
    filters, error = _filters(request)
    if error:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    response: HttpResponse | StreamingHttpResponse
    count = exports.participations_count(filters=filters)
    if fmt == "csv":
        response = StreamingHttpResponse(
            exports.participations_csv(filters=filters), content_type=CONTENT_TYPES[fmt]
        )
    else:
        try:
            body = exports.participations_xlsx(filters=filters, count=count)
        except ValueError as too_many:
            return HttpResponse(str(too_many), status=400, content_type="text/plain; charset=utf-8")
        response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    report_download_record(
        request=request, export="participations", file_format=fmt, filters=filters, rows=count
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{_download_name("participaciones", fmt)}"'
    )
    return response
