"""A fresh, empty database for each run: a new SQLite file, or a re-created PostgreSQL one."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

# Databases this benchmark never drops, whatever it is told.
PROTECTED = frozenset({"test", "ci_registry", "postgres", "template0", "template1"})


class DatabaseError(RuntimeError):
    """The database URL cannot be used for a benchmark run."""


def fresh_database(*, url: str | None, folder: Path, suffix: str = "") -> str:
    """The URL of an empty database: `url` (PostgreSQL) dropped and created again, with
    `suffix` added to its name, or a new SQLite file in `folder` when `url` is None."""
    if not url:
        path = folder / f"registry{suffix}.sqlite3"
        path.unlink(missing_ok=True)
        return f"sqlite:///{path.resolve()}"
    parts = urlsplit(url)
    name = check_database_url(url, suffix=suffix)
    _recreate(parts, name)
    return urlunsplit(parts._replace(path=f"/{name}"))


def check_database_url(url: str, *, suffix: str = "") -> str:
    """The database name of a PostgreSQL URL this benchmark may drop, or DatabaseError."""
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        raise DatabaseError(f"{parts.scheme}: only postgres:// URLs (or none, for SQLite)")
    name = unquote(parts.path.lstrip("/")) + suffix
    if not name or name.lower() in PROTECTED:
        raise DatabaseError(f"refusing to drop the database '{name}': use e.g. rq_bench")
    return name


def _recreate(parts, name: str) -> None:  # type: ignore[no-untyped-def]
    import psycopg
    from psycopg import sql

    with psycopg.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=unquote(parts.username or "postgres"),
        password=unquote(parts.password) if parts.password else None,
        dbname="postgres",
        autocommit=True,
    ) as connection:
        database = sql.Identifier(name)
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(database))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(database))
