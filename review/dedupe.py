"""Re-evaluate the whole registry over every identity record: merges, reviews and splits.

Run after large imports or a change of rules, thresholds or model (`manage.py dedupe`). Each
person is all of its identity records (and those of persons merged into it), so two persons
are compared on everything either ever showed, not on the first row seen. The model is refitted
on the registry's records first (unless it is a dry run). Reviewers' decisions are constraints:
a pair declared different is never merged, and clustering never puts two persons with
different valid DNIs in one group. Each group found is merged into its oldest member with the
ordinary, reversible and audited `person_merge`; pairs between the thresholds are queued;
persons whose records carry two DNIs that cannot both be theirs are queued to be split.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import cast

import numpy as np
import pandas as pd
from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction

from participants.linkage import prepare, probability_from_bits
from participants.linkage.blocking import dedupe_candidates
from participants.linkage.clustering import dni_typo_apart
from participants.linkage.grouped.dedupe import dedupe_groups
from participants.linkage_store import linkage_model_in_use, linkage_model_refit
from participants.matching import linkage_config
from participants.models import Decision, Person, PersonStatus
from participants.record_frames.descriptions import records_frame
from participants.selectors import persons_known_different
from review.merging import MergeError, person_merge
from review.services import candidate_record, review_constraints
from review.splits import conflicting_dnis, split_suspects_queue

AUTO_RULE = "dedupe: automatic link"


@dataclass(frozen=True)
class PairFound:
    """Two persons the engine compared: the match probability and its reasons (Spanish)."""

    left_id: int
    right_id: int
    probability: float
    reasons: str


@dataclass(frozen=True)
class MergeFound:
    """A person to merge into its group's survivor, and the pair of the group that links it."""

    survivor_id: int
    merged_id: int
    pair: PairFound | None


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
    records: int = 0
    split_suspects: int = 0
    model_label: str = ""
    # What the counts above are made of, so a dry run can show each case to a reviewer.
    merges: list[MergeFound] = field(default_factory=list)
    reviews: list[PairFound] = field(default_factory=list)  # most probable first
    splits: dict[int, list[str]] = field(default_factory=dict)  # person id -> its DNIs

    @property
    def persons_to_merge(self) -> int:
        return sum(len(group) - 1 for group in self.groups)


def registry_dedupe(*, dry_run: bool, actor: User | None = None) -> DedupeReport:
    config = linkage_config()
    records, owners = records_frame()
    # Prepared once: the model refit and the comparison of persons read the same derived
    # columns of the same records (for a million persons, a minute's work each time).
    records = prepare(records, config)
    # A real run blocks once: the refit compares the record pairs, the persons' comparison
    # takes the person pairs they make (a million persons' records: a hundred million pairs).
    candidates = None if dry_run else dedupe_candidates(records, config)
    if not dry_run:
        linkage_model_refit(
            actor=actor, config=config, records=(records, owners), candidates=candidates
        )
    in_use = linkage_model_in_use(config)
    report = DedupeReport(
        persons=len(set(owners.tolist())), records=len(records), model_label=in_use.label
    )
    if report.persons < 2:
        return report
    # The model's prior comes from messy rosters; a registry is mostly deduplicated already,
    # so its own expected share of duplicates sets the prior here.
    model = dataclasses.replace(
        in_use.model, matches_per_record=settings.LINKAGE_REGISTRY_DUPLICATE_RATE
    )
    must_link, cannot_link = review_constraints()
    pairs, clusters = dedupe_groups(
        records,
        owners,
        _displayed_dnis(),
        config=config,
        model=model,
        must_link=must_link,
        cannot_link=cannot_link,
        candidates=candidates,
    )
    del candidates
    report.candidate_pairs = len(pairs)
    report.auto_link_pairs = int((pairs["decision"] == "link").sum())
    review = pairs[pairs["decision"] == "review"]
    report.review_pairs = len(review)
    report.groups = _groups(clusters)
    report.merges = _merges(pairs, report.groups)
    report.reviews = sorted(
        (
            _pair(*row)
            for row in review[["left_id", "right_id", "score", "reasons"]].itertuples(index=False)
        ),
        key=lambda pair: -pair.probability,
    )
    suspects = _split_suspects(records, owners)
    report.split_suspects = len(suspects)
    report.splits = suspects
    if dry_run:
        return report

    best_score = _best_scores(pairs)
    persons = Person.objects.in_bulk([pid for group in report.groups for pid in group])
    for group in report.groups:
        survivor = persons[group[0]]
        for merged_id in group[1:]:
            try:
                merged = persons[merged_id]
                person_merge(
                    survivor=survivor,
                    merged=merged,
                    actor=actor,
                    rule=AUTO_RULE,
                    score=best_score.get((group[0], merged_id)),
                    # The engine linked them over DNIs one typo apart only where the names
                    # agree in full (LinkageConfig.dni_typo_links); further apart, it never.
                    # A reviewer's "different" still stands.
                    force=_typo_apart(survivor.document_number, merged.document_number)
                    and not persons_known_different(survivor, merged),
                )
                report.merged += 1
            except MergeError as error:
                report.refused.append(str(error))
            survivor.refresh_from_db()
    # The pairs are queued in one transaction: one commit, and the report data version
    # moves once for all of them instead of once or twice per pair.
    with transaction.atomic():
        for left, right, score, reasons in review[
            ["left_id", "right_id", "score", "reasons"]
        ].itertuples(index=False):
            candidate = candidate_record(
                person_a=Person(pk=int(left)),
                person_b=Person(pk=int(right)),
                score=_probability(float(score)),
                reasons=[part.strip() for part in str(reasons).split(";") if part.strip()],
            )
            if candidate is None or candidate.decision != Decision.PENDING:
                continue
            report.queued += 1
            if candidate.model_id is None and in_use.version is not None:
                candidate.model = in_use.version
                candidate.save(update_fields=["model"])
    split_suspects_queue(list(suspects))
    return report


def _typo_apart(a: str, b: str) -> bool:
    return bool(a and b) and a != b and dni_typo_apart(a, b)


def _displayed_dnis() -> dict[int, str]:
    return dict(
        Person.objects.filter(status=PersonStatus.ACTIVE, document_type="dni")
        .exclude(document_number="")
        .values_list("pk", "document_number")
    )


def _split_suspects(records: pd.DataFrame, owners: np.ndarray) -> dict[int, list[str]]:
    """Persons whose records show two valid DNIs that are not one typo apart, with the DNIs."""
    dnis = pd.DataFrame({"person": owners, "dni": records["dni"].to_numpy(object)})
    dnis = dnis[dnis["dni"].str.len() == 8].drop_duplicates()
    # Only persons with two or more DNIs are grouped (a handful in a million).
    counts = dnis["person"].value_counts()
    dnis = dnis[dnis["person"].isin(counts.index[counts > 1])]
    several = dnis.groupby("person")["dni"].agg(list)
    # The index holds person ids (pandas-stubs types any label as Hashable).
    return {
        int(cast(int, pk)): sorted(values)
        for pk, values in several.items()
        if conflicting_dnis(values)
    }


def _pair(left: object, right: object, score: object, reasons: object) -> PairFound:
    return PairFound(
        left_id=int(left),  # type: ignore[call-overload]
        right_id=int(right),  # type: ignore[call-overload]
        probability=_probability(float(score)),  # type: ignore[arg-type]
        reasons=str(reasons),
    )


def _merges(pairs: pd.DataFrame, groups: list[list[int]]) -> list[MergeFound]:
    """Each merged person with the pair that brings it into its group: the one with the
    survivor if the engine scored it, else its most probable pair with another member."""
    group_of = {pid: n for n, group in enumerate(groups) for pid in group}
    inside = pairs[pairs["left_id"].isin(group_of) & pairs["right_id"].isin(group_of)]
    best: dict[tuple[int, int], PairFound] = {}  # (merged, other member) -> pair
    for row in inside[["left_id", "right_id", "score", "reasons"]].itertuples(index=False):
        pair = _pair(*row)
        if group_of[pair.left_id] == group_of[pair.right_id]:
            best[(pair.left_id, pair.right_id)] = best[(pair.right_id, pair.left_id)] = pair
    found = []
    for group in groups:
        for merged_id in group[1:]:
            linking = best.get((merged_id, group[0])) or max(
                (best[(merged_id, other)] for other in group if (merged_id, other) in best),
                key=lambda candidate: candidate.probability,
                default=None,
            )
            found.append(MergeFound(survivor_id=group[0], merged_id=merged_id, pair=linking))
    return found


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
