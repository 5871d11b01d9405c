"""The dashboard page. Thin: parse the filters, call the selectors, render. The downloads
are in `download_views`."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from accounts.access.user_scope import is_registry_admin
from courses.models import Cohort, Component, Course
from formats.numbers import number_shown
from participants.models import Institution, Region, sex_labels
from registry.reports import charts
from registry.reports.access import reports_required
from registry.reports.cell_sql import INDICATOR_BREAKDOWNS
from registry.reports.disclosure.publish import is_withheld
from registry.reports.filter_form import report_filters_parse
from registry.reports.filters import ReportFilters
from registry.reports.freshness import report_changes_pending
from registry.reports.labels import COMPONENT_LABELS
from registry.reports.page_text import indicators_named, reported_label, several_values_note
from registry.reports.publication import (
    EXACT_PARAMETER,
    exact_figures_record,
    report_for_reader,
    wants_exact,
)
from registry.reports.tables import TABLES, Table

# Rows shown on the page per table; the downloads always hold every row.
PAGE_ROWS = 15

# The coverage tables (each with its chart) in the order the page shows them: who was
# trained (the "¿Quiénes?" tab), then in which courses (the "¿En qué cursos?" tab).
WHO_CHARTS = ("by_sex", "by_institution", "by_role", "by_region")
COURSE_CHARTS = ("by_component", "by_year", "by_course", "by_provider", "by_cohort")


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
                {
                    "value": _shown(row.get(c.key), c.key),
                    "numeric": c.numeric,
                    "css": c.css,
                    "withheld": is_withheld(row.get(c.key)),
                }
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
    counted = indicators_named(
        [row for row in section["outputs"] if row["participations"] is not None]
    )
    return {
        "outputs": _section(
            "indicators",
            report,
            charts.bar_chart(
                counted,
                title=(
                    "Participaciones y personas únicas del registro por indicador de producto, "
                    "frente a las participaciones reportadas por el proyecto"
                ),
                label="chart_label",
                value="unique_persons",
                background="participations",
                legend=("Personas únicas", "Participaciones"),
                limit=len(counted),
                reference="reported_participations",
                reference_label=reported_label(counted),
                # One line of code and name per indicator, the full name as its tooltip (and in
                # the table below): some twenty indicators must not make the panel a long scroll.
                max_lines=1,
            ),
            every_row=True,
        ),
        "breakdowns": [_section(f"indicators_by_{name}", report) for name in INDICATOR_BREAKDOWNS],
        "knowledge": _section(
            "indicators_knowledge",
            report,
            charts.bar_chart(
                indicators_named(section["knowledge"]),
                title="Incremento de conocimientos: registro (pares) frente a la meta",
                label="chart_label",
                max_lines=2,
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
    exact = wants_exact(request)
    cached = report_for_reader(filters=filters, exact=exact)
    if exact:
        exact_figures_record(filters=filters, where="dashboard", request=request)
    report = cached.report
    coverage = {
        name: {
            **_section(name, report, _coverage_chart(TABLES[name], report[name])),
            "note": several_values_note(name, report),
        }
        for name in WHO_CHARTS + COURSE_CHARTS
    }
    pre_post = report["pre_post"]
    context = {
        "filters": filters,
        "form": form,
        "querystring": filters.querystring(),
        "report": report,
        "computed_at": cached.computed_at,
        # What was withheld and why (None: the exact values an administrator asked for).
        "suppression": cached.suppression,
        "exact": exact,
        "exact_querystring": "&".join(
            part for part in (filters.querystring(), f"{EXACT_PARAMETER}=1") if part
        ),
        "may_see_exact": is_registry_admin(request.user),
        # Writes that bypassed the services wait for the next write's commit or the
        # maintenance command; the reader is told, the read does not catch up itself.
        "changes_pending": report_changes_pending(),
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
        # The dashboard masks spellings (they may name a person); an administrator maps them
        # on the admin's page, which shows them as written.
        "unmapped_admin_url": (
            reverse("admin:unmapped_spellings") if is_registry_admin(request.user) else ""
        ),
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
        "sexes": list(sex_labels().items()),
        # The years cohorts started, latest first: the ones a filter by year can find.
        "years": [
            (str(start.year), str(start.year))
            for start in Cohort.objects.dates("start_date", "year", order="DESC")
        ],
        "providers": [
            (name, name)
            for name in Course.objects.exclude(provider="")
            .order_by("provider")
            .values_list("provider", flat=True)
            .distinct()
        ],
    }
