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


def test_insert_or_replace_cannot_rewrite_an_event(event: AuditEvent) -> None:
    """SQLite's REPLACE deletes the old row without firing the delete trigger; PostgreSQL's
    upsert is an UPDATE. Both are refused."""
    if connection.vendor == "sqlite":
        statements = [
            "INSERT OR REPLACE INTO audit_auditevent "
            "(id, at, actor_username, action, object_type, object_id, object_code, details) "
            "VALUES (%s, '2020-01-01', 'x', 'export', '', '', '', '{}')",
            "REPLACE INTO audit_auditevent "
            "(id, at, actor_username, action, object_type, object_id, object_code, details) "
            "VALUES (%s, '2020-01-01', 'x', 'export', '', '', '', '{}')",
        ]
    else:
        statements = [
            "INSERT INTO audit_auditevent "
            "(id, at, actor_username, action, object_type, object_id, object_code, details) "
            "VALUES (%s, now(), 'x', 'export', '', '', '', '{}') "
            "ON CONFLICT (id) DO UPDATE SET action = EXCLUDED.action"
        ]
    for sql in statements:
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.action, stored.actor_username) == (AuditAction.PERSON_VIEW, "")


def test_flush_refuses_a_database_that_is_not_a_test_one(event: AuditEvent, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Outside DEBUG and the test runner's databases flush empties nothing, on any vendor."""
    from django.core.management import call_command
    from django.core.management.base import CommandError

    monkeypatch.setitem(connection.settings_dict, "NAME", "registry")
    monkeypatch.setitem(connection.settings_dict, "TEST", {"NAME": None})
    with pytest.raises(CommandError, match="flush se niega a vaciar la base de datos «registry»"):
        call_command("flush", verbosity=0, interactive=False)
    monkeypatch.undo()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_flush_is_allowed_with_debug_or_on_a_test_database(monkeypatch, settings) -> None:  # type: ignore[no-untyped-def]
    from audit.management.commands.flush import flush_allowed

    assert flush_allowed(connection)  # the test runner's database
    monkeypatch.setitem(connection.settings_dict, "NAME", "registry")
    monkeypatch.setitem(connection.settings_dict, "TEST", {"NAME": None})
    settings.DEBUG = False
    assert not flush_allowed(connection)
    settings.DEBUG = True
    assert flush_allowed(connection)
