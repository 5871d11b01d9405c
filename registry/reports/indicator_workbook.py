"""The "informe de indicadores": a workbook a project can hand to its donor.

The first sheet says what the figures are, how they were computed and which filters were
applied; then one sheet per table of the indicator report, the same tables the dashboard
shows and downloads one by one. Persons appear only as counts.
"""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from registry.reports.exports import table_rows
from registry.reports.filters import ReportFilters, filters_described
from registry.reports.tables import TABLES

TITLE = "Informe de indicadores del marco lógico"
SOURCE = (
    "Cifras publicadas: evaluación final del proyecto «Partnerships in Action to End Child "
    "Trafficking in Peru» (PER/17/51/USA), anexos 5 (indicadores de resultado) y 6 "
    "(participantes por indicador de producto, julio de 2024)."
)
# (table, sheet title): Excel allows 31 characters and no : / ? * [ ].
SHEETS = (
    ("indicators", "Producto"),
    ("indicators_by_sex", "Producto por sexo"),
    ("indicators_by_institution", "Producto por institución"),
    ("indicators_by_region", "Producto por región"),
    ("indicators_knowledge", "Conocimiento"),
    ("indicators_survey", "Encuesta"),
)
BOLD = Font(bold=True)
WIDE = 60
NARROW = 16


def _method_sheet(
    sheet: Worksheet, report: dict[str, Any], filters: ReportFilters, computed_at: datetime
) -> None:
    def heading(text: str, font: Font = BOLD) -> None:
        sheet.append([])
        sheet.append([text])
        sheet.cell(row=sheet.max_row, column=1).font = font

    def line(label: str, value: str) -> None:
        sheet.append([label, value])
        sheet.cell(row=sheet.max_row, column=2).alignment = Alignment(
            wrap_text=True, vertical="top"
        )

    sheet.append([TITLE])
    sheet["A1"].font = Font(bold=True, size=14)
    line("Datos del registro al", timezone.localtime(computed_at).strftime("%Y-%m-%d %H:%M"))
    line("Fuente", SOURCE)
    heading("Filtros aplicados")
    for label, value in filters_described(filters) or [("Ninguno", "todo el registro")]:
        line(label, value)
    heading("Método")
    for text in report["indicators"]["method"]:
        line("", text)
    heading("Hojas")
    for name, title in SHEETS:
        line(title, TABLES[name].title)
    sheet.column_dimensions["A"].width = 26
    sheet.column_dimensions["B"].width = 100


def _table_sheet(sheet: Worksheet, name: str, report: dict[str, Any]) -> None:
    table = TABLES[name]
    for row in table_rows(table, report):
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for column, cells in zip(table.columns, sheet.iter_cols(), strict=True):
        letter = cells[0].column_letter
        long_text = column.key in ("name", "text", "status")
        sheet.column_dimensions[letter].width = WIDE if long_text else NARROW
        if long_text:
            for cell in cells[1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "B2"


def indicator_workbook(
    *, report: dict[str, Any], filters: ReportFilters, computed_at: datetime
) -> bytes:
    """The workbook of a report that holds the "indicators" section."""
    workbook = Workbook()
    method = workbook.active
    method.title = "Método"
    _method_sheet(method, report, filters, computed_at)
    for name, title in SHEETS:
        _table_sheet(workbook.create_sheet(title), name, report)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
