"""Draw a follow-up wave's sample from the command line, as the wave's page does."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from followup.management.commands._waves import wave_named
from followup.waves import EXCLUSION_REASONS, REASON_LABELS, WaveError, wave_draw


class Command(BaseCommand):
    help = (
        "Extrae la muestra de una ola de seguimiento: estratos, personas seleccionadas con su "
        "token y cuántas quedaron fuera y por qué. Con los mismos datos y la misma semilla, "
        "la misma muestra."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("wave", metavar="OLA", help="número o nombre exacto de la ola")

    def handle(self, *args: Any, **options: Any) -> None:
        wave = wave_named(options["wave"])
        try:
            wave = wave_draw(wave, actor=None)
        except WaveError as error:
            raise CommandError(str(error)) from error
        strata = list(wave.strata_drawn.all())
        self.stdout.write(
            f"Ola «{wave.name}»: {wave.members.count()} personas seleccionadas "
            f"(semilla {wave.seed})."
        )
        for stratum in strata:
            left_out = ", ".join(
                f"{REASON_LABELS[reason].lower()}: {stratum.excluded.get(reason, 0)}"
                for reason in EXCLUSION_REASONS
                if stratum.excluded.get(reason)
            )
            self.stdout.write(
                f"  {stratum.label}: población {stratum.population}, contactables "
                f"{stratum.eligible}, seleccionadas {stratum.allocated}"
                + (f" (fuera: {left_out})" if left_out else "")
            )
