from __future__ import annotations

import pytest

from participants.models import Decision, DuplicateCandidate
from registry.reports.coverage import coverage_by, coverage_totals
from registry.reports.filters import ReportFilters

ALL = ReportFilters()


def table(rows):  # type: ignore[no-untyped-def]
    return {
        r["label"]: (r["participations"], r["unique_persons"], r["double_counting_factor"])
        for r in rows
    }


def test_totals(registry) -> None:  # type: ignore[no-untyped-def]
    assert coverage_totals(filters=ALL) == {
        "participations": 10,
        "participations_including_cancelled": 11,
        "unique_persons": 6,
        "unique_persons_if_reviews_confirmed": 5,
        "double_counting_factor": 1.67,
    }


def test_by_sex_shows_not_recorded_as_its_own_value(registry) -> None:  # type: ignore[no-untyped-def]
    assert table(coverage_by(filters=ALL, dimension="sex")) == {
        "Mujer": (5, 3, 1.67),
        "Hombre": (4, 2, 2.0),
        "No registrado": (1, 1, 1.0),
    }


def test_by_institution_role_region_as_at_the_training(registry) -> None:  # type: ignore[no-untyped-def]
    assert table(coverage_by(filters=ALL, dimension="institution")) == {
        "TIA": (6, 4, 1.5),
        "TIB": (3, 3, 1.0),
        "No registrado o sin mapear": (1, 1, 1.0),
    }
    assert table(coverage_by(filters=ALL, dimension="role")) == {
        "Fiscal de prueba": (5, 4, 1.25),
        "Policía de prueba": (4, 4, 1.0),
        "No registrado o sin mapear": (1, 1, 1.0),
    }
    assert table(coverage_by(filters=ALL, dimension="region")) == {
        "Región de prueba A": (5, 4, 1.25),
        "Región de prueba B": (4, 4, 1.0),
        "No registrado o sin mapear": (1, 1, 1.0),
    }


def test_by_course_component_provider(registry) -> None:  # type: ignore[no-untyped-def]
    assert table(coverage_by(filters=ALL, dimension="course")) == {
        "Curso A": (6, 5, 1.2),
        "Curso B": (4, 4, 1.0),
    }
    assert table(coverage_by(filters=ALL, dimension="component")) == {
        "Persecución": (6, 5, 1.2),
        "Protección": (4, 4, 1.0),
    }
    assert table(coverage_by(filters=ALL, dimension="provider")) == {
        "EMP": (6, 5, 1.2),
        "CEM": (4, 4, 1.0),
    }


def test_by_year_cohort(registry) -> None:  # type: ignore[no-untyped-def]
    # (Indicators have a report of their own: test_indicators.)
    rows = coverage_by(filters=ALL, dimension="year")
    assert [r["key"] for r in rows] == [2023, 2024]
    assert table(rows) == {"2023": (3, 3, 1.0), "2024": (7, 5, 1.4)}
    assert table(coverage_by(filters=ALL, dimension="cohort")) == {
        "Curso A - A-2023": (3, 3, 1.0),
        "Curso A - A-2024": (3, 3, 1.0),
        "Curso B - B-2024": (4, 4, 1.0),
    }


def test_range_counts_only_pairs_inside_the_filter(registry) -> None:  # type: ignore[no-untyped-def]
    # P3 and P6 are not in course B, so their pending pair changes nothing there.
    totals = coverage_totals(filters=ReportFilters(course=registry.course_b.pk))
    assert totals["unique_persons"] == totals["unique_persons_if_reviews_confirmed"] == 4


def test_range_respects_a_decided_different_pair(registry) -> None:  # type: ignore[no-untyped-def]
    # Without the cannot-link, P3~P4 would chain P4 to P6 as well: 6 - 2.
    DuplicateCandidate.objects.filter(decision=Decision.DIFFERENT).delete()
    assert coverage_totals(filters=ALL)["unique_persons_if_reviews_confirmed"] == 4


def test_range_respects_a_different_decided_before_a_merge(registry) -> None:  # type: ignore[no-untyped-def]
    # A reviewer said P5's tombstone is not P6, before it was merged into P5: the review
    # would refuse merging P5 and P6 (the difference holds for the survivor), so a pending
    # P5~P6 pair cannot lower the count.
    DuplicateCandidate.objects.create(
        person_a=min(registry.p5m, registry.p6, key=lambda p: p.pk),
        person_b=max(registry.p5m, registry.p6, key=lambda p: p.pk),
        score=0.6,
        decision=Decision.DIFFERENT,
    )
    DuplicateCandidate.objects.create(
        person_a=min(registry.p5, registry.p6, key=lambda p: p.pk),
        person_b=max(registry.p5, registry.p6, key=lambda p: p.pk),
        score=0.95,
        decision=Decision.PENDING,
    )
    assert coverage_totals(filters=ALL)["unique_persons_if_reviews_confirmed"] == 5


def test_range_ignores_decided_pairs(registry) -> None:  # type: ignore[no-untyped-def]
    DuplicateCandidate.objects.filter(decision=Decision.PENDING).update(decision=Decision.SKIPPED)
    assert coverage_totals(filters=ALL)["unique_persons_if_reviews_confirmed"] == 6


@pytest.mark.parametrize("dimension", ["sex", "institution", "course", "year"])
def test_breakdowns_add_up_to_participations(registry, dimension: str) -> None:  # type: ignore[no-untyped-def]
    assert sum(r["participations"] for r in coverage_by(filters=ALL, dimension=dimension)) == 10
