"""The one walk along `merged_into`, with one loop policy.

A merge makes the merged person a tombstone pointing at its survivor, which may itself be
merged later (A into B, B into C). Merges only ever point at an active person, so a chain can
never loop; one that does is corrupt data, and every walk refuses it the same way, with
`MergeChainLoop`, rather than stopping after some number of steps and answering with a person
in the middle of the chain.

The walks take the pointers as a mapping (person id -> the id it was merged into, or None),
read by the caller in whatever way suits it (one query for the whole table, or a few ids),
and never touch the database themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping


class MergeChainLoop(ValueError):
    """A merge chain that comes back to a person it has passed: the data is corrupt."""

    def __init__(self, person_id: int) -> None:
        super().__init__(
            f"La cadena de fusiones de la persona {person_id} vuelve sobre sí misma; "
            "revise sus registros de fusión."
        )
        self.person_id = person_id


def chain_end(person_id: int, parent: Mapping[int, int | None]) -> int:
    """The person `person_id` stands for today: its survivor's survivor, to the end."""
    seen = {person_id}
    current = person_id
    while (into := parent.get(current)) is not None:
        if into in seen:
            raise MergeChainLoop(person_id)
        seen.add(into)
        current = into
    return current


def chain_ends(parent: Mapping[int, int | None]) -> dict[int, int]:
    """`chain_end` of every person in `parent`, each chain walked once."""
    ends: dict[int, int] = {}
    for start in parent:
        path: list[int] = []
        on_path: set[int] = set()
        current = start
        while current not in ends:
            into = parent.get(current)
            if into is None:
                ends[current] = current
                break
            if current in on_path:
                raise MergeChainLoop(start)
            path.append(current)
            on_path.add(current)
            current = into
        end = ends[current]
        for pk in path:
            ends[pk] = end
    return ends


def chain_members(
    roots: Iterable[int], children_of: Callable[[list[int]], Iterable[tuple[int, int]]]
) -> dict[int, int]:
    """Every person merged into one of `roots`, directly or through a chain (and the roots
    themselves) -> its root. `children_of(ids)` yields (person id, id it was merged into) for
    the persons merged into any of `ids`: one query per generation of merges."""
    members = {pk: pk for pk in roots}
    frontier = list(members)
    while frontier:
        found: list[int] = []
        for pk, into in children_of(frontier):
            if pk in members:
                raise MergeChainLoop(pk)
            members[pk] = members[into]
            found.append(pk)
        frontier = found
    return members
