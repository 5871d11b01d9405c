"""Mark the logframe's sensitive participant output indicators (registry.logframe), so a
registry migrated to the flag hides their courses' participations without waiting for the
next `load_reference_data`."""

from django.db import migrations


def forwards(apps, schema_editor):
    from registry.logframe import SENSITIVE_OUTPUTS

    apps.get_model("courses", "Indicator").objects.filter(
        level="output", code__in=list(SENSITIVE_OUTPUTS)
    ).update(sensitive=True)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0011_sensitive_participations"),
    ]

    # Backwards the flag itself goes with 0011; nothing to undo here.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
