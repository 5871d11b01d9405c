from django.db import migrations


def load(apps, schema_editor):
    from registry.reference_data import load_reference_data

    # The loader is today's code run on this migration's models: the indicators and the
    # courses that link them need fields added later, so 0006_logframe_indicators loads them.
    load_reference_data(apps, parts=("regions", "institutions", "roles", "schools"))


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0002_initial"),
        ("participants", "0001_initial"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
