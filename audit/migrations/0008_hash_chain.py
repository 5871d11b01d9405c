"""Chain the audit log by hash (audit.chain) and seal the events stored so far.

The new columns are nullable so that SQLite adds them in place: rebuilding the table would
drop its append-only triggers. For the same reason the `at` field's change (auto_now_add to a
default set by the service) is a change of Django's state only; it alters nothing in the
database. Sealing the existing events is an UPDATE, which the triggers refuse: they are lifted
for it and restored in the same transaction, so no other writer sees the table unguarded.
This runs after the identity back-fill, which writes events of its own.
"""

import django.utils.timezone
from django.db import migrations, models

from audit.chain import GENESIS, event_seal
from audit.triggers import create_triggers, drop_triggers

_BATCH = 1000


def seal_existing(apps, schema_editor):  # type: ignore[no-untyped-def]
    manager = apps.get_model("audit", "AuditEvent").objects.db_manager(
        schema_editor.connection.alias
    )
    events = manager.order_by("id")
    if not events.exists():
        return
    drop_triggers(schema_editor.connection)
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
    create_triggers(schema_editor.connection)


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
            field=models.CharField(choices=[('login_success', 'Sign-in'), ('login_failure', 'Failed sign-in'), ('login_locked', 'Sign-in locked out'), ('logout', 'Sign-out'), ('import', 'Roster import'), ('export', 'Export'), ('person_view', 'Person detail viewed'), ('person_lookup', 'Persons looked up'), ('person_create', 'Person registered'), ('person_edit', 'Person edited'), ('enrollment_create', 'Enrollment registered'), ('score_edit', 'Scores entered'), ('cohort_create', 'Cohort created'), ('merge', 'Merge'), ('unmerge', 'Merge undone'), ('split', 'Person split'), ('review_decision', 'Review decision'), ('alias_map', 'Spelling mapped to a vocabulary'), ('column_map', 'Roster column mapped to a field'), ('dsr_access', 'Data subject request: access'), ('dsr_rectify', 'Data subject request: rectification'), ('dsr_cancel', 'Data subject request: cancellation'), ('permission_denied', 'Access refused'), ('role_change', 'Role changed'), ('maintenance', 'Data maintenance')], max_length=20, verbose_name="action"),
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
