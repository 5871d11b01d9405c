"""Export one CSV row per committed roster row, with person codes only (no names or DNI)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit.models import AuditAction
from audit.services import audit_record
from courses.exports import FormulaEscapingWriter
from courses.roster_import.participations import PARTICIPATION_COLUMNS, participation_rows


class Command(BaseCommand):
    help = "Write the participations (one per imported roster row) as CSV for Excel."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, help="CSV file to write (default: stdout).")

    def handle(self, *args: Any, **options: Any) -> None:
        output = Path(options["output"]) if options["output"] else None
        if output is None:
            # The CSV writer ends its own lines; the wrapper must not add one after the BOM.
            self.stdout.ending = ""
            self._write(self.stdout)
            return
        try:
            with output.open("w", encoding="utf-8", newline="") as handle:
                count = self._write(handle)
        except OSError as error:
            raise CommandError(f"{output}: no se puede escribir ({error.strerror})") from error
        self.stderr.write(f"{count} filas escritas en {output}")

    def _write(self, handle: Any) -> int:
        writer = FormulaEscapingWriter(handle, lineterminator="\r\n")
        writer.writerow(PARTICIPATION_COLUMNS)
        count = 0
        for row in participation_rows():
            writer.writerow(row)
            count += 1
        audit_record(
            actor=None,
            actor_username="manage.py",
            action=AuditAction.EXPORT,
            details={"export": "participations", "format": "csv", "rows": count},
        )
        return count
