"""Read side of imported rosters: one row per committed roster row, for exports.

Free text (an institution, role or region the vocabularies did not recognise) is masked the
way every web download masks it: partners sometimes type a name, DNI, e-mail or phone into
such a cell, and this file leaves the registry as readily as a download does.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from assessments.models import Phase, Score
from courses.models import BatchStatus, RowOutcome, SourceRecord
from participants.masking import free_text_mask, known_words
from participants.merge_chains import chain_ends
from participants.models import Person, PersonStatus

# Spanish headers: the file is opened by the project's staff in a spreadsheet.
PARTICIPATION_COLUMNS = (
    "codigo_participante",
    "archivo",
    "fila",
    "lote",
    "curso",
    "cohorte",
    "inicio_cohorte",
    "sexo",
    "institucion",
    "cargo",
    "region",
    "entrada_pct",
    "salida_pct",
    "repetida_en_lista",
    "resultado",
)


def person_survivors() -> dict[int, tuple[str, str]]:
    """Person id -> (code, sex) of the person it now is: merged persons follow `merged_into`.

    Persons who are (or were merged into) a cancelled person are left out: a cancellation
    removes them from every listing (data_requests.cancellation).
    """
    cancelled: set[int] = set()
    people: dict[int, tuple[str, str, int | None]] = {}
    for pk, code, sex, merged_into, status in Person.objects.values_list(
        "pk", "code", "sex", "merged_into_id", "status"
    ).iterator(chunk_size=5000):
        people[pk] = (code, sex, merged_into)
        if status == PersonStatus.CANCELLED:
            cancelled.add(pk)
    ends = chain_ends({pk: into for pk, (_, _, into) in people.items()})
    return {pk: people[end][:2] for pk, end in ends.items() if end not in cancelled}


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
    words = known_words()
    records = (
        SourceRecord.objects.filter(
            enrollment__isnull=False,
            batch__status__in=(BatchStatus.COMMITTED, BatchStatus.PARTIAL),
        )
        .exclude(outcome=RowOutcome.REJECTED)
        .exclude(enrollment__person__status=PersonStatus.CANCELLED)
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
        assert enrollment is not None  # noqa: S101 - the query keeps only rows with one
        cohort = enrollment.cohort
        if enrollment.person_id not in survivors:
            continue  # merged into a cancelled person
        code, sex = survivors[enrollment.person_id]
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
            else free_text_mask(enrollment.institution_text, words=words),
            enrollment.role.name
            if enrollment.role
            else free_text_mask(enrollment.role_text, words=words),
            enrollment.region.name
            if enrollment.region
            else free_text_mask(enrollment.region_text, words=words),
            percent.get(Phase.PRE, ""),
            percent.get(Phase.POST, ""),
            "1" if enrollment.repeated_in_roster else "0",
            str(RowOutcome(record.outcome).label),
        ]
