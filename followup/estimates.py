"""Design-based estimates of a survey wave: response rates, weights, and for each question
that measures an indicator a mean or proportion with its 95% interval and design effect.

The variance, the design effects and the weight adjustments come from svy
(`followup.survey_library`), not from formulas written here:

- base weight of a member: N_h / m_h, with N_h the stratum's population and m_h every member
  drawn in it, replacements included. The sample is drawn in a random order and replacements
  are the next ones in that order, so the m_h drawn are a simple random sample of the stratum
  of size m_h; a replaced member stays in it as a non-respondent;
- non-response adjustment within strata (svy `weighting.adjust`, strata as the cells):
  respondents carry the weight of the non-respondents, N_h / r_h each;
- optionally, raking to population margins (sex, region) the caller supplies
  (`weighting.rake`); margins of a stratification dimension change nothing, the adjusted
  weights already add up to N_h in each stratum;
- variance by Taylor linearisation with strata (`estimation.mean` / `estimation.prop`),
  with the finite population correction 1 - n_h/N_h of the respondents who answered; 95%
  intervals with t(n - H) degrees of freedom, on the logit scale for a proportion;
- design effect: that variance over the variance of a simple random sample without
  replacement of the same size from a population of sum(w) (svy's `deff="wor"`); the
  weighting effect 1 + CV² of the weights is svy's `deff_w` (Kish).

An estimate is flagged when fewer than 10 people answered or its coefficient of variation is
above 30%.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from followup import survey_library
from followup.models import (
    MemberStatus,
    QuestionKind,
    SurveyWave,
    WaveMember,
    WaveQuestion,
    WaveStratum,
)
from followup.posts import training_posts

MIN_RESPONSES = 10
MAX_CV = 0.30
CONFIDENCE = 0.95
RAKING_DIMENSIONS = ("sex", "region")

FEW_RESPONSES = "menos de 10 respuestas"
HIGH_CV = "coeficiente de variación mayor que 30 %"

# Margins for raking: dimension -> category -> population count. Sex categories are
# Person.sex codes ("F", "M", "X", "U"), regions the Region's primary key as text.
Margins = Mapping[str, Mapping[str, float]]


@dataclass(frozen=True)
class StratumRate:
    key: str
    label: str
    population: int
    drawn: int  # every member drawn, replacements included
    responded: int
    non_response: int
    withdrawn: int
    pending: int  # drawn, no outcome recorded yet
    response_rate: float | None  # responded / drawn
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Estimate:
    question: str  # the question's code
    text: str
    indicator: str  # the indicator's code
    kind: str  # "proportion" (yes/no: share answering yes) or "mean"
    label: str  # "proporción" or "promedio"
    n: int  # respondents who answered the question
    estimate: float | None
    std_error: float | None
    ci_lower: float | None
    ci_upper: float | None
    cv: float | None
    deff: float | None
    flags: tuple[str, ...] = ()

    @property
    def flagged(self) -> bool:
        return bool(self.flags)


@dataclass(frozen=True)
class WaveEstimates:
    wave_id: int
    wave: str
    strata: list[StratumRate]
    drawn: int
    responded: int
    response_rate: float | None
    estimates: list[Estimate]
    raked: tuple[str, ...] = ()  # the dimensions the weights were raked to
    weighting_deff: float | None = None  # 1 + CV² of the final weights (Kish)
    notes: list[str] = field(default_factory=list)  # in Spanish, for the page


@dataclass
class Weights:
    """The respondents' final weights, with what the variance needs of each."""

    member_ids: list[int]
    person_ids: list[int]
    strata: list[str]
    weights: np.ndarray
    population: dict[str, int]  # N_h of the strata that have respondents
    raked: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=list)

    def of_member(self) -> dict[int, float]:
        return dict(zip(self.member_ids, (float(w) for w in self.weights), strict=True))


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def stratum_rates(wave: SurveyWave) -> list[StratumRate]:
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    for stratum_id, status in WaveMember.objects.filter(wave=wave).values_list(
        "stratum_id", "status"
    ):
        counts[stratum_id][status] += 1
    rates = []
    for stratum in WaveStratum.objects.filter(wave=wave).order_by("key"):
        count = counts[stratum.pk]
        drawn = sum(count.values())
        responded = count[MemberStatus.RESPONDED]
        flags = (FEW_RESPONSES,) if responded < MIN_RESPONSES else ()
        rates.append(
            StratumRate(
                key=stratum.key,
                label=stratum.label,
                population=stratum.population,
                drawn=drawn,
                responded=responded,
                non_response=count[MemberStatus.NON_RESPONSE],
                withdrawn=count[MemberStatus.WITHDRAWN],
                pending=count[MemberStatus.SELECTED],
                response_rate=_rate(responded, drawn),
                flags=flags,
            )
        )
    return rates


def wave_weights(wave: SurveyWave, *, margins: Margins | None = None) -> Weights:
    """Base weights, non-response adjustment within strata and optional raking."""
    strata = {s.pk: s for s in WaveStratum.objects.filter(wave=wave)}
    members = list(
        WaveMember.objects.filter(wave=wave)
        .order_by("draw_order")
        .values_list("pk", "person_id", "stratum_id", "status")
    )
    drawn = Counter(stratum_id for _, _, stratum_id, _ in members)
    answered = Counter(
        stratum_id for _, _, stratum_id, status in members if status == MemberStatus.RESPONDED
    )
    notes = []
    for stratum in sorted(strata.values(), key=lambda s: s.key):
        if stratum.population and not answered[stratum.pk]:
            notes.append(
                f"El estrato «{stratum.label}» no tiene respuestas: sus {stratum.population} "
                "personas no están representadas en las estimaciones."
            )
    # Strata without respondents cannot carry their non-respondents' weight (the adjustment
    # would divide by zero): they are left out, and the note above says so.
    kept = [m for m in members if answered[m[2]]]
    base = np.array([strata[m[2]].population / drawn[m[2]] for m in kept], dtype=float)
    keys = np.array([strata[m[2]].key for m in kept], dtype=object)
    status = np.array(["rr" if m[3] == MemberStatus.RESPONDED else "nr" for m in kept])
    adjusted = survey_library.nonresponse_adjust(base, keys, status) if kept else base
    respondent = status == "rr"
    respondents = [m for m, is_r in zip(kept, respondent, strict=True) if is_r]
    weights = Weights(
        member_ids=[m[0] for m in respondents],
        person_ids=[m[1] for m in respondents],
        strata=[strata[m[2]].key for m in respondents],
        weights=np.asarray(adjusted[respondent], dtype=float),
        population={strata[m[2]].key: strata[m[2]].population for m in respondents},
        notes=notes,
    )
    if margins:
        _rake(weights, margins)
    return weights


def _respondent_categories(person_ids: list[int], dimension: str) -> list[str]:
    from participants.models import Person

    if dimension == "sex":
        sexes = dict(Person.objects.filter(pk__in=person_ids).values_list("pk", "sex"))
        return [str(sexes.get(pk, "")) for pk in person_ids]
    posts = training_posts(person_ids)
    return [
        str(posts[pk].region_id) if pk in posts and posts[pk].region_id else "" for pk in person_ids
    ]


_DIMENSION_LABELS = {"sex": "sexo", "region": "región"}


def _rake(weights: Weights, margins: Margins) -> None:
    usable: dict[str, np.ndarray] = {}
    controls: dict[str, dict[str, float]] = {}
    for dimension, control in margins.items():
        if dimension not in RAKING_DIMENSIONS:
            raise ValueError(f"Unknown raking dimension {dimension!r}.")
        categories = _respondent_categories(weights.person_ids, dimension)
        seen = set(categories)
        wanted = {str(key) for key, count in control.items() if count}
        label = _DIMENSION_LABELS[dimension]
        # Raking needs every respondent's category to have a total and every total to have
        # respondents; otherwise the margin is left out and the page says why.
        if seen != wanted:
            weights.notes.append(
                f"No se ajustaron los pesos a los totales por {label}: las categorías de las "
                "respuestas no coinciden con las de la población."
            )
            continue
        usable[dimension] = np.array(categories, dtype=object)
        controls[dimension] = {str(k): float(v) for k, v in control.items() if v}
    if not usable or not weights.member_ids:
        return
    weights.weights = survey_library.rake(weights.weights, usable, controls)
    weights.raked = tuple(usable)


def _answer_value(kind: str, value: Any) -> float | None:
    """The answer as a number (yes -> 1, no -> 0), or None when it is missing."""
    if value is None or value == "":
        return None
    if kind == QuestionKind.YES_NO:
        return 1.0 if value is True or value == 1 else 0.0 if value is False or value == 0 else None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def question_estimate(
    question: WaveQuestion, weights: Weights, answers: Mapping[int, Mapping[str, Any]]
) -> Estimate:
    """One question's estimate over the respondents who answered it."""
    proportion = question.kind == QuestionKind.YES_NO
    values, kept_weights, kept_strata = [], [], []
    for member_id, weight, stratum in zip(
        weights.member_ids, weights.weights, weights.strata, strict=True
    ):
        value = _answer_value(question.kind, answers.get(member_id, {}).get(question.code))
        if value is not None:
            values.append(value)
            kept_weights.append(float(weight))
            kept_strata.append(stratum)
    n = len(values)
    empty = Estimate(
        question=question.code,
        text=question.text,
        indicator=question.indicator.code if question.indicator else "",
        kind="proportion" if proportion else "mean",
        label="proporción" if proportion else "promedio",
        n=n,
        estimate=None,
        std_error=None,
        ci_lower=None,
        ci_upper=None,
        cv=None,
        deff=None,
        flags=(FEW_RESPONSES,) if n < MIN_RESPONSES else (),
    )
    if not n:
        return empty
    result = survey_library.taylor(
        np.array(values),
        np.array(kept_weights),
        np.array(kept_strata, dtype=object),
        population={key: weights.population[key] for key in set(kept_strata)},
        proportion=proportion,
        alpha=1 - CONFIDENCE,
    )
    flags = list(empty.flags)
    if result.cv is not None and result.cv > MAX_CV:
        flags.append(HIGH_CV)
    return Estimate(
        question=empty.question,
        text=empty.text,
        indicator=empty.indicator,
        kind=empty.kind,
        label=empty.label,
        n=n,
        estimate=result.estimate,
        std_error=result.std_error,
        ci_lower=result.ci_lower,
        ci_upper=result.ci_upper,
        cv=result.cv,
        deff=result.deff,
        flags=tuple(flags),
    )


def _wave_answers(wave: SurveyWave) -> dict[int, dict[str, Any]]:
    from followup.models import SurveyResponse

    return dict(
        SurveyResponse.objects.filter(member__wave=wave).values_list("member_id", "answers")
    )


def wave_estimates(wave: SurveyWave, *, margins: Margins | None = None) -> WaveEstimates:
    """The wave's response rates and, for each question with an indicator, its estimate."""
    rates = stratum_rates(wave)
    weights = wave_weights(wave, margins=margins)
    answers = _wave_answers(wave)
    questions = (
        WaveQuestion.objects.filter(wave=wave, indicator__isnull=False)
        .exclude(kind=QuestionKind.TEXT)
        .select_related("indicator")
        .order_by("code")
    )
    estimates = [question_estimate(q, weights, answers) for q in questions]
    drawn = sum(r.drawn for r in rates)
    responded = sum(r.responded for r in rates)
    return WaveEstimates(
        wave_id=wave.pk,
        wave=wave.name,
        strata=rates,
        drawn=drawn,
        responded=responded,
        response_rate=_rate(responded, drawn),
        estimates=estimates,
        raked=weights.raked,
        weighting_deff=(
            survey_library.weighting_deff(weights.weights) if weights.member_ids else None
        ),
        notes=weights.notes,
    )
