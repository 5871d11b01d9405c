"""Chain the audit log by hash (audit.chain) and seal the events stored so far.

The new columns are nullable so that SQLite adds them in place: rebuilding the table would
drop its append-only triggers. For the same reason the `at` field's change (auto_now_add to a
default set by the service) is a change of Django's state only; it alters nothing in the
database. Sealing the existing events is an UPDATE, which the triggers refuse: they are lifted
for it and restored in the same transaction, so no other writer sees the table unguarded.
This runs after the identity back-fill, which writes events of its own.
"""

import hashlib
import hmac
import json
from datetime import UTC, datetime

import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

_BATCH = 1000

# Frozen as written: the seal (audit.chain.event_seal) and the append-only guard
# (audit.triggers) as they were when this migration sealed the events stored before it. A
# later change to either comes with a migration of its own.
GENESIS = "0" * 64
_SEALED_FIELDS = (
    "prev_hash",
    "at",
    "actor_id",
    "actor_username",
    "action",
    "object_type",
    "object_id",
    "object_code",
    "details",
    "ip_address",
)
_TABLE = "audit_auditevent"
_MESSAGE = "audit events are append-only"
_GUARD_DROP = {
    "postgresql": [
        f"DROP TRIGGER IF EXISTS audit_no_update ON {_TABLE};",
        f"DROP TRIGGER IF EXISTS audit_no_delete ON {_TABLE};",
        "DROP FUNCTION IF EXISTS audit_refuse_change();",
    ],
    "sqlite": [
        "DROP TRIGGER IF EXISTS audit_no_update;",
        "DROP TRIGGER IF EXISTS audit_no_delete;",
        "DROP TRIGGER IF EXISTS audit_no_replace;",
    ],
}
_GUARD_CREATE = {
    "postgresql": [
        f"""
        CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger AS $$
        BEGIN
            RAISE EXCEPTION '{_MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
        END;
        $$ LANGUAGE plpgsql;
        """,
        f"""
        CREATE TRIGGER audit_no_update BEFORE UPDATE ON {_TABLE}
        FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
        """,
        f"""
        CREATE TRIGGER audit_no_delete BEFORE DELETE ON {_TABLE}
        FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
        """,
    ],
    "sqlite": [
        f"""
        CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON {_TABLE}
        BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END;
        """,
        f"""
        CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON {_TABLE}
        BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END;
        """,
        # S608: the f-string holds only the constant table name and message.
        f"""
        CREATE TRIGGER IF NOT EXISTS audit_no_replace BEFORE INSERT ON {_TABLE}
        WHEN EXISTS (SELECT 1 FROM {_TABLE} WHERE id = NEW.id)
        BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END;
        """,  # noqa: S608
    ],
}


def _run(schema_editor, statements) -> None:  # type: ignore[no-untyped-def]
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for sql in statements.get(connection.vendor, []):
            cursor.execute(sql)


def _canonical(name, value):  # type: ignore[no-untyped-def]
    if name == "at" and isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value.isoformat(timespec="microseconds")
    if name == "details":
        return _json_canonical(value if value is not None else {})
    if name in ("actor_username", "object_type", "object_id", "object_code", "action"):
        return "" if value is None else str(value)
    return value


def _json_canonical(value):  # type: ignore[no-untyped-def]
    if isinstance(value, dict):
        return {str(key): _json_canonical(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json_canonical(item) for item in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def event_seal(values) -> str:  # type: ignore[no-untyped-def]
    content = [_canonical(name, values.get(name)) for name in _SEALED_FIELDS]
    message = json.dumps(content, separators=(",", ":"), ensure_ascii=False, sort_keys=True)
    key = getattr(settings, "AUDIT_CHAIN_KEY", "") or settings.SECRET_KEY
    return hmac.new(f"audit-chain:{key}".encode(), message.encode(), hashlib.sha256).hexdigest()


def seal_existing(apps, schema_editor):  # type: ignore[no-untyped-def]
    manager = apps.get_model("audit", "AuditEvent").objects.db_manager(
        schema_editor.connection.alias
    )
    events = manager.order_by("id")
    if not events.exists():
        return
    _run(schema_editor, _GUARD_DROP)
    previous, batch = GENESIS, []
    for event in events.iterator(chunk_size=_BATCH):
        event.prev_hash = previous
        event.hash = event_seal(
            {
                "prev_hash": event.prev_hash,
                "at": event.at,
                "actor_id": event.actor_id,
                "actor_username": event.actor_username,
                "action": event.action,
                "object_type": event.object_type,
                "object_id": event.object_id,
                "object_code": event.object_code,
                "details": event.details,
                "ip_address": event.ip_address,
            }
        )
        previous = event.hash
        batch.append(event)
        if len(batch) == _BATCH:
            manager.bulk_update(batch, ["prev_hash", "hash"])
            batch = []
    manager.bulk_update(batch, ["prev_hash", "hash"])
    _run(schema_editor, _GUARD_CREATE)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0007_column_map_action"),
        ("courses", "0009_identity_records_backfill"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(editable=False, max_length=64, null=True, verbose_name="seal"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(
                editable=False, max_length=64, null=True, verbose_name="previous seal"
            ),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="auditevent",
                    name="at",
                    field=models.DateTimeField(
                        db_index=True,
                        default=django.utils.timezone.now,
                        editable=False,
                        verbose_name="when",
                    ),
                ),
            ],
        ),
        # "Role granted" becomes "Role changed": the admin's changes also take roles away.
        # Choices only, no SQL.
        migrations.AlterField(
            model_name="auditevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("login_success", "Sign-in"),
                    ("login_failure", "Failed sign-in"),
                    ("login_locked", "Sign-in locked out"),
                    ("logout", "Sign-out"),
                    ("import", "Roster import"),
                    ("export", "Export"),
                    ("person_view", "Person detail viewed"),
                    ("person_lookup", "Persons looked up"),
                    ("person_create", "Person registered"),
                    ("person_edit", "Person edited"),
                    ("enrollment_create", "Enrollment registered"),
                    ("score_edit", "Scores entered"),
                    ("cohort_create", "Cohort created"),
                    ("merge", "Merge"),
                    ("unmerge", "Merge undone"),
                    ("split", "Person split"),
                    ("review_decision", "Review decision"),
                    ("alias_map", "Spelling mapped to a vocabulary"),
                    ("column_map", "Roster column mapped to a field"),
                    ("dsr_access", "Data subject request: access"),
                    ("dsr_rectify", "Data subject request: rectification"),
                    ("dsr_cancel", "Data subject request: cancellation"),
                    ("permission_denied", "Access refused"),
                    ("role_change", "Role changed"),
                    ("maintenance", "Data maintenance"),
                ],
                max_length=20,
                verbose_name="action",
            ),
        ),
        migrations.RunPython(seal_existing, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.UniqueConstraint(
                condition=models.Q(("prev_hash__isnull", False)),
                fields=("prev_hash",),
                name="audit_one_successor",
            ),
        ),
    ]
