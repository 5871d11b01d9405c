"""Database triggers that make the audit table append-only below the ORM.

Kept here (not inline in the migration) because the SQLite `flush` override needs the same
statements to lift and restore the guard around emptying a test database.
"""

from __future__ import annotations

from django.db.backends.base.base import BaseDatabaseWrapper

from audit.sql import execute_statements

TABLE = "audit_auditevent"
MESSAGE = "audit events are append-only"

_POSTGRES_CREATE = [
    f"""
    CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
    END;
    $$ LANGUAGE plpgsql;
    """,
    f"""
    CREATE TRIGGER audit_no_update BEFORE UPDATE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
    """,
    f"""
    CREATE TRIGGER audit_no_delete BEFORE DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
    """,
]
_POSTGRES_DROP = [
    f"DROP TRIGGER IF EXISTS audit_no_update ON {TABLE};",
    f"DROP TRIGGER IF EXISTS audit_no_delete ON {TABLE};",
    "DROP FUNCTION IF EXISTS audit_refuse_change();",
]

# `INSERT OR REPLACE` (and `REPLACE INTO`) resolves a clash of ids by deleting the old row,
# and SQLite fires DELETE triggers for that only when `PRAGMA recursive_triggers` is on: the
# delete guard alone lets a replace rewrite an event. An insert is refused instead when its id
# is taken, before any conflict resolution runs. (PostgreSQL has no REPLACE; its
# `ON CONFLICT DO UPDATE` is an UPDATE, which the update trigger refuses.)
# (S608: the f-string only holds the constant table name and message.)
SQLITE_NO_REPLACE = f"""
    CREATE TRIGGER IF NOT EXISTS audit_no_replace BEFORE INSERT ON {TABLE}
    WHEN EXISTS (SELECT 1 FROM {TABLE} WHERE id = NEW.id)
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """  # noqa: S608
SQLITE_NO_REPLACE_DROP = "DROP TRIGGER IF EXISTS audit_no_replace;"

_SQLITE_CREATE = [
    f"""
    CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """,
    SQLITE_NO_REPLACE,
]
_SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_no_update;",
    "DROP TRIGGER IF EXISTS audit_no_delete;",
    SQLITE_NO_REPLACE_DROP,
]


def _statements(vendor: str, *, create: bool) -> list[str]:
    if vendor == "postgresql":
        return _POSTGRES_CREATE if create else _POSTGRES_DROP
    if vendor == "sqlite":
        return _SQLITE_CREATE if create else _SQLITE_DROP
    return []  # other databases: the ORM guard still applies


def create_triggers(connection: BaseDatabaseWrapper) -> None:
    execute_statements(connection, _statements(connection.vendor, create=True))


def drop_triggers(connection: BaseDatabaseWrapper) -> None:
    execute_statements(connection, _statements(connection.vendor, create=False))
