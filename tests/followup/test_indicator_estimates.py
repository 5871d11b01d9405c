"""The reports' survey indicators read the latest wave that measures them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from courses.models import Indicator, IndicatorKind
from followup.indicator_estimates import survey_indicator_estimates
from followup.models import MemberStatus, QuestionKind, SurveyResponse, WaveStatus
from tests.factories import UserFactory
from tests.followup.survey_helpers import member_make, question_make, stratum_make, wave_make

pytestmark = pytest.mark.django_db


def _wave(name: str, indicator: Indicator, yes: int, no: int, days_ago: int) -> None:
    wave = wave_make(
        name, status=WaveStatus.DRAWN, drawn_at=timezone.now() - timedelta(days=days_ago)
    )
    question_make(wave, "aplica", QuestionKind.YES_NO, indicator=indicator)
    stratum = stratum_make(wave, "todos", 500)
    importer = UserFactory(username=f"imp-{name}")
    for number, answer in enumerate([True] * yes + [False] * no):
        member = member_make(stratum, status=MemberStatus.RESPONDED)
        SurveyResponse.objects.create(
            member=member,
            answers={"aplica": answer},
            source_file="r.csv",
            source_row=number + 2,
            imported_by=importer,
        )


def test_the_latest_wave_answers_and_few_answers_are_withheld() -> None:
    first, second = Indicator.objects.filter(kind=IndicatorKind.SURVEY).order_by("code")[:2]
    _wave("2024", first, yes=3, no=7, days_ago=400)
    _wave("2025", first, yes=8, no=2, days_ago=30)
    _wave("2025-b", second, yes=2, no=1, days_ago=10)
    found = survey_indicator_estimates()
    assert found[first.pk].wave == "2025"
    assert found[first.pk].estimate == pytest.approx(0.8)
    assert found[first.pk].ci_lower is not None
    assert found[first.pk].ci_lower < 0.8 < found[first.pk].ci_upper
    assert found[second.pk].withheld
    assert found[second.pk].estimate is None
