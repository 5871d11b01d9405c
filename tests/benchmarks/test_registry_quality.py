"""The registry-quality benchmark's own pieces: a seeded generator, exact labels, scoring."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.registry_quality.generator import PERSON, build_dataset, write_dataset
from benchmarks.registry_quality.review import answer_queue
from benchmarks.registry_quality.scoring import pairwise_scores, read_labels, score_export


def _content(seed: int) -> list[object]:
    dataset = build_dataset(persons=150, rosters=8, seed=seed)
    return [
        (roster.file_name, roster.headers, roster.title_rows, [row.cells for row in roster.rows])
        for roster in dataset.rosters
    ] + [dataset.labels()]


def test_generator_is_deterministic_for_a_seed() -> None:
    assert _content(5) == _content(5)
    assert _content(5) != _content(6)


def test_labels_give_the_row_numbers_the_import_reads(tmp_path: Path) -> None:
    from courses.roster_import.reading import read_table
    from courses.roster_import.staging import stage_rows

    dataset = build_dataset(persons=150, rosters=8, seed=5)
    files = write_dataset(dataset, tmp_path)
    labels = read_labels(files.labels)
    staged = {
        (roster.file_name, row.row_number)
        for roster in dataset.rosters
        for row in stage_rows(
            read_table((tmp_path / roster.file_name).read_bytes(), file_name=roster.file_name)
        )
    }
    assert staged == set(labels)
    assert {kind for _, kind in labels.values()} <= {PERSON, "junk"}


def test_pairwise_scores_on_a_hand_made_example() -> None:
    # Rows 0-2 are person 1, rows 3-4 person 2; the registry gave codes a, a, b, b, c.
    scores = pairwise_scores(["a", "a", "b", "b", "c"], [1, 1, 1, 2, 2])

    assert (scores.predicted_pairs, scores.true_pairs, scores.correct_pairs) == (2, 4, 1)
    assert scores.precision == 0.5
    assert scores.recall == 0.25
    assert scores.f1 == pytest.approx(1 / 3)
    assert (scores.predicted_persons, scores.true_persons) == (3, 2)
    assert scores.persons_difference_pct == 50.0
    assert (scores.merged_groups, scores.split_persons) == (1, 2)


def test_perfect_and_empty_predictions() -> None:
    assert pairwise_scores(["x", "x", "y"], [7, 7, 8]).f1 == 1.0
    singletons = pairwise_scores(["a", "b", "c"], [1, 1, 2])
    assert (singletons.precision, singletons.recall) == (1.0, 0.0)


def test_export_is_joined_on_file_and_row_and_the_queue_answered(tmp_path: Path) -> None:
    labels_file = tmp_path / "labels.csv"
    labels_file.write_text(
        "file,row,person_id,kind\n"
        "a.csv,2,1,person\na.csv,3,2,person\nb.xlsx,6,1,person\n"
        "b.xlsx,7,3,person\nb.xlsx,9,,junk\n",
        encoding="utf-8",
    )
    export = tmp_path / "export.csv"
    export.write_text(
        "\ufeffcodigo_participante,archivo,fila,resultado\r\n"
        "PE-AAA,a.csv,2,new\r\nPE-BBB,a.csv,3,new\r\nPE-CCC,b.xlsx,6,review\r\n",
        encoding="utf-8",
    )
    scored = score_export(export, read_labels(labels_file))
    assert scored.exported == 3
    assert (scored.rejected_person_rows, scored.rejected_junk_rows) == (1, 1)
    assert scored.scores.true_pairs == 1
    assert scored.scores.recall == 0.0

    pairs = tmp_path / "pairs.csv"
    pairs.write_text(
        "\ufeffpair_id,person_a_code,person_b_code,score,decision\r\n"
        "1,PE-AAA,PE-CCC,0.9,\r\n2,PE-AAA,PE-BBB,0.7,\r\n3,PE-AAA,PE-ZZZ,0.6,\r\n",
        encoding="utf-8",
    )
    answered = tmp_path / "answered.csv"
    answers = answer_queue(pairs, answered, scored.majority_truth())
    assert (answers.same, answers.different, answers.unanswered) == (1, 1, 1)
    lines = answered.read_text(encoding="utf-8-sig").splitlines()
    assert lines[1].endswith(",same")
    assert lines[2].endswith(",different")
    assert lines[3].endswith(",")
