"""Links in the site header, each shown only to users who may follow it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from accounts.access import is_school_staff
from registry.reports.access import can_view_reports


def nav_links(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    links: list[dict[str, str]] = []
    if user is not None and can_view_reports(user):
        links.append({"url": reverse("reports:dashboard"), "label": "Informes"})
    if (
        user is not None
        and user.is_staff
        and user.has_perm("participants.change_duplicatecandidate")
        and not is_school_staff(user)
    ):
        links.append({"url": reverse("review:queue"), "label": "Posibles duplicados"})
    if user is not None and is_school_staff(user):
        links.append({"url": reverse("registration:cohorts"), "label": "Mis cohortes"})
    return {"nav_links": links}
