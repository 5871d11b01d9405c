"""The person's admin page: the follow-up contact statements, and recording new ones."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.consent import contact_consent_text
from accounts.contact_consent import contact_consent_record, persons_consenting
from accounts.models import ContactConsent, ContactConsentSource
from audit.models import AuditAction, AuditEvent
from participants.models import PersonStatus
from tests.factories import CohortFactory, EnrollmentFactory, PersonFactory, SchoolFactory

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _change_url(person) -> str:  # type: ignore[no-untyped-def]
    return reverse("admin:participants_person_change", args=[person.pk])


def _grant(person, actor, days_ago: int) -> ContactConsent:  # type: ignore[no-untyped-def]
    return contact_consent_record(
        person=person,
        granted=True,
        source=ContactConsentSource.ADMIN,
        given_at=timezone.now() - timedelta(days=days_ago),
        actor=actor,
    )


@pytest.fixture
def enrolled(db):  # type: ignore[no-untyped-def]
    school = SchoolFactory(acronym="ESA")
    person = PersonFactory()
    EnrollmentFactory(person=person, cohort=CohortFactory(school=school))
    return school, person


def test_the_page_lists_the_statements_over_the_merge_cluster(role_user, enrolled) -> None:  # type: ignore[no-untyped-def]
    _school, person = enrolled
    admin = role_user("admin", username="registry-admin-1")
    merged = PersonFactory(status=PersonStatus.MERGED, merged_into=person)
    _grant(person, admin, days_ago=10)
    contact_consent_record(
        person=merged,
        granted=False,
        source=ContactConsentSource.ROSTER,
        given_at=timezone.now() - timedelta(days=2),
        text_version="",
        actor=None,
    )
    page = _client(admin).get(_change_url(person)).content.decode()
    assert "Contacto para seguimiento" in page
    assert "Respuesta actual: no" in page
    assert "administrador del registro" in page
    assert "lista importada" in page
    assert merged.code in page
    assert "registry-admin-1" in page
    assert "Registrar retiro" in page


def test_an_administrator_withdraws_and_it_counts_at_once(role_user, enrolled) -> None:  # type: ignore[no-untyped-def]
    _school, person = enrolled
    admin = role_user("admin")
    _grant(person, admin, days_ago=5)
    url = reverse("admin:participants_person_contact_consent_withdraw", args=[person.pk])
    response = _client(admin).post(url)
    assert response.status_code == 302
    assert response["Location"] == _change_url(person)
    assert persons_consenting([person.pk]) == set()
    latest = ContactConsent.objects.filter(person=person).order_by("-given_at").first()
    assert latest is not None
    assert (latest.granted, latest.source, latest.recorded_by) == (False, "admin", admin)
    event = AuditEvent.objects.filter(action=AuditAction.CONTACT_CONSENT).order_by("-id").first()
    assert event is not None
    assert (event.object_code, event.details["granted"], event.actor) == (person.code, False, admin)


def test_an_administrator_records_a_grant_with_the_current_text(role_user, enrolled) -> None:  # type: ignore[no-untyped-def]
    _school, person = enrolled
    admin = role_user("admin")
    url = reverse("admin:participants_person_contact_consent_grant", args=[person.pk])
    assert _client(admin).post(url).status_code == 302
    row = ContactConsent.objects.get(person=person)
    assert (row.granted, row.source, row.text_version) == (True, "admin", "2026-12-v1")
    assert persons_consenting([person.pk]) == {person.pk}


def test_a_get_asks_for_confirmation_and_records_nothing(role_user, enrolled) -> None:  # type: ignore[no-untyped-def]
    _school, person = enrolled
    client = _client(role_user("admin"))
    grant = client.get(reverse("admin:participants_person_contact_consent_grant", args=[person.pk]))
    assert grant.status_code == 200
    assert contact_consent_text() in grant.content.decode()
    url = reverse("admin:participants_person_contact_consent_withdraw", args=[person.pk])
    assert "Registrar retiro" in client.get(url).content.decode()
    assert not ContactConsent.objects.exists()


def test_school_staff_neither_see_the_statements_nor_record_any(role_user, enrolled) -> None:  # type: ignore[no-untyped-def]
    school, person = enrolled
    admin = role_user("admin", username="registry-admin-2")
    _grant(person, admin, days_ago=3)
    staff = _client(role_user("school", school=school))
    page = staff.get(_change_url(person))
    assert page.status_code == 200  # their own participant: the page opens
    text = page.content.decode()
    assert "registry-admin-2" not in text
    assert "Registrar retiro" not in text
    for name in ("grant", "withdraw"):
        url = reverse(f"admin:participants_person_contact_consent_{name}", args=[person.pk])
        assert staff.post(url).status_code == 403
        assert staff.get(url).status_code == 403
    assert ContactConsent.objects.count() == 1
    assert persons_consenting([person.pk]) == {person.pk}


def test_another_schools_staff_cannot_reach_the_person(role_user, enrolled) -> None:  # type: ignore[no-untyped-def]
    _school, person = enrolled
    other = _client(role_user("school", school=SchoolFactory(acronym="ESB")))
    url = reverse("admin:participants_person_contact_consent_withdraw", args=[person.pk])
    assert other.post(url).status_code in (403, 404)
    assert not ContactConsent.objects.exists()


def test_the_statements_list_is_read_only_and_for_administrators(role_user, enrolled) -> None:  # type: ignore[no-untyped-def]
    school, person = enrolled
    admin = role_user("admin")
    row = _grant(person, admin, days_ago=1)
    changelist = reverse("admin:accounts_contactconsent_changelist")
    page = _client(admin).get(changelist)
    assert page.status_code == 200
    assert person.code in page.content.decode()
    change = reverse("admin:accounts_contactconsent_change", args=[row.pk])
    assert "<textarea" not in _client(admin).get(change).content.decode()
    assert _client(admin).post(change, {"granted": ""}).status_code == 403
    assert _client(role_user("school", school=school)).get(changelist).status_code == 403
