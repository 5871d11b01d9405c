"""A roster file read through the hardened spreadsheet reader, with the roster's header rule."""

from __future__ import annotations

from intake.roster_import.headers import header_score
from spreadsheets.reading import HeaderRule, Table
from spreadsheets.reading import read_table as read_spreadsheet

ROSTER_HEADER = HeaderRule(
    score=header_score, expected="se esperan columnas como Nombres, Apellidos, DNI, Sexo"
)


def read_table(data: bytes, *, file_name: str) -> Table:
    """The roster's header (found under title rows) and its non-blank rows."""
    return read_spreadsheet(data, file_name=file_name, header=ROSTER_HEADER)
