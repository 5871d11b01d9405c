"""Identity documents: the strongest evidence, looked up on every record a person has."""

from __future__ import annotations

from collections import Counter

import pandas as pd

from participants.models import IdentityRecord, Person, PersonStatus
from participants.record_frames.merged_persons import active_persons_of


def document_keys(rows: pd.DataFrame) -> list[str]:
    """ "dni:01234567", "ce:X12345" ... or '' for a row without a usable document."""
    has_other = "document_number" in rows.columns and "document_type" in rows.columns
    keys = []
    for record in rows.to_dict("records"):
        if record["dni"]:
            keys.append(f"dni:{record['dni']}")
        elif has_other and record["document_number"] and record["document_type"] != "dni":
            keys.append(f"{record['document_type']}:{record['document_number']}")
        else:
            keys.append("")
    return keys


def persons_with_documents(keys: set[str]) -> dict[str, int]:
    """Document key -> the active person that shows it (on its current values, on any of
    its identity records, or through a person merged into it).

    Should two active persons show it, the one that displays it wins, then the one whose
    records show it most often: the other is a duplicate that review or `dedupe` resolves.
    """
    numbers = {key.split(":", 1)[1] for key in keys}
    if not numbers:
        return {}
    shown: dict[str, Counter[int]] = {}
    displayed: dict[str, set[int]] = {}
    chunks = [sorted(numbers)[i : i + 500] for i in range(0, len(numbers), 500)]
    for chunk in chunks:
        for document_type, number, pk in Person.objects.filter(
            status__in=(PersonStatus.ACTIVE, PersonStatus.MERGED), document_number__in=chunk
        ).values_list("document_type", "document_number", "pk"):
            key = f"{document_type}:{number}"
            shown.setdefault(key, Counter())[pk] += 1
            displayed.setdefault(key, set()).add(pk)
        for document_type, number, pk in IdentityRecord.objects.filter(
            document_number__in=chunk
        ).values_list("document_type", "document_number", "person_id"):
            shown.setdefault(f"{document_type}:{number}", Counter())[pk] += 1
    survivors = active_persons_of({pk for counts in shown.values() for pk in counts})
    found: dict[str, int] = {}
    for key, counts in shown.items():
        if key not in keys:
            continue
        per_person: Counter[int] = Counter()
        shows_it: set[int] = set()
        for pk, n in counts.items():
            if pk in survivors:
                per_person[survivors[pk]] += n
                if pk in displayed.get(key, ()) and survivors[pk] == pk:
                    shows_it.add(pk)
        if per_person:
            found[key] = min(per_person, key=lambda pk: (pk not in shows_it, -per_person[pk], pk))
    return found
