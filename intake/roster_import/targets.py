"""The course and cohort a roster goes to, created when a command names new ones."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from courses.models import Cohort, Course
from participants.models import Region
from participants.vocabularies import resolve


class TargetError(ValueError):
    """A course, cohort, date or region given to an import that cannot be used."""


def parse_start_date(value: str) -> date | None:
    if not value or not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError as error:
        raise TargetError(f"fecha de inicio '{value}' no válida: use AAAA-MM-DD") from error


def region_named(name: str) -> Region | None:
    """The region a name or alias stands for ("Cuzco" -> Cusco); None for an empty name."""
    if not name or not name.strip():
        return None
    region_id = resolve("region", name)
    if region_id is None:
        raise TargetError(f"región '{name}' desconocida")
    return Region.objects.get(pk=region_id)


@transaction.atomic
def cohort_get_or_create(
    *,
    course_title: str,
    cohort_label: str,
    start_date: date | None = None,
    region: Region | None = None,
) -> tuple[Cohort, bool]:
    """The cohort `cohort_label` of the course titled `course_title`, creating both if new."""
    course_title, cohort_label = course_title.strip(), cohort_label.strip()
    if not course_title or not cohort_label:
        raise TargetError("se necesitan el título del curso y la etiqueta de la cohorte")
    course = Course.objects.filter(title__iexact=course_title).first()
    if course is None:
        course = Course(title=course_title)
        course.full_clean()
        course.save()
    cohort = Cohort.objects.filter(course=course, label=cohort_label).first()
    if cohort is not None:
        return cohort, False
    cohort = Cohort(course=course, label=cohort_label, start_date=start_date, region=region)
    cohort.full_clean()
    cohort.save()
    return cohort, True
