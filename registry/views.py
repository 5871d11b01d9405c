"""Site-wide pages of the registry package."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse

from accounts.access import is_school_staff
from registry.reports.access import can_view_reports


def home(request: HttpRequest) -> HttpResponseRedirect:
    """School staff land on their cohorts, analysts on the dashboard, others on the admin."""
    if is_school_staff(request.user):
        return redirect("registration:cohorts")
    if can_view_reports(request.user) or not request.user.is_authenticated:
        return HttpResponseRedirect(reverse("reports:dashboard"))
    return HttpResponseRedirect(reverse("admin:index"))
