"""What the import reads from each layout: its staged values against what the rows wrote.

The rosters are read and staged by the import's own code (`read_table`, `stage_rows`), in
this process and without a database, as `engine` does. For each layout: the person rows,
those rejected, and for each field the share of the rows that wrote it whose value the
import read: the names as the row meant them (given names, paternal and maternal surname
each in its place), the person's own DNI (and how many rows gave a DNI that is not theirs),
the e-mail address, institution, role, region and the two scores. A column the import does
not recognise reads as 0 %: its cells stay in the row's raw record only.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .generator import PERSON, Dataset
from .report import table

FIELDS = ("names", "dni", "email", "institution", "role", "region", "pre", "post")
# Layout field -> the staged field it is read into.
_STAGED = {
    "email": "email",
    "institution": "institution",
    "role": "role",
    "region": "region",
    "department": "region",
    "pre": "pre_score",
    "post": "post_score",
}
_EMPTY = ("", "-", None)


@dataclass
class LayoutReading:
    layout: str
    rosters: int = 0
    rows: int = 0
    rejected: int = 0
    written: Counter[str] = field(default_factory=Counter)  # rows that wrote each field
    read: Counter[str] = field(default_factory=Counter)  # ... whose value the import read
    wrong_dni: int = 0  # rows read with a DNI that is not the person's

    def share(self, name: str) -> str:
        if not self.written[name]:
            return "-"
        return f"{100 * self.read[name] / self.written[name]:.0f} %"

    def summary(self) -> dict[str, Any]:
        return {
            "rosters": self.rosters,
            "person_rows": self.rows,
            "rejected": self.rejected,
            "written": dict(self.written),
            "read": dict(self.read),
            "wrong_dni": self.wrong_dni,
        }


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _names_as_meant(staged: Any, spelled: tuple[str, str, str], fold: Any) -> bool:
    got = (staged.given_names, staged.paternal_surname, staged.maternal_surname)
    return all(fold(a) == fold(b) for a, b in zip(got, spelled, strict=True))


def read_layouts(dataset: Dataset, folder: Path) -> list[LayoutReading]:
    """Stage every roster with the import's code and compare (Django must be set up)."""
    from intake.roster_import.reading import read_table
    from intake.roster_import.staging import stage_rows
    from participants.names import fold
    from spreadsheets.reading import RosterFileError

    persons = {person.pid: person for person in dataset.persons}
    readings: dict[str, LayoutReading] = {}
    for roster in dataset.rosters:
        reading = readings.setdefault(roster.layout.key, LayoutReading(roster.layout.key))
        reading.rosters += 1
        try:
            table_read = read_table(
                (folder / roster.file_name).read_bytes(), file_name=roster.file_name
            )
            staged = {row.row_number: row for row in stage_rows(table_read)}
        except RosterFileError:
            staged = {}  # the whole file refused: every row counts as rejected
        for row in roster.rows:
            if row.kind != PERSON or row.person_id is None:
                continue
            reading.rows += 1
            got = staged.get(row.number)
            if got is None or got.rejected:
                reading.rejected += 1
                continue
            cells = dict(zip(roster.fields, row.cells, strict=True))
            person = persons[row.person_id]
            reading.written["names"] += 1
            reading.read["names"] += _names_as_meant(got, row.spelled, fold)
            if _text(cells.get("dni")) not in _EMPTY:
                reading.written["dni"] += 1
                reading.read["dni"] += person.document_type == "dni" and got.dni == person.dni
                reading.wrong_dni += bool(got.dni) and got.dni != person.dni
            for name, attribute in _STAGED.items():
                if name in cells and _text(cells[name]) not in _EMPTY:
                    shown = "region" if name == "department" else name
                    reading.written[shown] += 1
                    reading.read[shown] += getattr(got, attribute) not in _EMPTY
    return list(readings.values())


def reading_table(readings: list[LayoutReading]) -> str:
    header = ["layout", "rosters", "rows", "rejected", *FIELDS, "wrong DNI"]
    rows = [
        [
            r.layout,
            str(r.rosters),
            f"{r.rows:,}",
            str(r.rejected),
            *(r.share(name) for name in FIELDS),
            str(r.wrong_dni),
        ]
        for r in readings
    ]
    return table(header, rows)
