"""Apply the decisions filled in a review_export spreadsheet through the review services."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from review.spreadsheet import (
    ALREADY,
    ERROR,
    STALE,
    ImportReport,
    ReviewImportError,
    review_actor,
    review_import,
)


class Command(BaseCommand):
    help = (
        "Aplica las decisiones de una planilla de review_export (misma/same, "
        "distinta/different, omitir/skip) con los mismos servicios que la página de revisión."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="planilla completada: pares.csv o pares.xlsx")
        parser.add_argument(
            "--actor",
            help="usuario (administrador del registro) que decidió; por defecto, la línea de "
            "comandos",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            actor = review_actor(username=options["actor"])
            report = review_import(path=path, actor=actor)
        except ReviewImportError as error:
            raise CommandError(str(error)) from error
        self._summary(report, path)

    def _summary(self, report: ImportReport, path: Path) -> None:
        applied = report.applied
        self.stdout.write(
            f"{path.name}: {sum(applied.values())} decisiones aplicadas "
            f"({applied['same']} misma persona, {applied['different']} personas distintas, "
            f"{applied['skip']} omitidas); {report.count(ALREADY)} ya decididas, "
            f"{report.count(STALE)} desactualizadas, {report.count(ERROR)} con errores, "
            f"{report.undecided} sin decisión."
        )
        for issue in report.issues:
            self.stdout.write(f"  ! {issue}")
