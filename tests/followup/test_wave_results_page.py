"""A wave's questions are added on its page, and its results read there: rates, estimates
with their 95% interval, turnover; nothing from fewer than k answers."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from courses.models import Indicator, IndicatorKind
from followup.models import MemberStatus, QuestionKind, SurveyResponse, WaveQuestion, WaveStatus
from followup.questions import wave_question_add
from followup.results import OTHERS, _pooled
from followup.turnover import TurnoverRow, TurnoverTable
from followup.waves import WaveError
from tests.factories import UserFactory
from tests.followup.survey_helpers import member_make, question_make, stratum_make, wave_make

pytestmark = pytest.mark.django_db


def _survey_indicator() -> Indicator:
    return Indicator.objects.filter(kind=IndicatorKind.SURVEY).order_by("code").first()  # type: ignore[return-value]


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_question_is_added_from_the_page_and_audited(role_user: Any) -> None:
    wave = wave_make()
    indicator = _survey_indicator()
    client = _client(role_user("analyst"))
    response = client.post(
        reverse("followup:question_new", args=[wave.pk]),
        {
            "code": "aplica_ley",
            "text": "¿Aplica la ley?",
            "kind": "yes_no",
            "indicator": indicator.pk,
        },
    )
    assert response.status_code == 302
    question = WaveQuestion.objects.get(wave=wave)
    assert (question.code, question.indicator) == ("aplica_ley", indicator)
    assert AuditEvent.objects.filter(
        action=AuditAction.SURVEY_SAMPLE, details__step="question"
    ).exists()


@pytest.mark.parametrize(
    ("code", "kind", "use_indicator", "message"),
    [
        ("aplica ley", "yes_no", False, "no sirve como columna"),
        ("1pregunta", "yes_no", False, "no sirve como columna"),
        ("comentario", "text", True, "texto libre no mide un indicador"),
    ],
)
def test_a_question_the_tools_cannot_carry_is_refused(
    code: str, kind: str, use_indicator: bool, message: str
) -> None:
    wave = wave_make()
    with pytest.raises(WaveError, match=message):
        wave_question_add(
            wave=wave,
            code=code,
            text="Pregunta",
            kind=kind,
            indicator=_survey_indicator() if use_indicator else None,
            actor=UserFactory(),
        )
    assert not wave.questions.exists()


def test_an_indicator_not_measured_by_survey_is_refused() -> None:
    wave = wave_make()
    other = Indicator.objects.exclude(kind=IndicatorKind.SURVEY).first()
    with pytest.raises(WaveError, match="no se mide por encuesta"):
        wave_question_add(
            wave=wave, code="x", text="P", kind="yes_no", indicator=other, actor=UserFactory()
        )


def _answered_wave(respondents: int) -> Any:
    wave = wave_make(status=WaveStatus.DRAWN)
    question_make(wave, "aplica", QuestionKind.YES_NO, indicator=_survey_indicator())
    stratum = stratum_make(wave, "todos", 200, label="Todas las personas")
    importer = UserFactory(username="importer")
    for number in range(respondents):
        member = member_make(stratum, status=MemberStatus.RESPONDED)
        SurveyResponse.objects.create(
            member=member,
            answers={"aplica": number % 3 != 0},
            source_file="r.csv",
            source_row=number + 2,
            imported_by=importer,
        )
    for _ in range(4):
        member_make(stratum, status=MemberStatus.NON_RESPONSE)
    return wave


def test_the_page_reads_each_indicator_with_its_interval(role_user: Any) -> None:
    wave = _answered_wave(12)
    page = _client(role_user("analyst")).get(reverse("followup:detail", args=[wave.pk]))
    html = page.content.decode()
    assert "Respondieron 12 de 16 personas seleccionadas" in html
    assert 'id="estimates"' in html
    assert "66.7 %" in html  # 8 of 12 answered yes, equal weights in one stratum
    assert " a " in html.split('id="estimates"')[1].split("</table>")[0]  # the interval
    assert 'id="turnover-institution"' in html


def test_an_estimate_from_fewer_than_k_answers_is_not_shown(role_user: Any) -> None:
    wave = _answered_wave(3)
    html = _client(role_user("analyst")).get(reverse("followup:detail", args=[wave.pk]))
    table = html.content.decode().split('id="estimates"')[1].split("</table>")[0]
    assert "menos de 5 respuestas: no se muestra" in table
    assert "66.7 %" not in table


def _row(label: str, respondents: int) -> TurnoverRow:
    return TurnoverRow(label, respondents, respondents, 0, 0, 0.0)


def test_small_places_are_pooled_until_no_count_can_be_read_off_the_total() -> None:
    table = TurnoverTable(
        "region",
        "región",
        _row("Total", 31),
        [_row("Lima", 20), _row("Cusco", 6), _row("Puno", 3), _row("Tacna", 2)],
    )
    pooled = _pooled(table, 5)
    labels = [row.label for row in pooled.rows]
    # Puno and Tacna (5 together) join: the pool holds 5, so Cusco stays on its own.
    assert labels == ["Lima", "Cusco", OTHERS.format(k=5)]
    assert pooled.rows[-1].respondents == 5
    lone = TurnoverTable("region", "región", _row("Total", 23), [_row("Lima", 20), _row("Puno", 3)])
    # Puno alone would be 23 - 20: Lima joins it, and only the total is left to show.
    assert [row.label for row in _pooled(lone, 5).rows] == [OTHERS.format(k=5)]
