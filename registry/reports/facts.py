"""The report facts: one narrow row per counted enrollment, rebuilt per person.

A person's facts are a pure function of the registry's rows for that person (their status,
sex and document, their enrollments, those enrollments' cohorts, courses and scores), so
rebuilding them for a set of persons is a delete and one INSERT ... SELECT; no bookkeeping
of what exactly changed is needed.

The SQL here is assembled from this package's own constant fragments (table, column and
expression names); every value is a bound parameter: hence the `noqa: S608` lines.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection

from assessments.models import Phase
from participants.documents import DocumentType
from participants.models import PersonStatus

FACT_TABLE = "registry_reportfact"
FACT_COLUMNS = (
    "enrollment_id", "person_id", "counted", "sex", "has_dni", "cohort_id", "course_id",
    "component", "provider", "start_date", "year", "institution_id", "role_id", "region_id",
    "institution_text", "role_text", "region_text", "pre", "post", "indicators",
    "knowledge_indicator_id",
)  # fmt: skip

# SQLite's limit on bound parameters is far above this; PostgreSQL has none that matters.
CHUNK = 5000


def _year(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"CAST(EXTRACT(YEAR FROM {column}) AS INTEGER)"
    return f"CAST(strftime('%%Y', {column}) AS INTEGER)"


def _indicators(course_id: str) -> str:
    """The ids of the output indicators the course counts toward as a JSON array text,
    "[]" for none."""
    links = f"SELECT indicator_id FROM courses_course_indicators WHERE course_id = {course_id}"  # noqa: S608
    if connection.vendor == "postgresql":
        ids = f"SELECT json_agg(l.indicator_id ORDER BY l.indicator_id) FROM ({links}) l"  # noqa: S608
        return f"COALESCE(CAST(({ids}) AS TEXT), '[]')"
    return f"(SELECT json_group_array(l.indicator_id) FROM ({links} ORDER BY indicator_id) l)"  # noqa: S608


def _select(where: str) -> str:
    # Values are the enum constants of the code, not user input; they are bound anyway.
    return f"""
        SELECT e.id, e.person_id, p.status = %s, p.sex,
               (p.document_type = %s AND p.document_number <> ''),
               e.cohort_id, c.course_id, co.component, co.provider, c.start_date,
               {_year("c.start_date")},
               e.institution_id, e.role_id, e.region_id,
               CASE WHEN e.institution_id IS NULL THEN e.institution_text ELSE '' END,
               CASE WHEN e.role_id IS NULL THEN e.role_text ELSE '' END,
               CASE WHEN e.region_id IS NULL THEN e.region_text ELSE '' END,
               pre.percent, post.percent, {_indicators("co.id")}, co.knowledge_indicator_id
        FROM courses_enrollment e
        JOIN participants_person p ON p.id = e.person_id
        JOIN courses_cohort c ON c.id = e.cohort_id
        JOIN courses_course co ON co.id = c.course_id
        LEFT JOIN assessments_score pre ON pre.enrollment_id = e.id AND pre.phase = %s
        LEFT JOIN assessments_score post ON post.enrollment_id = e.id AND post.phase = %s
        WHERE p.status IN (%s, %s) {where}
    """  # noqa: S608


def _select_params() -> list[str]:
    return [
        PersonStatus.ACTIVE,
        DocumentType.DNI,
        Phase.PRE,
        Phase.POST,
        PersonStatus.ACTIVE,
        PersonStatus.CANCELLED,
    ]


def facts_rebuild_for(person_ids: Sequence[int]) -> None:
    """Replace the facts of these persons with what the registry holds for them now."""
    insert = f"INSERT INTO {FACT_TABLE} ({', '.join(FACT_COLUMNS)})"
    with connection.cursor() as cursor:
        for start in range(0, len(person_ids), CHUNK):
            chunk = list(person_ids[start : start + CHUNK])
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {FACT_TABLE} WHERE person_id IN ({marks})", chunk)  # noqa: S608
            cursor.execute(
                insert + _select(f"AND e.person_id IN ({marks})"), [*_select_params(), *chunk]
            )


def empty_table_sql(table: str) -> str:
    """Emptying a whole table: TRUNCATE on PostgreSQL leaves no dead rows behind, which a
    DELETE of millions would (doubling the table until vacuumed); SQLite's DELETE without
    a condition already drops the pages."""
    if connection.vendor == "postgresql":
        return f"TRUNCATE {table}"
    return f"DELETE FROM {table}"  # noqa: S608


def facts_rebuild_all() -> None:
    """Replace every fact: the starting point, and the repair if triggers were ever off."""
    with connection.cursor() as cursor:
        cursor.execute(empty_table_sql(FACT_TABLE))
        # In date order: a date-range report then reads neighbouring pages instead of
        # nearly every page of the table (later facts are appended at the end).
        cursor.execute(
            f"INSERT INTO {FACT_TABLE} ({', '.join(FACT_COLUMNS)})"
            + _select("")
            + " ORDER BY c.start_date, e.id",
            _select_params(),
        )
