"""Rows of one file that are one person: the same document, the same linked person, or
what the engine finds when it deduplicates the file on its own.

Two rows of a roster without a DNI (a participant listed in the morning and afternoon
sheets) are one person when their names and contacts agree as strongly as a link to the
registry would require. Rows are never put together when that would give one person two
different valid DNIs.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from participants.linkage import LinkageConfig, dedupe, prepare
from participants.linkage.clustering import dni_sets_conflict
from participants.linkage_store import ModelInUse
from participants.matching.frequencies import RegistryCounts, with_registry_frequencies

# Prior share of rows that repeat another row of the same roster.
IN_FILE_REPEAT_RATE = 0.02


class _Components:
    def __init__(self, dnis: list[str], policy: str) -> None:
        self.parent = list(range(len(dnis)))
        self.dnis = [{d} if d else set() for d in dnis]
        self.policy = policy

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int, *, checked: bool) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if checked and dni_sets_conflict(self.dnis[ra], self.dnis[rb], self.policy):
            return
        low, high = min(ra, rb), max(ra, rb)
        self.parent[high] = low
        self.dnis[low] |= self.dnis[high]

    def groups(self) -> list[list[int]]:
        members: dict[int, list[int]] = {}
        for index in range(len(self.parent)):
            members.setdefault(self.find(index), []).append(index)
        return [group for group in members.values() if len(group) > 1]


def file_clusters(
    rows: pd.DataFrame,
    documents: list[str],
    person_id: list[int | None],
    config: LinkageConfig,
    model: ModelInUse,
    counts: RegistryCounts | None = None,
) -> list[list[int]]:
    """Groups (row positions 0..n-1, in file order) of more than one row of one person."""
    counts = counts or RegistryCounts()
    dnis = [key[4:] if key.startswith("dni:") else "" for key in documents]
    components = _Components(dnis, config.dni_conflict)
    first_of: dict[object, int] = {}
    names = _name_and_birth_keys(rows)
    for index, key in enumerate(documents):
        for same, checked in (
            (key or None, False),
            (("person", person_id[index]) if person_id[index] else None, False),
            # The same full name and birth date twice in one roster is one person.
            (names[index] or None, True),
        ):
            if same is None:
                continue
            if same in first_of:
                components.union(first_of[same], index, checked=checked)
            else:
                first_of[same] = index
    named = np.flatnonzero(rows["paternal_surname"].to_numpy(object) != "")
    if len(named) > 1:
        frame = rows.iloc[named].reset_index(drop=True)
        prepared = prepare(frame, config)
        prepared = with_registry_frequencies(
            prepared, counts.size(), rows=prepared, model=model.model, counts=counts
        )
        result = dedupe(
            prepared,
            config=config,
            model=dataclasses.replace(model.model, matches_per_record=IN_FILE_REPEAT_RATE),
        )
        linked = result.pairs[result.pairs["decision"] == "link"]
        for left, right in linked[["left_id", "right_id"]].itertuples(index=False):
            components.union(int(named[int(left)]), int(named[int(right)]), checked=True)
    return components.groups()


def _name_and_birth_keys(rows: pd.DataFrame) -> list[str]:
    return [
        f"name:{r['paternal_surname']}|{r['maternal_surname']}|{r['given_names']}|{r['birth_date']}"
        if r["birth_date"] and r["paternal_surname"]
        else ""
        for r in rows[
            ["paternal_surname", "maternal_surname", "given_names", "birth_date"]
        ].to_dict("records")
    ]
