"""Table rows -> staged rows: typed values, problems and the raw cells kept verbatim."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from intake.roster_import.columns import ColumnPlan, column_plan
from intake.roster_import.values import (
    cell_text,
    parse_age,
    parse_birth_date,
    parse_consent_date,
    parse_contact_consent,
    parse_document,
    parse_email,
    parse_phone,
    parse_relationship,
    parse_score_stated,
    parse_sex,
    parse_yes_no,
)
from participants.identity.records import IdentityValues
from participants.name_order import split_given_first, swapped_name_cells
from participants.names import (
    clean_text,
    is_placeholder_name,
    split_full_name,
    split_surnames,
)
from spreadsheets.reading import Table, column_letter

# Lengths of the Person and Enrollment fields the values go to.
_MAX_LENGTHS = {
    "given_names": 120,
    "paternal_surname": 80,
    "maternal_surname": 80,
    "institution": 200,
    "role": 200,
    "region": 100,
}


@dataclass(frozen=True)
class Problem:
    column: str  # the header as written in the file
    problem: str

    def as_dict(self) -> dict[str, str]:
        return {"column": self.column, "problem": self.problem}


@dataclass
class StagedRow:
    position: int  # 0-based among the staged rows
    row_number: int  # as a spreadsheet program shows it
    raw: dict[str, str]  # {header: cell as text}, exactly as received
    row_hash: str
    given_names: str = ""
    paternal_surname: str = ""
    maternal_surname: str = ""
    document_type: str = "dni"
    dni: str = ""
    sex: str = "U"
    birth_date: date | None = None
    email: str = ""
    phone: str = ""
    institution: str = ""
    role: str = ""
    region: str = ""
    pre_score: Decimal | None = None
    post_score: Decimal | None = None
    # The maximum a cell states beside its score ("14 / 20"), read by `scales`.
    pre_scale_stated: Decimal | None = None
    post_scale_stated: Decimal | None = None
    # The row's answer to follow-up contact: None when the file states none (no column, a
    # blank cell, or a value that could not be read and is flagged instead).
    contact_consent: bool | None = None
    # What the row says of a minor (courses.minors, intake.roster_import.minors): an age or
    # a minority stated without a birth date, and the guardian's consent a child under 14
    # needs. Planning decides, against the cohort's start date, whether the row is held.
    age_stated: int | None = None
    minor_stated: bool | None = None
    guardian_name: str = ""
    guardian_relationship: str = ""
    guardian_document: str = ""
    guardian_consent: bool | None = None
    guardian_consent_date: date | None = None
    minor_label: str = ""  # "menor de edad", "menor de 14 años" or "" (courses.minors)
    # Held for want of a guardian's consent: nothing of the row is written, not even its
    # cells (a child's data without a lawful basis); the batch keeps only its number and why.
    held_minor: bool = False
    # The row states a guardian's consent that committing records (not for an adult).
    guardian_consent_kept: bool = False
    problems: list[Problem] = field(default_factory=list)
    rejected: str = ""  # why the row cannot be imported; "" for an importable row

    def identity_values(self) -> IdentityValues:
        """What the row says of the person, as every identity record and match reads it."""
        return IdentityValues(
            given_names=self.given_names,
            paternal_surname=self.paternal_surname,
            maternal_surname=self.maternal_surname,
            document_type=self.document_type,
            document_number=self.dni,  # any document's number, despite the column's name
            sex=self.sex,
            birth_date=self.birth_date,
            email=self.email,
            phone=self.phone,
            institution=self.institution,
            role=self.role,
            region=self.region,
        )

    def flag(self, column: str, problem: str) -> None:
        if problem:
            self.problems.append(Problem(column, problem))


def row_hash(raw: dict[str, str]) -> str:
    """SHA-256 of the raw cells: the same row in a re-saved copy of a file hashes the same."""
    payload = json.dumps(raw, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class _Cells:
    """The cells of one row, read through the header mapping."""

    def __init__(self, table: Table, mapping: dict[str, list[int]], cells: list[Any]) -> None:
        self.table = table
        self.mapping = mapping
        self.cells = cells

    def column(self, name: str) -> str:
        """The header of the first column mapped to `name`, for problem messages."""
        positions = self.mapping.get(name)
        if not positions:
            return name
        position = positions[0]
        return f"{self.table.headers[position]} ({column_letter(position)})"

    def value(self, name: str) -> Any:
        """The first non-empty cell among the columns mapped to `name`."""
        for position in self.mapping.get(name, ()):
            value = self.cells[position]
            if cell_text(value) != "":
                return value
        return None

    def text(self, name: str) -> str:
        # Visible text only: no controls, terminal escapes, direction overrides.
        return clean_text(cell_text(self.value(name)))


CANONICAL_FIELDS = (
    "given_names",
    "paternal_surname",
    "maternal_surname",
    "surnames",
    "full_name",
    "full_name_given_first",
    "dni",
    "document_type",
    "sex",
    "institution",
    "role",
    "region",
    "email",
    "phone",
    "birth_date",
    "pre_score",
    "post_score",
    "contact_consent",
    "age_stated",
    "minor_stated",
    "guardian_name",
    "guardian_relationship",
    "guardian_document",
    "guardian_consent",
    "guardian_consent_date",
)


def column_labels(table: Table, *, columns: ColumnPlan | None = None) -> dict[str, str]:
    """Canonical field -> "Header (letter)" of its first column, for problem messages."""
    mapping = (columns or column_plan(table)).mapping
    return {name: _Cells(table, mapping, []).column(name) for name in CANONICAL_FIELDS}


def stage_rows(
    table: Table,
    *,
    columns: ColumnPlan | None = None,
    profile: Mapping[str, str] | None = None,
) -> list[StagedRow]:
    """The table's rows, read through `columns` (by default planned from the headers and the
    column `profile` of the cohort's school or provider)."""
    mapping = (columns or column_plan(table, profile=profile)).mapping
    staged: list[StagedRow] = []
    mapped = {position for positions in mapping.values() for position in positions}
    for number, cells in table.rows:
        if _is_numbering_only(cells, mapped):
            continue
        position = len(staged)
        raw = {header: cell_text(cell) for header, cell in zip(table.headers, cells, strict=True)}
        row = StagedRow(position=position, row_number=number, raw=raw, row_hash=row_hash(raw))
        _stage_one(row, _Cells(table, mapping, cells))
        staged.append(row)
    return staged


def _is_numbering_only(cells: list[Any], mapped: set[int]) -> bool:
    """A template row with only its sequence number ("12") filled in: no one to import."""
    if any(cell_text(cells[position]) for position in mapped):
        return False
    unmapped = [cell_text(cell) for cell in cells if cell_text(cell)]
    return all(text.rstrip(".").isdigit() for text in unmapped)


def _stage_one(row: StagedRow, cells: _Cells) -> None:
    _stage_names(row, cells)
    row.document_type, row.dni, problem = parse_document(
        cells.value("dni"), cells.value("document_type")
    )
    row.flag(cells.column("dni"), problem)
    row.sex, problem = parse_sex(cells.value("sex"))
    row.flag(cells.column("sex"), problem)
    row.birth_date, problem = parse_birth_date(cells.value("birth_date"))
    row.flag(cells.column("birth_date"), problem)
    row.email, problem = parse_email(cells.value("email"))
    row.flag(cells.column("email"), problem)
    row.phone, problem = parse_phone(cells.value("phone"))
    row.flag(cells.column("phone"), problem)
    for name in ("institution", "role", "region"):
        setattr(row, name, cells.text(name))
    row.pre_score, row.pre_scale_stated, problem = parse_score_stated(cells.value("pre_score"))
    row.flag(cells.column("pre_score"), problem)
    row.post_score, row.post_scale_stated, problem = parse_score_stated(cells.value("post_score"))
    row.flag(cells.column("post_score"), problem)
    row.contact_consent, problem = parse_contact_consent(cells.value("contact_consent"))
    row.flag(cells.column("contact_consent"), problem)
    _stage_minor(row, cells)
    for name, limit in _MAX_LENGTHS.items():
        if len(getattr(row, name)) > limit and not row.rejected:
            row.rejected = f"columna {cells.column(name)}: más de {limit} caracteres"


def _stage_minor(row: StagedRow, cells: _Cells) -> None:
    row.age_stated, problem = parse_age(cells.value("age_stated"))
    row.flag(cells.column("age_stated"), problem)
    row.minor_stated, problem = parse_yes_no(cells.value("minor_stated"), what="menor de edad")
    row.flag(cells.column("minor_stated"), problem)
    row.guardian_name = cells.text("guardian_name")[:200]
    row.guardian_relationship, problem = parse_relationship(cells.value("guardian_relationship"))
    row.flag(cells.column("guardian_relationship"), problem)
    row.guardian_document = cells.text("guardian_document")[:20]
    row.guardian_consent, problem = parse_yes_no(
        cells.value("guardian_consent"), what="consentimiento del apoderado"
    )
    row.flag(cells.column("guardian_consent"), problem)
    row.guardian_consent_date, problem = parse_consent_date(cells.value("guardian_consent_date"))
    row.flag(cells.column("guardian_consent_date"), problem)


# Name cells, in the order `_stage_names` reads them (the first of the canonical fields);
# the surname ones identify a person.
_NAME_FIELDS = CANONICAL_FIELDS[: CANONICAL_FIELDS.index("dni")]
_SURNAME_FIELDS = ("paternal_surname", "surnames")


def _stage_names(row: StagedRow, cells: _Cells) -> None:
    # A filler ("###", "--", "S/N") is no name: read as empty before the rules below, or it
    # would become a surname and the row a person (even a nameless one, if it has a DNI).
    texts = {name: cells.text(name) for name in _NAME_FIELDS}
    fillers = {name: text for name, text in texts.items() if is_placeholder_name(text)}
    given, paternal, maternal, surnames, full, full_given_first = (
        "" if name in fillers else texts[name] for name in _NAME_FIELDS
    )
    if surnames and not (paternal or maternal):
        if given and swapped_name_cells(given, surnames):
            # "Nombre: Ccallo Qunhuonccori / Apellido(s): Alex Rafael": the cells swapped.
            given, surnames = surnames, given
        paternal, maternal = split_surnames(surnames)
    elif given and paternal and swapped_name_cells(given, f"{paternal} {maternal}"):
        given, (paternal, maternal) = f"{paternal} {maternal}".strip(), split_surnames(given)
    if full and not (paternal or maternal or given):
        parts = split_full_name(full)
        given, paternal, maternal = (
            parts.given_names,
            parts.paternal_surname,
            parts.maternal_surname,
        )
    if full_given_first and not (paternal or maternal or given):
        given, paternal, maternal = split_given_first(full_given_first)
    if not paternal and maternal:
        # Only the maternal surname was written: it is the one surname we have.
        paternal, maternal = maternal, ""
    row.given_names, row.paternal_surname, row.maternal_surname = given, paternal, maternal
    surname_filler = next((name for name in _SURNAME_FIELDS if name in fillers), "")
    if surname_filler:
        # Filled in, yet naming no one: the row is a mistake, not a person with one surname.
        row.rejected = (
            f"columna {cells.column(surname_filler)}: '{fillers[surname_filler]}' no es un "
            "apellido: la fila no identifica a una persona"
        )
    elif not (given or paternal):
        row.rejected = "fila sin nombre ni apellidos: no identifica a una persona"
    elif not paternal:
        names_column = cells.column("given_names")
        row.rejected = (
            f"columna {names_column}: '{given}' sin apellidos no identifica a una persona"
        )
    for name, text in fillers.items():
        if name not in _SURNAME_FIELDS:
            kind = "un apellido" if name == "maternal_surname" else "un nombre"
            row.flag(cells.column(name), f"'{text}' no es {kind}: se deja vacío")
