"""CSV exports that a spreadsheet opens safely: UTF-8 with BOM, formulas neutralised.

A cell that starts with = + - @ (or a tab or carriage return) is run as a formula by Excel
and LibreOffice; an attacker who can put text in a roster could make an export run one on an
analyst's machine. Such cells are prefixed with a single quote, which spreadsheets show as
text. Every export in the project writes through `FormulaEscapingWriter`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any, TextIO

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
UTF8_BOM = "\ufeff"


def escape_formula(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula, made inert; other values unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class FormulaEscapingWriter:
    """A csv.writer that escapes every cell; writes the BOM first when asked to."""

    def __init__(self, handle: TextIO, *, bom: bool = True, **csv_options: Any) -> None:
        if bom:
            handle.write(UTF8_BOM)
        self._writer = csv.writer(handle, **csv_options)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([escape_formula(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)
