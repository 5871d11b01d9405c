"""The XLSX writer: frozen header, fitted widths, numbers and dates typed, escaped text."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from openpyxl import load_workbook

from spreadsheets import (
    AboutLine,
    sheet_about,
    sheet_table,
    sheet_title,
    workbook_bytes,
    workbook_new,
)
from spreadsheets.xlsx_files import MAX_WIDTH, MIN_WIDTH


def _workbook(rows: list[list[object]]):  # type: ignore[no-untyped-def]
    workbook = workbook_new()
    sheet_about(
        workbook,
        title="Título",
        lines=[
            AboutLine("Datos calculados el", dt.datetime(2024, 3, 1, 9, 30, tzinfo=dt.UTC)),
            AboutLine("Filtros aplicados", heading=True),
            AboutLine("Región", "Cusco"),
        ],
    )
    written = sheet_table(
        workbook, title="Datos: por región", header=["Nombre", "N", "Fecha"], rows=rows
    )
    assert written == len(rows)
    return load_workbook(io.BytesIO(workbook_bytes(workbook)))


def test_header_frozen_and_columns_fitted_within_bounds() -> None:
    workbook = _workbook([["x" * 300, 1, None], ["corto", 22, None]])
    sheet = workbook["Datos - por región"]
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.b
    assert sheet.column_dimensions["A"].width == MAX_WIDTH
    assert sheet.column_dimensions["B"].width == MIN_WIDTH
    assert sheet["A2"].alignment.wrap_text  # longer than the column: wrapped, not cut


def test_numbers_are_numbers_and_dates_are_dates() -> None:
    sheet = _workbook([["a", -2, dt.date(2024, 3, 1)], ["b", Decimal("1.5"), None]])[
        "Datos - por región"
    ]
    assert sheet["B2"].value == -2
    assert sheet["B2"].data_type == "n"
    assert sheet["B3"].value == 1.5
    assert sheet["C2"].is_date
    assert sheet["C2"].value == dt.datetime(2024, 3, 1)
    assert sheet["C2"].number_format == "dd/mm/yyyy"


def test_formula_text_is_quoted_and_never_a_formula() -> None:
    rows = [['=HYPERLINK("http://x")', 1, None], ["\x07bell", 2, None], ["\x07=1+1", 3, None]]
    sheet = _workbook(rows)["Datos - por región"]
    assert sheet["A2"].data_type == "s"
    assert sheet["A2"].value == '\'=HYPERLINK("http://x")'
    assert sheet["A3"].value == "bell"  # a control character XLSX cannot hold is dropped
    # ... before the escaper looks, so that it cannot uncover a formula.
    assert (sheet["A4"].value, sheet["A4"].data_type) == ("'=1+1", "s")


def test_first_sheet_states_what_and_when() -> None:
    workbook = _workbook([])
    assert workbook.sheetnames == ["Informe", "Datos - por región"]
    about = workbook["Informe"]
    assert about["A1"].value == "Título"
    assert about["A2"].value == "Datos calculados el"
    assert isinstance(about["B2"].value, dt.datetime)  # local time, as a date cell
    assert about["B2"].number_format == "dd/mm/yyyy hh:mm"
    rows = [[cell.value for cell in row[:2]] for row in about.iter_rows()]
    assert ["Región", "Cusco"] in rows


def test_sheet_titles_excel_accepts() -> None:
    assert sheet_title("Pre/post-test: total") == "Pre-post-test - total"
    assert len(sheet_title("x" * 40)) == 31
    assert sheet_title("[]") == "--"
