"""A small population for the follow-up tests: persons in two institutions and two regions,
with consent, contacts and birth dates set per test through `make_person`."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from accounts.models import ContactConsent, ContactConsentSource
from participants.models import Institution, Region, Sector, Sex
from tests.factories import CohortFactory, CourseFactory, EnrollmentFactory, PersonFactory

TODAY = dt.date(2026, 12, 7)


def consent(person, *, granted: bool = True, at: dt.datetime | None = None) -> ContactConsent:  # type: ignore[no-untyped-def]
    return ContactConsent.objects.create(
        person=person,
        granted=granted,
        given_at=at or timezone.now(),
        source=ContactConsentSource.ADMIN,
    )


@pytest.fixture
def world(db):  # type: ignore[no-untyped-def]
    ia = Institution.objects.create(acronym="TIA", name="Institución A", sector=Sector.JUSTICE)
    ib = Institution.objects.create(acronym="TIB", name="Institución B", sector=Sector.POLICE)
    ra = Region.objects.create(code="T1", name="Región A")
    rb = Region.objects.create(code="T2", name="Región B")
    course = CourseFactory(title="Curso de seguimiento", component="protection")
    cohort = CohortFactory(course=course, label="S-2024", start_date=dt.date(2024, 5, 1))
    counter = iter(range(1, 10_000))

    def make_person(  # type: ignore[no-untyped-def]
        *,
        institution=ia,
        region=ra,
        sex=Sex.FEMALE,
        consents: bool = True,
        email: str | None = None,
        phone: str = "",
        birth_date: dt.date | None = dt.date(1985, 1, 1),
        cohort_=None,
        **fields,
    ):
        n = next(counter)
        person = PersonFactory(
            sex=sex,
            email=f"persona{n}@example.org" if email is None else email,
            phone=phone,
            birth_date=birth_date,
            **fields,
        )
        EnrollmentFactory(
            person=person, cohort=cohort_ or cohort, institution=institution, region=region
        )
        if consents:
            consent(person)
        return person

    return SimpleNamespace(
        ia=ia, ib=ib, ra=ra, rb=rb, course=course, cohort=cohort, make_person=make_person
    )
