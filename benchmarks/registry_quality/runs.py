"""The path users take, on a fresh database: migrate, import the manifest, export, score;
then answer the review queue from the labels and export and score again, round by round."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .commands import CommandFailed, CommandRun, Registry
from .database import fresh_database
from .review import Answers, answer_queue, pair_ids
from .scoring import Label, ScoredExport, score_export

_PENDING_SHELL = (
    "from participants.models import DuplicateCandidate as D; "
    "print(D.objects.filter(decision='pending').count())"
)


@dataclass
class RegistryRun:
    label: str
    database_url: str = ""
    timings: dict[str, float] = field(default_factory=dict)
    import_output: str = ""
    auto: ScoredExport | None = None
    queue_pairs: int | None = None  # open pairs right after the import
    queue_source: str = ""
    rounds: list[dict[str, Any]] = field(default_factory=list)
    answered: ScoredExport | None = None  # after the last review round
    deduped: ScoredExport | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def queue_answered(self) -> bool:
        return bool(self.rounds)

    def summary(self) -> dict[str, Any]:
        return {
            "database_url": self.database_url,
            "timings_s": self.timings,
            "import_output": self.import_output,
            "automatic_links": self.auto.summary() if self.auto else None,
            "queue_pairs": self.queue_pairs,
            "queue_source": self.queue_source,
            "review_rounds": self.rounds,
            "after_review": self.answered.summary() if self.answered else None,
            "after_dedupe": self.deduped.summary() if self.deduped else None,
            "notes": self.notes,
        }


class _Session:
    def __init__(self, run: RegistryRun, registry: Registry, work: Path, labels: Any) -> None:
        self.run, self.registry, self.work, self.labels = run, registry, work, labels
        self.exports = 0

    def step(self, name: str, *args: str, check: bool = True) -> CommandRun:
        result = self.registry.run(*args, check=check)
        self.run.timings[name] = self.run.timings.get(name, 0.0) + result.seconds
        return result

    def export(self) -> ScoredExport:
        path = self.work / f"{self.run.label}_participations_{self.exports}.csv"
        self.exports += 1
        script = f"from benchmarks.registry_quality.row_persons import write; write({str(path)!r})"
        self.step("row_persons", "shell", "-c", script)
        return score_export(path, self.labels)


def import_and_score(
    *,
    label: str,
    manifest: Path,
    labels: dict[tuple[str, int], Label],
    work: Path,
    database_url: str | None,
    suffix: str = "",
    verbose: bool = False,
) -> tuple[RegistryRun, _Session]:
    """A fresh database, migrated, the manifest imported (valid rows of files with rejected
    rows too: a "Total" line must not block a roster), and the export scored."""
    run = RegistryRun(label)
    run.database_url = fresh_database(url=database_url, folder=work, suffix=suffix)
    session = _Session(run, Registry(run.database_url, verbose=verbose), work, labels)
    session.step("migrate", "migrate", "--no-input", "-v", "0")
    result = session.step(
        "import_rosters", "import_rosters", "--manifest", str(manifest), "--commit-valid"
    )
    run.import_output = result.stdout.strip()
    run.auto = session.export()
    return run, session


def _queue_from_shell(session: _Session) -> int | None:
    result = session.registry.run("shell", "-c", _PENDING_SHELL, check=False)
    try:
        return int(result.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return None


def answer_rounds(session: _Session, *, rounds: int) -> None:
    """Export the queue, answer it from the labels, import the answers; again while pairs
    remain (a merge can surface new pairs), at most `rounds` times."""
    run = session.run
    current = run.auto
    assert current is not None  # noqa: S101 - the import was scored first
    previous: set[str] = set()
    for number in range(1, rounds + 1):
        pairs = session.work / f"{run.label}_pairs_{number}.csv"
        exported = session.step(
            "review_export", "review_export", "--output", str(pairs), check=False
        )
        if exported.missing:
            run.notes.append("review_export does not exist yet: the queue was not answered")
            break
        if not exported.ok:
            run.notes.append(f"review_export failed: {exported.last_lines(3)}")
            break
        ids = pair_ids(pairs)
        open_pairs = len(ids)
        if number == 1:
            run.queue_pairs, run.queue_source = open_pairs, "review_export"
        if open_pairs == 0:
            break
        if ids == previous:
            run.notes.append(
                f"{open_pairs} pairs stay open: answered in round {number - 1}, but "
                "review_import did not apply them (see its messages); no further rounds"
            )
            break
        previous = ids
        answered_file = session.work / f"{run.label}_pairs_{number}_answered.csv"
        answers: Answers = answer_queue(pairs, answered_file, current.majority_truth())
        imported = session.step("review_import", "review_import", str(answered_file), check=False)
        if imported.missing or not imported.ok:
            why = "does not exist yet" if imported.missing else f"failed: {imported.last_lines(3)}"
            run.notes.append(f"review_import {why}: the queue was not answered")
            break
        current = session.export()
        run.rounds.append(
            {
                "round": number,
                "open_pairs": open_pairs,
                "answered_same": answers.same,
                "answered_different": answers.different,
                "unanswered": answers.unanswered,
                "review_import_output": imported.stdout.strip().splitlines()[:1],
                "review_import_issues": [
                    line.strip() for line in imported.stdout.splitlines() if line.startswith("  !")
                ],
                **current.scores.as_dict(),
            }
        )
        run.answered = current
    if run.queue_pairs is None:
        run.queue_pairs = _queue_from_shell(session)
        run.queue_source = "database (review_export unavailable)"


def dedupe_and_score(session: _Session) -> None:
    try:
        result = session.step("dedupe", "dedupe", "--show", "0")
    except CommandFailed as error:
        session.run.notes.append(f"dedupe failed: {error.run.last_lines(3)}")
        return
    session.run.notes.append("dedupe: " + " ".join(result.stdout.strip().splitlines()[:2]))
    session.run.deduped = session.export()
