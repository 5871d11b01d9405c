from __future__ import annotations

import csv
import datetime as dt
import io
import re
from datetime import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from audit.models import AuditAction, AuditEvent
from registry.reports.filters import SLUG_MAX, ReportFilters, filters_slug
from registry.reports.maintenance import report_cells_refresh
from registry.reports.tables import TABLES
from spreadsheets import cell_escape as escape_formula


@pytest.fixture
def signed_in(client, admin_user):  # type: ignore[no-untyped-def]
    client.force_login(admin_user)
    return client


def _csv(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def _table_csv(response) -> tuple[list[list[str]], list[list[str]]]:  # type: ignore[no-untyped-def]
    """A table CSV's "#" lines (what, which filters, when), then its header and rows."""
    rows = _csv(response)
    about = [row for row in rows if row and row[0].startswith("# ")]
    assert rows[: len(about)] == about  # the "#" lines come first, all together
    return about, rows[len(about) :]


def _personal_values(registry) -> list[str]:  # type: ignore[no-untyped-def]
    values = []
    for person in (registry.p1, registry.p2, registry.p4, registry.p5, registry.p6):
        values += [person.document_number, person.paternal_surname, person.email]
    return [v for v in values if v]


@pytest.mark.parametrize("name", sorted(TABLES))
def test_every_table_downloads_as_csv_and_xlsx(signed_in, registry, name: str) -> None:  # type: ignore[no-untyped-def]
    about, rows = _table_csv(signed_in.get(reverse("reports:export", args=[name, "csv"])))
    assert about[0] == ["# Contenido", TABLES[name].title]
    assert rows[0] == [column.header for column in TABLES[name].columns]
    response = signed_in.get(reverse("reports:export", args=[name, "xlsx"]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Informe", TABLES[name].sheet_name]
    sheet = workbook[TABLES[name].sheet_name]
    assert [c.value for c in next(sheet.iter_rows(max_row=1))] == rows[0]
    assert sheet.max_row == len(rows)


def test_csv_figures_match_the_report(signed_in, registry) -> None:  # type: ignore[no-untyped-def]
    _, rows = _table_csv(signed_in.get(reverse("reports:export", args=["by_sex", "csv"])))
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
    assert workbook["Participaciones"].max_row == 11


def test_formula_cells_are_escaped(signed_in, registry) -> None:  # type: ignore[no-untyped-def]
    registry.k1.enrollments.filter(person=registry.p6).update(
        institution=None, institution_text='=HYPERLINK("x")'
    )
    report_cells_refresh()  # a bulk update sends no signal: apply its marks
    # Masked (an unknown word may be a name) and then escaped.
    escaped = '\'=[dato]("x")'
    rows = _csv(signed_in.get(reverse("reports:export", args=["unmapped_spellings", "csv"])))
    assert ["Institución", escaped, "1"] in rows
    rows = _csv(signed_in.get(reverse("reports:participations", args=["csv"])))
    assert any(row[7] == escaped for row in rows)
    sheet = load_workbook(
        io.BytesIO(
            signed_in.get(reverse("reports:export", args=["unmapped_spellings", "xlsx"])).content
        )
    )["Grafías sin mapear"]
    assert escaped in [c.value for c in sheet["B"]]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+5", "'+5"),
        ("-x", "'-x"),
        ("@a", "'@a"),
        ("\tx", "'\tx"),
        ("  =1", "'  =1"),
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


def test_download_names_and_sheets_are_spanish(signed_in, registry) -> None:  # type: ignore[no-untyped-def]
    response = signed_in.get(reverse("reports:export", args=["summary", "xlsx"]))
    assert 'filename="informe-resumen-' in response["Content-Disposition"]
    assert load_workbook(io.BytesIO(response.content)).sheetnames == ["Informe", "Resumen"]
    response = signed_in.get(reverse("reports:export", args=["by_year", "csv"]))
    assert 'filename="informe-por-anio-' in response["Content-Disposition"]


def test_table_workbook_is_ready_to_read(signed_in, registry) -> None:  # type: ignore[no-untyped-def]
    response = signed_in.get(
        reverse("reports:export", args=["by_sex", "xlsx"]), {"region": registry.ra.pk}
    )
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook["Por sexo"]
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.b
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCD"}
    # "Mujer"/"Hombre" under a short header: narrow; a long header wraps instead of widening.
    assert 8 <= widths["A"] <= 12
    assert all(8 <= width <= 60 for width in widths.values())
    assert sheet["D1"].alignment.wrap_text
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert ["Mujer", 3, 2, 1.5] in rows
    assert all(type(row[1]) is int for row in rows)
    about = {row[0].value: row[1].value for row in workbook["Informe"].iter_rows() if row[0].value}
    assert about["Contenido"] == "Por sexo"
    assert isinstance(about["Datos calculados el"], datetime)
    assert about["Región"] == "Región de prueba A"  # the filter by its name, not its id
    assert about["Filas"] == len(rows)


def test_participations_workbook_has_dates_and_numbers(signed_in, registry) -> None:  # type: ignore[no-untyped-def]
    workbook = load_workbook(
        io.BytesIO(signed_in.get(reverse("reports:participations", args=["xlsx"])).content)
    )
    assert workbook.sheetnames == ["Informe", "Participaciones"]
    sheet = workbook["Participaciones"]
    assert sheet.freeze_panes == "A2"
    header = [cell.value for cell in sheet[1]]
    start = sheet.cell(row=2, column=header.index("Inicio") + 1)
    assert start.is_date
    assert start.value == datetime(2023, 3, 1)
    assert start.number_format == "dd/mm/yyyy"
    pre = [row[header.index("Pre-test %")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert 50.0 in pre
    assert all(value is None or isinstance(value, int | float) for value in pre)
    about = [[cell.value for cell in row[:2]] for row in workbook["Informe"].iter_rows()]
    assert ["Ninguno", "todo el registro"] in about


def test_indicator_workbook_sheets_are_frozen_and_fitted(signed_in, registry) -> None:  # type: ignore[no-untyped-def]
    workbook = load_workbook(io.BytesIO(signed_in.get(reverse("reports:indicator_report")).content))
    method = workbook["Método"]
    assert method["A2"].value == "Datos del registro al"
    assert isinstance(method["B2"].value, datetime)
    outputs = workbook["Producto"]
    assert outputs.freeze_panes == "B2"
    assert outputs.column_dimensions["A"].width < outputs.column_dimensions["B"].width <= 60


DOWNLOADS = [
    ("reports:export", ["by_region", "csv"], "by_region", "csv", 2),
    ("reports:export", ["by_institution", "xlsx"], "by_institution", "xlsx", 2),
    ("reports:participations", ["csv"], "participations", "csv", 6),
    ("reports:participations", ["xlsx"], "participations", "xlsx", 6),
    ("reports:indicator_report", [], "indicator_report", "xlsx", None),
]


@pytest.mark.parametrize(("url", "args", "export", "fmt", "rows"), DOWNLOADS)
def test_each_download_is_audited(  # type: ignore[no-untyped-def]
    signed_in, admin_user, registry, url, args, export, fmt, rows
) -> None:
    filters = {"course": str(registry.course_a.pk)}
    response = signed_in.get(reverse(url, args=args), filters)
    assert response.status_code == 200
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.actor == admin_user
    assert event.ip_address == "127.0.0.1"
    assert event.details["export"] == export
    assert event.details["format"] == fmt
    assert event.details["filters"] == filters
    if rows is not None:
        assert event.details["rows"] == rows
    assert set(event.details) == {"export", "format", "filters", "rows"}


def test_a_refused_download_is_not_audited(signed_in, registry) -> None:  # type: ignore[no-untyped-def]
    signed_in.get(reverse("reports:export", args=["by_sex", "csv"]), {"date_from": "x"})
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


TYPED_IDENTITY = "DNI 41999999 Quispe Ccori Juana"


def test_an_identity_typed_into_an_institution_cell_is_masked(registry, role_user) -> None:  # type: ignore[no-untyped-def]
    registry.k1.enrollments.filter(person=registry.p6).update(
        institution=None, institution_text=TYPED_IDENTITY
    )
    report_cells_refresh()  # a bulk update sends no signal: apply its marks
    client = Client()
    client.force_login(role_user("analyst"))
    dashboard = client.get(reverse("reports:dashboard"))
    shown = [[cell["value"] for cell in row][:2] for row in dashboard.context["unmapped"]["rows"]]
    assert ["Institución", "DNI [dato]"] in shown
    texts = [dashboard.content.decode()]
    for url, args in (
        ("reports:export", ["unmapped_spellings", "csv"]),
        ("reports:export", ["unmapped_spellings", "xlsx"]),
        ("reports:participations", ["csv"]),
        ("reports:participations", ["xlsx"]),
    ):
        response = client.get(reverse(url, args=args))
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if args[-1] == "xlsx":
            workbook = load_workbook(io.BytesIO(body))
            texts += [str(c.value) for s in workbook.worksheets for r in s.iter_rows() for c in r]
            assert "DNI [dato]" in texts
        else:
            texts.append(body.decode("utf-8-sig"))
            assert "DNI [dato]" in texts[-1]
    for fragment in ("41999999", "Quispe Ccori", "Ccori", "Juana"):
        assert not any(fragment in text for text in texts)


def test_downloads_carry_their_filters_in_the_name_and_first_lines(signed_in, registry) -> None:  # type: ignore[no-untyped-def]
    registry.ra.name = "Cañete de prueba"
    registry.ra.save()
    today = timezone.localdate().isoformat()
    params = {"year": "2024", "sex": "F", "region": registry.ra.pk}
    response = signed_in.get(reverse("reports:export", args=["by_region", "csv"]), params)
    assert response["Content-Disposition"] == (
        f'attachment; filename="informe-por-region-2024-mujeres-caniete-de-prueba-{today}.csv"'
    )
    about, rows = _table_csv(response)
    assert about[1] == ["# Filtros aplicados", "Año: 2024; Región: Cañete de prueba; Sexo: Mujer"]
    assert about[2][0] == "# Datos calculados el"
    assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", about[2][1])
    assert rows[1:] == [
        ["Cañete de prueba", "1", "1", "1.0"]
    ]  # P1 in K2: women of 2024 trained there
    workbook = load_workbook(
        io.BytesIO(
            signed_in.get(reverse("reports:export", args=["by_region", "xlsx"]), params).content
        )
    )
    lines = [row[:2] for row in workbook["Informe"].iter_rows(values_only=True)]
    assert ("Año", "2024") in lines
    assert ("Sexo", "Mujer") in lines
    indicators = signed_in.get(reverse("reports:indicator_report"), params)
    assert (
        f'informe-indicadores-2024-mujeres-caniete-de-prueba-{today}.xlsx"'
        in (indicators["Content-Disposition"])
    )
    participations = signed_in.get(reverse("reports:participations", args=["csv"]), params)
    assert (
        f'informe-participaciones-2024-mujeres-caniete-de-prueba-{today}.csv"'
        in (participations["Content-Disposition"])
    )
    # The participations CSV keeps its header first, for the programs that read it.
    assert _csv(participations)[0][0] == "Código de participante"


def test_without_filters_the_name_is_the_table_and_day_and_says_so_inside(
    signed_in, registry
) -> None:  # type: ignore[no-untyped-def]
    response = signed_in.get(reverse("reports:export", args=["by_sex", "csv"]))
    today = timezone.localdate().isoformat()
    assert f'filename="informe-por-sexo-{today}.csv"' in response["Content-Disposition"]
    about, _ = _table_csv(response)
    assert about[1] == ["# Filtros aplicados", "Ninguno (todo el registro)"]


def test_filter_slug_is_ascii_and_bounded(registry) -> None:  # type: ignore[no-untyped-def]
    registry.course_a.title = (
        "Diplomado de especialización en investigación de la trata de niñas y niños"
    )
    registry.course_a.save()
    filters = ReportFilters(
        date_from=dt.date(2024, 3, 1),
        institution=registry.ia.pk,
        course=registry.course_a.pk,
        component="prosecution",
        provider="Escuela del Ministerio Público",
        sex="U",
    )
    slug = filters_slug(filters)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug)
    assert len(slug) <= SLUG_MAX
    assert slug.startswith("desde-2024-03-01-sexo-no-registrado-tia-diplomado-de")
    assert filters_slug(ReportFilters()) == ""
    assert filters_slug(ReportFilters(date_to=dt.date(2023, 12, 31))) == "hasta-2023-12-31"
