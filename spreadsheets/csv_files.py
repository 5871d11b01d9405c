"""CSV as Excel in Spanish opens it: UTF-8 with a byte-order mark, every cell escaped."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from spreadsheets.escaping import cell_escape

# Without the byte-order mark Excel reads UTF-8 as Windows-1252 and mangles the accents.
UTF8_BOM = "\ufeff"

# Excel splits a CSV line at its locale's list separator, not at the file's delimiter: in
# Spanish locales that is ";". An unquoted "x;=1+1" written with "," opens as two cells, the
# second a formula the escaper never saw. A cell holding either separator is therefore
# always quoted, whichever delimiter the file uses.
LIST_SEPARATORS = frozenset(";,")


def _holds_separator(value: Any) -> bool:
    return isinstance(value, str) and not LIST_SEPARATORS.isdisjoint(value)


class _Echo:
    """A file that hands back what is written to it, for streaming line by line."""

    def write(self, value: str) -> str:
        return value


class CsvWriter:
    """A csv.writer that passes every cell through `cell_escape`; writes the BOM first.

    Cells holding ";" or "," are quoted even where the delimiter alone would not require it.
    """

    def __init__(self, handle: TextIO, *, bom: bool = True, **csv_options: Any) -> None:
        if bom:
            handle.write(UTF8_BOM)
        self._handle = handle
        self._writer = csv.writer(handle, **csv_options)
        # Formats one cell as the writer above would, without a line ending.
        self._cell_writer = csv.writer(_Echo(), **{**csv_options, "lineterminator": ""})

    def writerow(self, row: Iterable[Any]) -> Any:
        cells = [cell_escape(value) for value in row]
        if not any(_holds_separator(cell) for cell in cells):
            return self._writer.writerow(cells)
        dialect = self._writer.dialect
        line = str(dialect.delimiter).join(self._cell_text(cell) for cell in cells)
        return self._handle.write(line + str(dialect.lineterminator))

    def _cell_text(self, cell: Any) -> str:
        if _holds_separator(cell):
            quote = str(self._writer.dialect.quotechar)
            return quote + cell.replace(quote, quote * 2) + quote
        if cell is None or cell == "":
            # csv writes a lone empty field as '""'; inside a row it is just empty.
            return ""
        return str(self._cell_writer.writerow([cell]))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_lines(rows: Iterable[Iterable[Any]], *, bom: bool = True) -> Iterator[str]:
    """The CSV text line by line (BOM first), for a streaming response."""
    writer = CsvWriter(_Echo(), bom=False)  # type: ignore[arg-type]
    if bom:
        yield UTF8_BOM
    for row in rows:
        yield writer.writerow(row)


def csv_bytes(rows: Iterable[Iterable[Any]], *, bom: bool = True) -> bytes:
    """The whole CSV as UTF-8 bytes."""
    buffer = io.StringIO()
    CsvWriter(buffer, bom=bom).writerows(rows)
    return buffer.getvalue().encode("utf-8")
