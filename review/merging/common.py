"""Pieces shared by merge and unmerge: the error, row snapshots as JSON, locks, validation."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from participants.models import Decision, DuplicateCandidate, Person, PersonStatus
from participants.services import validation_problems

# Version of the before-state layout, so that an unmerge never misreads an older record.
STATE_VERSION = 1
OPEN_DECISIONS = (Decision.PENDING, Decision.SKIPPED)


class MergeError(Exception):
    """A merge or unmerge that cannot be done; the message says why, by person code."""


def jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple | list):
        return [jsonable(item) for item in value]
    return value


def row_of(obj: models.Model) -> dict[str, Any]:
    """Every concrete column of `obj`, as JSON-safe values keyed by attname."""
    return {f.attname: jsonable(getattr(obj, f.attname)) for f in obj._meta.concrete_fields}


def to_python(model: type[models.Model], attname: str, value: Any) -> Any:
    field = next(f for f in model._meta.concrete_fields if f.attname == attname)
    return None if value is None else field.to_python(value)


def recreate(model: type[models.Model], row: dict[str, Any]) -> None:
    """Insert a row exactly as recorded: same id, same derived values, same timestamps."""
    values = {name: to_python(model, name, value) for name, value in row.items()}
    # bulk_create skips save() (which would recompute derived columns) and inserts the id.
    model._default_manager.bulk_create([model(**values)])
    # auto_now_add overwrote the creation time on insert; put the recorded one back.
    stamps = {
        f.attname: values[f.attname]
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False)
    }
    if stamps:
        model._default_manager.filter(pk=values["id"]).update(**stamps)


def validate_person(person: Person) -> None:
    try:
        person.full_clean()
    except ValidationError as error:
        problems = validation_problems(error)
        raise MergeError(
            f"{person.code} no sería válida después de este cambio: {problems}"
        ) from error


def lock_persons(*ids: int) -> dict[int, Person]:
    """Lock the persons one by one in ascending id order and return their fresh rows."""
    return {pk: Person.objects.select_for_update().get(pk=pk) for pk in sorted(set(ids))}


def require_active(person: Person) -> None:
    if person.status == PersonStatus.MERGED:
        target = person.merged_into.code if person.merged_into else "?"
        raise MergeError(f"{person.code} ya fue fusionada en {target}.")
    if person.status != PersonStatus.ACTIVE:
        raise MergeError(f"{person.code} no está activa (estado: {person.get_status_display()}).")


def decision_row(candidate: DuplicateCandidate) -> dict[str, Any]:
    return {
        "id": candidate.pk,
        "person_a_id": candidate.person_a_id,
        "person_b_id": candidate.person_b_id,
        "decision": candidate.decision,
        "decided_by_id": candidate.decided_by_id,
        "decided_at": jsonable(candidate.decided_at),
    }
