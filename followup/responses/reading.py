"""A survey tool's export read through the hardened spreadsheet reader, and its columns
mapped to the wave: the token or participant code, the date, the questions and the post the
person reports now.

The tools name their columns differently:
- ODK Central (submissions CSV): `SubmissionDate`, fields by their group path joined with
  "-" (`grp-q1`), `meta-instanceID`, `KEY`, `SubmitterID`, `ReviewState`...;
- LimeSurvey (responses export, question codes as headings): `id`, `token`, `submitdate`,
  `lastpage`, `startlanguage`, then the question codes;
- KoboToolbox (XLS or CSV export, XML names): group paths joined with "/" (`grp/q1`),
  `_id`, `_uuid`, `_submission_time`, `_validation_status`, `_index`.
A question matches a column named with its code, or a path whose last part is the code.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from spreadsheets.reading import HeaderRule, RosterFileError, Table, read_table


class ResponseFileError(RosterFileError):
    """A file that cannot be read as this wave's responses; the message says why."""


_PATH_SEPARATORS = re.compile(r"[-/.:]")

# Normalised column names (see `header_key`) of what is not a question.
KEY_COLUMNS = {
    "token": ("token", "tokenid", "token_id", "clave", "codigo_encuesta"),
    "participant": (
        "participant_code",
        "codigo_participante",
        "codigo_de_participante",
        "codigo",
        "code",
    ),
}
DATE_COLUMNS = (
    "responded_on",
    "fecha_respuesta",
    "fecha_de_respuesta",
    "submitdate",  # LimeSurvey
    "submissiondate",  # ODK Central
    "_submission_time",  # KoboToolbox
    "end",  # ODK and Kobo forms' own end-of-interview metadata
    "today",
)
POST_COLUMNS = {
    "institution": (
        "institucion_actual",
        "current_institution",
        "institution_now",
        "institucion",
        "institution",
    ),
    "role": ("cargo_actual", "current_role", "role_now", "cargo", "role"),
    "region": ("region_actual", "current_region", "region_now", "region"),
}
POST_LABELS = {"institution": "institución", "role": "cargo", "region": "región"}
TOOL_MARKERS = {
    "ODK Central": ("submissiondate", "meta-instanceid", "key", "reviewstate", "submitterid"),
    "LimeSurvey": ("submitdate", "lastpage", "startlanguage"),
    "KoboToolbox": ("_submission_time", "_uuid", "_validation_status", "_index"),
}


def header_key(text: Any) -> str:
    """Lower case, no accents, spaces as underscores: "Institución actual" ->
    "institucion_actual"."""
    value = unicodedata.normalize("NFKD", str(text or "").strip())
    value = "".join(c for c in value if not unicodedata.combining(c)).lower()
    return re.sub(r"\s+", "_", value)


def _last_part(key: str) -> str:
    return _PATH_SEPARATORS.split(key)[-1] if key else key


def _matches(key: str, names: Iterable[str]) -> bool:
    names = tuple(names)
    return key in names or _last_part(key) in names


@dataclass
class ColumnMap:
    """Which column (0-based position and header as written) holds what."""

    headers: list[str]
    key: list[int] = field(default_factory=list)  # token and participant code columns
    date: int | None = None
    questions: dict[str, int] = field(default_factory=dict)  # question code -> position
    post: dict[str, int] = field(default_factory=dict)  # "institution"/"role"/"region"
    tool: str = ""

    def header(self, position: int) -> str:
        return self.headers[position]

    @property
    def unread(self) -> list[str]:
        used = set(self.key) | set(self.questions.values()) | set(self.post.values())
        if self.date is not None:
            used.add(self.date)
        return [h for i, h in enumerate(self.headers) if i not in used and h]


def columns_map(headers: list[str], codes: Iterable[str]) -> ColumnMap:
    keys = [header_key(h) for h in headers]
    wanted = {header_key(code): code for code in codes}
    columns = ColumnMap(headers=list(headers))
    for position, key in enumerate(keys):
        if not key:
            continue
        if _matches(key, KEY_COLUMNS["token"]) or _matches(key, KEY_COLUMNS["participant"]):
            columns.key.append(position)
            continue
        code = wanted.get(key) or wanted.get(_last_part(key))
        if code is not None and code not in columns.questions:
            columns.questions[code] = position
            continue
        post = next((name for name, aliases in POST_COLUMNS.items() if _matches(key, aliases)), "")
        if post and post not in columns.post:
            columns.post[post] = position
    # The first date column in the order of preference: a form's own answer date wins over
    # the server's receipt of the submission.
    for name in DATE_COLUMNS:
        found = next((i for i, key in enumerate(keys) if key == name), None)
        if found is not None:
            columns.date = found
            break
    present = set(keys)
    columns.tool = next(
        (tool for tool, markers in TOOL_MARKERS.items() if present & set(markers)), ""
    )
    return columns


def _header_rule(codes: list[str]) -> HeaderRule:
    def score(cells: list[Any]) -> int:
        mapped = columns_map([str(c or "") for c in cells], codes)
        return len(mapped.key) + len(mapped.questions) + (mapped.date is not None)

    return HeaderRule(
        score=score,
        expected="se esperan la columna del token (o del código de participante) y las de "
        "las preguntas de la ola",
    )


def response_table(data: bytes, *, file_name: str, codes: list[str]) -> tuple[Table, ColumnMap]:
    """The file's table through the hardened reader, and its columns mapped to the wave."""
    table = read_table(data, file_name=file_name, header=_header_rule(codes))
    columns = columns_map(table.headers, codes)
    if not columns.key:
        raise ResponseFileError(
            f"{file_name}: no hay una columna «token» ni «código de participante»; sin ella "
            "no se sabe de quién es cada respuesta."
        )
    if not columns.questions:
        raise ResponseFileError(
            f"{file_name}: ninguna columna corresponde a las preguntas de la ola "
            f"({', '.join(codes)})."
        )
    return table, columns
