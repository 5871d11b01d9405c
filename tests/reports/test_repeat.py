from __future__ import annotations

from registry.reports.filters import ReportFilters
from registry.reports.repeat import course_sequences, repeat_participation

ALL = ReportFilters()


def test_persons_by_number_of_courses(registry) -> None:  # type: ignore[no-untyped-def]
    # P1 took course A twice and B once: two different courses.
    assert [
        (r["min_courses"], r["persons"], r["share_pct"]) for r in repeat_participation(filters=ALL)
    ] == [
        (1, 3, 50.0),
        (2, 3, 50.0),
        (3, 0, 0.0),
        (4, 0, 0.0),
    ]


def test_common_sequences_in_date_order(registry) -> None:  # type: ignore[no-untyped-def]
    rows = course_sequences(filters=ALL)
    assert [(r["sequence"], r["persons"]) for r in rows] == [
        ("Curso A → Curso B", 2),
        ("Curso A → Curso A → Curso B", 1),
    ]
    assert rows[0]["course_ids"] == [registry.course_a.pk, registry.course_b.pk]


def test_sequences_follow_the_filters(registry) -> None:  # type: ignore[no-untyped-def]
    rows = course_sequences(filters=ReportFilters(course=registry.course_a.pk))
    assert [(r["sequence"], r["persons"]) for r in rows] == [("Curso A → Curso A", 1)]
