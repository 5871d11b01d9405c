"""How complete the data is, and the spellings waiting for an administrator to map."""

from __future__ import annotations

from typing import Any

from registry.reports.cellset import ReportCells, report_cells
from registry.reports.filters import ReportFilters

FIELDS = (
    ("sex", "Sexo"),
    ("dni", "DNI"),
    ("institution", "Institución"),
    ("role", "Cargo"),
    ("region", "Región"),
)
VOCABULARIES = (("institution", "Institución"), ("role", "Cargo"), ("region", "Región"))


def completeness(*, filters: ReportFilters, cells: ReportCells | None = None) -> dict[str, Any]:
    """Shares of persons and of enrollments with each field recorded.

    Persons are the active persons who took part in a filtered training. Institution, role
    and region belong to the enrollment (as at the training): "mapped" means linked to the
    vocabulary, "written but unmapped" means a spelling no alias resolves yet.
    """
    cells = cells or report_cells(filters)
    total = cells.cell("total")
    persons_total, enrollments_total = total["persons"], total["participations"]
    persons_with = {k: c["persons"] for k, c in cells.section("persons_with").items()}
    enrolled_with = {k: c["participations"] for k, c in cells.section("enrollments_with").items()}
    rows = []
    for field, label in FIELDS:
        on_person = field in ("sex", "dni")
        persons = persons_with.get(field, 0) if on_person else None
        enrolled = enrolled_with.get(field, 0)
        unmapped = None if on_person else enrolled_with.get(f"{field}_unmapped", 0)
        rows.append(
            {
                "field": field,
                "label": label,
                "persons": persons,
                "persons_pct": _pct(persons, persons_total) if persons is not None else None,
                "enrollments": enrolled,
                "enrollments_pct": _pct(enrolled, enrollments_total),
                "enrollments_unmapped": unmapped,
                "enrollments_unmapped_pct": None
                if unmapped is None
                else _pct(unmapped, enrollments_total),
            }
        )
    return {"persons": persons_total, "enrollments": enrollments_total, "fields": rows}


def unmapped_spellings(
    *, filters: ReportFilters, limit: int = 50, cells: ReportCells | None = None
) -> list[dict[str, Any]]:
    """Institution, role and region spellings with no vocabulary entry, most used first."""
    cells = cells or report_cells(filters)
    result: list[dict[str, Any]] = []
    for field, label in VOCABULARIES:
        ranked = sorted(
            cells.section(f"unmapped_{field}").items(),
            key=lambda item: (-item[1]["participations"], item[0]),
        )
        result.extend(
            {
                "vocabulary": field,
                "label": label,
                "spelling": spelling,
                "enrollments": cell["participations"],
            }
            for spelling, cell in ranked[:limit]
        )
    return result


def _pct(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 1) if whole else None
