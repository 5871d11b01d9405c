"""Administrators read and filter the log; nobody can add, change or delete through the app."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from audit.services import audit_record
from tests.factories import PersonFactory, SchoolFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(person):  # type: ignore[no-untyped-def]
    other = PersonFactory()
    return [
        audit_record(actor=None, action=AuditAction.PERSON_VIEW, obj=person),
        audit_record(actor=None, action=AuditAction.EXPORT, details={"rows": 10}),
        audit_record(actor=None, action=AuditAction.PERSON_EDIT, obj=other),
    ]


def test_administrator_lists_and_filters(client, role_user, events, person) -> None:  # type: ignore[no-untyped-def]
    client.force_login(role_user("admin"))
    url = reverse("admin:audit_auditevent_changelist")
    response = client.get(url)
    assert response.status_code == 200
    listed = {e.pk for e in response.context["cl"].result_list}
    assert {e.pk for e in events} <= listed
    filtered = client.get(url, {"action__exact": AuditAction.EXPORT})
    assert [e.action for e in filtered.context["cl"].result_list] == [AuditAction.EXPORT]
    searched = client.get(url, {"q": person.code})
    assert [e.object_code for e in searched.context["cl"].result_list] == [person.code]


def test_event_page_is_read_only(client, role_user, events) -> None:  # type: ignore[no-untyped-def]
    client.force_login(role_user("admin"))
    event = events[0]
    url = reverse("admin:audit_auditevent_change", args=[event.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"action": AuditAction.EXPORT})
    assert AuditEvent.objects.get(pk=event.pk).action == AuditAction.PERSON_VIEW
    assert client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    assert client.get(reverse("admin:audit_auditevent_delete", args=[event.pk])).status_code == 403
    assert AuditEvent.objects.filter(pk__in=[e.pk for e in events]).count() == 3


def test_superuser_cannot_delete_either(client, admin_user, events) -> None:  # type: ignore[no-untyped-def]
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:audit_auditevent_delete", args=[events[0].pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert AuditEvent.objects.filter(pk__in=[e.pk for e in events]).count() == 3


@pytest.mark.parametrize("role", ["analyst", "school"])
def test_other_roles_cannot_see_the_log(client, role_user, events, role) -> None:  # type: ignore[no-untyped-def]
    school = SchoolFactory() if role == "school" else None
    client.force_login(role_user(role, school=school))
    response = client.get(reverse("admin:audit_auditevent_changelist"))
    assert response.status_code == 403
