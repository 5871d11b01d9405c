"""The audit log's hash chain and `manage.py audit_verify`, on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import io
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from audit.chain import GENESIS, SEALED_FIELDS, event_seal
from audit.models import AuditAction, AuditEvent
from audit.services import audit_record
from audit.triggers import create_triggers, drop_triggers

pytestmark = pytest.mark.django_db
migration = __import__("audit.migrations.0008_hash_chain", fromlist=["seal_existing"])


def _verify() -> str:
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    return out.getvalue()


def _events(n: int) -> list[AuditEvent]:
    return [
        audit_record(actor=None, action=AuditAction.EXPORT, details={"rows": i}) for i in range(n)
    ]


def _as_owner(sql: str, params: list[object]) -> None:
    """What the table's owner could do: lift the triggers, change a row, put them back."""
    drop_triggers(connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    create_triggers(connection)


def test_each_event_seals_its_predecessor_and_verify_counts_them() -> None:
    first, second, third = _events(3)
    assert first.prev_hash == GENESIS
    assert (second.prev_hash, third.prev_hash) == (first.hash, second.hash)
    assert len({first.hash, second.hash, third.hash}) == 3
    assert _verify().startswith("Registro de auditoría íntegro: 3 eventos encadenados")


def test_an_empty_log_verifies() -> None:
    assert "íntegro: 0 eventos" in _verify()


def test_details_read_back_from_the_database_keep_their_seal() -> None:
    # jsonb rewrites numbers and key order; the seal is taken over a canonical form.
    details = {"z": 1.0, "big": 1e20, "small": 1e-7, "x": 0.1, "n": {"b": [1, "á", None]}}
    audit_record(actor=None, action=AuditAction.EXPORT, details=details)
    assert "íntegro: 1 eventos" in _verify()


def test_a_forged_back_dated_event_inserted_by_the_app_role_breaks_the_chain() -> None:
    _, head = _events(2)
    # The app role may INSERT; it can read the head and hash, but not with the app's key.
    forged = AuditEvent(
        action=AuditAction.LOGIN_SUCCESS,
        actor_username="director",
        at=head.at - timedelta(days=30),
        prev_hash=head.hash,
    )
    values = {name: getattr(forged, name) for name in SEALED_FIELDS}
    forged.hash = hashlib.sha256(repr(values).encode()).hexdigest()
    forged.save()
    with pytest.raises(CommandError) as error:
        _verify()
    message = str(error.value)
    assert f"evento n.º {forged.pk}" in message
    assert "alterado o falsificado" in message


def test_an_event_without_a_seal_breaks_the_chain() -> None:
    _events(1)
    bare = AuditEvent(action=AuditAction.EXPORT)
    bare.save()
    with pytest.raises(CommandError, match=f"evento n.º {bare.pk} .*no tiene huella"):
        _verify()


def test_an_event_edited_by_the_owner_is_named() -> None:
    _, edited, _ = _events(3)
    _as_owner("UPDATE audit_auditevent SET object_code = %s WHERE id = %s", ["X", edited.pk])
    with pytest.raises(CommandError, match=f"evento n.º {edited.pk} .*alterado o falsificado"):
        _verify()


def test_an_event_deleted_by_the_owner_breaks_the_link_of_the_next() -> None:
    first, deleted, after = _events(3)
    _as_owner("DELETE FROM audit_auditevent WHERE id = %s", [deleted.pk])
    with pytest.raises(CommandError) as error:
        _verify()
    assert f"evento n.º {after.pk}" in str(error.value)
    assert f"no sigue al evento n.º {first.pk}: falta un evento" in str(error.value)


def test_two_events_cannot_seal_onto_the_same_predecessor() -> None:
    (head,) = _events(1)
    fork = AuditEvent(action=AuditAction.EXPORT, prev_hash=head.prev_hash, hash="f" * 64)
    with pytest.raises(IntegrityError), transaction.atomic():
        fork.save()


def test_the_migration_seals_events_stored_before_the_chain_despite_the_triggers() -> None:
    at = timezone.now()
    for i in range(3):
        AuditEvent(action=AuditAction.IMPORT, at=at + timedelta(seconds=i), details={"i": i}).save()
    # The migration's own models (no append-only manager); of the schema editor it uses only
    # the connection.
    state = MigrationLoader(connection).project_state(("audit", "0008_hash_chain"))
    migration.seal_existing(state.apps, SimpleNamespace(connection=connection))
    assert "íntegro: 3 eventos" in _verify()
    # The triggers are back: the sealed rows are append-only again.
    with pytest.raises(Exception), transaction.atomic(), connection.cursor() as cursor:  # noqa: B017, PT011
        cursor.execute("UPDATE audit_auditevent SET object_code = 'X'")
    # And the next event continues the chain.
    _events(1)
    assert "íntegro: 4 eventos" in _verify()


def test_seal_depends_on_every_sealed_field() -> None:
    (event,) = _events(1)
    values = {name: getattr(event, name) for name in SEALED_FIELDS}
    assert event_seal(values) == event.hash
    for name, other in (
        ("actor_username", "otro"),
        ("details", {"rows": 9}),
        ("ip_address", "::1"),
    ):
        assert event_seal({**values, name: other}) != event.hash


def test_the_migrations_frozen_seal_is_the_one_verify_checks() -> None:
    # Events sealed by 0008 must verify with today's rule until a migration reseals them.
    (event,) = _events(1)
    values = {name: getattr(event, name) for name in SEALED_FIELDS}
    values["details"] = {"whole": 2.0, "nested": [1.0, "ñ"]}
    assert migration.event_seal(values) == event_seal(values)
