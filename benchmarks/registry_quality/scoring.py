"""Scoring an export against the labels: pairwise precision / recall / F1, person counts.

A pair of rows is predicted "same" when the rows share a person code and truly "same" when
they share a true person id. Pairs are counted from group sizes (n rows in a group make
n(n-1)/2 pairs), never enumerated: predicted pairs from the code groups, true pairs from the
true groups, and correct pairs from the groups of rows that share both.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

Label = tuple[int | None, str]  # (true person id or None, kind)


def pairs_in(sizes: Iterable[int]) -> int:
    return sum(size * (size - 1) // 2 for size in sizes)


@dataclass(frozen=True)
class PairScores:
    rows: int
    predicted_pairs: int
    true_pairs: int
    correct_pairs: int
    predicted_persons: int
    true_persons: int
    merged_groups: int  # predicted persons whose rows belong to more than one true person
    split_persons: int  # true persons whose rows carry more than one person code

    @property
    def precision(self) -> float:
        return self.correct_pairs / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.correct_pairs / self.true_pairs if self.true_pairs else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    @property
    def persons_difference_pct(self) -> float:
        """(predicted - true) unique persons, in % of the true count."""
        if not self.true_persons:
            return 0.0
        return 100.0 * (self.predicted_persons - self.true_persons) / self.true_persons

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "persons_difference_pct": self.persons_difference_pct,
        }


def pairwise_scores(predicted: Sequence[Hashable], truth: Sequence[Hashable]) -> PairScores:
    """Scores of a clustering (`predicted[i]` is row i's cluster) against the true clusters."""
    if len(predicted) != len(truth):
        raise ValueError("predicted and truth must label the same rows")
    by_code = Counter(predicted)
    by_truth = Counter(truth)
    both = Counter(zip(predicted, truth, strict=True))
    truths_per_code = Counter(code for code, _ in both)
    codes_per_truth = Counter(true for _, true in both)
    return PairScores(
        rows=len(predicted),
        predicted_pairs=pairs_in(by_code.values()),
        true_pairs=pairs_in(by_truth.values()),
        correct_pairs=pairs_in(both.values()),
        predicted_persons=len(by_code),
        true_persons=len(by_truth),
        merged_groups=sum(1 for n in truths_per_code.values() if n > 1),
        split_persons=sum(1 for n in codes_per_truth.values() if n > 1),
    )


def read_labels(path: Path) -> dict[tuple[str, int], Label]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            (row["file"], int(row["row"])): (
                int(row["person_id"]) if row["person_id"] else None,
                row["kind"],
            )
            for row in csv.DictReader(handle)
        }


@dataclass
class ScoredExport:
    """An export joined to the labels: the scored rows and what could not be scored."""

    codes: list[str]  # person code of each scored row
    truth: list[Hashable]  # true person id of each scored row
    outcomes: Counter[str]  # import outcome of the exported rows
    exported: int
    unlabelled: int  # exported rows the labels do not know (should be 0)
    rejected_person_rows: int  # labelled person rows not in the export
    rejected_junk_rows: int  # labelled junk rows not in the export (rejected, as they should)
    junk_imported: int  # junk rows that became persons
    scores: PairScores

    def majority_truth(self) -> dict[str, Hashable]:
        """Person code -> the true person most of its rows belong to."""
        votes: dict[str, Counter[Hashable]] = {}
        for code, true in zip(self.codes, self.truth, strict=True):
            votes.setdefault(code, Counter())[true] += 1
        return {code: counter.most_common(1)[0][0] for code, counter in votes.items()}

    def summary(self) -> dict[str, Any]:
        return {
            "exported_rows": self.exported,
            "unlabelled_rows": self.unlabelled,
            "rejected_person_rows": self.rejected_person_rows,
            "rejected_junk_rows": self.rejected_junk_rows,
            "junk_rows_imported": self.junk_imported,
            "outcomes": dict(self.outcomes),
            **self.scores.as_dict(),
        }


def score_export(export: Path, labels: dict[tuple[str, int], Label]) -> ScoredExport:
    """Join the rows each person became (`row_persons`) to the labels on (archivo, fila)."""
    codes: list[str] = []
    truth: list[Hashable] = []
    outcomes: Counter[str] = Counter()
    seen: set[tuple[str, int]] = set()
    exported = unlabelled = junk_imported = 0
    with export.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            exported += 1
            key = (row["archivo"], int(row["fila"]))
            outcomes[row.get("resultado", "")] += 1
            label = labels.get(key)
            if label is None:
                unlabelled += 1
                continue
            seen.add(key)
            person_id = label[0]
            codes.append(row["codigo_participante"])
            if person_id is None:
                junk_imported += 1
                truth.append(("junk", *key))  # a person of its own, in no true pair
            else:
                truth.append(person_id)
    missing = [label for key, label in labels.items() if key not in seen]
    return ScoredExport(
        codes=codes,
        truth=truth,
        outcomes=outcomes,
        exported=exported,
        unlabelled=unlabelled,
        rejected_person_rows=sum(1 for person, _ in missing if person is not None),
        rejected_junk_rows=sum(1 for person, _ in missing if person is None),
        junk_imported=junk_imported,
        scores=pairwise_scores(codes, truth),
    )
