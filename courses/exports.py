"""CSV exports that a spreadsheet opens safely: UTF-8 with BOM, formulas neutralised.

The escaper and the writer live in the `spreadsheets` package, which every export of the
project goes through; the names below are kept for the callers that import them from here.
"""

from __future__ import annotations

from spreadsheets import UTF8_BOM, CsvWriter, cell_escape

FormulaEscapingWriter = CsvWriter
escape_formula = cell_escape

__all__ = ["UTF8_BOM", "FormulaEscapingWriter", "escape_formula"]
