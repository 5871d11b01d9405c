"""The report data version: which writes make the stored report snapshots stale.

The version moves in two ways. The report cells' maintenance moves it, in the transaction
that commits new figures, whenever the triggers saw a write to counted data (so no write
path is missed). And every service that changes what the reports show without touching
those tables (review decisions change the "if reviews were confirmed" range; vocabulary
names and indicator targets change labels) calls `report_data_changed()`, which moves it
once that transaction commits, so a rolled-back write never invalidates anything.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from registry.models import ReportDataVersion

SINGLE_ROW = 1


def report_data_changed() -> None:
    """Mark the stored report snapshots stale once the current transaction commits."""
    transaction.on_commit(report_data_version_bump)


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
