"""Reading and writing the review queue's spreadsheet: CSV (UTF-8 with BOM) or XLSX.

The format follows the file's extension. Every cell written goes through the project's one
spreadsheet writer (the `spreadsheets` package), so a name such as "=HYPERLINK(...)" reaches
the reviewer's spreadsheet as inert text. The workbook opens on the "Pares" sheet; before it
an "Informe" sheet says when the file was written and how to fill it in. Reading a filled
sheet back is `reading`'s, through the roster reader's limits.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils import timezone
from openpyxl.utils import get_column_letter

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
# The sheet's columns, in order.
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
# What the header row says for each column: Spanish, for the reviewer. The reader also
# takes the English names that sheets exported before carried (`column_for`).
HEADERS = {
    "pair_id": "id_par",
    "person_a_code": "codigo_persona_a",
    "person_b_code": "codigo_persona_b",
    "score": "probabilidad",
    "reasons": "motivos",
    "person_a_name": "nombre_persona_a",
    "person_b_name": "nombre_persona_b",
    "person_a_dni": "documento_persona_a",
    "person_b_dni": "documento_persona_b",
    "person_a_courses": "cursos_persona_a",
    "person_b_courses": "cursos_persona_b",
    "decision": "decisión",
}
DECISION_HEADER = HEADERS["decision"]
# The choices of the decision column's drop-down list (a list validation separates its
# items by commas, so the "same despite the documents" answer is written without one).
DECISION_CHOICES = ("misma", "distinta", "omitir", "misma (DNI distinto)")
# The persons' codes are required too: they are what tells a row that its pair has changed
# since the export (the staleness check), so a sheet without them is refused, not trusted.
REQUIRED_COLUMNS = ("pair_id", "person_a_code", "person_b_code", "decision")


def _folded(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lstrip("\ufeff").strip().casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


_COLUMN_BY_HEADER = {
    _folded(name): column for column in COLUMNS for name in (column, HEADERS[column])
}


def column_for(header: str) -> str | None:
    """The column a header cell names ("Decisión", "decision", "id_par", "pair_id"), if any."""
    return _COLUMN_BY_HEADER.get(_folded(header))


def headers_named(columns: Iterable[str]) -> str:
    """Columns as the sheet names them, for messages: "id_par, decisión"."""
    return ", ".join(HEADERS[column] for column in columns)


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
    """Write the header and the rows in the format of `path`, every cell formula-escaped; in a
    workbook, the decision column offers its answers in a drop-down list."""
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
        sheet_table(
            workbook,
            title=SHEET_TITLE,
            header=headers,
            rows=rows,
            choices={DECISION_HEADER: DECISION_CHOICES},
        )
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
            f"En la hoja «{SHEET_TITLE}», elija en la columna «{DECISION_HEADER}» misma, "
            "distinta u omitir (o «misma (DNI distinto)» para fusionar a pesar de dos "
            "documentos); deje vacías las filas que no decida. Luego cárguelo con "
            "review_import.",
        ),
    ]
