"""Builders for merge tests: two persons with enrollments, scores and roster rows."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from assessments.models import Score
from courses.models import Enrollment, SourceRecord
from participants.models import DuplicateCandidate, Person
from tests.factories import (
    CohortFactory,
    EnrollmentFactory,
    ImportBatchFactory,
    PersonFactory,
    ScoreFactory,
    SourceRecordFactory,
)


def snapshot() -> dict[str, Any]:
    """Every row of every table a merge touches (persons without their modification time)."""
    persons = list(Person.objects.order_by("pk").values())
    for row in persons:
        row.pop("updated_at")
    return {
        "persons": persons,
        "enrollments": list(Enrollment.objects.order_by("pk").values()),
        "scores": list(Score.objects.order_by("pk").values()),
        "sources": list(SourceRecord.objects.order_by("pk").values()),
        "candidates": list(DuplicateCandidate.objects.order_by("pk").values()),
    }


def enroll(
    person: Person, cohort: Any, *, phases: tuple[str, ...] = (), **fields: Any
) -> Enrollment:
    """Enroll `person` with one roster row per enrollment and the given test phases."""
    enrollment = EnrollmentFactory(person=person, cohort=cohort, **fields)
    batch = ImportBatchFactory(cohort=cohort)
    SourceRecordFactory(batch=batch, person=person, enrollment=enrollment, outcome="new")
    for index, phase in enumerate(phases):
        ScoreFactory(enrollment=enrollment, phase=phase, raw_score=Decimal(10 + index))
    return enrollment


@dataclass
class Pair:
    survivor: Person
    merged: Person
    shared: Any  # the cohort both took
    only_survivor: Any
    only_merged: Any


@pytest.fixture
def pair(db: Any) -> Pair:
    """A survivor and a duplicate: one shared cohort, one cohort each, scores on both sides."""
    survivor = PersonFactory(
        given_names="Rosa", paternal_surname="Quispe", maternal_surname="", document_number=""
    )
    merged = PersonFactory(
        given_names="Rosa Elena",
        paternal_surname="Quispe",
        maternal_surname="Mamani",
        document_number="04512345",
        sex="F",
    )
    shared, only_survivor, only_merged = CohortFactory(), CohortFactory(), CohortFactory()
    enroll(survivor, shared, phases=("pre",))
    enroll(merged, shared, phases=("pre", "post"), institution_text="Fiscalía de Puno")
    enroll(survivor, only_survivor, phases=("pre", "post"))
    enroll(merged, only_merged, phases=("post",))
    return Pair(survivor, merged, shared, only_survivor, only_merged)
