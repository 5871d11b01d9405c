"""The export: one row per open pair of the review queue, written as CSV or XLSX."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Prefetch

from accounts.access.sensitive import reserved_text, sees_every_sensitive
from audit.models import AuditAction
from audit.services import COMMAND_LINE, audit_record
from courses.models import Enrollment
from courses.sensitivity import sensitive_course_ids
from participants.documents import DocumentType
from participants.models import Person
from review.selectors import candidate_queue
from review.spreadsheet.files import COLUMNS, HEADERS, sheet_format, sheet_write


def _enrollments(person: str) -> Prefetch[Any]:
    return Prefetch(
        f"{person}__enrollments",
        queryset=Enrollment.objects.select_related("cohort__course").order_by(
            "cohort__start_date", "cohort__label", "pk"
        ),
    )


def _courses(person: Person, hidden_courses: set[int]) -> str:
    """The person's cohorts, those of `hidden_courses` only counted ("1 participación
    reservada"): the reviewer knows the list is not the whole person."""
    enrollments = list(person.enrollments.all())
    shown = [str(e.cohort) for e in enrollments if e.cohort.course_id not in hidden_courses]
    reserved = reserved_text(len(enrollments) - len(shown))
    return "; ".join([*shown, reserved] if reserved else shown)


def _dni(person: Person) -> str:
    if not person.document_number or person.document_type == DocumentType.DNI:
        return person.document_number
    return f"{person.get_document_type_display()} {person.document_number}"


def _reasons(reasons: Any) -> str:
    if isinstance(reasons, str):
        return reasons
    return "; ".join(str(reason) for reason in reasons or [])


def review_sheet_rows(*, viewer: User | None = None) -> Iterator[list[Any]]:
    """One row per open pair of the review queue, in the queue's order, `decision` empty.

    A spreadsheet leaves the registry for whoever it is sent to, so it lists sensitive
    participations (`accounts.access.sensitive`) only when `viewer` holds the permission;
    the command acts for no user."""
    hidden_courses = (
        set() if viewer is not None and sees_every_sensitive(viewer) else sensitive_course_ids()
    )
    queue = candidate_queue().prefetch_related(_enrollments("person_a"), _enrollments("person_b"))
    for candidate in queue:
        a, b = candidate.person_a, candidate.person_b
        yield [
            candidate.pk,
            a.code,
            b.code,
            round(candidate.score, 3),
            _reasons(candidate.reasons),
            a.full_name,
            b.full_name,
            _dni(a),
            _dni(b),
            _courses(a, hidden_courses),
            _courses(b, hidden_courses),
            "",
        ]


def review_export(*, path: Path, actor: User | None = None) -> int:
    """Write the open pairs to `path` (.csv or .xlsx) and audit the export; returns the count."""
    file_format = sheet_format(path)
    rows = list(review_sheet_rows(viewer=actor))
    sheet_write(path=path, headers=[HEADERS[column] for column in COLUMNS], rows=rows)
    audit_record(
        actor=actor,
        actor_username=COMMAND_LINE,
        action=AuditAction.EXPORT,
        details={"export": "review_queue", "format": file_format, "rows": len(rows)},
    )
    return len(rows)
