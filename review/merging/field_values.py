"""Which value a merged person keeps for each field (the merge's field values).

Not to be confused with `participants.identity.survivorship`, which chooses the values a
person displays over its identity records.

When two person records turn out to be the same human, the survivor keeps one value per
field, chosen as follows (the reviewer may override any field by picking a side):

- Names and birth date: the survivor's value when it has one, otherwise the merged person's.
- Sex: a recorded value beats "not recorded". When both are recorded and differ, the
  survivor's value stays and the conflict is noted in the merge record.
- Document: a valid DNI beats any other document, and any document beats none. When both hold
  documents of the same rank the survivor's stays. (Two different valid DNIs are refused by
  the merge unless the reviewer confirms; see review.merging.)
- E-mail and phone: a value beats none; when both differ, the value of the person whose most
  recent source record was imported last wins (a person without source records counts from
  the time it was registered): contact details go stale and the newest roster is likeliest to
  be current.

The merged person's own values are never changed: it stays as a tombstone with everything it
held, and every roster row stays in its SourceRecord.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Max

from participants.documents import DNI_LENGTH, DocumentType
from participants.models import Person, Sex

SURVIVOR = "survivor"
MERGED = "merged"
SIDES = (SURVIVOR, MERGED)

# Field name -> the Person attributes it covers (a document is its type and number together).
FIELDS: dict[str, tuple[str, ...]] = {
    "paternal_surname": ("paternal_surname",),
    "maternal_surname": ("maternal_surname",),
    "given_names": ("given_names",),
    "sex": ("sex",),
    "document": ("document_type", "document_number"),
    "birth_date": ("birth_date",),
    "email": ("email",),
    "phone": ("phone",),
}
LABELS: dict[str, str] = {
    "paternal_surname": "Apellido paterno",
    "maternal_surname": "Apellido materno",
    "given_names": "Nombres",
    "sex": "Sexo",
    "document": "Documento",
    "birth_date": "Fecha de nacimiento",
    "email": "Correo electrónico",
    "phone": "Teléfono",
}
# The rule in words, shown on the review page next to the per-field choices.
RULE_TEXT: dict[str, str] = {
    "paternal_surname": "se conserva el del sobreviviente; si está vacío, el del otro registro",
    "maternal_surname": "se conserva el del sobreviviente; si está vacío, el del otro registro",
    "given_names": "se conservan los del sobreviviente; si están vacíos, los del otro registro",
    "sex": "un sexo registrado gana a «no registrado»; si ambos difieren, el del sobreviviente",
    "document": "un DNI válido gana a otro documento o a ninguno; si no, el del sobreviviente",
    "birth_date": "se conserva la del sobreviviente; si está vacía, la del otro registro",
    "email": "gana el de la fuente (planilla) importada más recientemente",
    "phone": "gana el de la fuente (planilla) importada más recientemente",
}


class ChoiceError(ValueError):
    """A reviewer's field choice that names an unknown field or side."""


@dataclass(frozen=True)
class FieldOutcome:
    field: str
    side: str  # SURVIVOR or MERGED: whose value the survivor keeps
    conflict: bool  # both persons hold a value and the values differ
    chosen_by_reviewer: bool


def field_value(person: Person, field: str) -> Any:
    attrs = FIELDS[field]
    if len(attrs) == 1:
        return getattr(person, attrs[0])
    return tuple(getattr(person, attr) for attr in attrs)


def is_empty(person: Person, field: str) -> bool:
    if field == "sex":
        return person.sex == Sex.NOT_RECORDED
    if field == "document":
        return not person.document_number
    return field_value(person, field) in ("", None)


def document_rank(person: Person) -> int:
    """2 for a valid DNI, 1 for any other document, 0 for none."""
    number = person.document_number
    if not number:
        return 0
    if person.document_type == DocumentType.DNI and len(number) == DNI_LENGTH and number.isdigit():
        return 2
    return 1


def has_valid_dni(person: Person) -> bool:
    return document_rank(person) == 2


def latest_source_time(person: Person) -> datetime | date | None:
    if person.pk is None:  # not saved yet: no source records
        return person.created_at
    latest = person.source_records.aggregate(latest=Max("created_at"))["latest"]
    return latest or person.created_at


def _rule_side(survivor: Person, merged: Person, field: str, merged_is_newer: bool) -> str:
    if is_empty(merged, field):
        return SURVIVOR
    if is_empty(survivor, field):
        return MERGED
    if field == "document":
        return MERGED if document_rank(merged) > document_rank(survivor) else SURVIVOR
    if field in ("email", "phone") and field_value(survivor, field) != field_value(merged, field):
        return MERGED if merged_is_newer else SURVIVOR
    return SURVIVOR


def validate_choices(field_choices: dict[str, str] | None) -> dict[str, str]:
    choices = dict(field_choices or {})
    for field, side in choices.items():
        if field not in FIELDS:
            raise ChoiceError(f"Unknown field '{field}' in the reviewer's choices.")
        if side not in SIDES:
            raise ChoiceError(
                f"The choice for '{field}' must be '{SURVIVOR}' or '{MERGED}', not '{side}'."
            )
    return choices


def survivorship(
    *,
    survivor: Person,
    merged: Person,
    field_choices: dict[str, str] | None = None,
    merged_is_newer: bool | None = None,
) -> dict[str, FieldOutcome]:
    """Whose value the survivor keeps for each field (see the module docstring)."""
    choices = validate_choices(field_choices)
    if merged_is_newer is None:
        survivor_time, merged_time = latest_source_time(survivor), latest_source_time(merged)
        merged_is_newer = bool(survivor_time and merged_time and merged_time > survivor_time)
    outcomes = {}
    for field in FIELDS:
        conflict = not is_empty(survivor, field) and not is_empty(merged, field)
        conflict = conflict and field_value(survivor, field) != field_value(merged, field)
        side = choices.get(field) or _rule_side(survivor, merged, field, merged_is_newer)
        outcomes[field] = FieldOutcome(field, side, conflict, field in choices)
    return outcomes


def surviving_values(
    *, survivor: Person, merged: Person, outcomes: dict[str, FieldOutcome]
) -> dict[str, Any]:
    """Person attribute -> the value the survivor will hold."""
    values: dict[str, Any] = {}
    for field, outcome in outcomes.items():
        source = merged if outcome.side == MERGED else survivor
        for attr in FIELDS[field]:
            values[attr] = getattr(source, attr)
    return values
