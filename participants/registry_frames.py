"""Persons as linkage-engine records, read from the database.

The engine (`participants.linkage`) works on DataFrames in the canonical record schema. This
module builds them: the whole registry for `dedupe`, and for a roster only the persons that
share a blocking key with one of its rows, fetched through indexed columns so that linking a
roster stays fast however large the registry grows.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
from django.db import connection
from django.db.models import QuerySet

from participants.linkage.keys import TEXT_COLUMNS
from participants.models import IdentityRecord, Person, PersonStatus
from participants.names import fold
from participants.phonetic import spanish_phonetic_key

PERSON_FIELDS = (
    "id",
    "given_names",
    "paternal_surname",
    "maternal_surname",
    "document_type",
    "document_number",
    "sex",
    "birth_date",
    "email",
    "phone",
)
RECORD_FIELDS = ("person_id", *TEXT_COLUMNS)
_TEXT_RECORD_FIELDS = tuple(column for column in TEXT_COLUMNS if column != "birth_date")
_PERSONS = Person._meta.db_table
_RECORDS = IdentityRecord._meta.db_table
_ID_COLUMN = {_PERSONS: "id", _RECORDS: "id"}
_STATUS_CLAUSE = {_PERSONS: "status = %s AND", _RECORDS: ""}
_STATUS_PARAMS: dict[str, list[object]] = {_PERSONS: [PersonStatus.ACTIVE], _RECORDS: []}
# Row-value IN lists are sent in chunks to stay below SQLite's bound-parameter limit.
_CHUNK = 300
# A name pair held by more persons than this is too common to fetch on its own.
MAX_NAME_BLOCK = 300


def _frame(rows: list[tuple[object, ...]]) -> pd.DataFrame:
    raw = pd.DataFrame(rows, columns=list(PERSON_FIELDS))
    frame = pd.DataFrame(index=pd.Index(raw["id"].astype("int64"), name="id"))
    frame["owner"] = raw["id"].to_numpy(np.int64)
    for column in ("given_names", "paternal_surname", "maternal_surname", "email", "phone"):
        frame[column] = raw[column].fillna("").to_numpy(object)
    is_dni = (raw["document_type"] == "dni").to_numpy()
    frame["dni"] = raw["document_number"].where(is_dni, "").fillna("").to_numpy(object)
    frame["sex"] = raw["sex"].where(raw["sex"].isin(["F", "M", "X"]), "").to_numpy(object)
    frame["birth_date"] = (
        raw["birth_date"].map(lambda d: d.isoformat() if d else "").to_numpy(object)
    )
    return frame


def persons_frame(queryset: QuerySet[Person] | None = None) -> pd.DataFrame:
    """Canonical records of persons (active ones by default), indexed by person id."""
    queryset = Person.objects.filter(status=PersonStatus.ACTIVE) if queryset is None else queryset
    rows = list(queryset.order_by().values_list(*PERSON_FIELDS))
    return _frame(rows).drop(columns=["owner"])


def _name_keys(rows: pd.DataFrame) -> tuple[set[tuple[str, str, str]], set[tuple[str, str]]]:
    """Phonetic (paternal, maternal, first given) triples to look up for the rows - in both
    surname orders, and with the maternal surname missing or reduced to its initial, as
    registries hold it - and (surname, first given) pairs for rows that lack a full maternal
    surname themselves."""
    triples: set[tuple[str, str, str]] = set()
    pairs: set[tuple[str, str]] = set()
    for given, paternal, maternal in rows[
        ["given_names", "paternal_surname", "maternal_surname"]
    ].itertuples(index=False):
        first = fold(given).split(" ")[0] if given else ""
        given_key = spanish_phonetic_key(first)
        paternal_key = spanish_phonetic_key(paternal)
        maternal_key = spanish_phonetic_key(maternal)
        if not given_key or not paternal_key:
            continue
        triples.add((paternal_key, "", given_key))
        if len(fold(maternal)) > 1:
            triples.add((paternal_key, maternal_key, given_key))
            triples.add((maternal_key, paternal_key, given_key))
            triples.add((paternal_key, spanish_phonetic_key(fold(maternal)[0]), given_key))
        else:
            pairs.add((paternal_key, given_key))
    return triples, pairs


def _chunks(values: list[object], size: int = _CHUNK) -> Iterable[list[object]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _in_rows(columns: tuple[str, ...], tuples: list[tuple[str, ...]]) -> tuple[str, list[object]]:
    """SQL for `(columns) IN (tuples)` and its parameters.

    Row values keep the combinations exact: separate IN lists per column would also fetch
    every (common surname, common given name) combination in the registry. PostgreSQL gets
    one array per column (a handful of parameters however many rows), SQLite a VALUES list.
    """
    target = f"({', '.join(columns)})"
    if connection.vendor == "postgresql":
        arrays = ", ".join(["%s::text[]"] * len(columns))
        # Column names are this module's constants; only values travel as parameters.
        return f"{target} IN (SELECT * FROM unnest({arrays}))", [  # noqa: S608
            [values[i] for values in tuples] for i in range(len(columns))
        ]
    placeholders = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(tuples))
    return f"{target} IN (VALUES {placeholders})", [value for values in tuples for value in values]


def _ids_where(table: str, status_clause: str, condition: str, params: list[object]) -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {_ID_COLUMN[table]} FROM {table} WHERE {status_clause} {condition}",  # noqa: S608
            [*_STATUS_PARAMS[table], *params],
        )
        return {row[0] for row in cursor.fetchall()}


def _common_pairs(pairs: list[tuple[str, str]]) -> set[tuple[str, str]]:
    """Pairs held by more persons than one linkage block takes ("QUISPE JUAN")."""
    table = connection.ops.quote_name(Person._meta.db_table)
    common: set[tuple[str, str]] = set()
    with connection.cursor() as cursor:
        for chunk in _chunks(pairs):  # type: ignore[arg-type]
            condition, params = _in_rows(("paternal_key", "given_key"), chunk)  # type: ignore[arg-type]
            cursor.execute(
                f"SELECT paternal_key, given_key FROM {table} WHERE status = %s "  # noqa: S608
                f"AND {condition} GROUP BY paternal_key, given_key HAVING COUNT(*) > %s",
                [PersonStatus.ACTIVE, *params, MAX_NAME_BLOCK],
            )
            common.update((row[0], row[1]) for row in cursor.fetchall())
    return common


def _key_matches(rows: pd.DataFrame) -> tuple[set[int], set[int]]:
    """Ids of active persons, and of persons with identity records, sharing a key with a row.

    The same indexed lookups run on both tables: a person's current values, and every record
    that ever described them (a DNI or an address only a later roster showed).
    """
    found: dict[str, set[int]] = {_PERSONS: set(), _RECORDS: set()}
    dnis = sorted({d for d in rows.get("dni", pd.Series(dtype=object)) if d})
    emails = sorted({v for v in rows.get("email", pd.Series(dtype=object)) if v})
    phones = sorted({v for v in rows.get("phone", pd.Series(dtype=object)) if v})
    triples, pairs = _name_keys(rows)
    rare_pairs = sorted(set(pairs) - _common_pairs(sorted(pairs)))
    for table in (_PERSONS, _RECORDS):
        status = _STATUS_CLAUSE[table]
        dni_column = "document_number" if table == _PERSONS else "dni"
        for column, values in ((dni_column, dnis), ("email", emails), ("phone", phones)):
            for chunk in _chunks(values):  # type: ignore[arg-type]
                marks = ", ".join(["%s"] * len(chunk))
                found[table] |= _ids_where(table, status, f"{column} IN ({marks})", chunk)
        for chunk in _chunks(sorted(triples)):  # type: ignore[arg-type]
            condition, params = _in_rows(("paternal_key", "maternal_key", "given_key"), chunk)  # type: ignore[arg-type]
            found[table] |= _ids_where(table, status, condition, params)
        for chunk in _chunks(rare_pairs):  # type: ignore[arg-type]
            condition, params = _in_rows(("paternal_key", "given_key"), chunk)  # type: ignore[arg-type]
            found[table] |= _ids_where(table, status, condition, params)
    return found[_PERSONS], found[_RECORDS]


def active_persons_of(ids: Iterable[int]) -> dict[int, int]:
    """Each person id -> the active person it is today (merges followed); cancelled ones and
    persons merged into a cancelled one are left out."""
    pending = set(ids)
    resolved: dict[int, int] = {}
    parent: dict[int, int | None] = {}
    status: dict[int, str] = {}
    while pending:
        for chunk in _chunks(sorted(pending), 2000):
            for pk, state, into in Person.objects.filter(pk__in=chunk).values_list(
                "pk", "status", "merged_into_id"
            ):
                parent[pk], status[pk] = into, state
        pending = {into for into in parent.values() if into is not None and into not in parent}
    for pk in ids:
        current, steps = pk, 0
        while parent.get(current) is not None and steps < 100:
            current, steps = parent[current], steps + 1  # type: ignore[assignment]
        if status.get(current) == PersonStatus.ACTIVE:
            resolved[pk] = current
    return resolved


def members_of(active_ids: Iterable[int]) -> dict[int, int]:
    """Every person merged into the given active persons (and they themselves) -> the active
    person: whose records describe whom."""
    members = {pk: pk for pk in active_ids}
    frontier = list(members)
    while frontier:
        children: list[int] = []
        for chunk in _chunks(frontier, 2000):
            for pk, into in Person.objects.filter(merged_into_id__in=chunk).values_list(
                "pk", "merged_into_id"
            ):
                if pk not in members:
                    members[pk] = members[into]
                    children.append(pk)
        frontier = children
    return members


def candidate_person_ids(rows: pd.DataFrame) -> set[int]:
    """Active persons any of whose records shares a DNI, e-mail, phone or name key with a row."""
    persons, record_persons = _key_matches(rows)
    holders: set[int] = set()
    for chunk in _chunks(sorted(record_persons), 2000):
        holders.update(
            IdentityRecord.objects.filter(pk__in=chunk).values_list("person_id", flat=True)
        )
    return persons | set(active_persons_of(holders).values())


def candidate_persons(rows: pd.DataFrame) -> pd.DataFrame:
    """Active persons who share a DNI, e-mail, phone or phonetic name key with a roster row,
    through their current values or any of their identity records.

    One indexed query per key kind, table and chunk. A (surname, given name) pair as common
    as "Quispe Juan" is only looked up with the maternal surname too: the engine would not
    compare such a crowd anyway (its blocks stop at `LinkageConfig.max_block_size`).
    """
    ids = candidate_person_ids(rows)
    if not ids:
        return _frame([])
    found: list[tuple[object, ...]] = []
    for chunk in _chunks(sorted(ids), 2000):
        found.extend(Person.objects.filter(id__in=chunk).values_list(*PERSON_FIELDS))
    return _frame(found)


def records_frame(active_ids: Iterable[int] | None = None) -> tuple[pd.DataFrame, np.ndarray]:
    """Every description of the given active persons (all active persons with None), as
    canonical records with positional ids, and the active person each record describes.

    A person's records are its identity records, those of every person merged into it, and
    the current values of each of those persons (which hold every administrator's edit).
    """
    if active_ids is None:
        members = members_of(
            Person.objects.filter(status=PersonStatus.ACTIVE).values_list("pk", flat=True)
        )
    else:
        members = members_of(active_ids)
    person_rows: list[tuple[object, ...]] = []
    record_rows: list[tuple[object, ...]] = []
    for chunk in _chunks(sorted(members), 2000):
        person_rows.extend(Person.objects.filter(pk__in=chunk).values_list(*PERSON_FIELDS))
        record_rows.extend(
            IdentityRecord.objects.filter(person_id__in=chunk).values_list(*RECORD_FIELDS)
        )
    frame = pd.concat([_frame(person_rows), _records(record_rows)], ignore_index=False)
    owners = np.array([members[int(pk)] for pk in frame["owner"]], dtype=np.int64)
    frame = frame.drop(columns=["owner"])
    # Identical descriptions add nothing: keep one of each per person.
    frame["_group"] = owners
    frame = frame.drop_duplicates()
    owners = frame.pop("_group").to_numpy(np.int64)
    frame.index = pd.RangeIndex(len(frame), name="record")
    return frame, owners


def _records(rows: list[tuple[object, ...]]) -> pd.DataFrame:
    raw = pd.DataFrame(rows, columns=list(RECORD_FIELDS))
    frame = pd.DataFrame(index=pd.RangeIndex(len(raw)))
    for column in _TEXT_RECORD_FIELDS:
        frame[column] = raw[column].fillna("").to_numpy(object)
    frame["birth_date"] = (
        raw["birth_date"].map(lambda d: d.isoformat() if d else "").to_numpy(object)
    )
    frame["owner"] = raw["person_id"].to_numpy(np.int64)
    return frame
