"""The school registration form: a child under 14 needs their guardian's consent."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from accounts.consent import (
    CURRENT_CONSENT_VERSION,
    CURRENT_CONTACT_CONSENT_VERSION,
    CURRENT_GUARDIAN_CONSENT_VERSION,
    guardian_consent_sha256,
    guardian_consent_text,
)
from accounts.models import GuardianConsent, GuardianConsentSource, GuardianRelationship
from audit.models import AuditAction, AuditEvent
from courses.models import Enrollment
from intake.registration.services.outcomes import RegistrationRefused
from intake.registration.services.registering import participant_register
from participants.models import Person
from participants.services import person_create

pytestmark = pytest.mark.django_db

START = date(2026, 3, 2)
THIRTEEN = "2012-03-03"  # 13 on 2026-03-02, 14 the next day
SIXTEEN = "2009-06-15"


@pytest.fixture
def cohort(world):  # type: ignore[no-untyped-def]
    cohort = world["cohort_a"]
    cohort.start_date = START
    cohort.save()
    return cohort


def _form(**overrides: str) -> dict[str, str]:
    data = {
        "given_names": "Luz Marina",
        "paternal_surname": "Quispe",
        "maternal_surname": "Huamán",
        "dni": "45671238",
        "sex": "F",
        "email": "",
        "phone": "",
        "institution": "",
        "role": "",
        "region": "",
        "consent": "on",
        "consent_version": CURRENT_CONSENT_VERSION,
        "contact_consent_version": CURRENT_CONTACT_CONSENT_VERSION,
        "guardian_consent_version": CURRENT_GUARDIAN_CONSENT_VERSION,
    }
    data.update(overrides)
    return data


GUARDIAN = {
    "guardian_name": "Rosa Huamán Ccori",
    "guardian_relationship": GuardianRelationship.MOTHER,
    "guardian_document": "41234567",
    "guardian_consent": "on",
}


def _url(cohort) -> str:  # type: ignore[no-untyped-def]
    return reverse("registration:register", args=[cohort.pk])


def test_the_form_shows_the_guardian_text_and_fields(client, staff_a, cohort) -> None:  # type: ignore[no-untyped-def]
    page = client.get(_url(cohort)).content.decode()
    assert guardian_consent_text() in page
    assert "Autoriza contacto de seguimiento" in page
    assert 'name="birth_date"' in page


def test_under_14_without_guardian_is_refused_and_nothing_written(client, staff_a, cohort) -> None:  # type: ignore[no-untyped-def]
    response = client.post(_url(cohort), _form(birth_date=THIRTEEN))
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        "Menor de 14 años (13 al inicio del curso): para registrarla se requiere el "
        "consentimiento de su madre, padre o apoderado" in page
    )
    form = response.context["form"]
    assert set(form.errors) >= {"guardian_name", "guardian_relationship", "guardian_consent"}
    assert not Person.objects.filter(document_number="45671238").exists()
    assert not GuardianConsent.objects.exists()


def test_under_14_with_a_name_but_no_ticked_box_is_refused(client, staff_a, cohort) -> None:  # type: ignore[no-untyped-def]
    data = _form(birth_date=THIRTEEN, **{**GUARDIAN, "guardian_consent": ""})
    response = client.post(_url(cohort), data)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["guardian_consent", "__all__"]
    assert not Person.objects.filter(document_number="45671238").exists()


def test_under_14_with_the_guardian_is_registered_and_the_consent_written(
    client,  # type: ignore[no-untyped-def]
    staff_a,
    cohort,
) -> None:
    data = _form(birth_date=THIRTEEN, guardian_follow_up="on", **GUARDIAN)
    response = client.post(_url(cohort), data)
    assert response.status_code == 302
    person = Person.objects.get(document_number="45671238")
    assert person.birth_date == date(2012, 3, 3)
    consent = GuardianConsent.objects.get(person=person)
    assert consent.cohort == cohort
    assert consent.guardian_name == "Rosa Huamán Ccori"
    assert consent.guardian_relationship == GuardianRelationship.MOTHER
    assert consent.guardian_document == "41234567"
    assert consent.source == GuardianConsentSource.SCHOOL_FORM
    assert consent.text_version == CURRENT_GUARDIAN_CONSENT_VERSION
    assert consent.text_sha256 == guardian_consent_sha256(CURRENT_GUARDIAN_CONSENT_VERSION)
    assert consent.allows_follow_up is True
    assert consent.recorded_by == staff_a
    event = AuditEvent.objects.get(action=AuditAction.GUARDIAN_CONSENT)
    assert event.object_code == person.code
    assert "Rosa" not in str(event.details)
    shown = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("menor de 14 años (13 años al inicio del curso)" in text for text in shown)


def test_the_day_of_the_14th_birthday_needs_no_guardian(client, staff_a, cohort) -> None:  # type: ignore[no-untyped-def]
    response = client.post(_url(cohort), _form(birth_date="2012-03-02"))
    assert response.status_code == 302
    assert not GuardianConsent.objects.exists()


def test_16_is_registered_with_the_minor_note(client, staff_a, cohort) -> None:  # type: ignore[no-untyped-def]
    response = client.post(_url(cohort), _form(birth_date=SIXTEEN))
    assert response.status_code == 302
    shown = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("La persona es menor de edad (16 años al inicio del curso)" in t for t in shown)
    assert not GuardianConsent.objects.exists()
    # The page shows the note too while the form is being corrected.
    page = client.post(_url(cohort), _form(birth_date=SIXTEEN, dni="765")).content.decode()
    assert 'id="minor-note"' in page
    assert "Menor de edad (16 años al inicio del curso)" in page


def test_an_adults_guardian_fields_record_nothing(client, staff_a, cohort) -> None:  # type: ignore[no-untyped-def]
    response = client.post(_url(cohort), _form(birth_date="1990-01-01", **GUARDIAN))
    assert response.status_code == 302
    assert not GuardianConsent.objects.exists()
    page = client.get(reverse("registration:cohort", args=[cohort.pk])).content.decode()
    assert "menor de edad" not in page


def test_the_service_refuses_a_registered_child_by_the_birth_date_it_holds(
    staff_a,  # type: ignore[no-untyped-def]
    cohort,
) -> None:
    # The form may not know the birth date: the registry's own record still holds the rule.
    child = person_create(
        given_names="Luz Marina",
        paternal_surname="Quispe",
        maternal_surname="Huamán",
        document_number="45671238",
        birth_date=date(2013, 1, 1),
    )
    with pytest.raises(RegistrationRefused, match="Menor de 14 años \\(13 al inicio del curso\\)"):
        participant_register(
            actor=staff_a,
            cohort=cohort,
            given_names="Luz Marina",
            paternal_surname="Quispe",
            dni="45671238",
        )
    assert not Enrollment.objects.filter(person=child, cohort=cohort).exists()
