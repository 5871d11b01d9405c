"""Writes that bypass the services (admin edits, data fixes in a shell) also make the
stored reports stale: any saved or deleted row of a model the reports count bumps the data
version. Bulk writes send no signals; the services that use them call
`report_data_changed()` themselves."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db.models.signals import post_delete, post_save

from registry.reports.freshness import report_data_changed

COUNTED_MODELS = (
    "participants.Person",
    "participants.DuplicateCandidate",
    "participants.Institution",
    "participants.Region",
    "participants.Role",
    "participants.InstitutionAlias",
    "participants.RegionAlias",
    "participants.RoleAlias",
    "courses.Course",
    "courses.Cohort",
    "courses.Enrollment",
    "courses.Indicator",
    "assessments.Score",
)


def _changed(sender: Any, raw: bool = False, **kwargs: Any) -> None:
    if not raw:  # loading fixtures is not a change of the counted data
        report_data_changed()


def connect() -> None:
    for label in COUNTED_MODELS:
        model = apps.get_model(label)
        post_save.connect(_changed, sender=model, dispatch_uid=f"report-stale-save-{label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"report-stale-delete-{label}")
