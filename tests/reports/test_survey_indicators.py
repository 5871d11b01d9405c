"""Survey indicators in the reports: the latest follow-up wave's estimate and its interval on
the dashboard's table, in coverage_report and in the indicator workbook."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from courses.models import Indicator, IndicatorKind
from followup.models import MemberStatus, QuestionKind, SurveyResponse, WaveStatus
from registry.reports.filters import ReportFilters
from registry.reports.indicator_workbook import indicator_workbook
from registry.reports.indicators import SURVEY_STATUS
from registry.reports.selectors import report_build
from tests.factories import UserFactory
from tests.followup.survey_helpers import member_make, question_make, stratum_make, wave_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def surveyed() -> Indicator:
    indicator = Indicator.objects.filter(kind=IndicatorKind.SURVEY).order_by("code").first()
    assert indicator is not None
    wave = wave_make("Seguimiento 2025", status=WaveStatus.DRAWN, drawn_at=timezone.now())
    question_make(wave, "aplica", QuestionKind.YES_NO, indicator=indicator)
    stratum = stratum_make(wave, "todos", 300)
    importer = UserFactory(username="importadora")
    for number, answer in enumerate([True] * 15 + [False] * 5):
        member = member_make(stratum, status=MemberStatus.RESPONDED)
        SurveyResponse.objects.create(
            member=member,
            answers={"aplica": answer},
            source_file="r.csv",
            source_row=number + 2,
            imported_by=importer,
        )
    return indicator


def _row(report: dict, indicator: Indicator) -> dict:  # type: ignore[type-arg]
    return next(r for r in report["indicators"]["survey"] if r["code"] == indicator.code)


def test_the_indicator_reads_the_wave_s_estimate_and_interval(surveyed: Indicator) -> None:
    report = report_build(filters=ReportFilters(), sections=["indicators"])
    row = _row(report, surveyed)
    assert row["survey_estimate"] == 75.0
    assert row["survey_ci_lower"] < 75.0 < row["survey_ci_upper"]
    assert row["survey_responses"] == 20
    assert row["status"].startswith("Ola «Seguimiento 2025»: 20 respuestas")
    others = [r for r in report["indicators"]["survey"] if r["code"] != surveyed.code]
    assert all(r["status"] == SURVEY_STATUS and r["survey_estimate"] is None for r in others)


def test_coverage_report_and_the_workbook_carry_it(surveyed: Indicator, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    call_command("coverage_report", "--format", "json", stdout=out)
    report = json.loads(out.getvalue())
    assert _row(report, surveyed)["survey_estimate"] == 75.0
    book = load_workbook(
        io.BytesIO(
            indicator_workbook(
                report=report_build(filters=ReportFilters(), sections=["indicators"]),
                filters=ReportFilters(),
                computed_at=timezone.now() - timedelta(seconds=1),
            )
        )
    )
    sheet = book["Encuesta"]
    header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    assert "Estimación del registro" in header
    values = [
        row for row in sheet.iter_rows(min_row=2, values_only=True) if row[0] == surveyed.code
    ]
    assert values[0][header.index("Estimación del registro")] == 75.0
