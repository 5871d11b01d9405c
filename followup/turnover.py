"""Staff turnover of a wave's respondents: where they are now (their latest reported post)
against where they were trained (the post of their latest enrollment), by institution and
by region.

A respondent counts as "same" or "moved" only when both posts are known; otherwise as
"unknown". The weighted share moved uses the estimates' final weights, so it estimates the
population's turnover, while the counts are of respondents.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from followup.estimates import Margins, wave_weights
from followup.models import SurveyWave
from followup.posts import reported_posts_latest, training_posts
from participants.models import Institution, Region

DIMENSIONS = {"institution": "institución", "region": "región"}
NOT_RECORDED = "sin registrar"


@dataclass(frozen=True)
class TurnoverRow:
    label: str  # the institution or region where they were trained ("Total" for all)
    respondents: int
    same: int
    moved: int
    unknown: int
    moved_share: float | None  # weighted share of the known who moved


@dataclass(frozen=True)
class TurnoverTable:
    dimension: str  # "institution" or "region"
    label: str  # "institución" or "región"
    total: TurnoverRow
    rows: list[TurnoverRow]  # by the place of training, largest first


@dataclass(frozen=True)
class WaveTurnover:
    wave_id: int
    wave: str
    institution: TurnoverTable
    region: TurnoverTable


class _Tally:
    def __init__(self) -> None:
        self.respondents = self.same = self.moved = self.unknown = 0
        self.weight_known = self.weight_moved = 0.0

    def add(self, outcome: str, weight: float) -> None:
        self.respondents += 1
        if outcome == "unknown":
            self.unknown += 1
            return
        self.weight_known += weight
        if outcome == "moved":
            self.moved += 1
            self.weight_moved += weight
        else:
            self.same += 1

    def row(self, label: str) -> TurnoverRow:
        share = self.weight_moved / self.weight_known if self.weight_known else None
        return TurnoverRow(label, self.respondents, self.same, self.moved, self.unknown, share)


def wave_turnover(wave: SurveyWave, *, margins: Margins | None = None) -> WaveTurnover:
    weights = wave_weights(wave, margins=margins)
    trained = training_posts(weights.person_ids)
    now = reported_posts_latest(weights.person_ids)
    names = {
        "institution": dict(Institution.objects.values_list("pk", "name")),
        "region": dict(Region.objects.values_list("pk", "name")),
    }
    tables = {}
    for dimension, label in DIMENSIONS.items():
        total = _Tally()
        by_place: dict[int | None, _Tally] = defaultdict(_Tally)
        for person_id, weight in zip(weights.person_ids, weights.weights, strict=True):
            before = (
                getattr(trained[person_id], f"{dimension}_id") if person_id in trained else None
            )
            post = now.get(person_id)
            after = getattr(post, f"{dimension}_id") if post is not None else None
            if before is None or after is None:
                outcome = "unknown"
            else:
                outcome = "same" if before == after else "moved"
            total.add(outcome, float(weight))
            by_place[before].add(outcome, float(weight))
        rows = [
            tally.row(names[dimension].get(place, NOT_RECORDED) if place else NOT_RECORDED)
            for place, tally in by_place.items()
        ]
        rows.sort(key=lambda row: (-row.respondents, row.label))
        tables[dimension] = TurnoverTable(dimension, label, total.row("Total"), rows)
    return WaveTurnover(wave.pk, wave.name, tables["institution"], tables["region"])
