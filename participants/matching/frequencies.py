"""How common each compared value is in the whole registry (term frequencies).

Among candidates fetched because they are called Chuquimamani, every one is called
Chuquimamani; a value's weight must come from how rare it is among all persons. Names are
counted by phonetic key over active persons (indexed columns), which pools spelling
variants: a little more common than the exact spelling, so the evidence is, if anything,
understated. E-mail addresses and phones are counted as the number of different persons whose
records show them, so an office inbox that five colleagues wrote is five times as common as a
personal address. The rows being linked count too.

A young registry knows little about how common a name is (in a registry of two persons every
name is held by half of them), so counts are smoothed towards the model's chance agreement as
if `PSEUDO_POPULATION` typical persons had been seen: a nearly empty registry weighs
agreement as the model does on average, and a large one by its own counts.

Only values the rows being linked show are counted: a frequency weighs an agreement at a
term-frequency level (the same surname, first given name, address or phone), so a registry
value no row shows is never read. `RegistryCounts` keeps what one roster's linking has read,
so its within-file pass asks the database only for what the registry pass did not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd
from django.db import connection

from participants.linkage import LinkageModel
from participants.models import IdentityRecord, Person, PersonStatus
from participants.record_frames.merged_persons import active_persons_of
from participants.record_frames.sql import sql_in

_PERSONS = Person._meta.db_table
_RECORDS = IdentityRecord._meta.db_table
# Name-key column -> the kind of count it feeds (surnames are pooled over both columns).
_NAME_COLUMNS = (("paternal_key", "surname"), ("maternal_key", "surname"), ("given_key", "given"))


def _fetch(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    # Bound values (text, or arrays of it on PostgreSQL) and rows as the driver gives them:
    # the columns' types are the SQL's, which nothing here can check.
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _name_counts(surname_keys: set[str], given_keys: set[str]) -> tuple[dict, dict]:
    """Active persons per phonetic surname key (paternal or maternal) and first given name key.

    One grouped, index-only scan per column over the active persons' partial indexes
    (`person_*_key_active_idx`); on PostgreSQL the three travel as one statement.
    """
    selects: list[tuple[str, str, list[object]]] = []
    for column, kind in _NAME_COLUMNS:
        keys = sorted(surname_keys if kind == "surname" else given_keys)
        for condition, params in sql_in(column, keys):
            # The status is a literal so that the planner can use the partial indexes.
            selects.append(
                (
                    kind,
                    f"SELECT {column}, COUNT(*) FROM {_PERSONS} "  # noqa: S608
                    f"WHERE status = '{PersonStatus.ACTIVE}' AND {condition} GROUP BY {column}",
                    params,
                )
            )
    counts: dict[str, dict[str, int]] = {"surname": {}, "given": {}}
    if connection.vendor == "postgresql" and selects:
        tagged = " UNION ALL ".join(
            f"SELECT {i}, * FROM ({sql}) AS c{i}"  # noqa: S608
            for i, (_, sql, _) in enumerate(selects)
        )
        rows = [
            (selects[int(i)][0], key, n)
            for i, key, n in _fetch(tagged, [p for _, _, params in selects for p in params])
        ]
    else:
        rows = [(kind, key, n) for kind, sql, params in selects for key, n in _fetch(sql, params)]
    for kind, key, n in rows:
        counts[kind][key] = counts[kind].get(key, 0) + n
    return counts["surname"], counts["given"]


def contact_holders(column: str, values: Iterable[str]) -> dict[str, int]:
    """E-mail (or phone) -> how many different active persons show it on any record."""
    values = sorted({value for value in values if value})
    if not values:
        return {}
    selects: list[tuple[str, list[object]]] = []
    for condition, params in sql_in(column, values):
        selects.append(
            (
                f"SELECT {column}, id FROM {_PERSONS} "  # noqa: S608
                f"WHERE status = '{PersonStatus.ACTIVE}' AND {condition}",
                params,
            )
        )
        selects.append((f"SELECT {column}, person_id FROM {_RECORDS} WHERE {condition}", params))  # noqa: S608
    pairs: set[tuple[str, int]] = set()
    if connection.vendor == "postgresql":
        pairs.update(
            _fetch(" UNION ".join(sql for sql, _ in selects), [p for _, ps in selects for p in ps])
        )
    else:
        for sql, params in selects:
            pairs.update(_fetch(sql, params))
    survivors = active_persons_of({pk for _, pk in pairs})
    holders: dict[str, set[int]] = {}
    for value, pk in pairs:
        if pk in survivors:
            holders.setdefault(value, set()).add(survivors[pk])
    return {value: len(persons) for value, persons in holders.items()}


def registry_size() -> int:
    """Active persons (counted on an active-persons partial index)."""
    return Person.objects.filter(status=PersonStatus.ACTIVE).count()


class RegistryCounts:
    """What the registry says about how common values are, each value read at most once.

    One per roster being linked: its registry pass and its within-file pass ask for
    overlapping values, and the registry does not change in between.
    """

    def __init__(self) -> None:
        self._size: int | None = None
        self._counts: dict[str, dict[str, int]] = {
            "surname": {},
            "given": {},
            "email": {},
            "phone": {},  # by the phone as stored, not yet by its last nine digits
        }

    def size(self) -> int:
        if self._size is None:
            self._size = registry_size()
        return self._size

    def _missing(self, kind: str, values: Iterable[str]) -> set[str]:
        return {value for value in values if value and value not in self._counts[kind]}

    def counts(
        self, surname_keys: set[str], given_keys: set[str], emails: set[str], phones: set[str]
    ) -> tuple[dict[str, int], dict[str, int], dict[str, int], dict[str, int]]:
        """(surname, given, email, stored phone) -> active persons, for the values asked."""
        surnames, givens = (
            self._missing("surname", surname_keys),
            self._missing("given", given_keys),
        )
        if surnames or givens:
            surname_counts, given_counts = _name_counts(surnames, givens)
            self._store("surname", surnames, surname_counts)
            self._store("given", givens, given_counts)
        for kind, values in (("email", emails), ("phone", phones)):
            missing = self._missing(kind, values)
            if missing:
                self._store(kind, missing, contact_holders(kind, missing))
        return tuple(  # type: ignore[return-value]
            {value: self._counts[kind][value] for value in wanted if value in self._counts[kind]}
            for kind, wanted in (
                ("surname", surname_keys),
                ("given", given_keys),
                ("email", emails),
                ("phone", phones),
            )
        )

    def _store(self, kind: str, asked: set[str], found: dict[str, int]) -> None:
        known = self._counts[kind]
        for value in asked:
            known[value] = found.get(value, 0)


PSEUDO_POPULATION = 1_000
# The agreement level whose chance rate stands for a value's frequency before any count.
_TYPICAL_LEVEL = {
    "surname": ("paternal", 3),
    "given": ("given", 5),
    "email": ("email", 3),
    "phone": ("phone", 2),
}


def _typical_rates(model: LinkageModel) -> dict[str, float]:
    rates = {}
    for kind, (feature, level) in _TYPICAL_LEVEL.items():
        u = model.u[model.features.index(feature)]
        rates[kind] = float(u[level])
    return rates


def with_registry_frequencies(
    prepared: pd.DataFrame,
    registry_size: int | None = None,
    rows: pd.DataFrame | None = None,
    *,
    model: LinkageModel,
    counts: RegistryCounts | None = None,
) -> pd.DataFrame:
    """The prepared frame with the registry's frequencies (plus those of `rows`, prepared).

    With `rows`, only the values they show are counted (see the module docstring); the other
    values of `prepared` get the frequency of a value the registry has never seen.
    """
    counts = counts or RegistryCounts()
    if registry_size is None:
        registry_size = counts.size()
    frames = [prepared] if rows is None else [prepared, rows]
    shown = prepared if rows is None else rows
    surname_keys = (set(shown["pat_ph"]) | set(shown["mat_ph"])) - {""}
    given_keys = set(shown["giv1_ph"]) - {""}
    emails = set(shown["email_norm"]) - {""}
    # Phones agree on their last nine digits: every stored spelling of those digits counts.
    phone9s = set(shown["phone9"]) - {""}
    phones = {raw for frame in frames for raw in set(frame["phone"]) if _nine(raw) in phone9s}
    surname_counts, given_counts, email_counts, phone_holders = counts.counts(
        surname_keys, given_keys, emails, phones
    )
    phone_counts = _phone_counts(phone_holders)
    total = max(registry_size, 0)
    # Values of the rows being matched -> how often they show them, by kind of count.
    extra: dict[str, dict[str, int]] = {"surname": {}, "given": {}, "email": {}, "phone": {}}
    if rows is not None:
        total += len(rows)
        extra["surname"] = pd.concat([rows["pat_ph"], rows["mat_ph"]]).value_counts().to_dict()
        extra["given"] = rows["giv1_ph"].value_counts().to_dict()
        extra["email"] = rows["email_norm"].value_counts().to_dict()
        extra["phone"] = rows["phone9"].value_counts().to_dict()
    typical = _typical_rates(model)

    def freq(values: pd.Series, counts: dict, kind: str) -> object:
        added = values.map(extra[kind]).fillna(0) if extra[kind] else 0
        counted = values.map(counts).fillna(0) + added
        smoothed = (counted + typical[kind] * PSEUDO_POPULATION) / (total + PSEUDO_POPULATION)
        return smoothed.where(values != "", 0).to_numpy(float)

    out = prepared.copy()
    out["pat_freq"] = freq(out["pat_ph"], surname_counts, "surname")
    out["mat_freq"] = freq(out["mat_ph"], surname_counts, "surname")
    out["giv1_freq"] = freq(out["giv1_ph"], given_counts, "given")
    out["email_freq"] = freq(out["email_norm"], email_counts, "email")
    out["phone_freq"] = freq(out["phone9"], phone_counts, "phone")
    return out


def _nine(value: str) -> str:
    """A stored phone as the engine compares it: its last nine digits ('' if too short)."""
    digits = re.sub(r"\D", "", value)
    return digits[-9:] if len(digits) >= 7 else ""


def _phone_counts(holders: dict[str, int]) -> dict[str, int]:
    """Holders per phone as the engine compares it (its last nine digits); phones are stored
    as the import writes them ("+51 987 654 321")."""
    out: dict[str, int] = {}
    for value, n in holders.items():
        nine = _nine(value)
        if nine:
            out[nine] = out.get(nine, 0) + n
    return out
