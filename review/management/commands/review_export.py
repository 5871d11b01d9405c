"""Write the review queue's open pairs to a spreadsheet (CSV or XLSX) for offline review."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from review.spreadsheet import SheetError, review_export


class Command(BaseCommand):
    help = (
        "Escribe los pares pendientes de la cola de revisión en una planilla (.csv o .xlsx) "
        "con una columna «decision» vacía para completar y cargar con review_import."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", required=True, type=Path, help="archivo a escribir: pares.csv o pares.xlsx"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        output = Path(options["output"])
        try:
            count = review_export(path=output)
        except SheetError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{count} pares pendientes escritos en {output}")
