"""Pre- and post-test coverage and learning, computed on paired tests only.

A pair is one enrollment with both a pre-test and a post-test. Means, gains and the share
who improved use pairs only, because comparing the mean of everyone who sat the pre-test
with the mean of a different set who sat the post-test measures attendance, not learning.

- paired coverage: enrollments with both tests / enrollments (the evaluation found 51.5%);
- knowledge increase: (mean post / mean pre - 1) x 100, the "% de incremento de
  conocimientos" that the indicators report;
- mean gain: mean of (post - pre), in percentage points;
- normalised gain: mean over pairs of (post - pre) / (100 - pre), leaving out pairs with a
  perfect pre-test, for whom there was nothing left to gain.
"""

from __future__ import annotations

from typing import Any

from courses.models import Course
from registry.reports import labels
from registry.reports.cellset import ReportCells, report_cells
from registry.reports.filters import ReportFilters

SUMMED = (
    "enrollments",
    "with_pre",
    "with_post",
    "with_both",
    "sum_pre",
    "sum_post",
    "improved",
    "sum_normalised_gain",
    "normalised_gain_pairs",
)


def _add(total: dict[str, Any], row: dict[str, Any]) -> None:
    for key in SUMMED:
        total[key] = (total.get(key) or 0) + (row[key] or 0)


def _finish(row: dict[str, Any]) -> dict[str, Any]:
    def rounded(value: Any, digits: int = 1) -> float | None:
        return None if value is None else round(float(value), digits)

    enrolled, paired = row["enrollments"], row["with_both"]
    mean_pre = float(row["sum_pre"]) / paired if paired else None
    mean_post = float(row["sum_post"]) / paired if paired else None
    increase = (mean_post / mean_pre - 1) * 100 if paired and mean_pre else None
    pairs_ng = row["normalised_gain_pairs"]
    return {
        "enrollments": enrolled,
        "with_pre": row["with_pre"],
        "with_post": row["with_post"],
        "with_both": paired,
        "paired_coverage_pct": rounded(paired * 100 / enrolled) if enrolled else None,
        "mean_pre_pct": rounded(mean_pre),
        "mean_post_pct": rounded(mean_post),
        "knowledge_increase_pct": rounded(increase),
        "mean_gain_points": rounded(mean_post - mean_pre) if paired else None,
        "improved": row["improved"],
        "improved_pct": rounded(row["improved"] * 100 / paired) if paired else None,
        "normalised_gain": rounded(row["sum_normalised_gain"] / pairs_ng, 3) if pairs_ng else None,
        "normalised_gain_pairs": pairs_ng,
    }


def pre_post_cohorts(
    *, filters: ReportFilters, cells: ReportCells | None = None
) -> list[dict[str, Any]]:
    """Counts and sums per cohort, from the cohort cells.

    Courses, indicators and the total are added up from these rows, because every figure
    is a count or a sum until the final division.
    """
    cells = cells or report_cells(filters)
    section = cells.section("cohort")
    cohorts = cells.cohorts
    rows = []
    for key, cell in section.items():
        label, course_id, title = cohorts[int(key)]
        rows.append(
            {
                "cohort_id": int(key),
                "cohort__label": label,
                "cohort__course_id": course_id,
                "cohort__course__title": title,
                "enrollments": cell["participations"],
                **{name: cell[name] for name in SUMMED if name != "enrollments"},
            }
        )
    return rows


def pre_post_overall(
    *, filters: ReportFilters, cohorts: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    total: dict[str, Any] = dict.fromkeys(SUMMED, 0)
    for row in pre_post_cohorts(filters=filters) if cohorts is None else cohorts:
        _add(total, row)
    return _finish(total)


GROUPS = ("course", "cohort", "indicator")


def pre_post_by(
    *, filters: ReportFilters, group: str, cohorts: list[dict[str, Any]] | None = None
) -> list[dict[str, Any]]:
    """The same figures per course, cohort or logframe indicator, largest first."""
    if group not in GROUPS:
        raise ValueError(f"unknown group {group!r}")
    cohorts = pre_post_cohorts(filters=filters) if cohorts is None else cohorts
    indicators: dict[int, list[str]] = {}
    if group == "indicator":
        links = Course.indicators.through.objects.values_list("course_id", "indicator__code")
        for course_id, code in links:
            indicators.setdefault(course_id, []).append(code)
    groups: dict[Any, dict[str, Any]] = {}
    for row in cohorts:
        if group == "course":
            keys = [(row["cohort__course_id"], row["cohort__course__title"])]
        elif group == "cohort":
            label = f"{row['cohort__course__title']} - {row['cohort__label']}"
            keys = [(row["cohort_id"], label)]
        else:
            codes = indicators.get(row["cohort__course_id"]) or [None]
            keys = [(code, code or labels.NO_INDICATOR) for code in codes]
        for key, label in keys:
            _add(groups.setdefault(key, {"key": key, "label": label}), row)
    result = [{"key": g["key"], "label": g["label"], **_finish(g)} for g in groups.values()]
    if group == "indicator":
        result.sort(key=lambda r: (r["key"] is None, r["key"] or ""))
    else:
        result.sort(key=lambda r: (-r["enrollments"], r["label"]))
    return result
