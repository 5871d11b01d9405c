"""Write the participations by participant code, as the dashboard's download does.

One export, whether it is downloaded from the dashboard or written by this command: the
same rows (one per enrollment of an active person, sensitive participations left out), the
same columns, the same masking of free text and the same filters; only the audit event's
author differs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from registry.reports.download_audit import command_download_record
from registry.reports.exports import (
    participations_count,
    participations_csv,
    participations_xlsx,
    reserved_note,
    reserved_participations_count,
)
from registry.reports.filters import ReportFilters, add_filter_arguments, filters_from_options

FORMATS = {".csv": "csv", ".xlsx": "xlsx"}


class Command(BaseCommand):
    help = (
        "Escribe las participaciones por código de participante (sin nombres, documentos ni "
        "contactos) en CSV o XLSX, con los mismos filtros que el panel."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            metavar="ARCHIVO",
            help="archivo .csv o .xlsx a escribir (por defecto, CSV en la salida estándar)",
        )
        add_filter_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        filters = filters_from_options(options)
        # A string when given to call_command by name, a Path from the command line.
        output = Path(options["output"]) if options["output"] else None
        file_format = "csv" if output is None else FORMATS.get(output.suffix.lower())
        if file_format is None:
            raise CommandError(f"{output}: el archivo debe terminar en .csv o .xlsx.")
        count = participations_count(filters=filters)
        if output is None:
            # The CSV writer ends its own lines; the wrapper must not add one after the BOM.
            self.stdout.ending = ""
            for line in participations_csv(filters=filters):
                self.stdout.write(line)
        else:
            self._write(output, file_format, filters, count)
            self.stderr.write(f"{count} participaciones escritas en {output}")
        # The command acts for no user, so its file is one for a reader without the
        # permission to see sensitive participations (accounts.access.sensitive).
        note = reserved_note(reserved_participations_count(filters=filters))
        if note:
            self.stderr.write(note)
        command_download_record(
            export="participations",
            file_format=file_format,
            filters=filters,
            rows=count,
        )

    def _write(self, output: Path, file_format: str, filters: ReportFilters, count: int) -> None:
        try:
            if file_format == "xlsx":
                try:
                    body = participations_xlsx(filters=filters, count=count)
                except ValueError as error:  # more rows than a sheet holds
                    raise CommandError(f"{output}: {error}") from error
                output.write_bytes(body)
                return
            with output.open("w", encoding="utf-8", newline="") as handle:
                for line in participations_csv(filters=filters):
                    handle.write(line)
        except OSError as error:
            raise CommandError(f"{output}: no se puede escribir ({error.strerror})") from error
