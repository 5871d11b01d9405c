"""Read side of imported rosters: one row per committed roster row, for exports."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from assessments.models import Phase, Score
from participants.models import BatchStatus, Person, RowOutcome, SourceRecord

PARTICIPATION_COLUMNS = (
    "person_code",
    "source_file",
    "source_row",
    "batch",
    "course",
    "cohort",
    "cohort_start_date",
    "sex",
    "institution",
    "role",
    "region",
    "pre_score_pct",
    "post_score_pct",
    "repeated_in_roster",
    "outcome",
)


def person_survivors() -> dict[int, tuple[str, str]]:
    """Person id -> (code, sex) of the person it now is: merged persons follow `merged_into`."""
    people = {
        pk: (code, sex, merged_into)
        for pk, code, sex, merged_into in Person.objects.values_list(
            "pk", "code", "sex", "merged_into_id"
        ).iterator(chunk_size=5000)
    }
    survivors: dict[int, tuple[str, str]] = {}
    for pk in people:
        current, seen = pk, {pk}
        while people[current][2] is not None and people[current][2] not in seen:
            current = people[current][2]
            seen.add(current)
        survivors[pk] = people[current][:2]
    return survivors


def _percentages() -> dict[int, dict[str, Decimal]]:
    scores: dict[int, dict[str, Decimal]] = {}
    for enrollment_id, phase, percent in Score.objects.values_list(
        "enrollment_id", "phase", "percent"
    ).iterator(chunk_size=5000):
        scores.setdefault(enrollment_id, {})[phase] = percent
    return scores


def participation_rows() -> Iterator[list[Any]]:
    """Rows in PARTICIPATION_COLUMNS order, by batch and spreadsheet row."""
    survivors = person_survivors()
    scores = _percentages()
    records = (
        SourceRecord.objects.filter(
            enrollment__isnull=False,
            batch__status__in=(BatchStatus.COMMITTED, BatchStatus.PARTIAL),
        )
        .exclude(outcome=RowOutcome.REJECTED)
        .select_related(
            "batch",
            "enrollment__cohort__course",
            "enrollment__institution",
            "enrollment__role",
            "enrollment__region",
        )
        .order_by("batch_id", "row_number")
    )
    for record in records.iterator(chunk_size=2000):
        enrollment = record.enrollment
        cohort = enrollment.cohort
        code, sex = survivors.get(enrollment.person_id, ("", ""))
        percent = scores.get(enrollment.pk, {})
        yield [
            code,
            record.batch.file_name,
            record.row_number,
            record.batch_id,
            cohort.course.title,
            cohort.label,
            cohort.start_date.isoformat() if cohort.start_date else "",
            sex,
            enrollment.institution.acronym
            if enrollment.institution
            else enrollment.institution_text,
            enrollment.role.name if enrollment.role else enrollment.role_text,
            enrollment.region.name if enrollment.region else enrollment.region_text,
            percent.get(Phase.PRE, ""),
            percent.get(Phase.POST, ""),
            "1" if enrollment.repeated_in_roster else "0",
            record.outcome,
        ]
