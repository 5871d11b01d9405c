"""Administrators set what a course counts toward and what its tests measure, in the admin."""

from __future__ import annotations

import pytest
from django.urls import reverse

from courses.models import Course, Indicator, IndicatorLevel

pytestmark = pytest.mark.django_db


def _indicator(level: str, code: str) -> Indicator:
    return Indicator.objects.get(level=level, code=code)


def _form(course: Course, outputs: list[Indicator], knowledge: Indicator | None) -> dict:  # type: ignore[type-arg]
    return {
        "title": course.title,
        "component": course.component,
        "provider": course.provider,
        "indicators": [indicator.pk for indicator in outputs],
        "knowledge_indicator": knowledge.pk if knowledge else "",
    }


def test_admin_changes_a_courses_indicators(client, admin_user) -> None:  # type: ignore[no-untyped-def]
    client.force_login(admin_user)
    course = Course.objects.get(title__startswith="Técnicas especiales de investigación")
    url = reverse("admin:courses_course_change", args=[course.pk])
    page = client.get(url).content.decode()
    assert "1.2.1.1 · N.º de efectivos policiales" in page
    police, school = (_indicator(IndicatorLevel.OUTPUT, c) for c in ("1.2.1.1", "1.2.2.2"))
    knowledge = _indicator(IndicatorLevel.OUTCOME, "1.2.1.2")
    response = client.post(url, _form(course, [police, school], knowledge))
    assert response.status_code == 302
    course.refresh_from_db()
    assert set(course.indicators.values_list("code", flat=True)) == {"1.2.1.1", "1.2.2.2"}
    assert course.knowledge_indicator == knowledge


@pytest.mark.parametrize(
    ("outputs", "knowledge"),
    [
        ([("output", "1.3.1.4")], None),  # a workshop indicator: reported apart
        ([("outcome", "1.2.1.1")], None),  # an outcome is not counted in participants
        ([], ("outcome", "1.3.1.1")),  # a survey indicator is not measured by tests
    ],
)
def test_admin_offers_only_indicators_of_the_right_kind(
    client, admin_user, outputs, knowledge
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(admin_user)
    course = Course.objects.get(title__startswith="Técnicas especiales de investigación")
    url = reverse("admin:courses_course_change", args=[course.pk])
    form = _form(
        course,
        [_indicator(*key) for key in outputs],
        _indicator(*knowledge) if knowledge else None,
    )
    response = client.post(url, form)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert set(course.indicators.values_list("code", flat=True)) == {"1.2.1.1"}


def test_indicator_admin_lists_and_opens_the_logframe(client, admin_user) -> None:  # type: ignore[no-untyped-def]
    client.force_login(admin_user)
    changelist = client.get(reverse("admin:courses_indicator_changelist"), {"kind": "survey"})
    assert changelist.status_code == 200
    assert changelist.context["cl"].result_count == 2
    indicator = _indicator(IndicatorLevel.OUTCOME, "2.3.1.1")
    page = client.get(reverse("admin:courses_indicator_change", args=[indicator.pk]))
    assert page.status_code == 200
    assert "83.70" in page.content.decode()  # its fourth measurement
