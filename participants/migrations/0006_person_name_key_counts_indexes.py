from django.db import migrations, models


class Migration(migrations.Migration):
    """Partial indexes over active persons' phonetic name keys: the registry-wide name
    frequencies that linking a roster reads become index-only scans."""

    dependencies = [
        ("participants", "0005_identity_records"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                condition=models.Q(("status", "active")),
                fields=["paternal_key"],
                name="person_paternal_key_active_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                condition=models.Q(("status", "active")),
                fields=["maternal_key"],
                name="person_maternal_key_active_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                condition=models.Q(("status", "active")),
                fields=["given_key"],
                name="person_given_key_active_idx",
            ),
        ),
    ]
