"""Recompute the stored phonetic name keys with the one key rule (participants.phonetic.name_keys).

Keys stored before it split the given names on spaces before folding them ("Mary-Luz" kept
as one word), while look-ups folded first ("MARY LUZ" -> "MARY"), so the same name could
never be found again; surnames now also leave out particles and a married "de" + surname.
The rule is imported, not copied: a migration that recomputes keys must compute today's.
"""

from django.db import migrations

from participants.phonetic import name_keys

_BATCH = 2000
_FIELDS = ("paternal_key", "maternal_key", "given_key")


def _recompute(model) -> None:  # type: ignore[no-untyped-def]
    changed = []
    rows = model.objects.only("pk", "given_names", "paternal_surname", "maternal_surname", *_FIELDS)
    for row in rows.iterator(chunk_size=_BATCH):
        keys = name_keys(
            given_names=row.given_names,
            paternal_surname=row.paternal_surname,
            maternal_surname=row.maternal_surname,
        )
        if any(getattr(row, field) != value for field, value in keys.items()):
            for field, value in keys.items():
                setattr(row, field, value)
            changed.append(row)
        if len(changed) >= _BATCH:
            model.objects.bulk_update(changed, _FIELDS)
            changed = []
    if changed:
        model.objects.bulk_update(changed, _FIELDS)


def recompute_keys(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    _recompute(apps.get_model("participants", "Person"))
    _recompute(apps.get_model("participants", "IdentityRecord"))


class Migration(migrations.Migration):
    dependencies = [("participants", "0007_alter_duplicatecandidate_created_at_and_more")]

    operations = [migrations.RunPython(recompute_keys, migrations.RunPython.noop)]
