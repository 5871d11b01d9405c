"""The linkage engine alone, in memory, over every roster row at once (for comparison).

The rows are read and staged by the import's own code (`read_table`, `stage_rows`), so the
engine sees the values the import sees, in the canonical schema of `participants.linkage`
(names folded with `participants.names.fold`); rejected rows are left out, as the import
leaves them out. `dedupe` then clusters them; the clusters are scored like an export.
Django is set up for the import's reading code and settings; no database is touched.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .scoring import Label, PairScores, pairwise_scores


@dataclass
class EngineRun:
    name: str
    scores: PairScores | None
    review_pairs: int
    seconds: float
    note: str = ""

    def summary(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "review_pairs": self.review_pairs,
            "seconds": self.seconds,
            "note": self.note,
            **(self.scores.as_dict() if self.scores else {}),
        }


@dataclass
class StagedRows:
    records: pd.DataFrame  # canonical schema, indexed 0..n-1
    truth: list[Hashable]
    rejected: int
    unlabelled: int  # staged rows the labels do not know (the labels' row numbers are off)


def setup_django(database_url: str) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings")
    os.environ.setdefault("DATABASE_URL", database_url)
    django.setup()


def staged_rows(folder: Path, files: list[str], labels: dict[tuple[str, int], Label]) -> StagedRows:
    from intake.roster_import.reading import read_table
    from intake.roster_import.staging import stage_rows
    from participants.names import fold

    records: list[dict[str, str]] = []
    truth: list[Hashable] = []
    rejected = unlabelled = 0
    for name in files:
        for row in stage_rows(read_table((folder / name).read_bytes(), file_name=name)):
            label = labels.get((name, row.row_number))
            if label is None:
                unlabelled += 1
            if row.rejected:
                rejected += 1
                continue
            records.append(
                {
                    "given_names": fold(row.given_names),
                    "paternal_surname": fold(row.paternal_surname),
                    "maternal_surname": fold(row.maternal_surname),
                    "dni": row.dni if row.document_type == "dni" else "",
                    "sex": row.sex if row.sex in ("F", "M", "X") else "",
                    "birth_date": row.birth_date.isoformat() if row.birth_date else "",
                    "email": row.email,
                    "phone": row.phone,
                    "institution": row.institution,
                    "role": row.role,
                    "region": row.region,
                }
            )
            person = label[0] if label else None
            truth.append(person if person is not None else ("unlabelled", name, row.row_number))
    frame = pd.DataFrame.from_records(records).fillna("")
    return StagedRows(frame, truth, rejected, unlabelled)


def _run(name: str, staged: StagedRows, model_of: Callable[[], Any] | None) -> EngineRun:
    from django.conf import settings

    from participants.linkage import LinkageConfig, bits_from_probability, dedupe

    config = LinkageConfig(
        upper_threshold=bits_from_probability(settings.LINKAGE_AUTO_LINK_THRESHOLD),
        lower_threshold=bits_from_probability(settings.LINKAGE_REVIEW_THRESHOLD),
    )
    model = model_of() if model_of else None
    started = time.perf_counter()
    result = dedupe(staged.records, config=config, model=model)
    seconds = time.perf_counter() - started
    clusters = result.clusters.reindex(staged.records.index)
    review = int((result.pairs["decision"] == "review").sum())
    scores = pairwise_scores(clusters.tolist(), staged.truth)
    return EngineRun(name, scores, review, seconds)


def engine_runs(
    *, folder: Path, files: list[str], labels: dict[tuple[str, int], Label], database_url: str
) -> tuple[StagedRows, list[EngineRun]]:
    setup_django(database_url)
    staged = staged_rows(folder, files, labels)
    runs = [_run("engine, model fitted on these rows", staged, None)]
    try:
        from participants.linkage_store import synthetic_model
    except ImportError as error:  # the store is being reworked: report, do not fail
        runs.append(EngineRun("engine, app's cold-start model", None, 0, 0.0, str(error)))
    else:
        started = time.perf_counter()
        run = _run("engine, app's cold-start model", staged, synthetic_model)
        run.note = f"model fitted in {time.perf_counter() - started - run.seconds:.1f} s"
        runs.append(run)
    return staged, runs
