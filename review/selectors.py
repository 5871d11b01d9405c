"""Read-side queries of the review queue."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import (
    Case,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)

from accounts.access.sensitive import reserved_count, reserved_text, without_hidden_sensitive
from accounts.access.user_scope import User
from assessments.models import Score
from courses.models import Enrollment, SourceRecord
from participants.models import Decision, DuplicateCandidate, Person, PersonStatus

OPEN_DECISIONS = (Decision.PENDING, Decision.SKIPPED)


@dataclass(frozen=True)
class QueueFilters:
    """Filters on the persons' enrollments: course, region and institution ids (None = any)."""

    course: int | None = None
    region: int | None = None
    institution: int | None = None
    ascending: bool = False


def _enrollment_condition(filters: QueueFilters) -> Q | None:
    condition = Q()
    if filters.course is not None:
        condition &= Q(cohort__course_id=filters.course)
    if filters.region is not None:
        # The region as at the training, or the cohort's region when the roster gave none.
        condition &= Q(region_id=filters.region) | Q(
            region__isnull=True, cohort__region_id=filters.region
        )
    if filters.institution is not None:
        condition &= Q(institution_id=filters.institution)
    return condition if condition.children else None


def candidate_queue(
    filters: QueueFilters | None = None, *, user: User | None = None
) -> QuerySet[DuplicateCandidate]:
    """Open pairs of two active persons: pending first by score, then skipped ones.

    Skipped pairs come back at the end, the one skipped longest ago first, so a skip is never
    asked again before every pending pair. A pair matches the filters when either person has
    an enrollment that meets them all and, for `user`, one they may see: a filter by a
    sensitive course lists no pair to whoever may not see its participations.
    """
    filters = filters or QueueFilters()
    queue = DuplicateCandidate.objects.filter(
        decision__in=OPEN_DECISIONS,
        person_a__status=PersonStatus.ACTIVE,
        person_b__status=PersonStatus.ACTIVE,
    ).select_related("person_a", "person_b")
    condition = _enrollment_condition(filters)
    if condition is not None:
        matching = Enrollment.objects.filter(condition)
        if user is not None:
            matching = without_hidden_sensitive(user, matching, "cohort__")
        queue = queue.filter(
            Exists(matching.filter(person_id=OuterRef("person_a_id")))
            | Exists(matching.filter(person_id=OuterRef("person_b_id")))
        )
    queue = queue.annotate(
        skipped=Case(
            When(decision=Decision.SKIPPED, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    )
    by_score = "score" if filters.ascending else "-score"
    return queue.order_by("skipped", "decided_at", by_score, "pk")


def candidate_next(
    *,
    filters: QueueFilters | None = None,
    after: DuplicateCandidate | None = None,
    user: User | None = None,
) -> DuplicateCandidate | None:
    """The next pair to ask, other than `after` (the one just answered or skipped)."""
    queue = candidate_queue(filters, user=user)
    if after is not None:
        queue = queue.exclude(pk=after.pk)
    return queue.first()


def person_enrollments(person: Person, user: User) -> QuerySet[Enrollment]:
    """A person's enrollments with what the review page shows: course, place, scores, rows;
    without the sensitive ones `user` may not see (`person_reserved` counts them)."""
    return (
        without_hidden_sensitive(user, Enrollment.objects.filter(person=person), "cohort__")
        .select_related("cohort__course", "cohort__region", "institution", "role", "region")
        .prefetch_related(
            Prefetch("scores", queryset=Score.objects.order_by("-phase")),
            Prefetch("source_records", queryset=SourceRecord.objects.select_related("batch")),
        )
        .order_by("cohort__start_date", "pk")
    )


def person_sources(person: Person, user: User) -> QuerySet[SourceRecord]:
    """The roster rows of the person, but those of cohorts whose participations `user` may
    not see (a row names its cohort)."""
    sources = person.source_records.select_related("batch", "enrollment__cohort")
    return without_hidden_sensitive(user, sources, "batch__cohort__").order_by(
        "batch__created_at", "row_number"
    )


def person_reserved(person: Person, user: User) -> str:
    """ "1 participación reservada" when the pages leave a person's participations out:
    a reviewer then knows the lists are not the whole person before merging them."""
    return reserved_text(reserved_count(user, Enrollment.objects.filter(person=person), "cohort__"))
