"""The administrator's path: shared people across two rosters, resolved in the queue."""

from __future__ import annotations

from django.urls import reverse

from participants.models import MergeRecord, Person
from review.services import candidate_record
from tests.factories import CohortFactory, ImportBatchFactory, PersonFactory, SourceRecordFactory
from tests.merging.conftest import enroll


def test_resolving_a_pair_changes_the_unique_person_count_and_undo_restores_it(client, reviewer):
    first, second = CohortFactory(), CohortFactory()
    # Roster 1: three people. Roster 2: the first again (same DNI, linked by the import) and
    # the second without DNI and with a typo, so the import created a person and a pair.
    ana, luis, _eva = (PersonFactory() for _ in range(3))
    for person in (ana, luis, _eva):
        enroll(person, first, phases=("pre", "post"))
    enroll(ana, second)
    luis_again = PersonFactory(
        given_names=luis.given_names,
        paternal_surname=luis.paternal_surname + "s",
        maternal_surname=luis.maternal_surname,
        document_number="",
    )
    enroll(luis_again, second, phases=("pre",))
    candidate = candidate_record(
        person_a=luis, person_b=luis_again, score=0.86, reasons=["given names equal"]
    )
    assert Person.objects.active().count() == 4
    client.force_login(reviewer)

    queue = client.get(reverse("review:queue"))
    assert list(queue.context["page_obj"].object_list) == [candidate]
    client.post(reverse("review:pair", args=[candidate.pk]), {"decision": "same"})

    assert Person.objects.active().count() == 3
    assert luis.enrollments.count() == 2
    assert luis.source_records.count() == 2
    assert client.get(reverse("review:queue")).context["page_obj"].paginator.count == 0

    merge = MergeRecord.objects.get()
    client.post(reverse("review:merge_undo", args=[merge.pk]))
    assert Person.objects.active().count() == 4
    assert luis_again.enrollments.count() == 1


def test_the_person_admin_links_to_the_merge_history(client, admin_user, person):
    client.force_login(admin_user)
    response = client.get(reverse("admin:participants_person_change", args=[person.pk]))
    assert response.status_code == 200
    assert f"{reverse('review:merges')}?person={person.code}" in response.content.decode()


def test_roster_rows_stay_with_their_batch_after_a_merge(client, reviewer):
    cohort = CohortFactory()
    a, b = PersonFactory(document_number=""), PersonFactory(document_number="")
    row = SourceRecordFactory(person=b, batch=ImportBatchFactory(cohort=cohort), row_number=7)
    pair = candidate_record(person_a=a, person_b=b, score=0.7)
    client.force_login(reviewer)
    client.post(reverse("review:pair", args=[pair.pk]), {"decision": "same"})

    row.refresh_from_db()
    assert row.person == a
    assert (row.batch.cohort, row.row_number) == (cohort, 7)
