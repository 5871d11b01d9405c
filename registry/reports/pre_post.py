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

from registry.reports.cell_sql import PRE_POST
from registry.reports.cellset import ReportCells, report_cells
from registry.reports.coverage import DIMENSIONS, code_order, indicator_labels
from registry.reports.filters import ReportFilters


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
        # Both means are set when there are pairs.
        "mean_gain_points": (
            rounded(mean_post - mean_pre)
            if mean_post is not None and mean_pre is not None
            else None
        ),
        "improved": row["improved"],
        "improved_pct": rounded(row["improved"] * 100 / paired) if paired else None,
        "normalised_gain": rounded(row["sum_normalised_gain"] / pairs_ng, 3) if pairs_ng else None,
        "normalised_gain_pairs": pairs_ng,
    }


def _sums(cell: dict[str, Any]) -> dict[str, Any]:
    return {"enrollments": cell["participations"], **{name: cell[name] for name in PRE_POST}}


def pre_post_figures(cell: dict[str, Any]) -> dict[str, Any]:
    """The figures of one cell with pre/post sums (a total, course, cohort or indicator)."""
    return _finish(_sums(cell))


def pre_post_overall(*, filters: ReportFilters, cells: ReportCells | None = None) -> dict[str, Any]:
    return pre_post_figures((cells or report_cells(filters)).cell("total"))


# The groups with pre/post sums in the cells, and how their keys are labelled: courses and
# cohorts as in the coverage, knowledge indicators by code.
GROUPS = {
    "course": DIMENSIONS["course"].resolve,
    "cohort": DIMENSIONS["cohort"].resolve,
    "knowledge": indicator_labels,
}


def pre_post_by(
    *, filters: ReportFilters, group: str, cells: ReportCells | None = None
) -> list[dict[str, Any]]:
    """The same figures per course, cohort or knowledge indicator (the logframe indicator
    the course's tests measure), largest first; indicators in code order."""
    if group not in GROUPS:
        raise ValueError(f"unknown group {group!r}")
    cells = cells or report_cells(filters)
    section = cells.section(group)
    labels_of = GROUPS[group](list(section), cells)
    result = []
    for cell_key, cell in section.items():
        key, label = labels_of[cell_key]
        result.append({"key": key, "label": label, **pre_post_figures(cell)})
    if group == "knowledge":
        result.sort(key=lambda r: (r["key"] is None, code_order(r["key"] or "")))
    else:
        result.sort(key=lambda r: (-r["enrollments"], r["label"]))
    return result
