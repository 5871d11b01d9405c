"""Reading a filled review spreadsheet back, through the roster reader's limits.

A review sheet comes back from outside the registry as a roster does, so it is read the same
way: refused past `ROSTER_MAX_UPLOAD_BYTES` before it is read, streamed row by row with
`ROSTER_MAX_COLUMNS` and `ROSTER_MAX_CELLS` enforced, an XLSX checked against
`ROSTER_MAX_UNPACKED_BYTES` and its XML scanned before openpyxl opens it. A file padded with
spaces or separators is refused with a message naming the file, sheet, row and column,
instead of being held in memory whole.
"""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path
from typing import Any

from django.conf import settings
from openpyxl.utils.exceptions import InvalidFileException

from review.spreadsheet.files import (
    CSV,
    DECISION_HEADER,
    SHEET_TITLE,
    Sheet,
    SheetError,
    SheetRow,
    column_for,
    sheet_format,
)
from spreadsheets.reading import (
    HeaderRule,
    RosterFileError,
    Table,
    check_size,
    read_csv,
    read_xlsx,
)

_ZIP_MAGIC = b"PK\x03\x04"
# What a damaged, foreign or mislabelled file may still raise past the roster reader's own
# checks (ValueError includes UnicodeDecodeError; KeyError is openpyxl's answer to a zip
# without a workbook in it).
_READ_ERRORS = (OSError, ValueError, KeyError, csv.Error, InvalidFileException, zipfile.BadZipFile)


def header_name(value: Any) -> str:
    """A header cell as the import compares it: no BOM, no surrounding spaces, lower case."""
    return str(value or "").lstrip("\ufeff").strip().lower()


def _review_header_score(cells: list[Any]) -> int:
    return sum(1 for cell in cells if column_for(str(cell or "")) is not None)


# The header row is the first one naming two of the export's columns; on a workbook, the
# "Informe" sheet names none and the reader goes on to the pairs.
REVIEW_HEADER = HeaderRule(
    score=_review_header_score,
    expected=f"se esperan las columnas de review_export, como id_par y {DECISION_HEADER}, en la "
    f"hoja «{SHEET_TITLE}»",
)


def sheet_read(path: Path) -> Sheet:
    """The header row (lower case) and the non-blank rows after it, within the file limits."""
    file_format = sheet_format(path)
    if not path.is_file():
        raise SheetError(f"{path.name}: el archivo no existe")
    unreadable = f"{path.name}: no se puede leer el archivo como {file_format.upper()}"
    try:
        data = _bounded_bytes(path)
        if file_format == CSV:
            table = read_csv(data, file_name=path.name, header=REVIEW_HEADER)
        elif data.startswith(_ZIP_MAGIC):
            table = read_xlsx(data, file_name=path.name, header=REVIEW_HEADER)
        else:
            raise SheetError(unreadable)
    except RosterFileError as error:
        raise SheetError(str(error).rstrip(".")) from error
    except _READ_ERRORS as error:
        raise SheetError(unreadable) from error
    return _sheet(table)


def _bounded_bytes(path: Path) -> bytes:
    """The file's bytes, refused by its size before any of it is read."""
    check_size(path.stat().st_size, file_name=path.name)
    limit = settings.ROSTER_MAX_UPLOAD_BYTES
    with path.open("rb") as handle:
        data = handle.read(limit + 1)
    check_size(len(data), file_name=path.name)  # the file grew while being read
    return data


def _sheet(table: Table) -> Sheet:
    # Cells by column name, whichever language the header row is in.
    headers = tuple(
        column_for(str(header or "")) or header_name(header) for header in table.headers
    )
    rows = [
        SheetRow(number=number, cells=dict(zip(headers, map(_text, cells), strict=False)))
        for number, cells in table.rows
    ]
    return Sheet(headers=headers, rows=rows)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a pair id retyped by hand comes back as 12.0
    return str(value).strip()
