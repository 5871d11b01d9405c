"""Whose an old row's record is, and which document it may carry.

The record goes to the person the row was linked to. A merge moves the row to the survivor
but leaves the merged person's records where they are (so an unmerge needs no bookkeeping):
the merge history is followed back so that the record lands where the import would have put
it (`owners_of`).

A document another active person holds is left off the record, as the import leaves off a
DNI it may not attach: it stays in the row's raw cells, and the engine would otherwise read
it as evidence that two persons are one (`without_held_documents`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from django.apps.registry import Apps

from intake.identity_backfill.migration_models import as_model
from intake.identity_backfill.report import BackfillReport
from intake.identity_backfill.row_values import StoredRow
from participants.identity.records import IdentityValues, identity_record_build
from participants.models import PersonStatus, RecordSource

if TYPE_CHECKING:
    from participants.models import IdentityRecord

_CHUNK = 500


def owners_of(rows: list[StoredRow], apps: Apps) -> dict[int, int]:
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


def without_held_documents(
    built: list[tuple[StoredRow, int, IdentityValues]],
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
            values = replace(values, document_number="")
            report.documents_left_off += 1
        record = identity_record_build(
            person_id=owner,
            values=values,
            source=RecordSource.ROSTER_ROW,
        )
        record.created_at = row["created_at"]
        records.append((row["pk"], as_model(record, model)))
    return records


def _chunks(values: list[Any]) -> Iterator[list[Any]]:
    """IN lists in pieces that stay below SQLite's bound-parameter limit."""
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]
