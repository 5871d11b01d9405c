"""What an old roster row's identity record says, read as today's import reads the row.

The stored raw cells (`SourceRecord.raw`, kept verbatim) go through the import's own staging
(`intake.roster_import.staging.stage_rows`), the batch's header mapping rebuilt from the
headers the cells are keyed by, and are normalised as the import does
(`participants.services.person_build_from`). A row that today's reading refuses (no surname, a
filler in the surname column ...) gets no record, only the reason; so does a row of a
cancelled person, whose cells were redacted and must not describe anyone again.

With PostgreSQL the raw cells are stored as jsonb, which does not keep the order of the
columns: the mapping is rebuilt from the headers in the order stored. That order only
matters when two columns of one file carry the same field and both are filled (the first
filled one is read).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any, TypedDict

from django.core.exceptions import ValidationError

from intake.roster_import.staging import StagedRow, stage_rows
from participants.identity.records import IdentityValues
from participants.services import person_build_from, validation_problems
from spreadsheets.reading import Table

CANCELLED = "la persona pidió la cancelación de sus datos: la fila no vuelve a describirla"
NUMBERING_ONLY = "la fila solo tiene su número de orden: no describe a nadie"
NO_HEADERS = "las celdas guardadas no tienen encabezados: no se pueden leer"


class StoredRow(TypedDict):
    """The values of a roster row the back-fill reads (`SourceRecord`, linked to a person)."""

    pk: int
    row_number: int
    raw: Any  # the cells as received: a dict of header -> cell, unless stored otherwise
    person_id: int
    created_at: datetime


def rows_staged(rows: list[StoredRow]) -> dict[int, StagedRow]:
    """The batch's rows read as the import reads them: row number -> staged row."""
    headers: dict[str, None] = {}
    for row in rows:
        if isinstance(row["raw"], dict):
            headers.update(dict.fromkeys(row["raw"]))
    table = Table(
        file_format="",
        header_row=0,
        headers=list(headers),
        rows=[
            (row["row_number"], [row["raw"].get(header, "") for header in headers])
            for row in rows
            if isinstance(row["raw"], dict) and row["raw"]
        ],
    )
    return {staged.row_number: staged for staged in stage_rows(table)}


def values_of(
    row: StoredRow, staged: dict[int, StagedRow], active: dict[int, int], owner: int
) -> str | IdentityValues:
    """The values the row's record takes, or why it gets none."""
    if owner not in active:
        return CANCELLED
    if not isinstance(row["raw"], dict) or not row["raw"]:
        return NO_HEADERS
    read = staged.get(row["row_number"])
    if read is None:
        return NUMBERING_ONLY
    if read.rejected:
        return read.rejected
    try:
        person = person_build_from(read.identity_values())
    except ValidationError as error:
        return validation_problems(error)
    values = IdentityValues.of_person(person)
    return replace(values, institution=read.institution, role=read.role, region=read.region)
