"""Mark the logframe's sensitive participant output indicators, so a registry migrated to
the flag hides their courses' participations without waiting for the next
`load_reference_data` (which marks the same codes, from `registry.logframe.SENSITIVE_OUTPUTS`).
The codes are written here, as a migration runs the same whatever the code becomes later."""

from django.db import migrations

SENSITIVE_OUTPUTS = ("2.4.3.7",)


def forwards(apps, schema_editor):
    apps.get_model("courses", "Indicator").objects.filter(
        level="output", code__in=SENSITIVE_OUTPUTS
    ).update(sensitive=True)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0011_sensitive_participations"),
    ]

    # Backwards the flag itself goes with 0011; nothing to undo here.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
