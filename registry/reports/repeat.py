"""Repeat participation: how many courses each person took, and common course sequences."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Count, F, Q

from courses.models import Course
from registry.reports.filters import ReportFilters, enrollments

BUCKETS = [(1, "1 curso"), (2, "2 cursos"), (3, "3 cursos"), (4, "4 o más cursos")]


def repeat_participation(*, filters: ReportFilters) -> list[dict[str, Any]]:
    """Persons by the number of different courses they took (a course retaken counts once)."""
    per_person = (
        enrollments(filters)
        .values("person_id")
        .annotate(n=Count("cohort__course_id", distinct=True))
        .order_by()
    )
    # Aggregating over an aggregate makes Django wrap the grouped query in a subquery, so
    # the database does both levels.
    counts = per_person.aggregate(
        b1=Count("person_id", filter=Q(n=1)),
        b2=Count("person_id", filter=Q(n=2)),
        b3=Count("person_id", filter=Q(n=3)),
        b4=Count("person_id", filter=Q(n__gte=4)),
    )
    total = sum(counts.values())
    return [
        {
            "courses": label,
            "min_courses": n,
            "persons": counts[f"b{n}"],
            "share_pct": round(counts[f"b{n}"] * 100 / total, 1) if total else None,
        }
        for n, label in BUCKETS
    ]


def course_sequences(*, filters: ReportFilters, limit: int = 10) -> list[dict[str, Any]]:
    """The most common ordered sequences of courses among persons with two or more.

    Each person's courses are ordered by the cohort's start date and joined into a string
    by the database, which then counts the strings.
    """
    inner = (
        enrollments(filters)
        .annotate(p=F("person_id"), c=F("cohort__course_id"), d=F("cohort__start_date"))
        .values("p", "c", "d", "cohort_id")
        .order_by("p", "d", "cohort_id")
    )
    # Only SQL compiled by the ORM is pasted in; every value stays a bound parameter.
    sql, params = inner.query.sql_with_params()
    if connection.vendor == "postgresql":
        concat = "string_agg(c::text, '>' ORDER BY d NULLS FIRST, cohort_id)"
    else:
        # SQLite concatenates in the order rows arrive from the ordered subquery.
        concat = "group_concat(c, '>')"
    per_person = f"SELECT p, {concat} AS seq, COUNT(*) AS n FROM ({sql}) AS t GROUP BY p"  # noqa: S608
    query = (
        f"SELECT seq, COUNT(*) AS persons FROM ({per_person}) AS s WHERE n >= 2 "  # noqa: S608
        "GROUP BY seq ORDER BY persons DESC, seq LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, [*params, limit])
        rows = cursor.fetchall()
    ids = {int(i) for seq, _ in rows for i in str(seq).split(">")}
    titles = dict(Course.objects.filter(pk__in=ids).values_list("pk", "title"))
    return [
        {
            "sequence": " → ".join(titles.get(int(i), "?") for i in str(seq).split(">")),
            "course_ids": [int(i) for i in str(seq).split(">")],
            "persons": persons,
        }
        for seq, persons in rows
    ]
