"""Downloads for analysts: every report table, and participations by person code.

Every file is written by the `spreadsheets` package (formula-escaped cells; CSV in UTF-8
with a byte-order mark so that Excel opens accents correctly; XLSX with a first sheet that
states the filters and when the figures were computed). Nothing here reads a name, a
document number, an email or a phone: persons appear only by their code, and the free text
of an institution's cell is masked (`redaction`).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from django.db.models import F, FilteredRelation, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format

from accounts.access.sensitive import sees_every_sensitive
from accounts.access.user_scope import User
from assessments.models import Phase
from courses.models import Course, Enrollment
from courses.sensitivity import sensitive_course_q
from participants.masking import free_text_mask, known_words
from participants.models import sex_labels
from registry.reports import labels
from registry.reports.filters import ReportFilters, enrollments, filters_described
from registry.reports.tables import Table
from spreadsheets import (
    AboutLine,
    csv_bytes,
    csv_lines,
    sheet_about,
    sheet_table,
    workbook_bytes,
    workbook_new,
)

# A file says exactly how many participations it left out only from this many on.
RESERVED_EXACT_FROM = 10
# Excel's sheet limit, less the header row.
XLSX_MAX_ROWS = 1_048_575
ABOUT_TITLE = "Registro de participantes en capacitaciones"
NO_PERSONAL_DATA = (
    "Sin nombres, documentos, correos ni teléfonos: las personas aparecen solo por su código "
    "de participante o como cifras; el texto libre se muestra con los datos personales "
    "enmascarados ([dato])."
)

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


def about_lines(
    *,
    content: str,
    filters: ReportFilters,
    computed_at: datetime,
    rows: int,
    disclosure: str = "",
) -> list[AboutLine]:
    """The first sheet of a download: what it holds, when, for which filters, and what it
    withholds (`disclosure.statement`)."""
    lines = [
        AboutLine("Contenido", content),
        AboutLine("Datos calculados el", computed_at),
        AboutLine("Filas", rows),
        AboutLine("Datos personales", NO_PERSONAL_DATA),
        *([AboutLine("Protección de datos", disclosure)] if disclosure else []),
        AboutLine("Filtros aplicados", heading=True),
    ]
    described = filters_described(filters) or [("Ninguno", "todo el registro")]
    lines += [AboutLine(label, value) for label, value in described]
    return lines


def table_rows(table: Table, report: dict[str, Any]) -> Iterator[list[Any]]:
    """The table's header, then its rows (the writers escape the cells)."""
    yield [column.header for column in table.columns]
    for row in table.rows(report):
        yield [row.get(column.key) for column in table.columns]


def csv_about_rows(
    *, content: str, filters: ReportFilters, computed_at: datetime, disclosure: str = ""
) -> list[list[str]]:
    """A table CSV's first lines, each opened by "#" (a comment to most CSV readers, e.g.
    pandas' `comment="#"`): what it holds, for which filters, and as of when."""
    described = filters_described(filters)
    applied = "; ".join(f"{label}: {value}" for label, value in described)
    at = timezone.localtime(computed_at)
    return [
        ["# Contenido", content],
        ["# Filtros aplicados", applied or "Ninguno (todo el registro)"],
        ["# Datos calculados el", date_format(at, "SHORT_DATETIME_FORMAT")],
        *([["# Protección de datos", disclosure]] if disclosure else []),
    ]


def table_csv(
    table: Table,
    report: dict[str, Any],
    *,
    filters: ReportFilters,
    computed_at: datetime,
    disclosure: str = "",
) -> bytes:
    about = csv_about_rows(
        content=table.title, filters=filters, computed_at=computed_at, disclosure=disclosure
    )
    return csv_bytes([*about, *table_rows(table, report)])


def table_xlsx(
    table: Table,
    report: dict[str, Any],
    *,
    filters: ReportFilters,
    computed_at: datetime,
    disclosure: str = "",
) -> bytes:
    header, *rows = table_rows(table, report)
    workbook = workbook_new()
    sheet_about(
        workbook,
        title=ABOUT_TITLE,
        lines=about_lines(
            content=table.title,
            filters=filters,
            computed_at=computed_at,
            rows=len(rows),
            disclosure=disclosure,
        ),
    )
    sheet_table(workbook, title=table.sheet_name, header=header, rows=rows)
    return workbook_bytes(workbook)


def _participations(filters: ReportFilters, viewer: User | None) -> QuerySet[Enrollment]:
    """The participations a file lists: without the sensitive ones (a course for trafficking
    survivors) unless `viewer` may see them all (`accounts.access.sensitive`). A file leaves
    the registry, so a file is never a school's own view: only the permission counts."""
    rows = enrollments(filters)
    if viewer is not None and sees_every_sensitive(viewer):
        return rows
    return rows.exclude(cohort__course_id__in=sensitive_courses())


def sensitive_courses() -> QuerySet[Course, Any]:
    return Course.objects.filter(sensitive_course_q()).values("pk")


def participations_count(*, filters: ReportFilters, viewer: User | None = None) -> int:
    return _participations(filters, viewer).count()


def reserved_participations_count(*, filters: ReportFilters, viewer: User | None = None) -> int:
    """How many participations under `filters` a file for `viewer` leaves out."""
    if viewer is not None and sees_every_sensitive(viewer):
        return 0
    return enrollments(filters).filter(cohort__course_id__in=sensitive_courses()).count()


def reserved_note(reserved: int) -> str:
    """What a file says of the participations it left out; "" when none were. A small
    number is not given: with narrow filters it would say how many persons of a small group
    are survivors."""
    if not reserved:
        return ""
    amount = str(reserved) if reserved >= RESERVED_EXACT_FROM else f"menos de {RESERVED_EXACT_FROM}"
    return (
        f"{amount} participaciones en cursos reservados (datos sensibles, Ley 29733) no se "
        "incluyen en este archivo."
    )


def participation_rows(
    *, filters: ReportFilters, viewer: User | None = None
) -> Iterator[list[Any]]:
    """One row per participation of an active person, streamed from the DB (no header)."""
    words = known_words()
    sexes = sex_labels()
    rows = (
        _participations(filters, viewer)
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
        row["sex"] = sexes.get(row["sex"], row["sex"])
        row["component"] = labels.COMPONENT_LABELS.get(row["component"], row["component"])
        # Partners sometimes type a person's name or DNI into the institution's cell.
        row["institution_text"] = free_text_mask(row["institution_text"], words=words)
        for key in ("pre__percent", "post__percent"):
            row[key] = None if row[key] is None else float(row[key])
        yield [row[key] for key, _ in PARTICIPATION_COLUMNS]


def participations_header() -> list[str]:
    return [header for _, header in PARTICIPATION_COLUMNS]


def participations_csv(*, filters: ReportFilters, viewer: User | None = None) -> Iterator[str]:
    """CSV lines for a streaming response: a large export never sits in memory whole. A CSV
    has no first sheet: what it left out is said where it is delivered (the command's
    message)."""
    return csv_lines(_with_header(filters, viewer))


def _with_header(filters: ReportFilters, viewer: User | None) -> Iterator[list[Any]]:
    yield participations_header()
    yield from participation_rows(filters=filters, viewer=viewer)


def participations_xlsx(
    *, filters: ReportFilters, count: int | None = None, viewer: User | None = None
) -> bytes:
    count = participations_count(filters=filters, viewer=viewer) if count is None else count
    if count > XLSX_MAX_ROWS:
        raise ValueError(
            "Demasiadas participaciones para una hoja de Excel; descargue el CSV o filtre."
        )
    workbook = workbook_new()
    lines = about_lines(
        content="Participaciones por código de participante",
        filters=filters,
        computed_at=timezone.now(),
        rows=count,
    )
    note = reserved_note(reserved_participations_count(filters=filters, viewer=viewer))
    if note:
        # Beside the count of rows, before the filters: the rows are fewer than the figures.
        lines.insert(3, AboutLine("Participaciones reservadas", note))
    sheet_about(workbook, title=ABOUT_TITLE, lines=lines)
    sheet_table(
        workbook,
        title="Participaciones",
        header=participations_header(),
        rows=participation_rows(filters=filters, viewer=viewer),
    )
    return workbook_bytes(workbook)
