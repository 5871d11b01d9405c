"""Bulk writes of one committed roster: persons, enrollments, scores, review pairs.

Called only from `committing._commit`, inside its transaction. bulk_create keeps a back-fill
of thousands of rows fast; the values were validated while staging, and the database
constraints still guard every invariant.
"""

from __future__ import annotations

from dataclasses import replace

from assessments.models import Phase, Score, percent_of
from courses.models import Cohort, Enrollment
from intake.roster_import import report as outcomes
from intake.roster_import.planning import Plan, RowPlan
from intake.roster_import.staging import Problem
from participants.identity.records import (
    IdentityValues,
    identity_record_build,
    identity_records_create,
)
from participants.models import DuplicateCandidate, IdentityRecord, Person, RecordSource


def create_persons(plan: Plan) -> dict[int, Person]:
    """Save the person built for each row whose outcome is new or review; position -> it."""
    built = {
        row_plan.row.position: row_plan.person
        for row_plan in plan.rows
        if row_plan.outcome in (outcomes.NEW, outcomes.REVIEW) and row_plan.person is not None
    }
    Person.objects.bulk_create(list(built.values()), batch_size=1000)
    return built


def person_ids(plan: Plan, new_persons: dict[int, Person]) -> dict[int, int]:
    """Row position -> person id for every imported row (repeats follow their first row)."""
    person_of: dict[int, int] = {}
    for row_plan in plan.rows:
        position = row_plan.row.position
        if position in new_persons:
            person_of[position] = new_persons[position].pk
        elif row_plan.person_id is not None:
            person_of[position] = row_plan.person_id
    for row_plan in plan.rows:
        if row_plan.outcome == outcomes.REPEATED and row_plan.same_as in person_of:
            person_of[row_plan.row.position] = person_of[row_plan.same_as]
    return person_of


def enroll(plan: Plan, cohort: Cohort, person_of: dict[int, int]) -> dict[int, Enrollment]:
    """One enrollment per person; a person listed twice gets one, flagged. Person id -> it."""
    existing = {
        enrollment.person_id: enrollment
        for enrollment in Enrollment.objects.filter(
            cohort=cohort, person_id__in=set(person_of.values())
        )
    }
    rows_per_person: dict[int, list[RowPlan]] = {}
    for row_plan in plan.rows:
        if row_plan.row.position in person_of:
            rows_per_person.setdefault(person_of[row_plan.row.position], []).append(row_plan)
    new: dict[int, Enrollment] = {}
    repeated_existing = []
    for person_id, rows in rows_per_person.items():
        if person_id in existing:
            if len(rows) > 1:
                repeated_existing.append(existing[person_id].pk)
            continue
        first = rows[0]
        new[person_id] = Enrollment(
            person_id=person_id,
            cohort=cohort,
            institution_id=first.vocabulary_ids.get("institution"),
            institution_text=first.row.institution,
            role_id=first.vocabulary_ids.get("role"),
            role_text=first.row.role,
            region_id=first.vocabulary_ids.get("region"),
            region_text=first.row.region,
            repeated_in_roster=len(rows) > 1,
            # Kept for when the person has no birth date (courses.minors reads it first).
            age_stated=next((r.row.age_stated for r in rows if r.row.age_stated is not None), None),
            minor_stated=next(
                (r.row.minor_stated for r in rows if r.row.minor_stated is not None), None
            ),
        )
    Enrollment.objects.bulk_create(list(new.values()), batch_size=1000)
    if repeated_existing:
        Enrollment.objects.filter(pk__in=repeated_existing).update(repeated_in_roster=True)
    return {**existing, **new}


def create_scores(
    plan: Plan,
    enrollments: dict[int, Enrollment],
    person_of: dict[int, int],
) -> None:
    """Pre/post scores per enrollment; a repeat fills a score its first row lacks."""
    taken = set(
        Score.objects.filter(enrollment_id__in=[e.pk for e in enrollments.values()]).values_list(
            "enrollment_id", "phase"
        )
    )
    scores: dict[tuple[int, str], Score] = {}
    for row_plan in plan.rows:
        person_id = person_of.get(row_plan.row.position)
        if person_id is None:
            continue
        enrollment = enrollments[person_id]
        for phase, value, scale in (
            (Phase.PRE, row_plan.row.pre_score, plan.pre_scale),
            (Phase.POST, row_plan.row.post_score, plan.post_scale),
        ):
            if value is None or scale is None or (enrollment.pk, phase) in scores:
                continue
            if (enrollment.pk, phase) in taken:
                row_plan.row.problems.append(
                    Problem("", f"ya había nota de {phase.label}; se conserva la anterior")
                )
                continue
            scores[(enrollment.pk, phase)] = Score(
                enrollment=enrollment,
                phase=phase,
                raw_score=value,
                scale_max=scale,
                # bulk_create skips Score.save(), which keeps the percentage in step.
                percent=percent_of(value, scale),
            )
    Score.objects.bulk_create(list(scores.values()), batch_size=1000)


def create_candidates(plan: Plan, new_persons: dict[int, Person]) -> None:
    candidates = []
    for row_plan in plan.rows:
        if row_plan.outcome != outcomes.REVIEW or row_plan.review_person_id is None:
            continue
        new_id = new_persons[row_plan.row.position].pk
        first, second = sorted((new_id, row_plan.review_person_id))
        candidates.append(
            DuplicateCandidate(
                person_a_id=first,
                person_b_id=second,
                score=min(max(row_plan.score, 0.0), 1.0),
                reasons=[row_plan.reason],
                model=plan.model.version if plan.model else None,
            )
        )
    DuplicateCandidate.objects.bulk_create(candidates, ignore_conflicts=True)


def create_identity_records(plan: Plan, person_of: dict[int, int]) -> dict[int, IdentityRecord]:
    """Each imported row becomes one more identity record of its person, as normalised for
    that person (a DNI a school user may not attach stays only in the row's raw cells).
    Returns row position -> its record, for the row's `SourceRecord` to point at."""
    records = []
    positions = []
    for row_plan in plan.rows:
        position = row_plan.row.position
        if position not in person_of or row_plan.person is None:
            continue
        person = row_plan.person
        values = IdentityValues.of_person(person)
        records.append(
            identity_record_build(
                person_id=person_of[position],
                values=replace(
                    values,
                    institution=row_plan.row.institution,
                    role=row_plan.row.role,
                    region=row_plan.row.region,
                ),
                source=RecordSource.ROSTER_ROW,
            )
        )
        positions.append(position)
    created = identity_records_create(records)
    return dict(zip(positions, created, strict=True))
