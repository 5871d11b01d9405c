"""Behind a reverse proxy the lockout keys on the client's address, not the proxy's."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory, override_settings
from django.urls import reverse

from audit.client_address import client_address
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-staple"
PROXY = "10.0.0.1"


def _login(client, username: str, password: str, forwarded: str):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_an_attacker_behind_the_proxy_cannot_lock_the_user_out_for_everybody(client) -> None:  # type: ignore[no-untyped-def]
    UserFactory(username="esc_a", is_staff=True)
    for _ in range(5):
        _login(client, "esc_a", "wrong-password-1", forwarded="203.0.113.66")
    assert _login(client, "esc_a", PASSWORD, forwarded="203.0.113.66").status_code == 429
    # The real user, through the same proxy, from their own address, still signs in.
    assert _login(client, "esc_a", PASSWORD, forwarded="198.51.100.7").status_code == 302


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_a_forged_left_entry_does_not_change_the_address() -> None:
    request = RequestFactory().get(
        "/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.66"
    )
    assert client_address(request) == "203.0.113.66"


@override_settings(TRUSTED_PROXY_COUNT=2, TRUSTED_PROXY_HEADER="X-Real-Chain")
def test_two_proxies_and_another_header() -> None:
    request = RequestFactory().get(
        "/", REMOTE_ADDR=PROXY, HTTP_X_REAL_CHAIN="1.2.3.4, 203.0.113.66, 10.0.0.2"
    )
    assert client_address(request) == "203.0.113.66"


def test_without_a_trusted_proxy_the_header_is_ignored() -> None:
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.66")
    assert client_address(request) == PROXY


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_a_request_that_bypassed_the_proxy_or_a_bad_entry() -> None:
    assert client_address(RequestFactory().get("/", REMOTE_ADDR=PROXY)) == PROXY
    bad = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="not-an-ip")
    assert client_address(bad) is None


@override_settings(TRUSTED_PROXY_COUNT=-1)
def test_a_negative_count_is_a_configuration_error_in_spanish() -> None:
    with pytest.raises(ImproperlyConfigured, match="número entero"):
        client_address(RequestFactory().get("/"))
