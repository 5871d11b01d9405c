"""A split whose DNI another active person already holds is refused, in Spanish, whole.

The constraint `person_one_active_per_document` allows one active person per DNI: a split
that would give the new person (or leave the original one with) a DNI someone else holds
cannot be made. It must say so, naming the participant codes and what to do, and write
nothing, instead of failing on the database.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from courses.models import Enrollment, SourceRecord
from participants.models import Decision, IdentityRecord, Person, RecordSource, SplitCandidate
from review.splits import SplitError, person_split, split_suspects_queue
from tests.factories import (
    CohortFactory,
    EnrollmentFactory,
    PersonFactory,
    SourceRecordFactory,
    identity_record_of_row,
)

pytestmark = pytest.mark.django_db

OWN_DNI = "41234567"
OTHER_DNI = "70011223"


def _suspect(*, shown: str = OWN_DNI) -> SplitCandidate:
    """A person whose records carry two DNIs, showing `shown`."""
    person = PersonFactory(
        given_names="Rosa", paternal_surname="Chuquimamani", document_number=shown
    )
    for dni in (OWN_DNI, OTHER_DNI):
        enrollment = EnrollmentFactory(person=person, cohort=CohortFactory())
        row = SourceRecordFactory(person=person, enrollment=enrollment)
        identity_record_of_row(
            person=person,
            source=RecordSource.ROSTER_ROW,
            row=row,
            given_names="Rosa",
            paternal_surname="Chuquimamani",
            dni=dni,
            document_type="dni",
            document_number=dni,
        )
    [candidate] = split_suspects_queue([person.pk])
    return candidate


def _state() -> tuple[object, ...]:
    return (
        Person.objects.count(),
        sorted(Person.objects.values_list("pk", "document_number")),
        sorted(IdentityRecord.objects.values_list("pk", "person_id")),
        sorted(Enrollment.objects.values_list("pk", "person_id")),
        sorted(SourceRecord.objects.values_list("pk", "person_id")),
        AuditEvent.objects.filter(action=AuditAction.SPLIT).count(),
    )


def test_a_split_off_dni_another_person_holds_is_refused_naming_both_codes() -> None:
    candidate = _suspect()
    holder = PersonFactory(document_number=OTHER_DNI)
    before = _state()

    with pytest.raises(SplitError) as refused:
        person_split(candidate=candidate, dni=OTHER_DNI, actor=None)

    message = str(refused.value)
    assert candidate.person.code in message
    assert holder.code in message
    assert "fusione" in message
    assert OTHER_DNI not in message
    assert OWN_DNI not in message
    assert _state() == before
    candidate.refresh_from_db()
    assert candidate.decision == Decision.PENDING


def test_a_dni_the_original_would_keep_that_another_person_holds_is_refused() -> None:
    # The person shows the DNI being split off, so it would take its other one: held elsewhere.
    candidate = _suspect(shown=OTHER_DNI)
    holder = PersonFactory(document_number=OWN_DNI)
    before = _state()

    with pytest.raises(SplitError) as refused:
        person_split(candidate=candidate, dni=OTHER_DNI, actor=None)

    assert candidate.person.code in str(refused.value)
    assert holder.code in str(refused.value)
    assert _state() == before


def test_a_split_without_a_conflict_still_works() -> None:
    candidate = _suspect()
    PersonFactory(document_number="45678912")  # another DNI: no conflict

    new_person = person_split(candidate=candidate, dni=OTHER_DNI, actor=None)

    assert new_person.document_number == OTHER_DNI
    assert Person.objects.get(pk=candidate.person_id).document_number == OWN_DNI


def test_the_split_page_shows_the_refusal_instead_of_failing(admin_client) -> None:  # type: ignore[no-untyped-def]
    candidate = _suspect()
    holder = PersonFactory(document_number=OTHER_DNI)
    before = _state()
    url = reverse("review:split", args=[candidate.pk])

    response = admin_client.post(url, {"decision": "split", "dni": OTHER_DNI}, follow=True)

    assert response.status_code == 200
    assert response.redirect_chain == [(url, 302)]
    page = response.content.decode()
    assert holder.code in page
    assert "No se separó nada" in page
    assert _state() == before


def test_a_dni_registered_after_the_check_still_rolls_the_split_back(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # Another transaction gives the DNI to someone between the check and the write: the
    # database refuses, and the refusal is the same SplitError with nothing written.
    from review import splits

    candidate = _suspect()
    holder = PersonFactory(document_number=OTHER_DNI)
    before = _state()
    check = splits._refuse_held_dnis
    calls = []

    def late_check(person: Person, dnis: list[str]) -> None:
        calls.append(dnis)
        if len(calls) > 1:
            check(person, dnis)

    monkeypatch.setattr(splits, "_refuse_held_dnis", late_check)

    with pytest.raises(SplitError) as refused:
        person_split(candidate=candidate, dni=OTHER_DNI, actor=None)

    assert len(calls) == 2
    assert holder.code in str(refused.value)
    assert _state() == before
