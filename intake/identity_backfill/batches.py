"""The identity back-fill run, over every import batch whose rows still lack their record.

Each batch is one transaction, audited with its counts: an interrupted run loses nothing
and the next one carries on. A run over rows that all have their record changes nothing.

The migration `courses.0009_identity_records_backfill` runs this same service with the
migration's models, so that every database gets the records once. At that migration the
import's provenance still belonged to the participants app and each record named its row
(`IdentityRecord.source_record`); since `courses.0010` the row names its record
(`SourceRecord.identity_record`): `migration_models.provenance_model` and `_backfill_batch`
handle either. `manage.py identity_backfill` runs it on demand and then lets the registry
learn from the new records (`intake.identity_learning.identity_learned`), as an import does.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.contrib.auth.models import User
from django.db import transaction

from audit.models import AuditAction
from intake.identity_backfill.migration_models import provenance_model
from intake.identity_backfill.record_owners import owners_of, without_held_documents
from intake.identity_backfill.report import BackfillReport, UnreadableRow
from intake.identity_backfill.row_values import StoredRow, rows_staged, values_of
from intake.identity_learning import identity_learned
from participants.identity.records import IdentityValues
from participants.record_frames.merged_persons import active_persons_of

TASK = "identity_backfill"


def identity_records_backfill(
    *,
    dry_run: bool = False,
    actor: User | None = None,
    apps: Apps = global_apps,
) -> BackfillReport:
    """Create the missing identity record of every roster row linked to a person.

    `apps` is the model registry to write through: a migration passes its own. Only with the
    project's registry does the registry learn from the new records (survivorship, same-DNI
    pairs, suspected wrong links); after the migration, `manage.py dedupe` does that.
    """
    source_records = provenance_model(apps, "SourceRecord")
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
    batch_id: int, *, report: BackfillReport, actor: User | None, apps: Apps
) -> set[int]:
    """Back-fill one batch; returns the persons that got records (none in a dry run)."""
    if not report.dry_run:
        # A second run waits here, then finds the records this one made.
        batch = provenance_model(apps, "ImportBatch").objects.select_for_update()
        batch.get(pk=batch_id)
    rows = list(
        provenance_model(apps, "SourceRecord")
        .objects.filter(batch_id=batch_id, person__isnull=False, identity_record__isnull=True)
        .order_by("row_number")
        .values("pk", "row_number", "raw", "person_id", "created_at")
    )
    if not rows:
        return set()
    unreadable_before = len(report.unreadable)
    left_off_before = report.documents_left_off
    owners = owners_of(rows, apps)
    active = active_persons_of({owner for owner in owners.values()})
    staged = rows_staged(rows)
    built: list[tuple[StoredRow, int, IdentityValues]] = []
    for row in rows:
        owner = owners[row["pk"]]
        values = values_of(row, staged, active, owner)
        if isinstance(values, str):
            report.unreadable.append(UnreadableRow(batch_id, row["row_number"], values))
            continue
        built.append((row, owner, values))
    made = without_held_documents(built, active, report=report, apps=apps)
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
        source_records = provenance_model(apps, "SourceRecord")
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


def _audit(apps: Apps, *, actor: User | None, batch_id: int, details: dict[str, Any]) -> None:
    """One event per batch, with counts only (the reasons may quote a cell)."""
    if apps is global_apps:
        from audit.services import audit_record

        batch = apps.get_model("courses", "ImportBatch")(pk=batch_id)
        audit_record(actor=actor, action=AuditAction.MAINTENANCE, obj=batch, details=details)
        return
    apps.get_model("audit", "AuditEvent").objects.create(
        action=AuditAction.MAINTENANCE.value,
        object_type=provenance_model(apps, "ImportBatch")._meta.label_lower,
        object_id=str(batch_id),
        details=details,
    )
