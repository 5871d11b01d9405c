"""The registry's latest survey estimate of each survey indicator, for the reports.

An indicator measured by survey (`kind = survey`) is estimated by the most recent wave whose
questions measure it and whose responses were imported. Estimates from fewer than k answers
(`SUPPRESSION_THRESHOLD`) are withheld here, once, so that no report shows one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from followup.estimates import Estimate, wave_estimates
from followup.models import MemberStatus, SurveyWave, WaveStatus
from followup.results import estimate_withheld, threshold


@dataclass(frozen=True)
class SurveyIndicatorEstimate:
    indicator_id: int
    wave: str
    drawn_at: datetime | None
    kind: str  # "proportion" or "mean"
    n: int
    estimate: float | None  # None when withheld (fewer than k answers)
    ci_lower: float | None
    ci_upper: float | None
    flags: tuple[str, ...]
    withheld: bool


def _shown(
    indicator_id: int, wave: SurveyWave, estimate: Estimate, k: int
) -> SurveyIndicatorEstimate:
    withheld = estimate_withheld(estimate, k)
    return SurveyIndicatorEstimate(
        indicator_id=indicator_id,
        wave=wave.name,
        drawn_at=wave.drawn_at,
        kind=estimate.kind,
        n=estimate.n,
        estimate=None if withheld else estimate.estimate,
        ci_lower=None if withheld else estimate.ci_lower,
        ci_upper=None if withheld else estimate.ci_upper,
        flags=estimate.flags,
        withheld=withheld,
    )


def survey_indicator_estimates() -> dict[int, SurveyIndicatorEstimate]:
    """Indicator id -> its estimate from the latest wave that measures it and has answers."""
    k = threshold()
    found: dict[int, SurveyIndicatorEstimate] = {}
    waves = (
        SurveyWave.objects.exclude(status=WaveStatus.DRAFT)
        .filter(members__status=MemberStatus.RESPONDED, questions__indicator__isnull=False)
        .distinct()
        .order_by("-drawn_at", "-created_at", "-pk")
    )
    for wave in waves:
        indicator_of = dict(
            wave.questions.filter(indicator__isnull=False).values_list("code", "indicator_id")
        )
        if all(pk in found for pk in indicator_of.values()):
            continue
        for estimate in wave_estimates(wave).estimates:
            indicator_id = indicator_of.get(estimate.question)
            if indicator_id is not None and indicator_id not in found:
                found[indicator_id] = _shown(indicator_id, wave, estimate, k)
    return found
