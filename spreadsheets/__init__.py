"""Every CSV and XLSX file the registry reads or writes goes through this package.

It sits at the bottom of the dependency order (no Django models, no app imports), so that
rosters and review sheets are read with the same limits (`reading`), and identity, courses,
review and reports all write spreadsheets the same way: one formula escaper (`escaping`), one
CSV writer (`csv_files`) and one XLSX writer (`xlsx_files`).
"""

from __future__ import annotations

from spreadsheets.csv_files import UTF8_BOM, CsvWriter, csv_bytes, csv_lines
from spreadsheets.escaping import FORMULA_TRIGGERS, cell_escape, is_formula_text
from spreadsheets.xlsx_files import (
    AboutLine,
    sheet_about,
    sheet_table,
    sheet_title,
    workbook_bytes,
    workbook_new,
)

__all__ = [
    "FORMULA_TRIGGERS",
    "UTF8_BOM",
    "AboutLine",
    "CsvWriter",
    "cell_escape",
    "csv_bytes",
    "csv_lines",
    "is_formula_text",
    "sheet_about",
    "sheet_table",
    "sheet_title",
    "workbook_bytes",
    "workbook_new",
]
