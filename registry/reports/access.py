"""Who may see the reports: holders of `registry.view_reports` (analysts, administrators)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import reverse_lazy

PERMISSION = "registry.view_reports"


def can_view_reports(user: Any) -> bool:
    # Staff status alone is not enough: training-school staff are staff users too.
    return bool(user.is_authenticated and user.has_perm(PERMISSION))


# Any response: the participations' CSV download streams.
def reports_required(
    view: Callable[..., HttpResponseBase],
) -> Callable[..., HttpResponseBase]:
    """Anonymous visitors go to the sign-in page; signed-in users without access get 403."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not can_view_reports(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(wrapped, login_url=reverse_lazy("reports:login"))
