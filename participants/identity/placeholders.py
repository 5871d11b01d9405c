"""Clearing filler DNIs ("12345678", "00000000") stored before the registry refused them.

A filler is no one's DNI (`participants.linkage.placeholders`): kept, it links everyone who
was given it, and a person showing one cannot be saved in the admin, whose form refuses it
(`participants.documents.validate_document`). The clean-up clears such numbers on persons
(any status: a merged tombstone comes back to life when its merge is undone) and on their
identity records, so that the persons are editable again and the engine sees no DNI there.

What the roster said stays where it was received: the rows' raw cells (`SourceRecord.raw`)
are not touched, only the values derived from them. The audit log gets one "person edited"
event per person concerned and one summary, with codes and counts: never the numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# The registry's users are Django's own (AUTH_USER_MODEL is left at its default).
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from audit.models import AuditAction
from audit.services import audit_record
from participants.changes import counted_data_changed
from participants.documents import DocumentType
from participants.linkage.placeholders import is_placeholder_dni
from participants.models import IdentityRecord, Person

TASK = "clear_placeholder_documents"
_CHUNK = 2000


@dataclass
class PlaceholderReport:
    dry_run: bool
    persons: list[str] = field(default_factory=list)  # codes of persons whose DNI is cleared
    identity_records: int = 0
    # Code -> identity records cleared, for each person concerned (own DNI or records).
    records_of: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.persons or self.identity_records)


def _filler_persons() -> list[Person]:
    # The rule is a Python function (one rule for import, forms and engine): numbers are
    # tested here rather than restated as SQL. The scan reads three columns per person.
    persons = (
        Person.objects.filter(document_type=DocumentType.DNI)
        .exclude(document_number="")
        .only("pk", "code", "document_number")
        .order_by("pk")
    )
    return [p for p in persons.iterator(chunk_size=_CHUNK) if is_placeholder_dni(p.document_number)]


def _filler_records() -> list[IdentityRecord]:
    records = (
        IdentityRecord.objects.exclude(dni="", document_number="")
        .only("pk", "person_id", "dni", "document_type", "document_number")
        .order_by("pk")
    )
    return [
        record
        for record in records.iterator(chunk_size=_CHUNK)
        if is_placeholder_dni(record.dni)
        or (record.document_type == DocumentType.DNI and is_placeholder_dni(record.document_number))
    ]


@transaction.atomic
def placeholder_documents_clear(
    *, dry_run: bool = False, actor: User | None = None
) -> PlaceholderReport:
    """Clear filler DNIs on persons and identity records; with `dry_run`, only say which."""
    report = PlaceholderReport(dry_run=dry_run)
    persons = _filler_persons()
    records = _filler_records()
    concerned = Person.objects.only("pk", "code").in_bulk(
        {person.pk for person in persons} | {record.person_id for record in records}
    )
    report.persons = [person.code for person in persons]
    report.identity_records = len(records)
    for record in records:
        code = concerned[record.person_id].code
        report.records_of[code] = report.records_of.get(code, 0) + 1
    if dry_run or not report.changed:
        return report

    counted_data_changed()
    Person.objects.filter(pk__in=[person.pk for person in persons]).update(
        document_number="", updated_at=timezone.now()
    )
    for record in records:
        # As a record without a document is built (`identity_record_build`).
        record.dni = record.document_type = record.document_number = ""
    IdentityRecord.objects.bulk_update(records, ["dni", "document_type", "document_number"])

    cleared = set(report.persons)
    for person in sorted(concerned.values(), key=lambda person: person.code):
        audit_record(
            actor=actor,
            action=AuditAction.PERSON_EDIT,
            obj=person,
            # Field names and counts only, as every edit is logged.
            details={
                "task": TASK,
                "fields": ["document_number"] if person.code in cleared else [],
                "identity_records": report.records_of.get(person.code, 0),
            },
        )
    audit_record(
        actor=actor,
        action=AuditAction.MAINTENANCE,
        details={
            "task": TASK,
            "persons": report.persons,
            "identity_records": report.identity_records,
            "persons_with_records": len(report.records_of),
        },
    )
    return report
