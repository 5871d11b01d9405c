"""Reading and writing the review queue's spreadsheet: CSV (UTF-8 with BOM) or XLSX.

The format follows the file's extension. Every cell written goes through the project's one
spreadsheet writer (the `spreadsheets` package), so a name such as "=HYPERLINK(...)" reaches
the reviewer's spreadsheet as inert text. The workbook opens on the "Pares" sheet; before it
an "Informe" sheet says when the file was written and how to fill it in. The reader takes
back what the writer wrote and what a spreadsheet program saves from it: UTF-8 with or
without BOM (or Windows-1252, as Excel saves "CSV" in Spanish Windows), "," or ";" between
cells, and XLSX.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils import timezone
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from spreadsheets import (
    AboutLine,
    CsvWriter,
    sheet_about,
    sheet_table,
    workbook_new,
)

CSV, XLSX = "csv", "xlsx"
FORMATS = (CSV, XLSX)
SHEET_TITLE = "Pares"
# The sheet's columns, in order; the import needs only the pair and the decision.
COLUMNS = (
    "pair_id",
    "person_a_code",
    "person_b_code",
    "score",
    "reasons",
    "person_a_name",
    "person_b_name",
    "person_a_dni",
    "person_b_dni",
    "person_a_courses",
    "person_b_courses",
    "decision",
)
REQUIRED_COLUMNS = ("pair_id", "decision")
# What a damaged, foreign or mislabelled file raises while being read (ValueError includes
# UnicodeDecodeError; KeyError is openpyxl's answer to a zip without a workbook in it).
_READ_ERRORS = (OSError, ValueError, KeyError, csv.Error, InvalidFileException, zipfile.BadZipFile)


class SheetError(Exception):
    """A file that cannot be written or read as the review spreadsheet; the message says why."""


@dataclass(frozen=True)
class SheetRow:
    """A data row: its number as the spreadsheet shows it and its cells by header name."""

    number: int
    cells: dict[str, str]


@dataclass(frozen=True)
class Sheet:
    headers: tuple[str, ...]
    rows: list[SheetRow]

    def column_letter(self, header: str) -> str:
        return get_column_letter(self.headers.index(header) + 1)


def sheet_format(path: Path) -> str:
    """ "csv" or "xlsx" from the file's extension; any other extension is a SheetError."""
    extension = path.suffix.lower().lstrip(".")
    if extension not in FORMATS:
        raise SheetError(
            f"{path.name}: formato no admitido ({path.suffix or 'sin extensión'}); "
            "use un archivo .csv o .xlsx"
        )
    return extension


def sheet_write(*, path: Path, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Write the header and the rows in the format of `path`, every cell formula-escaped."""
    file_format = sheet_format(path)
    try:
        if file_format == CSV:
            with path.open("w", encoding="utf-8", newline="") as handle:
                writer = CsvWriter(handle, lineterminator="\r\n")
                writer.writerow(headers)
                writer.writerows(rows)
            return
        rows = list(rows)
        workbook = workbook_new()
        sheet_about(workbook, title="Cola de revisión: pares pendientes", lines=_about(len(rows)))
        sheet_table(workbook, title=SHEET_TITLE, header=headers, rows=rows)
        workbook.active = 1  # the reviewer works on the pairs; the import reads that sheet
        workbook.save(path)
    except OSError as error:
        raise SheetError(f"{path}: no se puede escribir ({error.strerror or error})") from error


def _about(count: int) -> list[AboutLine]:
    return [
        AboutLine("Escrito el", timezone.now()),
        AboutLine("Filtros aplicados", "ninguno: todos los pares pendientes de la cola"),
        AboutLine("Pares", count),
        AboutLine(
            "Cómo completarlo",
            f"En la hoja «{SHEET_TITLE}», escriba en la columna «decision» misma, distinta u "
            "omitir; deje vacías las filas que no decida. Luego cárguelo con review_import.",
        ),
    ]


def sheet_read(path: Path) -> Sheet:
    """The first row as headers (lower case), the rest as rows; wholly empty rows left out."""
    file_format = sheet_format(path)
    if not path.is_file():
        raise SheetError(f"{path.name}: el archivo no existe")
    try:
        grid = _csv_grid(path) if file_format == CSV else _xlsx_grid(path)
    except _READ_ERRORS as error:
        raise SheetError(
            f"{path.name}: no se puede leer el archivo como {file_format.upper()}"
        ) from error
    if not grid:
        raise SheetError(f"{path.name}: el archivo está vacío")
    headers = tuple(cell.lstrip("\ufeff").strip().lower() for cell in grid[0])
    rows = [
        SheetRow(number=index, cells=dict(zip(headers, cells, strict=False)))
        for index, cells in enumerate(grid[1:], start=2)
        if any(cells)
    ]
    return Sheet(headers=headers, rows=rows)


def _csv_grid(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    return [
        [cell.strip() for cell in row]
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    ]


def _xlsx_grid(path: Path) -> list[list[str]]:
    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        # Files written before the "Informe" sheet existed hold only the pairs.
        titles = workbook.sheetnames
        sheet = workbook[SHEET_TITLE] if SHEET_TITLE in titles else workbook.worksheets[0]
        return [[_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a pair id retyped by hand comes back as 12.0
    return str(value).strip()
