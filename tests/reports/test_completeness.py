from __future__ import annotations

from registry.reports.completeness import completeness, unmapped_spellings
from registry.reports.filters import ReportFilters


def test_shares_of_persons_and_enrollments(registry) -> None:  # type: ignore[no-untyped-def]
    result = completeness(filters=ReportFilters())
    assert (result["persons"], result["enrollments"]) == (6, 10)
    rows = {r["field"]: r for r in result["fields"]}
    assert (rows["sex"]["persons"], rows["sex"]["persons_pct"]) == (5, 83.3)
    assert (rows["sex"]["enrollments"], rows["sex"]["enrollments_pct"]) == (9, 90.0)
    assert (rows["dni"]["persons"], rows["dni"]["persons_pct"]) == (5, 83.3)
    assert rows["dni"]["enrollments_pct"] == 90.0
    assert (
        rows["institution"]["enrollments_pct"],
        rows["institution"]["enrollments_unmapped"],
    ) == (
        90.0,
        1,
    )
    assert rows["institution"]["persons_pct"] is None
    assert (rows["role"]["enrollments"], rows["role"]["enrollments_unmapped"]) == (9, 0)
    assert (rows["region"]["enrollments"], rows["region"]["enrollments_unmapped_pct"]) == (9, 10.0)


def test_unmapped_spellings_waiting_for_an_administrator(registry) -> None:  # type: ignore[no-untyped-def]
    rows = unmapped_spellings(filters=ReportFilters())
    assert [(r["vocabulary"], r["spelling"], r["enrollments"]) for r in rows] == [
        ("institution", "Fiscalia X", 1),
        ("region", "Cuzco city", 1),
    ]
    assert unmapped_spellings(filters=ReportFilters(course=registry.course_a.pk)) == []
