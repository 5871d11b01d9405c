"""Load the reference vocabularies, schools, logframe indicators and courses from
`fixtures/reference/`.

Used by data migrations (with the historical models they are given) and by the
`load_reference_data` command (with the current ones). Idempotent: entries are matched on
their natural key and updated in place, so running it again after editing the files is
safe. The logframe's indicators come from its CSV files (`registry.logframe`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any, Protocol

from django.db.models import Q

from courses.models import COURSE_INDICATORS, KNOWLEDGE_INDICATORS
from participants.names import fold
from registry.logframe import logframe_indicators

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "reference"


class AppRegistry(Protocol):
    def get_model(self, app_label: str, model_name: str) -> Any: ...


def _read(name: str) -> list[dict[str, Any]]:
    with (REFERENCE_DIR / f"{name}.json").open(encoding="utf-8") as handle:
        return json.load(handle)


def _aliases(entry: dict[str, Any], *extra: str) -> set[str]:
    keys = {fold(alias) for alias in entry.get("aliases", [])}
    keys.update(fold(value) for value in extra if value)
    keys.discard("")
    return keys


def _save_aliases(alias_model: Any, field: str, target: Any, keys: set[str]) -> None:
    for key in keys:
        existing = alias_model.objects.filter(key=key).first()
        if existing and getattr(existing, f"{field}_id") != target.pk:
            raise ValueError(f"Alias '{key}' of {target} already maps to another {field}")
        if not existing:
            alias_model.objects.create(key=key, **{field: target})


def _load_regions(apps: AppRegistry) -> int:
    region_model = apps.get_model("participants", "Region")
    regions = _read("regions")
    for entry in regions:
        region, _ = region_model.objects.update_or_create(
            code=entry["code"], defaults={"name": entry["name"]}
        )
        _save_aliases(
            apps.get_model("participants", "RegionAlias"),
            "region",
            region,
            _aliases(entry, entry["name"]),
        )
    return len(regions)


def _load_institutions(apps: AppRegistry) -> int:
    institution_model = apps.get_model("participants", "Institution")
    institutions = _read("institutions")
    by_acronym: dict[str, Any] = {}
    for entry in institutions:
        institution, _ = institution_model.objects.update_or_create(
            acronym=entry["acronym"], defaults={"name": entry["name"], "sector": entry["sector"]}
        )
        by_acronym[entry["acronym"]] = institution
    for entry in institutions:
        institution = by_acronym[entry["acronym"]]
        parent = by_acronym.get(entry.get("parent", ""))
        if institution.parent_id != (parent.pk if parent else None):
            institution.parent = parent
            institution.save(update_fields=["parent"])
        _save_aliases(
            apps.get_model("participants", "InstitutionAlias"),
            "institution",
            institution,
            _aliases(entry, entry["name"], entry["acronym"]),
        )
    return len(institutions)


def _load_roles(apps: AppRegistry) -> int:
    role_model = apps.get_model("participants", "Role")
    roles = _read("roles")
    for entry in roles:
        role, _ = role_model.objects.update_or_create(
            code=entry["code"], defaults={"name": entry["name"]}
        )
        _save_aliases(
            apps.get_model("participants", "RoleAlias"),
            "role",
            role,
            _aliases(entry, entry["name"]),
        )
    return len(roles)


def _load_schools(apps: AppRegistry) -> int:
    school_model = apps.get_model("courses", "School")
    schools = _read("schools")
    for entry in schools:
        school_model.objects.update_or_create(
            acronym=entry["acronym"], defaults={"name": entry["name"]}
        )
    return len(schools)


def _load_indicators(apps: AppRegistry) -> int:
    """The logframe's indicators, matched on level and code and updated in place."""
    indicator_model = apps.get_model("courses", "Indicator")
    entries = logframe_indicators(REFERENCE_DIR)
    # Migrations older than the flag load indicators with a model that has no such field.
    has_flag = any(field.name == "sensitive" for field in indicator_model._meta.get_fields())
    for entry in entries:
        fields = dict(entry["fields"])
        # Only ever set: an indicator an administrator marked sensitive stays so.
        if has_flag and entry["sensitive"]:
            fields["sensitive"] = True
        indicator_model.objects.update_or_create(
            level=entry["level"], code=entry["code"], defaults=fields
        )
    return len(entries)


def _indicator(model: Any, condition: Q, code: str, course: str) -> Any:
    found = model.objects.filter(condition, code=code).first()
    if found is None:
        raise ValueError(
            f"El curso '{course}' nombra el indicador {code}, que no existe o no es de su tipo."
        )
    return found


def _load_courses(apps: AppRegistry, *, relink: bool = False) -> int:
    """The courses, and for a course created now (or every course, with `relink`) the
    output indicators it counts toward and the knowledge indicator its tests measure.

    Afterwards the links belong to the administrators (the course admin): loading the
    reference data again, say for a new measurement, leaves them as they set them. Every
    code the file names is checked either way.
    """
    course_model = apps.get_model("courses", "Course")
    indicator_model = apps.get_model("courses", "Indicator")
    school_names = {entry["acronym"]: entry["name"] for entry in _read("schools")}
    courses = _read("courses")
    for entry in courses:
        title = entry["title"]
        outputs = [
            _indicator(indicator_model, COURSE_INDICATORS, code, title)
            for code in entry["indicators"]
        ]
        knowledge = entry.get("knowledge_indicator")
        measured = (
            _indicator(indicator_model, KNOWLEDGE_INDICATORS, knowledge, title)
            if knowledge
            else None
        )
        course, created = course_model.objects.update_or_create(
            title=title,
            defaults={
                "component": entry["component"],
                "provider": school_names.get(entry["provider"], entry["provider"]),
            },
        )
        if created or relink:
            course.knowledge_indicator = measured
            course.save(update_fields=["knowledge_indicator"])
            course.indicators.set(outputs)
    return len(courses)


LOADERS: dict[str, Callable[[AppRegistry], int]] = {
    "regions": _load_regions,
    "institutions": _load_institutions,
    "roles": _load_roles,
    "schools": _load_schools,
    "indicators": _load_indicators,
    "courses": _load_courses,
}


def load_reference_data(
    apps: AppRegistry, *, parts: Sequence[str] = tuple(LOADERS), relink_courses: bool = False
) -> dict[str, int]:
    """Load these parts of the reference data (all, by default), in dependency order;
    returns how many entries of each the files hold. `relink_courses` sets every reference
    course's indicators as the file says (a migration that changes the indicators does)."""
    loaders: dict[str, Callable[[AppRegistry], int]] = {
        **LOADERS,
        "courses": partial(_load_courses, relink=relink_courses),
    }
    return {name: load(apps) for name, load in loaders.items() if name in parts}
