from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from accounts.roles import roles_setup


class Command(BaseCommand):
    help = "Crea o actualiza los grupos de roles y sus permisos (también corre tras migrate)."

    def handle(self, *args: Any, **options: Any) -> None:
        report = roles_setup()
        self.stdout.write(
            f"Roles listos: {report.groups_created} grupo(s) creado(s), "
            f"{report.permissions_created} permiso(s) creado(s), "
            f"{report.permissions_assigned} permiso(s) asignado(s)."
        )
