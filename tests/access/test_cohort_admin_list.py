"""The admin's cohort list tells cohorts apart: dates, region, school and participants."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import CohortFactory, EnrollmentFactory

pytestmark = pytest.mark.django_db


def test_the_cohort_list_shows_dates_region_school_and_participants(
    client: Client,
    role_user,  # type: ignore[no-untyped-def]
) -> None:
    cohort = CohortFactory(label="C-participantes")
    EnrollmentFactory.create_batch(3, cohort=cohort)
    CohortFactory(label="C-vacia")
    client.force_login(role_user("admin"))
    page = client.get("/admin/courses/cohort/?q=C-").content.decode()
    for header in ("fecha de inicio", "región", "escuela", "participantes"):
        assert header in page.lower()
    assert '<td class="field-participant_count">3</td>' in page
    assert '<td class="field-participant_count">0</td>' in page
    by_count = client.get("/admin/courses/cohort/?q=C-&o=8").content.decode()
    assert by_count.index("C-vacia") < by_count.index("C-participantes")
