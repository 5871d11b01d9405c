"""Create the identity records of roster rows committed before identity records existed."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from formats.numbers import number_shown
from intake.identity_backfill.batches import identity_records_backfill

SHOWN = 10  # rows listed per reason


class Command(BaseCommand):
    help = (
        "Crea el registro de identidad que falta a cada fila importada vinculada a una persona "
        "(las importadas antes de que existieran), leyendo sus celdas guardadas como las lee "
        "la importación. Puede repetirse: las filas que ya tienen el suyo no cambian."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="solo cuenta lo que se crearía; no cambia nada",
        )
        parser.add_argument("--user", help="usuario que figura como autor en la auditoría")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = None
        if options["user"]:
            try:
                actor = get_user_model().objects.get(username=options["user"])
            except get_user_model().DoesNotExist as error:
                raise CommandError(f"No existe el usuario «{options['user']}».") from error
        report = identity_records_backfill(dry_run=options["dry_run"], actor=actor)
        prefix = "[simulación] " if report.dry_run else ""
        created = "se crearían" if report.dry_run else "creados"
        self.stdout.write(
            f"{prefix}Registros de identidad {created}: {number_shown(report.created)}; "
            f"ya existían: {number_shown(report.already_present)}; "
            f"filas que no se pudieron leer: {number_shown(len(report.unreadable))}."
        )
        if report.documents_left_off:
            self.stdout.write(
                f"{prefix}{number_shown(report.documents_left_off)} de ellos sin el documento "
                "de la fila, porque lo tiene otra persona activa (queda en las celdas de la "
                "fila)."
            )
        for reason, rows in report.unreadable_by_reason():
            where = ", ".join(f"lote {row.batch_id} fila {row.row_number}" for row in rows[:SHOWN])
            more = f" y {number_shown(len(rows) - SHOWN)} más" if len(rows) > SHOWN else ""
            self.stdout.write(
                f"{prefix}Sin leer ({number_shown(len(rows))}): {reason} ({where}{more})."
            )
