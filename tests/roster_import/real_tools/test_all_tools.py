"""Every tool's export of the same course, imported one after another: the same six people."""

from __future__ import annotations

import pytest

from assessments.models import Score
from courses.models import Enrollment
from participants.models import DuplicateCandidate, Person
from tests.factories import CohortFactory
from tests.roster_import.real_tools.conftest import FIXTURES, OFFICIALS, import_fixture

pytestmark = pytest.mark.django_db

EXPORTS = sorted(
    str(path.relative_to(FIXTURES))
    for path in FIXTURES.glob("*/*")
    if path.suffix in {".csv", ".xlsx"}
)


def test_every_export_of_every_tool_joins_the_same_six_persons() -> None:
    assert len(EXPORTS) == 10
    cohorts = []
    for export in EXPORTS:
        cohort = CohortFactory()
        report = import_fixture(export, cohort)
        assert report.status == "committed", export
        cohorts.append(cohort)
    # Ten files, each in a cohort of its own: six people, nobody left for a reviewer.
    assert Person.objects.count() == len(OFFICIALS)
    assert set(Person.objects.values_list("document_number", flat=True)) == set(OFFICIALS)
    assert not DuplicateCandidate.objects.exists()
    for cohort in cohorts:
        enrolled = Enrollment.objects.filter(cohort=cohort)
        assert enrolled.count() <= len(OFFICIALS)
        # Every file carries at least one test score for each row it holds.
        assert Score.objects.filter(enrollment__cohort=cohort).count() >= enrolled.count()
