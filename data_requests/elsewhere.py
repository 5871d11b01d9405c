"""A cancelled person's data outside their own records.

Their own rows (linked to them) are redacted by `cancellation` with every value they ever
had. What is not linked to them is looked for here, by identifying evidence only
(`traces.PersonTraces`), so that other people's data stays:
- roster rows rejected at import, kept twice (`SourceRecord` with no person, and the
  batch's `rejected_rows`), and any other person's row that mentions them;
- the admin's "recent actions" (`django_admin_log`), sign-in throttling records
  (django-axes, see `throttling`) and sessions;
- report snapshots, which are a cache and are dropped whole.
File names and hashes of imports are in `batches`, mentions by initial in `initials`, and
import previews on disk in `previews`.

Each search runs in the database first (data_requests.prefilter), so that only
the few rows that could name the person are read into Python.

A row whose name, document or contact cells carry one of their identifiers or their
complete name counts as theirs, and loses every personal cell (as their own rows do), even
if some cell in it belongs to someone else (their DNI typed in another person's row): when
a row mixes two people, its whole personal part goes. Any other row loses only the cells
that name them (a comment "reemplaza a ...", an e-mail of theirs), and keeps the rest.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, cast

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from courses.models import ImportBatch, SourceRecord
from data_requests.initials import InitialMentions
from data_requests.prefilter import filter_mentions, mention_patterns
from data_requests.redaction import (
    REDACTED,
    redact_json,
    redact_json_where,
    redact_row,
)
from data_requests.traces import PersonTraces
from participants.models import Person

CHUNK = 2000
_TEXT_FIELDS = (models.CharField, models.TextField)


def unlinked_rows_redact(*, traces: PersonTraces, exclude_ids: Iterable[int]) -> list[SourceRecord]:
    """Roster rows not linked to the person that are theirs or mention them; returns the
    rows changed."""
    mentions = mention_patterns(traces)
    if mentions is None:
        return []
    excluded = set(exclude_ids)
    changed: list[SourceRecord] = []
    # The scan is not locking, so that PostgreSQL may run it in parallel; the few rows it
    # finds are locked and read again (two cancellations rewriting one row must not undo
    # each other), and the exact checks run on what is read then.
    found = filter_mentions(SourceRecord.objects.all(), mentions, "raw", "problems")
    ids = [pk for pk in found.values_list("pk", flat=True) if pk not in excluded]
    for start in range(0, len(ids), CHUNK):
        changed += _redact_rows(traces, ids[start : start + CHUNK])
    SourceRecord.objects.bulk_update(changed, ["raw", "problems", "row_hash"], batch_size=CHUNK)
    return changed


def _redact_rows(traces: PersonTraces, ids: list[int]) -> list[SourceRecord]:
    changed: list[SourceRecord] = []
    rows = (
        SourceRecord.objects.select_for_update()
        .filter(pk__in=ids)
        .only("raw", "problems", "row_hash", "person_id", "batch_id")
    )
    for record in rows.order_by("pk"):
        theirs = isinstance(record.raw, dict) and traces.row_is_theirs(record.raw)
        raw, problems = _redact_entry(traces, record.raw, record.problems)
        if (raw, problems) != (record.raw, record.problems):
            record.raw, record.problems = raw, problems
            # The hash of the row as received would still recognise a row of theirs. A row
            # of another person that only mentions them keeps its hash, so that importing
            # that file again still skips that person's row.
            if theirs or record.person_id is None:
                record.row_hash = ""
            changed.append(record)
    return changed


def rejected_rows_redact(*, traces: PersonTraces) -> list[int]:
    """The rejected rows every batch keeps (row, reason, problems, raw); returns the ids of
    the batches changed."""
    mentions = mention_patterns(traces)
    if mentions is None:
        return []
    changed: list[ImportBatch] = []
    batches = (
        filter_mentions(ImportBatch.objects.all(), mentions, "rejected_rows")
        .select_for_update(of=("self",))
        .only("pk", "rejected_rows")
    )
    for batch in batches.order_by("pk").iterator(chunk_size=CHUNK):
        redacted = [_redact_rejected(traces, entry) for entry in batch.rejected_rows]
        if redacted != batch.rejected_rows:
            batch.rejected_rows = redacted
            changed.append(batch)
    ImportBatch.objects.bulk_update(changed, ["rejected_rows"], batch_size=CHUNK)
    return [batch.pk for batch in changed]


def admin_log_redact(*, traces: PersonTraces, persons: list[Person]) -> int:
    """The admin's log: entries about the person keep only their code; any other entry
    loses the text that names them. Returns the number of entries changed."""
    person_type = ContentType.objects.get_for_model(Person)
    codes = {str(p.pk): p.code for p in persons}
    entries = LogEntry.objects.filter(content_type=person_type, object_id__in=list(codes))
    mentions = mention_patterns(traces)
    if mentions is not None:
        named = filter_mentions(LogEntry.objects.all(), mentions, "object_repr", "change_message")
        entries = LogEntry.objects.filter(
            Q(pk__in=entries.values("pk")) | Q(pk__in=named.values("pk"))
        )
    changed: list[LogEntry] = []
    for entry in entries.select_for_update().order_by("pk").iterator(chunk_size=CHUNK):
        own = entry.content_type_id == person_type.pk and entry.object_id in codes
        before = (entry.object_repr, entry.change_message)
        if own:
            entry.object_repr = codes[str(entry.object_id)]
            entry.change_message = _redact_message(
                entry.change_message, lambda value: redact_json(value, traces.secrets)
            )
        elif traces.names_them(entry.object_repr) or traces.names_them(entry.change_message):
            if traces.names_them(entry.object_repr):
                entry.object_repr = REDACTED
            entry.change_message = _redact_message(
                entry.change_message, lambda value: redact_json_where(value, traces.names_them)
            )
        if (entry.object_repr, entry.change_message) != before:
            changed.append(entry)
    LogEntry.objects.bulk_update(changed, ["object_repr", "change_message"], batch_size=CHUNK)
    return len(changed)


def text_fields_redact(*, traces: PersonTraces, model: type[models.Model]) -> int:
    """Every text column of `model` that names the person becomes "[CANCELADO]"; for small
    tables of free text the registry does not own (sign-in logs)."""
    fields = [
        field.attname
        for field in model._meta.concrete_fields
        if isinstance(field, _TEXT_FIELDS) and not field.primary_key and not field.choices
    ]
    mentions = mention_patterns(traces)
    if mentions is None or not fields:
        return 0
    rows = (
        filter_mentions(model._default_manager.all(), mentions, *fields)
        .select_for_update(of=("self",))
        .only("pk", *fields)
    )
    changed = [
        row
        for row in rows.order_by("pk").iterator(CHUNK)
        if redact_text_fields(row, fields, traces)
    ]
    if changed:
        model._default_manager.bulk_update(changed, fields, batch_size=CHUNK)
    return len(changed)


def redact_text_fields(row: models.Model, fields: list[str], traces: PersonTraces) -> bool:
    """The cells of `row` among `fields` that name the person become "[CANCELADO]" (cut
    to the column's length); returns whether any did."""
    hits = [f for f in fields if traces.names_them(getattr(row, f))]
    for field in hits:
        # Text columns named by the caller, never a relation: a Field, with a max_length.
        max_length = cast("models.Field[Any, Any]", row._meta.get_field(field)).max_length
        setattr(row, field, REDACTED[:max_length] if max_length else REDACTED)
    return bool(hits)


def sessions_end(*, traces: PersonTraces, mentions: InitialMentions | None = None) -> int:
    """Sessions whose stored data names the person, or mentions them by initial and surname
    (an upload's file name), are ended (their users sign in again)."""
    from django.contrib.sessions.models import Session

    ended = []
    for session in Session.objects.order_by("pk").iterator(chunk_size=CHUNK):
        text = json.dumps(session.get_decoded(), default=str, ensure_ascii=False)
        if traces.may_name_them(text) or (mentions is not None and mentions.found_in(text)):
            ended.append(session.pk)
    Session.objects.filter(pk__in=ended).delete()
    return len(ended)


def _redact_entry(traces: PersonTraces, raw: Any, problems: Any) -> tuple[Any, Any]:
    if not isinstance(raw, dict):
        return redact_json_where(raw, traces.names_them), redact_json_where(
            problems, traces.names_them
        )
    if traces.row_is_theirs(raw):
        return redact_row(raw, traces.secrets), redact_json(problems, traces.secrets)
    cells = {
        header: REDACTED if cell not in ("", None) and traces.names_them(cell) else cell
        for header, cell in raw.items()
    }
    return cells, redact_json_where(problems, traces.names_them)


def _redact_rejected(traces: PersonTraces, entry: Any) -> Any:
    if not isinstance(entry, dict):
        return redact_json_where(entry, traces.names_them)
    raw = entry.get("raw", {})
    theirs = isinstance(raw, dict) and traces.row_is_theirs(raw)
    cells, problems = _redact_entry(traces, raw, entry.get("problems", []))
    rest = {key: value for key, value in entry.items() if key not in ("raw", "problems")}
    rest = (
        redact_json(rest, traces.secrets) if theirs else redact_json_where(rest, traces.names_them)
    )
    return {**rest, "raw": cells, "problems": problems}


def _redact_message(message: str, redact: Any) -> str:
    """A log entry's change message is JSON (Django 5) or, in old entries, plain text."""
    if not message:
        return message
    try:
        parsed = json.loads(message)
    except ValueError:
        redacted = redact(message)
        return redacted if isinstance(redacted, str) else REDACTED
    return json.dumps(redact(parsed), ensure_ascii=False)
