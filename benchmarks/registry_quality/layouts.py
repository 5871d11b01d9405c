"""The rosters' layouts, and writing a roster's cells to a file.

Four partner layouts, spreadsheets a coordinator keeps:
- ``xlsx_titles``: XLSX, title rows and a blank row above the header, separate surname
  columns; DNIs and phones typed as numbers lose their leading zero.
- ``csv_utf8_bom``: UTF-8 with BOM, ",", one "Apellidos" column and a "Nombres" column.
- ``csv_cp1252``: Windows-1252, ";", decimal commas; a copy saved from Excel loses DNI zeros.
- ``full_name``: UTF-8 CSV with one "APELLIDOS Y NOMBRES" column ("QUISPE MAMANI, Juan
  Carlos", some partners without the comma).

Two layouts of the tools partners run virtual courses with, as those tools write them
(the registry is being taught to read them; until it does, the benchmark shows what it
loses there):
- ``moodle``: Moodle's grade export as plain text ("Calificaciones", Spanish language
  pack), UTF-8 without BOM, "," and "\n" (PHP's fputcsv). The user fields Moodle exports by
  default (`grade_export_userprofilefields`: firstname, lastname, idnumber, institution,
  department, email) under their Spanish names, "Apellido(s)" holding both surnames and
  "Número de ID" the DNI when the site's administrator filled it in; one column per grade
  item, "<module>:<item> (Real)", with two decimals and a decimal comma, "-" for no grade;
  the course total ("Natural" aggregation: the sum); and "Última descarga de este curso",
  the Unix time of the export. People typed their own names when they created their
  accounts; rows come sorted by surname.
- ``google_forms``: a Google Forms responses CSV (UTF-8, ","): "Marca temporal", the
  address of the Google account that answered, the questions as asked ("Nombres y
  apellidos" in one cell, given names first, as each person typed them), and the scores of
  the entry and exit quizzes as Forms writes them ("14 / 20"), merged by the coordinator
  into one sheet. Rows come in the order people answered, repeated answers included.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook


@dataclass(frozen=True)
class Layout:
    key: str
    extension: str  # "xlsx" | "csv"
    encoding: str
    delimiter: str
    columns: tuple[tuple[str, str], ...]  # (field, header as written)
    tool: str = ""  # "moodle" | "forms" for a tool's own export, "" for a partner's sheet
    line_end: str = "\r\n"

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(field for field, _ in self.columns)


XLSX_TITLES = Layout(
    "xlsx_titles",
    "xlsx",
    "",
    "",
    (
        ("n", "N°"),
        ("paternal", "Apellido paterno"),
        ("maternal", "Apellido materno"),
        ("given", "Nombres"),
        ("dni", "DNI"),
        ("sex", "Sexo"),
        ("institution", "Institución"),
        ("role", "Cargo"),
        ("region", "Región"),
        ("email", "Correo electrónico"),
        ("phone", "Celular"),
        ("pre", "Pre-test"),
        ("post", "Post-test"),
    ),
)
CSV_UTF8_BOM = Layout(
    "csv_utf8_bom",
    "csv",
    "utf-8-sig",
    ",",
    (
        ("surnames", "Apellidos"),
        ("given", "Nombres"),
        ("dni", "DNI"),
        ("sex", "Sexo"),
        ("email", "Correo"),
        ("phone", "Teléfono"),
        ("institution", "Entidad"),
        ("role", "Cargo"),
        ("region", "Región"),
        ("pre", "Nota de entrada"),
        ("post", "Nota de salida"),
    ),
)
CSV_CP1252 = Layout(
    "csv_cp1252",
    "csv",
    "cp1252",
    ";",
    (
        ("n", "Nro"),
        ("paternal", "Ap. paterno"),
        ("maternal", "Ap. materno"),
        ("given", "Nombres"),
        ("dni", "N° DNI"),
        ("sex", "Género"),
        ("institution", "Institución de procedencia"),
        ("role", "Puesto"),
        ("region", "Departamento"),
        ("email", "Email"),
        ("phone", "Teléfono celular"),
        ("pre", "Evaluación de entrada"),
        ("post", "Evaluación de salida"),
    ),
)
FULL_NAME = Layout(
    "full_name",
    "csv",
    "utf-8",
    ",",
    (
        ("n", "N°"),
        ("full_name", "APELLIDOS Y NOMBRES"),
        ("dni", "DNI"),
        ("sex", "SEXO"),
        ("institution", "INSTITUCIÓN"),
        ("role", "CARGO"),
        ("region", "REGIÓN"),
        ("email", "CORREO"),
        ("phone", "CELULAR"),
        ("pre", "PRE TEST"),
        ("post", "POST TEST"),
    ),
)
MOODLE = Layout(
    "moodle",
    "csv",
    "utf-8",
    ",",
    (
        ("given", "Nombre"),
        ("surnames", "Apellido(s)"),
        ("dni", "Número de ID"),
        ("institution", "Institución"),
        ("department", "Departamento"),
        ("email", "Dirección Email"),
        ("pre", "Cuestionario:Evaluación de entrada (Real)"),
        ("post", "Cuestionario:Evaluación de salida (Real)"),
        ("total", "Total del curso (Real)"),
        ("downloaded", "Última descarga de este curso"),
    ),
    tool="moodle",
    line_end="\n",
)
GOOGLE_FORMS = Layout(
    "google_forms",
    "csv",
    "utf-8",
    ",",
    (
        ("timestamp", "Marca temporal"),
        ("email", "Dirección de correo electrónico"),
        ("given_first", "Nombres y apellidos"),
        ("dni", "DNI"),
        ("sex", "Sexo"),
        ("institution", "Institución donde labora"),
        ("role", "Cargo que desempeña"),
        ("region", "Región"),
        ("phone", "Número de celular"),
        ("pre", "Evaluación de entrada - Puntuación"),
        ("post", "Evaluación de salida - Puntuación"),
    ),
    tool="forms",
)
LAYOUTS: tuple[tuple[Layout, float], ...] = (
    (XLSX_TITLES, 0.23),
    (CSV_UTF8_BOM, 0.19),
    (CSV_CP1252, 0.18),
    (FULL_NAME, 0.15),
    (MOODLE, 0.13),
    (GOOGLE_FORMS, 0.12),
)
# Fields a roster may leave out as a whole (the rest are always there).
OPTIONAL_FIELDS = ("dni", "sex", "email", "phone")


def write_roster(
    path: Path,
    layout: Layout,
    *,
    headers: list[str],
    title_rows: list[list[Any]],
    rows: list[list[Any]],
) -> None:
    """Write the title rows (XLSX only), the header and the rows; [] is a blank row."""
    if layout.extension == "xlsx":
        workbook = Workbook()
        sheet = workbook.active
        assert sheet is not None  # noqa: S101 - a new workbook has one sheet
        sheet.title = "Participantes"
        for title in title_rows:
            sheet.append(title)
        if title_rows:
            sheet.append([])
        sheet.append(headers)
        for row in rows:
            sheet.append(row)
        workbook.save(path)
        return
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=layout.delimiter, lineterminator=layout.line_end)
    writer.writerow(headers)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(layout.encoding, errors="replace"))


def header_row_number(layout: Layout, title_rows: int) -> int:
    """The spreadsheet row of the header (title rows and a blank row above it in XLSX)."""
    if layout.extension == "xlsx" and title_rows:
        return title_rows + 2
    return 1
