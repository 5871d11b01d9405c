"""Persons as linkage-engine records, read from the database.

The engine (`participants.linkage`) works on DataFrames in the canonical record schema. This
module builds them: the whole registry for `dedupe`, and for a roster only the persons that
share a blocking key with one of its rows, fetched through indexed columns so that linking a
roster stays fast however large the registry grows.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
from django.db import connection
from django.db.models import QuerySet

from participants.models import Person, PersonStatus
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
# Row-value IN lists are sent in chunks to stay below SQLite's bound-parameter limit.
_CHUNK = 300
# A name pair held by more persons than this is too common to fetch on its own.
MAX_NAME_BLOCK = 300


def persons_frame(queryset: QuerySet[Person] | None = None) -> pd.DataFrame:
    """Canonical records of persons (active ones by default), indexed by person id."""
    queryset = Person.objects.filter(status=PersonStatus.ACTIVE) if queryset is None else queryset
    rows = list(queryset.order_by().values_list(*PERSON_FIELDS))
    return _frame(rows)


def _frame(rows: list[tuple[object, ...]]) -> pd.DataFrame:
    raw = pd.DataFrame(rows, columns=list(PERSON_FIELDS))
    frame = pd.DataFrame(index=pd.Index(raw["id"].astype("int64"), name="id"))
    for column in ("given_names", "paternal_surname", "maternal_surname", "email", "phone"):
        frame[column] = raw[column].fillna("").to_numpy(object)
    is_dni = (raw["document_type"] == "dni").to_numpy()
    frame["dni"] = raw["document_number"].where(is_dni, "").fillna("").to_numpy(object)
    frame["sex"] = raw["sex"].where(raw["sex"].isin(["F", "M", "X"]), "").to_numpy(object)
    frame["birth_date"] = (
        raw["birth_date"].map(lambda d: d.isoformat() if d else "").to_numpy(object)
    )
    return frame


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


def _ids_where(condition: str, params: list[object]) -> set[int]:
    table = connection.ops.quote_name(Person._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM {table} WHERE status = %s AND {condition}",  # noqa: S608
            [PersonStatus.ACTIVE, *params],
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


def candidate_persons(rows: pd.DataFrame) -> pd.DataFrame:
    """Active persons who share a DNI, email, phone or phonetic name key with a roster row.

    One indexed query per key kind and chunk. A (surname, given name) pair as common as
    "Quispe Juan" is only looked up with the maternal surname too: the engine would not
    compare such a crowd anyway (its blocks stop at `LinkageConfig.max_block_size`).
    """
    ids: set[int] = set()
    dnis = sorted({d for d in rows.get("dni", pd.Series(dtype=object)) if d})
    for chunk in _chunks(dnis):
        ids.update(
            Person.objects.filter(
                status=PersonStatus.ACTIVE, document_type="dni", document_number__in=chunk
            ).values_list("id", flat=True)
        )
    for column in ("email", "phone"):
        values = sorted({v for v in rows.get(column, pd.Series(dtype=object)) if v})
        for chunk in _chunks(values):
            ids.update(
                Person.objects.filter(
                    status=PersonStatus.ACTIVE, **{f"{column}__in": chunk}
                ).values_list("id", flat=True)
            )
    triples, pairs = _name_keys(rows)
    for chunk in _chunks(sorted(triples)):  # type: ignore[arg-type]
        ids.update(_ids_where(*_in_rows(("paternal_key", "maternal_key", "given_key"), chunk)))  # type: ignore[arg-type]
    rare_pairs = sorted(set(pairs) - _common_pairs(sorted(pairs)))
    for chunk in _chunks(rare_pairs):  # type: ignore[arg-type]
        ids.update(_ids_where(*_in_rows(("paternal_key", "given_key"), chunk)))  # type: ignore[arg-type]
    if not ids:
        return _frame([])
    found: list[tuple[object, ...]] = []
    for chunk in _chunks(sorted(ids), 2000):
        found.extend(Person.objects.filter(id__in=chunk).values_list(*PERSON_FIELDS))
    return _frame(found)
