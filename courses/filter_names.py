"""Vocabulary entries named as people write them: the look-ups a command-line filter uses.

On the command line a region may be given as "Cuzco", "cusco" or "08", an institution as
"Fiscalía" or "mp", a course by its title without accents: every spelling the vocabularies
know (names, codes, acronyms and the alias tables the roster import uses) is accepted, in
any case and with or without accents. These live beside the participation filters (not in
the reports) because the follow-up waves parse the same filters and sit below the reports.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from unidecode import unidecode

from courses.models import Component, Course
from participants.models import Institution, InstitutionAlias, Region, RegionAlias
from participants.names import fold

# The components' Spanish names, as reports and filters show them.
COMPONENT_LABELS = {
    "prosecution": "Persecución",
    "protection": "Protección",
    "prevention": "Prevención",
    "": "Sin componente",
}


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
