"""Report cells: every figure of the report, per slice, as sums over persons.

A person's facts contribute to a cell independently of every other person's: "unique
persons with sex F in region 12" counts each person at most once, and different persons
are different. So the cells of a set of persons are the sums of their contributions, and
when some persons change, the stored cells move by (contributions now - contributions
before) of those persons only. The same SQL computes the contributions of a few persons
(maintenance), of everyone (rebuild), or of the facts matching arbitrary filters (a report
whose filters are not one stored slice).

The SQL here is assembled from this package's own constant fragments (table, column and
expression names); every value is a bound parameter: hence the `noqa: S608` lines.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import connection

from registry.reports.cell_sql import (
    CELL_COLUMNS,
    CELL_TABLE,
    MEASURES,
    SLICES,
    contributions_params,
    contributions_sql,
)
from registry.reports.facts import FACT_TABLE, empty_table_sql

DELTA_TABLE = "report_cell_delta"
CellKey = tuple[str, str, str, str]  # slice_dim, slice_key, section, key
Measures = tuple[Any, ...]


_DECIMAL_SUMS = {MEASURES.index("sum_pre"), MEASURES.index("sum_post")}
_FLOAT_SUM = MEASURES.index("sum_normalised_gain")


def _normalise(values: Sequence[Any]) -> Measures:
    """The measures as Python numbers that add up exactly: ints, Decimal hundredths for the
    score sums (PostgreSQL returns Decimal, SQLite a float), a float for the gain sum."""
    out = list(values)
    for i, value in enumerate(out):
        if value is None:
            out[i] = 0
        elif i in _DECIMAL_SUMS:
            if not isinstance(value, Decimal):
                out[i] = Decimal(f"{value:.2f}")
        elif i == _FLOAT_SUM:
            out[i] = float(value)
        elif not isinstance(value, int):
            out[i] = int(value)  # PostgreSQL's SUM of a bigint is a numeric
    return tuple(out)


def contributions(
    slice_dims: Sequence[str],
    where: str,
    params: list[Any],
    *,
    table: str = FACT_TABLE,
    materialize: bool = False,
) -> dict[CellKey, Measures]:
    """The cells of the facts matching `where`, for each of `slice_dims`, read into Python."""
    sql = contributions_sql(slice_dims, where, table=table, materialize=materialize)
    with connection.cursor() as cursor:
        cursor.execute(sql, contributions_params(sql, params, table))
        return {
            (slice_dim, slice_key, section, key): _normalise(values)
            for slice_dim, slice_key, section, key, *values in cursor.fetchall()
        }


def add(total: dict[CellKey, Measures], part: Mapping[CellKey, Measures], sign: int = 1) -> None:
    for cell, values in part.items():
        before = total.get(cell)
        if before is None:
            total[cell] = tuple(sign * v for v in values)
        else:
            total[cell] = tuple(b + sign * v for b, v in zip(before, values, strict=True))


def cells_apply(delta: Mapping[CellKey, Measures]) -> None:
    """Add `delta` to the stored cells, creating missing ones and dropping emptied ones."""
    changed = [(*cell, *values) for cell, values in delta.items() if any(v != 0 for v in values)]
    if not changed:
        return
    columns = ", ".join(CELL_COLUMNS)
    updates = ", ".join(f"{m} = {CELL_TABLE}.{m} + excluded.{m}" for m in MEASURES)
    upsert = f"ON CONFLICT (slice_dim, slice_key, section, key) DO UPDATE SET {updates}"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY into a scratch table and one upsert from it: binding thousands of
            # parameters into statements cost more than the database's work.
            cursor.execute(
                f"CREATE TEMPORARY TABLE {DELTA_TABLE} ON COMMIT DROP AS "  # noqa: S608
                f"SELECT {columns} FROM {CELL_TABLE} WHERE 1 = 0"
            )
            with cursor.cursor.copy(f"COPY {DELTA_TABLE} ({columns}) FROM STDIN") as copy:
                for values in changed:
                    copy.write_row(values)
            cursor.execute(
                f"INSERT INTO {CELL_TABLE} ({columns}) SELECT {columns} FROM {DELTA_TABLE} {upsert}"  # noqa: S608
            )
            # A cell no fact feeds any more is gone, as a rebuild would not have it either.
            cursor.execute(
                f"DELETE FROM {CELL_TABLE} c USING {DELTA_TABLE} d "  # noqa: S608
                "WHERE c.slice_dim = d.slice_dim AND c.slice_key = d.slice_key "
                "AND c.section = d.section AND c.key = d.key AND c.rows_all = 0"
            )
            cursor.execute(f"DROP TABLE {DELTA_TABLE}")
        else:
            marks = ", ".join(["%s"] * len(CELL_COLUMNS))
            cursor.executemany(
                f"INSERT INTO {CELL_TABLE} ({columns}) VALUES ({marks}) {upsert}",  # noqa: S608
                changed,
            )
            cursor.execute(f"DELETE FROM {CELL_TABLE} WHERE rows_all = 0")  # noqa: S608


def cells_rebuild_all() -> None:
    """Replace every stored cell with the cells of all facts, computed in the database."""
    with connection.cursor() as cursor:
        cursor.execute(empty_table_sql(CELL_TABLE))
        # One slice per statement: each scans the facts a few times, in parallel.
        for slice_dim in SLICES:
            sql = contributions_sql([slice_dim], "1 = 1")
            cursor.execute(
                f"INSERT INTO {CELL_TABLE} ({', '.join(CELL_COLUMNS)}) SELECT c.* FROM ({sql}) c",  # noqa: S608
                contributions_params(sql, []),
            )
