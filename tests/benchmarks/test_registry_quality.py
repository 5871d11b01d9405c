"""The registry-quality benchmark's own pieces: a seeded generator, exact labels, scoring."""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest

from benchmarks.registry_quality.generator import PERSON, build_dataset, write_dataset
from benchmarks.registry_quality.layouts import GOOGLE_FORMS, MOODLE
from benchmarks.registry_quality.names import NAMESAKES, REALISTIC, distribution
from benchmarks.registry_quality.people import make_people
from benchmarks.registry_quality.review import answer_queue
from benchmarks.registry_quality.scoring import pairwise_scores, read_labels, score_export
from benchmarks.registry_quality.spelling import check_digit


def _content(seed: int, setting: str = REALISTIC) -> list[object]:
    dataset = build_dataset(persons=150, rosters=8, seed=seed, setting=setting)
    return [
        (roster.file_name, roster.headers, roster.title_rows, [row.cells for row in roster.rows])
        for roster in dataset.rosters
    ] + [dataset.labels()]


@pytest.mark.parametrize("setting", [REALISTIC, NAMESAKES])
def test_generator_is_deterministic_for_a_seed(setting: str) -> None:
    assert _content(5, setting) == _content(5, setting)
    assert _content(5, setting) != _content(6, setting)


def test_the_settings_draw_different_names() -> None:
    assert _content(5, REALISTIC) != _content(5, NAMESAKES)


def test_labels_give_the_row_numbers_the_import_reads(tmp_path: Path) -> None:
    from intake.roster_import.reading import read_table
    from intake.roster_import.staging import stage_rows

    dataset = build_dataset(persons=300, rosters=30, seed=5)
    assert {MOODLE.key, GOOGLE_FORMS.key} <= {roster.layout.key for roster in dataset.rosters}
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


def _names(setting: str) -> dict[str, object]:
    people = make_people(20_000, 3, setting)
    return distribution([(p.given, p.paternal, p.maternal, p.sex) for p in people])


def test_realistic_names_follow_peru_frequencies() -> None:
    names = _names(REALISTIC)
    assert 3.5 <= names["quispe_paternal_pct"] <= 4.5  # type: ignore[operator]
    assert 26.5 <= names["top20_paternal_pct"] <= 29.5  # type: ignore[operator]
    assert names["distinct_paternal"] > 2000  # type: ignore[operator]
    assert names["namesakes_pct"] < 3  # type: ignore[operator]
    women = dict(names["top_given"]["F"])  # type: ignore[index]
    assert 12 <= women["MARIA"] <= 16


def test_the_namesakes_setting_has_a_heavy_head() -> None:
    names = _names(NAMESAKES)
    assert names["quispe_paternal_pct"] > 18  # type: ignore[operator]
    assert names["top20_paternal_pct"] > 75  # type: ignore[operator]
    assert names["namesakes_pct"] > 20  # type: ignore[operator]


def test_dni_check_digit_is_the_one_on_the_card() -> None:
    assert check_digit("10117410") == "2"


def test_dnis_are_written_as_people_write_them() -> None:
    dataset = build_dataset(persons=3000, rosters=60, seed=7)
    cells = [
        str(dict(zip(roster.fields, row.cells, strict=True)).get("dni") or "")
        for roster in dataset.rosters
        for row in roster.rows
        if row.kind == PERSON
    ]
    forms = Counter(
        "check"
        if re.fullmatch(r"\d{8} ?- ?\d", cell)
        else "dots"
        if re.fullmatch(r"\d{2}\.\d{3}\.\d{3}", cell)
        else "word"
        if cell.startswith("DNI")
        else "foreign"
        if re.search(r"CE|C\.E\.|PAS", cell, re.IGNORECASE)
        else "other"
        for cell in cells
    )
    assert all(forms[form] > 0 for form in ("check", "dots", "word", "foreign"))
    assert {p.document_type for p in dataset.persons} == {"dni", "ce", "passport"}


def test_tool_exports_write_what_the_tools_write() -> None:
    dataset = build_dataset(persons=300, rosters=30, seed=5)
    moodle = next(r for r in dataset.rosters if r.layout is MOODLE)
    assert moodle.headers[:3] == ["Nombre", "Apellido(s)", "Número de ID"]
    grades = [dict(zip(moodle.fields, row.cells, strict=True)) for row in moodle.rows]
    assert all(re.fullmatch(r"-|\d+,\d\d", g["pre"]) for g in grades)
    assert len({g["downloaded"] for g in grades}) == 1
    forms = next(r for r in dataset.rosters if r.layout is GOOGLE_FORMS)
    answers = [dict(zip(forms.fields, row.cells, strict=True)) for row in forms.rows]
    assert all(re.fullmatch(r"|\d+ / \d+", a["post"]) for a in answers)
    times = [_answered_at(a["timestamp"]) for a in answers]
    assert times == sorted(times)  # in the order people answered


def _answered_at(stamp: str) -> datetime:
    """ "2021/03/12 4:35:12 p. m. GMT-5" (responses CSV) or "12/03/2021 16:35:12" (sheet)."""
    if stamp.endswith("GMT-5"):
        day, clock, half = stamp.removesuffix(" GMT-5").split(" ", 2)
        moment = datetime.strptime(f"{day} {clock}", "%Y/%m/%d %I:%M:%S")
        return moment.replace(hour=moment.hour % 12 + (12 if half == "p. m." else 0))
    return datetime.strptime(stamp, "%d/%m/%Y %H:%M:%S")


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


def test_a_refused_file_counts_its_rows_as_rejected(tmp_path: Path) -> None:
    labels_file = tmp_path / "labels.csv"
    labels_file.write_text(
        "file,row,person_id,kind\na.csv,2,1,person\na.csv,3,2,person\n"
        "moodle.csv,2,1,person\nmoodle.csv,3,3,person\n",
        encoding="utf-8",
    )
    export = tmp_path / "export.csv"
    export.write_text(
        "\ufeffcodigo_participante,archivo,fila,resultado\r\n"
        "PE-AAA,a.csv,2,new\r\nPE-BBB,a.csv,3,new\r\n",
        encoding="utf-8",
    )
    scored = score_export(export, read_labels(labels_file))
    assert (scored.exported, scored.rejected_person_rows) == (2, 2)
    assert (scored.scores.true_persons, scored.scores.predicted_persons) == (2, 2)
    assert scored.scores.persons_difference_pct == 0.0


def test_the_benchmark_reviewer_reads_the_sheet_s_own_headers() -> None:
    from benchmarks.registry_quality.review import SHEET_COLUMNS
    from benchmarks.registry_quality.review import column_for as benchmark_column_for
    from review.spreadsheet.files import HEADERS

    for header, column in SHEET_COLUMNS.items():
        assert benchmark_column_for(HEADERS[column]) == column, header
