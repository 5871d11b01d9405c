"""Logframe indicators counted as reported (participations) and as unique persons."""

from __future__ import annotations

from typing import Any

from courses.models import Indicator
from registry.reports.coverage import coverage_by
from registry.reports.filters import ReportFilters


def indicator_table(
    *, filters: ReportFilters, by_indicator: list[dict[str, Any]] | None = None
) -> list[dict[str, Any]]:
    """Every indicator linked to a course, with its value both ways against its target.

    Targets are set in persons trained, so `unique_pct_of_target` is the honest progress
    and `participations_pct_of_target` shows how the figure used to be reported.
    `by_indicator` is the coverage by indicator for the same filters when the caller has
    it already (the full report does), saving a second scan of the enrollments.
    """
    if by_indicator is None:
        by_indicator = coverage_by(filters=filters, dimension="indicator")
    counted = {row["key"]: row for row in by_indicator if row["key"]}
    result = []
    for indicator in Indicator.objects.filter(courses__isnull=False).distinct().order_by("code"):
        row = counted.get(indicator.code, {})
        participations = row.get("participations", 0)
        unique = row.get("unique_persons", 0)
        target = indicator.target
        result.append(
            {
                "code": indicator.code,
                "description": indicator.description,
                "participations": participations,
                "unique_persons": unique,
                "double_counting_factor": row.get("double_counting_factor"),
                "target": target,
                "participations_pct_of_target": _pct(participations, target),
                "unique_pct_of_target": _pct(unique, target),
            }
        )
    return result


def _pct(value: int, target: int | None) -> float | None:
    return round(value * 100 / target, 1) if target else None
