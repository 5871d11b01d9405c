from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from courses.exports import escape_formula
from registry.reports.tables import TABLES


@pytest.fixture
def signed_in(client, admin_user):  # type: ignore[no-untyped-def]
    client.force_login(admin_user)
    return client


def _csv(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def _personal_values(registry) -> list[str]:  # type: ignore[no-untyped-def]
    values = []
    for person in (registry.p1, registry.p2, registry.p4, registry.p5, registry.p6):
        values += [person.document_number, person.paternal_surname, person.email]
    return [v for v in values if v]


@pytest.mark.parametrize("name", sorted(TABLES))
def test_every_table_downloads_as_csv_and_xlsx(signed_in, registry, name: str) -> None:  # type: ignore[no-untyped-def]
    rows = _csv(signed_in.get(reverse("reports:export", args=[name, "csv"])))
    assert rows[0] == [column.header for column in TABLES[name].columns]
    response = signed_in.get(reverse("reports:export", args=[name, "xlsx"]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in next(sheet.iter_rows(max_row=1))] == rows[0]
    assert sheet.max_row == len(rows)


def test_csv_figures_match_the_report(signed_in, registry) -> None:  # type: ignore[no-untyped-def]
    rows = _csv(signed_in.get(reverse("reports:export", args=["by_sex", "csv"])))
    assert rows[1:] == [
        ["Mujer", "5", "3", "1.67"],
        ["Hombre", "4", "2", "2.0"],
        ["No registrado", "1", "1", "1.0"],
    ]


def test_participations_by_code_without_personal_data(signed_in, registry) -> None:  # type: ignore[no-untyped-def]
    rows = _csv(signed_in.get(reverse("reports:participations", args=["csv"])))
    assert rows[0][0] == "Código de participante"
    assert len(rows) == 11  # header + the 10 participations of active persons
    codes = {row[0] for row in rows[1:]}
    assert codes == {
        p.code
        for p in (registry.p1, registry.p2, registry.p3, registry.p4, registry.p5, registry.p6)
    }
    text = "\n".join(",".join(row) for row in rows)
    for value in _personal_values(registry):
        assert value not in text
    assert registry.p7.code not in text  # cancelled persons vanish from person-level exports
    workbook = load_workbook(
        io.BytesIO(signed_in.get(reverse("reports:participations", args=["xlsx"])).content)
    )
    assert workbook.active.max_row == 11


def test_formula_cells_are_escaped(signed_in, registry) -> None:  # type: ignore[no-untyped-def]
    registry.k1.enrollments.filter(person=registry.p6).update(
        institution=None, institution_text='=HYPERLINK("x")'
    )
    rows = _csv(signed_in.get(reverse("reports:export", args=["unmapped_spellings", "csv"])))
    assert ["Institución", '\'=HYPERLINK("x")', "1"] in rows
    rows = _csv(signed_in.get(reverse("reports:participations", args=["csv"])))
    assert any(row[7] == '\'=HYPERLINK("x")' for row in rows)
    sheet = load_workbook(
        io.BytesIO(
            signed_in.get(reverse("reports:export", args=["unmapped_spellings", "xlsx"])).content
        )
    ).active
    assert '\'=HYPERLINK("x")' in [c.value for c in sheet["B"]]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+5", "'+5"),
        ("-x", "'-x"),
        ("@a", "'@a"),
        ("\tx", "'\tx"),
        ("Lima", "Lima"),
        (-3, -3),
        (None, None),
    ],
)
def test_escape_formula(value, expected) -> None:  # type: ignore[no-untyped-def]
    assert escape_formula(value) == expected


def _sheet(workbook, title: str) -> list[list[object]]:  # type: ignore[no-untyped-def]
    return [[cell.value for cell in row] for row in workbook[title].iter_rows()]


def test_indicator_report_workbook(signed_in, registry) -> None:  # type: ignore[no-untyped-def]
    response = signed_in.get(reverse("reports:indicator_report"), {"course": registry.course_a.pk})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="informe-indicadores-' in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "Método",
        "Producto",
        "Producto por sexo",
        "Producto por institución",
        "Producto por región",
        "Conocimiento",
        "Encuesta",
    ]
    method = _sheet(workbook, "Método")
    assert method[0][0] == "Informe de indicadores del marco lógico"
    labels = [row[0] for row in method]
    assert ["Curso", "Curso A"] in [row[:2] for row in method]
    assert labels.index("Filtros aplicados") < labels.index("Método") < labels.index("Hojas")
    assert any("media del post-test / media del pre-test" in str(row[1]) for row in method)
    outputs = _sheet(workbook, "Producto")
    assert outputs[0] == [column.header for column in TABLES["indicators"].columns]
    t1 = dict(zip(outputs[0], next(row for row in outputs if row[0] == "T-1"), strict=True))
    assert t1["Texto original (inglés)"] == "# of participants (T-1)"
    assert (
        t1["Participaciones reportadas (jul. 2024)"],
        t1["Participaciones en el registro"],
        t1["Personas únicas en el registro"],
        t1["Participaciones por persona"],
    ) == (12, 6, 5, 1.2)
    by_sex = _sheet(workbook, "Producto por sexo")
    assert ["T-1", "Mujer", 3, 2, 1.5] in by_sex
    knowledge = _sheet(workbook, "Conocimiento")
    tk = dict(zip(knowledge[0], next(row for row in knowledge if row[0] == "T-K"), strict=True))
    assert (tk["Meta %"], tk["Registro: incremento de conocimientos %"]) == (25, 14.3)
    assert [row[0] for row in _sheet(workbook, "Encuesta")[1:]] == ["1.3.1.1", "3.2.1.3"]


def test_indicator_report_without_filters_says_so(signed_in, registry) -> None:  # type: ignore[no-untyped-def]
    workbook = load_workbook(io.BytesIO(signed_in.get(reverse("reports:indicator_report")).content))
    assert ["Ninguno", "todo el registro"] in [row[:2] for row in _sheet(workbook, "Método")]
