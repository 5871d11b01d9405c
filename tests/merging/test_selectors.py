"""participants.selectors: codes of merged persons keep resolving."""

from __future__ import annotations

import pytest

from participants.models import Person
from participants.selectors import cluster_ids, merge_is_latest, merge_list, person_resolve
from review.merging import person_merge, person_unmerge
from tests.factories import PersonFactory


def test_an_active_person_resolves_to_itself(person):
    assert person_resolve(person) == person
    assert person_resolve(person.code) == person
    assert person_resolve(person.pk) == person


def test_a_tombstone_code_resolves_to_the_survivor_also_through_chains(db):
    a, b, c = (PersonFactory(document_number="") for _ in range(3))
    person_merge(survivor=b, merged=a, actor=None)
    assert person_resolve(a.code) == b

    person_merge(survivor=c, merged=b, actor=None)

    assert person_resolve(a.code) == c
    assert person_resolve(a.code.lower()) == c  # codes typed by hand
    assert person_resolve(Person.objects.get(pk=a.pk)) == c
    assert cluster_ids(c) == {a.pk, b.pk, c.pk}


def test_an_unknown_code_is_an_error(db):
    with pytest.raises(Person.DoesNotExist):
        person_resolve("PE-0000000Z")


def test_merge_history_and_which_merge_can_be_undone(db):
    a, b, c = (PersonFactory(document_number="") for _ in range(3))
    first = person_merge(survivor=b, merged=a, actor=None)
    second = person_merge(survivor=c, merged=b, actor=None)

    assert list(merge_list(person=b)) == [second, first]
    assert list(merge_list(person=a)) == [first]
    assert not merge_is_latest(first)
    assert merge_is_latest(second)
    person_unmerge(merge=second, actor=None)
    assert merge_is_latest(first)
