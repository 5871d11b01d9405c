from __future__ import annotations

import datetime

import pytest

from accounts.models import Consent
from tests.factories import (
    CohortFactory,
    EnrollmentFactory,
    PersonFactory,
    ScoreFactory,
    SourceRecordFactory,
)


@pytest.fixture
def subject(db):  # type: ignore[no-untyped-def]
    """A person with two enrollments, a score, a roster row and a consent."""
    person = PersonFactory(
        given_names="Marisol",
        paternal_surname="Ccahuana",
        maternal_surname="Pariona",
        document_number="43218765",
        email="marisol@example.org",
        phone="956123456",
        birth_date=datetime.date(1988, 3, 14),
    )
    first = EnrollmentFactory(person=person, cohort=CohortFactory())
    EnrollmentFactory(person=person, cohort=CohortFactory(), institution_text="Fiscalía")
    ScoreFactory(enrollment=first)
    SourceRecordFactory(
        person=person,
        enrollment=first,
        batch__cohort=first.cohort,
        raw={
            "Apellidos y nombres": "CCAHUANA PARIONA, MARISOL",
            "N° DNI": "43218765",
            "Institución": "Ministerio Público",
            "Observaciones": "llamar al 956 123 456",
            "Nota": "12",
        },
        problems=[{"column": "N° DNI", "problem": "DNI '43218765' repeated"}],
    )
    Consent.objects.create(
        person=person,
        given_at=datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC),
        text_version="2026-11-v1",
        text_sha256="0" * 64,
    )
    return person
