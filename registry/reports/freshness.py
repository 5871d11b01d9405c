"""The report data version: which writes make the stored report snapshots stale.

The version moves in two ways. The report cells' maintenance moves it, in the transaction
that commits new figures, whenever the triggers saw a write to counted data (so no write
path is missed). And every service that changes what the reports show without touching
those tables (review decisions change the "if reviews were confirmed" range; vocabulary
names and indicator targets change labels) announces it with
`participants.changes.counted_data_changed()`, whose receiver here, `report_data_changed()`,
moves it once that transaction commits, so a rolled-back write never invalidates anything.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from participants.changes import (
    batch_finished,
    changes_batched_now,
    data_changed,
    personal_data_erased,
)
from registry.models import ReportDataVersion, ReportSnapshot

SINGLE_ROW = 1


def report_data_changed() -> None:
    """Once the current transaction commits: mark the snapshots stale and bring the report
    cells up to date, so that the writer pays for its change and the next reader does not.

    Registered once per transaction (and savepoint) however many rows call it. A failure
    after the commit is logged, not raised (the write itself succeeded); the next report
    catches up.
    """
    connection = transaction.get_connection()
    savepoints = set(connection.savepoint_ids)
    if connection.in_atomic_block and any(
        callback is _after_commit and set(sids) == savepoints
        for sids, callback, _ in connection.run_on_commit
    ):
        return
    transaction.on_commit(_after_commit, robust=True)


def _after_commit() -> None:
    report_data_version_bump()
    if not changes_batched_now():
        _refresh()


def _refresh() -> None:
    # Imported here: the maintenance moves the version with the functions of this module.
    from registry.reports.maintenance import report_cells_refresh

    report_cells_refresh()


def _on_data_changed(sender: Any, **kwargs: Any) -> None:
    report_data_changed()


def _on_batch_finished(sender: Any, **kwargs: Any) -> None:
    # One refresh of all the persons a batch wrote costs far less than one per file; the
    # marks are in the database, so an interrupted batch loses nothing.
    _refresh()


def _on_personal_data_erased(sender: Any, **kwargs: Any) -> None:
    # A snapshot is a cache of figures, recomputed on the next read.
    ReportSnapshot.objects.all().delete()


def connect() -> None:
    data_changed.connect(_on_data_changed, dispatch_uid="report-data-changed")
    batch_finished.connect(_on_batch_finished, dispatch_uid="report-batch-finished")
    personal_data_erased.connect(_on_personal_data_erased, dispatch_uid="report-data-erased")


def report_data_version() -> int:
    """The current data version (0 before any recorded change)."""
    version = (
        ReportDataVersion.objects.filter(pk=SINGLE_ROW).values_list("version", flat=True).first()
    )
    return version or 0


def report_data_version_bump() -> None:
    """Move the version now, in the current transaction (the cells' maintenance does, as
    it commits changed figures)."""
    with transaction.atomic():
        ReportDataVersion.objects.get_or_create(pk=SINGLE_ROW)
        # An UPDATE with F() so that concurrent writers each add one, none is lost.
        ReportDataVersion.objects.filter(pk=SINGLE_ROW).update(
            version=F("version") + 1, changed_at=timezone.now()
        )
