"""Repeat participation: how many courses each person took, and common course sequences."""

from __future__ import annotations

from typing import Any

from courses.models import Course
from registry.reports.cell_sql import SEQUENCE_MORE
from registry.reports.cellset import ReportCells, report_cells
from registry.reports.filters import ReportFilters

BUCKETS = [(1, "1 curso"), (2, "2 cursos"), (3, "3 cursos"), (4, "4 o más cursos")]


def repeat_participation(
    *, filters: ReportFilters, cells: ReportCells | None = None
) -> list[dict[str, Any]]:
    """Persons by the number of different courses they took (a course retaken counts once)."""
    section = (cells or report_cells(filters)).section("repeat")
    counts = {n: section.get(str(n), {}).get("persons", 0) for n, _ in BUCKETS}
    total = sum(counts.values())
    return [
        {
            "courses": label,
            "min_courses": n,
            "persons": counts[n],
            "share_pct": round(counts[n] * 100 / total, 1) if total else None,
        }
        for n, label in BUCKETS
    ]


def course_sequences(
    *, filters: ReportFilters, limit: int = 10, cells: ReportCells | None = None
) -> list[dict[str, Any]]:
    """The most common ordered sequences of courses among persons with two or more.

    Each person's courses are ordered by the cohort's start date (then cohort) and joined
    into a key by the database, which counts persons per key (see `cells`).
    """
    rows = (cells or report_cells(filters, sequences=limit)).sequences[:limit]
    sequences = [(_course_ids(seq), seq.endswith(SEQUENCE_MORE), n) for seq, n in rows]
    titles = dict(
        Course.objects.filter(pk__in={i for ids, _, _ in sequences for i in ids}).values_list(
            "pk", "title"
        )
    )
    return [
        {
            "sequence": " → ".join([titles.get(i, "?") for i in ids] + (["…"] if more else [])),
            "course_ids": ids,
            "persons": persons,
        }
        for ids, more, persons in sequences
    ]


def _course_ids(sequence: str) -> list[int]:
    return [int(i) for i in sequence.removesuffix(SEQUENCE_MORE).split(">")]
