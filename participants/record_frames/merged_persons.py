"""Merged persons resolved from the persons table: the active person each one is today, and
every person merged into an active one (the walk itself is `participants.merge_chains`).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from participants.merge_chains import chain_end, chain_members
from participants.models import PersonStatus
from participants.record_frames.sql import PERSONS, fetch, sql_in


def _persons_where_in(columns: str, key: str, ids: Iterable[int]) -> list[tuple[object, ...]]:
    """`columns` of the persons whose `key` is one of `ids`, read in chunks."""
    rows: list[tuple[object, ...]] = []
    for condition, params in sql_in(key, sorted(ids), "bigint"):
        rows += fetch(f"SELECT {columns} FROM {PERSONS} WHERE {condition}", params)  # noqa: S608
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


def registry_members() -> tuple[np.ndarray, np.ndarray]:
    """`members_of` every active person, as arrays (person ids, their active person), read
    in one pass over the persons table instead of one lookup per merge generation."""
    rows = fetch(
        f"SELECT id, status, COALESCE(merged_into_id, 0) FROM {PERSONS}",  # noqa: S608
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
