"""The report data version: which writes make the stored report snapshots stale.

Every service that changes what the reports count (roster import, registration and scores,
merges and unmerges, review decisions, alias mapping, cancellations) calls
`report_data_changed()` inside its transaction. The counter moves only once that
transaction commits, so a rolled-back write never invalidates anything and a snapshot
computed during the write cannot be taken for one computed after it.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from registry.models import ReportDataVersion

SINGLE_ROW = 1


def report_data_changed() -> None:
    """Mark the stored report snapshots stale once the current transaction commits."""
    transaction.on_commit(_bump)


def report_data_version() -> int:
    """The current data version (0 before any recorded change)."""
    version = (
        ReportDataVersion.objects.filter(pk=SINGLE_ROW).values_list("version", flat=True).first()
    )
    return version or 0


def _bump() -> None:
    with transaction.atomic():
        ReportDataVersion.objects.get_or_create(pk=SINGLE_ROW)
        # An UPDATE with F() so that concurrent writers each add one, none is lost.
        ReportDataVersion.objects.filter(pk=SINGLE_ROW).update(
            version=F("version") + 1, changed_at=timezone.now()
        )
