"""The back-fill's models: today's, or those of the migration that runs it.

The migration `courses.0009_identity_records_backfill` passes its own model registry, in
which the import's provenance (`ImportBatch`, `SourceRecord`) may still belong to the
participants app and a record is an instance of the migration's own `IdentityRecord`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, TypeVar, overload

from django.apps.registry import Apps
from django.db import models

if TYPE_CHECKING:
    from courses.models import ImportBatch, SourceRecord

_M = TypeVar("_M", bound=models.Model)


# A migration's models are typed as today's, as `apps.get_model` with literal names is: the
# back-fill reads and writes only fields both have.
@overload
def provenance_model(apps: Apps, name: Literal["ImportBatch"]) -> type[ImportBatch]: ...
@overload
def provenance_model(apps: Apps, name: Literal["SourceRecord"]) -> type[SourceRecord]: ...
def provenance_model(apps: Apps, name: str) -> type[models.Model]:
    """`ImportBatch` or `SourceRecord`: in courses, or in participants before courses.0010."""
    try:
        return apps.get_model("courses", name)
    except LookupError:
        return apps.get_model("participants", name)


def as_model(record: models.Model, model: type[_M]) -> _M:
    """The record as an instance of `model` (a migration's own IdentityRecord)."""
    if type(record) is model:
        return record
    return model(
        **{
            column.attname: getattr(record, column.attname)
            for column in model._meta.concrete_fields
            if not column.primary_key and hasattr(record, column.attname)
        }
    )
