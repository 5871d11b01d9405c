"""How complete the data is, and the spellings waiting for an administrator to map."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from participants.documents import DocumentType
from participants.models import Person, PersonStatus, Sex
from registry.reports.filters import ReportFilters, enrollments

HAS_SEX = ~Q(sex=Sex.NOT_RECORDED)
HAS_DNI = Q(document_type=DocumentType.DNI) & ~Q(document_number="")


def completeness(*, filters: ReportFilters) -> dict[str, Any]:
    """Shares of persons and of enrollments with each field recorded.

    Persons are the active persons who took part in a filtered training. Institution, role
    and region belong to the enrollment (as at the training): "mapped" means linked to the
    vocabulary, "written but unmapped" means a spelling no alias resolves yet.
    """
    scope = enrollments(filters)
    persons = Person.objects.filter(
        status=PersonStatus.ACTIVE, pk__in=scope.values("person_id")
    ).aggregate(total=Count("id"), sex=Count("id", filter=HAS_SEX), dni=Count("id", filter=HAS_DNI))
    enrolled = scope.aggregate(
        total=Count("id"),
        has_sex=Count("id", filter=~Q(person__sex=Sex.NOT_RECORDED)),
        has_dni=Count(
            "id",
            filter=Q(person__document_type=DocumentType.DNI) & ~Q(person__document_number=""),
        ),
        **{
            # Prefixed: an aggregate may not share a name with a field of the model.
            f"has_{field}{suffix}": Count("id", filter=condition)
            for field in ("institution", "role", "region")
            for suffix, condition in (
                ("", Q(**{f"{field}__isnull": False})),
                (
                    "_unmapped",
                    Q(**{f"{field}__isnull": True}) & ~Q(**{f"{field}_text": ""}),
                ),
            )
        },
    )
    rows = []
    for field, label in (
        ("sex", "Sexo"),
        ("dni", "DNI"),
        ("institution", "Institución"),
        ("role", "Cargo"),
        ("region", "Región"),
    ):
        on_person = field in ("sex", "dni")
        unmapped = None if on_person else enrolled[f"has_{field}_unmapped"]
        rows.append(
            {
                "field": field,
                "label": label,
                "persons": persons[field] if on_person else None,
                "persons_pct": _pct(persons[field], persons["total"]) if on_person else None,
                "enrollments": enrolled[f"has_{field}"],
                "enrollments_pct": _pct(enrolled[f"has_{field}"], enrolled["total"]),
                "enrollments_unmapped": unmapped,
                "enrollments_unmapped_pct": None
                if unmapped is None
                else _pct(unmapped, enrolled["total"]),
            }
        )
    return {"persons": persons["total"], "enrollments": enrolled["total"], "fields": rows}


def unmapped_spellings(*, filters: ReportFilters, limit: int = 50) -> list[dict[str, Any]]:
    """Institution, role and region spellings with no vocabulary entry, most used first."""
    result = []
    for field, label in (("institution", "Institución"), ("role", "Cargo"), ("region", "Región")):
        text_field = f"{field}_text"
        rows = (
            enrollments(filters)
            .filter(**{f"{field}__isnull": True})
            .exclude(**{text_field: ""})
            .values(text_field)
            .annotate(n=Count("id"))
            .order_by("-n", text_field)[:limit]
        )
        result.extend(
            {
                "vocabulary": field,
                "label": label,
                "spelling": row[text_field],
                "enrollments": row["n"],
            }
            for row in rows
        )
    return result


def _pct(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 1) if whole else None
