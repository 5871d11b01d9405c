"""Staff turnover: the latest reported post against the post at the latest training."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from followup.models import MemberStatus, ReportedPost, SurveyResponse
from followup.turnover import wave_turnover
from participants.models import Institution, Region
from tests.factories import CohortFactory, EnrollmentFactory, UserFactory
from tests.followup.survey_helpers import member_make, stratum_make, wave_make

pytestmark = pytest.mark.django_db


def _respondent(stratum: Any) -> Any:
    member = member_make(stratum, status=MemberStatus.RESPONDED)
    SurveyResponse.objects.create(
        member=member,
        answers={},
        source_file="r.csv",
        source_row=2,
        imported_by=UserFactory(username="importer"),
    )
    return member.person


def _trained(person: Any, institution: Any, region: Any, start: date | None) -> None:
    EnrollmentFactory(
        person=person,
        institution=institution,
        region=region,
        cohort=CohortFactory(start_date=start),
    )


def _now(person: Any, institution: Any, region: Any, on: date) -> None:
    ReportedPost.objects.create(
        person=person, institution=institution, region=region, reported_on=on
    )


def test_turnover_counts_and_weighted_shares() -> None:
    a, b = Institution.objects.order_by("pk")[:2]
    r1, r2 = Region.objects.order_by("pk")[:2]
    wave = wave_make()
    small = stratum_make(wave, "1", 10)  # 3 respondents: weight 10/3 each
    large = stratum_make(wave, "2", 30)  # 1 respondent: weight 30
    stays, changes_job, no_news = (_respondent(small) for _ in range(3))
    moves_region = _respondent(large)
    member_make(small, status=MemberStatus.NON_RESPONSE)  # drawn, no answer: not counted

    _trained(stays, a, r1, date(2023, 5, 1))
    _now(stays, a, r1, date(2025, 3, 1))
    # The latest training decides where they were trained (an older one was elsewhere,
    # an undated one never wins over a dated one).
    _trained(changes_job, b, r2, date(2021, 1, 1))
    _trained(changes_job, a, r1, date(2023, 6, 1))
    _trained(changes_job, b, r2, None)
    _now(changes_job, a, r1, date(2024, 1, 1))
    _now(changes_job, b, r1, date(2025, 3, 1))  # the latest report is the post now
    _trained(no_news, a, r1, date(2023, 5, 1))
    _trained(moves_region, b, r2, date(2023, 5, 1))
    _now(moves_region, b, r1, date(2025, 3, 1))

    turnover = wave_turnover(wave)

    by_institution = turnover.institution.total
    assert (by_institution.respondents, by_institution.same, by_institution.moved) == (4, 2, 1)
    assert by_institution.unknown == 1
    assert by_institution.moved_share == pytest.approx((10 / 3) / (10 / 3 + 10 / 3 + 30))
    by_region = turnover.region.total
    assert (by_region.same, by_region.moved, by_region.unknown) == (2, 1, 1)
    assert by_region.moved_share == pytest.approx(30 / (10 / 3 + 10 / 3 + 30))

    rows = {row.label: row for row in turnover.institution.rows}
    assert (rows[a.name].respondents, rows[a.name].moved, rows[a.name].unknown) == (3, 1, 1)
    assert rows[a.name].moved_share == pytest.approx(0.5)
    assert (rows[b.name].respondents, rows[b.name].same, rows[b.name].moved_share) == (1, 1, 0)
    assert turnover.institution.label == "institución"
    assert turnover.region.label == "región"


def test_no_respondents_no_shares() -> None:
    wave = wave_make()
    member_make(stratum_make(wave, "1", 10), status=MemberStatus.NON_RESPONSE)
    turnover = wave_turnover(wave)
    assert turnover.institution.total.respondents == 0
    assert turnover.institution.total.moved_share is None
    assert turnover.region.rows == []
