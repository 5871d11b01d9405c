"""2.4.3.7 (child trafficking survivors and groups at risk) is sensitive in the reference data
and in the demo; the loader sets the mark and never clears one an administrator made."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from courses.models import Course, Enrollment, Indicator, IndicatorLevel
from courses.sensitivity import sensitive_course_ids, sensitive_enrollments

pytestmark = pytest.mark.django_db


def _indicator(code: str) -> Indicator:
    return Indicator.objects.get(level=IndicatorLevel.OUTPUT, code=code)


def test_the_migrated_registry_has_2_4_3_7_sensitive_and_its_course_with_it() -> None:
    assert _indicator("2.4.3.7").sensitive
    assert not _indicator("2.4.3.6").sensitive
    survivors = Course.objects.get(indicators__code="2.4.3.7")
    assert sensitive_course_ids() == {survivors.pk}


def test_the_loader_sets_the_mark_again_and_keeps_one_made_by_hand() -> None:
    Indicator.objects.filter(code="2.4.3.7").update(sensitive=False)
    Indicator.objects.filter(level=IndicatorLevel.OUTPUT, code="2.4.3.6").update(sensitive=True)
    call_command("load_reference_data", verbosity=0)
    call_command("load_reference_data", verbosity=0)
    assert _indicator("2.4.3.7").sensitive
    assert _indicator("2.4.3.6").sensitive
    assert Indicator.objects.filter(sensitive=True).count() == 2


def test_the_demo_marks_the_courses_of_2_4_3_7() -> None:
    Indicator.objects.filter(code="2.4.3.7").update(sensitive=False)
    call_command("load_demo", persons=120, seed=3)
    assert _indicator("2.4.3.7").sensitive
    assert set(
        Course.objects.filter(sensitive=True).values_list("indicators__code", flat=True)
    ) == {"2.4.3.7"}
    # The demo has participations for the pages to hide.
    assert sensitive_enrollments().exists()
    assert sensitive_enrollments().count() < Enrollment.objects.count()
