"""Lift the sign-in lockout of one user (after the failures django-axes counted), audited."""

from __future__ import annotations

from typing import Any

from axes.utils import reset
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from audit.models import AuditAction
from audit.services import COMMAND_LINE, audit_record


class Command(BaseCommand):
    help = (
        "Desbloquea el ingreso de un usuario tras demasiados intentos fallidos: borra sus "
        "intentos registrados desde cualquier equipo. Queda en el registro de auditoría."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="usuario cuyo ingreso se desbloquea")

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"].strip()
        if not username:
            raise CommandError("Indique el usuario que desea desbloquear.")
        with transaction.atomic():
            removed = reset(username=username)
            audit_record(
                actor=None,
                actor_username=COMMAND_LINE,
                action=AuditAction.MAINTENANCE,
                details={"sign_in_unlocked": username, "attempts_removed": removed},
            )
        if removed:
            self.stdout.write(
                f"Ingreso desbloqueado para {username}: se borraron {removed} registro(s) de "
                "intentos fallidos. Ya puede volver a ingresar."
            )
        else:
            self.stdout.write(f"{username} no tenía intentos fallidos registrados: nada que hacer.")
