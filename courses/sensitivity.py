"""Which participations are sensitive: in a course marked sensitive, or one that counts
toward an indicator marked sensitive (2.4.3.7, child trafficking survivors and groups at
risk). That a person took such a course reveals that they are a victim or at risk, data
that Peru's Ley 29733 treats as sensitive.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from courses.models import Course, Enrollment


def sensitive_course_q(prefix: str = "") -> Q:
    """The condition "this course is sensitive", on Course (or through `prefix`, e.g.
    "cohort__course__" on Enrollment)."""
    return Q(**{f"{prefix}sensitive": True}) | Q(**{f"{prefix}indicators__sensitive": True})


def sensitive_course_ids() -> set[int]:
    return set(Course.objects.filter(sensitive_course_q()).values_list("pk", flat=True))


def sensitive_enrollments() -> QuerySet[Enrollment]:
    return Enrollment.objects.filter(cohort__course_id__in=sensitive_course_ids())
