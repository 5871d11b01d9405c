"""Filters named as people write them, and the report's ids turned back into names.

On the command line a region may be given as "Cuzco", "cusco" or "08", an institution as
"Fiscalía" or "mp", a course by its title without accents: every spelling the vocabularies
know (names, codes, acronyms and the alias tables the roster import uses) is accepted, in
any case and with or without accents. The JSON the command prints names every filter and
every vocabulary row instead of showing database ids alone.
"""

from __future__ import annotations

from typing import Any

from courses.filter_names import component_code, filter_choices, filter_value_id
from courses.models import Course
from participants.models import Institution, Region, Role, sex_labels
from registry.reports.filters import ReportFilters
from registry.reports.labels import COMPONENT_LABELS

# The look-ups themselves are the participation filters' (courses.filter_names), re-exported
# for the callers that import them from here.
__all__ = ["component_code", "filter_choices", "filter_value_id", "filters_named", "report_named"]


def filters_named(filters: ReportFilters) -> dict[str, Any]:
    """The filters that are set, each vocabulary entry with its code and name."""
    named: dict[str, Any] = {}
    if filters.date_from:
        named["date_from"] = filters.date_from.isoformat()
    if filters.date_to:
        named["date_to"] = filters.date_to.isoformat()
    if filters.region:
        region = Region.objects.get(pk=filters.region)
        named["region"] = {"code": region.code, "name": region.name}
    if filters.institution:
        institution = Institution.objects.get(pk=filters.institution)
        named["institution"] = {"acronym": institution.acronym, "name": institution.name}
    if filters.course:
        course = Course.objects.get(pk=filters.course)
        named["course"] = {"id": course.pk, "title": course.title}
    if filters.component:
        named["component"] = {
            "code": filters.component,
            "name": COMPONENT_LABELS[filters.component],
        }
    if filters.provider:
        named["provider"] = filters.provider
    if filters.sex:
        named["sex"] = {"code": filters.sex, "name": sex_labels().get(filters.sex, filters.sex)}
    return named


# For the rows of a vocabulary dimension (whose "key" is the entry's id): the extra field
# the JSON shows and where it comes from.
_ROW_NAMES: dict[str, tuple[str, type[Region | Institution | Role], str]] = {
    "region": ("region_code", Region, "code"),
    "institution": ("institution_name", Institution, "name"),
    "role": ("role_code", Role, "code"),
}


def report_named(report: dict[str, Any], *, filters: ReportFilters) -> dict[str, Any]:
    """The report with named filters, and the code or full name beside each region,
    institution and role row (their "label" is the name or acronym, their "key" an id)."""
    named = {**report, "filters": filters_named(filters)}
    indicators = report.get("indicators") or {}
    for dimension, (field, model, attribute) in _ROW_NAMES.items():
        found = [report.get(f"by_{dimension}"), indicators.get(f"outputs_by_{dimension}")]
        tables = [rows for rows in found if rows]
        if not tables:
            continue
        values = dict(model.objects.values_list("pk", attribute))
        for rows in tables:
            for row in rows:
                row[field] = values.get(row["key"]) if row.get("key") is not None else None
    return named
