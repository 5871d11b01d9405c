"""The persons that share a blocking key with a roster's rows, found through indexed columns.

For a roster only these persons are read (`candidate_person_ids`), so that linking a roster
stays fast however large the registry grows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from django.db import connection

from participants.models import PersonStatus
from participants.names import fold, second_given_name
from participants.phonetic import given_key as first_given_key
from participants.phonetic import maternal_key as maternal_surname_key
from participants.phonetic import spanish_phonetic_key, surname_key
from participants.record_frames.merged_persons import active_persons_of
from participants.record_frames.sql import PERSONS, RECORDS, fetch, postgres, rows_in, sql_in

# A name pair held by more persons than this is too common to fetch on its own.
MAX_NAME_BLOCK = 300


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


def _common_pairs(
    pairs: list[tuple[str, str]], columns: tuple[str, str] = ("paternal_key", "given_key")
) -> set[tuple[str, str]]:
    """Pairs held by more persons than one linkage block takes ("QUISPE JUAN")."""
    table = connection.ops.quote_name(PERSONS)
    common: set[tuple[str, str]] = set()
    first, second = columns
    for condition, params in rows_in(columns, pairs):
        common.update(
            (row[0], row[1])
            for row in fetch(
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
    # (maternal, given) has an index on persons only (person_maternal_given_idx): records are
    # not searched that way.
    rare_maternal_given = _rare(names.maternal_given, ("maternal_key", "given_key"))
    # (table, SELECT ... WHERE ..., parameters); persons found on their records are tagged 1.
    selects: list[tuple[str, str, list[object]]] = []
    for table in (PERSONS, RECORDS):
        # Table and column names are this package's constants; values travel as parameters.
        if table == PERSONS:
            head = f"SELECT id, 0 FROM {table} WHERE status = %s AND "  # noqa: S608
            base: list[object] = [PersonStatus.ACTIVE]
        else:
            head, base = f"SELECT person_id, 1 FROM {table} WHERE ", []  # noqa: S608
        dni_column = "document_number" if table == PERSONS else "dni"
        conditions = [
            *sql_in(dni_column, dnis),
            *sql_in("email", emails),
            *sql_in("phone", phones),
            *rows_in(("paternal_key", "maternal_key", "given_key"), sorted(names.triples)),
            *rows_in(("paternal_key", "given_key"), rare_pairs),
            *rows_in(("paternal_key", "maternal_key"), rare_surnames),
        ]
        if table == PERSONS:
            conditions += rows_in(("maternal_key", "given_key"), rare_maternal_given)
        selects += [(table, head + condition, [*base, *params]) for condition, params in conditions]
    found: dict[int, set[int]] = {0: set(), 1: set()}
    if postgres() and selects:
        statement = " UNION ".join(sql for _, sql, _ in selects)
        results = fetch(statement, [value for _, _, params in selects for value in params])
    else:
        results = [row for _, sql, params in selects for row in fetch(sql, params)]
    for pk, tag in results:
        found[int(tag)].add(int(pk))
    return found[0], found[1]


def candidate_person_ids(rows: pd.DataFrame) -> set[int]:
    """Active persons any of whose records shares a DNI, e-mail, phone or name key with a row."""
    persons, holders = _key_matches(rows)
    return persons | set(active_persons_of(holders).values())
