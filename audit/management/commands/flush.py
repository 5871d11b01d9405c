"""`flush`, able to empty the append-only audit table.

Django's test runner flushes the database between transactional tests; on SQLite that is a
DELETE per table, which the audit table's trigger refuses. This command lifts the triggers
only for the flush itself and restores them, in the same transaction-free order Django uses.
On PostgreSQL flush is a TRUNCATE, which row triggers do not see, so nothing changes there.
Emptying a whole database is a developer's operation: production data is never flushed.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands.flush import Command as FlushCommand
from django.db import DEFAULT_DB_ALIAS, connections

from audit.triggers import create_triggers, drop_triggers


class Command(FlushCommand):
    def handle(self, **options: Any) -> None:
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        if connection.vendor != "sqlite":
            super().handle(**options)
            return
        drop_triggers(connection)
        try:
            super().handle(**options)
        finally:
            create_triggers(connection)
