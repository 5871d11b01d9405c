"""`manage.py export_participations`: the dashboard's participations download, from a script."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditAction, AuditEvent
from participants.models import Person
from review.merging import person_merge
from tests.roster_import.files import ROWS, csv_bytes

pytestmark = pytest.mark.django_db

CODE = "Código de participante"


def _import(
    tmp_path: Path, rows: list[list[object]], *, name: str = "lista.csv", **kw: str
) -> None:
    path = tmp_path / name
    path.write_bytes(csv_bytes(rows))
    options = {"course": "Curso A", "cohort": "C1", **kw}
    args = [f"--{key}={value}" for key, value in options.items()]
    call_command("import_roster", str(path), *args, "--commit-valid", stdout=io.StringIO())


def _export(tmp_path: Path, *args: str) -> tuple[str, list[dict[str, str]]]:
    output = tmp_path / "participaciones.csv"
    call_command("export_participations", "--output", str(output), *args, stderr=io.StringIO())
    text = output.read_bytes().decode("utf-8")
    return text, list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def _web_rows(client, admin_user) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    client.force_login(admin_user)
    response = client.get(reverse("reports:participations", args=["csv"]))
    text = b"".join(response.streaming_content).decode("utf-8").removeprefix("\ufeff")
    return list(csv.DictReader(io.StringIO(text)))


def test_one_row_per_participation_by_code_with_no_personal_data(tmp_path: Path) -> None:
    listed_twice = [*ROWS, [4, "Quispe", "Mamani", "Juan", "40000001", "M", *[""] * 6]]
    rejected = [5, "", "", "", "40000004", "F", *[""] * 6]
    _import(tmp_path, [*listed_twice, rejected])
    text, rows = _export(tmp_path)
    assert text.startswith("\ufeff")
    # Three persons in one cohort: the repeat is the same participation, the rejected row none.
    quispe = Person.objects.get(document_number="40000001")
    assert len(rows) == 3
    (first,) = [row for row in rows if row[CODE] == quispe.code]
    assert (first["Curso"], first["Cohorte"], first["Sexo"]) == ("Curso A", "C1", "Hombre")
    assert (first["Institución"], first["Región"]) == ("PNP", "Cusco")
    assert (first["Pre-test %"], first["Post-test %"]) == ("60.0", "90.0")
    for personal in ("Quispe", "40000001", "987654321"):
        assert personal not in text


def test_the_command_and_the_dashboard_give_the_same_rows(  # type: ignore[no-untyped-def]
    tmp_path: Path, client, admin_user
) -> None:
    _import(tmp_path, ROWS)
    _, command_rows = _export(tmp_path)
    assert command_rows == _web_rows(client, admin_user)


def test_the_dashboards_filters_apply(tmp_path: Path) -> None:
    _import(tmp_path, ROWS[:1], name="a.csv")
    _import(tmp_path, ROWS[1:], name="b.csv", course="Curso B", cohort="C2")
    _, rows = _export(tmp_path, "--course", "Curso B")
    assert {row["Curso"] for row in rows} == {"Curso B"}
    assert len(rows) == 2
    with pytest.raises(CommandError):
        _export(tmp_path, "--date-from", "ayer")


def test_a_merged_persons_participation_is_listed_under_the_survivor(
    tmp_path: Path, admin_user
) -> None:  # type: ignore[no-untyped-def]
    _import(tmp_path, ROWS[:1], name="a.csv")
    _import(tmp_path, ROWS[1:2], name="b.csv", cohort="C2")
    first, second = (Person.objects.get(document_number=f"4000000{n}") for n in (1, 2))
    person_merge(survivor=first, merged=second, actor=admin_user, force=True)
    _, rows = _export(tmp_path)
    assert sorted((row[CODE], row["Cohorte"]) for row in rows) == [
        (first.code, "C1"),
        (first.code, "C2"),
    ]


def test_free_text_is_masked_and_formulas_escaped(tmp_path: Path) -> None:
    typed = "DNI 41999999 ana.flores@example.org 987654321"
    row = [1, "Flores", "Díaz", "Ana", "40000002", "F", f"=Fiscalía {typed}", "", "", "", 10, 16]
    _import(tmp_path, [row], course="+Curso", cohort="-C1")
    text, (exported,) = _export(tmp_path)
    for secret in ("41999999", "ana.flores@example.org", "987654321"):
        assert secret not in text
    assert exported["Institución (como se escribió)"] == "'=Fiscalía DNI [dato]"
    assert (exported["Curso"], exported["Cohorte"]) == ("'+Curso", "'-C1")


def test_stdout_starts_with_the_bom_and_the_header_and_the_export_is_audited(
    tmp_path: Path,
) -> None:
    _import(tmp_path, ROWS)
    out = io.StringIO()
    call_command("export_participations", "--region", "Cusco", stdout=out)
    lines = out.getvalue().split("\r\n")
    assert lines[0].startswith(f"\ufeff{CODE},")
    assert len([line for line in lines if line]) == 2
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.actor_username == "manage.py"
    assert event.details["export"] == "participations"
    assert (event.details["format"], event.details["rows"]) == ("csv", 1)
    assert event.details["filters"]["region"]


def test_xlsx_by_the_files_extension_and_other_extensions_refused(tmp_path: Path) -> None:
    _import(tmp_path, ROWS)
    output = tmp_path / "participaciones.xlsx"
    call_command("export_participations", "--output", str(output), stderr=io.StringIO())
    sheet = load_workbook(output, read_only=True)["Participaciones"]
    header, *rows = list(sheet.values)
    assert header[0] == CODE
    assert len(rows) == 3
    with pytest.raises(CommandError, match=r"\.csv o \.xlsx"):
        call_command("export_participations", "--output", str(tmp_path / "p.txt"))
