"""Role changes made in the admin's user and school-membership pages are audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from accounts.models import SchoolMembership
from accounts.roles import ADMINISTRATOR, ANALYST, roles_setup
from audit.models import AuditAction, AuditEvent
from tests.factories import SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"  # the factories' test password


@pytest.fixture
def client_of(admin_user):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(admin_user)
    return client


def _change_data(user: Any, **changes: Any) -> dict[str, Any]:
    """The user change form as the admin page posts it, with `changes` applied."""
    data: dict[str, Any] = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "groups": [group.pk for group in user.groups.all()],
        "user_permissions": [],
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
    }
    if user.is_staff:
        data["is_staff"] = "on"
    if user.is_superuser:
        data["is_superuser"] = "on"
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def _role_events(user: Any) -> list[AuditEvent]:
    return list(AuditEvent.objects.for_object(user).filter(action=AuditAction.ROLE_CHANGE))


def test_groups_and_flags_changed_on_the_user_page_are_audited(client_of, admin_user) -> None:  # type: ignore[no-untyped-def]
    roles_setup()
    target = UserFactory(username="analista1")
    url = reverse("admin:auth_user_change", args=[target.pk])
    groups = [Group.objects.get(name=ADMINISTRATOR).pk]
    response = client_of.post(url, _change_data(target, groups=groups, is_staff="on"))
    assert response.status_code == 302, response.content.decode()[:2000]

    (event,) = _role_events(target)
    assert event.actor == admin_user
    assert event.details["via"] == "admin_site"
    assert event.details["changed"] == ["groups", "is_staff"]
    assert event.details["before"]["groups"] == []
    assert event.details["before"]["is_staff"] is False
    assert event.details["after"]["groups"] == [ADMINISTRATOR]
    assert event.details["after"]["is_staff"] is True
    assert PASSWORD not in str(event.details)
    assert "password" not in str(event.details)


def test_superuser_flag_is_audited_and_a_save_without_role_change_is_not(client_of) -> None:  # type: ignore[no-untyped-def]
    target = UserFactory(username="operador", is_staff=True)
    url = reverse("admin:auth_user_change", args=[target.pk])
    client_of.post(url, _change_data(target, first_name="Ana"))
    assert _role_events(target) == []

    client_of.post(url, _change_data(target, is_superuser="on"))
    (event,) = _role_events(target)
    assert event.details["changed"] == ["is_superuser"]
    assert (event.details["before"]["is_superuser"], event.details["after"]["is_superuser"]) == (
        False,
        True,
    )


def test_school_membership_added_moved_and_removed_in_the_admin_is_audited(client_of) -> None:  # type: ignore[no-untyped-def]
    roles_setup()
    school_a, school_b = SchoolFactory(acronym="ESA"), SchoolFactory(acronym="ESB")
    target = UserFactory(username="docente")
    target.groups.add(Group.objects.get(name=ANALYST))

    client_of.post(
        reverse("admin:accounts_schoolmembership_add"),
        {"user": target.pk, "school": school_a.pk},
    )
    membership = SchoolMembership.objects.get(user=target)
    client_of.post(
        reverse("admin:accounts_schoolmembership_change", args=[membership.pk]),
        {"user": target.pk, "school": school_b.pk},
    )
    client_of.post(
        reverse("admin:accounts_schoolmembership_delete", args=[membership.pk]),
        {"post": "yes"},
    )
    schools = [
        (event.details["before"]["school"], event.details["after"]["school"])
        for event in sorted(_role_events(target), key=lambda event: event.pk)
    ]
    assert schools == [(None, "ESA"), ("ESA", "ESB"), ("ESB", None)]


def test_a_permission_added_to_a_group_on_its_page_is_audited(client_of, admin_user) -> None:  # type: ignore[no-untyped-def]
    roles_setup()
    group = Group.objects.get(name=ANALYST)
    before = sorted(group.permissions.values_list("pk", flat=True))
    extra = Permission.objects.get(content_type__app_label="auth", codename="change_user")
    client_of.post(
        reverse("admin:auth_group_change", args=[group.pk]),
        {"name": group.name, "permissions": [*before, extra.pk]},
    )
    (event,) = AuditEvent.objects.for_object(group).filter(action=AuditAction.ROLE_CHANGE)
    assert event.actor == admin_user
    assert event.details["changed"] == ["permissions"]
    assert "auth.change_user" not in event.details["before"]["permissions"]
    assert "auth.change_user" in event.details["after"]["permissions"]
