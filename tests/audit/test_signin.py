"""Sign-in, failed sign-in and sign-out are audited; no password ever is."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-staple"


def _login(client, username: str, password: str):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("admin:login"), {"username": username, "password": password}, REMOTE_ADDR="10.0.0.7"
    )


def test_successful_sign_in_is_recorded(client) -> None:  # type: ignore[no-untyped-def]
    user = UserFactory(username="ana", is_staff=True)
    response = _login(client, "ana", PASSWORD)
    assert response.status_code == 302
    event = AuditEvent.objects.get(action=AuditAction.LOGIN_SUCCESS)
    assert event.actor == user
    assert event.ip_address == "10.0.0.7"


def test_failed_sign_in_is_recorded_without_the_password(client) -> None:  # type: ignore[no-untyped-def]
    UserFactory(username="ana", is_staff=True)
    response = _login(client, "ana", "wrong-password-123")
    assert response.status_code == 200
    event = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILURE)
    assert event.actor is None
    assert event.actor_username == "ana"
    assert "wrong-password-123" not in json.dumps(event.details)
    assert event.details == {}


def test_failed_sign_in_of_unknown_user_is_recorded_without_what_was_typed(client) -> None:  # type: ignore[no-untyped-def]
    # A stranger may type a participant's DNI or e-mail: the append-only log never keeps it.
    _login(client, "43218765", "whatever-123456")
    _login(client, "marisol@example.org", "whatever-123456")
    events = AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILURE)
    assert [e.actor_username for e in events] == ["(usuario inexistente)"] * 2
    assert "43218765" not in json.dumps([e.details for e in events])


def test_sign_out_is_recorded(client) -> None:  # type: ignore[no-untyped-def]
    user = UserFactory(username="ana", is_staff=True)
    client.force_login(user)
    client.post(reverse("admin:logout"))
    assert AuditEvent.objects.filter(action=AuditAction.LOGOUT, actor=user).exists()
