"""The "informe de indicadores": a workbook a project can hand to its donor.

The first sheet says what the figures are, how they were computed and which filters were
applied; then one sheet per table of the indicator report, the same tables the dashboard
shows and downloads one by one. Persons appear only as counts.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from registry.reports.exports import table_rows
from registry.reports.filters import ReportFilters, filters_described
from registry.reports.tables import TABLES
from spreadsheets import AboutLine, sheet_about, sheet_table, workbook_bytes, workbook_new

TITLE = "Informe de indicadores del marco lógico"
SOURCE = (
    "Cifras publicadas: evaluación final del proyecto «Partnerships in Action to End Child "
    "Trafficking in Peru» (PER/17/51/USA), anexos 5 (indicadores de resultado) y 6 "
    "(participantes por indicador de producto, julio de 2024)."
)
# The tables, one sheet each, in this order (each table names its own sheet).
SHEETS = (
    "indicators",
    "indicators_by_sex",
    "indicators_by_institution",
    "indicators_by_region",
    "indicators_knowledge",
    "indicators_survey",
)


def _method_lines(
    report: dict[str, Any], filters: ReportFilters, computed_at: datetime, disclosure: str
) -> list[AboutLine]:
    lines = [
        AboutLine("Datos del registro al", computed_at),
        AboutLine("Fuente", SOURCE),
        AboutLine("Filtros aplicados", heading=True),
    ]
    described = filters_described(filters) or [("Ninguno", "todo el registro")]
    lines += [AboutLine(label, value) for label, value in described]
    lines.append(AboutLine("Método", heading=True))
    lines += [AboutLine("", text) for text in report["indicators"]["method"]]
    if disclosure:
        lines += [AboutLine("Protección de datos", heading=True), AboutLine("", disclosure)]
    lines.append(AboutLine("Hojas", heading=True))
    lines += [AboutLine(TABLES[name].sheet_name, TABLES[name].title) for name in SHEETS]
    return lines


def indicator_workbook(
    *,
    report: dict[str, Any],
    filters: ReportFilters,
    computed_at: datetime,
    disclosure: str = "",
) -> bytes:
    """The workbook of a report that holds the "indicators" section; `disclosure` says
    what it withholds (`disclosure.statement`)."""
    workbook = workbook_new()
    lines = _method_lines(report, filters, computed_at, disclosure)
    sheet_about(workbook, title=TITLE, lines=lines, name="Método")
    for name in SHEETS:
        table = TABLES[name]
        header, *rows = table_rows(table, report)
        # The indicator's code stays in view beside the figures, as the header does above.
        sheet_table(workbook, title=table.sheet_name, header=header, rows=rows, freeze="B2")
    return workbook_bytes(workbook)
