"""Stored parameters of the linkage model, so every import scores pairs the same way."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LinkageParameters(models.Model):
    """One fitted Fellegi-Sunter model (m/u per comparison level); the newest one is used."""

    created_at = models.DateTimeField(_("fitted at"), auto_now_add=True)
    fitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("fitted by"),
    )
    source = models.CharField(_("fitted on"), max_length=100)
    n_records = models.PositiveIntegerField(_("records"))
    parameters = models.JSONField(_("parameters"))

    class Meta:
        verbose_name = _("linkage model")
        verbose_name_plural = _("linkage models")
        ordering = ["-created_at", "-id"]
        get_latest_by = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.source} ({self.n_records} records, {self.created_at:%Y-%m-%d})"
