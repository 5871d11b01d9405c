"""The report data version: which writes make the stored report snapshots stale.

The version moves in two ways. The report cells' maintenance moves it, in the transaction
that commits new figures, whenever the triggers saw a write to counted data (so no write
path is missed). And every service that changes what the reports show without touching
those tables (review decisions change the "if reviews were confirmed" range; vocabulary
names and indicator targets change labels) calls `report_data_changed()`, which moves it
once that transaction commits, so a rolled-back write never invalidates anything.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from registry.models import ReportDataVersion

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
    if not _deferred.get():
        _refresh()


def _refresh() -> None:
    # Imported here: the maintenance moves the version with the functions of this module.
    from registry.reports.maintenance import report_cells_refresh

    report_cells_refresh()


_deferred: ContextVar[bool] = ContextVar("report_cells_deferred", default=False)


@contextmanager
def report_cells_deferred() -> Iterator[None]:
    """Within this block, commits leave the cells to one refresh at its end.

    For batch work (a back-fill of hundreds of roster files): one refresh of all the
    persons written costs far less than one per file, and no report reads in between
    matter. The marks are in the database, so an interruption loses nothing; the next
    report catches up.
    """
    token = _deferred.set(True)
    try:
        yield
    finally:
        _deferred.reset(token)
        _refresh()


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
