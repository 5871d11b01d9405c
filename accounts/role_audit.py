"""Role changes made outside `user_grant_role` (the admin's user and membership pages), audited.

A role is what a user may do: their groups, their own permissions, the staff and superuser
flags and, for school staff, the school whose data they see. Each change is recorded with who
made it, whose account it was, and the role as it was before and after; nothing else of the
account (never its password) is read.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import HttpRequest

from accounts.models import SchoolMembership
from audit.models import AuditAction, AuditEvent
from audit.services import audit_record

RoleSnapshot = dict[str, Any]
# A user that does not exist yet (the admin's add page) holds no role.
NO_ROLE: RoleSnapshot = {
    "groups": [],
    "permissions": [],
    "is_staff": False,
    "is_superuser": False,
    "school": None,
}


def user_role_snapshot(*, user_id: int | None) -> RoleSnapshot:
    """The user's role as the database holds it now (read before and after a change)."""
    if user_id is None:
        return dict(NO_ROLE)
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return dict(NO_ROLE)
    permissions = user.user_permissions.values_list("content_type__app_label", "codename")
    membership = SchoolMembership.objects.filter(user_id=user_id).select_related("school").first()
    return {
        "groups": sorted(user.groups.values_list("name", flat=True)),
        "permissions": sorted(f"{app}.{codename}" for app, codename in permissions),
        "is_staff": user.is_staff,
        "is_superuser": user.is_superuser,
        "school": membership.school.acronym if membership else None,
    }


def user_role_change_record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    user_id: int,
    before: RoleSnapshot,
    request: HttpRequest | None = None,
    via: str = "admin_site",
) -> AuditEvent | None:
    """Record the change from `before` to the user's role now; None when nothing changed."""
    after = user_role_snapshot(user_id=user_id)
    changed = sorted(key for key in after if after[key] != before.get(key))
    if not changed:
        return None
    user = get_user_model().objects.get(pk=user_id)
    return audit_record(
        actor=actor,
        action=AuditAction.ROLE_CHANGE,
        obj=user,
        request=request,
        details={"via": via, "changed": changed, "before": before, "after": after},
    )
