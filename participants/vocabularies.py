"""Resolve the spellings partners use to vocabulary entries (mapping new ones, which
re-maps enrollments, is `courses.vocabulary_mapping`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from participants.models import (
    Institution,
    InstitutionAlias,
    Region,
    RegionAlias,
    Role,
    RoleAlias,
)
from participants.names import fold


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
