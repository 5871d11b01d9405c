"""A wave's results as its page shows them: response rates, estimates with their intervals,
and turnover, with no table cell that points at fewer than k persons.

Estimates from fewer than k answers are not shown (the flag for fewer than 10 stays on the
others); in the turnover tables, places with fewer than k respondents are pooled into one
"otras" row, and further small places join it until it holds k or more, so that no place's
count can be read off the total either.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.conf import settings

from followup.estimates import Estimate, WaveEstimates, wave_estimates
from followup.models import SurveyWave
from followup.turnover import TurnoverRow, TurnoverTable, WaveTurnover, wave_turnover
from formats.numbers import number_shown

OTHERS = "Otras (menos de {k} respuestas cada una)"


def threshold() -> int:
    return int(getattr(settings, "SUPPRESSION_THRESHOLD", 5))


@dataclass(frozen=True)
class EstimateShown:
    estimate: Estimate
    value: str
    interval: str
    hidden: bool


@dataclass(frozen=True)
class WaveResults:
    estimates: WaveEstimates
    shown: list[EstimateShown]
    turnover: list[TurnoverTable]
    threshold: int


def _figure(estimate: Estimate, value: float | None) -> str:
    if value is None:
        return "—"
    if estimate.kind == "proportion":
        return f"{number_shown(100 * value, decimals=1)} %"
    return number_shown(value, decimals=2)


def estimate_withheld(estimate: Estimate, k: int) -> bool:
    """Whether an estimate is withheld: none, or from fewer than k answers."""
    return estimate.n < k or estimate.estimate is None


def _shown(estimate: Estimate, k: int) -> EstimateShown:
    hidden = estimate_withheld(estimate, k)
    if hidden:
        return EstimateShown(estimate, "—", "—", True)
    interval = (
        f"{_figure(estimate, estimate.ci_lower)} a {_figure(estimate, estimate.ci_upper)}"
        if estimate.ci_lower is not None and estimate.ci_upper is not None
        else "—"
    )
    return EstimateShown(estimate, _figure(estimate, estimate.estimate), interval, False)


def _pooled(table: TurnoverTable, k: int) -> TurnoverTable:
    rows = sorted(table.rows, key=lambda row: (row.respondents, row.label))
    small = [row for row in rows if row.respondents < k]
    large = [row for row in rows if row.respondents >= k]
    # A pooled row under k could be read off the total: take in the next smallest places.
    while small and sum(row.respondents for row in small) < k and large:
        small.append(large.pop(0))
    if not small:
        return table
    others = TurnoverRow(
        label=OTHERS.format(k=k),
        respondents=sum(row.respondents for row in small),
        same=sum(row.same for row in small),
        moved=sum(row.moved for row in small),
        unknown=sum(row.unknown for row in small),
        moved_share=None,
    )
    if others.respondents < k:
        # Every place is small: only the total is published.
        return replace(table, rows=[])
    large.sort(key=lambda row: (-row.respondents, row.label))
    return replace(table, rows=[*large, others])


def wave_results(wave: SurveyWave) -> WaveResults:
    k = threshold()
    estimates = wave_estimates(wave)
    turnover: WaveTurnover = wave_turnover(wave)
    return WaveResults(
        estimates=estimates,
        shown=[_shown(estimate, k) for estimate in estimates.estimates],
        turnover=[_pooled(turnover.institution, k), _pooled(turnover.region, k)],
        threshold=k,
    )
