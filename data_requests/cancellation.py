"""Right of cancellation under Ley 29733.

`person_cancel`: the person's personal data is removed everywhere the registry keeps it, and
the person vanishes from every listing, report and export that names or counts persons,
while their participations stay so that anonymised totals do not change. Nothing that names
them survives: not their names (any spelling they ever had), DNI or other document, e-mail,
phone or birth date, in any table.

What stays, and why:
- The person row (its code is a pseudonym that keeps enrollments and scores attached), with
  status "cancelled"; names become "CANCELADO"; document, birth date, e-mail, phone and sex
  are cleared. Tombstones of persons merged into them are the same human and are anonymised
  the same way; their identity records (every description ever received) are blanked.
- Enrollments and scores: institution, role and region at the training and a score are not
  personal data once the person cannot be identified, and the participation totals the
  funder reports must not drop. A spelling kept on an enrollment or identity record that
  holds one of the person's values (an institution cell "Fiscalía - M. Ccahuana") is blanked.
- Each roster row (`SourceRecord`) of theirs stays, with the cells that identify the person
  replaced by "[CANCELADO]" (data_requests.redaction): the rule "never delete a
  person's source data" yields to the right of cancellation for the personal cells only.
- Rows not linked to them (rejected at import, in any file, kept as `SourceRecord` and in the
  batch's `rejected_rows`; a comment in another person's row), the admin's log, sign-in
  throttling records (`throttling`) and sessions are searched by their identifiers and
  complete names (data_requests.elsewhere): a row that is theirs loses every
  personal cell, even one that belongs to someone else (a mixed row loses its whole personal
  part); any other row loses only the cells that name them. Other people's values stay.
- A mention by initial and surname ("E. Quilcaruná") is cut from anyone's free text and
  roster cells unless a namesake in the registry shares it (`initials`).
- File and sheet names that name them are rewritten; the SHA-256 of every file that held or
  mentioned them is replaced by a random value and the hashes of their rows are blanked, so
  that neither recognises them (`batches`). Import previews on disk that may mention them
  are deleted (`previews`).
- Merge snapshots, review-pair and split-candidate reasons are redacted; a merge involving a
  cancelled person can no longer be undone. Open review pairs leave the queue, which lists
  active persons only; the active persons still paired with them are named in the report
  (`pending`), not cancelled. Report snapshots (a cache) are dropped; report facts and
  cells are rebuilt from the redacted enrollments after the commit.
- Consents stay: they are the evidence that past processing was lawful, and hold no names.
  So do the statements of consent to follow-up contact, and the cancellation adds one more:
  a withdrawal (source "data request"), so that whatever reads the latest statement stops
  contacting them at once, even through a record merged later or a stale sample.
- Guardian consents stay too, as the evidence that processing a minor's data was lawful
  (`GuardianConsent`, with its text's version and hash). They name the guardian, who gave
  the consent, not the person; their roster row is redacted like every other row of theirs.
- Follow-up surveys: the person's sample memberships stay (a random token, the wave and the
  status, so the wave's response rate holds), and one still waiting to be surveyed becomes
  "withdrawn". Their answers and the post as they reported it are erased from each
  response (answers are their own statements, free text among them); a reported post keeps
  its date and the institution, role and region it was mapped to (as an enrollment does)
  and loses the spellings as written. A response's file name is rewritten if it names them.
- The audit log is append-only and is not rewritten, so it never receives personal values:
  events name a person by code only, edits and rectifications record which fields changed,
  not the values, an import names its batch (not the file's name or hash) and a failed
  sign-in keeps the typed username only when it is an account's. After a cancellation it
  therefore keeps, about the person, their code, what was done to their record, by whom and
  when, and the cancellation event itself: code, the reason or request reference (refused
  if it holds the person's data), the counts below, the administrator and the time, which
  is what the law requires to demonstrate the request was honoured. Events written before
  those rules may still hold a file name, a file's hash or a typed DNI or e-mail; the README
  ("Security and data protection") says so.
- Re-importing a roster that lists the person again creates a new person: no hash or record
  of theirs is left to recognise the row by. Partners must stop sending them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest

from accounts.contact_consent import contact_consent_withdraw
from accounts.models import ContactConsentSource
from audit.models import AuditAction
from audit.services import audit_record
from courses.models import SourceRecord
from data_requests.batches import batches_redact
from data_requests.common import DataRequestError, with_tombstones
from data_requests.elsewhere import (
    admin_log_redact,
    rejected_rows_redact,
    sessions_end,
    unlinked_rows_redact,
)
from data_requests.initials_redact import (
    initial_mentions_of,
    initial_mentions_redact,
)
from data_requests.pending import pending_partners
from data_requests.previews import previews_delete, previews_mentioning
from data_requests.redaction import contains_secret, redact_json, redact_row
from data_requests.throttling import throttling_redact
from data_requests.traces import traces_of
from followup.models import MemberStatus, ReportedPost, SurveyResponse, WaveMember
from participants.changes import counted_data_changed, personal_data_erased_now
from participants.models import (
    DuplicateCandidate,
    IdentityRecord,
    MergeRecord,
    Person,
    PersonStatus,
    Sex,
    SplitCandidate,
)

CANCELLED_NAME = "CANCELADO"
REDACTED_FILE_NAME = "[CANCELADO]"


@dataclass(frozen=True)
class CancellationReport:
    persons: int
    source_records: int
    other_source_records: int
    batches: int
    enrollments: int
    merges: int
    candidates: int
    admin_log_entries: int
    throttling_records: int
    sessions: int
    mentions_by_initial: int = 0
    # Initial-and-surname pairs a namesake in the registry shares: left alone.
    mentions_left_ambiguous: int = 0
    previews: int = 0
    survey_responses: int = 0
    reported_posts: int = 0
    survey_members_withdrawn: int = 0
    # Codes of the active persons still paired with her as possible duplicates.
    pending_duplicates: tuple[str, ...] = ()


@transaction.atomic
def person_cancel(
    *, person: Person, actor: Any, reason: str, request: HttpRequest | None = None
) -> CancellationReport:
    """Cancel the person's data at their request (see the module docstring for what stays)."""
    counted_data_changed()
    if not reason.strip():
        raise ValidationError({"reason": "Indique el motivo o la referencia de la solicitud."})
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.status != PersonStatus.ACTIVE:
        raise DataRequestError(
            f"{person.code} no está activa ({person.get_status_display()}): solo se cancelan "
            "los datos de una persona activa."
        )
    persons = with_tombstones(person)
    ids = [p.pk for p in persons]
    identity_records = list(IdentityRecord.objects.select_for_update().filter(person_id__in=ids))
    # Every description the person ever had (other spellings, addresses, DNIs), read before
    # anything is blanked.
    traces = traces_of([*persons, *identity_records])
    secrets = traces.secrets
    if contains_secret(reason, secrets) or traces.names_them(reason):
        raise ValidationError(
            {
                "reason": "El motivo quedará en el registro de auditoría: no escriba en él "
                "nombres, DNI, correo ni teléfono de la persona; indique solo la referencia "
                "de la solicitud."
            }
        )
    for record in identity_records:
        _anonymise_record(record, secrets)
    IdentityRecord.objects.bulk_update(identity_records, [*IDENTITY_FIELDS, *FREE_TEXT_FIELDS])
    enrollments = _redact_enrollments(ids, secrets)
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
    for row in records:
        row.raw = redact_row(row.raw, secrets)
        row.problems = redact_json(row.problems, secrets)
        # The hash of the row as received would recognise it in the partner's file.
        row.row_hash = ""
    SourceRecord.objects.bulk_update(records, ["raw", "problems", "row_hash"])
    other_rows = unlinked_rows_redact(traces=traces, exclude_ids=[r.pk for r in records])
    rejected_in = rejected_rows_redact(traces=traces)
    mentions, ambiguous = initial_mentions_of(persons, identity_records, ids)
    by_initial, mentioned_in = initial_mentions_redact(mentions=mentions, surnames=traces.paternal)
    batches = batches_redact(
        traces=traces,
        mentions=mentions,
        batch_ids={r.batch_id for r in [*records, *other_rows]} | set(rejected_in) | mentioned_in,
    )

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
    pending = pending_partners(candidates, ids)
    responses, posts, withdrawn = _erase_follow_up(ids, secrets)
    contact_consent_withdraw(
        person=person, actor=actor, source=ContactConsentSource.DATA_REQUEST, request=request
    )

    for p in persons:
        _anonymise(p)
    person.status = PersonStatus.CANCELLED
    person.save()
    for p in persons:
        if p.pk != person.pk:
            p.save()

    admin_log = admin_log_redact(traces=traces, persons=persons)
    throttling = throttling_redact(traces=traces)
    sessions = sessions_end(traces=traces, mentions=mentions)
    previews = previews_mentioning(traces=traces, mentions=mentions)
    # Files are not part of the transaction: they go once the cancellation has committed.
    transaction.on_commit(lambda: previews_delete(names=previews))
    # The caches of figures (the reports' snapshots) go: recomputed on the next read, so
    # nothing they held survives.
    personal_data_erased_now()

    report = CancellationReport(
        persons=len(persons),
        source_records=len(records),
        other_source_records=len(other_rows),
        batches=batches,
        mentions_by_initial=by_initial,
        mentions_left_ambiguous=ambiguous,
        previews=len(previews),
        survey_responses=responses,
        reported_posts=posts,
        survey_members_withdrawn=withdrawn,
        pending_duplicates=pending,
        enrollments=enrollments,
        merges=len(merges),
        candidates=len(candidates),
        admin_log_entries=admin_log,
        throttling_records=throttling,
        sessions=sessions,
    )
    audit_record(
        actor=actor,
        action=AuditAction.DSR_CANCEL,
        obj=person,
        details={
            "reason": reason.strip(),
            **report.__dict__,
            "pending_duplicates": list(report.pending_duplicates),
        },
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


# Free text as at the training: kept unless it holds one of the person's values (an
# institution cell "Ministerio Público - M. Ccahuana").
FREE_TEXT_FIELDS = ["institution", "role", "region"]


def _anonymise_record(record: IdentityRecord, secrets: list[str]) -> None:
    for field in IDENTITY_FIELDS:
        setattr(record, field, None if field == "birth_date" else "")
    for field in FREE_TEXT_FIELDS:
        if contains_secret(getattr(record, field), secrets):
            setattr(record, field, "")


def _redact_enrollments(ids: list[int], secrets: list[str]) -> int:
    """The spellings kept on the person's enrollments lose any of their values; blank rather
    than "[CANCELADO]", which the reports would show as one more institution."""
    from courses.models import Enrollment

    fields = ["institution_text", "role_text", "region_text"]
    changed = []
    for enrollment in Enrollment.objects.select_for_update().filter(person_id__in=ids):
        hits = [f for f in fields if contains_secret(getattr(enrollment, f), secrets)]
        for field in hits:
            setattr(enrollment, field, "")
        if hits:
            changed.append(enrollment)
    Enrollment.objects.bulk_update(changed, fields)
    return len(changed)


def _erase_follow_up(ids: list[int], secrets: list[str]) -> tuple[int, int, int]:
    """The person's survey answers and reported posts as written; their pending sample
    memberships withdrawn. Returns (responses, reported posts, memberships withdrawn)."""
    responses = list(SurveyResponse.objects.select_for_update().filter(member__person_id__in=ids))
    for response in responses:
        response.answers = {}
        response.reported = {}
        if contains_secret(response.source_file, secrets):
            response.source_file = REDACTED_FILE_NAME
    SurveyResponse.objects.bulk_update(responses, ["answers", "reported", "source_file"])
    posts = list(ReportedPost.objects.select_for_update().filter(person_id__in=ids))
    for post in posts:
        post.institution_text = post.role_text = post.region_text = ""
    ReportedPost.objects.bulk_update(posts, ["institution_text", "role_text", "region_text"])
    withdrawn = WaveMember.objects.filter(person_id__in=ids, status=MemberStatus.SELECTED).update(
        status=MemberStatus.WITHDRAWN
    )
    return len(responses), len(posts), withdrawn


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
