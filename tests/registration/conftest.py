from __future__ import annotations

import pytest

from tests.factories import CohortFactory, EnrollmentFactory, PersonFactory, SchoolFactory


@pytest.fixture
def world(db):  # type: ignore[no-untyped-def]
    """School A and school B, a cohort each, and a participant of school B."""
    school_a, school_b = SchoolFactory(acronym="ESA"), SchoolFactory(acronym="ESB")
    cohort_a = CohortFactory(school=school_a, label="2026-A")
    cohort_b = CohortFactory(school=school_b, label="2026-B")
    bruno = PersonFactory(
        given_names="Bruno Alonso",
        paternal_surname="Quispe",
        maternal_surname="Mamani",
        document_number="41234567",
        email="bruno@example.org",
    )
    EnrollmentFactory(person=bruno, cohort=cohort_b)
    alicia = PersonFactory(
        given_names="Alicia",
        paternal_surname="Huamán",
        maternal_surname="Torres",
        document_number="42345678",
    )
    EnrollmentFactory(person=alicia, cohort=cohort_a)
    return {
        "school_a": school_a,
        "school_b": school_b,
        "cohort_a": cohort_a,
        "cohort_b": cohort_b,
        "bruno": bruno,
        "alicia": alicia,
    }


@pytest.fixture
def staff_a(client, role_user, world):  # type: ignore[no-untyped-def]
    user = role_user("school", school=world["school_a"])
    client.force_login(user)
    return user
