"""A cancelled person's traces on the imports themselves: file names and file hashes.

- A file or sheet name is a title a partner gave a list ("lista_Quilcaruná_Eufemia.csv"),
  not someone's record, so a looser test than for roster cells applies: an identifier, a
  given name with a paternal surname (`PersonTraces.may_name_them`), or a mention by
  initial and surname (`initials`). The name becomes "[CANCELADO]" with its extension kept,
  so the admin still tells a CSV from a workbook.
- The SHA-256 of a file that held one of her rows, or that mentioned her, still recognises
  it: anyone holding the file could confirm she was in the registry. Such a batch's hash is
  replaced by a random value marked "cancelado-", unique as the constraint on (cohort, file)
  needs. Importing that same file again into the cohort is then no longer refused whole:
  the rows of other people are still recognised one by one (`SourceRecord.row_hash`) and
  skipped, and her row, whose hash is blanked, comes in as a new person.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from pathlib import PurePath

from courses.models import ImportBatch
from data_requests.initials import InitialMentions
from data_requests.redaction import REDACTED
from data_requests.traces import PersonTraces

CANCELLED_HASH_PREFIX = "cancelado-"
_HASH_LENGTH = 64


def batches_redact(
    *, traces: PersonTraces, mentions: InitialMentions, batch_ids: Iterable[int]
) -> int:
    """Rename the batches whose names mention the person and re-key those in `batch_ids`
    (and the renamed ones); returns the number of batches changed."""
    rekey = set(batch_ids)
    changed: list[ImportBatch] = []
    # One row per imported file: few enough to read whole.
    batches = ImportBatch.objects.select_for_update().only("pk", "file_name", "sheet_name")
    for batch in batches.order_by("pk"):
        renamed = False
        for field in ("file_name", "sheet_name"):
            value = getattr(batch, field)
            if value and _names_them(value, traces, mentions):
                setattr(batch, field, _cancelled_name(value, field))
                renamed = True
        if renamed or batch.pk in rekey:
            batch.sha256 = cancelled_hash()
            changed.append(batch)
    ImportBatch.objects.bulk_update(changed, ["file_name", "sheet_name", "sha256"])
    return len(changed)


def cancelled_hash() -> str:
    """A value in the hash's place that recognises no file and collides with no other."""
    return (
        CANCELLED_HASH_PREFIX
        + secrets.token_hex(_HASH_LENGTH)[: _HASH_LENGTH - len(CANCELLED_HASH_PREFIX)]
    )


def _names_them(value: str, traces: PersonTraces, mentions: InitialMentions) -> bool:
    return traces.may_name_them(value) or mentions.found_in(value)


def _cancelled_name(value: str, field: str) -> str:
    suffix = PurePath(value).suffix if field == "file_name" else ""
    # An extension is short and made of letters and digits; anything else is part of the name.
    if not (1 < len(suffix) <= 6 and suffix[1:].isalnum()):
        suffix = ""
    return f"{REDACTED}{suffix}"
