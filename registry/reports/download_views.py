"""The report's downloads: each table, the informe de indicadores and every participation,
as CSV or XLSX. Thin: parse the filters, call the writers, record the download."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone

from registry.reports import exports
from registry.reports.access import reports_required
from registry.reports.disclosure.statement import suppression_statement
from registry.reports.download_audit import report_download_record
from registry.reports.filter_form import ReportFilterForm, report_filters_parse
from registry.reports.filters import ReportFilters, filters_slug
from registry.reports.indicator_workbook import SHEETS as INDICATOR_SHEETS
from registry.reports.indicator_workbook import indicator_workbook
from registry.reports.publication import exact_figures_record, report_for_reader, wants_exact
from registry.reports.tables import TABLES

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


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


def _download_name(name: str, fmt: str, filters: ReportFilters) -> str:
    """informe-por-region-2024-mujeres-cusco-2026-12-07.csv: the table, its filters in short
    (`filters_slug`: ASCII, bounded) and the day of the download in Lima."""
    parts = [f"informe-{name}", filters_slug(filters), f"{timezone.localdate():%Y-%m-%d}"]
    return f"{'-'.join(part for part in parts if part)}.{fmt}"


@reports_required
def export_table(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    table = TABLES.get(name)
    if table is None or fmt not in CONTENT_TYPES:
        raise Http404("No existe esa tabla o formato.")
    filters, error = _filters(request)
    if error:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    # The whole report, withheld as the dashboard shows it: a table's complementary
    # suppression depends on the other tables' sums, so it is never worked out alone.
    exact = wants_exact(request)
    cached = report_for_reader(filters=filters, exact=exact)
    if exact:
        exact_figures_record(filters=filters, where=f"export:{name}", request=request)
    report = cached.report
    writer = exports.table_csv if fmt == "csv" else exports.table_xlsx
    body = writer(
        table,
        report,
        filters=filters,
        computed_at=cached.computed_at,
        disclosure=suppression_statement(cached.suppression),
    )
    report_download_record(
        request=request,
        export=name,
        file_format=fmt,
        filters=filters,
        rows=len(table.rows(report)),
    )
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = (
        f'attachment; filename="{_download_name(table.file_slug, fmt, filters)}"'
    )
    return response


@reports_required
def export_indicator_report(request: HttpRequest) -> HttpResponse:
    """The informe de indicadores: the method and filters, then one sheet per table."""
    filters, error = _filters(request)
    if error:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    exact = wants_exact(request)
    cached = report_for_reader(filters=filters, exact=exact)
    if exact:
        exact_figures_record(filters=filters, where="indicator_report", request=request)
    body = indicator_workbook(
        report=cached.report,
        filters=filters,
        computed_at=cached.computed_at,
        disclosure=suppression_statement(cached.suppression),
    )
    report_download_record(
        request=request,
        export="indicator_report",
        file_format="xlsx",
        filters=filters,
        rows=sum(len(TABLES[name].rows(cached.report)) for name in INDICATOR_SHEETS),
    )
    response = HttpResponse(body, content_type=CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = (
        f'attachment; filename="{_download_name("indicadores", "xlsx", filters)}"'
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
    # The reader decides whether sensitive courses' participations are in the file.
    viewer = request.user if isinstance(request.user, User) else None
    count = exports.participations_count(filters=filters, viewer=viewer)
    if fmt == "csv":
        response = StreamingHttpResponse(
            exports.participations_csv(filters=filters, viewer=viewer),
            content_type=CONTENT_TYPES[fmt],
        )
    else:
        try:
            body = exports.participations_xlsx(filters=filters, count=count, viewer=viewer)
        except ValueError as too_many:
            return HttpResponse(str(too_many), status=400, content_type="text/plain; charset=utf-8")
        response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    report_download_record(
        request=request, export="participations", file_format=fmt, filters=filters, rows=count
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{_download_name("participaciones", fmt, filters)}"'
    )
    return response
