"""Resolve the spellings partners use to vocabulary entries, and map new spellings later."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from participants.models import (
    Institution,
    InstitutionAlias,
    Region,
    RegionAlias,
    Role,
    RoleAlias,
)
from participants.names import fold
from registry.reports.freshness import report_data_changed


@dataclass(frozen=True)
class Vocabulary:
    name: str
    entry_model: type[Any]
    alias_model: type[Any]
    field: str  # the alias's foreign key and the enrollment's field


VOCABULARIES: dict[str, Vocabulary] = {
    "region": Vocabulary("region", Region, RegionAlias, "region"),
    "institution": Vocabulary("institution", Institution, InstitutionAlias, "institution"),
    "role": Vocabulary("role", Role, RoleAlias, "role"),
}


def alias_table(vocabulary: str) -> dict[str, int]:
    """Folded spelling -> entry id, read once per import instead of once per row."""
    vocab = VOCABULARIES[vocabulary]
    return dict(vocab.alias_model.objects.values_list("key", f"{vocab.field}_id"))


def resolve(vocabulary: str, text: str, table: dict[str, int] | None = None) -> int | None:
    table = alias_table(vocabulary) if table is None else table
    return table.get(fold(text))


@transaction.atomic
def alias_map(*, vocabulary: str, text: str, entry: Any, actor: Any = None) -> int:
    """Map a spelling to an entry and fix every enrollment that used it. Returns how many."""
    report_data_changed()
    from audit.models import AuditAction
    from audit.services import audit_record
    from courses.models import Enrollment

    vocab = VOCABULARIES[vocabulary]
    key = fold(text)
    if not key:
        raise ValueError("An empty spelling cannot be mapped.")
    vocab.alias_model.objects.update_or_create(key=key, defaults={vocab.field: entry})
    text_field = f"{vocab.field}_text"
    spellings = {
        value
        for value in Enrollment.objects.filter(**{f"{vocab.field}__isnull": True})
        .exclude(**{text_field: ""})
        .values_list(text_field, flat=True)
        .distinct()
        if fold(value) == key
    }
    updated = Enrollment.objects.filter(
        **{f"{vocab.field}__isnull": True, f"{text_field}__in": spellings}
    ).update(**{vocab.field: entry})
    audit_record(
        actor=actor,
        action=AuditAction.ALIAS_MAP,
        obj=entry,
        details={"vocabulary": vocabulary, "spelling": key, "enrollments_updated": updated},
    )
    return updated


def unmapped_spellings(vocabulary: str) -> list[tuple[str, int]]:
    """Spellings kept on enrollments with no vocabulary entry, most used first."""
    from django.db.models import Count

    from courses.models import Enrollment

    vocab = VOCABULARIES[vocabulary]
    text_field = f"{vocab.field}_text"
    rows = (
        Enrollment.objects.filter(**{f"{vocab.field}__isnull": True})
        .exclude(**{text_field: ""})
        .values(text_field)
        .annotate(n=Count("id"))
        .order_by("-n", text_field)
    )
    return [(row[text_field], row["n"]) for row in rows]
