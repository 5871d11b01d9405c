"""Persons' descriptions - current values and identity records - as canonical records.

The engine (`participants.linkage`) works on DataFrames in the canonical record schema. This
module builds them: for the whole registry (`dedupe`), for given active persons with every
person merged into them (a roster's candidates, `participants.record_frames.blocking`), or
for given persons on their own.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

import numpy as np
import pandas as pd
from django.db import connection

from participants.linkage.keys import TEXT_COLUMNS
from participants.models import PersonStatus
from participants.record_frames.merged_persons import members_of, registry_members
from participants.record_frames.sql import PERSONS, RECORDS, fetch, id_array, postgres, sql_in

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


def _birth_date_text() -> str:
    # ISO text ('' when missing) from the database itself, not one date object per row.
    return (
        "COALESCE(to_char(birth_date, 'YYYY-MM-DD'), '')"
        if postgres()
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
    persons_sql = f"SELECT {_person_columns()} FROM {PERSONS}"  # noqa: S608
    records_sql = f"SELECT {_record_columns()} FROM {RECORDS}"  # noqa: S608
    if members is None:
        persons_sql += f" WHERE status IN ('{PersonStatus.ACTIVE}', '{PersonStatus.MERGED}')"
        if postgres():
            return (
                _copy_frame(persons_sql + " ORDER BY id", PERSON_FIELDS),
                _copy_frame(records_sql + " ORDER BY person_id, id", RECORD_FIELDS),
            )
        person_rows = fetch(persons_sql + " ORDER BY id", [])
        record_rows = fetch(records_sql + " ORDER BY person_id, id", [])
    elif postgres():
        # A roster's candidates are tens of thousands of rows: COPY hands them over as text,
        # cheaper than a Python tuple per row. The ids are ints written here, not user text.
        ids_array = f"'{id_array(sorted(members))}'::bigint[]"
        return (
            _copy_frame(
                f"{persons_sql} WHERE id = ANY({ids_array}) ORDER BY id",
                PERSON_FIELDS,
            ),
            _copy_frame(
                f"{records_sql} WHERE person_id = ANY({ids_array}) ORDER BY person_id, id",
                RECORD_FIELDS,
            ),
        )
    else:
        # Ascending ids in ascending chunks: the rows come out in id order as a whole.
        ids = sorted(int(pk) for pk in members)
        person_rows, record_rows = [], []
        for condition, params in sql_in("id", ids, "bigint"):
            person_rows += fetch(f"{persons_sql} WHERE {condition} ORDER BY id", params)
        for condition, params in sql_in("person_id", ids, "bigint"):
            record_rows += fetch(f"{records_sql} WHERE {condition} ORDER BY person_id, id", params)
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
        member_ids, member_owners = registry_members()
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
    if pd.api.types.infer_dtype(values, skipna=False) in ("string", "empty"):
        # Text already (COPY hands over a million persons' dates as text): nothing to map.
        return values.to_numpy(object)
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
