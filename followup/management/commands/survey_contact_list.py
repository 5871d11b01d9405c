"""Write a wave's contact list for a survey tool, as the wave's page downloads it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from followup.contact_lists import (
    ContactListError,
    ContactListRefused,
    ListFormat,
    contact_list_export,
    limesurvey_attributes,
)
from followup.management.commands._waves import wave_named


class Command(BaseCommand):
    help = (
        "Escribe la lista de contactos de una ola para ODK Central (odk), LimeSurvey "
        "(limesurvey) o KoboToolbox (kobo). Con nombres y contactos solo para un administrador "
        "del registro; un analista obtiene la lista seudonimizada (token y estrato) con "
        "--seudonimizada. Cada exportación queda en el registro de auditoría."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("wave", metavar="OLA", help="número o nombre exacto de la ola")
        parser.add_argument(
            "--format", dest="list_format", required=True, choices=ListFormat.values
        )
        parser.add_argument(
            "--output", required=True, type=Path, metavar="ARCHIVO", help="archivo .csv o .xlsx"
        )
        parser.add_argument(
            "--user", required=True, metavar="USUARIO", help="quien exporta (queda registrado)"
        )
        parser.add_argument(
            "--seudonimizada",
            dest="pseudonymised",
            action="store_true",
            help="sin nombres, contactos ni código de participante: token y estrato",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        wave = wave_named(options["wave"])
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"No existe el usuario «{options['user']}».")
        output = Path(options["output"])
        file_type = output.suffix.lower().lstrip(".")
        if file_type not in ("csv", "xlsx"):
            raise CommandError(f"{output}: el archivo debe terminar en .csv o .xlsx.")
        try:
            contact_list, content = contact_list_export(
                wave,
                list_format=options["list_format"],
                file_type=file_type,
                user=user,
                identifying=not options["pseudonymised"],
            )
        except ContactListRefused as error:
            raise CommandError(str(error)) from error
        except ContactListError as error:
            raise CommandError(str(error)) from error
        output.write_bytes(content)
        kind = "con nombres y contactos" if contact_list.identifying else "seudonimizada"
        self.stdout.write(f"{len(contact_list.rows)} personas escritas en {output} (lista {kind}).")
        if contact_list.left_out:
            self.stdout.write(
                f"{contact_list.left_out} personas de la muestra quedaron fuera: retiraron su "
                "consentimiento o cancelaron sus datos después de la extracción."
            )
        if options["list_format"] == ListFormat.LIMESURVEY:
            self.stdout.write("Atributos a crear en la encuesta de LimeSurvey:")
            for column, description in limesurvey_attributes(identifying=contact_list.identifying):
                self.stdout.write(f"  {column}: {description}")
