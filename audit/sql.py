"""Running the SQL the project writes itself (its triggers), for every app above audit.

Here, in the lowest app that runs SQL of its own, so that the audit log's triggers and the
reports' triggers share one runner without audit importing the apps above it. Migrations
carry their own frozen SQL and do not use it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.backends.base.base import BaseDatabaseWrapper


def execute_statements(connection: BaseDatabaseWrapper, statements: Iterable[str]) -> None:
    """Run each statement in order on `connection`."""
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
