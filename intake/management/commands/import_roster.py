"""Import one roster file into a cohort (created with its course if new)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from intake.roster_import import RosterFileError, roster_import
from intake.roster_import.targets import (
    TargetError,
    cohort_get_or_create,
    parse_start_date,
    region_named,
)


def add_import_options(parser: CommandParser) -> None:
    parser.add_argument(
        "--dry-run", action="store_true", help="Muestra lo que pasaría, sin escribir nada."
    )
    parser.add_argument(
        "--commit-valid",
        action="store_true",
        help="Importa las filas válidas de un archivo que tiene filas rechazadas.",
    )
    parser.add_argument("--pre-scale", type=Decimal, choices=(Decimal(20), Decimal(100)))
    parser.add_argument("--post-scale", type=Decimal, choices=(Decimal(20), Decimal(100)))
    parser.add_argument("--user", help="Usuario que queda registrado como quien importó.")


def importing_user(username: str | None) -> Any:
    if not username:
        return None
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"usuario '{username}' no existe")
    return user


class Command(BaseCommand):
    help = "Importa una lista de participantes (CSV o XLSX) a la cohorte de un curso."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--course", required=True, help="título del curso")
        parser.add_argument("--cohort", required=True, help="etiqueta de la cohorte")
        parser.add_argument("--start-date", default="", help="AAAA-MM-DD, para una cohorte nueva")
        parser.add_argument("--region", default="", help="región de una cohorte nueva")
        parser.add_argument("--rows", action="store_true", help="lista cada fila en el informe")
        add_import_options(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: el archivo no existe")
        actor = importing_user(options["user"])
        try:
            start_date = parse_start_date(options["start_date"])
            region = region_named(options["region"])
        except TargetError as error:
            raise CommandError(str(error)) from error
        try:
            with path.open("rb") as handle, transaction.atomic():
                cohort, _ = cohort_get_or_create(
                    course_title=options["course"],
                    cohort_label=options["cohort"],
                    start_date=start_date,
                    region=region,
                )
                report = roster_import(
                    file=handle,
                    file_name=path.name,
                    cohort=cohort,
                    actor=actor,
                    dry_run=options["dry_run"],
                    commit_valid=options["commit_valid"],
                    pre_scale=options["pre_scale"],
                    post_scale=options["post_scale"],
                )
                if options["dry_run"]:
                    # A dry run leaves no course or cohort behind either.
                    transaction.set_rollback(True)
        except (RosterFileError, TargetError, ValidationError) as error:
            raise CommandError(_one_line(error)) from error
        self.stdout.write(report.render_text(with_rows=options["rows"] or options["dry_run"]))
        if report.failed:
            raise CommandError(report.summary())


def _one_line(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return "; ".join(error.messages)
    return str(error)
