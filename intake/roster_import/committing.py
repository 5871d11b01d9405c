"""The roster import service: read, stage, plan, and commit in one transaction."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, time
from decimal import Decimal
from typing import IO, Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.contact_consent import contact_consents_from_roster
from accounts.guardian_consent import GuardianStatement, guardian_consents_from_roster
from audit.models import AuditAction
from audit.services import audit_record
from courses.models import BatchStatus, Cohort, ImportBatch, SourceRecord
from intake.identity_learning import identity_learned
from intake.roster_import import report as outcomes
from intake.roster_import import writing
from intake.roster_import.columns import ColumnPlan, column_plan, scores_warning
from intake.roster_import.planning import Plan, RowPlan, plan_import
from intake.roster_import.preview_lookups import preview_audit, preview_lookup_count
from intake.roster_import.profiles import column_profile_for
from intake.roster_import.reading import read_table
from intake.roster_import.report import ImportReport
from intake.roster_import.row_reports import fill_rows
from intake.roster_import.staging import column_labels, stage_rows
from participants.changes import counted_data_changed
from spreadsheets.reading import RosterFileError, check_size

# A commit that loses a race with another import is planned again against what the other
# wrote; a third loss in a row means the registry is too busy, and the file is refused.
COMMIT_ATTEMPTS = 3


class RosterImportConflict(RosterFileError):
    """Other imports kept writing the same persons at the same moment; nothing was written."""


_STATUS = {
    outcomes.STATUS_COMMITTED: BatchStatus.COMMITTED,
    outcomes.STATUS_PARTIAL: BatchStatus.PARTIAL,
    outcomes.STATUS_REJECTED: BatchStatus.REJECTED,
}


def read_upload(file: bytes | IO[bytes], *, file_name: str) -> bytes:
    """The file's bytes, refusing an empty or oversized file before reading it all."""
    from django.conf import settings

    if isinstance(file, bytes | bytearray):
        data = bytes(file)
    else:
        data = file.read(settings.ROSTER_MAX_UPLOAD_BYTES + 1)
    check_size(len(data), file_name=file_name)
    return data


def roster_import(
    *,
    file: bytes | IO[bytes],
    file_name: str,
    cohort: Cohort,
    actor: User | None = None,
    dry_run: bool = False,
    commit_valid: bool = False,
    pre_scale: Decimal | int | None = None,
    post_scale: Decimal | int | None = None,
) -> ImportReport:
    """Import one roster file into one cohort; with `dry_run` only say what would happen.

    Raises RosterFileError, before writing anything, for a file that is not a readable roster.
    """
    data = read_upload(file, file_name=file_name)
    sha256 = hashlib.sha256(data).hexdigest()
    report = ImportReport(
        file_name=file_name, sha256=sha256, dry_run=dry_run, commit_valid=commit_valid
    )
    if _mark_if_already_imported(report, cohort):
        return report
    if dry_run and actor is not None:
        preview_lookup_count(actor=actor, file_name=file_name)
    table = read_table(data, file_name=file_name)
    # The cohort's school (or provider) may have told the registry how to read some headers.
    columns = column_plan(table, profile=column_profile_for(cohort=cohort))
    staged = stage_rows(table, columns=columns)
    if not staged:
        raise RosterFileError(
            f"{file_name}: hay encabezados en la fila {table.header_row} "
            "pero ninguna fila de datos."
        )
    report.file_format, report.sheet_name, report.header_row = (
        table.file_format,
        table.sheet_name,
        table.header_row,
    )
    report.encoding, report.delimiter = table.encoding, table.delimiter
    report.columns = columns.report()
    options: dict[str, Any] = {
        "cohort": cohort,
        "columns": column_labels(table, columns=columns),
        "pre_scale": Decimal(pre_scale) if pre_scale is not None else None,
        "post_scale": Decimal(post_scale) if post_scale is not None else None,
        "actor": actor,
    }
    for attempt in range(COMMIT_ATTEMPTS):
        # Each attempt stages afresh: planning flags and clears values on the staged rows.
        plan = plan_import(
            staged=staged if attempt == 0 else stage_rows(table, columns=columns), **options
        )
        _describe_plan(report, plan, columns, commit_valid=commit_valid)
        if dry_run and actor is not None:
            preview_audit(actor=actor, cohort=cohort, file_name=file_name, sha256=sha256, plan=plan)
        if dry_run or report.status == outcomes.STATUS_NOTHING_NEW:
            fill_rows(report, plan, {})
            return report
        try:
            new_codes = _commit(report=report, plan=plan, cohort=cohort, actor=actor)
        except IntegrityError:
            # Another import committed first: the same file into this cohort, or a person,
            # enrollment or score this plan also meant to create (a new DNI both files list).
            # Its transaction has committed by now, so planning again links to what it
            # wrote. The error's text names the conflicting values (personal data): it is
            # neither logged nor shown.
            report.batch_id = None
            if _mark_if_already_imported(report, cohort):
                return report
            continue
        fill_rows(report, plan, new_codes)
        return report
    raise RosterImportConflict(
        f"{file_name}: otra importación estaba registrando a las mismas personas al mismo "
        "tiempo y no se importó nada de este archivo; vuelva a intentarlo en unos minutos."
    )


def _describe_plan(
    report: ImportReport, plan: Plan, columns: ColumnPlan, *, commit_valid: bool
) -> None:
    report.pre_scale, report.post_scale = plan.pre_scale, plan.post_scale
    report.scale_from_file = dict(plan.scale_from_file)
    report.scale_notes = list(plan.scale_notes)
    scores_read = sum(
        1
        for row in plan.rows
        if row.outcome != outcomes.REJECTED
        and (row.row.pre_score is not None or row.row.post_score is not None)
    )
    report.column_warnings = scores_warning(columns, scores_read=scores_read)
    report.linkage_model = plan.model.label if plan.model else ""
    report.pre_scale_inferred, report.post_scale_inferred = (
        plan.pre_scale_inferred,
        plan.post_scale_inferred,
    )
    report.scale_warnings = list(plan.scale_warnings)
    report.scale_outliers = dict(plan.scale_outliers)
    report.status = _decide(plan, commit_valid=commit_valid)


def _mark_if_already_imported(report: ImportReport, cohort: Cohort) -> bool:
    if cohort.pk is None:
        return False
    previous = (
        ImportBatch.objects.filter(cohort=cohort, sha256=report.sha256)
        .exclude(status=BatchStatus.REJECTED)
        .order_by("created_at")
        .first()
    )
    if previous is None:
        return False
    report.status = outcomes.STATUS_ALREADY_IMPORTED
    report.previous_batch_id = previous.pk
    report.previous_batch_at = previous.created_at
    return True


def _decide(plan: Plan, *, commit_valid: bool) -> str:
    counts = {outcome: 0 for outcome in outcomes.OUTCOME_LABELS}
    for row in plan.rows:
        counts[row.outcome] += 1
    importable = sum(counts[outcome] for outcome in outcomes.IMPORTED_OUTCOMES)
    if counts[outcomes.REJECTED] and (not commit_valid or not importable):
        return outcomes.STATUS_REJECTED
    if not importable:
        return outcomes.STATUS_NOTHING_NEW
    return outcomes.STATUS_PARTIAL if counts[outcomes.REJECTED] else outcomes.STATUS_COMMITTED


@transaction.atomic
def _commit(
    *, report: ImportReport, plan: Plan, cohort: Cohort, actor: User | None
) -> dict[int, str]:
    """Write the batch and its rows; returns row position -> code of each new person."""
    counted_data_changed()
    counts = {outcome: 0 for outcome in outcomes.OUTCOME_LABELS}
    for row in plan.rows:
        counts[row.outcome] += 1
    batch = ImportBatch(
        cohort=cohort,
        file_name=report.file_name[:255],
        sha256=report.sha256,
        sheet_name=report.sheet_name[:100],
        imported_by=actor,
        status=_STATUS[report.status],
        rows_total=len(plan.rows),
        rows_new=counts[outcomes.NEW],
        rows_linked=counts[outcomes.LINKED],
        rows_review=counts[outcomes.REVIEW],
        rows_rejected=counts[outcomes.REJECTED],
        rejected_rows=[_rejected_row(row) for row in plan.rows if row.outcome == outcomes.REJECTED],
        options=_options(report, plan, counts),
    )
    batch.full_clean(validate_constraints=False)
    batch.save()
    report.batch_id = batch.pk
    if report.status == outcomes.STATUS_REJECTED:
        _audit_import(actor=actor, cohort=cohort, batch=batch, counts=counts)
        return {}

    new_persons = writing.create_persons(plan)
    person_of = writing.person_ids(plan, new_persons)
    enrollments = writing.enroll(plan, cohort, person_of)
    writing.create_scores(plan, enrollments, person_of)
    writing.create_candidates(plan, new_persons)
    # A child's row held for want of a guardian's consent leaves no record of its cells.
    rows = [row for row in plan.rows if row.outcome != outcomes.SKIPPED and not row.row.held_minor]
    identity_records = writing.create_identity_records(plan, person_of)
    records = SourceRecord.objects.bulk_create(
        [
            SourceRecord(
                batch=batch,
                row_number=row.row.row_number,
                raw=row.row.raw,
                row_hash=row.row.row_hash,
                person_id=person_of.get(row.row.position),
                enrollment_id=(
                    enrollments[person_of[row.row.position]].pk
                    if row.row.position in person_of
                    else None
                ),
                identity_record=identity_records.get(row.row.position),
                outcome=row.outcome,
                problems=[problem.as_dict() for problem in row.row.problems],
            )
            for row in rows
        ],
        batch_size=1000,
    )
    identity_learned(
        person_ids={row.person_id for row in plan.rows if row.person_id is not None},
        model=plan.model,
    )
    # Beside the import's own event, at the end: it appends to the audit chain too.
    _record_contact_consents(rows, records, batch=batch, cohort=cohort, actor=actor)
    _record_guardian_consents(rows, records, batch=batch, cohort=cohort, actor=actor)
    _audit_import(actor=actor, cohort=cohort, batch=batch, counts=counts)
    return {position: person.code for position, person in new_persons.items()}


def _record_contact_consents(
    rows: list[RowPlan],
    records: list[SourceRecord],
    *,
    batch: ImportBatch,
    cohort: Cohort,
    actor: User | None,
) -> None:
    """Each imported row that answers follow-up contact becomes a statement of its person,
    its roster row as the evidence (`bulk_create` returns the records in the rows' order).

    Dated at the import, not at the cohort's dates: a roster does not say when the person
    answered, a cohort's dates say when the course ran (and may be a span or unknown), and
    the import is when the registry learnt the answer. Being the latest, a roster's refusal
    takes effect over an earlier grant; a roster's grant does not undo a withdrawal made
    since (accounts.contact_consent.contact_consents_from_roster).
    """
    statements = [
        (record, row.row.contact_consent)
        for row, record in zip(rows, records, strict=True)
        if row.row.contact_consent is not None and record.person_id is not None
    ]
    if statements:
        contact_consents_from_roster(
            statements=statements,
            given_at=batch.created_at,
            actor=actor,
            batch_id=batch.pk,
            obj=cohort,
        )


def _rejected_row(row: RowPlan) -> dict[str, Any]:
    if row.row.held_minor:
        # Only the row's number and why: a child's data without a guardian's consent is
        # not kept, not even as the evidence of a rejected row.
        return {"row": row.row.row_number, "reason": row.reason, "problems": [], "raw": {}}
    return {
        "row": row.row.row_number,
        "reason": row.reason,
        "problems": [problem.as_dict() for problem in row.row.problems],
        "raw": row.row.raw,
    }


def _record_guardian_consents(
    rows: list[RowPlan],
    records: list[SourceRecord],
    *,
    batch: ImportBatch,
    cohort: Cohort,
    actor: User | None,
) -> None:
    """Each imported minor's row that states a guardian's consent becomes one, its roster
    row as the evidence. Dated by the row's "Fecha del consentimiento", else at the import
    (when the registry learnt of it; the roster does not say when it was given). The row's
    answer to follow-up contact, on a minor's row, is read as the guardian's: it is the
    guardian who answers for a child on the partner's form."""
    statements = [
        (
            record,
            GuardianStatement(
                guardian_name=row.row.guardian_name,
                guardian_relationship=row.row.guardian_relationship,
                guardian_document=row.row.guardian_document,
                given_at=_start_of_day(row.row.guardian_consent_date) or batch.created_at,
                allows_follow_up=row.row.contact_consent is True,
            ),
        )
        for row, record in zip(rows, records, strict=True)
        if row.row.guardian_consent_kept and record.person_id is not None
    ]
    if statements:
        guardian_consents_from_roster(
            statements=statements, cohort=cohort, actor=actor, batch_id=batch.pk
        )


def _start_of_day(day: date | None) -> datetime | None:
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day, time.min))


def _audit_import(
    *, actor: User | None, cohort: Cohort, batch: ImportBatch, counts: dict[str, int]
) -> None:
    """The import's event, written last in its transaction: appending to the audit chain
    locks it until the commit (audit.chain), and the bulk writes need not wait inside it."""
    audit_record(
        actor=actor,
        action=AuditAction.IMPORT,
        obj=cohort,
        # The batch by id only: its file name and hash may recognise a participant, and
        # a cancellation can redact them on the batch but never in the append-only log.
        details={"batch": batch.pk, "status": batch.status, "counts": counts},
    )


def _options(report: ImportReport, plan: Plan, counts: dict[str, int]) -> dict[str, Any]:
    return {
        "commit_valid": report.commit_valid,
        "pre_scale": str(plan.pre_scale) if plan.pre_scale is not None else None,
        "post_scale": str(plan.post_scale) if plan.post_scale is not None else None,
        "pre_scale_inferred": plan.pre_scale_inferred,
        "post_scale_inferred": plan.post_scale_inferred,
        "scale_outlier_rows": plan.scale_outliers,
        "scale_warnings": plan.scale_warnings,
        "scale_from_file": plan.scale_from_file,
        "scale_notes": plan.scale_notes,
        "columns_read": [f"{item['column']}: {item['label']}" for item in report.columns["read"]],
        "columns_set_aside": [
            f"{group['reason']}: {', '.join(group['columns'])}"
            for group in report.columns["set_aside"]
        ],
        "columns_unread": [item["column"] for item in report.columns["unread"]],
        "rows_repeated": counts[outcomes.REPEATED],
        "rows_skipped": counts[outcomes.SKIPPED],
        "format": report.file_format,
        "encoding": report.encoding,
        "delimiter": report.delimiter,
        "header_row": report.header_row,
        "linkage_model": plan.model.label if plan.model else "",
        "linkage_model_version": plan.model.version.pk
        if plan.model and plan.model.version
        else None,
    }
