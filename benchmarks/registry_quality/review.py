"""Answering the review queue from the labels, as a reviewer who always knows the truth.

`review_export` writes the open pairs (id_par, codigo_persona_a, codigo_persona_b, ... and an
empty `decisión`); each pair is answered `same` when the two persons' exported rows belong
to the same true person (the majority of each person's rows) and `different` otherwise; a
pair of one person showing two different DNIs is answered `misma (DNI distinto)`, the sheet's
explicit confirmation, as a reviewer who knows the truth would write it.
A person code the export does not show (a person without committed rows) stays unanswered.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Hashable
from dataclasses import dataclass
from pathlib import Path

SAME, DIFFERENT = "same", "different"
# The sheet's headers this reviewer reads (review.spreadsheet.files.HEADERS; a test keeps
# them equal). Written out, not imported: this runs outside Django, as a reviewer would.
SHEET_COLUMNS = {
    "codigo_persona_a": "person_a_code",
    "codigo_persona_b": "person_b_code",
    "documento_persona_a": "person_a_dni",
    "documento_persona_b": "person_b_dni",
    "decision": "decision",
}


def column_for(header: str) -> str | None:
    """The column a header names, in Spanish as the sheet writes it (accents ignored)."""
    folded = unicodedata.normalize("NFKD", header.lstrip("\ufeff").strip().casefold())
    return SHEET_COLUMNS.get("".join(c for c in folded if not unicodedata.combining(c)))


SAME_DESPITE_DNIS = "misma (DNI distinto)"


@dataclass(frozen=True)
class Answers:
    pairs: int
    same: int
    different: int
    unanswered: int


def _read(path: Path) -> tuple[str, bool, list[list[str]]]:
    data = path.read_bytes()
    bom = data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return delimiter, bom, list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _code(value: str) -> str:
    # The export escapes cells that a spreadsheet would run as formulas with a quote.
    return value.strip().lstrip("'").upper()


def answer_queue(pairs_file: Path, answered_file: Path, truth: dict[str, Hashable]) -> Answers:
    """Fill the `decision` column of a `review_export` CSV into `answered_file`."""
    delimiter, bom, grid = _read(pairs_file)
    if not grid:
        return Answers(0, 0, 0, 0)
    # The sheet's headers are Spanish ("codigo_persona_a"); the column names are the code's.
    header = [column_for(cell) or cell.strip().lower() for cell in grid[0]]
    try:
        a_col, b_col = header.index("person_a_code"), header.index("person_b_code")
        decision_col = header.index("decision")
    except ValueError as error:
        raise ValueError(f"{pairs_file.name}: unexpected columns {header}") from error
    # The DNI columns show the reviewer two documents; a trimmed sheet may lack them.
    dni_cols = [header.index(name) for name in ("person_a_dni", "person_b_dni") if name in header]
    same = different = unanswered = 0
    rows = [row for row in grid[1:] if any(cell.strip() for cell in row)]
    for row in rows:
        row.extend([""] * (len(header) - len(row)))
        a, b = truth.get(_code(row[a_col])), truth.get(_code(row[b_col]))
        if a is None or b is None:
            unanswered += 1
            continue
        dnis = {row[col].strip().lstrip("'") for col in dni_cols} - {""}
        row[decision_col] = DIFFERENT if a != b else SAME_DESPITE_DNIS if len(dnis) == 2 else SAME
        same += a == b
        different += a != b
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(grid[0])
    writer.writerows(rows)
    answered_file.write_text(("\ufeff" if bom else "") + buffer.getvalue(), encoding="utf-8")
    return Answers(len(rows), same, different, unanswered)


def pair_ids(pairs_file: Path) -> set[str]:
    """The pair ids of a `review_export` CSV (its first column)."""
    _, _, grid = _read(pairs_file)
    return {row[0].strip() for row in grid[1:] if row and any(cell.strip() for cell in row)}
