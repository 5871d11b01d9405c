"""A doubtful match is the school's question when the candidate is in the cohort already or
was brought by another school (intake.registration.services.linkage_candidates).

Between the review and the auto-link thresholds a registration used to create the person and
queue the pair without a word; for a participant already listed in the cohort, or one whose
data the school cannot compare (another school's), the user is asked first.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.consent import CURRENT_CONSENT_VERSION
from courses.models import Cohort, Enrollment
from participants.models import DuplicateCandidate, Person
from tests.factories import CohortFactory, EnrollmentFactory, PersonFactory

pytestmark = pytest.mark.django_db

QUESTION = 'id="duplicate-warning"'
SAME_IN_COHORT = "Es la misma persona: no registrar de nuevo"
EMAIL = "ana.huaman@example.org"


def _form(**overrides: str) -> dict[str, str]:
    # Scores about 0.98 against _ana: same paternal surname and e-mail, one given name in
    # common, another maternal surname; between the review and the auto-link thresholds.
    data = {
        "given_names": "Ana Lucía",
        "paternal_surname": "Huaman",
        "maternal_surname": "Quispe",
        "dni": "",
        "sex": "F",
        "email": EMAIL,
        "phone": "",
        "institution": "",
        "role": "",
        "region": "",
        "consent": "on",
        "consent_version": CURRENT_CONSENT_VERSION,
    }
    data.update(overrides)
    return data


def _ana(cohort: Cohort) -> Person:
    person = PersonFactory(
        given_names="Ana Fiorella",
        paternal_surname="Huamán",
        maternal_surname="Huamán",
        sex="F",
        document_number="",
        email=EMAIL,
        phone="984 555 111",
    )
    EnrollmentFactory(person=person, cohort=cohort)
    return person


def _url(cohort: Cohort) -> str:
    return reverse("registration:register", args=[cohort.pk])


def _pair_score(person: Person) -> float:
    [pair] = DuplicateCandidate.objects.filter(person_a=person) | DuplicateCandidate.objects.filter(
        person_b=person
    )
    return pair.score


def test_a_doubtful_match_in_the_same_cohort_is_a_question_first(client, staff_a, world) -> None:  # type: ignore[no-untyped-def]
    cohort = world["cohort_a"]
    ana = _ana(cohort)
    before = Person.objects.count()
    response = client.post(_url(cohort), _form())
    assert response.status_code == 200
    body = response.content.decode()
    assert QUESTION in body
    assert "ya inscrita en esta cohorte" in body
    assert f'name="existing_person" value="{ana.code}"' in body
    assert SAME_IN_COHORT in body
    assert f"#inscripcion-{ana.code}" in body  # opens her row on the cohort page
    assert "probabilidad 0.98" in body
    assert Person.objects.count() == before
    assert not DuplicateCandidate.objects.exists()


def test_confirmed_as_the_same_person_in_the_cohort_nothing_is_written(
    client, staff_a, world
) -> None:  # type: ignore[no-untyped-def]
    cohort = world["cohort_a"]
    ana = _ana(cohort)
    before = Person.objects.count()
    records = ana.identity_records.count()
    response = client.post(_url(cohort), _form(existing_person=ana.code))
    assert response.status_code == 302
    assert response["Location"].endswith(f"#inscripcion-{ana.code}")
    page = client.get(response["Location"]).content.decode()
    assert f"{ana.code} ya está inscrita en esta cohorte: no se la registró de nuevo." in page
    assert f'id="inscripcion-{ana.code}"' in page
    assert Person.objects.count() == before
    assert Enrollment.objects.filter(person=ana, cohort=cohort).count() == 1
    assert ana.identity_records.count() == records
    assert not DuplicateCandidate.objects.exists()


def test_confirmed_as_another_person_is_created_and_the_pair_queued(client, staff_a, world) -> None:  # type: ignore[no-untyped-def]
    cohort = world["cohort_a"]
    ana = _ana(cohort)
    response = client.post(_url(cohort), _form(confirm_new="1"))
    assert response.status_code == 302
    new = Person.objects.get(given_names="Ana Lucía")
    assert Enrollment.objects.filter(person=new, cohort=cohort).exists()
    [pair] = DuplicateCandidate.objects.all()
    assert {pair.person_a_id, pair.person_b_id} == {ana.pk, new.pk}
    assert pair.decision == "pending"
    assert 0.5 <= pair.score < 0.996
    assert pair.reasons[0].startswith("inscripción de escuela confirmada como otra persona")


def test_another_schools_doubtful_match_is_a_question_that_shows_no_data(
    client, staff_a, world
) -> None:  # type: ignore[no-untyped-def]
    ana = _ana(world["cohort_b"])
    response = client.post(_url(world["cohort_a"]), _form())
    assert response.status_code == 200
    body = response.content.decode()
    assert QUESTION in body
    assert "ya registrada en otra escuela" in body
    for secret in (ana.code, "Fiorella", "Huamán", "984 555 111", "2026-B", "probabilidad"):
        assert secret not in body
    assert 'name="existing_person"' not in body
    assert not Person.objects.filter(given_names="Ana Lucía").exists()
    client.post(_url(world["cohort_a"]), _form(confirm_new="1"))
    new = Person.objects.get(given_names="Ana Lucía")
    assert 0.5 <= _pair_score(new) < 0.996


def test_a_classmate_of_another_school_is_named_by_code_and_can_be_enrolled(
    client, staff_a, world
) -> None:  # type: ignore[no-untyped-def]
    """Brought by school B and enrolled in one of A's cohorts: A sees her code, not B's data."""
    ana = _ana(world["cohort_b"])
    EnrollmentFactory(person=ana, cohort=world["cohort_a"])
    other = CohortFactory(school=world["school_a"], label="2026-A3")
    response = client.post(_url(other), _form())
    body = response.content.decode()
    assert QUESTION in body
    assert ana.code in body
    assert "registrada por otra escuela: sus datos no se muestran" in body
    for secret in ("Fiorella", "Huamán", "984 555 111", "probabilidad"):
        assert secret not in body
    client.post(_url(other), _form(existing_person=ana.code))
    assert Enrollment.objects.filter(person=ana, cohort=other).exists()
    assert not Person.objects.filter(given_names="Ana Lucía").exists()


def test_below_the_review_threshold_there_is_no_question(client, staff_a, world, settings) -> None:  # type: ignore[no-untyped-def]
    cohort = world["cohort_a"]
    ana = _ana(cohort)
    # The same typed values as above (about 0.98), now under a review threshold above them.
    settings.LINKAGE_REVIEW_THRESHOLD = 0.99
    response = client.post(_url(cohort), _form())
    assert response.status_code == 302
    assert Person.objects.filter(given_names="Ana Lucía").exists()
    assert Enrollment.objects.filter(person=ana, cohort=cohort).count() == 1
    assert not DuplicateCandidate.objects.exists()


def test_another_schools_person_below_the_review_threshold_is_no_question(
    client, staff_a, world
) -> None:  # type: ignore[no-untyped-def]
    _ana(world["cohort_b"])
    response = client.post(
        _url(world["cohort_a"]), _form(given_names="Ana Fiorela", email="", maternal_surname="Ríos")
    )
    assert response.status_code == 302
    assert Person.objects.filter(given_names="Ana Fiorela").exists()
    assert not DuplicateCandidate.objects.exists()


def test_a_doubtful_match_in_another_cohort_of_the_school_is_still_queued_without_a_question(
    client, staff_a, world
) -> None:  # type: ignore[no-untyped-def]
    ana = _ana(world["cohort_a"])
    other = CohortFactory(school=world["school_a"], label="2026-A3")
    response = client.post(_url(other), _form())
    assert response.status_code == 302
    new = Person.objects.get(given_names="Ana Lucía")
    assert 0.5 <= _pair_score(ana) < 0.996
    assert Enrollment.objects.filter(person=new, cohort=other).exists()
