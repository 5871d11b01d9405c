"""Filters named as people write them, and the report's ids turned back into names.

On the command line a region may be given as "Cuzco", "cusco" or "08", an institution as
"Fiscalía" or "mp", a course by its title without accents: every spelling the vocabularies
know (names, codes, acronyms and the alias tables the roster import uses) is accepted, in
any case and with or without accents. The JSON the command prints names every filter and
every vocabulary row instead of showing database ids alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from unidecode import unidecode

from courses.models import Component, Course
from participants.models import Institution, InstitutionAlias, Region, RegionAlias, Role
from participants.names import fold
from registry.reports.filters import ReportFilters
from registry.reports.labels import COMPONENT_LABELS


def _key(text: str) -> str:
    """Upper case without accents or punctuation; digits kept ("T1" is not "T2")."""
    return " ".join(re.findall(r"[A-Z0-9]+", unidecode(text).upper()))


def _same(value: str, candidate: str) -> bool:
    """Equal ignoring case, accents and punctuation."""
    key = _key(value)
    return bool(key) and key == _key(candidate)


def _region(value: str) -> set[int]:
    found = {
        pk
        for pk, code, name in Region.objects.values_list("pk", "code", "name")
        if _same(value, code) or _same(value, name)
    }
    return found or set(
        RegionAlias.objects.filter(key=fold(value)).values_list("region_id", flat=True)
    )


def _institution(value: str) -> set[int]:
    rows = Institution.objects.values_list("pk", "acronym", "name")
    found = {pk for pk, acronym, _ in rows if _same(value, acronym)}
    found = found or {pk for pk, _, name in rows if _same(value, name)}
    return found or set(
        InstitutionAlias.objects.filter(key=fold(value)).values_list("institution_id", flat=True)
    )


def _course(value: str) -> set[int]:
    return {pk for pk, title in Course.objects.values_list("pk", "title") if _same(value, title)}


_MATCHERS: dict[str, Callable[[str], set[int]]] = {
    "region": _region,
    "institution": _institution,
    "course": _course,
}


def filter_value_id(*, name: str, value: str) -> int | None:
    """The id of the one entry `value` names in the vocabulary of filter `name`, or None
    when it names none (or more than one)."""
    found = _MATCHERS[name](value)
    return found.pop() if len(found) == 1 else None


def filter_choices(name: str) -> str:
    """The valid values of a filter, for an error message."""
    if name == "region":
        regions = sorted(Region.objects.values_list("name", "code"), key=lambda r: _key(r[0]))
        return ", ".join(f"{name} ({code})" for name, code in regions)
    if name == "institution":
        return ", ".join(Institution.objects.order_by("acronym").values_list("acronym", flat=True))
    if name == "course":
        return "; ".join(Course.objects.order_by("title").values_list("title", flat=True))
    return ", ".join(f"{code} ({COMPONENT_LABELS[code]})" for code in Component.values)


def component_code(value: str) -> str:
    """The component's code from its code or its Spanish name; `value` when it is neither."""
    for code in Component.values:
        if _same(value, code) or _same(value, COMPONENT_LABELS[code]):
            return code
    return value


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
