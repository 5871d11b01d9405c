"""Keeping the report facts and cells in step with the registry.

The triggers (`registry.reports.triggers`) note every person a write touched.
`report_cells_refresh` takes those persons, subtracts their old contributions from the
cells, rebuilds their facts and adds their new contributions. It runs after the commit of
every write that says so (`freshness.report_data_changed`: the services and the ORM's saves),
and in `manage.py report_cells_rebuild --pending` for writes that bypassed both; never in a
read. The cost follows the size of the change, not of the
registry: after an import of a course roster it reads a few hundred persons' facts, never
the million others.

The SQL here is assembled from this package's own constant fragments (table, column and
expression names); every value is a bound parameter: hence the `noqa: S608` lines.
"""

from __future__ import annotations

import zlib

from django.db import connection, transaction

from registry.models import ReportDirtyPerson
from registry.reports.cell_sql import CELL_TABLE, SLICES, report_query_settings
from registry.reports.cells import CellKey, Measures, add, cells_apply, cells_rebuild_all
from registry.reports.cells import contributions as cell_contributions
from registry.reports.facts import CHUNK, FACT_TABLE, facts_rebuild_all, facts_rebuild_for
from registry.reports.freshness import report_data_version_bump

# Persons handled per transaction: bounds the memory and the length of each lock.
BATCH = 20_000
_LOCK_KEY = zlib.crc32(b"registry.report_cells")


def _lock() -> None:
    """One maintainer at a time: two would both subtract the same old contributions.

    SQLite allows one writing transaction at a time anyway.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])


SCOPE_TABLE = "report_scope"


def _contributions_of(person_ids: list[int]) -> dict[CellKey, Measures]:
    """These persons' contributions, from a temporary copy of their facts.

    Scanning a small copy keeps each of the report's many scans cheap and its plan simple,
    where a long IN list repeated in every scan of the big table made planning the cost.
    """
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {SCOPE_TABLE}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {SCOPE_TABLE} AS SELECT * FROM {FACT_TABLE} WHERE 1 = 0"  # noqa: S608
        )
        for start in range(0, len(person_ids), CHUNK):
            chunk = person_ids[start : start + CHUNK]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {SCOPE_TABLE} "  # noqa: S608
                f"SELECT * FROM {FACT_TABLE} WHERE person_id IN ({marks})",
                chunk,
            )
        try:
            return cell_contributions(
                list(SLICES), "1 = 1", [], table=SCOPE_TABLE, materialize=True
            )
        finally:
            cursor.execute(f"DROP TABLE {SCOPE_TABLE}")


def report_cells_refresh(*, batch: int = BATCH) -> int:
    """Bring the cells up to date with every committed write; returns persons processed."""
    processed = 0
    if not ReportDirtyPerson.objects.exists():
        return 0  # the usual case: nothing to lock, nothing to do
    while True:
        with transaction.atomic():
            _lock()
            report_query_settings()
            rows = list(
                ReportDirtyPerson.objects.order_by("id").values_list("id", "person_id")[:batch]
            )
            if not rows:
                return processed
            persons = sorted({person for _, person in rows})
            delta = _contributions_of(persons)
            delta = {cell: tuple(-v for v in values) for cell, values in delta.items()}
            facts_rebuild_for(persons)
            add(delta, _contributions_of(persons))
            cells_apply(delta)
            # Committed with the cells: a snapshot computed before this is stale after it,
            # whatever the write was (a service, the admin, raw SQL).
            report_data_version_bump()
            ids = [row_id for row_id, _ in rows]
            # Only the rows read: a write committed meanwhile keeps its mark for next time.
            for start in range(0, len(ids), CHUNK):
                ReportDirtyPerson.objects.filter(id__in=ids[start : start + CHUNK]).delete()
            processed += len(persons)


@transaction.atomic
def report_cells_rebuild() -> None:
    """Recompute every fact and cell from the registry (minutes at a million persons).

    The marks are cleared first: every write they stand for committed before the rebuild's
    statements start, so the rebuild sees it, and a write committing later keeps its mark.
    """
    _lock()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Grouping millions of facts per person and key: in memory, not on disk.
            cursor.execute("SET LOCAL work_mem = '256MB'")
    ReportDirtyPerson.objects.all().delete()
    facts_rebuild_all()
    cells_rebuild_all()
    with connection.cursor() as cursor:
        # Fresh statistics, or the planner takes millions of new rows for a few hundred.
        for table in (FACT_TABLE, CELL_TABLE):
            cursor.execute(f"ANALYZE {table}")
    report_data_version_bump()
