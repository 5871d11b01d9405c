"""Login throttling (django-axes): 5 failures for a username from one address lock it out."""

from __future__ import annotations

import io
import logging

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-staple"


def _login(client, username: str, password: str, ip: str = "10.0.0.9"):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("admin:login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


@pytest.fixture
def staff(db):  # type: ignore[no-untyped-def]
    return UserFactory(username="lucia", is_staff=True)


def test_five_failures_lock_the_account_even_with_the_right_password(client, staff) -> None:  # type: ignore[no-untyped-def]
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        assert _login(client, "lucia", "wrong-password-1").status_code == 200
    locked = _login(client, "lucia", "wrong-password-1")
    assert locked.status_code == 429
    response = _login(client, "lucia", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(
        action=AuditAction.LOGIN_LOCKED, actor_username="lucia"
    ).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.LOGIN_SUCCESS).exists()


def test_lockout_is_per_username_and_address(client, staff) -> None:  # type: ignore[no-untyped-def]
    UserFactory(username="pedro", is_staff=True)
    for _ in range(5):
        _login(client, "lucia", "wrong-password-1")
    # Another user from the same address, and the same user from another address, still
    # sign in: one attacker cannot lock everybody out.
    assert _login(client, "pedro", PASSWORD).status_code == 302
    client.logout()
    assert _login(client, "lucia", PASSWORD, ip="10.0.0.10").status_code == 302


def test_fewer_failures_then_success_resets_the_counter(client, staff) -> None:  # type: ignore[no-untyped-def]
    for _ in range(4):
        _login(client, "lucia", "wrong-password-1")
    assert _login(client, "lucia", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        _login(client, "lucia", "wrong-password-1")
    assert _login(client, "lucia", PASSWORD).status_code == 302


def test_throttling_log_lines_carry_no_username(client, staff, caplog) -> None:  # type: ignore[no-untyped-def]
    with caplog.at_level(logging.INFO, logger="axes"):
        for _ in range(5):
            _login(client, "lucia", "wrong-password-1")
    text = caplog.text
    assert "AXES" in text
    assert "lucia" not in text
    assert "10.0.0.9" not in text


def test_cooloff_is_one_hour() -> None:
    from datetime import timedelta

    from axes.helpers import get_cool_off

    assert get_cool_off() == timedelta(hours=1)


def test_the_sign_in_form_warns_how_many_tries_are_left(client, staff) -> None:  # type: ignore[no-untyped-def]
    first = _login(client, "lucia", "wrong-password-1").content.decode()
    assert "Le quedan 4 intentos antes de que el ingreso con este usuario se bloquee" in first
    for _ in range(2):
        _login(client, "lucia", "wrong-password-1")
    last = _login(client, "lucia", "wrong-password-1").content.decode()
    assert "Le quedan un intento antes" in last
    assert _login(client, "lucia", "wrong-password-1").status_code == 429


def test_the_lockout_page_links_back_to_the_sign_in(client, staff) -> None:  # type: ignore[no-untyped-def]
    for _ in range(5):
        locked = _login(client, "lucia", "wrong-password-1")
    assert locked.status_code == 429
    assert f'href="{reverse("reports:login")}"' in locked.content.decode()


def test_unlock_sign_in_lifts_the_lockout_and_is_audited(client, staff) -> None:  # type: ignore[no-untyped-def]
    for _ in range(5):
        _login(client, "lucia", "wrong-password-1")
    out = io.StringIO()
    call_command("unlock_sign_in", "lucia", stdout=out)
    assert "Ingreso desbloqueado para lucia: se borraron" in out.getvalue()
    assert _login(client, "lucia", PASSWORD).status_code == 302
    event = AuditEvent.objects.get(action=AuditAction.MAINTENANCE)
    assert event.details["sign_in_unlocked"] == "lucia"
    again = io.StringIO()
    call_command("unlock_sign_in", "pedro", stdout=again)
    assert "no tenía intentos fallidos" in again.getvalue()
