"""person_merge: what moves, what folds, what is refused, and what the record keeps."""

from __future__ import annotations

import pytest

from assessments.models import Score
from audit.models import AuditAction, AuditEvent
from courses.models import Enrollment, SourceRecord
from participants.models import Decision, MergeRecord, Person, PersonStatus
from review.merging import MergeError, person_merge, person_unmerge
from tests.factories import (
    CohortFactory,
    DuplicateCandidateFactory,
    PersonFactory,
    UserFactory,
)
from tests.merging.conftest import enroll


def test_merge_moves_enrollments_scores_and_sources(pair, admin_user):
    moved = Enrollment.objects.get(person=pair.merged, cohort=pair.only_merged)
    moved_score = moved.scores.get()
    moved_source = moved.source_records.get()

    record = person_merge(survivor=pair.survivor, merged=pair.merged, actor=admin_user, score=0.93)

    moved.refresh_from_db()
    assert moved.person == pair.survivor
    assert moved.scores.get() == moved_score
    moved_source.refresh_from_db()
    assert moved_source.person == pair.survivor
    assert moved_source.enrollment == moved
    assert not Enrollment.objects.filter(person=pair.merged).exists()
    assert not SourceRecord.objects.filter(person=pair.merged).exists()
    assert record.survivor == pair.survivor
    assert record.merged == pair.merged
    assert record.merged_by == admin_user
    assert record.score == 0.93
    assert record.rule == "survivorship"


def test_merged_person_becomes_a_tombstone_with_its_own_values(pair):
    before = Person.objects.filter(pk=pair.merged.pk).values().get()

    person_merge(survivor=pair.survivor, merged=pair.merged, actor=None)

    after = Person.objects.filter(pk=pair.merged.pk).values().get()
    assert after["status"] == PersonStatus.MERGED
    assert after["merged_into_id"] == pair.survivor.pk
    for field in ("given_names", "paternal_surname", "maternal_surname", "document_number"):
        assert after[field] == before[field]


def test_same_cohort_enrollments_fold_into_one_keeping_both_source_records(pair):
    sources_before = SourceRecord.objects.count()
    kept = Enrollment.objects.get(person=pair.survivor, cohort=pair.shared)
    folded = Enrollment.objects.get(person=pair.merged, cohort=pair.shared)
    folded_source = folded.source_records.get()
    folded_post = folded.scores.get(phase="post")

    record = person_merge(survivor=pair.survivor, merged=pair.merged, actor=None)

    assert Enrollment.objects.filter(cohort=pair.shared).count() == 1
    assert not Enrollment.objects.filter(pk=folded.pk).exists()
    assert SourceRecord.objects.count() == sources_before
    assert set(kept.source_records.values_list("pk", flat=True)) >= {folded_source.pk}
    assert kept.source_records.count() == 2
    # The post-test the survivor lacked moves; the survivor's own pre-test stays.
    assert set(kept.scores.values_list("phase", flat=True)) == {"pre", "post"}
    assert kept.scores.get(phase="post").pk == folded_post.pk
    assert kept.scores.get(phase="pre").raw_score == 10
    # The folded pre-test is gone from the tables but kept whole in the before-state.
    removed = record.before_state["removed_scores"]
    assert [row["phase"] for row in removed] == ["pre"]
    assert record.before_state["folded_enrollments"][0]["id"] == folded.pk
    # The survivor's enrollment had no institution: it takes the other roster's spelling.
    kept.refresh_from_db()
    assert kept.institution_text == "Fiscalía de Puno"


def test_total_participations_drop_by_the_folded_enrollment_only(pair):
    enrollments_before = Enrollment.objects.count()
    scores_before = Score.objects.count()

    person_merge(survivor=pair.survivor, merged=pair.merged, actor=None)

    assert Enrollment.objects.count() == enrollments_before - 1
    assert Score.objects.count() == scores_before - 1
    assert Person.objects.active().count() == 1


def test_merge_refuses_a_person_already_merged(pair):
    third = PersonFactory()
    person_merge(survivor=pair.survivor, merged=pair.merged, actor=None)

    with pytest.raises(
        MergeError, match=f"{pair.merged.code} ya fue fusionada en {pair.survivor.code}"
    ):
        person_merge(survivor=third, merged=pair.merged, actor=None)
    with pytest.raises(MergeError, match="ya fue fusionada"):
        person_merge(survivor=pair.merged, merged=third, actor=None)
    assert MergeRecord.objects.count() == 1


def test_merge_refuses_the_same_person(person):
    with pytest.raises(MergeError, match="consigo misma"):
        person_merge(survivor=person, merged=person, actor=None)


def test_different_valid_dnis_are_refused_without_force(db):
    survivor = PersonFactory(document_number="41234567")
    merged = PersonFactory(document_number="48765321")
    cohort = CohortFactory()
    enroll(merged, cohort)

    with pytest.raises(MergeError, match="documentos distintos"):
        person_merge(survivor=survivor, merged=merged, actor=None)
    assert Person.objects.get(pk=merged.pk).status == PersonStatus.ACTIVE
    assert Enrollment.objects.get(cohort=cohort).person_id == merged.pk

    record = person_merge(survivor=survivor, merged=merged, actor=None, force=True)

    survivor.refresh_from_db()
    assert survivor.document_number == "41234567"
    assert record.before_state["forced"] is True
    assert record.before_state["conflicts"]["document"] == [
        ["dni", "41234567"],
        ["dni", "48765321"],
    ]


def test_pair_declared_different_is_refused_without_force(db):
    candidate = DuplicateCandidateFactory(decision=Decision.DIFFERENT)

    with pytest.raises(MergeError, match=r"ya decidió .* distintas"):
        person_merge(survivor=candidate.person_a, merged=candidate.person_b, actor=None)

    person_merge(survivor=candidate.person_a, merged=candidate.person_b, actor=None, force=True)
    assert Person.objects.get(pk=candidate.person_b.pk).status == PersonStatus.MERGED


def test_a_different_decision_about_a_merged_person_also_counts(db):
    survivor, merged, other = (PersonFactory(document_number="") for _ in range(3))
    DuplicateCandidateFactory(person_a=merged, person_b=other, decision=Decision.DIFFERENT)
    person_merge(survivor=survivor, merged=merged, actor=None)

    with pytest.raises(MergeError, match="son personas distintas"):
        person_merge(survivor=survivor, merged=other, actor=None)


def test_merge_with_candidate_records_the_decision(db):
    actor = UserFactory()
    candidate = DuplicateCandidateFactory(score=0.72)

    record = person_merge(
        survivor=candidate.person_b, merged=candidate.person_a, actor=actor, candidate=candidate
    )

    candidate.refresh_from_db()
    assert candidate.decision == Decision.SAME
    assert candidate.decided_by == actor
    assert record.candidate == candidate
    assert record.score == 0.72
    assert record.before_state["candidate"]["decision"] == Decision.PENDING


def test_merge_refuses_a_candidate_already_decided_or_of_other_persons(db):
    decided = DuplicateCandidateFactory(decision=Decision.SAME)
    with pytest.raises(MergeError, match="ya fue decidido"):
        person_merge(
            survivor=decided.person_a, merged=decided.person_b, actor=None, candidate=decided
        )
    other = DuplicateCandidateFactory()
    with pytest.raises(MergeError, match="no es el par"):
        person_merge(
            survivor=decided.person_a, merged=decided.person_b, actor=None, candidate=other
        )


def test_merge_without_candidate_answers_the_open_pair_of_the_two(db):
    candidate = DuplicateCandidateFactory()

    record = person_merge(survivor=candidate.person_a, merged=candidate.person_b, actor=None)

    candidate.refresh_from_db()
    assert candidate.decision == Decision.SAME
    assert record.candidate == candidate


def test_open_pairs_of_the_merged_person_move_to_the_survivor(db):
    survivor, merged, x, y, z = (PersonFactory(document_number="") for _ in range(5))
    repointed = DuplicateCandidateFactory(person_a=merged, person_b=x)
    duplicate = DuplicateCandidateFactory(person_a=merged, person_b=y)
    existing = DuplicateCandidateFactory(person_a=survivor, person_b=y)
    known_different = DuplicateCandidateFactory(person_a=merged, person_b=z)
    DuplicateCandidateFactory(person_a=survivor, person_b=z, decision=Decision.DIFFERENT)
    skipped = DuplicateCandidateFactory(
        person_a=merged, person_b=PersonFactory(document_number=""), decision=Decision.SKIPPED
    )
    history = DuplicateCandidateFactory(
        person_a=merged, person_b=PersonFactory(), decision=Decision.DIFFERENT
    )

    record = person_merge(survivor=survivor, merged=merged, actor=None)

    repointed.refresh_from_db()
    assert (repointed.person_a_id, repointed.person_b_id) == tuple(sorted((survivor.pk, x.pk)))
    # (merged, y) asks what (survivor, y) already asks: only one of them stays.
    assert not type(duplicate).objects.filter(pk=duplicate.pk).exists()
    existing.refresh_from_db()
    assert existing.decision == Decision.PENDING
    known_different.refresh_from_db()
    assert known_different.decision == Decision.DIFFERENT
    skipped.refresh_from_db()
    assert skipped.person_a_id == survivor.pk
    assert skipped.decision == Decision.SKIPPED
    history.refresh_from_db()
    assert history.person_a_id == merged.pk
    assert history.decision == Decision.DIFFERENT
    assert len(record.before_state["candidates_removed"]) == 1
    assert len(record.before_state["candidates_repointed"]) == 2
    assert len(record.before_state["candidates_answered"]) == 1


def test_field_choice_naming_an_unknown_field_is_refused(pair):
    with pytest.raises(MergeError, match="Unknown field 'colour'"):
        person_merge(
            survivor=pair.survivor, merged=pair.merged, actor=None, field_choices={"colour": "x"}
        )
    assert Person.objects.get(pk=pair.merged.pk).status == PersonStatus.ACTIVE


def test_merge_and_unmerge_are_audited(db: None) -> None:
    survivor, merged = PersonFactory(), PersonFactory(document_number="")
    record = person_merge(survivor=survivor, merged=merged, actor=None)
    merge_event = AuditEvent.objects.get(action=AuditAction.MERGE)
    assert merge_event.details["merged"] == merged.code
    assert merge_event.details["merge_id"] == record.pk

    person_unmerge(merge=record, actor=None)
    unmerge_event = AuditEvent.objects.get(action=AuditAction.UNMERGE)
    assert unmerge_event.details == {"merged": merged.code, "merge_id": record.pk}
