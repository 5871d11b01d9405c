"""Every review decision is in the audit log: by pair id and participant codes, never names."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from participants.models import RecordSource
from review.services import candidate_decide
from review.splits import person_split, split_keep, split_suspects_queue
from tests.factories import (
    CohortFactory,
    DuplicateCandidateFactory,
    EnrollmentFactory,
    PersonFactory,
    SourceRecordFactory,
    UserFactory,
    identity_record_of_row,
)

pytestmark = pytest.mark.django_db


def _names_and_dnis(*persons) -> list[str]:  # type: ignore[no-untyped-def]
    values = []
    for person in persons:
        values += [person.given_names, person.paternal_surname, person.maternal_surname]
        values.append(person.document_number)
    return [value for value in values if value]


@pytest.mark.parametrize("decision", ["different", "skip"])
def test_different_and_skip_are_recorded_with_codes_only(decision: str) -> None:
    actor = UserFactory()
    candidate = DuplicateCandidateFactory()
    candidate_decide(candidate=candidate, decision=decision, actor=actor)

    event = AuditEvent.objects.get(action=AuditAction.REVIEW_DECISION)
    assert event.actor == actor
    assert event.object_type == "participants.duplicatecandidate"
    assert event.object_id == str(candidate.pk)
    assert event.details == {
        "decision": decision,
        "person_a": candidate.person_a.code,
        "person_b": candidate.person_b.code,
        "source": "review_page",
    }
    text = json.dumps(event.details) + str(event)
    for value in _names_and_dnis(candidate.person_a, candidate.person_b):
        assert value not in text


def test_decision_on_the_review_page_is_recorded(client) -> None:  # type: ignore[no-untyped-def]
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    candidate = DuplicateCandidateFactory()
    response = client.post(reverse("review:pair", args=[candidate.pk]), {"decision": "different"})
    assert response.status_code == 302
    event = AuditEvent.objects.get(action=AuditAction.REVIEW_DECISION)
    assert (event.actor, event.details["decision"]) == (admin, "different")


def test_same_is_recorded_once_as_the_merge() -> None:
    actor = UserFactory()
    candidate = DuplicateCandidateFactory()
    candidate_decide(candidate=candidate, decision="same", actor=actor)
    assert AuditEvent.objects.filter(action=AuditAction.MERGE, actor=actor).count() == 1
    assert not AuditEvent.objects.filter(action=AuditAction.REVIEW_DECISION).exists()


def test_a_refused_decision_records_nothing() -> None:
    candidate = DuplicateCandidateFactory()
    candidate_decide(candidate=candidate, decision="different", actor=None)
    with pytest.raises(Exception, match="ya fue decidido"):
        candidate_decide(candidate=candidate, decision="skip", actor=None)
    assert AuditEvent.objects.filter(action=AuditAction.REVIEW_DECISION).count() == 1


@pytest.fixture
def suspect():  # type: ignore[no-untyped-def]
    person = PersonFactory(document_number="41234567")
    for dni in ("41234567", "70011223"):
        enrollment = EnrollmentFactory(person=person, cohort=CohortFactory())
        row = SourceRecordFactory(person=person, enrollment=enrollment)
        identity_record_of_row(
            person=person,
            source=RecordSource.ROSTER_ROW,
            row=row,
            given_names=person.given_names,
            paternal_surname=person.paternal_surname,
            dni=dni,
            document_type="dni",
            document_number=dni,
        )
    [candidate] = split_suspects_queue([person.pk])
    return candidate


def test_split_queue_decisions_are_recorded(suspect) -> None:  # type: ignore[no-untyped-def]
    actor = UserFactory()
    new_person = person_split(candidate=suspect, dni="70011223", actor=actor)
    split = AuditEvent.objects.get(action=AuditAction.SPLIT)
    assert (split.actor, split.object_code) == (actor, suspect.person.code)
    assert split.details["new_person"] == new_person.code
    assert "70011223" not in json.dumps(split.details)


def test_keeping_a_split_suspect_together_is_recorded(suspect) -> None:  # type: ignore[no-untyped-def]
    actor = UserFactory()
    split_keep(candidate=suspect, actor=actor)
    event = AuditEvent.objects.get(action=AuditAction.REVIEW_DECISION)
    assert (event.actor, event.object_code) == (actor, suspect.person.code)
    assert event.details["decision"] == "keep_together"
