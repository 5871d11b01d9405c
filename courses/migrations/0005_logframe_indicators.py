import django.db.models.deletion
from django.db import migrations, models


def _value(verbose_name):
    return models.DecimalField(
        blank=True, decimal_places=2, max_digits=12, null=True, verbose_name=verbose_name
    )


class Migration(migrations.Migration):
    """The logframe's indicators: outcome and output levels, texts, targets, measurements
    and reported participations; a course's knowledge indicator. The invented indicators
    are retired, and the logframe loaded, by 0006."""

    dependencies = [
        ("courses", "0004_cohort_import_roster_permission"),
    ]

    operations = [
        migrations.RenameField(model_name="indicator", old_name="description", new_name="name"),
        migrations.AlterField(
            model_name="indicator",
            name="name",
            field=models.TextField(verbose_name="name (Spanish)"),
        ),
        migrations.AlterField(
            model_name="indicator",
            name="code",
            field=models.CharField(max_length=20, verbose_name="code"),
        ),
        # The indicators already there are the invented ones: outputs counting people.
        migrations.AddField(
            model_name="indicator",
            name="level",
            field=models.CharField(
                choices=[("outcome", "Outcome"), ("output", "Output")],
                default="output",
                max_length=7,
                verbose_name="level",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="indicator",
            name="kind",
            field=models.CharField(
                choices=[
                    ("knowledge_pre_post", "Knowledge increase (pre/post tests)"),
                    ("survey", "Measured by a survey of participants"),
                    ("other", "Other"),
                    ("participants", "Count of participants"),
                ],
                default="participants",
                max_length=20,
                verbose_name="kind",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="indicator",
            name="participant_group",
            field=models.CharField(
                blank=True,
                choices=[
                    ("state_operators", "State operators"),
                    ("other_participants", "Other participants"),
                    ("workshop_participants", "Workshops and conferences"),
                ],
                max_length=25,
                verbose_name="participant group",
            ),
        ),
        migrations.AddField(
            model_name="indicator",
            name="text",
            field=models.TextField(blank=True, verbose_name="text as published"),
        ),
        migrations.AddField(
            model_name="indicator",
            name="unit",
            field=models.CharField(
                choices=[("%", "%"), ("#", "#")], default="#", max_length=1, verbose_name="unit"
            ),
            preserve_default=False,
        ),
        migrations.AlterField(model_name="indicator", name="target", field=_value("target")),
        migrations.AddField(model_name="indicator", name="baseline", field=_value("baseline")),
        migrations.AddField(
            model_name="indicator", name="mid_term", field=_value("mid-term value")
        ),
        migrations.AddField(
            model_name="indicator", name="measurement_1", field=_value("measurement 1")
        ),
        migrations.AddField(
            model_name="indicator", name="measurement_2", field=_value("measurement 2")
        ),
        migrations.AddField(
            model_name="indicator", name="measurement_3", field=_value("measurement 3")
        ),
        migrations.AddField(
            model_name="indicator", name="measurement_4", field=_value("measurement 4")
        ),
        migrations.AddField(
            model_name="indicator",
            name="reference_period",
            field=models.CharField(
                blank=True, max_length=40, verbose_name="period of the last measurement"
            ),
        ),
        migrations.AddField(
            model_name="indicator",
            name="achievement_pct",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                max_digits=8,
                null=True,
                verbose_name="achievement (% of target, as published)",
            ),
        ),
        migrations.AddField(
            model_name="indicator",
            name="reported_participations",
            field=models.PositiveIntegerField(
                blank=True, null=True, verbose_name="participations reported"
            ),
        ),
        migrations.AddField(
            model_name="indicator",
            name="reported_period",
            field=models.CharField(
                blank=True, max_length=7, verbose_name="month reported (YYYY-MM)"
            ),
        ),
        migrations.AlterModelOptions(
            name="indicator",
            options={
                "ordering": ["code", "level"],
                "verbose_name": "logframe indicator",
                "verbose_name_plural": "logframe indicators",
            },
        ),
        migrations.AddConstraint(
            model_name="indicator",
            constraint=models.UniqueConstraint(
                fields=("level", "code"), name="indicator_code_per_level"
            ),
        ),
        migrations.AlterField(
            model_name="course",
            name="indicators",
            field=models.ManyToManyField(
                blank=True,
                help_text="Every participation in the course counts toward each of these.",
                limit_choices_to=models.Q(
                    ("level", "output"),
                    ("participant_group__in", ["state_operators", "other_participants"]),
                ),
                related_name="courses",
                to="courses.indicator",
                verbose_name="participant output indicators",
            ),
        ),
        migrations.AddField(
            model_name="course",
            name="knowledge_indicator",
            field=models.ForeignKey(
                blank=True,
                help_text="The knowledge-increase indicator the course's pre/post tests measure.",
                limit_choices_to=models.Q(("kind", "knowledge_pre_post"), ("level", "outcome")),
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="measuring_courses",
                to="courses.indicator",
                verbose_name="knowledge indicator",
            ),
        ),
    ]
