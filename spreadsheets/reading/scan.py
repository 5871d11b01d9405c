"""A streaming look at a workbook's XML parts, before openpyxl parses them.

Each element is dropped from the tree once it ends (a cell's contents with the cell), so a
row of a million cells costs no more memory than a row of one. The budget is the file's:
cells and shared strings are counted across all sheets, and so are the XML elements, so
that merged ranges, links or validations cannot stand in for cells.
"""

from __future__ import annotations

from typing import IO, Any

from defusedxml.ElementTree import iterparse
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
from openpyxl.xml.constants import SHEET_MAIN_NS

from spreadsheets.reading.table import (
    RosterFileError,
    max_cells,
    max_columns,
    too_many_cells,
    too_many_columns,
)

EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLUMNS = 16_384
# A cell is a few elements (<c><is><t>, <c><f/><v>); a workbook needs some more for its
# styles, theme and relationships.
ELEMENTS_PER_CELL = 6
ELEMENTS_BESIDES_CELLS = 20_000

_ROW = f"{{{SHEET_MAIN_NS}}}row"
_CELL = f"{{{SHEET_MAIN_NS}}}c"
_SHARED_STRING = f"{{{SHEET_MAIN_NS}}}si"


class PackageBudget:
    """What the parts of one file have used so far."""

    def __init__(self) -> None:
        self.max_columns = max_columns()
        self.max_cells = max_cells()
        self.max_elements = ELEMENTS_PER_CELL * self.max_cells + ELEMENTS_BESIDES_CELLS
        self.cells = 0
        self.strings = 0
        self.elements = 0


def scan_part(source: IO[bytes], *, file_name: str, where: str, budget: PackageBudget) -> None:
    """Stream one XML part, refusing what would make reading the workbook expensive."""
    row_number = column = 0
    open_elements: list[Any] = []
    in_cell = False
    for event, element in iterparse(source, events=("start", "end")):
        tag = element.tag
        if event == "start":
            open_elements.append(element)
            budget.elements += 1
            if budget.elements > budget.max_elements:
                raise too_many_cells(
                    file_name=file_name, where=where, row=row_number, position=column
                )
            if tag == _CELL:
                in_cell = True
                budget.cells += 1
                reference = element.get("r")
                column = _column(reference, file_name, where) if reference else column + 1
                if budget.cells > budget.max_cells:
                    raise too_many_cells(
                        file_name=file_name, where=where, row=row_number, position=column - 1
                    )
            elif tag == _ROW:
                reference = element.get("r")
                row_number = _row(reference, file_name, where) if reference else row_number + 1
                column = 0
            continue
        open_elements.pop()
        if tag == _CELL:
            in_cell = False
            if column > budget.max_columns and any(text.strip() for text in element.itertext()):
                raise too_many_columns(
                    file_name=file_name, where=where, row=row_number, position=column - 1
                )
        elif tag == _SHARED_STRING:
            budget.strings += 1
            if budget.strings > budget.max_cells:
                raise RosterFileError(
                    f"{file_name}: el libro guarda más de {budget.max_cells:,} textos, más que "
                    f"el máximo de {budget.max_cells:,} celdas por archivo. Divida la lista en "
                    "varios archivos."
                )
        if not in_cell and open_elements:
            open_elements[-1].remove(element)


def _column(reference: str, file_name: str, where: str) -> int:
    try:
        letters, _ = coordinate_from_string(reference)
        column = column_index_from_string(letters)
    except ValueError:
        raise _damaged(file_name, where, reference) from None
    if column > EXCEL_MAX_COLUMNS:
        raise _damaged(file_name, where, reference)
    return column


def _row(reference: str, file_name: str, where: str) -> int:
    if not reference.isdigit() or not 0 < int(reference) <= EXCEL_MAX_ROWS:
        raise _damaged(file_name, where, reference)
    return int(reference)


def _damaged(file_name: str, where: str, reference: str) -> RosterFileError:
    return RosterFileError(
        f"{file_name}: {where}la referencia de celda o fila '{reference[:20]}' no existe en "
        f"una hoja de Excel ({EXCEL_MAX_ROWS:,} filas, {EXCEL_MAX_COLUMNS:,} columnas); el "
        "archivo está dañado."
    )
