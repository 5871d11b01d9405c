"""Dashboard and downloads. Thin: parse the filters, call the selectors, render."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import LoginView
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render, resolve_url
from django.urls import reverse_lazy
from django.utils import timezone

from accounts.access import is_school_staff
from courses.models import Component, Course
from participants.models import Institution, Region
from registry.reports import charts, exports
from registry.reports.access import can_view_reports, reports_required
from registry.reports.cell_sql import INDICATOR_BREAKDOWNS
from registry.reports.filters import FilterError, ReportFilters
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

# (table, chart builder) in the order the page shows them.
COVERAGE_CHARTS = ("by_sex", "by_component", "by_year", "by_course", "by_institution", "by_role")
COVERAGE_CHARTS += ("by_region", "by_provider", "by_cohort")


class ReportsLoginView(LoginView):
    template_name = "registry/reports/login.html"
    redirect_authenticated_user = True
    # Without a ?next=, go to the dashboard rather than settings.LOGIN_REDIRECT_URL's profile.
    next_page = reverse_lazy("reports:dashboard")

    def get_default_redirect_url(self) -> str:
        """Without a ?next=, each role lands where it works (the dashboard would be a 403)."""
        user = self.request.user
        if is_school_staff(user):
            return resolve_url("registration:cohorts")
        if not can_view_reports(user) and getattr(user, "is_staff", False):
            return resolve_url("admin:index")
        return super().get_default_redirect_url()


def _filters(request: HttpRequest) -> tuple[ReportFilters, str]:
    try:
        return ReportFilters.from_params(request.GET), ""
    except FilterError as error:
        return ReportFilters(), str(error)


def _coverage_chart(table: Table, rows: list[dict[str, Any]]) -> str:
    return charts.bar_chart(
        rows,
        title=f"Personas únicas y participaciones {table.title.lower()}",
        value="unique_persons",
        background="participations",
        legend=("Personas únicas", "Participaciones"),
    )


def _shown(value: Any) -> Any:
    """Numbers as the page shows them: a space between thousands, a decimal point."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return f"{value:,}".replace(",", "\u202f")
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
            [{"value": _shown(row.get(c.key)), "numeric": c.numeric, "css": c.css} for c in columns]
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
    filters, error = _filters(request)
    cached = report_snapshot_fetch(filters=filters)
    report = cached.report
    coverage = [
        _section(name, report, _coverage_chart(TABLES[name], report[name]))
        for name in COVERAGE_CHARTS
    ]
    pre_post = report["pre_post"]
    context = {
        "filters": filters,
        "querystring": filters.querystring(),
        "error": error,
        "report": report,
        "computed_at": cached.computed_at,
        "pre_post": pre_post["overall"],
        "pre_post_note": pre_post["note"],
        "summary": _section("summary", report),
        "coverage_sections": coverage,
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
        "choices": {
            "regions": Region.objects.values_list("pk", "name"),
            "institutions": Institution.objects.values_list("pk", "acronym"),
            "courses": Course.objects.values_list("pk", "title"),
            "components": [(c, COMPONENT_LABELS[c]) for c in Component.values],
            "providers": Course.objects.exclude(provider="")
            .order_by("provider")
            .values_list("provider", flat=True)
            .distinct(),
        },
    }
    return render(request, "registry/reports/dashboard.html", context)


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
    report = report_snapshot_fetch(filters=filters, sections=[table.section]).report
    body = exports.table_csv(table, report) if fmt == "csv" else exports.table_xlsx(table, report)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{_download_name(name, fmt)}"'
    return response


@reports_required
def export_indicator_report(request: HttpRequest) -> HttpResponse:
    """The informe de indicadores: the method and filters, then one sheet per table."""
    filters, error = _filters(request)
    if error:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    cached = report_snapshot_fetch(filters=filters, sections=["indicators"])
    body = indicator_workbook(report=cached.report, filters=filters, computed_at=cached.computed_at)
    response = HttpResponse(body, content_type=CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = (
        f'attachment; filename="{_download_name("indicadores", "xlsx")}"'
    )
    return response


@reports_required
def export_participations(request: HttpRequest, fmt: str) -> HttpResponse:
    """Every participation by person code (no names, documents, emails or phones)."""
    if fmt not in CONTENT_TYPES:
        raise Http404("No existe ese formato.")
    filters, error = _filters(request)
    if error:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    response: HttpResponse
    if fmt == "csv":
        response = StreamingHttpResponse(
            exports.participations_csv(filters=filters), content_type=CONTENT_TYPES[fmt]
        )
    else:
        try:
            body = exports.participations_xlsx(filters=filters)
        except ValueError as too_many:
            return HttpResponse(str(too_many), status=400, content_type="text/plain; charset=utf-8")
        response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = (
        f'attachment; filename="{_download_name("participaciones", fmt)}"'
    )
    return response
