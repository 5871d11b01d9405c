"""Where each user works, and whether a page is theirs to open.

One answer for the site root, the sign-in form (its default destination, and whether a
`?next=` is followed), the header's links and the error pages' way back:

- school staff: their cohorts (`/schools/`);
- registry administrators (and superusers): the review queue (`/review/`);
- analysts: the reports (`/reports/`);
- other staff: the admin index, when the admin has anything for them;
- anyone else: no home (the site root answers 403).

The checks ask the same predicates the pages themselves enforce (accounts.access, the reports'
and the review queue's); a page may still refuse a particular row (another school's cohort is
a 404), but never the user's whole section.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.contrib import admin
from django.http import HttpRequest
from django.urls import Resolver404, resolve, reverse

from accounts.access.user_scope import is_school_staff
from registry.reports.access import can_view_reports
from review.views import REVIEW_PERMISSION

SIGN_IN_OUT = frozenset({"login", "logout"})


def can_review(user: Any) -> bool:
    """The review queue's own rule: staff holding the review permission, never school staff."""
    return bool(
        user.is_authenticated
        and user.is_staff
        and user.has_perm(REVIEW_PERMISSION)
        and not is_school_staff(user)
    )


def admin_has_anything_for(request: HttpRequest) -> bool:
    """True when the admin index would list at least one model for the user."""
    user = request.user
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    # Kept on the request: the header and the error pages ask on the same page.
    if not hasattr(request, "_registry_admin_apps"):
        request._registry_admin_apps = bool(admin.site.get_app_list(request))  # type: ignore[attr-defined]
    return request._registry_admin_apps  # type: ignore[attr-defined]


def user_home_url(*, request: HttpRequest) -> str | None:
    """The page the user works from, or None for a signed-in user with no role."""
    user = request.user
    if not user.is_authenticated:
        return None
    if is_school_staff(user):
        return reverse("registration:cohorts")
    if can_review(user):
        return reverse("review:queue")
    if can_view_reports(user):
        return reverse("reports:dashboard")
    if admin_has_anything_for(request):
        return reverse("admin:index")
    return None


def _admin_page_open(request: HttpRequest, view: Any) -> bool:
    if not admin_has_anything_for(request):
        return False
    model_admin = getattr(view, "model_admin", None)
    if model_admin is not None:
        return bool(model_admin.has_view_or_change_permission(request))
    return True


def user_may_open(*, request: HttpRequest, url: str) -> bool:
    """Whether the signed-in user may open the section `url` (a path on this site) belongs to."""
    user = request.user
    path = urlsplit(url).path
    try:
        match = resolve(path)
    except Resolver404:
        return False
    if match.url_name in SIGN_IN_OUT:
        # Back to a sign-in or sign-out page right after signing in helps nobody.
        return False
    namespace = match.namespace
    if namespace == "registration":
        return is_school_staff(user)
    if namespace == "review":
        return can_review(user)
    if namespace == "reports":
        return can_view_reports(user)
    if namespace == "admin":
        return _admin_page_open(request, match.func)
    # The site root sends the user home; any page this module does not know about is, on
    # the safe reading, not theirs.
    return namespace == "" and match.url_name == "home"
