"""Database constraints back every invariant, on SQLite and on PostgreSQL alike."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from assessments.models import Phase, Score
from courses.models import Cohort, Enrollment
from participants.codes import is_valid_code
from participants.models import DuplicateCandidate, Person, PersonStatus
from tests.factories import (
    CohortFactory,
    EnrollmentFactory,
    PersonFactory,
    ScoreFactory,
)

pytestmark = pytest.mark.django_db


def _raises_integrity(callable_, *args, **kwargs) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_(*args, **kwargs)


def test_one_active_person_per_dni() -> None:
    PersonFactory(document_number="01234567")
    _raises_integrity(PersonFactory, document_number="01234567")


def test_a_merged_tombstone_does_not_block_its_dni() -> None:
    survivor = PersonFactory(document_number="")
    PersonFactory(document_number="07654321", status=PersonStatus.MERGED, merged_into=survivor)
    active = PersonFactory(document_number="07654321")
    assert active.pk


def test_same_number_on_different_document_types_is_allowed() -> None:
    PersonFactory(document_type="dni", document_number="12345678")
    other = PersonFactory(document_type="ce", document_number="12345678")
    assert other.pk


def test_persons_without_document_are_not_unique_on_it() -> None:
    PersonFactory(document_number="")
    assert PersonFactory(document_number="").pk


def test_dni_must_have_eight_characters_in_the_database() -> None:
    _raises_integrity(PersonFactory, document_number="1234567")


def test_dni_validation_message_for_non_digits() -> None:
    person = PersonFactory.build(document_number="1234567X")
    with pytest.raises(ValidationError, match="8 dígitos"):
        person.full_clean()


def test_merged_person_needs_a_survivor_and_active_person_none() -> None:
    _raises_integrity(PersonFactory, status=PersonStatus.MERGED, merged_into=None)
    survivor = PersonFactory()
    _raises_integrity(PersonFactory, status=PersonStatus.ACTIVE, merged_into=survivor)


def test_one_enrollment_per_person_and_cohort() -> None:
    enrollment = EnrollmentFactory()
    _raises_integrity(Enrollment.objects.create, person=enrollment.person, cohort=enrollment.cohort)


@pytest.mark.parametrize(
    ("raw", "scale"),
    [(Decimal("21"), Decimal("20")), (Decimal("-1"), Decimal("20")), (Decimal("0"), Decimal("0"))],
)
def test_score_must_lie_within_its_scale(raw: Decimal, scale: Decimal) -> None:
    enrollment = EnrollmentFactory()
    _raises_integrity(
        Score.objects.bulk_create,
        [
            Score(
                enrollment=enrollment,
                phase=Phase.PRE,
                raw_score=raw,
                scale_max=scale,
                percent=Decimal(0),
            )
        ],
    )


def test_score_percent_is_derived_from_the_scale() -> None:
    score = ScoreFactory(raw_score=Decimal("15"), scale_max=Decimal("20"))
    score.refresh_from_db()
    assert score.percent == Decimal("75.00")


def test_one_score_per_phase_and_enrollment() -> None:
    score = ScoreFactory(phase=Phase.POST)
    _raises_integrity(ScoreFactory, enrollment=score.enrollment, phase=Phase.POST)


def test_participant_codes_are_valid_and_unique() -> None:
    people = PersonFactory.create_batch(50)
    codes = [p.code for p in people]
    assert len(set(codes)) == 50
    assert all(is_valid_code(code) for code in codes)
    _raises_integrity(PersonFactory, code=codes[0])


def test_participant_code_format_is_enforced_by_the_database() -> None:
    _raises_integrity(PersonFactory, code="XX-1234")


def test_duplicate_pair_is_stored_once_in_id_order() -> None:
    a, b = PersonFactory(), PersonFactory()
    low, high = sorted((a, b), key=lambda p: p.pk)
    DuplicateCandidate.objects.create(person_a=low, person_b=high, score=0.7)
    _raises_integrity(DuplicateCandidate.objects.create, person_a=low, person_b=high, score=0.8)
    _raises_integrity(DuplicateCandidate.objects.create, person_a=high, person_b=low, score=0.8)
    _raises_integrity(DuplicateCandidate.objects.create, person_a=low, person_b=low, score=0.8)


def test_cohort_cannot_end_before_it_starts() -> None:
    cohort = CohortFactory.build(start_date=date(2024, 5, 10), end_date=date(2024, 5, 1))
    cohort.course.save()
    cohort.school.save()
    cohort.course_id, cohort.school_id = cohort.course.pk, cohort.school.pk
    _raises_integrity(cohort.save)
    assert not Cohort.objects.filter(label=cohort.label).exists()


def test_persons_cannot_be_deleted_while_they_have_enrollments() -> None:
    enrollment = EnrollmentFactory()
    with pytest.raises(Exception, match="protected"):
        Person.objects.filter(pk=enrollment.person_id).delete()
