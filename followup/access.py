"""Who may work with follow-up waves, and who may see whom they contact.

Waves are for the holders of `registry.view_reports` (analysts and registry administrators),
the permission the reports ask for; training-school staff never, even if someone gave them
that permission, because a wave reaches people of every school. Only a registry
administrator exports a contact list with names, e-mails and phones: an analyst's list is
pseudonymised (the token and the stratum, nothing that identifies the person).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from accounts.access.user_scope import is_registry_admin, is_school_staff

PERMISSION = "registry.view_reports"


def can_use_waves(user: Any) -> bool:
    # Staff status alone is not enough: training-school staff are staff users too.
    return bool(
        user.is_authenticated
        and user.is_active
        and user.has_perm(PERMISSION)
        and not is_school_staff(user)
    )


def can_identify(user: Any) -> bool:
    """May export the contact lists with who each person is and how to reach them."""
    return can_use_waves(user) and is_registry_admin(user)


def waves_required(
    view: Callable[..., HttpResponseBase],
) -> Callable[..., HttpResponseBase]:
    """Anonymous visitors go to the sign-in page; signed-in users without access get 403."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not can_use_waves(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(wrapped)
