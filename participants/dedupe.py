"""Re-evaluate the whole registry: which persons the engine would merge, which it would queue.

Run after a change of rules, thresholds or model (`manage.py dedupe`). Reviewers' decisions
are constraints: a pair declared different is never merged, and clustering never puts two
persons with different valid DNIs in one group. Each group found is merged into its oldest
member with the ordinary, reversible and audited `person_merge`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import pandas as pd
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser

from participants.linkage import dedupe, probability_from_bits
from participants.linkage_store import linkage_model_current
from participants.matching import linkage_config
from participants.merging import MergeError, person_merge
from participants.models import Decision, Person
from participants.registry_frames import persons_frame
from participants.review.services import candidate_record, review_constraints

AUTO_RULE = "dedupe: automatic link"


@dataclass
class DedupeReport:
    persons: int = 0
    candidate_pairs: int = 0
    auto_link_pairs: int = 0
    review_pairs: int = 0
    groups: list[list[int]] = field(default_factory=list)  # person ids, survivor first
    merged: int = 0
    queued: int = 0
    refused: list[str] = field(default_factory=list)

    @property
    def persons_to_merge(self) -> int:
        return sum(len(group) - 1 for group in self.groups)


def registry_dedupe(*, dry_run: bool, actor: AbstractBaseUser | None = None) -> DedupeReport:
    records = persons_frame()
    report = DedupeReport(persons=len(records))
    if len(records) < 2:
        return report
    config = linkage_config()
    # The model's prior comes from messy rosters; a registry is mostly deduplicated already,
    # so its own expected share of duplicates sets the prior here.
    model = dataclasses.replace(
        linkage_model_current(config),
        matches_per_record=settings.LINKAGE_REGISTRY_DUPLICATE_RATE,
    )
    must_link, cannot_link = review_constraints()
    result = dedupe(
        records, config=config, model=model, must_link=must_link, cannot_link=cannot_link
    )
    pairs = result.pairs
    report.candidate_pairs = result.n_candidates
    report.auto_link_pairs = int((pairs["decision"] == "link").sum())
    review = pairs[pairs["decision"] == "review"]
    report.review_pairs = len(review)
    report.groups = _groups(result.clusters)
    if dry_run:
        return report

    best_score = _best_scores(pairs)
    persons = Person.objects.in_bulk([pid for group in report.groups for pid in group])
    for group in report.groups:
        survivor = persons[group[0]]
        for merged_id in group[1:]:
            try:
                person_merge(
                    survivor=survivor,
                    merged=persons[merged_id],
                    actor=actor,
                    rule=AUTO_RULE,
                    score=best_score.get((group[0], merged_id)),
                )
                report.merged += 1
            except MergeError as error:
                report.refused.append(str(error))
            survivor.refresh_from_db()
    for left, right, score, reasons in review[
        ["left_id", "right_id", "score", "reasons"]
    ].itertuples(index=False):
        candidate = candidate_record(
            person_a=Person(pk=int(left)),
            person_b=Person(pk=int(right)),
            score=_probability(float(score)),
            reasons=[part.strip() for part in str(reasons).split(";") if part.strip()],
        )
        if candidate is not None and candidate.decision == Decision.PENDING:
            report.queued += 1
    return report


def _groups(clusters: pd.Series) -> list[list[int]]:
    """Clusters of more than one person, each sorted so the oldest (lowest id) comes first."""
    sizes = clusters.value_counts()
    multi = clusters[clusters.isin(sizes[sizes > 1].index)]
    return sorted(
        (sorted(int(pid) for pid in ids) for ids in multi.groupby(multi).groups.values()),
        key=lambda group: group[0],
    )


def _best_scores(pairs: pd.DataFrame) -> dict[tuple[int, int], float]:
    return {
        (int(left), int(right)): _probability(float(score))
        for left, right, score in pairs[["left_id", "right_id", "score"]].itertuples(index=False)
    }


def _probability(bits: float) -> float:
    # Stored rounded: the review queue shows and sorts by it.
    return round(probability_from_bits(bits), 6)
