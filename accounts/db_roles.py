"""The PostgreSQL roles of a production registry: an owner that migrates, an app that serves.

The application's own database role must not be able to rewrite the audit log. Row triggers
stop UPDATE and DELETE, but a table's owner (or a superuser) can still TRUNCATE it, disable its
triggers (ALTER TABLE ... DISABLE TRIGGER) or switch them off for a session (SET
session_replication_role = replica). So production uses two roles:

- the OWNER role creates and alters the schema (`migrate`) and owns every table;
- the APP role (the web application and its commands) owns nothing, is no superuser, and is
  granted only SELECT/INSERT/UPDATE/DELETE on the tables and USAGE/SELECT on the sequences,
  also for tables the owner creates later (default privileges) - and on the audit table only
  SELECT and INSERT.

`db_roles_statements` writes that setup as SQL for `manage.py db_roles` to print or apply,
and `db_roles_problems` verifies a live database against it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import cast

from django.apps import apps
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.postgresql.base import DatabaseWrapper as PostgresWrapper

from audit.models import AuditEvent

SCHEMA = "public"
TABLE_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE"
# The report aggregates are derived data, rebuilt from the registry by `report_cells_rebuild`,
# which empties them with TRUNCATE; nothing else may be truncated by the app.
REBUILT_MODELS = ("registry.ReportFact", "registry.ReportCell")
_ROLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")


class RoleSetupError(ValueError):
    """A role name or database the setup cannot use; the message says why, in Spanish."""


@dataclass(frozen=True)
class RoleNames:
    owner: str
    app: str

    def __post_init__(self) -> None:
        for label, name in (("--owner", self.owner), ("--app", self.app)):
            if not _ROLE_NAME.match(name):
                raise RoleSetupError(
                    f"{label}: «{name}» no es un nombre de rol válido (letras, dígitos y _; "
                    "empieza con letra o _; hasta 63 caracteres)"
                )
        if self.owner == self.app:
            raise RoleSetupError("--owner y --app deben ser roles distintos")


def audit_table() -> str:
    return AuditEvent._meta.db_table


def rebuilt_tables() -> list[str]:
    return [apps.get_model(label)._meta.db_table for label in REBUILT_MODELS]


def db_roles_statements(*, roles: RoleNames, database: str) -> list[str]:
    """The GRANT / REVOKE / ALTER DEFAULT PRIVILEGES statements, in order; idempotent.

    Run them as the owner (or a superuser) after `migrate`: they cover the tables that exist
    and, through default privileges, those the owner creates later. Everything the app held is
    revoked first, so a grant made by hand earlier does not survive.
    """
    owner, app = _quote(roles.owner), _quote(roles.app)
    schema, db = _quote(SCHEMA), _quote(database)
    audit = _quote(audit_table())
    statements = [
        # Only the owner creates objects in the schema (PostgreSQL 15's default, restated
        # for databases created by older versions).
        f"REVOKE CREATE ON SCHEMA {schema} FROM PUBLIC",
        f"GRANT CONNECT, TEMPORARY ON DATABASE {db} TO {app}",
        f"GRANT USAGE ON SCHEMA {schema} TO {app}",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {app}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {app}",
        f"GRANT {TABLE_PRIVILEGES} ON ALL TABLES IN SCHEMA {schema} TO {app}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {app}",
        # The audit log: read and append, nothing else.
        f"REVOKE UPDATE, DELETE, TRUNCATE ON {audit} FROM {app}",
    ]
    statements += [f"GRANT TRUNCATE ON {_quote(table)} TO {app}" for table in rebuilt_tables()]
    statements += [
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {schema} "
        f"GRANT {TABLE_PRIVILEGES} ON TABLES TO {app}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {schema} "
        f"GRANT USAGE, SELECT ON SEQUENCES TO {app}",
    ]
    return statements


def db_roles_apply(*, roles: RoleNames, connection: BaseDatabaseWrapper) -> list[str]:
    """Execute the statements on `connection` in one transaction; returns them."""
    _require_postgresql(connection)
    statements = db_roles_statements(roles=roles, database=connection.settings_dict["NAME"])
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [roles.app])
        if cursor.fetchone() is None:
            raise RoleSetupError(
                f"el rol «{roles.app}» no existe: créelo antes (CREATE ROLE {roles.app} LOGIN "
                "PASSWORD '...')"
            )
        for sql in statements:
            cursor.execute(sql)
    return statements


def db_roles_problems(*, app: str, owner: str | None, connection: BaseDatabaseWrapper) -> list[str]:
    """What lets `app` change the audit log or the schema, in Spanish; empty when sound."""
    _require_postgresql(connection)
    problems: list[str] = []
    audit = audit_table()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls, rolreplication "
            "FROM pg_roles WHERE rolname = %s",
            [app],
        )
        row = cursor.fetchone()
        if row is None:
            return [f"el rol «{app}» no existe"]
        flags = ("SUPERUSER", "CREATEROLE", "CREATEDB", "BYPASSRLS", "REPLICATION")
        granted = [flag for flag, value in zip(flags, row, strict=True) if value]
        if granted:
            problems.append(f"el rol «{app}» tiene los atributos {', '.join(granted)}")
        if "SUPERUSER" in granted:
            return problems  # a superuser passes every other check: nothing more to learn
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = %s AND tableowner = %s "
            "ORDER BY tablename",
            [SCHEMA, app],
        )
        owned = [name for (name,) in cursor.fetchall()]
        if owned:
            problems.append(f"el rol «{app}» es dueño de {len(owned)} tabla(s): {', '.join(owned)}")
        if owner:
            cursor.execute("SELECT pg_has_role(%s, %s, 'MEMBER')", [app, owner])
            if cursor.fetchone()[0]:
                problems.append(f"el rol «{app}» es miembro del rol dueño «{owner}»")
        for privilege in ("UPDATE", "DELETE", "TRUNCATE", "TRIGGER", "REFERENCES"):
            cursor.execute("SELECT has_table_privilege(%s, %s, %s)", [app, audit, privilege])
            if cursor.fetchone()[0]:
                problems.append(f"el rol «{app}» tiene {privilege} sobre {audit}")
        for privilege in ("SELECT", "INSERT"):
            cursor.execute("SELECT has_table_privilege(%s, %s, %s)", [app, audit, privilege])
            if not cursor.fetchone()[0]:
                problems.append(f"el rol «{app}» no tiene {privilege} sobre {audit}")
        cursor.execute("SELECT has_schema_privilege(%s, %s, 'CREATE')", [app, SCHEMA])
        if cursor.fetchone()[0]:
            problems.append(f"el rol «{app}» puede crear objetos en el esquema {SCHEMA}")
        # _require_postgresql checked the vendor (a cast: `connection` may be a proxy).
        if cast(PostgresWrapper, connection).pg_version >= 150000:
            cursor.execute(
                "SELECT has_parameter_privilege(%s, 'session_replication_role', 'SET')", [app]
            )
            if cursor.fetchone()[0]:
                problems.append(f"el rol «{app}» puede cambiar session_replication_role")
        # has_table_privilege with a list answers whether *any* is held: one call each.
        qualified = "quote_ident(schemaname) || '.' || quote_ident(tablename)"
        each = " AND ".join(
            f"has_table_privilege(%s, {qualified}, '{privilege}')"
            for privilege in TABLE_PRIVILEGES.split(", ")
        )
        cursor.execute(  # the f-string only joins constant fragments; values are bound
            "SELECT tablename FROM pg_tables WHERE schemaname = %s AND tablename <> %s "  # noqa: S608
            f"AND NOT ({each}) ORDER BY tablename",
            [SCHEMA, audit, *[app] * len(TABLE_PRIVILEGES.split(", "))],
        )
        missing = [name for (name,) in cursor.fetchall()]
        if missing:
            problems.append(
                f"al rol «{app}» le faltan permisos de lectura y escritura sobre "
                f"{len(missing)} tabla(s): {', '.join(missing[:10])}"
            )
    return problems


def _require_postgresql(connection: BaseDatabaseWrapper) -> None:
    if connection.vendor != "postgresql":
        raise RoleSetupError(
            "los roles de base de datos solo se configuran en PostgreSQL "
            f"(la base «{connection.alias}» es {connection.vendor})"
        )


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
