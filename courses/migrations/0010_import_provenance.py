"""The import's provenance (`ImportBatch`, `SourceRecord`) moves from participants to courses.

A batch belongs to a cohort and a row to an enrollment, so the provenance sits with them and
no model of participants points up at courses. The tables keep their names
(`participants_importbatch`, `participants_sourcerecord`): only Django's state moves, and
the content types are renamed so that permissions and the admin's history follow. Audit
events keep the label they were written with (they are append-only); `audit.models` reads
the old label as the new one.

The link between a roster row and the identity record it made turns around: the row now
names its record (`SourceRecord.identity_record`), copied here from
`IdentityRecord.source_record`, which participants.0009 then drops. Reversing copies it back.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MOVED = ("importbatch", "sourcerecord")


def copy_links(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "UPDATE participants_sourcerecord SET identity_record_id = ("
            " SELECT record.id FROM participants_identityrecord record"
            " WHERE record.source_record_id = participants_sourcerecord.id)"
        )


def copy_links_back(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "UPDATE participants_identityrecord SET source_record_id = ("
            " SELECT row.id FROM participants_sourcerecord row"
            " WHERE row.identity_record_id = participants_identityrecord.id)"
        )


def rename_content_types(apps, schema_editor, old="participants", new="courses") -> None:  # type: ignore[no-untyped-def]
    content_types = apps.get_model("contenttypes", "ContentType").objects
    for model in MOVED:
        if not content_types.filter(app_label=new, model=model).exists():
            content_types.filter(app_label=old, model=model).update(app_label=new)


def rename_content_types_back(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    rename_content_types(apps, schema_editor, old="courses", new="participants")


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0009_identity_records_backfill"),
        ("participants", "0008_recompute_name_keys"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ImportBatch',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('file_name', models.CharField(max_length=255, verbose_name='file name')),
                        ('sha256', models.CharField(max_length=64, verbose_name='SHA-256 of the file')),
                        ('sheet_name', models.CharField(blank=True, max_length=100, verbose_name='sheet')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='imported at')),
                        ('status', models.CharField(choices=[('committed', 'Committed'), ('partial', 'Committed without its rejected rows'), ('rejected', 'Rejected, nothing imported')], max_length=10, verbose_name='status')),
                        ('rows_total', models.PositiveIntegerField(default=0, verbose_name='rows')),
                        ('rows_new', models.PositiveIntegerField(default=0, verbose_name='new persons')),
                        ('rows_linked', models.PositiveIntegerField(default=0, verbose_name='linked to existing persons')),
                        ('rows_review', models.PositiveIntegerField(default=0, verbose_name='possible duplicates for review')),
                        ('rows_rejected', models.PositiveIntegerField(default=0, verbose_name='rejected rows')),
                        ('rejected_rows', models.JSONField(blank=True, default=list, verbose_name='rejected rows')),
                        ('options', models.JSONField(blank=True, default=dict, verbose_name='options')),
                        ('cohort', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='batches', to='courses.cohort', verbose_name='cohort')),
                        ('imported_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='import_batches', to=settings.AUTH_USER_MODEL, verbose_name='imported by')),
                    ],
                    options={
                        'verbose_name': 'import batch',
                        'verbose_name_plural': 'import batches',
                        'db_table': 'participants_importbatch',
                        'ordering': ['-created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='SourceRecord',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('row_number', models.PositiveIntegerField(verbose_name='row in the spreadsheet')),
                        ('raw', models.JSONField(verbose_name='cells as received')),
                        ('row_hash', models.CharField(db_index=True, max_length=64, verbose_name='SHA-256 of the row')),
                        ('outcome', models.CharField(choices=[('new', 'New person'), ('linked', 'Linked to an existing person'), ('review', 'Possible duplicate, queued for review'), ('repeated', 'Same person again in this roster'), ('rejected', 'Rejected')], max_length=10, verbose_name='outcome')),
                        ('problems', models.JSONField(blank=True, default=list, verbose_name='flagged values')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('batch', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='records', to='courses.importbatch', verbose_name='import batch')),
                        ('enrollment', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='source_records', to='courses.enrollment', verbose_name='enrollment')),
                        ('person', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='source_records', to='participants.person', verbose_name='person')),
                    ],
                    options={
                        'verbose_name': 'source record',
                        'verbose_name_plural': 'source records',
                        'db_table': 'participants_sourcerecord',
                        'ordering': ['batch', 'row_number'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='importbatch',
                    constraint=models.UniqueConstraint(condition=models.Q(('status', 'rejected'), _negated=True), fields=('cohort', 'sha256'), name='batch_file_once_per_cohort'),
                ),
                migrations.AddConstraint(
                    model_name='sourcerecord',
                    constraint=models.UniqueConstraint(fields=('batch', 'row_number'), name='source_row_once_per_batch'),
                ),

            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name="sourcerecord",
            name="identity_record",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="source_record",
                to="participants.identityrecord",
                verbose_name="identity record",
            ),
        ),
        migrations.RunPython(copy_links, copy_links_back),
        migrations.RunPython(rename_content_types, rename_content_types_back),
    ]
