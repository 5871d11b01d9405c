"""The project's logframe, read from `fixtures/reference/`: every outcome indicator and every
participant output indicator, as the field values of `courses.Indicator`.

The two CSV files are the final evaluation's annexes 5 and 6 as the project published them
(copied unchanged with their description, `logframe.md`). Beside them,
`indicator_names.json` holds each indicator's Spanish display name. Updating a measurement
is an edit of a CSV cell followed by `manage.py load_reference_data`.
"""

from __future__ import annotations

import csv
import json
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

OUTCOME_FILE = "outcome_indicators.csv"
OUTPUT_FILE = "participant_output_indicators.csv"
NAMES_FILE = "indicator_names.json"

OUTCOME_KINDS = ("knowledge_pre_post", "survey", "other")
OUTPUT_GROUPS = ("state_operators", "other_participants", "workshop_participants")
UNITS = ("%", "#")
OUTCOME_VALUES = (
    "baseline", "target", "mid_term",
    "measurement_1", "measurement_2", "measurement_3", "measurement_4", "achievement_pct",
)  # fmt: skip
# The participant output indicators whose participations are sensitive data (Ley 29733):
# taking part says the person is a trafficking survivor or at risk, and some are minors.
# Kept here, not in the CSV files: those are the evaluation's annexes as published. The
# loader marks these sensitive and never clears a mark made in the admin.
SENSITIVE_OUTPUTS = {
    "2.4.3.7": "child TIP survivors and at-risk groups (14 years old and up)",
}
# The reported figure's column names the month it was reported: participants_reported_2024_07.
REPORTED_COLUMN = re.compile(r"participants_reported_(\d{4})_(\d{2})")


class LogframeError(ValueError):
    """A logframe file that cannot be loaded; the message names the file, row and value."""


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


def _number(value: str, where: str) -> Decimal | None:
    if not value:
        return None
    try:
        return Decimal(value)
    except InvalidOperation:
        raise LogframeError(f"{where}: '{value}' no es un número.") from None


def _choice(value: str, allowed: tuple[str, ...], where: str) -> str:
    if value not in allowed:
        raise LogframeError(f"{where}: '{value}' no es uno de {', '.join(allowed)}.")
    return value


def _outcome(row: dict[str, str], where: str) -> dict[str, Any]:
    return {
        "kind": _choice(row["kind"], OUTCOME_KINDS, f"{where}, kind"),
        "unit": _choice(row["unit"], UNITS, f"{where}, unit"),
        "reference_period": row["reference_period"],
        **{name: _number(row[name], f"{where}, {name}") for name in OUTCOME_VALUES},
    }


def _reported_column(path: Path, header: list[str]) -> tuple[str, str]:
    """The reported figure's column and its month as YYYY-MM."""
    found = [(name, m) for name in header if (m := REPORTED_COLUMN.fullmatch(name))]
    if len(found) != 1:
        raise LogframeError(
            f"{path.name}: se esperaba una columna participants_reported_AAAA_MM, hay {len(found)}."
        )
    name, match = found[0]
    return name, f"{match.group(1)}-{match.group(2)}"


def _output(row: dict[str, str], where: str, column: str, month: str) -> dict[str, Any]:
    reported = _number(row[column], f"{where}, {column}")
    if reported is not None and (reported != reported.to_integral_value() or reported < 0):
        raise LogframeError(f"{where}, {column}: '{row[column]}' no es un número de personas.")
    return {
        "kind": "participants",
        "unit": "#",
        "participant_group": _choice(row["group"], OUTPUT_GROUPS, f"{where}, group"),
        "reported_participations": None if reported is None else int(reported),
        "reported_period": month if reported is not None else "",
    }


def logframe_indicators(directory: Path) -> list[dict[str, Any]]:
    """Every indicator of the logframe files in `directory`: its level and code, the
    values of its other fields (those a file leaves out are cleared), and whether its
    participations are sensitive (`SENSITIVE_OUTPUTS`)."""
    names = json.loads((directory / NAMES_FILE).read_text(encoding="utf-8"))
    outputs_path = directory / OUTPUT_FILE
    with outputs_path.open(encoding="utf-8", newline="") as handle:
        column, month = _reported_column(outputs_path, next(csv.reader(handle)))
    blank: dict[str, Any] = {
        **dict.fromkeys(OUTCOME_VALUES),
        "participant_group": "",
        "reference_period": "",
        "reported_participations": None,
        "reported_period": "",
    }
    entries: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for level, path in (("outcome", directory / OUTCOME_FILE), ("output", outputs_path)):
        for number, row in enumerate(_rows(path), start=2):
            where = f"{path.name}, fila {number}"
            code = row["code"]
            if (level, code) in seen:
                raise LogframeError(f"{where}: el código {code} está repetido.")
            seen.add((level, code))
            name = names.get(level, {}).get(code)
            if not name:
                raise LogframeError(
                    f"{where}: el indicador {code} no tiene nombre en español en {NAMES_FILE}."
                )
            values = (
                _outcome(row, where) if level == "outcome" else _output(row, where, column, month)
            )
            entries.append(
                {
                    "level": level,
                    "code": code,
                    "fields": {**blank, "name": name, "text": row["indicator"], **values},
                    # Apart from the fields: indicators older than the flag are loaded by
                    # migrations that run before it exists.
                    "sensitive": level == "output" and code in SENSITIVE_OUTPUTS,
                }
            )
    return entries
