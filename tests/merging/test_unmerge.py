"""person_unmerge: the exact prior state comes back, and only for the latest merge."""

from __future__ import annotations

import pytest

from participants.models import Decision, MergeRecord, Person, PersonStatus
from participants.services import person_update
from review.merging import MergeError, person_merge, person_unmerge
from tests.factories import CohortFactory, DuplicateCandidateFactory, PersonFactory, UserFactory
from tests.merging.conftest import enroll, snapshot


def test_unmerge_restores_every_affected_row_exactly(pair, admin_user):
    x, y = PersonFactory(document_number=""), PersonFactory(document_number="")
    DuplicateCandidateFactory(person_a=pair.merged, person_b=x)  # re-pointed by the merge
    DuplicateCandidateFactory(person_a=pair.merged, person_b=y)  # a duplicate of the next one
    DuplicateCandidateFactory(person_a=pair.survivor, person_b=y)
    candidate = DuplicateCandidateFactory(person_a=pair.survivor, person_b=pair.merged)
    before = snapshot()

    merge = person_merge(
        survivor=pair.survivor,
        merged=pair.merged,
        actor=admin_user,
        candidate=candidate,
        field_choices={"given_names": "merged"},
    )
    assert snapshot() != before
    undoer = UserFactory()
    person_unmerge(merge=merge, actor=undoer)

    assert snapshot() == before
    merge.refresh_from_db()
    assert merge.undone_by == undoer
    assert merge.undone_at is not None


def test_the_survivor_can_take_the_merged_persons_dni_and_give_it_back(pair):
    before = snapshot()
    merge = person_merge(survivor=pair.survivor, merged=pair.merged, actor=None)
    pair.survivor.refresh_from_db()
    assert pair.survivor.document_number == "04512345"

    person_unmerge(merge=merge, actor=None)

    assert snapshot() == before
    assert Person.objects.active().filter(document_number="04512345").get() == pair.merged


def test_unmerge_twice_is_refused(pair):
    merge = person_merge(survivor=pair.survivor, merged=pair.merged, actor=None)
    person_unmerge(merge=merge, actor=None)

    with pytest.raises(MergeError, match="ya se deshizo"):
        person_unmerge(merge=merge, actor=None)


def test_unmerge_of_an_earlier_merge_is_refused_until_later_ones_are_undone(db):
    a, b, c = (PersonFactory(document_number="") for _ in range(3))
    for person in (a, b, c):
        enroll(person, CohortFactory(), phases=("pre",))
    before = snapshot()
    first = person_merge(survivor=b, merged=a, actor=None)
    second = person_merge(survivor=c, merged=b, actor=None)

    with pytest.raises(MergeError, match=f"{b.code} se fusionó en {c.code} después de esta fusión"):
        person_unmerge(merge=first, actor=None)

    person_unmerge(merge=second, actor=None)
    person_unmerge(merge=first, actor=None)
    assert snapshot() == before
    assert Person.objects.active().count() == 3


def test_a_survivor_field_edited_after_the_merge_keeps_the_edit(pair):
    merge = person_merge(survivor=pair.survivor, merged=pair.merged, actor=None)
    survivor = Person.objects.get(pk=pair.survivor.pk)
    assert survivor.maternal_surname == "Mamani"  # taken from the merged person
    person_update(person=survivor, phone="+51 987 654 321", maternal_surname="Mamani Ccori")

    person_unmerge(merge=merge, actor=None)

    survivor.refresh_from_db()
    assert survivor.phone == "+51 987 654 321"
    assert survivor.maternal_surname == "Mamani Ccori"
    assert survivor.document_number == ""  # untouched since the merge: restored


def test_unmerge_reopens_the_pair_the_merge_answered(db):
    candidate = DuplicateCandidateFactory()
    merge = person_merge(
        survivor=candidate.person_a, merged=candidate.person_b, actor=None, candidate=candidate
    )

    person_unmerge(merge=merge, actor=None)

    candidate.refresh_from_db()
    assert candidate.decision == Decision.PENDING
    assert candidate.decided_at is None
    assert Person.objects.get(pk=candidate.person_b.pk).status == PersonStatus.ACTIVE
    assert MergeRecord.objects.get().undone_at is not None


def test_unmerge_is_refused_when_the_dni_now_belongs_to_another_active_person(db):
    survivor = PersonFactory(document_number="")
    merged = PersonFactory(document_number="11112222")
    merge = person_merge(survivor=survivor, merged=merged, actor=None)
    person_update(person=survivor, document_number="")
    PersonFactory(document_number="11112222")

    with pytest.raises(MergeError, match="pertenece ahora a la persona activa"):
        person_unmerge(merge=merge, actor=None)
    assert Person.objects.get(pk=merged.pk).status == PersonStatus.MERGED
