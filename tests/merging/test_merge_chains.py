"""The one walk along merged_into: to the end of the chain, and a loop refused the same way."""

from __future__ import annotations

import pytest

from participants.merge_chains import MergeChainLoop, chain_end, chain_ends, chain_members
from participants.models import PersonStatus
from participants.record_frames.merged_persons import active_persons_of
from participants.selectors import person_resolve
from tests.factories import PersonFactory

# 1 into 2, 2 into 3; 4 alone; 5 into 3.
PARENT: dict[int, int | None] = {1: 2, 2: 3, 3: None, 4: None, 5: 3}


def test_a_chain_ends_at_the_survivor_of_its_survivor() -> None:
    assert chain_end(1, PARENT) == 3
    assert chain_end(4, PARENT) == 4
    assert chain_ends(PARENT) == {1: 3, 2: 3, 3: 3, 4: 4, 5: 3}


def test_members_are_found_generation_by_generation() -> None:
    def children_of(ids: list[int]) -> list[tuple[int, int]]:
        return [(pk, into) for pk, into in PARENT.items() if into in ids]

    assert chain_members([3, 4], children_of) == {3: 3, 2: 3, 5: 3, 1: 3, 4: 4}


@pytest.mark.parametrize("walk", [lambda p: chain_end(1, p), chain_ends])
def test_a_loop_is_refused_however_long(walk) -> None:
    looping = {1: 2, 2: 3, 3: 1}
    with pytest.raises(MergeChainLoop, match="vuelve sobre sí misma"):
        walk(looping)
    # A long chain that does not loop is followed to its end, whatever its length.
    long_chain: dict[int, int | None] = {pk: pk + 1 for pk in range(500)}
    long_chain[500] = None
    assert chain_end(0, long_chain) == 500


@pytest.mark.django_db
def test_every_reader_refuses_a_corrupt_loop_alike() -> None:
    first, second = PersonFactory(), PersonFactory()
    # Only corrupt data loops: merges always point at an active person.
    type(first).objects.filter(pk=first.pk).update(status=PersonStatus.MERGED, merged_into=second)
    type(first).objects.filter(pk=second.pk).update(status=PersonStatus.MERGED, merged_into=first)
    with pytest.raises(MergeChainLoop):
        person_resolve(first.code)
    with pytest.raises(MergeChainLoop):
        active_persons_of([first.pk])
