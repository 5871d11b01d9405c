"""Right of cancellation under Ley 29733.

`person_cancel`: the person's personal data is removed everywhere the registry
keeps it, and the person vanishes from every listing, report and export that names or counts
persons, while their participations stay so that anonymised totals do not change.
- The person row stays (its code is a pseudonym that keeps enrollments and scores attached)
  with status "cancelled"; names become "CANCELADO"; document, birth date, e-mail, phone and
  sex are cleared. Tombstones of persons merged into them are the same human and are
  anonymised the same way.
- Enrollments and scores stay: institution, role and region at the training and a score are
  not personal data once the person cannot be identified, and the participation totals the
  funder reports must not drop.
- The rule "never delete a person's source data" yields to the right of cancellation for the
  personal cells only: each roster row (`SourceRecord`) stays, with the cells that identify
  the person replaced by "[CANCELADO]" (participants.data_requests.redaction); the row, its
  number and its remaining cells still explain the enrollment. The same redaction applies to
  the rejected rows of those files, to merge snapshots and to review-pair reasons.
- Consents stay: they are the evidence that past processing was lawful.
- The audit log is append-only and is not rewritten: events about the person (edits with old
  and new values among them) stay, visible only to administrators, as the record of how the
  data was processed that the law lets a controller keep ("bloqueo"). The cancellation event
  itself holds no personal data.
- A merge involving a cancelled person can no longer be undone (its snapshot is redacted).
- Re-importing a roster that lists the person again creates a new person: nothing is kept
  that could recognise them. Partners must stop sending them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest

from audit.models import AuditAction
from audit.services import audit_record
from participants.data_requests.common import DataRequestError, with_tombstones
from participants.data_requests.redaction import redact_json, redact_row, secrets_of
from participants.models import (
    DuplicateCandidate,
    IdentityRecord,
    ImportBatch,
    MergeRecord,
    Person,
    PersonStatus,
    Sex,
    SourceRecord,
    SplitCandidate,
)
from registry.reports.freshness import report_data_changed

CANCELLED_NAME = "CANCELADO"


@dataclass(frozen=True)
class CancellationReport:
    persons: int
    source_records: int
    batches: int
    merges: int
    candidates: int


@transaction.atomic
def person_cancel(
    *, person: Person, actor: Any, reason: str, request: HttpRequest | None = None
) -> CancellationReport:
    """Cancel the person's data at their request (see the module docstring for what stays)."""
    report_data_changed()
    if not reason.strip():
        raise ValidationError({"reason": "Indique el motivo o la referencia de la solicitud."})
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.status != PersonStatus.ACTIVE:
        raise DataRequestError(f"{person.code} is {person.status}; only an active person.")
    persons = with_tombstones(person)
    ids = [p.pk for p in persons]
    identity_records = list(IdentityRecord.objects.select_for_update().filter(person_id__in=ids))
    # Every description the person ever had: other spellings, other addresses, other DNIs.
    secrets = secrets_of(
        value
        for p in [*persons, *identity_records]
        for value in (
            p.given_names,
            p.paternal_surname,
            p.maternal_surname,
            p.document_number,
            p.email,
            p.phone,
            p.birth_date.isoformat() if p.birth_date else "",
            p.birth_date.strftime("%d/%m/%Y") if p.birth_date else "",
        )
    )
    for record in identity_records:
        _anonymise_record(record)
    IdentityRecord.objects.bulk_update(identity_records, IDENTITY_FIELDS)
    splits = list(SplitCandidate.objects.filter(Q(person_id__in=ids) | Q(split_into_id__in=ids)))
    for split in splits:
        split.dnis = []
        split.reasons = redact_json(split.reasons, secrets)
    SplitCandidate.objects.bulk_update(splits, ["dnis", "reasons"])

    records = list(
        # of=("self",): the enrollment join is an outer join, which PostgreSQL cannot lock.
        SourceRecord.objects.select_for_update(of=("self",)).filter(
            Q(person_id__in=ids) | Q(enrollment__person_id__in=ids)
        )
    )
    for record in records:
        record.raw = redact_row(record.raw, secrets)
        record.problems = redact_json(record.problems, secrets)
    SourceRecord.objects.bulk_update(records, ["raw", "problems"])

    batches = list(ImportBatch.objects.filter(pk__in={r.batch_id for r in records}))
    for batch in batches:
        batch.rejected_rows = redact_json(batch.rejected_rows, secrets)
    ImportBatch.objects.bulk_update(batches, ["rejected_rows"])

    merges = list(MergeRecord.objects.filter(Q(survivor_id__in=ids) | Q(merged_id__in=ids)))
    for merge in merges:
        merge.before_state = redact_json(merge.before_state, secrets)
    MergeRecord.objects.bulk_update(merges, ["before_state"])

    candidates = list(
        DuplicateCandidate.objects.filter(Q(person_a_id__in=ids) | Q(person_b_id__in=ids))
    )
    for candidate in candidates:
        candidate.reasons = redact_json(candidate.reasons, secrets)
    DuplicateCandidate.objects.bulk_update(candidates, ["reasons"])

    for p in persons:
        _anonymise(p)
    person.status = PersonStatus.CANCELLED
    person.save()
    for p in persons:
        if p.pk != person.pk:
            p.save()

    report = CancellationReport(
        persons=len(persons),
        source_records=len(records),
        batches=len(batches),
        merges=len(merges),
        candidates=len(candidates),
    )
    audit_record(
        actor=actor,
        action=AuditAction.DSR_CANCEL,
        obj=person,
        details={"reason": reason.strip(), **report.__dict__},
        request=request,
    )
    return report


IDENTITY_FIELDS = [
    "given_names",
    "paternal_surname",
    "maternal_surname",
    "dni",
    "document_number",
    "birth_date",
    "email",
    "phone",
    "sex",
    "paternal_key",
    "maternal_key",
    "given_key",
]


def _anonymise_record(record: IdentityRecord) -> None:
    for field in IDENTITY_FIELDS:
        setattr(record, field, None if field == "birth_date" else "")


def _anonymise(person: Person) -> None:
    person.given_names = CANCELLED_NAME
    person.paternal_surname = CANCELLED_NAME
    person.maternal_surname = ""
    person.document_number = ""
    person.birth_date = None
    person.email = ""
    person.phone = ""
    person.sex = Sex.NOT_RECORDED
    # The blocking keys would otherwise make every cancelled person look alike to linkage.
    person.paternal_key = person.given_key = person.maternal_key = ""
