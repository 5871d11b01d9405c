from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

REQUIRED = [
    "participations",
    "unique_persons",
    "unique_persons_if_reviews_confirmed",
    "by_sex",
    "by_institution",
    "by_role",
    "by_region",
    "by_course",
    "repeat_participation",
    "pre_post",
    "indicators",
    "completeness",
]


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("coverage_report", *args, stdout=out)
    return out.getvalue()


def test_json_has_the_figures_as_numbers(registry) -> None:  # type: ignore[no-untyped-def]
    report = json.loads(run())
    assert set(REQUIRED) <= set(report)
    assert (
        report["participations"],
        report["unique_persons"],
        report["unique_persons_if_reviews_confirmed"],
    ) == (10, 6, 5)
    for key in ("participations", "unique_persons", "unique_persons_if_reviews_confirmed"):
        assert type(report[key]) is int
    assert {r["label"]: r["unique_persons"] for r in report["by_sex"]} == {
        "Mujer": 3,
        "Hombre": 2,
        "No registrado": 1,
    }
    overall = report["pre_post"]["overall"]
    assert (overall["with_pre"], overall["with_post"], overall["with_both"]) == (5, 6, 4)
    assert overall["paired_coverage_pct"] == 40.0
    assert (
        overall["mean_pre_pct"],
        overall["mean_post_pct"],
        overall["knowledge_increase_pct"],
    ) == (70.0, 83.8, 19.6)
    by_course = {r["label"]: r for r in report["pre_post"]["by_course"]}
    assert by_course["Curso B"]["with_both"] == 1
    assert type(by_course["Curso B"]["with_both"]) is int
    assert [r["persons"] for r in report["repeat_participation"]] == [3, 3, 0, 0]
    assert report["completeness"]["persons"] == 6


def test_filters_by_code_and_name(registry) -> None:  # type: ignore[no-untyped-def]
    report = json.loads(run("--region", "T1", "--course", "Curso A", "--date-from", "2023-01-01"))
    assert (report["participations"], report["unique_persons"]) == (5, 4)
    assert json.loads(run("--component", "protection"))["participations"] == 4


def test_csv_holds_every_table(registry) -> None:  # type: ignore[no-untyped-def]
    rows = list(csv.reader(io.StringIO(run("--format", "csv"))))
    names = [row[0] for row in rows if row and row[0].startswith("# ")]
    assert "# by_sex" in names
    assert "# pre_post_by_course" in names
    start = rows.index(["# by_sex", "Por sexo"])
    assert rows[start + 2] == ["Mujer", "5", "3", "1.67"]


def test_bad_filter_fails_with_a_clear_message(registry) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match="region: no se encontró 'ZZ'"):
        run("--region", "ZZ")
    with pytest.raises(CommandError, match="no es una fecha"):
        run("--date-from", "2024-13-01")


def test_json_holds_the_indicator_report(registry) -> None:  # type: ignore[no-untyped-def]
    indicators = json.loads(run())["indicators"]
    assert set(indicators) == {
        "method",
        "outputs",
        "outputs_total",
        "outputs_by_sex",
        "outputs_by_institution",
        "outputs_by_region",
        "knowledge",
        "survey",
    }
    t1 = next(row for row in indicators["outputs"] if row["code"] == "T-1")
    assert (t1["reported_participations"], t1["participations"], t1["unique_persons"]) == (
        12,
        6,
        5,
    )
    tk = next(row for row in indicators["knowledge"] if row["code"] == "T-K")
    assert (tk["registry_value"], tk["target"], tk["measurement_1"]) == (14.3, 25, 24.8)


def test_indicator_report_written_as_a_workbook(registry, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "informe.xlsx"
    assert run("--indicator-report", str(path), "--region", "T1") == (
        f"Informe de indicadores escrito en {path}.\n"
    )
    workbook = load_workbook(path)
    assert workbook.sheetnames[0] == "Método"
    assert ["Región", "Región de prueba A"] in [
        [cell.value for cell in row[:2]] for row in workbook["Método"].iter_rows()
    ]
