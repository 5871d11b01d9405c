"""A survey wave, its strata and sample, the responses and the posts people report now."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# What a wave may stratify by: the person's sex and the institution and region of their
# latest participation in the population.
STRATUM_DIMENSIONS = ("institution", "sex", "region")


class Allocation(models.TextChoices):
    PROPORTIONAL = "proportional", _("proporcional")
    NEYMAN = "neyman", _("Neyman")
    EQUAL = "equal", _("igual")


class WaveStatus(models.TextChoices):
    DRAFT = "draft", _("borrador")
    DRAWN = "drawn", _("muestra extraída")
    CLOSED = "closed", _("cerrada")


class SurveyWave(models.Model):
    """One follow-up survey: who it is about, how its sample is drawn, what it asks."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    purpose = models.TextField(
        _("purpose"), help_text=_("Stated to the persons contacted (Ley 29733).")
    )
    # The report filters that define the population, as query-string values
    # (ReportFilters.as_params, "sex" among them), plus "indicator" and "year_from"/"year_to"
    # when set.
    population = models.JSONField(_("population filters"), default=dict, blank=True)
    strata = models.JSONField(_("stratified by"), default=list, blank=True)
    allocation = models.CharField(
        _("allocation"), max_length=12, choices=Allocation.choices, default=Allocation.PROPORTIONAL
    )
    sample_size = models.PositiveIntegerField(_("sample size"), null=True, blank=True)
    margin_of_error = models.FloatField(_("target margin of error"), null=True, blank=True)
    confidence = models.FloatField(_("confidence level"), default=0.95)
    min_per_stratum = models.PositiveIntegerField(_("minimum per stratum"), default=2)
    # The proportion the size from a margin of error and Neyman's default deviation
    # sqrt(p(1-p)) assume; 0.5 when nothing better is known (the largest variance).
    anticipated_proportion = models.FloatField(_("anticipated proportion"), default=0.5)
    # Neyman allocation: a stratum's standard deviation by stratum key, when known (from an
    # earlier wave); a stratum without one takes sqrt(p(1-p)).
    stratum_sd = models.JSONField(_("standard deviation by stratum"), default=dict, blank=True)
    seed = models.BigIntegerField(_("random seed"))
    status = models.CharField(
        _("status"), max_length=8, choices=WaveStatus.choices, default=WaveStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="survey_waves",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    drawn_at = models.DateTimeField(_("drawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("survey wave")
        verbose_name_plural = _("survey waves")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class QuestionKind(models.TextChoices):
    YES_NO = "yes_no", _("sí / no")
    NUMBER = "number", _("número")
    TEXT = "text", _("texto")


class WaveQuestion(models.Model):
    """A question of the wave, and the survey indicator its answers measure (if any)."""

    wave = models.ForeignKey(SurveyWave, on_delete=models.CASCADE, related_name="questions")
    code = models.SlugField(_("column"), max_length=60)
    text = models.TextField(_("question"))
    kind = models.CharField(_("kind"), max_length=8, choices=QuestionKind.choices)
    indicator = models.ForeignKey(
        "courses.Indicator",
        verbose_name=_("indicator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="survey_questions",
    )

    class Meta:
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")
        constraints = [
            models.UniqueConstraint(fields=["wave", "code"], name="wave_question_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.wave}: {self.code}"


class WaveStratum(models.Model):
    """One stratum of a drawn wave: how many the population holds, how many could be
    contacted, why the others could not, and how many were allocated."""

    wave = models.ForeignKey(SurveyWave, on_delete=models.CASCADE, related_name="strata_drawn")
    key = models.CharField(_("stratum"), max_length=200)  # "institution=12|sex=F"
    label = models.CharField(_("label"), max_length=300)
    population = models.PositiveIntegerField(_("persons in the population"))
    eligible = models.PositiveIntegerField(_("persons who can be contacted"))
    # {"no_consent": 3, "no_contact": 1, "cancelled": 0, "minor": 0}
    excluded = models.JSONField(_("left out, by reason"), default=dict)
    allocated = models.PositiveIntegerField(_("allocated"))
    # The eligible persons not drawn, in the draw's random order: replacements for
    # non-response are taken from its front, so they are as random as the first draw and
    # do not depend on data changed since.
    reserve = models.JSONField(_("reserve for replacements"), default=list, blank=True)

    class Meta:
        verbose_name = _("stratum")
        verbose_name_plural = _("strata")
        ordering = ["wave", "key"]
        constraints = [
            models.UniqueConstraint(fields=["wave", "key"], name="wave_stratum_key_unique")
        ]

    def __str__(self) -> str:
        return f"{self.wave}: {self.label}"


class MemberStatus(models.TextChoices):
    SELECTED = "selected", _("seleccionada")
    RESPONDED = "responded", _("respondió")
    NON_RESPONSE = "non_response", _("no respondió")
    WITHDRAWN = "withdrawn", _("retiró su consentimiento")


class WaveMember(models.Model):
    """A person drawn into a wave's sample (first draw or a replacement)."""

    wave = models.ForeignKey(SurveyWave, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(
        "participants.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="survey_memberships",
    )
    stratum = models.ForeignKey(WaveStratum, on_delete=models.PROTECT, related_name="members")
    # Random per person and wave: what a survey tool shows instead of any identifier.
    token = models.CharField(_("token"), max_length=32, unique=True)
    draw_order = models.PositiveIntegerField(_("draw order"))
    replacement_for = models.ForeignKey(
        "self",
        verbose_name=_("replaces"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replacements",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=MemberStatus.choices, default=MemberStatus.SELECTED
    )
    selected_at = models.DateTimeField(_("selected at"), auto_now_add=True)

    class Meta:
        verbose_name = _("sample member")
        verbose_name_plural = _("sample members")
        ordering = ["wave", "draw_order"]
        constraints = [
            models.UniqueConstraint(fields=["wave", "person"], name="wave_member_person_unique"),
            models.UniqueConstraint(fields=["wave", "draw_order"], name="wave_member_order_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.wave}: {self.token}"


class SurveyResponse(models.Model):
    """A sample member's answers, as imported from the survey tool's export."""

    member = models.OneToOneField(WaveMember, on_delete=models.PROTECT, related_name="response")
    answers = models.JSONField(_("answers"), default=dict)  # question code -> value
    # What the person reports about their post now, as written and as mapped.
    reported = models.JSONField(_("post as reported"), default=dict, blank=True)
    responded_on = models.DateField(_("responded on"), null=True, blank=True)
    source_file = models.CharField(_("file"), max_length=255)
    source_row = models.PositiveIntegerField(_("row"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.PROTECT,
        related_name="survey_responses_imported",
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")

    def __str__(self) -> str:
        return f"{self.member}"


class ReportedPost(models.Model):
    """Where a person says they work now, and when: their last known post is the latest.

    An enrollment keeps the post at the time of the training; this is a separate, dated
    statement, so turnover can be measured without rewriting history.
    """

    person = models.ForeignKey(
        "participants.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="reported_posts",
    )
    institution = models.ForeignKey(
        "participants.Institution",
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    role = models.ForeignKey(
        "participants.Role",
        verbose_name=_("role"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    region = models.ForeignKey(
        "participants.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    institution_text = models.CharField(_("institution as written"), max_length=200, blank=True)
    role_text = models.CharField(_("role as written"), max_length=200, blank=True)
    region_text = models.CharField(_("region as written"), max_length=100, blank=True)
    reported_on = models.DateField(_("reported on"))
    response = models.OneToOneField(
        SurveyResponse,
        verbose_name=_("survey response"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="post",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reported post")
        verbose_name_plural = _("reported posts")
        ordering = ["person", "-reported_on", "-recorded_at"]
        indexes = [models.Index(fields=["person", "-reported_on"], name="reported_post_latest_idx")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.reported_on:%Y-%m-%d}"
