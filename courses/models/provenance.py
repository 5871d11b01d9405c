"""Where every fact came from: an imported file (batch) and each of its rows, kept verbatim."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class BatchStatus(models.TextChoices):
    COMMITTED = "committed", _("Committed")
    PARTIAL = "partial", _("Committed without its rejected rows")
    REJECTED = "rejected", _("Rejected, nothing imported")


class ImportBatch(models.Model):
    """One roster file imported into one cohort."""

    cohort = models.ForeignKey(
        "courses.Cohort", verbose_name=_("cohort"), on_delete=models.PROTECT, related_name="batches"
    )
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    sheet_name = models.CharField(_("sheet"), max_length=100, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="import_batches",
    )
    created_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=BatchStatus.choices)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_new = models.PositiveIntegerField(_("new persons"), default=0)
    rows_linked = models.PositiveIntegerField(_("linked to existing persons"), default=0)
    rows_review = models.PositiveIntegerField(_("possible duplicates for review"), default=0)
    rows_rejected = models.PositiveIntegerField(_("rejected rows"), default=0)
    # The rejected rows with their reasons, so that a partial import stays explainable.
    rejected_rows = models.JSONField(_("rejected rows"), default=list, blank=True)
    # Options the import ran with (score scales, commit-valid ...), for the audit trail.
    options = models.JSONField(_("options"), default=dict, blank=True)

    class Meta:
        # The table keeps the name it had in the participants app (triggers and the
        # reports' SQL name it).
        db_table = "participants_importbatch"
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-created_at"]
        constraints = [
            # Importing the same file into the same cohort again must create nothing new.
            models.UniqueConstraint(
                fields=["cohort", "sha256"],
                condition=~Q(status="rejected"),
                name="batch_file_once_per_cohort",
            ),
        ]

    def __str__(self) -> str:
        # On the registry's clock (settings.TIME_ZONE): in UTC an evening import in Lima
        # would read as the next day's.
        return f"{self.file_name} ({timezone.localtime(self.created_at):%Y-%m-%d %H:%M})"


class RowOutcome(models.TextChoices):
    NEW = "new", _("New person")
    LINKED = "linked", _("Linked to an existing person")
    REVIEW = "review", _("Possible duplicate, queued for review")
    REPEATED = "repeated", _("Same person again in this roster")
    REJECTED = "rejected", _("Rejected")


class SourceRecord(models.Model):
    """One roster row as received. `raw` is never changed after import."""

    batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.PROTECT,
        related_name="records",
        verbose_name=_("import batch"),
    )
    row_number = models.PositiveIntegerField(_("row in the spreadsheet"))
    raw = models.JSONField(_("cells as received"))
    row_hash = models.CharField(_("SHA-256 of the row"), max_length=64, db_index=True)
    person = models.ForeignKey(
        "participants.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="source_records",
        verbose_name=_("person"),
    )
    enrollment = models.ForeignKey(
        "courses.Enrollment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="source_records",
        verbose_name=_("enrollment"),
    )
    # The identity record this row made (a row that linked or added a person makes one).
    identity_record = models.OneToOneField(
        "participants.IdentityRecord",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="source_record",
        verbose_name=_("identity record"),
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=RowOutcome.choices)
    # Values that were flagged but did not stop the row: [{"column": ..., "problem": ...}].
    problems = models.JSONField(_("flagged values"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        db_table = "participants_sourcerecord"
        verbose_name = _("source record")
        verbose_name_plural = _("source records")
        ordering = ["batch", "row_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "row_number"], name="source_row_once_per_batch"
            ),
        ]

    def __str__(self) -> str:
        # The row as the spreadsheet numbers it, in the words of the admin's other pages.
        return f"{self.batch.file_name}, fila {self.row_number}"
