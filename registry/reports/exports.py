"""Downloads for analysts: every report table, and participations by person code.

CSV is UTF-8 with a byte-order mark so that Excel opens accents correctly; XLSX is written
by openpyxl. Text cells are formula-escaped. Nothing here reads a name, a document number,
an email or a phone: persons appear only by their code.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from django.db.models import F, FilteredRelation, Q
from openpyxl import Workbook

from assessments.models import Phase
from courses.exports import escape_formula
from registry.reports import labels
from registry.reports.filters import ReportFilters, enrollments
from registry.reports.tables import Table

BOM = "\ufeff"
# Excel's sheet limit, less the header row.
XLSX_MAX_ROWS = 1_048_575

PARTICIPATION_COLUMNS: tuple[tuple[str, str], ...] = (
    ("person__code", "Código de participante"),
    ("sex", "Sexo"),
    ("cohort__course__title", "Curso"),
    ("component", "Componente"),
    ("cohort__label", "Cohorte"),
    ("cohort__start_date", "Inicio"),
    ("institution__acronym", "Institución"),
    ("institution_text", "Institución (como se escribió)"),
    ("role__name", "Cargo"),
    ("region__name", "Región"),
    ("pre__percent", "Pre-test %"),
    ("post__percent", "Post-test %"),
)


def table_rows(table: Table, report: dict[str, Any]) -> Iterator[list[Any]]:
    """The table's header, then its rows, text cells formula-escaped."""
    yield [column.header for column in table.columns]
    for row in table.rows(report):
        yield [escape_formula(row.get(column.key)) for column in table.columns]


def table_csv(table: Table, report: dict[str, Any]) -> bytes:
    buffer = io.StringIO()
    buffer.write(BOM)
    csv.writer(buffer).writerows(table_rows(table, report))
    return buffer.getvalue().encode("utf-8")


def table_xlsx(table: Table, report: dict[str, Any]) -> bytes:
    workbook = Workbook(write_only=True)
    # The table name is a safe sheet title: Excel forbids : / ? * [ ] and >31 characters.
    sheet = workbook.create_sheet(title=table.name[:31])
    for row in table_rows(table, report):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def participation_rows(*, filters: ReportFilters) -> Iterator[list[Any]]:
    """One row per participation of an active person, header first, streamed from the DB."""
    yield [header for _, header in PARTICIPATION_COLUMNS]
    rows = (
        enrollments(filters)
        .annotate(
            pre=FilteredRelation("scores", condition=Q(scores__phase=Phase.PRE)),
            post=FilteredRelation("scores", condition=Q(scores__phase=Phase.POST)),
            sex=F("person__sex"),
            component=F("cohort__course__component"),
        )
        .order_by("cohort__start_date", "cohort_id", "person__code")
        .values_list(*(key for key, _ in PARTICIPATION_COLUMNS))
    )
    for values in rows.iterator(chunk_size=5000):
        row = dict(zip((key for key, _ in PARTICIPATION_COLUMNS), values, strict=True))
        row["sex"] = labels.SEX_LABELS.get(row["sex"], row["sex"])
        row["component"] = labels.COMPONENT_LABELS.get(row["component"], row["component"])
        for key in ("pre__percent", "post__percent"):
            row[key] = None if row[key] is None else float(row[key])
        yield [escape_formula(row[key]) for key, _ in PARTICIPATION_COLUMNS]


class _Echo:
    def write(self, value: str) -> str:
        return value


def participations_csv(*, filters: ReportFilters) -> Iterator[str]:
    """CSV lines for a streaming response: a large export never sits in memory whole."""
    writer = csv.writer(_Echo())
    yield BOM
    for row in participation_rows(filters=filters):
        yield writer.writerow(row)


def participations_xlsx(*, filters: ReportFilters) -> bytes:
    if enrollments(filters).count() > XLSX_MAX_ROWS:
        raise ValueError(
            "Demasiadas participaciones para una hoja de Excel; descargue el CSV o filtre."
        )
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="Participaciones")
    for row in participation_rows(filters=filters):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
