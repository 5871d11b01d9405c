"""The registration form's optional consent to follow-up contact."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.consent import (
    CURRENT_CONSENT_VERSION,
    CURRENT_CONTACT_CONSENT_VERSION,
    contact_consent_sha256,
    contact_consent_text,
)
from accounts.contact_consent import persons_consenting
from accounts.models import ContactConsent, ContactConsentSource
from audit.models import AuditAction, AuditEvent
from participants.models import Person

pytestmark = pytest.mark.django_db


def _form(**overrides: str) -> dict[str, str]:
    data = {
        "given_names": "Rosa Elena",
        "paternal_surname": "Condori",
        "maternal_surname": "Apaza",
        "dni": "45678901",
        "sex": "F",
        "email": "",
        "phone": "",
        "institution": "",
        "role": "",
        "region": "",
        "consent": "on",
        "consent_version": CURRENT_CONSENT_VERSION,
        "contact_consent_version": CURRENT_CONTACT_CONSENT_VERSION,
    }
    data.update(overrides)
    return data


def _url(world) -> str:  # type: ignore[no-untyped-def]
    return reverse("registration:register", args=[world["cohort_a"].pk])


def test_the_form_shows_the_text_and_an_unticked_optional_box(client, staff_a, world) -> None:  # type: ignore[no-untyped-def]
    page = client.get(_url(world)).content.decode()
    assert contact_consent_text() in page
    assert "Acepta ser contactado para encuestas de seguimiento" in page
    lines = page.splitlines()
    box = next(line for line in lines if 'name="contact_consent"' in line and "checkbox" in line)
    assert "checked" not in box
    assert "required" not in box


def test_ticked_it_records_a_grant_from_the_school_form(client, staff_a, world) -> None:  # type: ignore[no-untyped-def]
    response = client.post(_url(world), _form(contact_consent="on"))
    assert response.status_code == 302
    person = Person.objects.get(document_number="45678901")
    row = ContactConsent.objects.get(person=person)
    assert (row.granted, row.source, row.text_version, row.recorded_by) == (
        True,
        ContactConsentSource.SCHOOL_FORM,
        CURRENT_CONTACT_CONSENT_VERSION,
        staff_a,
    )
    assert row.text_sha256 == contact_consent_sha256(CURRENT_CONTACT_CONSENT_VERSION)
    assert persons_consenting([person.pk]) == {person.pk}
    assert AuditEvent.objects.filter(
        action=AuditAction.CONTACT_CONSENT, object_code=person.code
    ).exists()


def test_unticked_it_registers_and_records_nothing(client, staff_a, world) -> None:  # type: ignore[no-untyped-def]
    response = client.post(_url(world), _form())
    assert response.status_code == 302
    assert Person.objects.filter(document_number="45678901").exists()
    assert not ContactConsent.objects.exists()


def test_a_changed_text_asks_for_the_page_again(client, staff_a, world) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        _url(world), _form(contact_consent="on", contact_consent_version="2020-01-v0")
    )
    assert response.status_code == 200
    assert "recargue la página" in response.content.decode()
    assert not Person.objects.filter(document_number="45678901").exists()
    assert not ContactConsent.objects.exists()
