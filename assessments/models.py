"""Pre- and post-test scores per enrollment, kept on their own scale and as a percentage."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Phase(models.TextChoices):
    PRE = "pre", _("Pre-test")
    POST = "post", _("Post-test")


class Score(models.Model):
    enrollment = models.ForeignKey(
        "courses.Enrollment",
        on_delete=models.PROTECT,
        related_name="scores",
        verbose_name=_("enrollment"),
    )
    phase = models.CharField(_("test"), max_length=4, choices=Phase.choices)
    raw_score = models.DecimalField(_("score"), max_digits=6, decimal_places=2)
    # Maximum of the test's scale: 20 on Peru's vigesimal scale, 100 for percentages.
    scale_max = models.DecimalField(_("maximum of the scale"), max_digits=6, decimal_places=2)
    # Stored (not computed per query) so that reports aggregate it in the database.
    percent = models.DecimalField(_("score (% of the scale)"), max_digits=5, decimal_places=2)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("test score")
        verbose_name_plural = _("test scores")
        ordering = ["enrollment", "phase"]
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "phase"], name="score_once_per_phase"),
            models.CheckConstraint(condition=Q(scale_max__gt=0), name="score_scale_positive"),
            models.CheckConstraint(
                condition=Q(raw_score__gte=0) & Q(raw_score__lte=F("scale_max")),
                name="score_within_scale",
            ),
            models.CheckConstraint(
                condition=Q(percent__gte=0) & Q(percent__lte=100), name="score_percent_range"
            ),
            models.CheckConstraint(condition=Q(phase__in=Phase.values), name="score_phase_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_phase_display()}: {self.raw_score}/{self.scale_max}"

    def save(self, *args: object, **kwargs: object) -> None:
        # Keeping the derived percentage in step with its inputs is an invariant of the row,
        # not business logic, so it lives here.
        self.percent = percent_of(self.raw_score, self.scale_max)
        super().save(*args, **kwargs)  # type: ignore[arg-type]


def percent_of(raw_score: Decimal, scale_max: Decimal) -> Decimal:
    if not scale_max:
        return Decimal(0)
    return (Decimal(raw_score) * 100 / Decimal(scale_max)).quantize(Decimal("0.01"))
