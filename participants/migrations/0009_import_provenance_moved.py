"""The import's provenance now belongs to courses (see courses.0010): the record no longer
names its row (the row names its record), and the two models leave this app's state. Their
tables stay where they are."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0008_recompute_name_keys"),
        ("courses", "0010_import_provenance"),
    ]

    operations = [
        migrations.RemoveField(model_name="identityrecord", name="source_record"),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="sourcerecord", name="batch"),
                migrations.RemoveField(model_name="sourcerecord", name="enrollment"),
                migrations.RemoveField(model_name="sourcerecord", name="person"),
                migrations.DeleteModel(name="SourceRecord"),
                migrations.DeleteModel(name="ImportBatch"),
            ],
            database_operations=[],
        ),
    ]
