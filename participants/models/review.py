"""Possible duplicates waiting for a person to decide, and the merges that resolved them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from formats.numbers import probability_shown


class Decision(models.TextChoices):
    PENDING = "pending", _("Pending")
    SAME = "same", _("Same person")
    DIFFERENT = "different", _("Different people")
    SKIPPED = "skipped", _("Skipped")


class DuplicateCandidate(models.Model):
    """A pair of persons the linkage engine could not decide on.

    The pair is stored with the lower id first so the same question exists once; a decision
    is kept for good and becomes a must-link or cannot-link constraint for clustering.
    """

    # Set by the review queue for its template (not a column).
    reasons_text: str

    person_a = models.ForeignKey(
        "participants.Person",
        on_delete=models.PROTECT,
        related_name="candidate_pairs_a",
        verbose_name=_("person A"),
    )
    person_b = models.ForeignKey(
        "participants.Person",
        on_delete=models.PROTECT,
        related_name="candidate_pairs_b",
        verbose_name=_("person B"),
    )
    score = models.FloatField(_("match probability"))
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    # Which fitted linkage model scored the pair (None: the cold-start model).
    model = models.ForeignKey(
        "participants.LinkageParameters",
        verbose_name=_("linkage model"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicate_decisions",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("decided at"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        ordering = ["-score"]
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="candidate_pair_once"),
            models.CheckConstraint(
                condition=Q(person_a__lt=F("person_b")), name="candidate_pair_ordered"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=1), name="candidate_score_probability"
            ),
        ]
        indexes = [models.Index(fields=["decision", "-score"], name="candidate_queue_idx")]

    def __str__(self) -> str:
        return f"{self.person_a.code} ~ {self.person_b.code} ({probability_shown(self.score)})"


# Rules written by review.merging and review.dedupe; any other rule shows as stored.
MERGE_RULE_LABELS = {
    "survivorship": _("rules for the data that prevail"),
    "reviewer's choices": _("values chosen by the reviewer"),
    "dedupe: automatic link": _("automatic link by the deduplication"),
}


class MergeRecord(models.Model):
    """One merge, with the state before it so that it can be undone exactly."""

    # Set by the merge pages for their templates (not a column).
    can_undo: bool

    survivor = models.ForeignKey(
        "participants.Person",
        on_delete=models.PROTECT,
        related_name="merges_survived",
        verbose_name=_("surviving person"),
    )
    merged = models.ForeignKey(
        "participants.Person",
        on_delete=models.PROTECT,
        related_name="merges_absorbed",
        verbose_name=_("merged person"),
    )
    candidate = models.ForeignKey(
        DuplicateCandidate,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merges",
        verbose_name=_("possible duplicate"),
    )
    score = models.FloatField(_("match probability"), null=True, blank=True)
    rule = models.CharField(_("rule"), max_length=100)
    before_state = models.JSONField(_("state before the merge"))
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merges_done",
        verbose_name=_("merged by"),
    )
    merged_at = models.DateTimeField(auto_now_add=True, verbose_name=_("merged at"))
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merges_undone",
        verbose_name=_("undone by"),
    )
    undone_at = models.DateTimeField(null=True, blank=True, verbose_name=_("undone at"))

    class Meta:
        verbose_name = _("merge")
        verbose_name_plural = _("merges")
        ordering = ["-merged_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(survivor=F("merged")), name="merge_two_different_persons"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.merged.code} -> {self.survivor.code}"

    @property
    def rule_label(self) -> str:
        """The rule as users read it: the stored rule is a code kept as written at the merge."""
        return " + ".join(str(MERGE_RULE_LABELS.get(part, part)) for part in self.rule.split(" + "))


class SplitCandidate(models.Model):
    """A person whose identity records carry two valid DNIs that are not one typo apart.

    Two such DNIs usually mean that two people were linked into one (a wrong automatic link or
    merge). A reviewer either keeps the person together (decision "same") or splits off the
    records of one DNI into a new person (decision "different"); a split is undone by merging
    the two back, like any merge.
    """

    person = models.ForeignKey(
        "participants.Person",
        on_delete=models.PROTECT,
        related_name="split_candidates",
        verbose_name=_("person"),
    )
    dnis = models.JSONField(_("DNIs"), default=list)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    split_into = models.ForeignKey(
        "participants.Person",
        verbose_name=_("split into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="split_from",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="split_decisions",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("decided at"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("suspected wrong link")
        verbose_name_plural = _("suspected wrong links")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(decision__in=["pending", "skipped"]),
                name="split_candidate_open_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person.code}: {', '.join(self.dnis)}"
