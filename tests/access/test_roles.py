from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from accounts.models import SchoolMembership
from accounts.roles import ADMINISTRATOR, ANALYST, SCHOOL_STAFF, roles_setup, user_grant_role
from audit.models import AuditAction, AuditEvent
from tests.factories import SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db


def _codenames(role: str) -> set[str]:
    group = Group.objects.get(name=role)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}


def test_migrate_creates_the_three_roles() -> None:
    assert set(Group.objects.values_list("name", flat=True)) >= {
        ADMINISTRATOR,
        ANALYST,
        SCHOOL_STAFF,
    }


def test_administrator_has_everything_of_the_registry() -> None:
    perms = _codenames(ADMINISTRATOR)
    assert {
        "participants.change_person",
        "participants.change_duplicatecandidate",
        "participants.change_mergerecord",
        "participants.add_institutionalias",
        "courses.import_roster",
        "courses.add_cohort",
        "assessments.change_score",
        "audit.view_auditevent",
        "registry.view_reports",
    } <= perms
    assert "audit.change_auditevent" not in perms
    assert "audit.delete_auditevent" not in perms


def test_analyst_only_sees_reports() -> None:
    assert _codenames(ANALYST) == {"registry.view_reports"}


def test_school_staff_cannot_merge_review_or_see_the_audit() -> None:
    perms = _codenames(SCHOOL_STAFF)
    assert {"courses.add_cohort", "courses.add_enrollment", "assessments.add_score"} <= perms
    assert {"participants.view_person", "participants.add_person", "courses.import_roster"} <= perms
    assert not perms & {
        "participants.change_person",
        "participants.change_duplicatecandidate",
        "participants.change_mergerecord",
        "audit.view_auditevent",
        "registry.view_reports",
    }


def test_setup_is_idempotent_and_resets_hand_added_permissions() -> None:
    from django.contrib.auth.models import Permission

    group = Group.objects.get(name=ANALYST)
    group.permissions.add(Permission.objects.get(codename="change_person"))
    report = roles_setup()
    assert report.groups_created == 0
    assert _codenames(ANALYST) == {"registry.view_reports"}
    assert Group.objects.filter(name__in=[ADMINISTRATOR, ANALYST, SCHOOL_STAFF]).count() == 3


def test_setup_roles_command(capsys) -> None:  # type: ignore[no-untyped-def]
    call_command("setup_roles")
    assert "Roles ready: 0 group(s) created" in capsys.readouterr().out


def test_grant_school_role_sets_membership_staff_flag_and_audit() -> None:
    school = SchoolFactory()
    user = UserFactory()
    user_grant_role(user=user, role=SCHOOL_STAFF, school=school)
    user.refresh_from_db()
    assert user.is_staff
    assert not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == [SCHOOL_STAFF]
    assert SchoolMembership.objects.get(user=user).school == school
    assert AuditEvent.objects.filter(
        action=AuditAction.ROLE_CHANGE, object_id=str(user.pk)
    ).exists()


def test_new_role_replaces_the_old_one_and_drops_the_school() -> None:
    user = UserFactory()
    user_grant_role(user=user, role=SCHOOL_STAFF, school=SchoolFactory())
    user_grant_role(user=user, role=ANALYST)
    assert list(user.groups.values_list("name", flat=True)) == [ANALYST]
    assert not SchoolMembership.objects.filter(user=user).exists()


@pytest.mark.parametrize(
    ("role", "needs_school"), [(SCHOOL_STAFF, False), (ANALYST, True), ("Superuser", False)]
)
def test_grant_refuses_inconsistent_requests(role: str, needs_school: bool) -> None:
    user = UserFactory()
    with pytest.raises(ValueError):  # noqa: PT011
        user_grant_role(user=user, role=role, school=SchoolFactory() if needs_school else None)
    assert not user.groups.exists()


def test_grant_role_command(capsys) -> None:  # type: ignore[no-untyped-def]
    school = SchoolFactory(acronym="ESC1")
    user = UserFactory(username="maria")
    call_command("grant_role", "maria", "school", "--school", "ESC1")
    assert "maria is now Training school staff at ESC1" in capsys.readouterr().out
    assert SchoolMembership.objects.get(user=user).school == school


def test_grant_role_command_fails_clearly() -> None:
    from django.core.management.base import CommandError

    UserFactory(username="maria")
    with pytest.raises(CommandError, match="No school with acronym 'NOPE'"):
        call_command("grant_role", "maria", "school", "--school", "NOPE")
    with pytest.raises(CommandError, match="needs --school"):
        call_command("grant_role", "maria", "school")
    with pytest.raises(CommandError, match="No user named 'ghost'"):
        call_command("grant_role", "ghost", "analyst")


def test_no_user_accounts_exist_after_migrate() -> None:
    """No default accounts: migrations and role setup create groups, never users."""
    from django.contrib.auth import get_user_model

    assert get_user_model().objects.count() == 0
