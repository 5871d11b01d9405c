"""The wave's design-based estimates against a hand computation of the stratified
estimator and its Taylor variance (with the finite population correction 1 - n_h/N_h as a
per-stratum factor), its logit interval for a proportion and its design effect."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from scipy import stats

from courses.models import Indicator
from followup.estimates import FEW_RESPONSES, HIGH_CV, wave_estimates, wave_weights
from followup.models import MemberStatus, QuestionKind, SurveyResponse, SurveyWave, WaveStratum
from participants.models import Person, Sex
from tests.factories import UserFactory
from tests.followup.survey_helpers import member_make, question_make, stratum_make, wave_make

pytestmark = pytest.mark.django_db


def _respond(stratum: WaveStratum, answers: dict[str, Any], **member: Any) -> None:
    row = member_make(stratum, status=MemberStatus.RESPONDED, **member)
    SurveyResponse.objects.create(
        member=row,
        answers=answers,
        source_file="respuestas.csv",
        source_row=row.draw_order + 1,
        imported_by=UserFactory(username="importer"),
    )


# Two strata: A (N=40) drew 6 (one a replacement of a non-respondent), 5 answered;
# B (N=25) drew 4, one withdrew, 3 answered.
ANSWERS = {
    "A": [(1, 3.0), (1, 5.0), (0, 2.0), (1, 4.0), (0, 6.0)],
    "B": [(1, 1.0), (0, 2.0), (0, 2.5)],
}
POPULATION = {"A": 40, "B": 25}


def _design() -> SurveyWave:
    wave = wave_make()
    indicators = list(Indicator.objects.order_by("pk")[:2])
    question_make(wave, "aplica", QuestionKind.YES_NO, indicator=indicators[0])
    question_make(wave, "casos", QuestionKind.NUMBER, indicator=indicators[1])
    question_make(wave, "comentario", QuestionKind.TEXT)
    question_make(wave, "sin_indicador", QuestionKind.YES_NO)
    a = stratum_make(wave, "A", POPULATION["A"], label="Estrato A")
    b = stratum_make(wave, "B", POPULATION["B"], label="Estrato B")
    replaced = member_make(a, status=MemberStatus.NON_RESPONSE)
    for number, (yes, cases) in enumerate(ANSWERS["A"]):
        extra = {"replacement_for": replaced} if number == 0 else {}
        _respond(a, {"aplica": bool(yes), "casos": cases, "comentario": "ok"}, **extra)
    member_make(b, status=MemberStatus.WITHDRAWN)
    for yes, cases in ANSWERS["B"]:
        _respond(b, {"aplica": bool(yes), "casos": cases})
    return wave


def _by_hand(values: dict[str, list[float]]) -> dict[str, float]:
    """The stratified ratio mean with N_h/r_h weights, its linearised variance
    sum_h (1-f_h) n_h/(n_h-1) sum_i (z_hi - zbar_h)^2 with z = w (y - ybar) / sum(w), the
    t interval with n - H degrees of freedom, and the design effect against an SRSWOR."""
    w = {h: POPULATION[h] / len(ys) for h, ys in values.items()}
    total = sum(w[h] * len(ys) for h, ys in values.items())
    mean = sum(w[h] * sum(ys) for h, ys in values.items()) / total
    variance = 0.0
    for h, ys in values.items():
        z = [w[h] * (y - mean) / total for y in ys]
        zbar = sum(z) / len(z)
        n_h = len(ys)
        variance += (1 - n_h / POPULATION[h]) * n_h / (n_h - 1) * sum((zi - zbar) ** 2 for zi in z)
    n = sum(len(ys) for ys in values.values())
    t = stats.t.ppf(0.975, df=n - len(values))
    se = math.sqrt(variance)
    s2 = n / (n - 1) * sum(w[h] * (y - mean) ** 2 for h, ys in values.items() for y in ys) / total
    srs = (1 - n / total) * s2 / n
    return {"mean": mean, "variance": variance, "se": se, "t": t, "deff": variance / srs}


def test_mean_and_its_interval_match_the_hand_computation() -> None:
    result = wave_estimates(_design())
    cases = next(e for e in result.estimates if e.question == "casos")
    hand = _by_hand({h: [c for _, c in rows] for h, rows in ANSWERS.items()})
    assert cases.kind == "mean"
    assert cases.label == "promedio"
    assert cases.n == 8
    assert cases.estimate == pytest.approx(hand["mean"], abs=1e-6)
    assert cases.std_error == pytest.approx(hand["se"], abs=1e-6)
    assert cases.ci_lower == pytest.approx(hand["mean"] - hand["t"] * hand["se"], abs=1e-6)
    assert cases.ci_upper == pytest.approx(hand["mean"] + hand["t"] * hand["se"], abs=1e-6)
    assert cases.cv == pytest.approx(hand["se"] / hand["mean"], abs=1e-6)
    assert cases.deff == pytest.approx(hand["deff"], abs=1e-6)


def test_proportion_has_a_logit_interval_matching_the_hand_computation() -> None:
    result = wave_estimates(_design())
    applies = next(e for e in result.estimates if e.question == "aplica")
    hand = _by_hand({h: [float(y) for y, _ in rows] for h, rows in ANSWERS.items()})
    p, se, t = hand["mean"], hand["se"], hand["t"]
    logit = math.log(p / (1 - p))
    scale = se / (p * (1 - p))
    assert applies.kind == "proportion"
    assert applies.label == "proporción"
    assert applies.estimate == pytest.approx(p, abs=1e-6)
    assert applies.std_error == pytest.approx(se, abs=1e-6)
    assert applies.ci_lower == pytest.approx(1 / (1 + math.exp(-(logit - t * scale))), abs=1e-6)
    assert applies.ci_upper == pytest.approx(1 / (1 + math.exp(-(logit + t * scale))), abs=1e-6)
    assert applies.deff == pytest.approx(hand["deff"], abs=1e-6)


def test_only_questions_with_an_indicator_and_a_number_or_yes_no_are_estimated() -> None:
    result = wave_estimates(_design())
    assert [e.question for e in result.estimates] == ["aplica", "casos"]


def test_response_rates_count_replaced_members_and_withdrawals_as_drawn() -> None:
    result = wave_estimates(_design())
    a, b = result.strata
    assert (a.drawn, a.responded, a.non_response, a.response_rate) == (6, 5, 1, 5 / 6)
    assert (b.drawn, b.responded, b.withdrawn, b.response_rate) == (4, 3, 1, 3 / 4)
    assert (result.drawn, result.responded) == (10, 8)
    assert FEW_RESPONSES in a.flags


def test_weights_are_base_weights_adjusted_for_non_response_within_strata() -> None:
    weights = wave_weights(_design())
    by_stratum = dict(zip(weights.strata, weights.weights, strict=True))
    # Base N_h/m_h (40/6, 25/4) times m_h/r_h: N_h/r_h for each respondent.
    assert by_stratum["A"] == pytest.approx(40 / 5)
    assert by_stratum["B"] == pytest.approx(25 / 3)
    assert float(np.sum(weights.weights)) == pytest.approx(65)


def test_few_responses_and_a_high_cv_are_flagged() -> None:
    wave = wave_make("Pocas respuestas")
    question_make(wave, "raro", indicator=Indicator.objects.first())
    stratum = stratum_make(wave, "todo", 500)
    for number in range(12):
        _respond(stratum, {"raro": number == 0})  # 1 yes in 12: CV near 100%
    estimate = wave_estimates(wave).estimates[0]
    assert estimate.n == 12
    assert HIGH_CV in estimate.flags
    assert FEW_RESPONSES not in estimate.flags
    assert estimate.cv is not None
    assert estimate.cv > 0.3


def test_enough_responses_and_a_precise_estimate_are_not_flagged() -> None:
    wave = wave_make("Suficiente")
    question_make(wave, "aplica", indicator=Indicator.objects.first())
    stratum = stratum_make(wave, "todo", 500)
    for number in range(40):
        _respond(stratum, {"aplica": number % 5 != 0})
    estimate = wave_estimates(wave).estimates[0]
    assert estimate.estimate == pytest.approx(0.8)
    assert estimate.flags == ()
    assert not estimate.flagged


def test_few_responses_flag_an_estimate() -> None:
    wave = wave_make("Muy pocas")
    question_make(wave, "aplica", indicator=Indicator.objects.first())
    stratum = stratum_make(wave, "todo", 50)
    for number in range(9):
        _respond(stratum, {"aplica": number % 2 == 0})
    assert FEW_RESPONSES in wave_estimates(wave).estimates[0].flags


def test_a_stratum_without_respondents_is_named_and_left_out() -> None:
    wave = _design()
    empty = stratum_make(wave, "C", 30, label="Estrato C")
    member_make(empty, status=MemberStatus.NON_RESPONSE)
    result = wave_estimates(wave)
    assert any("«Estrato C»" in note and "30 personas" in note for note in result.notes)
    cases = next(e for e in result.estimates if e.question == "casos")
    hand = _by_hand({h: [c for _, c in rows] for h, rows in ANSWERS.items()})
    assert cases.estimate == pytest.approx(hand["mean"], abs=1e-6)


def test_raking_to_sex_margins_matches_them() -> None:
    wave = _design()
    ids = list(
        SurveyResponse.objects.filter(member__wave=wave)
        .order_by("member__draw_order")
        .values_list("member__person_id", flat=True)
    )
    for number, pk in enumerate(ids):
        Person.objects.filter(pk=pk).update(sex=Sex.FEMALE if number % 2 else Sex.MALE)
    weights = wave_weights(wave, margins={"sex": {"F": 45, "M": 20}})
    sexes = dict(Person.objects.filter(pk__in=ids).values_list("pk", "sex"))
    female = sum(
        w for pk, w in zip(weights.person_ids, weights.weights, strict=True) if sexes[pk] == "F"
    )
    assert weights.raked == ("sex",)
    assert female == pytest.approx(45, abs=1e-6)
    assert float(np.sum(weights.weights)) == pytest.approx(65, abs=1e-6)
    assert wave_estimates(wave, margins={"sex": {"F": 45, "M": 20}}).raked == ("sex",)


def test_margins_that_do_not_fit_the_respondents_are_left_out_with_a_note() -> None:
    wave = _design()  # every respondent's sex is "not recorded", which the margins lack
    result = wave_estimates(wave, margins={"sex": {"F": 30, "M": 35}})
    assert result.raked == ()
    assert any("sexo" in note for note in result.notes)
