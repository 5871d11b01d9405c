"""The SQL that computes report cells from facts (see `cells` for what a cell is).

One statement per call: each fact is tagged with the slice(s) it belongs to, then every
section of the report is a GROUP BY over the tagged facts, all joined by UNION ALL into
rows of one shape (slice, section, key, measures). Built from constant fragments only;
the caller's condition brings its own bound parameters.

The SQL here is assembled from this package's own constant fragments (table, column and
expression names); every value is a bound parameter: hence the `noqa: S608` lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection

from participants.models import Sex
from registry.reports.facts import FACT_TABLE

CELL_TABLE = "registry_reportcell"
MEASURES = (
    "persons", "participations", "rows_all", "with_pre", "with_post", "with_both",
    "sum_pre", "sum_post", "improved", "sum_normalised_gain", "normalised_gain_pairs",
)  # fmt: skip
CELL_COLUMNS = ("slice_dim", "slice_key", "section", "key", *MEASURES)

# The stored slices: the whole registry and each value of each single filter.
SLICES: dict[str, str] = {
    "": "''",
    "region": "f.region_id",
    "institution": "f.institution_id",
    "course": "f.course_id",
    "component": "f.component",
    "provider": "f.provider",
    "year": "f.year",
}

# Course sequences keep this many courses; a longer one ends in SEQUENCE_MORE.
SEQUENCE_COURSES = 12
SEQUENCE_MORE = ">+"

# Coverage sections: (section, key expression). Unique persons and participations.
COVERAGE_KEYS = {
    "sex": "f.sex",
    "institution": "f.institution_id",
    "role": "f.role_id",
    "region": "f.region_id",
    "course": "f.course_id",
    "component": "f.component",
    "year": "f.year",
    "provider": "f.provider",
}

# Completeness of the participations: (key, condition) counted as participations.
ENROLLMENT_FIELDS = {
    "sex": f"f.sex <> '{Sex.NOT_RECORDED}'",
    "dni": "f.has_dni",
    "institution": "f.institution_id IS NOT NULL",
    "role": "f.role_id IS NOT NULL",
    "region": "f.region_id IS NOT NULL",
    "institution_unmapped": "f.institution_text <> ''",
    "role_unmapped": "f.role_text <> ''",
    "region_unmapped": "f.region_text <> ''",
}
PERSON_FIELDS = {"sex": ENROLLMENT_FIELDS["sex"], "dni": "f.has_dni"}
UNMAPPED_FIELDS = ("institution", "role", "region")

# Output indicators are broken down by these coverage keys: section "indicator_sex", key
# "<indicator id>|<sex>", and so on.
INDICATOR_BREAKDOWNS = ("sex", "institution", "region")
KEY_SEPARATOR = "|"
PAIRED = "f.pre IS NOT NULL AND f.post IS NOT NULL"


def report_query_settings() -> None:
    """PostgreSQL settings for the cells' statements, for the current transaction only.

    - work_mem: filters that are not one stored slice group the matching facts per person;
      the default 4 MB sends that to disk.
    - jit off: the many-branch statements look expensive to the planner, which then spent
      seconds compiling them for work that takes milliseconds.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL work_mem = '64MB'")
            cursor.execute("SET LOCAL jit = off")


def _text(expr: str) -> str:
    return f"COALESCE(CAST({expr} AS TEXT), '')"


def _quoted(name: str) -> str:
    return f"'{name}'"


def _row(section: str, key: str, *measures: str) -> str:
    """A SELECT list in the cell shape; measures not given are zero."""
    values = list(measures) + ["0"] * (len(MEASURES) - len(measures))
    return f"d, s, '{section}' AS section, {key} AS key, " + ", ".join(values)


PRE_POST = MEASURES[3:]  # with_pre ... normalised_gain_pairs: sums over enrollments


def _pre_post_measures(only: str = "TRUE") -> list[str]:
    """The pre/post sums over the facts (those matching `only`), in PRE_POST order."""
    both = f"{only} AND {PAIRED}"
    return [
        f"SUM(CASE WHEN {only} AND f.pre IS NOT NULL THEN 1 ELSE 0 END)",
        f"SUM(CASE WHEN {only} AND f.post IS NOT NULL THEN 1 ELSE 0 END)",
        f"SUM(CASE WHEN {both} THEN 1 ELSE 0 END)",
        f"SUM(CASE WHEN {both} THEN f.pre ELSE 0 END)",
        f"SUM(CASE WHEN {both} THEN f.post ELSE 0 END)",
        f"SUM(CASE WHEN {both} AND f.post > f.pre THEN 1 ELSE 0 END)",
        f"SUM(CASE WHEN {both} AND f.pre < 100 "
        "THEN (f.post - f.pre) * 1.0 / (100.0 - f.pre) ELSE 0 END)",
        f"SUM(CASE WHEN {both} AND f.pre < 100 THEN 1 ELSE 0 END)",
    ]


def _indicator_join() -> tuple[str, str]:
    """A join giving one row per output indicator of the fact's course (none for a course
    without), and the indicator id as text."""
    if connection.vendor == "postgresql":
        return (
            "CROSS JOIN LATERAL jsonb_array_elements_text(CAST(f.indicators AS jsonb)) "
            "AS ci(indicator_id)",
            "ci.indicator_id",
        )
    return "JOIN json_each(f.indicators) AS ci", _text("ci.value")


def _sequence_aggregate() -> str:
    """The person's courses in order, as ids joined by ">", the first SEQUENCE_COURSES of
    them only (then ">+"): the key stays short, and longer sequences are never common."""
    more = f"CASE WHEN COUNT(*) > {SEQUENCE_COURSES} THEN '{SEQUENCE_MORE}' ELSE '' END"
    if connection.vendor == "postgresql":
        ordered = (
            "array_agg(CAST(f.course_id AS TEXT) ORDER BY f.start_date NULLS FIRST, f.cohort_id)"
        )
        return f"array_to_string(({ordered})[1:{SEQUENCE_COURSES}], '>') || {more}"
    # SQLite concatenates in the order the rows arrive from the ordered subquery, which
    # numbers each person's rows.
    first = f"CASE WHEN f.position <= {SEQUENCE_COURSES} THEN f.course_id END"
    return f"group_concat({first}, '>') || {more}"


def contributions_sql(
    slice_dims: Sequence[str], where: str, *, table: str = FACT_TABLE, materialize: bool = False
) -> str:
    """One statement giving the cells of `slice_dims` over the facts matching `where`.

    Columns: slice_dim, slice_key, section, key, then MEASURES. `where` is a condition on
    the facts (alias `f`) of `table` (the facts, or a temporary copy of some of them) whose
    parameters are bound once per scan: see `contributions_params`.

    Each fact appears once per slice dimension, tagged with its slice; `materialize` keeps
    those tagged rows once for every section to read (right for a few persons' facts;
    for the whole registry each section scans the table instead).
    """
    tagged = " UNION ALL ".join(
        f"SELECT '{dim}' AS d, {_text(SLICES[dim])} AS s, f.* FROM {table} f WHERE {where}"  # noqa: S608
        for dim in slice_dims
    )
    ctes = []
    if materialize:
        ctes.append(f"x AS MATERIALIZED ({tagged})")
        facts = "x f"
    else:
        facts = f"({tagged}) f"
    counted = f"(SELECT * FROM {facts} WHERE f.counted) f"  # noqa: S608
    ordered = counted
    if connection.vendor != "postgresql":
        position = (
            "ROW_NUMBER() OVER (PARTITION BY f.d, f.s, f.person_id "
            "ORDER BY f.start_date, f.cohort_id) AS position"
        )
        ordered = (
            f"(SELECT f.*, {position} FROM {counted} "  # noqa: S608
            "ORDER BY f.d, f.s, f.person_id, f.start_date, f.cohort_id) f"
        )
    # Distinct persons are counted in two grouping steps (per person, then per cell)
    # rather than with COUNT(DISTINCT): the database hashes instead of sorting.
    flag = "MAX(CASE WHEN f.counted{} THEN 1 ELSE 0 END)"
    per_person = [
        f"{flag.format('')} AS persons",
        "SUM(CASE WHEN f.counted THEN 1 ELSE 0 END) AS participations",
        "COUNT(*) AS rows_all",
    ]
    per_person += [
        f"{flag.format(f' AND {condition}')} AS p_{name}"
        for name, condition in PERSON_FIELDS.items()
    ]
    per_person += [
        f"SUM(CASE WHEN f.counted AND {condition} THEN 1 ELSE 0 END) AS e_{name}"
        for name, condition in ENROLLMENT_FIELDS.items()
    ]
    per_person += [
        f"{sql} AS {name}"
        for name, sql in zip(PRE_POST, _pre_post_measures("f.counted"), strict=True)
    ]
    summed = ["persons", "participations", "rows_all"]
    summed += [f"p_{name}" for name in PERSON_FIELDS] + [f"e_{name}" for name in ENROLLMENT_FIELDS]
    summed += PRE_POST
    ctes += [
        f"t AS MATERIALIZED (SELECT d, s, {', '.join(f'SUM({c}) AS {c}' for c in summed)} "  # noqa: S608
        f"FROM (SELECT f.d, f.s, f.person_id, {', '.join(per_person)} FROM {facts} "
        "GROUP BY f.d, f.s, f.person_id) g GROUP BY d, s)",
        "p AS MATERIALIZED (SELECT f.d, f.s, f.person_id, COUNT(DISTINCT f.course_id) AS courses, "  # noqa: S608
        f"COUNT(*) AS n, {_sequence_aggregate()} AS seq FROM {ordered} "
        "GROUP BY f.d, f.s, f.person_id)",
    ]
    empty = "''"

    def per_key(
        section: str, key: str, join: str = "", *, pre_post: bool = False, only: str = "TRUE"
    ) -> str:
        """Persons, participations (and, with `pre_post`, the pre/post sums) per key, over
        the facts matching `only`, grouped per person first."""
        sums = [
            f"{sql} AS {name}" for name, sql in zip(PRE_POST, _pre_post_measures(), strict=True)
        ]
        inner = ", ".join(["COUNT(*) AS n", *(sums if pre_post else [])])
        outer = ["COUNT(*)", "SUM(n)", "SUM(n)", *(f"SUM({m})" for m in PRE_POST if pre_post)]
        # PostgreSQL refuses a constant in GROUP BY; one key per slice needs no grouping.
        grouped = "" if key == empty else f"{key}, "
        return (
            f"SELECT {_row(section, 'key', *outer)} FROM "  # noqa: S608
            f"(SELECT f.d, f.s, {key} AS key, f.person_id, {inner} FROM {counted} {join} "
            f"WHERE {only} GROUP BY f.d, f.s, {grouped}f.person_id) g GROUP BY d, s, key"
        )

    totals = ("persons", "participations", "rows_all", *PRE_POST)
    branches = [f"SELECT {_row('total', empty, *totals)} FROM t"]  # noqa: S608
    branches += [
        f"SELECT {_row('persons_with', _quoted(name), f'p_{name}', '0', 'rows_all')} FROM t"  # noqa: S608
        for name in PERSON_FIELDS
    ]
    branches += [
        f"SELECT {_row('enrollments_with', _quoted(name), '0', f'e_{name}', 'rows_all')} FROM t"  # noqa: S608
        for name in ENROLLMENT_FIELDS
    ]
    bucket = "CASE WHEN courses >= 4 THEN 4 ELSE courses END"
    per_person_rows = ("COUNT(*)", "SUM(n)", "SUM(n)")
    branches.append(
        f"SELECT {_row('repeat', f'CAST({bucket} AS TEXT)', *per_person_rows)} "  # noqa: S608
        f"FROM p GROUP BY d, s, {bucket}"
    )
    branches.append(
        f"SELECT {_row('sequence', 'seq', *per_person_rows)} FROM p WHERE n >= 2 GROUP BY d, s, seq"  # noqa: S608
    )
    # Pre/post figures are reported per course, cohort and knowledge indicator (and in
    # total).
    branches += [
        per_key(section, _text(expr), pre_post=section == "course")
        for section, expr in COVERAGE_KEYS.items()
    ]
    # Output indicators, in total and by sex, institution and region: a course with several
    # counts towards each. "indicator_any" holds the persons counted toward at least one.
    join, indicator = _indicator_join()
    branches.append(per_key("indicator", indicator, join))
    branches.append(per_key("indicator_any", empty, only="f.indicators <> '[]'"))
    branches += [
        per_key(
            f"indicator_{name}",
            f"{indicator} || '{KEY_SEPARATOR}' || {_text(COVERAGE_KEYS[name])}",
            join,
        )
        for name in INDICATOR_BREAKDOWNS
    ]
    # Knowledge indicators: the pre/post sums of the courses whose tests measure each, and
    # the persons with a pair of tests ("knowledge_paired").
    knowledge = _text("f.knowledge_indicator_id")
    branches.append(per_key("knowledge", knowledge, pre_post=True))
    branches.append(
        per_key(
            "knowledge_paired",
            knowledge,
            only=f"f.knowledge_indicator_id IS NOT NULL AND {PAIRED}",
        )
    )
    # One enrollment per person and cohort (a unique constraint): rows are persons.
    cohort_measures = ("COUNT(*)", "COUNT(*)", "COUNT(*)", *_pre_post_measures())
    branches.append(
        f"SELECT {_row('cohort', _text('f.cohort_id'), *cohort_measures)} "  # noqa: S608
        f"FROM {counted} GROUP BY d, s, f.cohort_id"
    )
    branches += [
        f"SELECT {_row(f'unmapped_{field}', f'f.{field}_text', '0', 'COUNT(*)', 'COUNT(*)')} "  # noqa: S608
        f"FROM {counted} WHERE f.{field}_text <> '' GROUP BY d, s, f.{field}_text"
        for field in UNMAPPED_FIELDS
    ]
    return f"WITH {', '.join(ctes)} " + " UNION ALL ".join(branches)


def contributions_params(sql: str, where_params: list[Any], table: str = FACT_TABLE) -> list[Any]:
    """The parameters of `contributions_sql`: the scope's, once per scan of the facts."""
    return where_params * sql.count(f"FROM {table} f WHERE")
