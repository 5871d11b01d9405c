"""Refuse `INSERT OR REPLACE` of an existing audit event on SQLite (see audit.triggers)."""

from django.db import migrations

from audit.triggers import SQLITE_NO_REPLACE, SQLITE_NO_REPLACE_DROP


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_NO_REPLACE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_NO_REPLACE_DROP)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_split_action")]

    operations = [migrations.RunPython(forwards, backwards)]
