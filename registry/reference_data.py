"""Load the reference vocabularies, indicators, schools and courses from `fixtures/reference/`.

Used by a data migration (with the historical models it is given) and by the
`load_reference_data` command (with the current ones). Idempotent: entries are matched on
their natural key and updated in place, so running it again after editing the JSON is safe.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Protocol

from participants.names import fold

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


def load_reference_data(apps: AppRegistry) -> dict[str, int]:
    region_model = apps.get_model("participants", "Region")
    institution_model = apps.get_model("participants", "Institution")
    role_model = apps.get_model("participants", "Role")
    indicator_model = apps.get_model("courses", "Indicator")
    school_model = apps.get_model("courses", "School")
    course_model = apps.get_model("courses", "Course")

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

    indicators = _read("indicators")
    for entry in indicators:
        indicator_model.objects.update_or_create(
            code=entry["code"],
            defaults={"description": entry["description"], "target": entry["target"]},
        )

    schools = _read("schools")
    school_names = {}
    for entry in schools:
        school_model.objects.update_or_create(
            acronym=entry["acronym"], defaults={"name": entry["name"]}
        )
        school_names[entry["acronym"]] = entry["name"]

    courses = _read("courses")
    for entry in courses:
        course, _ = course_model.objects.update_or_create(
            title=entry["title"],
            defaults={
                "component": entry["component"],
                "provider": school_names.get(entry["provider"], entry["provider"]),
            },
        )
        course.indicators.set(indicator_model.objects.filter(code__in=entry["indicators"]))

    return {
        "regions": len(regions),
        "institutions": len(institutions),
        "roles": len(roles),
        "indicators": len(indicators),
        "schools": len(schools),
        "courses": len(courses),
    }
