"""Identity records for roster rows committed before identity records existed.

Since identity records (`participants.models.IdentityRecord`), every imported row linked to
a person is one more description of that person. Rows committed earlier have none, so what
they said (another spelling, a second DNI, an e-mail) helps no match. The back-fill gives
each such row the record its import would make today:

- The stored raw cells (`SourceRecord.raw`, kept verbatim) are read through the import's own
  staging (`intake.roster_import.staging.stage_rows`), the batch's header mapping rebuilt
  from the headers the cells are keyed by; the values are normalised as the import does
  (`participants.services.person_build`) and the record is built by
  `participants.identity.records.identity_record_build`, whose name keys come from the one
  key rule (`participants.phonetic.name_keys`). The record's time is the row's.
- The record goes to the person the row was linked to. A merge moves the row to the
  survivor but leaves the merged person's records where they are (so an unmerge needs no
  bookkeeping): the merge history is followed back so that the record lands where the
  import would have put it.
- A document another active person holds is left off the record, as the import leaves off
  a DNI it may not attach: it stays in the row's raw cells, and the engine would otherwise
  read it as evidence that two persons are one.
- A row that today's reading refuses (no surname, a filler in the surname column ...) gets
  no record and is reported with the reason; so is a row of a cancelled person, whose cells
  were redacted and must not describe anyone again.

Each batch is one transaction, audited with its counts: an interrupted run loses nothing
and the next one carries on. A run over rows that all have their record changes nothing.

The migration `courses.0009_identity_records_backfill` runs this same service with the
migration's models, so that every database gets the records once. At that migration the
import's provenance still belonged to the participants app and each record named its row
(`IdentityRecord.source_record`); since `courses.0010` the row names its record
(`SourceRecord.identity_record`): `_provenance` and `_backfill_batch` handle either. `manage.py
identity_backfill` runs it on demand and then lets the registry learn from the new records
(`intake.identity_learning.identity_learned`), as an import does.

With PostgreSQL the raw cells are stored as jsonb, which does not keep the order of the
columns: the mapping is rebuilt from the headers in the order stored. That order only
matters when two columns of one file carry the same field and both are filled (the first
filled one is read).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal, TypedDict, TypeVar, overload

from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import models, transaction

from audit.models import AuditAction
from intake.identity_learning import identity_learned
from intake.roster_import.staging import StagedRow, stage_rows
from participants.identity.records import IdentityValues, identity_record_build
from participants.models import PersonStatus, RecordSource
from participants.registry_frames import active_persons_of
from participants.services import person_build
from spreadsheets.reading import Table

if TYPE_CHECKING:
    from courses.models import ImportBatch, SourceRecord
    from participants.models import IdentityRecord

TASK = "identity_backfill"
CANCELLED = "la persona pidió la cancelación de sus datos: la fila no vuelve a describirla"
NUMBERING_ONLY = "la fila solo tiene su número de orden: no describe a nadie"
NO_HEADERS = "las celdas guardadas no tienen encabezados: no se pueden leer"
_CHUNK = 500

_M = TypeVar("_M", bound=models.Model)


class _Row(TypedDict):
    """The values of a roster row the back-fill reads (`SourceRecord`, linked to a person)."""

    pk: int
    row_number: int
    raw: Any  # the cells as received: a dict of header -> cell, unless stored otherwise
    person_id: int
    created_at: datetime


@dataclass(frozen=True)
class UnreadableRow:
    batch_id: int
    row_number: int
    reason: str


@dataclass
class BackfillReport:
    dry_run: bool
    created: int = 0  # (with dry_run: would be created)
    already_present: int = 0
    documents_left_off: int = 0
    unreadable: list[UnreadableRow] = field(default_factory=list)

    def unreadable_by_reason(self) -> list[tuple[str, list[UnreadableRow]]]:
        """The unreadable rows grouped by reason, the most frequent reason first."""
        groups: dict[str, list[UnreadableRow]] = {}
        for row in self.unreadable:
            groups.setdefault(row.reason, []).append(row)
        return sorted(groups.items(), key=lambda item: -len(item[1]))


def identity_records_backfill(
    *,
    dry_run: bool = False,
    actor: AbstractBaseUser | None = None,
    apps: Apps = global_apps,
) -> BackfillReport:
    """Create the missing identity record of every roster row linked to a person.

    `apps` is the model registry to write through: a migration passes its own. Only with the
    project's registry does the registry learn from the new records (survivorship, same-DNI
    pairs, suspected wrong links); after the migration, `manage.py dedupe` does that.
    """
    source_records = _provenance(apps, "SourceRecord")
    report = BackfillReport(dry_run=dry_run)
    linked = source_records.objects.filter(person__isnull=False)
    report.already_present = linked.filter(identity_record__isnull=False).count()
    batch_ids = list(
        linked.filter(identity_record__isnull=True)
        .order_by("batch_id")
        .values_list("batch_id", flat=True)
        .distinct()
    )
    for batch_id in batch_ids:
        with transaction.atomic():
            persons = _backfill_batch(batch_id, report=report, actor=actor, apps=apps)
            if persons and apps is global_apps:
                # As an import does after writing its rows' records.
                identity_learned(person_ids=persons)
    return report


def _backfill_batch(
    batch_id: int, *, report: BackfillReport, actor: AbstractBaseUser | None, apps: Apps
) -> set[int]:
    """Back-fill one batch; returns the persons that got records (none in a dry run)."""
    if not report.dry_run:
        # A second run waits here, then finds the records this one made.
        batch = _provenance(apps, "ImportBatch").objects.select_for_update()
        batch.get(pk=batch_id)
    rows = list(
        _provenance(apps, "SourceRecord")
        .objects.filter(batch_id=batch_id, person__isnull=False, identity_record__isnull=True)
        .order_by("row_number")
        .values("pk", "row_number", "raw", "person_id", "created_at")
    )
    if not rows:
        return set()
    unreadable_before = len(report.unreadable)
    left_off_before = report.documents_left_off
    owners = _owners(rows, apps)
    active = active_persons_of({owner for owner in owners.values()})
    staged = _staged(rows)
    built: list[tuple[_Row, int, IdentityValues]] = []
    for row in rows:
        owner = owners[row["pk"]]
        values = _values_of(row, staged, active, owner)
        if isinstance(values, str):
            report.unreadable.append(UnreadableRow(batch_id, row["row_number"], values))
            continue
        built.append((row, owner, values))
    made = _without_held_documents(built, active, report=report, apps=apps)
    records = [record for _row, record in made]
    report.created += len(records)
    persons = {record.person_id for record in records}
    if report.dry_run or not records:
        return set()
    model = apps.get_model("participants", "IdentityRecord")
    received = [record.created_at for record in records]
    # Before courses.0010 the record names its row; since then the row names its record.
    record_names_row = any(
        field.attname == "source_record_id" for field in model._meta.concrete_fields
    )
    if record_names_row:
        for row_id, record in made:
            record.source_record_id = row_id  # type: ignore[attr-defined]  # the old model's field
    model.objects.bulk_create(records, batch_size=1000)
    if not record_names_row:
        source_records = _provenance(apps, "SourceRecord")
        source_records.objects.bulk_update(
            [source_records(pk=row_id, identity_record_id=record.pk) for row_id, record in made],
            ["identity_record"],
            batch_size=1000,
        )
    # Recorded when the row was received, not now (the creation stamped the time of day):
    # survivorship breaks ties by recency.
    for record, at in zip(records, received, strict=True):
        record.created_at = at
    model.objects.bulk_update(records, ["created_at"], batch_size=1000)
    _audit(
        apps,
        actor=actor,
        batch_id=batch_id,
        details={
            "task": TASK,
            "batch": batch_id,
            "created": len(records),
            "unreadable": len(report.unreadable) - unreadable_before,
            "documents_left_off": report.documents_left_off - left_off_before,
        },
    )
    return persons


def _staged(rows: list[_Row]) -> dict[int, StagedRow]:
    """The batch's rows read as the import reads them: row number -> staged row."""
    headers: dict[str, None] = {}
    for row in rows:
        if isinstance(row["raw"], dict):
            headers.update(dict.fromkeys(row["raw"]))
    table = Table(
        file_format="",
        header_row=0,
        headers=list(headers),
        rows=[
            (row["row_number"], [row["raw"].get(header, "") for header in headers])
            for row in rows
            if isinstance(row["raw"], dict) and row["raw"]
        ],
    )
    return {staged.row_number: staged for staged in stage_rows(table)}


def _values_of(
    row: _Row, staged: dict[int, StagedRow], active: dict[int, int], owner: int
) -> str | IdentityValues:
    """The values the row's record takes, or why it gets none."""
    if owner not in active:
        return CANCELLED
    if not isinstance(row["raw"], dict) or not row["raw"]:
        return NO_HEADERS
    read = staged.get(row["row_number"])
    if read is None:
        return NUMBERING_ONLY
    if read.rejected:
        return read.rejected
    try:
        person = person_build(
            given_names=read.given_names,
            paternal_surname=read.paternal_surname,
            maternal_surname=read.maternal_surname,
            sex=read.sex,
            document_type=read.document_type,
            document_number=read.dni,
            birth_date=read.birth_date,
            email=read.email,
            phone=read.phone,
        )
    except ValidationError as error:
        return "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()
        )
    values = IdentityValues.of_person(person)
    return IdentityValues(
        **{
            **values.__dict__,
            "institution": read.institution,
            "role": read.role,
            "region": read.region,
        }
    )


def _without_held_documents(
    built: list[tuple[_Row, int, IdentityValues]],
    active: dict[int, int],
    *,
    report: BackfillReport,
    apps: Apps,
) -> list[tuple[int, IdentityRecord]]:
    """(row id, its record), each record without a document another active person holds."""
    numbers = sorted({values.document_number for _, _, values in built if values.document_number})
    active_persons = apps.get_model("participants", "Person").objects.filter(
        status=PersonStatus.ACTIVE
    )
    holders = {
        (document_type, number): pk
        for chunk in _chunks(numbers)
        for pk, document_type, number in active_persons.filter(
            document_number__in=chunk
        ).values_list("pk", "document_type", "document_number")
    }
    model = apps.get_model("participants", "IdentityRecord")
    records = []
    for row, owner, values in built:
        holder = holders.get((values.document_type, values.document_number))
        if holder is not None and holder != active[owner]:
            values = IdentityValues(**{**values.__dict__, "document_number": ""})
            report.documents_left_off += 1
        record = identity_record_build(
            person_id=owner,
            values=values,
            source=RecordSource.ROSTER_ROW,
        )
        record.created_at = row["created_at"]
        records.append((row["pk"], _as_model(record, model)))
    return records


# A migration's models are typed as today's, as `apps.get_model` with literal names is: the
# back-fill reads and writes only fields both have.
@overload
def _provenance(apps: Apps, name: Literal["ImportBatch"]) -> type[ImportBatch]: ...
@overload
def _provenance(apps: Apps, name: Literal["SourceRecord"]) -> type[SourceRecord]: ...
def _provenance(apps: Apps, name: str) -> type[models.Model]:
    """`ImportBatch` or `SourceRecord`: in courses, or in participants before courses.0010."""
    try:
        return apps.get_model("courses", name)
    except LookupError:
        return apps.get_model("participants", name)


def _as_model(record: models.Model, model: type[_M]) -> _M:
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


def _owners(rows: list[_Row], apps: Apps) -> dict[int, int]:
    """Row id -> the person whose record it would have made: its person, or, for a row a
    merge moved to the survivor, the merged person (followed back through later merges)."""
    merges = apps.get_model("participants", "MergeRecord").objects.filter(undone_at__isnull=True)
    wanted = {row["pk"] for row in rows}
    # (row, survivor) -> [(merge id, merged person)] of the merges that moved the row.
    moved: dict[tuple[int, int], list[tuple[int, int]]] = {}
    seen: set[int] = set()
    frontier = {row["person_id"] for row in rows}
    while frontier:
        seen |= frontier
        found = set()
        for pk, survivor, merged, state in (
            merge
            for chunk in _chunks(sorted(frontier))
            for merge in merges.filter(survivor_id__in=chunk).values_list(
                "pk", "survivor_id", "merged_id", "before_state"
            )
        ):
            for entry in (state or {}).get("source_records", []):
                if entry.get("id") in wanted and entry.get("person_id") == merged:
                    moved.setdefault((entry["id"], survivor), []).append((pk, merged))
                    found.add(merged)
        frontier = found - seen
    owners = {}
    for row in rows:
        owner, before = row["person_id"], None
        while True:
            earlier = [
                (pk, merged)
                for pk, merged in moved.get((row["pk"], owner), [])
                if before is None or pk < before
            ]
            if not earlier:
                break
            before, owner = max(earlier)
        owners[row["pk"]] = owner
    return owners


def _chunks(values: list[Any]) -> Iterator[list[Any]]:
    """IN lists in pieces that stay below SQLite's bound-parameter limit."""
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _audit(
    apps: Apps, *, actor: AbstractBaseUser | None, batch_id: int, details: dict[str, Any]
) -> None:
    """One event per batch, with counts only (the reasons may quote a cell)."""
    if apps is global_apps:
        from audit.services import audit_record

        batch = apps.get_model("courses", "ImportBatch")(pk=batch_id)
        audit_record(actor=actor, action=AuditAction.MAINTENANCE, obj=batch, details=details)
        return
    apps.get_model("audit", "AuditEvent").objects.create(
        action=AuditAction.MAINTENANCE.value,
        object_type=_provenance(apps, "ImportBatch")._meta.label_lower,
        object_id=str(batch_id),
        details=details,
    )
