from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.test import RequestFactory

from audit.models import AuditAction, AuditEvent
from audit.services import audit_record

pytestmark = pytest.mark.django_db


def test_records_actor_object_code_details_and_ip(admin_user, person) -> None:  # type: ignore[no-untyped-def]
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3")
    event = audit_record(
        actor=admin_user,
        action=AuditAction.PERSON_EDIT,
        obj=person,
        details={"changes": {"email": ["a@example.org", "b@example.org"]}},
        request=request,
    )
    event = AuditEvent.objects.get(pk=event.pk)
    assert event.actor == admin_user
    assert event.actor_username == "registry-admin"
    assert event.object_type == "participants.person"
    assert event.object_id == str(person.pk)
    assert event.object_code == person.code
    assert event.details == {"changes": {"email": ["a@example.org", "b@example.org"]}}
    assert event.ip_address == "10.1.2.3"


def test_object_text_is_the_code_never_the_name(person) -> None:  # type: ignore[no-untyped-def]
    event = audit_record(actor=None, action=AuditAction.PERSON_VIEW, obj=person)
    assert person.paternal_surname not in str(event)
    assert person.code in str(event)


def test_dates_and_decimals_become_json(db) -> None:  # type: ignore[no-untyped-def]
    event = audit_record(
        actor=None,
        action=AuditAction.EXPORT,
        details={"on": datetime.date(2026, 11, 27), "score": Decimal("12.50")},
    )
    event.refresh_from_db()
    assert event.details == {"on": "2026-11-27", "score": "12.50"}


def test_secrets_never_reach_the_log(db) -> None:  # type: ignore[no-untyped-def]
    event = audit_record(
        actor=None, action=AuditAction.LOGIN_FAILURE, details={"password": "x", "rows": 1}
    )
    assert event.details == {"rows": 1}


def test_unknown_action_is_refused(db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="Unknown audit action"):
        audit_record(actor=None, action="something_else")
    assert AuditEvent.objects.count() == 0


def test_anonymous_actor_is_stored_as_no_user(db) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import AnonymousUser

    event = audit_record(actor=AnonymousUser(), action=AuditAction.EXPORT)
    assert event.actor is None
    assert event.actor_username == ""


def test_bad_remote_addr_is_not_stored(db) -> None:  # type: ignore[no-untyped-def]
    request = RequestFactory().get("/", REMOTE_ADDR="not-an-ip")
    assert audit_record(actor=None, action=AuditAction.EXPORT, request=request).ip_address is None
