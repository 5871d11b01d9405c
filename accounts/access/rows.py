"""Which rows of each model a user may see.

- Superusers and "Registry administrator" members: everything.
- "Training school staff" (a user with a SchoolMembership): the cohorts of their school, the
  enrollments and scores in them, and the persons enrolled in them - never another school's
  rows, and never a cancelled person (cancellation removes a person from every listing).
- Analysts and everyone else: no person-level rows at all (analysts work from aggregated
  reports). Analysts may list cohorts, which carry no personal data, to filter reports.
- Within that, a sensitive participation (a course for trafficking survivors) and everything
  it left - its scores, its roster row, the import that brought it - only as
  `accounts.access.sensitive` allows: to holders of the permission and to the cohort's own
  school. Cohorts and persons stay listed: a cohort names no one, and a person is left out
  only of the participations they may not see.

Seeing a person's row is not reading their personal data: what of it a user reads is decided
in `accounts.access.personal_data`.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest

from accounts.access.sensitive import sees_every_sensitive, without_hidden_sensitive
from accounts.access.user_scope import User, is_registry_admin, is_school_staff, user_school
from assessments.models import Score
from courses.models import Cohort, Enrollment, ImportBatch, SourceRecord
from participants.models import IdentityRecord, Person, PersonStatus


def cohorts_visible_to(user: User) -> QuerySet[Cohort]:
    if is_registry_admin(user):
        return Cohort.objects.all()
    if is_school_staff(user):
        return Cohort.objects.filter(school=user_school(user))
    if user.is_authenticated and user.is_active and user.has_perm("registry.view_reports"):
        return Cohort.objects.all()
    return Cohort.objects.none()


def enrollments_visible_to(user: User) -> QuerySet[Enrollment]:
    if is_registry_admin(user):
        enrollments = Enrollment.objects.all()
    elif is_school_staff(user):
        enrollments = Enrollment.objects.filter(cohort__school=user_school(user)).exclude(
            person__status=PersonStatus.CANCELLED
        )
    else:
        return Enrollment.objects.none()
    return without_hidden_sensitive(user, enrollments, "cohort__")


def persons_visible_to(user: User) -> QuerySet[Person]:
    if is_registry_admin(user):
        return Person.objects.all()
    if is_school_staff(user):
        # A subquery rather than a join, so the result has no duplicate rows and stays
        # usable by the admin (ordering, search, counting) as a plain queryset.
        enrolled = Enrollment.objects.filter(cohort__school=user_school(user)).values("person_id")
        return Person.objects.filter(pk__in=enrolled, status=PersonStatus.ACTIVE)
    return Person.objects.none()


def scores_visible_to(user: User) -> QuerySet[Score]:
    if is_registry_admin(user):
        return without_hidden_sensitive(user, Score.objects.all(), "enrollment__cohort__")
    if is_school_staff(user):
        return Score.objects.filter(enrollment__in=enrollments_visible_to(user).values("pk"))
    return Score.objects.none()


def batches_visible_to(user: User) -> QuerySet[ImportBatch]:
    if is_registry_admin(user):
        # A batch holds its roster's rejected rows: the names of a sensitive cohort's list.
        return without_hidden_sensitive(user, ImportBatch.objects.all(), "cohort__")
    if is_school_staff(user):
        return ImportBatch.objects.filter(cohort__school=user_school(user))
    return ImportBatch.objects.none()


def source_records_visible_to(user: User) -> QuerySet[SourceRecord]:
    if is_registry_admin(user):
        return without_hidden_sensitive(user, SourceRecord.objects.all(), "batch__cohort__")
    if is_school_staff(user):
        return SourceRecord.objects.filter(batch__cohort__school=user_school(user)).exclude(
            person__status=PersonStatus.CANCELLED
        )
    return SourceRecord.objects.none()


def identity_records_visible_to(user: User) -> QuerySet[IdentityRecord]:
    """The identity records a registry administrator reads on a person's page: all but those
    a hidden roster row made (the row names its cohort). Nobody else reads identity records."""
    if not is_registry_admin(user):
        return IdentityRecord.objects.none()
    return IdentityRecord.objects.exclude(
        source_record__isnull=False,
        source_record__in=SourceRecord.objects.exclude(
            pk__in=source_records_visible_to(user).values("pk")
        ).values("pk"),
    )


# Model -> selector. The admin mixin and `visible_to` dispatch through it.
_SCOPES: dict[type[models.Model], Any] = {
    Cohort: cohorts_visible_to,
    Enrollment: enrollments_visible_to,
    Person: persons_visible_to,
    Score: scores_visible_to,
    ImportBatch: batches_visible_to,
    SourceRecord: source_records_visible_to,
}


def is_scoped(model: type[models.Model]) -> bool:
    """Whether rows of `model` are cut down per user (models without personal rows are not)."""
    return model in _SCOPES


def visible_to(user: User, model: type[models.Model]) -> QuerySet[Any]:
    """The rows of `model` the user may see; models without personal rows are unscoped."""
    scope = _SCOPES.get(model)
    return scope(user) if scope else model._default_manager.all()


def can_view_person(user: User, person: Person) -> bool:
    return persons_visible_to(user).filter(pk=person.pk).exists()


def denied_access_record(request: HttpRequest, model: type[models.Model], object_id: Any) -> None:
    """Audit an attempt at a row that exists but is outside the user's scope."""
    from audit.models import AuditAction
    from audit.services import audit_record

    try:
        obj = model._default_manager.filter(pk=object_id).first()
    except (ValueError, TypeError):
        obj = None
    if obj is not None:
        audit_record(
            actor=request.user,
            action=AuditAction.PERMISSION_DENIED,
            obj=obj,
            details={"path": request.path},
            request=request,
        )


def sees_every_row(user: User, model: type[models.Model]) -> bool:
    """Whether `user` sees every row of `model`: a registry administrator, for persons and
    cohorts always, for the rest only holding the permission to see sensitive ones."""
    if not is_registry_admin(user):
        return False
    return model in (Person, Cohort) or sees_every_sensitive(user)


def restrict_to_visible(user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """`queryset` (keeping its ordering and joins) cut down to the rows the user may see."""
    if queryset.model not in _SCOPES or sees_every_row(user, queryset.model):
        return queryset
    return queryset.filter(pk__in=visible_to(user, queryset.model).values("pk"))


__all__ = [
    "can_view_person",
    "cohorts_visible_to",
    "denied_access_record",
    "enrollments_visible_to",
    "identity_records_visible_to",
    "is_scoped",
    "persons_visible_to",
    "restrict_to_visible",
    "scores_visible_to",
    "sees_every_row",
    "visible_to",
]
