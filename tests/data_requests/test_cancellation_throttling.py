"""Sign-in throttling records that name a cancelled person cannot block her cancellation."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from participants.models import PersonStatus

pytestmark = pytest.mark.django_db

BROWSER = {"REMOTE_ADDR": "10.0.0.9", "HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux)"}


def _fail_sign_in(client, username: str) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        reverse("admin:login"), {"username": username, "password": "no-es-la-clave"}, **BROWSER
    )
    assert response.status_code == 200


def test_failed_sign_ins_with_her_dni_and_email_do_not_block_the_cancellation(  # type: ignore[no-untyped-def]
    client, role_user, subject
) -> None:
    # Anyone can type her identifiers as a username: one attempt row each, from one browser.
    dni, email = subject.document_number, subject.email
    _fail_sign_in(client, dni)
    _fail_sign_in(client, email)
    _fail_sign_in(client, "alguien-mas")
    assert AccessAttempt.objects.count() == 3

    client.force_login(role_user("admin"))
    response = client.post(
        reverse("admin:participants_person_data_cancel", args=[subject.pk]),
        {"reason": "Solicitud 21-2026", "confirm_code": subject.code},
        **BROWSER,
    )

    assert response.status_code == 302
    subject.refresh_from_db()
    assert subject.status == PersonStatus.CANCELLED
    # The two attempts become one for that browser, their failures added up.
    names = sorted(AccessAttempt.objects.values_list("username", "failures_since_start"))
    assert names == [("[CANCELADO]", 2), ("alguien-mas", 1)]
    for attempt in AccessAttempt.objects.all():
        assert dni not in attempt.post_data
        assert email not in attempt.post_data


def test_an_attempt_left_by_an_earlier_cancellation_takes_the_new_failures(  # type: ignore[no-untyped-def]
    admin_user, subject
) -> None:
    from data_requests.cancellation import person_cancel

    browser = {"ip_address": "10.0.0.9", "user_agent": "Mozilla/5.0", "http_accept": "*/*"}
    earlier = AccessAttempt.objects.create(
        **browser, username="[CANCELADO]", path_info="/", failures_since_start=3
    )
    AccessAttempt.objects.create(
        **browser, username=subject.email, path_info="/", failures_since_start=1
    )
    person_cancel(person=subject, actor=admin_user, reason="Solicitud 22-2026")
    assert list(AccessAttempt.objects.values_list("pk", "failures_since_start")) == [
        (earlier.pk, 4)
    ]
