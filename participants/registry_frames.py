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
CANONICAL_COLUMNS = (
    "given_names",
    "paternal_surname",
    "maternal_surname",
    "dni",
    "sex",
    "birth_date",
    "email",
    "phone",
)
# Row-value IN lists are sent in chunks to stay below SQLite's bound-parameter limit.
_CHUNK = 400


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


def _name_key_pairs(rows: pd.DataFrame) -> set[tuple[str, str]]:
    """(surname key, first-given-name key) pairs of the rows, both surname orders."""
    pairs: set[tuple[str, str]] = set()
    for given, paternal, maternal in rows[
        ["given_names", "paternal_surname", "maternal_surname"]
    ].itertuples(index=False):
        first = fold(given).split(" ")[0] if given else ""
        given_key = spanish_phonetic_key(first)
        if not given_key:
            continue
        for surname in (paternal, maternal):
            surname_key = spanish_phonetic_key(surname)
            if surname_key:
                pairs.add((surname_key, given_key))
    return pairs


def _chunks(values: list[object], size: int = _CHUNK) -> Iterable[list[object]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def candidate_persons(rows: pd.DataFrame) -> pd.DataFrame:
    """Active persons sharing a DNI, email, phone or a (surname, first given name) phonetic
    key with any of the roster rows (either surname order). One indexed query per key kind.
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
    pairs = sorted(_name_key_pairs(rows))
    table = connection.ops.quote_name(Person._meta.db_table)
    with connection.cursor() as cursor:
        for surname_column in ("paternal_key", "maternal_key"):
            for chunk in _chunks(pairs):
                placeholders = ", ".join(["(%s, %s)"] * len(chunk))
                params = [value for pair in chunk for value in pair]
                # Row values keep the pairs exact: two separate IN lists would also fetch
                # every (common surname, common given name) combination in the registry.
                cursor.execute(
                    f"SELECT id FROM {table} WHERE status = %s AND "  # noqa: S608
                    f"({surname_column}, given_key) IN (VALUES {placeholders})",
                    [PersonStatus.ACTIVE, *params],
                )
                ids.update(row[0] for row in cursor.fetchall())
    if not ids:
        return _frame([])
    found: list[tuple[object, ...]] = []
    for chunk in _chunks(sorted(ids), 2000):
        found.extend(Person.objects.filter(id__in=chunk).values_list(*PERSON_FIELDS))
    return _frame(found)
