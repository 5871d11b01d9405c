"""Review pages: who may see them, the queue, deciding through POST, undo and code lookup."""

from __future__ import annotations

import pytest
from django.urls import reverse

from participants.models import Decision, Institution, MergeRecord, Person, PersonStatus, Region
from review.merging import person_merge
from tests.factories import (
    CohortFactory,
    CourseFactory,
    DuplicateCandidateFactory,
    EnrollmentFactory,
    ImportBatchFactory,
    PersonFactory,
    SourceRecordFactory,
)


@pytest.fixture
def candidate(db):
    a = PersonFactory(
        given_names="Rosa",
        paternal_surname="Quispe",
        maternal_surname="Mamani",
        document_number="",
        email="rosa@example.org",
    )
    b = PersonFactory(
        given_names="Rosa Elena",
        paternal_surname="Quispe",
        maternal_surname="Huamán",
        document_number="04512345",
        email="",
    )
    cohort = CohortFactory(course=CourseFactory(title="Trata de personas: investigación"))
    enrollment = EnrollmentFactory(person=b, cohort=cohort, institution_text="Fiscalía Puno")
    SourceRecordFactory(
        person=b,
        enrollment=enrollment,
        batch=ImportBatchFactory(cohort=cohort, file_name="puno_2023.xlsx"),
        raw={"APELLIDOS Y NOMBRES": "QUISPE HUAMAN ROSA ELENA", "DNI": "4512345"},
    )
    return DuplicateCandidateFactory(
        person_a=a, person_b=b, score=0.83, reasons=["apellido paterno coincide (frecuente)"]
    )


def _urls(candidate):
    merge = person_merge(
        survivor=PersonFactory(document_number=""),
        merged=PersonFactory(document_number=""),
        actor=None,
    )
    return [
        ("get", reverse("review:queue")),
        ("get", reverse("review:pair", args=[candidate.pk])),
        ("post", reverse("review:pair", args=[candidate.pk])),
        ("get", reverse("review:merges")),
        ("post", reverse("review:merge_undo", args=[merge.pk])),
        ("get", reverse("review:person", args=[candidate.person_a.code])),
    ]


def test_anonymous_users_are_sent_to_the_login_page(client, candidate):
    for method, url in _urls(candidate):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login")), url


def test_users_without_the_review_permission_get_403(
    client, candidate, plain_staff, not_staff_with_perm
):
    urls = _urls(candidate)
    for user in (plain_staff, not_staff_with_perm):
        client.force_login(user)
        for method, url in urls:
            assert getattr(client, method)(url).status_code == 403, (user, url)
    assert Person.objects.active().count() == 2 + 1  # nothing was merged or undone


def test_undo_needs_the_merge_permission(client, decider, reviewer):
    merge = person_merge(
        survivor=PersonFactory(document_number=""),
        merged=PersonFactory(document_number=""),
        actor=None,
    )
    url = reverse("review:merge_undo", args=[merge.pk])
    client.force_login(decider)
    assert client.get(reverse("review:merges")).status_code == 200
    assert client.post(url).status_code == 403

    client.force_login(reviewer)
    assert client.get(url).status_code == 405
    response = client.post(url, {"next": "https://evil.example.com/"})
    assert response.status_code == 302
    assert response["Location"] == reverse("review:merges")
    merge.refresh_from_db()
    assert merge.undone_by == reviewer
    assert Person.objects.get(pk=merge.merged_id).status == PersonStatus.ACTIVE


def test_queue_sorts_by_score_both_ways(client, reviewer):
    low = DuplicateCandidateFactory(score=0.55)
    high = DuplicateCandidateFactory(score=0.9)
    middle = DuplicateCandidateFactory(score=0.7)
    client.force_login(reviewer)

    response = client.get(reverse("review:queue"))
    assert list(response.context["page_obj"].object_list) == [high, middle, low]
    assert high.person_a.code in response.content.decode()

    response = client.get(reverse("review:queue"), {"order": "asc"})
    assert list(response.context["page_obj"].object_list) == [low, middle, high]


def test_queue_filters_by_course_region_and_institution(client, reviewer):
    region, other_region = Region.objects.order_by("pk")[:2]
    institution = Institution.objects.order_by("pk").first()
    course = CourseFactory()
    by_course = DuplicateCandidateFactory(score=0.9)
    EnrollmentFactory(person=by_course.person_b, cohort=CohortFactory(course=course))
    by_region = DuplicateCandidateFactory(score=0.8)
    EnrollmentFactory(person=by_region.person_a, region=region)
    by_cohort_region = DuplicateCandidateFactory(score=0.75)
    EnrollmentFactory(person=by_cohort_region.person_a, cohort=CohortFactory(region=region))
    elsewhere = DuplicateCandidateFactory(score=0.7)
    EnrollmentFactory(
        person=elsewhere.person_a, region=other_region, cohort=CohortFactory(region=region)
    )
    by_institution = DuplicateCandidateFactory(score=0.6)
    EnrollmentFactory(person=by_institution.person_b, institution=institution)
    client.force_login(reviewer)

    def listed(**params):
        response = client.get(reverse("review:queue"), params)
        return list(response.context["page_obj"].object_list)

    assert listed(course=course.pk) == [by_course]
    # The region as at the training wins over the cohort's region.
    assert listed(region=region.pk) == [by_region, by_cohort_region]
    assert listed(institution=institution.pk) == [by_institution]
    assert len(listed()) == 5
    assert len(listed(course="not-a-number")) == 5


def test_pair_page_shows_both_records_side_by_side(client, reviewer, candidate):
    client.force_login(reviewer)

    response = client.get(reverse("review:pair", args=[candidate.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert candidate.person_a.code in html
    assert candidate.person_b.code in html
    assert '<td class="agree" data-label="A">Quispe</td>' in html
    assert '<td class="partial" data-label="A">Rosa</td>' in html  # "Rosa" / "Rosa Elena"
    assert '<td class="disagree" data-label="A">Mamani</td>' in html
    assert "Trata de personas: investigación" in html
    assert "Fiscalía Puno" in html
    assert "puno_2023.xlsx" in html
    assert "QUISPE HUAMAN ROSA ELENA" in html
    assert "apellido paterno coincide (frecuente)" in html
    assert "0.83" in html  # es-PE: a decimal point, as Peru writes it
    for value in ("same", "different", "skip"):
        assert f'name="decision" value="{value}"' in html
    assert "Un DNI válido gana" in html  # the survivorship rule is shown


def test_deciding_same_merges_and_goes_to_the_next_pair(client, reviewer, candidate):
    following = DuplicateCandidateFactory(score=0.6)
    client.force_login(reviewer)

    response = client.post(
        reverse("review:pair", args=[candidate.pk]),
        {"decision": "same", "survivor": "a", "field_given_names": "b", "field_email": "rule"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("review:pair", args=[following.pk])
    survivor = Person.objects.get(pk=candidate.person_a.pk)
    assert survivor.given_names == "Rosa Elena"  # the reviewer's pick
    assert survivor.document_number == "04512345"  # the rule: a valid DNI beats none
    assert survivor.email == "rosa@example.org"
    merge = MergeRecord.objects.get()
    assert merge.merged_by == reviewer
    assert merge.before_state["field_choices"] == {"given_names": "merged"}
    candidate.refresh_from_db()
    assert candidate.decision == Decision.SAME


def test_deciding_same_with_b_as_survivor(client, reviewer, candidate):
    client.force_login(reviewer)

    response = client.post(
        reverse("review:pair", args=[candidate.pk]), {"decision": "same", "survivor": "b"}
    )

    assert response["Location"] == reverse("review:queue")  # nothing left to review
    assert Person.objects.get(pk=candidate.person_a.pk).merged_into_id == candidate.person_b.pk


def test_deciding_different_and_skip_keep_the_filters(client, reviewer, candidate):
    other = DuplicateCandidateFactory(score=0.6)
    course_id = candidate.person_b.enrollments.get().cohort.course_id
    EnrollmentFactory(person=other.person_a, cohort=CohortFactory(course_id=course_id))
    client.force_login(reviewer)
    query = f"?course={course_id}"

    response = client.post(
        reverse("review:pair", args=[candidate.pk]) + query, {"decision": "skip"}
    )
    assert response["Location"] == reverse("review:pair", args=[other.pk]) + query
    response = client.post(
        reverse("review:pair", args=[other.pk]) + query, {"decision": "different"}
    )
    # Only the skipped pair is left: it comes back now.
    assert response["Location"] == reverse("review:pair", args=[candidate.pk]) + query

    other.refresh_from_db()
    candidate.refresh_from_db()
    assert other.decision == Decision.DIFFERENT
    assert other.decided_by == reviewer
    assert candidate.decision == Decision.SKIPPED
    assert not MergeRecord.objects.exists()


def test_a_refused_merge_returns_to_the_pair_with_the_reason(client, reviewer):
    candidate = DuplicateCandidateFactory(
        person_a=PersonFactory(document_number="41234567"),
        person_b=PersonFactory(document_number="41234569"),
    )
    client.force_login(reviewer)
    url = reverse("review:pair", args=[candidate.pk])

    page = client.get(url).content.decode()
    assert 'name="force"' in page
    response = client.post(url, {"decision": "same"}, follow=True)
    assert "documentos distintos" in response.content.decode()
    assert not MergeRecord.objects.exists()

    client.post(url, {"decision": "same", "force": "1"})
    assert MergeRecord.objects.get().before_state["forced"] is True


def test_a_merged_code_redirects_to_the_survivor(client, reviewer):
    a, b, c = (PersonFactory(document_number="") for _ in range(3))
    person_merge(survivor=b, merged=a, actor=None)
    person_merge(survivor=c, merged=b, actor=None)
    client.force_login(reviewer)

    response = client.get(reverse("review:person", args=[a.code]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("review:person", args=[c.code])
    html = response.content.decode()
    assert f"El código {a.code} fue fusionado" in html
    assert b.code in html  # listed among the codes merged into c
    lower = client.get(reverse("review:person", args=[c.code.lower()]))
    assert lower["Location"] == reverse("review:person", args=[c.code])
    assert client.get(reverse("review:person", args=["PE-0000000Z"])).status_code == 404


def test_merge_history_lists_merges_and_offers_undo_only_for_the_latest(client, reviewer):
    a, b, c = (PersonFactory(document_number="") for _ in range(3))
    first = person_merge(survivor=b, merged=a, actor=reviewer, score=0.9)
    second = person_merge(survivor=c, merged=b, actor=reviewer)
    client.force_login(reviewer)

    response = client.get(reverse("review:merges"), {"person": b.code})

    html = response.content.decode()
    assert list(response.context["page_obj"].object_list) == [second, first]
    assert reverse("review:merge_undo", args=[second.pk]) in html
    assert reverse("review:merge_undo", args=[first.pk]) not in html
    response = client.post(reverse("review:merge_undo", args=[first.pk]), follow=True)
    assert "deshaga primero esa fusión" in response.content.decode()
