"""Refuse UPDATE and DELETE on the audit table in the database itself (PostgreSQL and SQLite).

The statements are this migration's own, frozen as they were written: later changes to the
guard (audit.triggers) come with migrations of their own (0004, 0008).
"""

from django.db import migrations

_TABLE = "audit_auditevent"
_MESSAGE = "audit events are append-only"

_CREATE = {
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
    ],
}
_DROP = {
    "postgresql": [
        f"DROP TRIGGER IF EXISTS audit_no_update ON {_TABLE};",
        f"DROP TRIGGER IF EXISTS audit_no_delete ON {_TABLE};",
        "DROP FUNCTION IF EXISTS audit_refuse_change();",
    ],
    "sqlite": [
        "DROP TRIGGER IF EXISTS audit_no_update;",
        "DROP TRIGGER IF EXISTS audit_no_delete;",
    ],
}


def forwards(apps, schema_editor):
    # Other databases get no trigger: the ORM guard still applies.
    for sql in _CREATE.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    for sql in _DROP.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
