"""Courses, their runs (cohorts), the schools that organise them, and who took part."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class School(models.Model):
    """A training school or partner that organises cohorts and registers their participants."""

    acronym = models.CharField(_("acronym"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200, unique=True)

    class Meta:
        verbose_name = _("school or partner")
        verbose_name_plural = _("schools and partners")
        ordering = ["acronym"]

    def __str__(self) -> str:
        return self.acronym


class Indicator(models.Model):
    """A logframe indicator that courses report to, e.g. "1.2.1.2"."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    description = models.TextField(_("description"))
    # Target in unique persons trained, where the logframe sets one.
    target = models.PositiveIntegerField(_("target"), null=True, blank=True)

    class Meta:
        verbose_name = _("logframe indicator")
        verbose_name_plural = _("logframe indicators")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class Component(models.TextChoices):
    PROSECUTION = "prosecution", _("Prosecution")
    PROTECTION = "protection", _("Protection")
    PREVENTION = "prevention", _("Prevention")


class Course(models.Model):
    title = models.CharField(_("title"), max_length=250, unique=True)
    component = models.CharField(
        _("component"), max_length=12, choices=Component.choices, blank=True
    )
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    indicators = models.ManyToManyField(
        Indicator, verbose_name=_("indicators"), blank=True, related_name="courses"
    )

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Modality(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    VIRTUAL = "virtual", _("Virtual")
    HYBRID = "hybrid", _("Hybrid")


class Cohort(models.Model):
    """One run of a course: its dates, place and organiser. A roster is a cohort's list."""

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="cohorts"
    )
    label = models.CharField(_("label"), max_length=100)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    region = models.ForeignKey(
        "participants.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cohorts",
    )
    modality = models.CharField(
        _("modality"), max_length=10, choices=Modality.choices, default=Modality.IN_PERSON
    )
    school = models.ForeignKey(
        School,
        verbose_name=_("organising school or partner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cohorts",
    )

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["-start_date", "label"]
        permissions = [("import_roster", _("Can import a roster into a cohort"))]
        constraints = [
            models.UniqueConstraint(fields=["course", "label"], name="cohort_label_per_course"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="cohort_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course.title} - {self.label}"


class Enrollment(models.Model):
    """A person's participation in a cohort.

    Institution, role and region are those *at the time of the training*: officials rotate
    posts, so they belong here and not on the person. The text as written in the roster is kept
    beside the vocabulary entry; an unmapped spelling has text and no entry.
    """

    person = models.ForeignKey(
        "participants.Person", on_delete=models.PROTECT, related_name="enrollments"
    )
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="enrollments")
    institution = models.ForeignKey(
        "participants.Institution", null=True, blank=True, on_delete=models.PROTECT
    )
    institution_text = models.CharField(_("institution as written"), max_length=200, blank=True)
    role = models.ForeignKey("participants.Role", null=True, blank=True, on_delete=models.PROTECT)
    role_text = models.CharField(_("role as written"), max_length=200, blank=True)
    region = models.ForeignKey(
        "participants.Region", null=True, blank=True, on_delete=models.PROTECT
    )
    region_text = models.CharField(_("region as written"), max_length=100, blank=True)
    # Set when the same person appeared more than once in one roster.
    repeated_in_roster = models.BooleanField(
        _("listed more than once in the roster"), default=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        ordering = ["cohort", "person"]
        constraints = [
            models.UniqueConstraint(fields=["person", "cohort"], name="enrollment_once_per_cohort"),
        ]

    def __str__(self) -> str:
        return f"{self.person.code} @ {self.cohort}"
