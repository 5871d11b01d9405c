"""Links in the site header, each shown only to users who may follow it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from accounts.access.user_scope import is_school_staff
from followup.access import can_use_waves
from registry.landing import admin_has_anything_for, can_review, user_home_url
from registry.reports.access import can_view_reports


def nav_links(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    links: list[dict[str, str]] = []
    if user is None or not user.is_authenticated:
        return {"nav_links": links}
    if can_view_reports(user):
        links.append({"url": reverse("reports:dashboard"), "label": "Informes"})
    if can_use_waves(user):
        links.append({"url": reverse("followup:list"), "label": "Seguimiento"})
    if can_review(user):
        links.append({"url": reverse("review:queue"), "label": "Posibles duplicados"})
    if is_school_staff(user):
        links.append({"url": reverse("registration:cohorts"), "label": "Mis cohortes"})
    # Analysts are staff users too, yet the admin has nothing for them: no dead-end link.
    if admin_has_anything_for(request):
        links.append({"url": reverse("admin:index"), "label": "Administración"})
    return {"nav_links": links}


def home_link(request: HttpRequest) -> dict[str, Any]:
    """`home_url`: where the signed-in user works (the error pages' way back), or None.

    A callable, which the template language calls only where a page uses it.
    """

    def home_url() -> str | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return user_home_url(request=request)

    return {"home_url": home_url}
