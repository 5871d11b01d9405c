"""Role-level refusals (403) of signed-in users are audited once, without query strings."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from audit.middleware import PermissionDeniedAuditMiddleware
from audit.models import AuditAction, AuditEvent
from tests.factories import SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db


def _denied() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED))


def test_analyst_refused_by_the_review_queue_is_recorded(client, role_user) -> None:  # type: ignore[no-untyped-def]
    analyst = role_user("analyst")
    client.force_login(analyst)
    response = client.get(reverse("review:queue"), {"q": "41234567"}, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 403
    [event] = _denied()
    assert event.actor == analyst
    assert event.ip_address == "10.0.0.9"
    assert event.details == {
        "path": reverse("review:queue"),
        "method": "GET",
        "status": 403,
        "view": "review:queue",
    }
    # The query string (search terms, possibly a DNI) is never kept.
    assert "41234567" not in str(event.details)


def test_school_staff_refused_by_the_reports_is_recorded(client, role_user) -> None:  # type: ignore[no-untyped-def]
    staff = role_user("school", school=SchoolFactory())
    client.force_login(staff)
    assert client.get(reverse("reports:dashboard")).status_code == 403
    assert [event.actor for event in _denied()] == [staff]


def test_admin_refusal_is_recorded(client, role_user) -> None:  # type: ignore[no-untyped-def]
    analyst = role_user("analyst")
    client.force_login(analyst)
    url = reverse("admin:audit_auditevent_changelist")
    assert client.get(url).status_code == 403
    [event] = _denied()
    assert (event.actor, event.details["path"]) == (analyst, url)


def test_anonymous_visitors_are_not_recorded(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get(reverse("review:queue"))
    assert response.status_code == 302  # to the sign-in page
    assert _denied() == []


def test_allowed_requests_are_not_recorded(client, role_user) -> None:  # type: ignore[no-untyped-def]
    client.force_login(role_user("admin"))
    assert client.get(reverse("review:queue")).status_code == 200
    assert _denied() == []


def test_object_level_refusal_is_recorded_once(client, role_user) -> None:  # type: ignore[no-untyped-def]
    """Another school's cohort is a 404 recorded by the view; the middleware adds nothing."""
    from tests.factories import CohortFactory

    school = SchoolFactory()
    client.force_login(role_user("school", school=school))
    other = CohortFactory()
    assert client.get(reverse("registration:cohort", args=[other.pk])).status_code == 404
    [event] = _denied()
    assert event.object_id == str(other.pk)


def test_permission_denied_raised_by_a_view_is_recorded_once() -> None:
    """The handler inside the middleware chain turns PermissionDenied into the 403 it sees."""
    from django.core.handlers.exception import convert_exception_to_response

    def view(request):  # type: ignore[no-untyped-def]
        raise PermissionDenied

    request = RequestFactory().post("/some/where/?dni=41234567")
    request.user = UserFactory()
    response = PermissionDeniedAuditMiddleware(convert_exception_to_response(view))(request)
    assert response.status_code == 403
    [event] = _denied()
    assert event.details == {"path": "/some/where/", "method": "POST", "status": 403}


def test_other_statuses_are_not_recorded() -> None:
    request = RequestFactory().get("/")
    request.user = UserFactory()
    PermissionDeniedAuditMiddleware(lambda r: HttpResponse(status=404))(request)
    assert _denied() == []
