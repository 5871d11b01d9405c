"""The table a roster file becomes, collected row by row with the file's limits enforced.

Rows arrive one at a time from the CSV or XLSX reader and are refused as soon as one is too
wide or the file holds too many cells: a hostile file (a header with 100,000 separators, a
value in column XFD) is refused before its rows are padded to its widest row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from spreadsheets.cells import cell_text

# The header row is looked for among the first rows (title rows and blank lines above it).
HEADER_SEARCH_ROWS = 30
MIN_HEADER_FIELDS = 2


class RosterFileError(ValueError):
    """A file that cannot be read as a roster; the message names the file and the reason."""


@dataclass(frozen=True)
class HeaderRule:
    """How a reader tells the header row, and what its absence tells the user.

    Each caller brings its own: the roster import scores its many header aliases, the review
    queue's sheet looks for its own columns.
    """

    score: Callable[[list[Any]], int]
    expected: str  # what the header should hold, for the message when none is found

    def matches(self, cells: Sequence[Any]) -> bool:
        return self.score(list(cells)) >= MIN_HEADER_FIELDS


@dataclass
class Table:
    """A roster's header and data rows, each row with its number as a spreadsheet shows it."""

    file_format: str  # "csv" or "xlsx"
    header_row: int
    headers: list[str]
    rows: list[tuple[int, list[Any]]]
    sheet_name: str = ""
    encoding: str = ""
    delimiter: str = ""
    notes: list[str] = field(default_factory=list)
    file_name: str = ""


def max_columns() -> int:
    return settings.ROSTER_MAX_COLUMNS


def max_cells() -> int:
    return settings.ROSTER_MAX_CELLS


def max_unpacked_bytes() -> int:
    return settings.ROSTER_MAX_UNPACKED_BYTES


def check_size(size: int, *, file_name: str) -> None:
    limit = settings.ROSTER_MAX_UPLOAD_BYTES
    if size == 0:
        raise RosterFileError(f"{file_name}: el archivo está vacío.")
    if size > limit:
        raise RosterFileError(
            f"{file_name}: el archivo pesa {size:,} bytes y el límite es {limit:,} bytes."
        )


def column_letter(position: int) -> str:
    """Spreadsheet column letter of a 0-based column position (0 -> "A")."""
    letters = ""
    position += 1
    while position:
        position, remainder = divmod(position - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def too_many_columns(*, file_name: str, where: str, row: int, position: int) -> RosterFileError:
    """The refusal of a row that reaches column `position` (0-based), past the limit."""
    limit = max_columns()
    return RosterFileError(
        f"{file_name}: {where}la fila {row} pasa del máximo de {limit:,} columnas por fila "
        f"(columna {column_letter(position)}, n.º {position + 1:,}). Borre las columnas "
        "sobrantes o guarde solo la lista."
    )


def too_many_cells(*, file_name: str, where: str, row: int, position: int) -> RosterFileError:
    limit = max_cells()
    return RosterFileError(
        f"{file_name}: {where}en la fila {row}, columna {column_letter(position)}, el "
        f"archivo supera el máximo de {limit:,} celdas por archivo. Divida la lista en "
        "varios archivos."
    )


def _is_empty(cell: Any) -> bool:
    return cell is None or cell == "" or cell_text(cell) == ""


class TableBuilder:
    """Finds the header among the first rows, then keeps the non-blank rows after it.

    Every kept row is padded to the widest one when the table is built; the product of the
    rows and that width (what the padded table holds) may not pass the cell limit, and no
    row may reach past the column limit.
    """

    def __init__(
        self,
        *,
        file_name: str,
        file_format: str,
        where: str = "",
        header: HeaderRule,
    ) -> None:
        self.file_name = file_name
        self.header = header
        self.file_format = file_format
        self.where = where  # "hoja «Lista»: " for a workbook, so messages name the sheet
        self.max_columns = max_columns()
        self.max_cells = max_cells()
        self.header_row = 0
        self.headers: list[str] = []
        self.rows: list[tuple[int, list[Any]]] = []
        self.width = 0
        self.seen = 0

    def add(self, number: int, cells: Sequence[Any]) -> bool:
        """Take the row numbered `number`; False when the reader should stop: no header
        among the first rows."""
        self.seen += 1
        if len(cells) > self.max_columns:
            cells = self._within_columns(number, cells)
        if not self.header_row:
            if self.header.matches(cells):
                self.header_row = number
                self.headers = [cell_text(cell) for cell in cells]
                self.width = len(cells)
                return True
            return self.seen < HEADER_SEARCH_ROWS
        if all(_is_empty(cell) for cell in cells):
            return True
        self.width = max(self.width, len(cells))
        self.rows.append((number, list(cells)))
        if len(self.rows) * self.width > self.max_cells:
            # The cell of this row that the padded table holds beyond the limit.
            position = self.max_cells - (len(self.rows) - 1) * self.width
            raise too_many_cells(
                file_name=self.file_name,
                where=self.where,
                row=number,
                position=min(max(position, 0), self.width - 1),
            )
        return True

    def _within_columns(self, number: int, cells: Sequence[Any]) -> Sequence[Any]:
        """A row cut at the column limit; refused if a cell past the limit holds a value.

        Only a workbook row gets here (a CSV line is refused by its field count): cells a
        sheet formats far to the right of the list are empty and dropped.
        """
        for position in range(self.max_columns, len(cells)):
            if not _is_empty(cells[position]):
                raise too_many_columns(
                    file_name=self.file_name, where=self.where, row=number, position=position
                )
        return cells[: self.max_columns]

    def build(self) -> Table:
        if not self.header_row:
            raise RosterFileError(
                f"{self.file_name}: {self.where}no se encontró la fila de encabezados en las "
                f"primeras {HEADER_SEARCH_ROWS} filas ({self.header.expected})."
            )
        width = self.width
        headers = unique_headers(self.headers + [""] * (width - len(self.headers)))
        for _, cells in self.rows:
            cells.extend([None] * (width - len(cells)))
        return Table(
            file_format=self.file_format,
            header_row=self.header_row,
            headers=headers,
            rows=self.rows,
            file_name=self.file_name,
        )


def unique_headers(headers: list[str]) -> list[str]:
    """Raw records are keyed by header: give blank and repeated headers distinct names."""
    seen: dict[str, int] = {}
    unique = []
    for position, header in enumerate(headers):
        name = header or f"Columna {column_letter(position)}"
        seen[name] = seen.get(name, 0) + 1
        unique.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return unique
