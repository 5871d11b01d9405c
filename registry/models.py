"""Permissions of the registry's own pages, which have no table of their own."""

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
