"""Minors and follow-up contact: `accounts.minors.minors_without_follow_up_consent`, the
guardian consents in a person's access report and after a cancellation, and the flag on
the person's admin page."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.guardian_consent import GuardianStatement, guardian_consent_record
from accounts.minors import minors_without_follow_up_consent
from accounts.models import GuardianConsent, GuardianConsentSource, GuardianRelationship
from data_requests.access import person_data_export
from data_requests.cancellation import person_cancel
from tests.factories import CohortFactory, EnrollmentFactory, PersonFactory

pytestmark = pytest.mark.django_db

TODAY = date(2027, 6, 1)


def _guardian(person, *, follow_up: bool, actor=None) -> GuardianConsent:  # type: ignore[no-untyped-def]
    return guardian_consent_record(
        person=person,
        statement=GuardianStatement(
            guardian_name="Rosa Huamán Ccori",
            guardian_relationship=GuardianRelationship.MOTHER,
            given_at=timezone.make_aware(datetime(2027, 3, 1)),
            allows_follow_up=follow_up,
        ),
        source=GuardianConsentSource.SCHOOL_FORM,
        actor=actor,
    )


def test_minors_by_birth_date_are_left_out_unless_their_guardian_allows_follow_up() -> None:
    adult = PersonFactory(birth_date=date(2000, 1, 1))
    turned_18_today = PersonFactory(birth_date=date(2009, 6, 1))
    seventeen = PersonFactory(birth_date=date(2009, 6, 2))
    allowed = PersonFactory(birth_date=date(2012, 1, 1))
    _guardian(allowed, follow_up=True)
    refused = PersonFactory(birth_date=date(2012, 1, 1))
    _guardian(refused, follow_up=False)
    ids = [p.pk for p in (adult, turned_18_today, seventeen, allowed, refused)]
    assert minors_without_follow_up_consent(ids, on=TODAY) == {seventeen.pk, refused.pk}


def test_without_birth_date_the_latest_participation_says() -> None:
    stated_16_last_year = PersonFactory(birth_date=None)
    EnrollmentFactory(
        person=stated_16_last_year, cohort=CohortFactory(start_date=date(2026, 5, 1)), age_stated=16
    )
    # 16 four years ago: an adult now, whatever older participation says.
    stated_16_long_ago = PersonFactory(birth_date=None)
    EnrollmentFactory(
        person=stated_16_long_ago, cohort=CohortFactory(start_date=date(2023, 5, 1)), age_stated=16
    )
    # Flagged a minor long ago, an adult at the latest participation.
    grown = PersonFactory(birth_date=None)
    EnrollmentFactory(
        person=grown, cohort=CohortFactory(start_date=date(2022, 1, 1)), minor_stated=True
    )
    EnrollmentFactory(
        person=grown, cohort=CohortFactory(start_date=date(2026, 1, 1)), age_stated=19
    )
    minority_recent = PersonFactory(birth_date=None)
    EnrollmentFactory(
        person=minority_recent, cohort=CohortFactory(start_date=date(2025, 1, 1)), minor_stated=True
    )
    minority_old = PersonFactory(birth_date=None)
    EnrollmentFactory(
        person=minority_old, cohort=CohortFactory(start_date=date(2022, 1, 1)), minor_stated=True
    )
    nothing_known = PersonFactory(birth_date=None)
    EnrollmentFactory(person=nothing_known, cohort=CohortFactory(start_date=date(2026, 1, 1)))
    people = [
        stated_16_last_year,
        stated_16_long_ago,
        grown,
        minority_recent,
        minority_old,
        nothing_known,
    ]
    assert minors_without_follow_up_consent([p.pk for p in people], on=TODAY) == {
        stated_16_last_year.pk,
        minority_recent.pk,
    }


def test_a_guardian_consent_under_a_merged_record_counts(admin_user) -> None:  # type: ignore[no-untyped-def]
    from review.merging.merge import person_merge

    survivor = PersonFactory(birth_date=date(2012, 1, 1))
    merged = PersonFactory(birth_date=date(2012, 1, 1))
    _guardian(merged, follow_up=True)
    person_merge(survivor=survivor, merged=merged, actor=admin_user, force=True)
    assert minors_without_follow_up_consent([survivor.pk], on=TODAY) == set()


def test_the_access_report_lists_the_guardian_consents_and_cancellation_keeps_them(
    admin_user,  # type: ignore[no-untyped-def]
) -> None:
    child = PersonFactory(birth_date=date(2013, 2, 1))
    cohort = CohortFactory(start_date=date(2027, 3, 1))
    EnrollmentFactory(person=child, cohort=cohort, age_stated=14)
    consent = _guardian(child, follow_up=False, actor=admin_user)
    export = person_data_export(person=child, actor=admin_user)
    [listed] = export["guardian_consents"]
    assert listed["person_code"] == child.code
    assert listed["guardian_name"] == "Rosa Huamán Ccori"
    assert listed["guardian_relationship"] == "madre"
    assert listed["source"] == "formulario de la escuela"
    assert listed["allows_follow_up"] is False
    assert listed["text_version"] == consent.text_version
    assert listed["text_sha256"] == consent.text_sha256
    assert listed["roster_row"] is None
    assert "Ley N.° 29733" in export["guardian_consents"][0]["text"]
    assert export["enrollments"][0]["age_stated"] == 14

    person_cancel(person=child, actor=admin_user, reason="Solicitud 2027-020")
    kept = GuardianConsent.objects.get()
    assert (kept.person_id, kept.text_sha256) == (child.pk, consent.text_sha256)


def test_the_person_admin_page_flags_the_minors_participations(admin_user) -> None:  # type: ignore[no-untyped-def]
    child = PersonFactory(birth_date=date(2013, 2, 1))
    EnrollmentFactory(person=child, cohort=CohortFactory(start_date=date(2026, 3, 1)))
    EnrollmentFactory(person=child, cohort=CohortFactory(start_date=date(2028, 3, 1)))
    client = Client()
    client.force_login(admin_user)
    page = client.get(reverse("admin:participants_person_change", args=[child.pk])).content
    text = page.decode()
    assert "menor de 14 años (13 al inicio del curso)" in text
    assert "menor de edad (15 al inicio del curso)" in text
