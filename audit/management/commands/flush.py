"""`flush`, refused wherever it would empty a real audit log.

Emptying a whole database is a developer's operation. This command runs Django's flush only
with DEBUG on or on a database the test runner created (its transactional tests flush between
tests); anywhere else it refuses before touching anything, on every database, so that neither
a slip nor a stolen shell empties the audit log of production (on PostgreSQL flush is a
TRUNCATE, which the append-only row triggers do not see).

On SQLite flush is a DELETE per table, which the audit table's triggers refuse: where flush
is allowed they are lifted for the flush itself and restored afterwards.
"""

from __future__ import annotations

import time
from typing import Any, cast

from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands.flush import Command as FlushCommand
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.base.creation import TEST_DATABASE_PREFIX
from django.db.backends.sqlite3.base import DatabaseWrapper as SqliteWrapper

from audit.triggers import create_triggers, drop_triggers

_LOCK_ATTEMPTS = 50
_LOCK_WAIT_SECONDS = 0.1
REFUSAL = (
    "flush se niega a vaciar la base de datos «{name}»: guarda el registro de auditoría, que "
    "solo se agrega y nunca se vacía. flush solo se permite con DEBUG activado o en una base "
    "de datos de pruebas."
)


def is_test_database(connection: BaseDatabaseWrapper) -> bool:
    """A database the test runner made: in memory, its TEST NAME, or its `test_` prefix."""
    name = str(connection.settings_dict.get("NAME") or "")
    test_name = (connection.settings_dict.get("TEST") or {}).get("NAME")
    # By vendor, not isinstance: callers may hand in django.db.connection, a proxy.
    in_memory = connection.vendor == "sqlite" and cast(SqliteWrapper, connection).is_in_memory_db()
    return in_memory or name == test_name or name.startswith(TEST_DATABASE_PREFIX)


def flush_allowed(connection: BaseDatabaseWrapper) -> bool:
    return bool(settings.DEBUG) or is_test_database(connection)


class Command(FlushCommand):
    def handle(self, **options: Any) -> None:
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        if not flush_allowed(connection):
            raise CommandError(REFUSAL.format(name=connection.settings_dict.get("NAME")))
        if connection.vendor != "sqlite":
            super().handle(**options)
            return
        # A browser test's live server may still be answering the page's last request (a
        # debounced lookup) when the test runner flushes: wait for its lock, briefly.
        for attempt in range(_LOCK_ATTEMPTS):
            try:
                self._flush_sqlite(connection, **options)
                return
            except OperationalError as error:
                if "locked" not in str(error) or attempt == _LOCK_ATTEMPTS - 1:
                    raise
                time.sleep(_LOCK_WAIT_SECONDS)

    def _flush_sqlite(self, connection: BaseDatabaseWrapper, **options: Any) -> None:
        drop_triggers(connection)
        try:
            super().handle(**options)
        finally:
            create_triggers(connection)
