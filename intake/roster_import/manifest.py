"""The manifest of a back-fill: one line per roster file with its course and cohort."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from intake.roster_import.targets import TargetError, parse_start_date, region_named
from participants.models import Region
from spreadsheets.reading import decode_text

REQUIRED_COLUMNS = ("file", "course", "cohort")
OPTIONAL_COLUMNS = ("start_date", "region")


class ManifestError(ValueError):
    """A manifest that cannot be used; the message lists every problem with its row."""


@dataclass(frozen=True)
class ManifestEntry:
    row_number: int
    path: Path
    course: str
    cohort: str
    start_date: date | None
    region: Region | None


def read_manifest(path: Path) -> list[ManifestEntry]:
    """Every entry, or ManifestError naming each bad row before anything is imported."""
    text, _ = decode_text(path.read_bytes(), file_name=path.name)
    first_line = text.splitlines()[0] if text else ""
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    fields = {(name or "").strip().lower(): name for name in reader.fieldnames or []}
    missing = [column for column in REQUIRED_COLUMNS if column not in fields]
    if missing:
        raise ManifestError(f"{path.name}: faltan las columnas {', '.join(missing)}")
    entries: list[ManifestEntry] = []
    problems: list[str] = []
    regions: dict[str, Region | None] = {}
    for number, record in enumerate(reader, start=2):

        def cell(column: str, record: dict[str, str] = record) -> str:
            name = fields.get(column)
            return (record.get(name) or "").strip() if name else ""

        if not any(cell(column) for column in REQUIRED_COLUMNS):
            continue
        file_path = (path.parent / cell("file")).resolve()
        try:
            if not cell("file") or not file_path.is_file():
                raise TargetError(f"archivo '{cell('file')}' no encontrado")
            start = parse_start_date(cell("start_date"))
            region_name = cell("region")
            if region_name not in regions:
                regions[region_name] = region_named(region_name)
            if not cell("course") or not cell("cohort"):
                raise TargetError("faltan el curso o la cohorte")
        except TargetError as error:
            problems.append(f"{path.name}, fila {number}: {error}")
            continue
        entries.append(
            ManifestEntry(
                number, file_path, cell("course"), cell("cohort"), start, regions[region_name]
            )
        )
    if problems:
        raise ManifestError("; ".join(problems))
    if not entries:
        raise ManifestError(f"{path.name}: el manifiesto no lista ningún archivo")
    return entries
