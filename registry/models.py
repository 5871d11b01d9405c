"""The registry's own models: the reports' permission, data version and stored snapshots."""

from __future__ import annotations

from django.db import models


class ReportAccess(models.Model):
    """Carries the `registry.view_reports` permission; no table is created for it.

    A permission needs a content type, and an unmanaged model gives it one without a custom
    migration creating Permission rows by hand.
    """

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("view_reports", "Can view the reports and download analyst exports")]
        verbose_name = "reports access"

    def __str__(self) -> str:
        return "reports access"


class ReportDataVersion(models.Model):
    """A counter bumped after every committed write that can change a report figure.

    One row (pk 1). A snapshot of the report remembers the version it was computed at and
    is stale as soon as the counter has moved past it.
    """

    version = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="report_data_version_single_row")
        ]

    def __str__(self) -> str:
        return f"report data version {self.version}"


class ReportSnapshot(models.Model):
    """The report for one set of filters, stored so that the dashboard need not recompute it.

    `key` is the filters' query string ("" for the unfiltered report). Only snapshots of the
    current data version are served; older ones are deleted when a newer one is stored.
    """

    key = models.CharField(max_length=500, unique=True, blank=True)
    data_version = models.PositiveBigIntegerField()
    # Text rather than a JSON column: PostgreSQL's jsonb would reorder the keys, and the
    # report is only ever read whole.
    report_json = models.TextField()
    computed_at = models.DateTimeField()
    compute_seconds = models.FloatField()

    class Meta:
        indexes = [models.Index(fields=["data_version"], name="report_snapshot_version_idx")]

    def __str__(self) -> str:
        return f"report snapshot '{self.key}' at version {self.data_version}"
