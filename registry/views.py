"""Site-wide pages of the registry package."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse

from registry.reports.access import can_view_reports


def home(request: HttpRequest) -> HttpResponseRedirect:
    """Analysts land on the dashboard; everyone else on the administration site."""
    if can_view_reports(request.user) or not request.user.is_authenticated:
        return HttpResponseRedirect(reverse("reports:dashboard"))
    return HttpResponseRedirect(reverse("admin:index"))
