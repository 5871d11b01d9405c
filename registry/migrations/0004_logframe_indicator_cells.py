from django.db import migrations, models

from registry.reports.maintenance import report_cells_rebuild
from registry.reports.triggers import create_triggers, drop_triggers


def forwards(apps, schema_editor):
    """Triggers as the code defines them now (the course trigger also watches the knowledge
    indicator), then every fact and cell rebuilt: the cells now hold the indicator sections
    by sex, institution and region, and the pre/post sums per knowledge indicator.

    This runs today's code, so a later migration that changes what the cells compute moves
    these calls to itself and leaves a no-op here, as 0003 does.
    """
    drop_triggers(schema_editor.connection)
    create_triggers(schema_editor.connection)
    report_cells_rebuild()


def backwards(apps, schema_editor):
    drop_triggers(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0003_report_facts_and_cells"),
        # The triggers watch these apps' tables, and the rebuild reads the final links.
        ("assessments", "0002_initial"),
        ("courses", "0006_logframe_indicators_data"),
        ("participants", "0005_identity_records"),
    ]

    operations = [
        migrations.AddField(
            model_name="reportfact",
            name="knowledge_indicator_id",
            field=models.BigIntegerField(null=True),
        ),
        migrations.RunPython(forwards, backwards),
    ]
