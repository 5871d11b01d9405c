"""Import a wave's responses from a survey tool's export: a preview, or with --confirm the
new responses written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from followup.models import SurveyWave
from followup.responses import ResponseFileError, responses_import
from spreadsheets.reading import RosterFileError


def wave_named(name_or_id: str) -> SurveyWave:
    wave = SurveyWave.objects.filter(name=name_or_id).first()
    if wave is None and name_or_id.isdigit():
        wave = SurveyWave.objects.filter(pk=int(name_or_id)).first()
    if wave is None:
        raise CommandError(f"la ola «{name_or_id}» no existe")
    return wave


class Command(BaseCommand):
    help = (
        "Importa las respuestas de una ola de seguimiento (exportación CSV o XLSX de ODK "
        "Central, LimeSurvey o KoboToolbox). Sin --confirm solo muestra la vista previa."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("wave", help="nombre (o número) de la ola")
        parser.add_argument("file", type=Path)
        parser.add_argument("--confirm", action="store_true", help="escribe las respuestas nuevas")
        parser.add_argument("--user", help="usuario que queda registrado como quien importó")

    def handle(self, *args: Any, **options: Any) -> None:
        wave = wave_named(options["wave"])
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: el archivo no existe")
        actor = None
        if options["user"]:
            actor = get_user_model().objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"el usuario «{options['user']}» no existe")
        elif options["confirm"]:
            raise CommandError("indique con --user quién importa las respuestas")
        try:
            preview = responses_import(
                wave,
                path.read_bytes(),
                file_name=path.name,
                actor=actor,
                confirm=options["confirm"],
            )
        except (ResponseFileError, RosterFileError) as error:
            raise CommandError(str(error)) from error
        for line in preview.lines():
            self.stdout.write(line)
        if not options["confirm"]:
            self.stdout.write(
                "Vista previa: no se guardó nada. Repita con --confirm para importar."
            )
