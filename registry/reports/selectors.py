"""The whole report in one dict: what the dashboard shows and `coverage_report` prints."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from django.db import transaction

from registry.reports.cell_sql import report_query_settings
from registry.reports.cellset import ReportCells, report_cells
from registry.reports.completeness import completeness, unmapped_spellings
from registry.reports.coverage import DIMENSIONS, coverage_by, coverage_totals
from registry.reports.filters import ReportFilters
from registry.reports.indicators import indicator_report
from registry.reports.pre_post import GROUPS, pre_post_by, pre_post_overall
from registry.reports.repeat import course_sequences, repeat_participation

PAIRED_ONLY_NOTE = (
    "Medias, ganancias y porcentaje que mejoró calculados solo sobre inscripciones con "
    "pre-test y post-test (pares)."
)

Section = Callable[[ReportFilters, ReportCells], Any]


def _pre_post(filters: ReportFilters, cells: ReportCells) -> dict[str, Any]:
    return {
        "note": PAIRED_ONLY_NOTE,
        "overall": pre_post_overall(filters=filters, cells=cells),
        **{
            f"by_{group}": pre_post_by(filters=filters, group=group, cells=cells)
            for group in GROUPS
        },
    }


def _completeness(filters: ReportFilters, cells: ReportCells) -> dict[str, Any]:
    return {
        **completeness(filters=filters, cells=cells),
        "unmapped_spellings": unmapped_spellings(filters=filters, cells=cells),
    }


def _coverage(name: str) -> Section:
    return lambda filters, cells: coverage_by(filters=filters, dimension=name, cells=cells)


# Each section of the report and the function that computes it.
SECTIONS: dict[str, Section] = {
    "totals": lambda filters, cells: coverage_totals(filters=filters, cells=cells),
    **{f"by_{name}": _coverage(name) for name in DIMENSIONS},
    "repeat_participation": lambda filters, cells: repeat_participation(
        filters=filters, cells=cells
    ),
    "course_sequences": lambda filters, cells: course_sequences(filters=filters, cells=cells),
    "pre_post": _pre_post,
    "indicators": lambda filters, cells: indicator_report(filters=filters, cells=cells),
    "completeness": _completeness,
}


def report_build(
    *, filters: ReportFilters, sections: Collection[str] | None = None
) -> dict[str, Any]:
    """The report, or only the named sections of it (a download needs one table)."""
    report: dict[str, Any] = {"filters": filters.as_params()}
    with transaction.atomic():
        report_query_settings()
        cells = report_cells(filters)
        for name, build in SECTIONS.items():
            if sections is not None and name not in sections:
                continue
            if name == "totals":
                report.update(build(filters, cells))
            else:
                report[name] = build(filters, cells)
    return report
