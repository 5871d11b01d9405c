"""CSV as Excel in Spanish opens it: UTF-8 with a byte-order mark, every cell escaped."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from spreadsheets.escaping import cell_escape

# Without the byte-order mark Excel reads UTF-8 as Windows-1252 and mangles the accents.
UTF8_BOM = "\ufeff"


class CsvWriter:
    """A csv.writer that passes every cell through `cell_escape`; writes the BOM first."""

    def __init__(self, handle: TextIO, *, bom: bool = True, **csv_options: Any) -> None:
        if bom:
            handle.write(UTF8_BOM)
        self._writer = csv.writer(handle, **csv_options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([cell_escape(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


class _Echo:
    """A file that hands back what is written to it, for streaming line by line."""

    def write(self, value: str) -> str:
        return value


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
