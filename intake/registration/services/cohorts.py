"""Creating a cohort from the school pages (school staff create it for their own school)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest

from accounts.access.user_scope import is_school_staff, user_school
from audit.models import AuditAction
from audit.services import audit_record
from courses.models import Cohort, Course, School
from participants.models import Region


@transaction.atomic
def cohort_create(
    *,
    actor: Any,
    course: Course,
    label: str,
    start_date: date | None = None,
    end_date: date | None = None,
    region: Region | None = None,
    modality: str = "in_person",
    school: School | None = None,
    request: HttpRequest | None = None,
) -> Cohort:
    """A cohort; school staff always create it for their own school."""
    if is_school_staff(actor):
        school = user_school(actor)
    elif not actor.has_perm("courses.add_cohort"):
        raise PermissionDenied
    cohort = Cohort(
        course=course,
        label=label.strip(),
        start_date=start_date,
        end_date=end_date,
        region=region,
        modality=modality,
        school=school,
    )
    cohort.full_clean()
    cohort.save()
    audit_record(
        actor=actor,
        action=AuditAction.COHORT_CREATE,
        obj=cohort,
        details={"school": getattr(school, "acronym", None), "course": course.pk},
        request=request,
    )
    return cohort
