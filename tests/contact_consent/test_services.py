"""Recording and withdrawing consent to follow-up contact (accounts.contact_consent)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.consent import (
    CURRENT_CONTACT_CONSENT_VERSION,
    ROSTER_CONTACT_CONSENT_VERSION,
    contact_consent_sha256,
)
from accounts.contact_consent import (
    contact_consent_latest,
    contact_consent_record,
    contact_consent_withdraw,
    persons_consenting,
)
from accounts.models import ContactConsent, ContactConsentSource
from audit.models import AuditAction, AuditEvent
from participants.models import PersonStatus
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _grant(person, actor, *, days_ago: int = 1, source=ContactConsentSource.ADMIN):  # type: ignore[no-untyped-def]
    return contact_consent_record(
        person=person,
        granted=True,
        source=source,
        given_at=timezone.now() - timedelta(days=days_ago),
        actor=actor,
    )


def test_a_grant_keeps_its_version_hash_and_author_and_is_audited(person, admin_user) -> None:  # type: ignore[no-untyped-def]
    row = _grant(person, admin_user)
    assert (row.granted, row.text_version, row.recorded_by) == (
        True,
        CURRENT_CONTACT_CONSENT_VERSION,
        admin_user,
    )
    assert row.text_sha256 == contact_consent_sha256(CURRENT_CONTACT_CONSENT_VERSION)
    event = AuditEvent.objects.get(action=AuditAction.CONTACT_CONSENT)
    assert (event.object_code, event.actor) == (person.code, admin_user)
    assert event.details["granted"] is True
    assert event.details["source"] == "admin"
    assert persons_consenting([person.pk]) == {person.pk}


def test_a_withdrawal_counts_at_once_and_is_audited(person, admin_user) -> None:  # type: ignore[no-untyped-def]
    _grant(person, admin_user)
    withdrawal = contact_consent_withdraw(
        person=person, actor=admin_user, source=ContactConsentSource.ADMIN
    )
    assert (withdrawal.granted, withdrawal.text_version, withdrawal.text_sha256) == (False, "", "")
    assert persons_consenting([person.pk]) == set()
    assert contact_consent_latest([person.pk])[person.pk] == withdrawal
    events = AuditEvent.objects.filter(action=AuditAction.CONTACT_CONSENT).order_by("id")
    assert [event.details["granted"] for event in events] == [True, False]


def test_a_withdrawal_under_a_merged_record_counts_for_the_survivor(admin_user) -> None:  # type: ignore[no-untyped-def]
    survivor = PersonFactory()
    merged = PersonFactory(status=PersonStatus.MERGED, merged_into=survivor)
    _grant(survivor, admin_user, days_ago=3)
    contact_consent_withdraw(person=merged, actor=admin_user, source=ContactConsentSource.ADMIN)
    assert persons_consenting([survivor.pk]) == set()
    latest = contact_consent_latest([survivor.pk])
    assert latest[survivor.pk].person_id == merged.pk


def test_a_later_grant_under_either_record_counts_again(admin_user) -> None:  # type: ignore[no-untyped-def]
    survivor = PersonFactory()
    merged = PersonFactory(status=PersonStatus.MERGED, merged_into=survivor)
    contact_consent_withdraw(person=survivor, actor=admin_user, source=ContactConsentSource.ADMIN)
    _grant(merged, admin_user, days_ago=0)
    assert persons_consenting([survivor.pk]) == {survivor.pk}


def test_an_unknown_text_version_is_refused_and_nothing_is_written(person, admin_user) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="Versión desconocida"):
        contact_consent_record(
            person=person,
            granted=True,
            source=ContactConsentSource.ADMIN,
            given_at=timezone.now(),
            text_version="1999-01-v9",
            actor=admin_user,
        )
    assert not ContactConsent.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.CONTACT_CONSENT).exists()


def test_a_grant_needs_a_version_a_refusal_does_not(person, admin_user) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="versión del texto"):
        contact_consent_record(
            person=person,
            granted=True,
            source=ContactConsentSource.ADMIN,
            given_at=timezone.now(),
            text_version="",
            actor=admin_user,
        )
    refusal = contact_consent_record(
        person=person,
        granted=False,
        source=ContactConsentSource.ADMIN,
        given_at=timezone.now(),
        text_version="",
        actor=admin_user,
    )
    assert not refusal.granted


def test_the_roster_version_is_for_roster_grants_only(person, admin_user) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError):
        contact_consent_record(
            person=person,
            granted=True,
            source=ContactConsentSource.ADMIN,
            given_at=timezone.now(),
            text_version=ROSTER_CONTACT_CONSENT_VERSION,
            actor=admin_user,
        )
    with pytest.raises(ValidationError):
        _grant(person, admin_user, source=ContactConsentSource.ROSTER)


def test_no_statement_means_no_consent(person) -> None:  # type: ignore[no-untyped-def]
    assert persons_consenting([person.pk]) == set()
    assert contact_consent_latest([person.pk]) == {}
