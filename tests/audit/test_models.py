"""The audit log is append-only: in the ORM and in the database itself, on both vendors."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from audit.models import AppendOnlyError, AuditAction, AuditEvent
from audit.services import audit_record


@pytest.fixture
def event(db, person):  # type: ignore[no-untyped-def]
    return audit_record(actor=None, action=AuditAction.PERSON_VIEW, obj=person)


def test_saving_an_existing_event_is_refused(event: AuditEvent) -> None:
    event.action = AuditAction.EXPORT
    with pytest.raises(AppendOnlyError):
        event.save()
    event.refresh_from_db()
    assert event.action == AuditAction.PERSON_VIEW


def test_deleting_an_event_is_refused(event: AuditEvent) -> None:
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_queryset_update_and_delete_are_refused(event: AuditEvent) -> None:
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action=AuditAction.EXPORT)
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).action == AuditAction.PERSON_VIEW


def test_database_refuses_update_below_the_orm(event: AuditEvent) -> None:
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET action = %s WHERE id = %s", ["export", event.pk]
        )
    assert AuditEvent.objects.get(pk=event.pk).action == AuditAction.PERSON_VIEW


def test_database_refuses_delete_below_the_orm(event: AuditEvent) -> None:
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_new_events_can_still_be_appended(event: AuditEvent) -> None:
    audit_record(actor=None, action=AuditAction.EXPORT, details={"rows": 3})
    assert AuditEvent.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_flush_can_still_empty_a_test_database() -> None:
    """Transactional tests flush the database; the audit table must not block that."""
    from django.core.management import call_command

    audit_record(actor=None, action=AuditAction.EXPORT)
    call_command("flush", verbosity=0, interactive=False)
    assert AuditEvent.objects.count() == 0
    # ... and the guard is back afterwards.
    audit_record(actor=None, action=AuditAction.EXPORT)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")
