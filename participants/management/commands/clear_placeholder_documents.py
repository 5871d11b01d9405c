"""Clear filler DNIs ("12345678") that persons and identity records kept from before."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from formats.numbers import number_shown
from participants.identity.placeholders import placeholder_documents_clear

SHOWN_CODES = 50


class Command(BaseCommand):
    help = (
        "Borra los DNI de relleno (12345678, 00000000 ...) guardados en personas y en sus "
        "registros de identidad antes de que el registro los rechazara, para que esas personas "
        "puedan editarse. Las filas de las listas quedan como se recibieron; la auditoría "
        "anota los códigos y las cantidades, nunca los números. Puede repetirse sin efecto."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="solo muestra qué se borraría; no cambia nada",
        )
        parser.add_argument("--user", help="usuario que figura como autor en la auditoría")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = None
        if options["user"]:
            try:
                actor = get_user_model().objects.get(username=options["user"])
            except get_user_model().DoesNotExist as error:
                raise CommandError(f"No existe el usuario «{options['user']}».") from error
        report = placeholder_documents_clear(dry_run=options["dry_run"], actor=actor)
        prefix = "[simulación] " if report.dry_run else ""
        if not report.changed:
            self.stdout.write(f"{prefix}No hay DNI de relleno guardados: nada que borrar.")
            return
        dry_run = report.dry_run
        self.stdout.write(
            f"{prefix}{'Se borrarían' if dry_run else 'Se borraron'} los DNI de relleno de "
            f"{_count(len(report.persons), 'persona')} y de "
            f"{_count(report.identity_records, 'registro')} de identidad "
            f"(de {_count(len(report.records_of), 'persona')})."
        )
        if report.persons:
            left = "quedarían" if dry_run else "quedan"
            self.stdout.write(f"{prefix}Personas que {left} sin DNI: {_codes(report.persons)}.")
        if report.records_of:
            fixed = "se corregirían" if dry_run else "se corrigieron"
            self.stdout.write(
                f"{prefix}Personas cuyos registros de identidad {fixed}: "
                f"{_codes(sorted(report.records_of))}."
            )


def _count(number: int, noun: str) -> str:
    return f"{number_shown(number)} {noun}{'' if number == 1 else 's'}"


def _codes(codes: list[str]) -> str:
    shown = ", ".join(codes[:SHOWN_CODES])
    hidden = len(codes) - SHOWN_CODES
    return f"{shown} y {number_shown(hidden)} más" if hidden > 0 else shown
