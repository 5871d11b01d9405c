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
    # The same report as readers who are not shown exact values see it (small counts
    # withheld, `registry.reports.disclosure`), computed with it; "" for older snapshots.
    published_json = models.TextField(blank=True, default="")
    computed_at = models.DateTimeField()
    compute_seconds = models.FloatField()

    class Meta:
        indexes = [models.Index(fields=["data_version"], name="report_snapshot_version_idx")]

    def __str__(self) -> str:
        return f"report snapshot '{self.key}' at version {self.data_version}"


class ReportFact(models.Model):
    """One participation as the reports count it: the enrollment with its person's, cohort's
    and course's attributes on the same row, and its pre/post percentages.

    Derived data, rebuilt per person from the registry (`registry.reports.facts`), so that
    the reports scan one narrow table instead of joining five. Only enrollments of active
    and cancelled persons have a fact (a merged person's enrollments moved to the survivor);
    cancelled persons' facts are `counted=False` and reach only the anonymised total.
    """

    enrollment_id = models.BigIntegerField(primary_key=True)
    person_id = models.BigIntegerField()
    counted = models.BooleanField()
    sex = models.CharField(max_length=1)
    has_dni = models.BooleanField()
    cohort_id = models.BigIntegerField()
    course_id = models.BigIntegerField()
    component = models.CharField(max_length=12)
    provider = models.CharField(max_length=200)
    start_date = models.DateField(null=True)
    year = models.IntegerField(null=True)
    institution_id = models.BigIntegerField(null=True)
    role_id = models.BigIntegerField(null=True)
    region_id = models.BigIntegerField(null=True)
    # The spelling only while no vocabulary entry is linked ("" once it is).
    institution_text = models.CharField(max_length=200)
    role_text = models.CharField(max_length=200)
    region_text = models.CharField(max_length=200)
    pre = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    post = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    # The course's participant output indicator ids as a JSON array, and the knowledge
    # indicator its tests measure: part of the fact, so that a person's old contributions
    # are still computed with the old links after a change.
    indicators = models.TextField(default="[]")
    knowledge_indicator_id = models.BigIntegerField(null=True)

    class Meta:
        indexes = [
            models.Index(fields=["person_id"], name="report_fact_person_idx"),
            models.Index(fields=["region_id"], name="report_fact_region_idx"),
            models.Index(fields=["institution_id"], name="report_fact_institution_idx"),
            models.Index(fields=["course_id"], name="report_fact_course_idx"),
            models.Index(fields=["start_date"], name="report_fact_start_idx"),
        ]

    def __str__(self) -> str:
        return f"report fact of enrollment {self.enrollment_id}"


class ReportCell(models.Model):
    """One figure family of the report for one slice, kept current as persons change.

    A slice is the whole registry (`slice_dim` "") or the participations with one value of
    a filter (region, institution, course, component, provider, year). Within it, `section`
    and `key` name the figure (section "region", key "12": participations in region 12).
    Every measure is a sum over persons, so a change to a few persons moves the cells by the
    difference of those persons' contributions (`registry.reports.cells`).
    """

    slice_dim = models.CharField(max_length=20, blank=True)
    slice_key = models.CharField(max_length=200, blank=True)
    section = models.CharField(max_length=30)
    key = models.CharField(max_length=300, blank=True)
    persons = models.BigIntegerField(default=0)
    participations = models.BigIntegerField(default=0)
    rows_all = models.BigIntegerField(default=0)  # facts behind the cell, cancelled included
    with_pre = models.BigIntegerField(default=0)
    with_post = models.BigIntegerField(default=0)
    with_both = models.BigIntegerField(default=0)
    sum_pre = models.DecimalField(max_digits=20, decimal_places=2, default=0)
    sum_post = models.DecimalField(max_digits=20, decimal_places=2, default=0)
    improved = models.BigIntegerField(default=0)
    sum_normalised_gain = models.FloatField(default=0)
    normalised_gain_pairs = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["slice_dim", "slice_key", "section", "key"], name="report_cell_unique"
            )
        ]
        indexes = [
            models.Index(
                fields=["slice_dim", "slice_key", "section", "-persons"],
                name="report_cell_top_idx",
            )
        ]

    def __str__(self) -> str:
        return f"report cell {self.slice_dim}={self.slice_key} {self.section}[{self.key}]"


class ReportDirtyPerson(models.Model):
    """A person whose report facts may be out of date, written by database triggers.

    Triggers on enrollments, persons, scores, cohorts, courses and course indicators insert
    a row in the writing transaction itself, so no write path (services, admin, bulk
    updates, a shell) can change counted data without it; `report_cells_refresh` consumes
    the rows.
    """

    person_id = models.BigIntegerField()

    def __str__(self) -> str:
        return f"report facts of person {self.person_id} pending"
