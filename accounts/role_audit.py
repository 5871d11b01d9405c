"""Role changes made outside `user_grant_role` (the admin's user and membership pages), audited.

A role is what a user may do: their groups, their own permissions, the staff and superuser
flags and, for school staff, the school whose data they see. Each change is recorded with who
made it, whose account it was, and the role as it was before and after; nothing else of the
account (never its password) is read. A group is a role itself: a change of its name or of
its permissions changes what every member may do, and is recorded the same way.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group, User
from django.db import models
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
    actor: User | AnonymousUser | None,
    user_id: int,
    before: RoleSnapshot,
    request: HttpRequest | None = None,
    via: str = "admin_site",
) -> AuditEvent | None:
    """Record the change from `before` to the user's role now; None when nothing changed."""
    user = get_user_model().objects.get(pk=user_id)
    after = user_role_snapshot(user_id=user_id)
    return _change_record(
        actor=actor, obj=user, before=before, after=after, request=request, via=via
    )


def group_snapshot(*, group_id: int | None) -> RoleSnapshot:
    """A group's name and permissions as the database holds them now."""
    group = Group.objects.filter(pk=group_id).first() if group_id is not None else None
    if group is None:
        return {"name": None, "permissions": []}
    permissions = group.permissions.values_list("content_type__app_label", "codename")
    return {
        "name": group.name,
        "permissions": sorted(f"{app}.{codename}" for app, codename in permissions),
    }


def group_change_record(
    *,
    actor: User | AnonymousUser | None,
    group: Group,
    before: RoleSnapshot,
    request: HttpRequest | None = None,
    via: str = "admin_site",
) -> AuditEvent | None:
    """Record the change from `before` to the group now; None when nothing changed."""
    after = group_snapshot(group_id=group.pk)
    return _change_record(
        actor=actor, obj=group, before=before, after=after, request=request, via=via
    )


def _change_record(
    *,
    actor: User | AnonymousUser | None,
    obj: models.Model,
    before: RoleSnapshot,
    after: RoleSnapshot,
    request: HttpRequest | None,
    via: str,
) -> AuditEvent | None:
    changed = sorted(key for key in after if after[key] != before.get(key))
    if not changed:
        return None
    return audit_record(
        actor=actor,
        action=AuditAction.ROLE_CHANGE,
        obj=obj,
        request=request,
        details={"via": via, "changed": changed, "before": before, "after": after},
    )
