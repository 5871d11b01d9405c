"""The raw SQL the record frames are read with: IN conditions that suit each database.

PostgreSQL gets one array parameter however many values; SQLite chunks of bound parameters,
below its limit.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TypeVar

from django.db import connection

from participants.models import IdentityRecord, Person

# The tables the frames are read from.
PERSONS = Person._meta.db_table
RECORDS = IdentityRecord._meta.db_table
# IN lists are sent in chunks to stay below SQLite's bound-parameter limit (PostgreSQL gets
# one array parameter however many values).
_CHUNK = 300

_T = TypeVar("_T")
# A row of key values: (paternal, given), (paternal, maternal, given), ...
_Row = TypeVar("_Row", bound=tuple[str, ...])


def _chunks(values: list[_T], size: int = _CHUNK) -> Iterator[list[_T]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def postgres() -> bool:
    return connection.vendor == "postgresql"


def id_array(ids: Iterable[Any]) -> str:
    """Ids as PostgreSQL's array text, "{1,2,3}": one value for the driver to send, where a
    list of 20,000 ints is adapted one element at a time. `int` keeps it to digits."""
    return "{" + ",".join(str(int(pk)) for pk in ids) + "}"


def sql_in(column: str, values: Iterable[object], kind: str = "text") -> list[tuple[str, list]]:
    """Conditions (with their parameters) for `column IN values`: one array on PostgreSQL,
    chunks of bound parameters elsewhere (SQLite's limit)."""
    values = list(values)
    if not values:
        return []
    if postgres():
        if kind == "bigint":
            return [(f"{column} = ANY(%s::bigint[])", [id_array(values)])]
        return [(f"{column} = ANY(%s::{kind}[])", [values])]
    return [
        (f"{column} IN ({', '.join(['%s'] * len(chunk))})", chunk)
        for chunk in _chunks(values, 2000 if kind == "bigint" else _CHUNK)
    ]


def _in_rows(
    columns: tuple[str, ...], tuples: Sequence[tuple[str, ...]]
) -> tuple[str, list[object]]:
    """SQL for `(columns) IN (tuples)` and its parameters.

    Row values keep the combinations exact: separate IN lists per column would also fetch
    every (common surname, common given name) combination in the registry. PostgreSQL gets
    one array per column (a handful of parameters however many rows), SQLite a VALUES list.
    """
    target = f"({', '.join(columns)})"
    if postgres():
        arrays = ", ".join(["%s::text[]"] * len(columns))
        # Column names are the callers' constants; only values travel as parameters.
        return f"{target} IN (SELECT * FROM unnest({arrays}))", [  # noqa: S608
            [values[i] for values in tuples] for i in range(len(columns))
        ]
    placeholders = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(tuples))
    return f"{target} IN (VALUES {placeholders})", [value for values in tuples for value in values]


def rows_in(columns: tuple[str, ...], tuples: list[_Row]) -> list[tuple[str, list]]:
    """`_in_rows` for any number of tuples: one condition on PostgreSQL, chunks elsewhere."""
    if not tuples:
        return []
    if postgres():
        return [_in_rows(columns, tuples)]
    return [_in_rows(columns, chunk) for chunk in _chunks(tuples)]


def fetch(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    # Bound values (text, ints, arrays of them on PostgreSQL) and rows as the driver gives
    # them: the columns' types are the SQL's, which nothing here can check.
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
