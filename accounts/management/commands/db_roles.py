"""Print, apply or verify the owner / app role setup of a PostgreSQL registry."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from accounts.db_roles import (
    RoleNames,
    RoleSetupError,
    db_roles_apply,
    db_roles_problems,
    db_roles_statements,
)


class Command(BaseCommand):
    help = (
        "Permisos de PostgreSQL para producción: el rol dueño (--owner) migra y es dueño de "
        "las tablas; el rol de la aplicación (--app) solo lee y escribe datos, y en el "
        "registro de auditoría solo lee y agrega. Sin opciones imprime el SQL; --apply lo "
        "ejecuta (como el dueño, después de migrate); --check verifica la base."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--owner", required=True, help="rol dueño de las tablas (migrate)")
        parser.add_argument("--app", required=True, help="rol con el que se conecta la aplicación")
        action = parser.add_mutually_exclusive_group()
        action.add_argument("--apply", action="store_true", help="ejecuta el SQL en la base")
        action.add_argument(
            "--check", action="store_true", help="verifica los permisos del rol de la aplicación"
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="alias de la base")

    def handle(self, *args: Any, **options: Any) -> None:
        connection = connections[options["database"]]
        try:
            roles = RoleNames(owner=options["owner"], app=options["app"])
            if options["check"]:
                self._check(roles, connection)
            elif options["apply"]:
                with transaction.atomic(using=connection.alias):
                    statements = db_roles_apply(roles=roles, connection=connection)
                self.stdout.write(
                    f"Permisos aplicados: {len(statements)} sentencias para el rol "
                    f"«{roles.app}» (dueño «{roles.owner}»)."
                )
            else:
                name = connection.settings_dict.get("NAME") or ""
                for sql in db_roles_statements(roles=roles, database=str(name)):
                    self.stdout.write(f"{sql};")
        except RoleSetupError as error:
            raise CommandError(str(error)) from error

    def _check(self, roles: RoleNames, connection: Any) -> None:
        problems = db_roles_problems(app=roles.app, owner=roles.owner, connection=connection)
        if problems:
            for problem in problems:
                self.stderr.write(f"  ! {problem}")
            raise CommandError(
                f"El rol «{roles.app}» puede alterar el registro de auditoría o el esquema: "
                f"{len(problems)} problema(s)."
            )
        self.stdout.write(
            f"El rol «{roles.app}» solo lee y escribe datos, y en el registro de auditoría "
            "solo lee y agrega."
        )
