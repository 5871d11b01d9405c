"""Who may see a sensitive participation (`courses.sensitivity`): one in a course for
trafficking survivors and groups at risk, which reveals what Ley 29733 treats as sensitive.

- A user holding `courses.view_sensitive_participation` sees them wherever their scope
  (`accounts.access.rows`) lets them see participations. No role holds it (see
  `accounts.roles`): it is granted to named users, on the user's admin page (audited).
- School staff see the participations of their own school's cohorts, sensitive or not: the
  school running a survivors' course registers, scores and follows up its participants.
- Everyone else - registry administrators without the permission included - never sees a
  sensitive participation of another school's (or any) cohort: not its row, its scores, its
  roster row, nor the identity record that row made. Aggregates show them under their own
  threshold (`registry.reports`).

`accounts.access.rows` applies this to every row it scopes; pages that list a person's
participations also say how many they left out (`reserved_count`), so that a reviewer does
not merge two persons believing they have seen everything.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from accounts.access.user_scope import User, is_school_staff, user_school
from courses.models import Cohort, Course
from courses.sensitivity import sensitive_course_q

SENSITIVE_PERMISSION = "courses.view_sensitive_participation"
# Shown wherever participations were left out: "1 participación reservada".
RESERVED_SINGULAR = "participación reservada"
RESERVED_PLURAL = "participaciones reservadas"


def sees_every_sensitive(user: User) -> bool:
    """Whether `user` holds the permission (superusers hold every permission)."""
    return bool(user.is_authenticated and user.is_active and user.has_perm(SENSITIVE_PERMISSION))


def hidden_sensitive_q(user: User, cohort_prefix: str = "") -> Q | None:
    """The condition "a sensitive participation `user` may not see", on a model that reaches
    the cohort through `cohort_prefix` (e.g. "cohort__" on Enrollment, "" on Cohort); None
    when the user may see them all."""
    if sees_every_sensitive(user):
        return None
    sensitive = Course.objects.filter(sensitive_course_q()).values("pk")
    condition = Q(**{f"{cohort_prefix}course_id__in": sensitive})
    school = user_school(user) if is_school_staff(user) else None
    if school is not None:
        condition &= ~Q(**{f"{cohort_prefix}school_id": school.pk})
    return condition


def without_hidden_sensitive(
    user: User, queryset: QuerySet[Any], cohort_prefix: str
) -> QuerySet[Any]:
    """`queryset` without the sensitive participations `user` may not see."""
    condition = hidden_sensitive_q(user, cohort_prefix)
    return queryset if condition is None else queryset.exclude(condition)


def can_see_participations_in(user: User, cohort: Cohort) -> bool:
    """Whether `user` may see who took part in `cohort` (as far as their scope lets them)."""
    condition = hidden_sensitive_q(user)
    if condition is None:
        return True
    return not Cohort.objects.filter(condition, pk=cohort.pk).exists()


def reserved_count(user: User, queryset: QuerySet[Any], cohort_prefix: str) -> int:
    """How many rows of `queryset` (e.g. one person's enrollments) `user` may not see."""
    condition = hidden_sensitive_q(user, cohort_prefix)
    return 0 if condition is None else queryset.filter(condition).count()


def reserved_text(count: int) -> str:
    """ "1 participación reservada", "2 participaciones reservadas"; "" for none."""
    if not count:
        return ""
    return f"{count} {RESERVED_SINGULAR if count == 1 else RESERVED_PLURAL}"


__all__ = [
    "SENSITIVE_PERMISSION",
    "can_see_participations_in",
    "hidden_sensitive_q",
    "reserved_count",
    "reserved_text",
    "sees_every_sensitive",
    "without_hidden_sensitive",
]
