"""Courses, their runs (cohorts), the schools that organise them, and who took part."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


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


class Component(models.TextChoices):
    PROSECUTION = "prosecution", _("Prosecution")
    PROTECTION = "protection", _("Protection")
    PREVENTION = "prevention", _("Prevention")


class IndicatorLevel(models.TextChoices):
    OUTCOME = "outcome", _("Outcome")
    OUTPUT = "output", _("Output")


class IndicatorKind(models.TextChoices):
    KNOWLEDGE = "knowledge_pre_post", _("Knowledge increase (pre/post tests)")
    SURVEY = "survey", _("Measured by a survey of participants")
    OTHER = "other", _("Other")
    PARTICIPANTS = "participants", _("Count of participants")


class ParticipantGroup(models.TextChoices):
    """The groups of participant output indicators in the evaluation's annex 6."""

    STATE_OPERATORS = "state_operators", _("State operators")
    OTHER_PARTICIPANTS = "other_participants", _("Other participants")
    WORKSHOP_PARTICIPANTS = "workshop_participants", _("Workshops and conferences")


# The groups whose participants took courses: what a course may count toward. Workshop
# and conference attendance was reported apart.
COURSE_GROUPS = (ParticipantGroup.STATE_OPERATORS, ParticipantGroup.OTHER_PARTICIPANTS)
COURSE_INDICATORS = Q(level="output", participant_group__in=[g.value for g in COURSE_GROUPS])
KNOWLEDGE_INDICATORS = Q(level="outcome", kind="knowledge_pre_post")
# The first number of a code is the logframe's objective, one per component.
COMPONENT_OF_OBJECTIVE = {
    "1": Component.PROSECUTION,
    "2": Component.PROTECTION,
    "3": Component.PREVENTION,
}
MEASUREMENTS = ("measurement_1", "measurement_2", "measurement_3", "measurement_4")


def _value(verbose_name: StrOrPromise) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=12, decimal_places=2, null=True, blank=True)


class Indicator(models.Model):
    """A logframe indicator as the project's final evaluation published it.

    Outcome indicators carry their baseline, target and measurements; participant output
    indicators the participations the project reported. A code can name an outcome and an
    output indicator at once (1.2.1.1 is both), so a code is unique per level. Loaded from
    `fixtures/reference/` by `registry.reference_data` (see `registry.logframe`).
    """

    level = models.CharField(_("level"), max_length=7, choices=IndicatorLevel.choices)
    code = models.CharField(_("code"), max_length=20)
    kind = models.CharField(_("kind"), max_length=20, choices=IndicatorKind.choices)
    participant_group = models.CharField(
        _("participant group"), max_length=25, choices=ParticipantGroup.choices, blank=True
    )
    # The Spanish display name, beside the text as the logframe publishes it (English).
    name = models.TextField(_("name (Spanish)"))
    text = models.TextField(_("text as published"), blank=True)
    unit = models.CharField(_("unit"), max_length=1, choices=[("%", "%"), ("#", "#")])
    baseline = _value(_("baseline"))
    target = _value(_("target"))
    mid_term = _value(_("mid-term value"))
    measurement_1 = _value(_("measurement 1"))
    measurement_2 = _value(_("measurement 2"))
    measurement_3 = _value(_("measurement 3"))
    measurement_4 = _value(_("measurement 4"))
    reference_period = models.CharField(
        _("period of the last measurement"), max_length=40, blank=True
    )
    achievement_pct = models.DecimalField(
        _("achievement (% of target, as published)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
    )
    # What the project reported for a participant output indicator: participations, not
    # persons, and the month it reported them (YYYY-MM).
    reported_participations = models.PositiveIntegerField(
        _("participations reported"), null=True, blank=True
    )
    reported_period = models.CharField(_("month reported (YYYY-MM)"), max_length=7, blank=True)
    # Taking part reveals something about the person (a course for trafficking survivors
    # and groups at risk): see `courses.sensitivity`.
    sensitive = models.BooleanField(
        _("sensitive participation"),
        default=False,
        help_text=_("Participation in the courses counted here reveals sensitive data."),
    )

    class Meta:
        verbose_name = _("logframe indicator")
        verbose_name_plural = _("logframe indicators")
        ordering = ["code", "level"]
        constraints = [
            models.UniqueConstraint(fields=["level", "code"], name="indicator_code_per_level"),
        ]

    def __str__(self) -> str:
        name = self.name if len(self.name) <= 80 else self.name[:79] + "…"
        return f"{self.code} · {name}"

    @property
    def component(self) -> str:
        """Component 1 is prosecution, 2 protection, 3 prevention ("" for another code)."""
        return COMPONENT_OF_OBJECTIVE.get(self.code.split(".")[0], "")

    @property
    def counts_courses(self) -> bool:
        """A participant output indicator that courses count toward."""
        return self.level == IndicatorLevel.OUTPUT and self.participant_group in COURSE_GROUPS

    def measurements(self) -> list[Decimal | None]:
        return [getattr(self, name) for name in MEASUREMENTS]

    def latest_measurement(self) -> Decimal | None:
        """The last published measurement, if any."""
        return next((value for value in reversed(self.measurements()) if value is not None), None)


class Course(models.Model):
    title = models.CharField(_("title"), max_length=250, unique=True)
    component = models.CharField(
        _("component"), max_length=12, choices=Component.choices, blank=True
    )
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    # What each participation counts toward, and what the course's tests measure.
    indicators = models.ManyToManyField(
        Indicator,
        verbose_name=_("participant output indicators"),
        blank=True,
        related_name="courses",
        limit_choices_to=COURSE_INDICATORS,
        help_text=_("Every participation in the course counts toward each of these."),
    )
    knowledge_indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("knowledge indicator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="measuring_courses",
        limit_choices_to=KNOWLEDGE_INDICATORS,
        help_text=_("The knowledge-increase indicator the course's pre/post tests measure."),
    )
    sensitive = models.BooleanField(
        _("sensitive participation"),
        default=False,
        help_text=_(
            "Taking part in this course reveals sensitive data (for example, that the "
            "person is a trafficking survivor)."
        ),
    )

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["title"]
        permissions = [
            (
                "view_sensitive_participation",
                "Puede ver participaciones en cursos sensibles",
            )
        ]

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
        "participants.Person",
        on_delete=models.PROTECT,
        related_name="enrollments",
        verbose_name=_("person"),
    )
    cohort = models.ForeignKey(
        Cohort, on_delete=models.PROTECT, related_name="enrollments", verbose_name=_("cohort")
    )
    institution = models.ForeignKey(
        "participants.Institution",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("institution"),
    )
    institution_text = models.CharField(_("institution as written"), max_length=200, blank=True)
    role = models.ForeignKey(
        "participants.Role", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("role")
    )
    role_text = models.CharField(_("role as written"), max_length=200, blank=True)
    region = models.ForeignKey(
        "participants.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("region"),
    )
    region_text = models.CharField(_("region as written"), max_length=100, blank=True)
    # Set when the same person appeared more than once in one roster.
    repeated_in_roster = models.BooleanField(
        _("listed more than once in the roster"), default=False
    )
    # What a roster stated of the person's age at this training, kept for when the registry
    # has no birth date (courses.minors reads the birth date first). Per participation, not
    # per person: a stated age is true of one date only.
    age_stated = models.PositiveSmallIntegerField(
        _("age stated at the training"), null=True, blank=True
    )
    minor_stated = models.BooleanField(_("stated to be a minor"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        ordering = ["cohort", "person"]
        constraints = [
            models.UniqueConstraint(fields=["person", "cohort"], name="enrollment_once_per_cohort"),
        ]

    def __str__(self) -> str:
        return f"{self.person.code} @ {self.cohort}"
