"""Delete roster previews left waiting longer than a session lives (for a periodic job)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from intake.roster_import.previews import preview_max_age, previews_expire


class Command(BaseCommand):
    help = (
        "Elimina las vistas previas de importación (listas subidas que esperan confirmación) "
        "más antiguas que la duración de la sesión."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--max-age",
            type=int,
            default=None,
            help="segundos que una vista previa puede esperar (por defecto: SESSION_COOKIE_AGE)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        max_age = options["max_age"] if options["max_age"] is not None else preview_max_age()
        removed = previews_expire(max_age=max_age)
        self.stdout.write(
            f"Vistas previas de importación eliminadas (más de {max_age} segundos): {removed}."
        )
