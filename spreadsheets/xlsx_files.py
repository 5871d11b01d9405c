"""XLSX workbooks people can read straight away.

Each table sheet has its header row frozen and bold, its columns as wide as their content
(within bounds, long text wrapped), numbers stored as numbers and dates as dates shown the
Peruvian way (dd/mm/aaaa). Every text cell goes through the same formula escaper as the
CSV files. Workbooks are written in openpyxl's streaming mode, so a sheet of a million
participations never sits in memory as cell objects: the column widths are fitted to the
first rows, which is why a sheet is written in one call.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from itertools import chain, islice
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.datavalidation import DataValidation

from spreadsheets.escaping import cell_escape

MIN_WIDTH = 8
MAX_WIDTH = 60
# A long header wraps onto two or three lines instead of widening a column of numbers.
HEADER_WIDTH = 24
WIDTH_SAMPLE_ROWS = 1000
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
BOLD = Font(bold=True)
TITLE_FONT = Font(bold=True, size=14)
WRAP = Alignment(wrap_text=True, vertical="top")
# Excel refuses these in a sheet name, and names longer than 31 characters.
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_NATIVE = (str, int, float, Decimal, date)


@dataclass(frozen=True)
class AboutLine:
    """A line of a workbook's first sheet: a label and its value, or a bold heading."""

    label: str
    value: Any = None
    heading: bool = False


def workbook_new() -> Workbook:
    return Workbook(write_only=True)


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sheet_title(text: str) -> str:
    """`text` as a sheet name Excel accepts: no [ ] : * ? / \\, at most 31 characters."""
    title = _SHEET_FORBIDDEN.sub("-", text.replace(": ", " - "))
    return " ".join(title.split()).strip("'")[:31].rstrip() or "Hoja"


def cell_value(value: Any) -> Any:
    """A value as the XLSX cell stores it: escaped text, numbers, dates; others as text."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, datetime):
        # Excel has no time zones: the registry's local time is what the reader expects.
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if not isinstance(value, _NATIVE):
        value = str(value)
    if isinstance(value, str):
        # Control characters (a stray one pasted into a roster) are not allowed in XLSX.
        # They go before the escaper looks: "\x07=1" would otherwise become "=1".
        return cell_escape(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def _shown_length(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime):
        return len("00/00/0000 00:00")
    if isinstance(value, date):
        return len("00/00/0000")
    if isinstance(value, float):
        return len(f"{value:.2f}")
    return max((len(line) for line in str(value).splitlines()), default=0)


def _widths(header: Sequence[Any], rows: Sequence[Sequence[Any]]) -> list[int]:
    widths = [min(_shown_length(cell), HEADER_WIDTH) for cell in header]
    for row in rows:
        for index, cell in enumerate(row):
            length = _shown_length(cell)
            if index >= len(widths):
                widths.append(length)
            elif length > widths[index]:
                widths[index] = length
    return [max(MIN_WIDTH, min(MAX_WIDTH, width + 2)) for width in widths]


def _cell(sheet: WriteOnlyWorksheet, value: Any, width: int, *, header: bool = False) -> Any:
    """The value, or a styled cell when it needs a format, wrapping or bold."""
    long_text = isinstance(value, str) and _shown_length(value) > width
    if not (header or long_text or isinstance(value, date)):
        return value
    cell = WriteOnlyCell(sheet, value)
    if header:
        cell.font = BOLD
        cell.alignment = WRAP
    elif long_text:
        cell.alignment = WRAP
    if isinstance(value, datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, date):
        cell.number_format = DATE_FORMAT
    return cell


def sheet_table(
    workbook: Workbook,
    *,
    title: str,
    header: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    freeze: str = "A2",
    choices: Mapping[str, Sequence[str]] | None = None,
) -> int:
    """Add a sheet with the header and the rows; returns how many rows were written.

    `choices` gives a column (by its header) a drop-down list of the answers it takes, on
    every written row; other values are refused by the spreadsheet with a message.
    """
    sheet = workbook.create_sheet(title=sheet_title(title))
    rows = iter(rows)
    header = [cell_value(value) for value in header]
    sample = [[cell_value(value) for value in row] for row in islice(rows, WIDTH_SAMPLE_ROWS)]
    widths = _widths(header, sample)
    # A streaming sheet takes its column sizes and panes before its first row.
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = freeze
    sheet.append([_cell(sheet, value, widths[i], header=True) for i, value in enumerate(header)])
    count = 0
    rest = ([cell_value(value) for value in row] for row in rows)
    for row in chain(sample, rest):
        sheet.append(
            [
                _cell(sheet, value, widths[i] if i < len(widths) else MAX_WIDTH)
                for i, value in enumerate(row)
            ]
        )
        count += 1
    for name, allowed in (choices or {}).items():
        letter = get_column_letter(list(header).index(name) + 1)
        validation = DataValidation(
            type="list",
            formula1='"' + ",".join(allowed) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Valor no admitido",
            error="Elija uno de los valores de la lista: " + ", ".join(allowed) + ".",
        )
        validation.add(f"{letter}2:{letter}{max(count, 1) + 1}")
        sheet.data_validations.append(validation)
    return count


def sheet_about(
    workbook: Workbook, *, title: str, lines: Iterable[AboutLine], name: str = "Informe"
) -> None:
    """A first sheet that says what the workbook holds: a title, then labels and values."""
    sheet = workbook.create_sheet(title=sheet_title(name))
    lines = list(lines)
    label_width = max([len(line.label) for line in lines if not line.heading] or [0])
    sheet.column_dimensions["A"].width = max(MIN_WIDTH, min(40, label_width + 2))
    sheet.column_dimensions["B"].width = 100
    title_cell = WriteOnlyCell(sheet, cell_value(title))
    title_cell.font = TITLE_FONT
    sheet.append([title_cell])
    for line in lines:
        if line.heading:
            heading = WriteOnlyCell(sheet, cell_value(line.label))
            heading.font = BOLD
            sheet.append([])
            sheet.append([heading])
            continue
        value = WriteOnlyCell(sheet, cell_value(line.value))
        value.alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")
        if isinstance(value.value, datetime):
            value.number_format = DATETIME_FORMAT
        elif isinstance(value.value, date):
            value.number_format = DATE_FORMAT
        sheet.append([cell_value(line.label), value])
