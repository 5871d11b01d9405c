"""A school registration goes through the import's linkage engine: warn, enroll or queue."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.consent import CURRENT_CONSENT_VERSION
from accounts.models import Consent
from audit.models import AuditAction, AuditEvent
from courses.models import Cohort, Enrollment
from participants.linkage_store import linkage_model_in_use, model_to_dict
from participants.matching import linkage_config
from participants.models import DuplicateCandidate, LinkageParameters, Person
from tests.factories import CohortFactory, EnrollmentFactory, PersonFactory

pytestmark = pytest.mark.django_db

WARNING = "Esta persona parece estar ya registrada"


def _form(**overrides: str) -> dict[str, str]:
    data = {
        "given_names": "Ana Fiorela",
        "paternal_surname": "Huaman",
        "maternal_surname": "Huaman",
        "dni": "",
        "sex": "F",
        "email": "",
        "phone": "",
        "institution": "",
        "role": "",
        "region": "",
        "consent": "on",
        "consent_version": CURRENT_CONSENT_VERSION,
    }
    data.update(overrides)
    return data


def _ana(cohort: Cohort, **fields: str) -> Person:
    person = PersonFactory(
        given_names="Ana Fiorella",
        paternal_surname="Huamán",
        maternal_surname="Huamán",
        sex="F",
        **{"document_number": "", **fields},
    )
    EnrollmentFactory(person=person, cohort=cohort)
    return person


@pytest.fixture
def new_cohort(world):  # type: ignore[no-untyped-def]
    """A second cohort of school A, where the registrations below happen."""
    return CohortFactory(school=world["school_a"], label="2026-A2")


def _url(cohort: Cohort) -> str:
    return reverse("registration:register", args=[cohort.pk])


def _pairs_with(person: Person) -> list[DuplicateCandidate]:
    return list(
        DuplicateCandidate.objects.filter(person_a=person)
        | (DuplicateCandidate.objects.filter(person_b=person))
    )


def test_a_likely_existing_person_is_a_warning_first(client, staff_a, world, new_cohort) -> None:  # type: ignore[no-untyped-def]
    ana = _ana(world["cohort_a"])
    before = Person.objects.count()
    response = client.post(_url(new_cohort), _form())
    assert response.status_code == 200
    body = response.content.decode()
    assert WARNING in body
    assert ana.code in body
    assert f'name="existing_person" value="{ana.code}"' in body
    assert 'name="confirm_new" value="1"' in body
    assert "probabilidad 0.99" in body
    assert Person.objects.count() == before
    assert not Enrollment.objects.filter(cohort=new_cohort).exists()
    assert not Consent.objects.filter(cohort=new_cohort).exists()
    assert not DuplicateCandidate.objects.exists()


def test_the_user_enrolls_the_existing_person(client, staff_a, world, new_cohort) -> None:  # type: ignore[no-untyped-def]
    ana = _ana(world["cohort_a"])
    before = Person.objects.count()
    response = client.post(_url(new_cohort), _form(existing_person=ana.code), follow=True)
    assert Person.objects.count() == before
    assert Enrollment.objects.filter(person=ana, cohort=new_cohort).exists()
    assert "sin crear un duplicado" in response.content.decode()
    event = AuditEvent.objects.get(action=AuditAction.ENROLLMENT_CREATE, object_code=ana.code)
    assert event.details["existing_person"] is True
    assert event.details["matched_by"] == "linkage"
    assert event.details["probability"] >= 0.996
    # What the school typed is one more description of Ana, for every later match.
    assert ana.identity_records.filter(given_names="Ana Fiorela").exists()


def test_confirmed_as_new_the_person_is_created_and_the_pair_queued(
    client, staff_a, world, new_cohort
) -> None:  # type: ignore[no-untyped-def]
    ana = _ana(world["cohort_a"])
    # A fitted model version is in use: the queued pair names it, as an imported one does.
    in_use = linkage_model_in_use(linkage_config())
    version = LinkageParameters.objects.create(
        source="registry", n_records=2000, parameters=model_to_dict(in_use.model)
    )
    response = client.post(_url(new_cohort), _form(confirm_new="1"))
    assert response.status_code == 302
    new = Person.objects.get(given_names="Ana Fiorela")
    assert Enrollment.objects.filter(person=new, cohort=new_cohort).exists()
    [pair] = _pairs_with(ana)
    assert {pair.person_a_id, pair.person_b_id} == {ana.pk, new.pk}
    assert pair.decision == "pending"
    assert pair.score >= 0.996
    assert pair.model == version
    assert "confirmada como otra persona" in pair.reasons[0]
    assert "nombres parecidos (error de tipeo)" in pair.reasons[0]
    event = AuditEvent.objects.get(action=AuditAction.PERSON_CREATE, object_code=new.code)
    assert event.details["possible_duplicates"] == [
        {"pair": pair.pk, "person": ana.code, "probability": round(pair.score, 4)}
    ]
    assert event.details["confirmed_new_person"] is True
    assert event.details["linkage_model_version"] == version.pk


def test_between_the_thresholds_no_warning_but_the_pair_is_queued(
    client, staff_a, world, new_cohort
) -> None:  # type: ignore[no-untyped-def]
    ana = _ana(world["cohort_a"], email="ana.huaman@example.org")
    response = client.post(
        _url(new_cohort),
        _form(given_names="Ana Lucía", maternal_surname="Quispe", email="ana.huaman@example.org"),
    )
    assert response.status_code == 302
    new = Person.objects.get(given_names="Ana Lucía")
    [pair] = _pairs_with(ana)
    assert {pair.person_a_id, pair.person_b_id} == {ana.pk, new.pk}
    assert 0.5 <= pair.score < 0.996
    assert pair.reasons[0].startswith("inscripción de escuela; coincidencia dudosa")
    assert pair.model is None  # the cold-start model scored it
    event = AuditEvent.objects.get(action=AuditAction.PERSON_CREATE, object_code=new.code)
    assert event.details["confirmed_new_person"] is False


def test_a_clearly_different_person_is_registered_without_a_warning(
    client, staff_a, world, new_cohort
) -> None:  # type: ignore[no-untyped-def]
    _ana(world["cohort_a"])
    response = client.post(
        _url(new_cohort),
        _form(given_names="Rosa Elena", paternal_surname="Condori", maternal_surname="Apaza"),
    )
    assert response.status_code == 302
    assert Person.objects.filter(given_names="Rosa Elena").exists()
    assert not DuplicateCandidate.objects.exists()


def test_a_known_dni_still_enrolls_its_person_without_a_warning(
    client, staff_a, world, new_cohort
) -> None:  # type: ignore[no-untyped-def]
    ana = _ana(world["cohort_a"], document_number="47891234")
    before = Person.objects.count()
    response = client.post(_url(new_cohort), _form(dni="47891234"), follow=True)
    assert WARNING not in response.content.decode()
    assert "sin crear un duplicado" in response.content.decode()
    assert Person.objects.count() == before
    assert Enrollment.objects.filter(person=ana, cohort=new_cohort).exists()
    assert not DuplicateCandidate.objects.exists()


def test_another_schools_person_is_a_hint_and_never_data(
    client, staff_a, world, new_cohort
) -> None:  # type: ignore[no-untyped-def]
    ana = _ana(world["cohort_b"], email="ana.fh@example.org", phone="984 111 222")
    response = client.post(_url(new_cohort), _form())
    body = response.content.decode()
    assert WARNING in body
    assert "ya registrada en otra escuela" in body
    for secret in (ana.code, "Fiorella", "Huamán", "ana.fh@", "984 111 222", "2026-B"):
        assert secret not in body
    assert 'name="existing_person"' not in body
    assert not Person.objects.filter(given_names="Ana Fiorela").exists()

    # The live hint says the same, and nothing more.
    hint = client.post(
        reverse("registration:matches"),
        {
            "cohort": new_cohort.pk,
            "given": "Ana Fiorela",
            "paternal": "Huaman",
            "maternal": "Huaman",
            "sex": "F",
        },
    )
    assert hint.json() == {"matches": [], "registered_elsewhere": True}

    # Choosing the person by its code (a tampered form) enrolls nobody and says nothing.
    tampered = client.post(_url(new_cohort), _form(existing_person=ana.code))
    assert "no coincide con los datos escritos" in tampered.content.decode()
    assert not Enrollment.objects.filter(person=ana, cohort=new_cohort).exists()

    # Confirmed as a different person: created, and the pair waits for the administrator.
    client.post(_url(new_cohort), _form(confirm_new="1"))
    new = Person.objects.get(given_names="Ana Fiorela")
    assert [{p.person_a_id, p.person_b_id} for p in _pairs_with(ana)] == [{ana.pk, new.pk}]
    assert not Enrollment.objects.filter(person=ana, cohort=new_cohort).exists()


def test_live_hint_for_a_visible_person_has_probability_and_reasons(
    client, staff_a, world, new_cohort
) -> None:  # type: ignore[no-untyped-def]
    ana = _ana(world["cohort_a"])
    response = client.post(
        reverse("registration:matches"),
        {
            "cohort": new_cohort.pk,
            "given": "Ana Fiorela",
            "paternal": "Huaman",
            "maternal": "Huaman",
            "sex": "F",
            "email": "",
            "phone": "",
        },
    )
    [match] = response.json()["matches"]
    assert match["code"] == ana.code
    assert match["probability"] == "0.99"
    assert "nombres parecidos (error de tipeo)" in match["reasons"]
