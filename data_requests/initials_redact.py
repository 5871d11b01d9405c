"""Finding (`initial_mentions_of`) and removing a cancelled person's initial-and-surname
mentions (see `initials`) in other people's data: free text on enrollments and identity
records loses the mention and the separator before it ("Fiscalía - E. Quilcaruná" ->
"Fiscalía", so that the reports count one institution, not a new one); roster cells, kept
as received, have the mention replaced by
"[CANCELADO]" and keep the rest ("Fiscalía - [CANCELADO]").

The database is searched first for the bare surname (data_requests.prefilter),
then each row found is checked with the exact pattern.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Model, Q, QuerySet, TextField
from django.db.models.functions import Cast

from courses.models import ImportBatch, SourceRecord
from data_requests.initials import InitialMentions, initial_mentions
from data_requests.prefilter import word_pattern
from data_requests.redaction import MIN_SECRET_LENGTH, REDACTED
from participants.models import IdentityRecord, Person, PersonStatus
from participants.names import fold
from participants.phonetic import maternal_key, surname_key

CHUNK = 2000
ENROLLMENT_FIELDS = ["institution_text", "role_text", "region_text"]
IDENTITY_FIELDS = ["institution", "role", "region"]


def initial_mentions_redact(
    *, mentions: InitialMentions, surnames: Iterable[str]
) -> tuple[int, set[int]]:
    """Every stored value that mentions the person by initial and surname; returns the
    number of rows changed and the ids of the import batches whose rows mentioned them."""
    if mentions.pattern is None:
        return 0, set()
    from courses.models import Enrollment  # courses sits above participants

    surname = "|".join(word_pattern(word) for word in sorted(surnames))
    changed = _free_text(Enrollment.objects.all(), ENROLLMENT_FIELDS, surname, mentions)
    changed += _free_text(IdentityRecord.objects.all(), IDENTITY_FIELDS, surname, mentions)
    rows = _source_rows(surname, mentions)
    batches = _rejected_rows(surname, mentions)
    return changed + len(rows) + len(batches), {row.batch_id for row in rows} | set(batches)


def _candidates(queryset: QuerySet[Any], fields: list[str], surname: str) -> QuerySet[Any]:
    # JSON columns are read as their text, as the other searches do.
    texts = {f"{field}_text": Cast(field, TextField()) for field in fields}
    where = Q()
    for name in texts:
        where |= Q(**{f"{name}__iregex": surname})
    found = queryset.annotate(**texts).filter(where).values("pk")
    return queryset.filter(pk__in=found).select_for_update(of=("self",)).order_by("pk")


def _free_text(
    queryset: QuerySet[Any], fields: list[str], surname: str, mentions: InitialMentions
) -> int:
    changed: list[Model] = []
    for row in _candidates(queryset, fields, surname).iterator(chunk_size=CHUNK):
        hits = [field for field in fields if mentions.found_in(getattr(row, field))]
        for field in hits:
            setattr(row, field, mentions.cut(getattr(row, field)))
        if hits:
            changed.append(row)
    if changed:
        queryset.model._default_manager.bulk_update(changed, fields, batch_size=CHUNK)
    return len(changed)


def _source_rows(surname: str, mentions: InitialMentions) -> list[SourceRecord]:
    changed: list[SourceRecord] = []
    found = SourceRecord.objects.only("raw", "problems", "batch_id")
    rows = _candidates(found, ["raw", "problems"], surname)
    for row in rows.iterator(chunk_size=CHUNK):
        raw, problems = _in_json(row.raw, mentions), _in_json(row.problems, mentions)
        if (raw, problems) != (row.raw, row.problems):
            row.raw, row.problems = raw, problems
            changed.append(row)
    SourceRecord.objects.bulk_update(changed, ["raw", "problems"], batch_size=CHUNK)
    return changed


def _rejected_rows(surname: str, mentions: InitialMentions) -> list[int]:
    changed: list[ImportBatch] = []
    batches = _candidates(ImportBatch.objects.only("rejected_rows"), ["rejected_rows"], surname)
    for batch in batches.iterator(chunk_size=CHUNK):
        rows = _in_json(batch.rejected_rows, mentions)
        if rows != batch.rejected_rows:
            batch.rejected_rows = rows
            changed.append(batch)
    ImportBatch.objects.bulk_update(changed, ["rejected_rows"], batch_size=CHUNK)
    return [batch.pk for batch in changed]


def _in_json(value: Any, mentions: InitialMentions) -> Any:
    if isinstance(value, dict):
        return {key: _in_json(item, mentions) for key, item in value.items()}
    if isinstance(value, list):
        return [_in_json(item, mentions) for item in value]
    if isinstance(value, str) and mentions.found_in(value):
        return mentions.replace(value, REDACTED)
    return value


def initial_mentions_of(
    persons: list[Person], records: list[IdentityRecord], ids: list[int]
) -> tuple[InitialMentions, int]:
    """Her initial-and-surname mentions, leaving out those a namesake of the registry
    shares (see `initials`); read before her names are blanked."""
    described: list[Person | IdentityRecord] = [*persons, *records]
    given = {fold(item.given_names).split(" ")[0] for item in described if item.given_names}
    surnames = {
        fold(item.paternal_surname)
        for item in described
        # A two-letter surname next to an initial ("E. Li") would match ordinary text.
        if len(fold(item.paternal_surname)) >= MIN_SECRET_LENGTH
    }
    words = {word for surname in surnames for word in surname.split(" ")}
    # The blocking keys of her surnames as either surname of someone else (the one key rule).
    as_paternal = {surname_key(surname) for surname in surnames} - {""}
    as_maternal = {maternal_key(surname) for surname in surnames} - {""}
    namesakes = (
        Person.objects.filter(Q(paternal_key__in=as_paternal) | Q(maternal_key__in=as_maternal))
        .exclude(pk__in=ids)
        .exclude(status=PersonStatus.CANCELLED)
        .values_list("given_names", "paternal_surname", "maternal_surname")
    )
    sharing = [
        (names, f"{paternal} {maternal}")
        for names, paternal, maternal in namesakes
        if words & set(fold(f"{paternal} {maternal}").split(" "))
    ]
    return initial_mentions(given=given, surnames=surnames, namesakes=sharing)
