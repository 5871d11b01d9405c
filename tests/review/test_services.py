"""Review services: pairs recorded once, decisions remembered, constraints for clustering."""

from __future__ import annotations

import pytest

from participants.models import Decision, DuplicateCandidate, MergeRecord, Person, PersonStatus
from review.merging import person_merge
from review.selectors import candidate_next, candidate_queue
from review.services import (
    ReviewError,
    candidate_decide,
    candidate_record,
    review_constraints,
)
from tests.factories import DuplicateCandidateFactory, PersonFactory, UserFactory


def _persons(n):
    return [PersonFactory(document_number="") for _ in range(n)]


def test_candidate_record_stores_the_pair_lower_id_first_once(db):
    a, b = _persons(2)

    first = candidate_record(
        person_a=b, person_b=a, score=0.7, reasons=["apellido paterno coincide"]
    )
    again = candidate_record(person_a=a, person_b=b, score=0.9, reasons="other")

    assert (first.person_a_id, first.person_b_id) == (a.pk, b.pk)
    assert again == first
    assert DuplicateCandidate.objects.get().score == 0.7
    assert first.reasons == ["apellido paterno coincide"]


def test_a_decided_pair_is_never_reopened(db):
    actor = UserFactory()
    candidate = DuplicateCandidateFactory()
    candidate_decide(candidate=candidate, decision="different", actor=actor)

    returned = candidate_record(
        person_a=candidate.person_a, person_b=candidate.person_b, score=0.99
    )

    assert returned == candidate
    returned.refresh_from_db()
    assert returned.decision == Decision.DIFFERENT
    assert DuplicateCandidate.objects.count() == 1
    assert not candidate_queue().exists()


def test_candidate_record_speaks_of_survivors_and_remembers_decisions_across_merges(db):
    survivor, merged, other = _persons(3)
    different = DuplicateCandidateFactory(
        person_a=merged, person_b=other, decision=Decision.DIFFERENT
    )
    person_merge(survivor=survivor, merged=merged, actor=None)

    # The linkage engine now proposes (survivor, other): a reviewer already said no.
    assert candidate_record(person_a=survivor, person_b=other, score=0.8) == different
    # A proposal naming the tombstone is about its survivor; the same person twice is no pair.
    assert candidate_record(person_a=merged, person_b=survivor, score=0.8) is None
    assert DuplicateCandidate.objects.count() == 1

    fresh = PersonFactory(document_number="")
    pair = candidate_record(person_a=merged, person_b=fresh, score=0.6)
    assert (pair.person_a_id, pair.person_b_id) == (survivor.pk, fresh.pk)


def test_decide_same_merges_into_the_chosen_survivor(db):
    actor = UserFactory()
    candidate = DuplicateCandidateFactory(score=0.81)

    merge = candidate_decide(
        candidate=candidate, decision="same", actor=actor, survivor=candidate.person_b
    )

    candidate.refresh_from_db()
    assert candidate.decision == Decision.SAME
    assert candidate.decided_by == actor
    assert merge.survivor == candidate.person_b
    assert merge.merged == candidate.person_a
    assert merge.score == 0.81
    assert Person.objects.get(pk=candidate.person_a.pk).status == PersonStatus.MERGED


def test_decide_same_defaults_to_the_person_registered_first(db):
    candidate = DuplicateCandidateFactory()
    merge = candidate_decide(candidate=candidate, decision="same", actor=None)
    assert merge.survivor == candidate.person_a


def test_decide_different_is_remembered_and_not_asked_again(db):
    actor = UserFactory()
    candidate, other = DuplicateCandidateFactory(), DuplicateCandidateFactory(score=0.5)

    assert candidate_decide(candidate=candidate, decision="different", actor=actor) is None

    candidate.refresh_from_db()
    assert candidate.decision == Decision.DIFFERENT
    assert candidate.decided_by == actor
    assert candidate.decided_at is not None
    assert list(candidate_queue()) == [other]
    with pytest.raises(ReviewError, match=r"ya decidió que .* son personas distintas"):
        candidate_decide(candidate=candidate, decision="same", actor=actor)
    assert not MergeRecord.objects.exists()


def test_skip_sends_the_pair_to_the_end_of_the_queue(db):
    top = DuplicateCandidateFactory(score=0.95)
    middle = DuplicateCandidateFactory(score=0.7)
    low = DuplicateCandidateFactory(score=0.55)

    candidate_decide(candidate=top, decision="skip", actor=None)

    top.refresh_from_db()
    assert top.decision == Decision.SKIPPED
    assert list(candidate_queue()) == [middle, low, top]
    assert candidate_next(after=top) == middle
    # A skipped pair can still be answered later.
    candidate_decide(candidate=top, decision="different", actor=None)
    assert list(candidate_queue()) == [middle, low]


def test_unknown_decision_and_foreign_survivor_are_refused(db):
    candidate = DuplicateCandidateFactory()
    with pytest.raises(ReviewError, match="Decisión desconocida"):
        candidate_decide(candidate=candidate, decision="maybe", actor=None)
    with pytest.raises(ReviewError, match="no es una de las dos personas"):
        candidate_decide(candidate=candidate, decision="same", actor=None, survivor=PersonFactory())
    candidate.refresh_from_db()
    assert candidate.decision == Decision.PENDING


def test_a_refused_merge_leaves_the_pair_open(db):
    a = PersonFactory(document_number="41234567")
    b = PersonFactory(document_number="41234569")
    candidate = DuplicateCandidateFactory(person_a=a, person_b=b)

    with pytest.raises(ReviewError, match="documentos distintos"):
        candidate_decide(candidate=candidate, decision="same", actor=None)

    candidate.refresh_from_db()
    assert candidate.decision == Decision.PENDING
    merge = candidate_decide(candidate=candidate, decision="same", actor=None, force=True)
    assert merge.before_state["forced"] is True


def test_review_constraints_from_decisions(db):
    a, b, c, d, e = _persons(5)
    DuplicateCandidateFactory(person_a=a, person_b=b, decision=Decision.DIFFERENT)
    DuplicateCandidateFactory(person_a=c, person_b=d)  # pending: no constraint
    DuplicateCandidateFactory(person_a=d, person_b=e, decision=Decision.SKIPPED)
    same = DuplicateCandidateFactory(person_a=b, person_b=c)
    candidate_decide(candidate=same, decision="same", actor=None, survivor=c)

    must, cannot = review_constraints()
    assert must == []  # the confirmed pair is one person now
    assert cannot == [(a.pk, c.pk)]  # "a is not b" and b is c now

    must, cannot = review_constraints(resolve=False)
    assert must == [(b.pk, c.pk)]
    assert cannot == [(a.pk, b.pk)]
