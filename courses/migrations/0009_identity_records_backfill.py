"""Give roster rows committed before identity records existed the record their import makes.

Runs `intake.identity_backfill.batches.identity_records_backfill`, the service behind `manage.py
identity_backfill`, with this migration's models: the rows are read with today's staging
and key rule, as migration participants.0008 recomputes keys with today's rule. On a new
database there is nothing to do. The registry learns from the new records (survivorship,
same-DNI pairs, suspected wrong links) at the next `manage.py dedupe`: the migration writes
through its own models only.

Reversing leaves the records: they are descriptions of persons, which are never deleted.
"""

from django.db import migrations

from intake.identity_backfill.batches import identity_records_backfill


def backfill(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    identity_records_backfill(apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0008_column_profile"),
        ("participants", "0008_recompute_name_keys"),
        ("audit", "0006_maintenance_action"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
