from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from audit.models import AuditAction, AuditEvent
from registry.reports.maintenance import report_cells_refresh

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
    text = run("--format", "csv")
    # Excel reads the accents as UTF-8; the first line says what the file withholds.
    assert text.startswith('\ufeff# Protección de datos,"Reserva de cifras pequeñas')
    assert "\r\n# resumen,Resumen\r\n" in text
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    names = [row[0] for row in rows if row and row[0].startswith("# ")]
    assert "# por-sexo" in names
    assert "# pre-post-por-curso" in names
    start = rows.index(["# por-sexo", "Por sexo"])
    assert rows[start + 2] == ["Mujer", "5", "3", "1.67"]


def test_csv_escapes_formulas(registry) -> None:  # type: ignore[no-untyped-def]
    registry.course_b.title = '=HYPERLINK("http://x")'
    registry.course_b.save()
    registry.k1.enrollments.filter(person=registry.p6).update(
        institution=None, institution_text="@SUM(1)"
    )
    # A bulk update sends no signal: apply its marks, as `report_cells_rebuild --pending`
    # (or the next write's commit) would.
    report_cells_refresh()
    rows = list(csv.reader(io.StringIO(run("--format", "csv").removeprefix("\ufeff"))))
    cells = [cell for row in rows for cell in row]
    assert '\'=HYPERLINK("http://x")' in cells
    assert "'@[dato](1)" in cells  # masked as free text, then escaped
    assert not [cell for cell in cells if cell.startswith(("=", "+", "@"))]


def test_bad_filter_fails_with_a_clear_message(registry) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match="region: no se encontró 'ZZ'") as error:
        run("--region", "ZZ")
    # The valid values are listed, by name and code.
    assert "Valores válidos: " in str(error.value)
    assert "Cusco (08)" in str(error.value)
    assert "Región de prueba A (T1)" in str(error.value)
    with pytest.raises(CommandError, match=r"institution: no se encontró 'XYZ'\. .*TIA"):
        run("--institution", "XYZ")
    with pytest.raises(
        CommandError, match=r"course: no se encontró 'Curso Z'\. .*Curso A; Curso B"
    ):
        run("--course", "Curso Z")
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


@pytest.mark.parametrize("spelling", ["Cuzco", "cuzco", "CUSCO", "Qosqo", "08", " cusco "])
def test_region_by_alias_case_or_accents(registry, spelling: str) -> None:  # type: ignore[no-untyped-def]
    report = json.loads(run("--region", spelling))
    assert report["filters"] == {"region": {"code": "08", "name": "Cusco"}}


@pytest.mark.parametrize(
    ("option", "spelling"),
    [
        ("--region", "region de prueba a"),
        ("--region", "t1"),
        ("--institution", "tia"),
        ("--institution", "INSTITUCION A"),
        ("--course", "curso a"),
        ("--component", "Persecución"),
        ("--component", "persecucion"),
    ],
)
def test_vocabulary_filters_ignore_case_and_accents(registry, option: str, spelling: str) -> None:  # type: ignore[no-untyped-def]
    assert json.loads(run(option, spelling))["participations"] < 10


def test_json_names_filters_and_disaggregations(registry) -> None:  # type: ignore[no-untyped-def]
    report = json.loads(
        run(
            "--region",
            "T1",
            "--institution",
            "TIA",
            "--course",
            "Curso A",
            "--component",
            "prosecution",
            "--date-from",
            "2023-01-01",
        )
    )
    assert report["filters"] == {
        "date_from": "2023-01-01",
        "region": {"code": "T1", "name": "Región de prueba A"},
        "institution": {"acronym": "TIA", "name": "Institución A"},
        "course": {"id": registry.course_a.pk, "title": "Curso A"},
        "component": {"code": "prosecution", "name": "Persecución"},
    }
    everything = json.loads(run())
    regions = {row["label"]: row["region_code"] for row in everything["by_region"]}
    assert regions["Región de prueba A"] == "T1"
    institutions = {row["label"]: row["institution_name"] for row in everything["by_institution"]}
    assert institutions["TIA"] == "Institución A"
    by_region = everything["indicators"]["outputs_by_region"]
    assert {row["region_code"] for row in by_region} >= {"T1", "T2"}
    roles = {row["label"]: row["role_code"] for row in everything["by_role"]}
    assert roles["Fiscal de prueba"] == "t-fiscal"


def test_json_masks_identities_typed_into_free_text(registry) -> None:  # type: ignore[no-untyped-def]
    registry.k1.enrollments.filter(person=registry.p6).update(
        institution=None, institution_text="DNI 41999999 Quispe Ccori Juana"
    )
    report_cells_refresh()  # a bulk update sends no signal: apply its marks
    text = run()
    spellings = [row["spelling"] for row in json.loads(text)["completeness"]["unmapped_spellings"]]
    assert "DNI [dato]" in spellings
    assert "41999999" not in text
    assert "Ccori" not in text


def test_the_command_is_audited(registry, tmp_path) -> None:  # type: ignore[no-untyped-def]
    run("--format", "csv", "--region", "T1")
    run("--indicator-report", str(tmp_path / "informe.xlsx"))
    events = list(AuditEvent.objects.filter(action=AuditAction.EXPORT).order_by("pk"))
    assert [(e.actor_username, e.details["export"], e.details["format"]) for e in events] == [
        ("manage.py", "coverage_report", "csv"),
        ("manage.py", "indicator_report", "xlsx"),
    ]
    assert events[0].details["filters"] == {"region": str(registry.ra.pk)}
    assert events[0].details["rows"] > 0


def test_sex_and_year_options(registry) -> None:  # type: ignore[no-untyped-def]
    report = json.loads(run("--sex", "Mujer", "--year", "2024"))
    assert (report["participations"], report["unique_persons"]) == (3, 2)
    assert report["filters"]["sex"] == {"code": "F", "name": "Mujer"}
    assert report["filters"]["date_from"] == "2024-01-01"
    assert report["filters"]["date_to"] == "2024-12-31"
    with pytest.raises(CommandError, match="sex: 'W' no es un sexo"):
        run("--sex", "W")
    with pytest.raises(CommandError, match="no se puede combinar"):
        run("--year", "2024", "--date-from", "2024-02-01")
