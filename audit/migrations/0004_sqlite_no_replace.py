"""Refuse `INSERT OR REPLACE` of an existing audit event on SQLite (see audit.triggers)."""

from django.db import migrations

# Frozen as written (audit.triggers keeps the live copy for `flush`). S608: the f-string
# holds only the constant table name and message.
_TABLE = "audit_auditevent"
SQLITE_NO_REPLACE = f"""
    CREATE TRIGGER IF NOT EXISTS audit_no_replace BEFORE INSERT ON {_TABLE}
    WHEN EXISTS (SELECT 1 FROM {_TABLE} WHERE id = NEW.id)
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
    """  # noqa: S608
SQLITE_NO_REPLACE_DROP = "DROP TRIGGER IF EXISTS audit_no_replace;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_NO_REPLACE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_NO_REPLACE_DROP)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_split_action")]

    operations = [migrations.RunPython(forwards, backwards)]
