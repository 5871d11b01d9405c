"""Persons as linkage-engine records, read from the database.

The engine (`participants.linkage`) works on DataFrames in the canonical record schema. This
module builds them: the whole registry for `dedupe`, and for a roster only the persons that
share a blocking key with one of its rows, fetched through indexed columns so that linking a
roster stays fast however large the registry grows.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np
import pandas as pd
from django.db import connection

from participants.linkage.keys import TEXT_COLUMNS
from participants.merge_chains import chain_end, chain_members
from participants.models import IdentityRecord, Person, PersonStatus
from participants.names import fold, second_given_name
from participants.phonetic import given_key as first_given_key
from participants.phonetic import maternal_key as maternal_surname_key
from participants.phonetic import spanish_phonetic_key, surname_key

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
# IN lists are sent in chunks to stay below SQLite's bound-parameter limit (PostgreSQL gets
# one array parameter however many values).
_CHUNK = 300
# A name pair held by more persons than this is too common to fetch on its own.
MAX_NAME_BLOCK = 300


def _frame(rows: pd.DataFrame | list[tuple[object, ...]]) -> pd.DataFrame:
    raw = (
        rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(rows, columns=list(PERSON_FIELDS))
    )
    frame = pd.DataFrame(index=pd.Index(raw["id"].astype("int64"), name="id"))
    frame["owner"] = raw["id"].to_numpy(np.int64)
    for column in ("given_names", "paternal_surname", "maternal_surname", "email", "phone"):
        frame[column] = raw[column].fillna("").to_numpy(object)
    is_dni = (raw["document_type"] == "dni").to_numpy()
    frame["dni"] = raw["document_number"].where(is_dni, "").fillna("").to_numpy(object)
    frame["sex"] = raw["sex"].where(raw["sex"].isin(["F", "M", "X"]), "").to_numpy(object)
    frame["birth_date"] = _date_text(raw["birth_date"])
    return frame


@dataclass
class _NameLookups:
    """What the rows' names look up in the registry (phonetic keys, see `_name_lookups`)."""

    triples: set[tuple[str, str, str]] = field(default_factory=set)  # (paternal, maternal, given)
    pairs: set[tuple[str, str]] = field(default_factory=set)  # (paternal, given)
    surnames: set[tuple[str, str]] = field(default_factory=set)  # (paternal, maternal)
    maternal_given: set[tuple[str, str]] = field(default_factory=set)  # (maternal, given)


def _name_lookups(rows: pd.DataFrame) -> _NameLookups:
    """Phonetic (paternal, maternal, first given) triples to look up for the rows - in both
    surname orders, and with the maternal surname missing or reduced to its initial, as
    registries hold it - and (surname, first given) pairs for rows that lack a full maternal
    surname themselves.

    Two habits need more: a person who signs with the second given name ("Elena" for "María
    Elena") is looked up by the second given name, and by both surnames alone when the row has
    one given name; a row with surnames swapped and the maternal one an initial ("Ccahuana P.
    Wilber") by its paternal surname as someone's maternal one."""
    found = _NameLookups()
    for given, paternal, maternal in rows[
        ["given_names", "paternal_surname", "maternal_surname"]
    ].itertuples(index=False):
        given_key = first_given_key(given)
        paternal_key = surname_key(paternal)
        maternal_key = maternal_surname_key(maternal)
        if not given_key or not paternal_key:
            continue
        found.triples.add((paternal_key, "", given_key))
        rest = fold(given).partition(" ")[2]
        second_name = second_given_name(rest)
        if len(maternal_key) > 1:
            found.triples.add((paternal_key, maternal_key, given_key))
            found.triples.add((maternal_key, paternal_key, given_key))
            found.triples.add((paternal_key, spanish_phonetic_key(maternal_key[0]), given_key))
            if second_name:
                second = spanish_phonetic_key(second_name)
                found.triples.add((paternal_key, maternal_key, second))
                found.triples.add((maternal_key, paternal_key, second))
            else:
                found.surnames.add((paternal_key, maternal_key))
        else:
            found.pairs.add((paternal_key, given_key))
            found.maternal_given.add((paternal_key, given_key))
    return found


_T = TypeVar("_T")
# A row of key values: (paternal, given), (paternal, maternal, given), ...
_Row = TypeVar("_Row", bound=tuple[str, ...])


def _chunks(values: list[_T], size: int = _CHUNK) -> Iterator[list[_T]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def sql_in(column: str, values: Iterable[object], kind: str = "text") -> list[tuple[str, list]]:
    """Conditions (with their parameters) for `column IN values`: one array on PostgreSQL,
    chunks of bound parameters elsewhere (SQLite's limit)."""
    values = list(values)
    if not values:
        return []
    if _postgres():
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
    if _postgres():
        arrays = ", ".join(["%s::text[]"] * len(columns))
        # Column names are this module's constants; only values travel as parameters.
        return f"{target} IN (SELECT * FROM unnest({arrays}))", [  # noqa: S608
            [values[i] for values in tuples] for i in range(len(columns))
        ]
    placeholders = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(tuples))
    return f"{target} IN (VALUES {placeholders})", [value for values in tuples for value in values]


def _rows_in(columns: tuple[str, ...], tuples: list[_Row]) -> list[tuple[str, list]]:
    """`_in_rows` for any number of tuples: one condition on PostgreSQL, chunks elsewhere."""
    if not tuples:
        return []
    if _postgres():
        return [_in_rows(columns, tuples)]
    return [_in_rows(columns, chunk) for chunk in _chunks(tuples)]


def _fetch(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    # Bound values (text, ints, arrays of them on PostgreSQL) and rows as the driver gives
    # them: the columns' types are the SQL's, which nothing here can check.
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _common_pairs(
    pairs: list[tuple[str, str]], columns: tuple[str, str] = ("paternal_key", "given_key")
) -> set[tuple[str, str]]:
    """Pairs held by more persons than one linkage block takes ("QUISPE JUAN")."""
    table = connection.ops.quote_name(_PERSONS)
    common: set[tuple[str, str]] = set()
    first, second = columns
    for condition, params in _rows_in(columns, pairs):
        common.update(
            (row[0], row[1])
            for row in _fetch(
                f"SELECT {first}, {second} FROM {table} WHERE status = %s "  # noqa: S608
                f"AND {condition} GROUP BY {first}, {second} HAVING COUNT(*) > %s",
                [PersonStatus.ACTIVE, *params, MAX_NAME_BLOCK],
            )
        )
    return common


def _rare(pairs: set[tuple[str, str]], columns: tuple[str, str]) -> list[tuple[str, str]]:
    return sorted(pairs - _common_pairs(sorted(pairs), columns))


def _key_matches(rows: pd.DataFrame) -> tuple[set[int], set[int]]:
    """Ids of active persons, and of persons with identity records, sharing a key with a row.

    The same indexed lookups run on both tables: a person's current values, and every record
    that ever described them (a DNI or an address only a later roster showed). On PostgreSQL
    they travel as one statement (a UNION of index scans, one array per key kind).
    """
    dnis = sorted({d for d in rows.get("dni", pd.Series(dtype=object)) if d})
    emails = sorted({v for v in rows.get("email", pd.Series(dtype=object)) if v})
    phones = sorted({v for v in rows.get("phone", pd.Series(dtype=object)) if v})
    names = _name_lookups(rows)
    rare_pairs = _rare(names.pairs, ("paternal_key", "given_key"))
    rare_surnames = _rare(names.surnames, ("paternal_key", "maternal_key"))
    # (maternal, given) has an index on persons only: records are not searched that way.
    rare_maternal_given = _rare(names.maternal_given, ("maternal_key", "given_key"))
    # (table, SELECT ... WHERE ..., parameters); persons found on their records are tagged 1.
    selects: list[tuple[str, str, list[object]]] = []
    for table in (_PERSONS, _RECORDS):
        # Table and column names are this module's constants; values travel as parameters.
        if table == _PERSONS:
            head = f"SELECT id, 0 FROM {table} WHERE status = %s AND "  # noqa: S608
            base: list[object] = [PersonStatus.ACTIVE]
        else:
            head, base = f"SELECT person_id, 1 FROM {table} WHERE ", []  # noqa: S608
        dni_column = "document_number" if table == _PERSONS else "dni"
        conditions = [
            *sql_in(dni_column, dnis),
            *sql_in("email", emails),
            *sql_in("phone", phones),
            *_rows_in(("paternal_key", "maternal_key", "given_key"), sorted(names.triples)),
            *_rows_in(("paternal_key", "given_key"), rare_pairs),
            *_rows_in(("paternal_key", "maternal_key"), rare_surnames),
        ]
        if table == _PERSONS:
            conditions += _rows_in(("maternal_key", "given_key"), rare_maternal_given)
        selects += [(table, head + condition, [*base, *params]) for condition, params in conditions]
    found: dict[int, set[int]] = {0: set(), 1: set()}
    if _postgres() and selects:
        statement = " UNION ".join(sql for _, sql, _ in selects)
        results = _fetch(statement, [value for _, _, params in selects for value in params])
    else:
        results = [row for _, sql, params in selects for row in _fetch(sql, params)]
    for pk, tag in results:
        found[int(tag)].add(int(pk))
    return found[0], found[1]


def _persons_where_in(columns: str, key: str, ids: Iterable[int]) -> list[tuple[object, ...]]:
    """`columns` of the persons whose `key` is one of `ids`, read in chunks."""
    rows: list[tuple[object, ...]] = []
    for condition, params in sql_in(key, sorted(ids), "bigint"):
        rows += _fetch(f"SELECT {columns} FROM {_PERSONS} WHERE {condition}", params)  # noqa: S608
    return rows


def _person_links(ids: Iterable[int]) -> list[tuple[int, str, int | None]]:
    """(id, status, merged into) of the given persons."""
    return _persons_where_in("id, status, merged_into_id", "id", ids)  # type: ignore[return-value]


def active_persons_of(ids: Iterable[int]) -> dict[int, int]:
    """Each person id -> the active person it is today (merges followed); cancelled ones and
    persons merged into a cancelled one are left out."""
    ids = list(ids)
    pending = set(ids)
    resolved: dict[int, int] = {}
    parent: dict[int, int | None] = {}
    status: dict[int, str] = {}
    while pending:
        for pk, state, into in _person_links(pending):
            parent[pk], status[pk] = into, state
        pending = {into for into in parent.values() if into is not None and into not in parent}
    for pk in ids:
        current = chain_end(pk, parent)
        if status.get(current) == PersonStatus.ACTIVE:
            resolved[pk] = current
    return resolved


def members_of(active_ids: Iterable[int]) -> dict[int, int]:
    """Every person merged into the given active persons (and they themselves) -> the active
    person: whose records describe whom."""
    return chain_members(active_ids, _merged_into_any)


def _merged_into_any(ids: list[int]) -> list[tuple[int, int]]:
    return _persons_where_in("id, merged_into_id", "merged_into_id", ids)  # type: ignore[return-value]


def _registry_members() -> tuple[np.ndarray, np.ndarray]:
    """`members_of` every active person, as arrays (person ids, their active person), read
    in one pass over the persons table instead of one lookup per merge generation."""
    rows = _fetch(
        f"SELECT id, status, COALESCE(merged_into_id, 0) FROM {_PERSONS}",  # noqa: S608
        [],
    )
    if not rows:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    ids_list, states, into_list = zip(*rows, strict=True)
    ids = np.asarray(ids_list, dtype=np.int64)
    into = np.asarray(into_list, dtype=np.int64)
    active = np.asarray(states, dtype=object) == PersonStatus.ACTIVE
    index = pd.Index(ids)
    # Follow each merge chain to its end: a person that points nowhere.
    current = np.arange(len(ids))
    for _ in range(100):
        nxt = into[current]
        moving = np.flatnonzero(nxt != 0)
        if not len(moving):
            break
        target = index.get_indexer(nxt[moving])
        moving, target = moving[target >= 0], target[target >= 0]
        if not len(moving):
            break
        current[moving] = target
    member = active[current] & (into[current] == 0)
    return ids[member], ids[current[member]]


def candidate_person_ids(rows: pd.DataFrame) -> set[int]:
    """Active persons any of whose records shares a DNI, e-mail, phone or name key with a row."""
    persons, holders = _key_matches(rows)
    return persons | set(active_persons_of(holders).values())


def _birth_date_text() -> str:
    # ISO text ('' when missing) from the database itself, not one date object per row.
    return (
        "COALESCE(to_char(birth_date, 'YYYY-MM-DD'), '')"
        if _postgres()
        else "COALESCE(birth_date, '')"
    )


def _person_columns() -> str:
    return ", ".join(
        _birth_date_text() if field == "birth_date" else field for field in PERSON_FIELDS
    )


def _record_columns() -> str:
    return ", ".join(
        _birth_date_text() if field == "birth_date" else field for field in RECORD_FIELDS
    )


def _copy_frame(sql: str, columns: tuple[str, ...]) -> pd.DataFrame:
    """A whole table's rows through COPY (PostgreSQL): text, not a Python tuple per row."""
    buffer = io.BytesIO()
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)") as copy,
    ):
        for data in copy:
            buffer.write(data)
    buffer.seek(0)
    if not buffer.getbuffer().nbytes:
        return pd.DataFrame(columns=list(columns))
    return pd.read_csv(
        buffer,
        header=None,
        names=list(columns),
        dtype={
            column: (np.int64 if column in ("id", "person_id") else object) for column in columns
        },
        keep_default_na=False,
        na_filter=False,
    )


def _description_rows(members: np.ndarray | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Current values of the member persons, and their identity records (every member, the
    whole registry with None), in person and record id order."""
    persons_sql = f"SELECT {_person_columns()} FROM {_PERSONS}"  # noqa: S608
    records_sql = f"SELECT {_record_columns()} FROM {_RECORDS}"  # noqa: S608
    if members is None:
        persons_sql += f" WHERE status IN ('{PersonStatus.ACTIVE}', '{PersonStatus.MERGED}')"
        if _postgres():
            return (
                _copy_frame(persons_sql + " ORDER BY id", PERSON_FIELDS),
                _copy_frame(records_sql + " ORDER BY person_id, id", RECORD_FIELDS),
            )
        person_rows = _fetch(persons_sql + " ORDER BY id", [])
        record_rows = _fetch(records_sql + " ORDER BY person_id, id", [])
    else:
        # Ascending ids in ascending chunks: the rows come out in id order as a whole.
        ids = sorted(int(pk) for pk in members)
        person_rows, record_rows = [], []
        for condition, params in sql_in("id", ids, "bigint"):
            person_rows += _fetch(f"{persons_sql} WHERE {condition} ORDER BY id", params)
        for condition, params in sql_in("person_id", ids, "bigint"):
            record_rows += _fetch(f"{records_sql} WHERE {condition} ORDER BY person_id, id", params)
    return (
        pd.DataFrame(person_rows, columns=list(PERSON_FIELDS)),
        pd.DataFrame(record_rows, columns=list(RECORD_FIELDS)),
    )


def records_frame(active_ids: Iterable[int] | None = None) -> tuple[pd.DataFrame, np.ndarray]:
    """Every description of the given active persons (all active persons with None), as
    canonical records with positional ids, and the active person each record describes.

    A person's records are its identity records, those of every person merged into it, and
    the current values of each of those persons (which hold every administrator's edit).
    """
    if active_ids is None:
        member_ids, member_owners = _registry_members()
        persons, records = _description_rows(None)
    else:
        members = members_of(active_ids)
        member_ids = np.fromiter(members.keys(), dtype=np.int64, count=len(members))
        member_owners = np.fromiter(members.values(), dtype=np.int64, count=len(members))
        persons, records = _description_rows(member_ids)
    frame = pd.concat([_frame(persons), _records(records)], ignore_index=False)
    index = pd.Index(member_ids)
    position = index.get_indexer(frame["owner"].to_numpy(np.int64))
    # Rows of persons outside the members (a cancelled person's) are not descriptions.
    frame = frame[position >= 0]
    owners = member_owners[position[position >= 0]]
    frame = frame.drop(columns=["owner"])
    # Identical descriptions add nothing: keep one of each per person.
    frame["_group"] = owners
    frame = frame.drop_duplicates()
    owners = frame.pop("_group").to_numpy(np.int64)
    frame.index = pd.RangeIndex(len(frame), name="record")
    return frame, owners


def _records(rows: pd.DataFrame | list[tuple[object, ...]]) -> pd.DataFrame:
    raw = (
        rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(rows, columns=list(RECORD_FIELDS))
    )
    frame = pd.DataFrame(index=pd.RangeIndex(len(raw)))
    for column in _TEXT_RECORD_FIELDS:
        frame[column] = raw[column].fillna("").to_numpy(object)
    frame["birth_date"] = _date_text(raw["birth_date"])
    frame["owner"] = raw["person_id"].to_numpy(np.int64)
    return frame


def _date_text(values: pd.Series) -> np.ndarray:
    """'YYYY-MM-DD' or '' (dates arrive as text from `_birth_date_text`, or as dates)."""
    return values.map(
        lambda d: "" if d is None or d == "" else d if isinstance(d, str) else d.isoformat()
    ).to_numpy(object)


def person_descriptions(person_ids: Iterable[int]) -> tuple[pd.DataFrame, np.ndarray]:
    """Each given person's own descriptions - its current values and its identity records,
    not those of persons merged into it - as canonical records, and whose each one is."""
    ids = np.array(sorted({int(pk) for pk in person_ids}), dtype=np.int64)
    persons, records = _description_rows(ids)
    frame = pd.concat([_frame(persons), _records(records)], ignore_index=True)
    owners = frame.pop("owner").to_numpy(np.int64)
    return frame, owners
