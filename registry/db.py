"""Small helpers for the SQL the project runs itself (triggers, report maintenance)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.backends.base.base import BaseDatabaseWrapper


def execute_statements(connection: BaseDatabaseWrapper, statements: Iterable[str]) -> None:
    """Run each statement in order on `connection`."""
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
