"""The cells one report reads: a stored slice, or the cells of the filtered facts.

Filters that name one stored slice (none, or exactly one of region, institution, course,
component, provider, or a date range that is one calendar year) read the maintained cells:
a few thousand small rows however large the registry. Other combinations compute the same
cells from the facts that match every filter, in the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.db.models import QuerySet

from courses.models import Cohort
from registry.models import ReportCell, ReportFact
from registry.reports.cell_sql import MEASURES
from registry.reports.cells import contributions
from registry.reports.filters import ReportFilters, whole_year

Cell = dict[str, Any]  # measure name -> value
LISTED_IDS = 500
SEQUENCE_SECTION = "sequence"


@dataclass(frozen=True)
class ReportCells:
    """section -> key -> measures, plus the most common course sequences."""

    sections: dict[str, dict[str, Cell]]
    sequences: list[tuple[str, int]]  # (course ids joined by ">", persons), most common first
    stored: bool  # read from a maintained slice rather than computed from the facts

    def section(self, name: str) -> dict[str, Cell]:
        return self.sections.get(name, {})

    def cell(self, section: str, key: str = "") -> Cell:
        return self.section(section).get(key) or dict.fromkeys(MEASURES, 0)

    @cached_property
    def cohorts(self) -> dict[int, tuple[str, int, str]]:
        """Cohort id -> (label, course id, course title) for the cohorts in these cells,
        read once for the coverage and the pre/post sections."""
        ids = [int(key) for key in self.section("cohort")]
        cohorts = Cohort.objects.all()
        if len(ids) <= LISTED_IDS:
            cohorts = cohorts.filter(pk__in=ids)
        # else every cohort: cheaper than sending thousands of ids to compare
        rows = cohorts.values_list("pk", "label", "course_id", "course__title")
        return {pk: (label, course, title) for pk, label, course, title in rows}


def stored_slice(filters: ReportFilters) -> tuple[str, str] | None:
    """The maintained slice equal to these filters, if there is one."""
    if filters.sex:
        # No slice is kept per sex: without this the sex would be ignored and the whole
        # registry's (or the other filters') figures served as the filtered ones.
        return None
    single = {
        "region": filters.region,
        "institution": filters.institution,
        "course": filters.course,
        "component": filters.component,
        "provider": filters.provider,
    }
    named = {dim: value for dim, value in single.items() if value not in (None, "")}
    dates = (filters.date_from, filters.date_to)
    if dates == (None, None):
        if not named:
            return ("", "")
        if len(named) == 1:
            ((dim, value),) = named.items()
            return (dim, str(value))
        return None
    year = whole_year(filters)
    if year is not None and not named:
        return ("year", str(year))
    return None


_LOOKUPS = {">=": "__gte", "<=": "__lte", "=": ""}


def _conditions(filters: ReportFilters) -> list[tuple[str, str, Any]]:
    """(fact column, operator, value) for each filter that is set."""
    conditions = [
        ("start_date", ">=", filters.date_from),
        ("start_date", "<=", filters.date_to),
        ("region_id", "=", filters.region),
        ("institution_id", "=", filters.institution),
        ("course_id", "=", filters.course),
        ("component", "=", filters.component or None),
        ("provider", "=", filters.provider or None),
        ("sex", "=", filters.sex or None),
    ]
    return [condition for condition in conditions if condition[2] is not None]


def facts_matching(filters: ReportFilters) -> QuerySet[ReportFact]:
    """The counted facts (active persons' participations) these filters select."""
    lookups = {f"{column}{_LOOKUPS[op]}": value for column, op, value in _conditions(filters)}
    return ReportFact.objects.filter(counted=True, **lookups)


def _where(filters: ReportFilters) -> tuple[str, list[Any]]:
    """The same conditions as SQL on the facts (alias `f`), with their parameters."""
    conditions = _conditions(filters)
    sql = " AND ".join(f"f.{column} {op} %s" for column, op, _ in conditions)
    return (sql or "1 = 1"), [value for _, _, value in conditions]


def report_cells(filters: ReportFilters, *, sequences: int = 10) -> ReportCells:
    """The cells for these filters as maintained: current with every write whose commit
    caught up (see `freshness`); a read never writes."""
    sections: dict[str, dict[str, Cell]] = {}
    found = stored_slice(filters)
    if found is not None:
        slice_dim, slice_key = found
        rows = ReportCell.objects.filter(slice_dim=slice_dim, slice_key=slice_key)
        for row in rows.exclude(section=SEQUENCE_SECTION).values("section", "key", *MEASURES):
            sections.setdefault(row.pop("section"), {})[row.pop("key")] = row
        top = (
            rows.filter(section=SEQUENCE_SECTION)
            .order_by("-persons", "key")
            .values_list("key", "persons")[:sequences]
        )
        return ReportCells(sections, list(top), stored=True)
    where, params = _where(filters)
    for (_, _, section, key), values in contributions(
        [""], where, params, materialize=True
    ).items():
        sections.setdefault(section, {})[key] = dict(zip(MEASURES, values, strict=True))
    ranked = sorted(
        sections.pop(SEQUENCE_SECTION, {}).items(), key=lambda item: (-item[1]["persons"], item[0])
    )
    top_sequences = [(key, cell["persons"]) for key, cell in ranked[:sequences]]
    return ReportCells(sections, top_sequences, stored=False)
