"""Export one CSV row per committed roster row, with person codes only (no names or DNI)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit.models import AuditAction
from audit.services import audit_record
from intake.roster_import.participations import PARTICIPATION_COLUMNS, participation_rows
from spreadsheets import CsvWriter


class Command(BaseCommand):
    help = "Escribe las participaciones (una por fila de lista importada) en CSV para Excel."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", type=Path, help="archivo CSV a escribir (por defecto, la salida estándar)"
        )

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
        writer = CsvWriter(handle, lineterminator="\r\n")
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
