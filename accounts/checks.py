"""`manage.py check --deploy --database default`: is the app connected as a role that could
rewrite the audit log (superuser, table owner, UPDATE/DELETE/TRUNCATE on it)?"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.checks import CheckMessage, Tags, Warning, register
from django.db import connections

from accounts.db_roles import db_roles_problems


@register(Tags.database, deploy=True)
def app_role_check(
    app_configs: Any = None, databases: Iterable[str] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    messages: list[CheckMessage] = []
    for alias in databases or ():
        connection = connections[alias]
        if connection.vendor != "postgresql":
            continue
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            (role,) = cursor.fetchone()
        problems = db_roles_problems(app=role, owner=None, connection=connection)
        if problems:
            messages.append(
                Warning(
                    f"La aplicación se conecta a «{alias}» con el rol «{role}», que puede "
                    f"alterar el registro de auditoría: {'; '.join(problems)}.",
                    hint="Conéctese con un rol sin tablas propias y aplique "
                    "`manage.py db_roles --owner DUEÑO --app APP --apply` como el dueño.",
                    id="accounts.W001",
                )
            )
    return messages
