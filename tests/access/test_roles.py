from __future__ import annotations

import re

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
    assert {"participants.view_person", "courses.import_roster"} <= perms
    assert not perms & {
        # Persons enter through the school's registration pages, not the admin's add form.
        "participants.add_person",
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
    assert "Roles listos: 0 grupo(s) creado(s)" in capsys.readouterr().out


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
    assert "maria ahora tiene el rol «personal de escuela de capacitación» en ESC1." in (
        capsys.readouterr().out
    )
    assert SchoolMembership.objects.get(user=user).school == school


def test_grant_role_accepts_the_acronym_in_any_case() -> None:
    school = SchoolFactory(acronym="ENAMAG")
    user = UserFactory(username="maria")
    call_command("grant_role", "maria", "escuela", "--school", "enamag")
    assert SchoolMembership.objects.get(user=user).school == school


def test_grant_role_command_fails_clearly_in_spanish() -> None:
    from django.core.management.base import CommandError

    SchoolFactory(acronym="ESC2")
    SchoolFactory(acronym="ESC1")
    UserFactory(username="maria")
    with pytest.raises(
        CommandError,
        match=re.escape("No existe una escuela con la sigla «NOPE». Siglas válidas: ")
        + r".*\bESC1, ESC2\b",
    ):
        call_command("grant_role", "maria", "school", "--school", "NOPE")
    with pytest.raises(CommandError, match="necesita --school SIGLA"):
        call_command("grant_role", "maria", "school")
    with pytest.raises(CommandError, match=re.escape("No existe el usuario «ghost». Use --create")):
        call_command("grant_role", "ghost", "analyst")
    with pytest.raises(CommandError, match="Rol desconocido «superuser»"):
        call_command("grant_role", "maria", "superuser")
    assert not SchoolMembership.objects.exists()


class _Stdin:
    def __init__(self, tty: bool) -> None:
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def test_create_without_a_terminal_prints_a_random_password_once(capsys) -> None:  # type: ignore[no-untyped-def]
    call_command("grant_role", "ana", "analyst", "--create", stdin=_Stdin(tty=False))
    out = capsys.readouterr().out
    assert "Usuario «ana» creado." in out
    assert "ana ahora tiene el rol «analista»." in out
    [line] = [line for line in out.splitlines() if "se muestra una sola vez" in line]
    password = line.rsplit(": ", 1)[1]
    assert len(password) >= 20
    user = UserFactory._meta.model.objects.get(username="ana")
    assert user.check_password(password)
    assert list(user.groups.values_list("name", flat=True)) == [ANALYST]


def test_create_with_random_password_in_a_terminal_asks_nothing(capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def no_prompt(prompt: str = "") -> str:
        raise AssertionError("no password should be asked")

    monkeypatch.setattr("getpass.getpass", no_prompt)
    call_command(
        "grant_role", "ana", "admin", "--create", "--random-password", stdin=_Stdin(tty=True)
    )
    assert "se muestra una sola vez" in capsys.readouterr().out


def test_create_in_a_terminal_asks_twice_and_validates(capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    answers = iter(
        [
            "Registro2024", "Registro2024",  # refused: built on the site's words
            "caballo correcto batería grapa", "caballo correcto bateria",  # differ
            "caballo correcto batería grapa", "caballo correcto batería grapa",
        ]
    )  # fmt: skip
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    school = SchoolFactory(acronym="ESC1")
    call_command("grant_role", "ana", "school", "--school", "esc1", "--create", stdin=_Stdin(True))
    captured = capsys.readouterr()
    assert "palabras del propio registro" in captured.err
    assert "Las contraseñas no coinciden." in captured.err
    assert "caballo" not in captured.out  # a typed password is never echoed
    user = UserFactory._meta.model.objects.get(username="ana")
    assert user.check_password("caballo correcto batería grapa")
    assert SchoolMembership.objects.get(user=user).school == school


def test_create_refuses_when_no_password_is_accepted(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from django.core.management.base import CommandError

    monkeypatch.setattr("getpass.getpass", lambda prompt="": "aaaaaaaaaaaa")
    with pytest.raises(CommandError, match="ninguna contraseña fue aceptada"):
        call_command("grant_role", "ana", "analyst", "--create", stdin=_Stdin(True))
    assert not UserFactory._meta.model.objects.filter(username="ana").exists()


def test_create_refuses_an_existing_user_and_a_bad_school_creates_nothing() -> None:
    from django.core.management.base import CommandError

    UserFactory(username="maria")
    with pytest.raises(CommandError, match="ya existe"):
        call_command("grant_role", "maria", "analyst", "--create", stdin=_Stdin(False))
    with pytest.raises(CommandError, match="No existe una escuela"):
        call_command(
            "grant_role", "nuevo", "school", "--school", "X", "--create", stdin=_Stdin(False)
        )
    assert not UserFactory._meta.model.objects.filter(username="nuevo").exists()


def test_no_user_accounts_exist_after_migrate() -> None:
    """No default accounts: migrations and role setup create groups, never users."""
    from django.contrib.auth import get_user_model

    assert get_user_model().objects.count() == 0


def test_setup_renames_the_english_groups_of_earlier_versions_keeping_their_users() -> None:
    Group.objects.filter(name=ANALYST).update(name="Analyst")
    user = UserFactory()
    user.groups.add(Group.objects.get(name="Analyst"))
    roles_setup()
    assert not Group.objects.filter(name="Analyst").exists()
    assert list(user.groups.values_list("name", flat=True)) == [ANALYST]
    assert ANALYST == "Analista"
