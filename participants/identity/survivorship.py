"""The values a person displays, chosen over all of its identity records.

The rule, in order of the fields:
- DNI: a person without one takes the most frequent valid DNI of its records (the latest on
  a tie), unless another active person already holds it (then both are queued for review);
  a DNI the person already shows is kept: changing it is a reviewer's or an administrator's
  decision, never an import's.
- Names: the fullest name wins over the current one only when it says more of the same
  person: a second given name the current one lacks, or a full maternal surname where only
  an initial or nothing is shown; the same surname keys are required, so a typo never
  replaces a correct spelling.
- Sex, birth date, e-mail and phone: a person without one takes the most frequent value of
  its records (the latest on a tie).
Values an administrator typed are the person's current values, so they are never overwritten
by a roster: the rule only fills what is missing and completes what is partial.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction

from participants.documents import DocumentType
from participants.models import IdentityRecord, Person, PersonStatus, Sex
from participants.names import fold
from participants.record_frames.merged_persons import members_of
from participants.services import person_keys


def most_frequent(values: list[Any]) -> Any:
    """The most frequent non-empty value; the latest one on a tie (values are oldest first)."""
    present = [value for value in values if value not in ("", None)]
    if not present:
        return None
    counts = Counter(present)
    top = max(counts.values())
    return next(value for value in reversed(present) if counts[value] == top)


def _fuller_name(person: Person, records: list[Mapping[str, Any]]) -> dict[str, str]:
    """Name parts of a record that completes the person's name, or {}."""
    current_given = fold(person.given_names).split()
    current_maternal = fold(person.maternal_surname)
    best: dict[str, str] = {}
    best_rank = (len(current_given), len(current_maternal) > 1)
    for record in records:
        if record["paternal_key"] != person.paternal_key or not record["given_names"]:
            continue
        given = fold(record["given_names"]).split()
        maternal = fold(record["maternal_surname"])
        if given[: len(current_given)] != current_given[: len(given)]:
            continue  # another first name: not a completion of this one
        if current_maternal and maternal and maternal[0] != current_maternal[0]:
            continue
        if len(current_maternal) > 1 and maternal != current_maternal:
            continue
        rank = (len(given), len(maternal) > 1)
        if rank > best_rank:
            best_rank = rank
            best = {
                "given_names": record["given_names"]
                if len(given) > len(current_given)
                else person.given_names,
                "maternal_surname": record["maternal_surname"]
                if len(maternal) > 1 >= len(current_maternal)
                else person.maternal_surname,
            }
    return best


def _changes(person: Person, records: list[Mapping[str, Any]]) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    if not person.document_number:
        dni = most_frequent([record["dni"] for record in records])
        if dni:
            changes["document_type"] = DocumentType.DNI
            changes["document_number"] = dni
    if person.sex == Sex.NOT_RECORDED:
        sex = most_frequent([record["sex"] for record in records])
        if sex:
            changes["sex"] = sex
    for field in ("birth_date", "email", "phone"):
        if not getattr(person, field):
            value = most_frequent([record[field] for record in records])
            if value:
                changes[field] = value
    for field, value in _fuller_name(person, records).items():
        if value != getattr(person, field):
            changes[field] = value
    return changes


@transaction.atomic
def persons_refresh_from_records(person_ids: Iterable[int]) -> list[tuple[int, int]]:
    """Apply the rule to each active person; returns (person, other person) pairs that hold
    the same DNI, for the caller to queue for review."""
    members = members_of(
        Person.objects.filter(pk__in=set(person_ids), status=PersonStatus.ACTIVE).values_list(
            "pk", flat=True
        )
    )
    records: dict[int, list[Mapping[str, Any]]] = {}
    for record in (
        IdentityRecord.objects.filter(person_id__in=list(members))
        .order_by("created_at", "id")
        .values(
            "person_id",
            "given_names",
            "maternal_surname",
            "paternal_key",
            "dni",
            "sex",
            "birth_date",
            "email",
            "phone",
        )
    ):
        records.setdefault(members[record["person_id"]], []).append(record)
    same_dni: list[tuple[int, int]] = []
    persons = Person.objects.select_for_update().in_bulk(list(records))
    for pk, person_records in records.items():
        person = persons[pk]
        changes = _changes(person, person_records)
        dni = changes.get("document_number")
        if dni:
            holder = (
                Person.objects.filter(
                    status=PersonStatus.ACTIVE,
                    document_type=DocumentType.DNI,
                    document_number=dni,
                )
                .exclude(pk=pk)
                .values_list("pk", flat=True)
                .first()
            )
            if holder is not None:
                same_dni.append((pk, holder))
                del changes["document_number"], changes["document_type"]
        if not changes:
            continue
        for field, value in changes.items():
            setattr(person, field, value)
        person_keys(person)
        person.full_clean(validate_unique=False, validate_constraints=False)
        person.save(
            update_fields=[*changes, "paternal_key", "maternal_key", "given_key", "updated_at"]
        )
    return same_dni
