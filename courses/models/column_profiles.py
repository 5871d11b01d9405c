"""How the rosters of one school or partner are read: its column profile.

Partners send their exports as their tools write them, and a tool's layout repeats from one
course to the next. When an administrator tells the import, in a preview, which field an
unread column holds (or that it holds nothing to import), the answer is kept here, for the
cohort's school or, when a cohort has none, for its course's provider; the next file of the
same layout is read the same way, by the admin and by the commands alike. A header is kept
folded (`participants.names.fold`): "Nota Final", "NOTA FINAL" and "nota final" are one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from courses.roster_fields import PROFILE_CHOICES


class ColumnProfile(models.Model):
    """One header of a school's (or provider's) rosters and the field it is read as."""

    school = models.ForeignKey(
        "courses.School",
        verbose_name=_("school or partner"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="column_profiles",
    )
    # A course's provider as written, folded: the owner when a cohort has no school.
    provider = models.CharField(_("course provider"), max_length=200, blank=True)
    header_key = models.CharField(_("header (folded)"), max_length=200)
    header = models.CharField(_("header as written"), max_length=200)
    field = models.CharField(_("read as"), max_length=30, choices=PROFILE_CHOICES)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mapped by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("mapped at"), auto_now=True)

    class Meta:
        verbose_name = _("remembered roster column")
        verbose_name_plural = _("remembered roster columns")
        ordering = ["school__acronym", "provider", "header_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "header_key"],
                condition=Q(school__isnull=False),
                name="column_profile_header_once_per_school",
            ),
            models.UniqueConstraint(
                fields=["provider", "header_key"],
                condition=Q(school__isnull=True),
                name="column_profile_header_once_per_provider",
            ),
            models.CheckConstraint(
                condition=(Q(school__isnull=False) & Q(provider=""))
                | (Q(school__isnull=True) & ~Q(provider="")),
                name="column_profile_one_owner",
            ),
            models.CheckConstraint(
                condition=~Q(header_key=""), name="column_profile_header_not_blank"
            ),
            models.CheckConstraint(
                condition=Q(field__in=[value for value, _label in PROFILE_CHOICES]),
                name="column_profile_field_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.owner_label}: {self.header} → {self.get_field_display()}"

    @property
    def owner_label(self) -> str:
        return self.school.acronym if self.school is not None else self.provider
