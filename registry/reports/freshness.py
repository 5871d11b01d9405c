"""How the report figures keep up with writes: one record of who changed, one signal of when.

Who: the database triggers (`registry.reports.triggers`) mark every person a write to counted
tables touched, in the writing transaction itself, whatever wrote it (a service, the admin,
raw SQL). When: `participants.changes.counted_data_changed()`, which every service that
changes what the reports show sends inside its transaction. Its receiver here,
`report_data_changed()`, registers one callback for that transaction's commit: it moves the
data version (the stored snapshots are stale) and applies the marks to the report cells, so
the writer pays for its change and a rolled-back write invalidates nothing. The ORM's own
saves and deletes of the counted models (admin edits, `.save()` in a shell) arrive at the
same receiver, so they catch up on commit too.

Reading a report never writes. Writes that bypass both (raw SQL, bulk updates that send no
signal) leave their marks until the next write's commit or
`manage.py report_cells_rebuild --pending`; `report_changes_pending()` tells a reader so.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from participants.changes import (
    batch_finished,
    changes_batched_now,
    data_changed,
    personal_data_erased,
)
from registry.models import ReportDataVersion, ReportDirtyPerson, ReportSnapshot

SINGLE_ROW = 1

# The models whose rows the reports count or label: the ORM's writes to any of them are a
# change of the counted data.
COUNTED_MODELS = (
    "participants.Person",
    "participants.DuplicateCandidate",
    "participants.Institution",
    "participants.Region",
    "participants.Role",
    "participants.InstitutionAlias",
    "participants.RegionAlias",
    "participants.RoleAlias",
    "courses.Course",
    "courses.Cohort",
    "courses.Enrollment",
    "courses.Indicator",
    "assessments.Score",
)
# The m2m_changed actions after which the rows are written (the pre_ ones precede them).
M2M_WRITES = frozenset({"post_add", "post_remove", "post_clear"})


def report_data_changed() -> None:
    """Once the current transaction commits: mark the snapshots stale and bring the report
    cells up to date, so that the writer pays for its change and the next reader does not.

    Registered once per transaction (and savepoint) however many rows call it. A failure
    after the commit is logged, not raised (the write itself succeeded); the marks stay for
    the next write or `report_cells_rebuild --pending`.
    """
    connection = transaction.get_connection()
    savepoints = set(connection.savepoint_ids)
    if connection.in_atomic_block and any(
        isinstance(callback, _CatchUp) and not callback.ran and set(sids) == savepoints
        for sids, callback, _ in connection.run_on_commit
    ):
        return
    transaction.on_commit(_CatchUp(), robust=True)


def report_changes_pending() -> bool:
    """True when committed writes are not yet in the cells (one cheap query, no write)."""
    return ReportDirtyPerson.objects.exists()


class _CatchUp:
    """The after-commit callback of one transaction's writes.

    It remembers having run so that only a pending one absorbs later writes: a commit
    removes its callbacks, but a test running them without a commit leaves them listed.
    """

    ran = False

    def __call__(self) -> None:
        self.ran = True
        report_data_version_bump()
        if not changes_batched_now():
            _refresh()


def _refresh() -> None:
    # Imported here: the maintenance moves the version with the functions of this module.
    from registry.reports.maintenance import report_cells_refresh

    report_cells_refresh()


def _on_data_changed(sender: Any, raw: bool = False, **kwargs: Any) -> None:
    """The receiver of `counted_data_changed()` and of the ORM's writes to counted models."""
    if raw:  # loading fixtures is not a change of the counted data
        return
    report_data_changed()


def _on_m2m_changed(sender: Any, action: str, **kwargs: Any) -> None:
    if action in M2M_WRITES:
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
    for label in COUNTED_MODELS:
        model = apps.get_model(label)
        post_save.connect(_on_data_changed, sender=model, dispatch_uid=f"report-save-{label}")
        post_delete.connect(_on_data_changed, sender=model, dispatch_uid=f"report-delete-{label}")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                _on_m2m_changed,
                sender=field.remote_field.through,
                dispatch_uid=f"report-m2m-{label}.{field.name}",
            )


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
