"""Database triggers that record which persons' report facts a write may have changed.

Every write to a table the reports read (enrollments, persons, scores, cohorts, courses with
their knowledge indicator, and their output indicators) inserts the affected person ids
into `registry_reportdirtyperson` in the same transaction. Doing it in the database rather
than in Python means bulk updates, raw SQL, the admin and a shell session are all seen, and
a rolled-back write leaves no mark.

PostgreSQL uses statement-level triggers with transition tables, so that a bulk update of
thousands of enrollments (a merge, an alias mapping) inserts once per statement rather than
calling a function per row. SQLite has only row-level triggers.

The SQL here is assembled from this package's own constant fragments (table, column and
expression names); every value is a bound parameter: hence the `noqa: S608` lines.
"""

from __future__ import annotations

from django.db.backends.base.base import BaseDatabaseWrapper

from audit.sql import execute_statements

DIRTY = "registry_reportdirtyperson"

# (table, events) that PostgreSQL watches; one trigger per event, because a trigger with
# transition tables may have only one.
_PG_TRIGGERS = {
    "courses_enrollment": ("INSERT", "UPDATE", "DELETE"),
    "participants_person": ("UPDATE",),
    "assessments_score": ("INSERT", "UPDATE", "DELETE"),
    "courses_cohort": ("UPDATE",),
    "courses_course": ("UPDATE",),
    "courses_course_indicators": ("INSERT", "DELETE"),
}

# The persons each table's changed rows reach, with `rows` standing for the transition
# table (new rows, or old rows on DELETE; on UPDATE both are read).
_PG_PERSONS = {
    "courses_enrollment": "SELECT person_id FROM {rows}",
    "assessments_score": (
        "SELECT e.person_id FROM {rows} s JOIN courses_enrollment e ON e.id = s.enrollment_id"
    ),
    "courses_course_indicators": (
        "SELECT e.person_id FROM {rows} ci JOIN courses_cohort c ON c.course_id = ci.course_id "
        "JOIN courses_enrollment e ON e.cohort_id = c.id"
    ),
}

# Updates that change nothing the reports read mark nobody.
_PG_UPDATES = {
    "participants_person": (
        "SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id "
        "WHERE (n.sex, n.status, n.document_type, n.document_number) IS DISTINCT FROM "
        "(o.sex, o.status, o.document_type, o.document_number)"
    ),
    "courses_cohort": (
        "SELECT e.person_id FROM new_rows n JOIN old_rows o ON o.id = n.id "
        "JOIN courses_enrollment e ON e.cohort_id = n.id "
        "WHERE (n.start_date, n.course_id) IS DISTINCT FROM (o.start_date, o.course_id)"
    ),
    "courses_course": (
        "SELECT e.person_id FROM new_rows n JOIN old_rows o ON o.id = n.id "
        "JOIN courses_cohort c ON c.course_id = n.id "
        "JOIN courses_enrollment e ON e.cohort_id = c.id "
        "WHERE (n.component, n.provider, n.knowledge_indicator_id) "
        "IS DISTINCT FROM (o.component, o.provider, o.knowledge_indicator_id)"
    ),
}


def _pg_function(table: str) -> str:
    if table in _PG_UPDATES:
        changed = _PG_UPDATES[table]
        body = f"INSERT INTO {DIRTY} (person_id) SELECT DISTINCT x.id FROM ({changed}) x(id);"  # noqa: S608
    else:
        persons = _PG_PERSONS[table]
        new = persons.format(rows="new_rows")
        old = persons.format(rows="old_rows")
        body = f"""
        IF TG_OP = 'INSERT' THEN
            INSERT INTO {DIRTY} (person_id) SELECT DISTINCT x.id FROM ({new}) x(id);
        ELSIF TG_OP = 'DELETE' THEN
            INSERT INTO {DIRTY} (person_id) SELECT DISTINCT x.id FROM ({old}) x(id);
        ELSE
            INSERT INTO {DIRTY} (person_id)
            SELECT DISTINCT x.id FROM ({new} UNION {old}) x(id);
        END IF;"""  # noqa: S608
    return f"""
    CREATE OR REPLACE FUNCTION report_dirty_{table}() RETURNS trigger AS $$
    BEGIN
        {body}
        RETURN NULL;
    END;
    $$ LANGUAGE plpgsql;
    """


def _pg_trigger(table: str, event: str) -> str:
    referencing = {
        "INSERT": "NEW TABLE AS new_rows",
        "UPDATE": "NEW TABLE AS new_rows OLD TABLE AS old_rows",
        "DELETE": "OLD TABLE AS old_rows",
    }[event]
    return (
        f"CREATE TRIGGER report_dirty_{event.lower()} AFTER {event} ON {table} "
        f"REFERENCING {referencing} FOR EACH STATEMENT "
        f"EXECUTE FUNCTION report_dirty_{table}();"
    )


def _postgres_create() -> list[str]:
    statements = []
    for table, events in _PG_TRIGGERS.items():
        statements.append(_pg_function(table))
        statements.extend(_pg_trigger(table, event) for event in events)
    return statements


def _postgres_drop() -> list[str]:
    statements = []
    for table, events in _PG_TRIGGERS.items():
        for event in events:
            statements.append(f"DROP TRIGGER IF EXISTS report_dirty_{event.lower()} ON {table};")
        statements.append(f"DROP FUNCTION IF EXISTS report_dirty_{table}();")
    return statements


def _mark(select: str) -> str:
    return f"INSERT INTO {DIRTY} (person_id) {select};"


_ENROLLMENTS_OF_COURSE = (
    "SELECT e.person_id FROM courses_enrollment e JOIN courses_cohort c ON c.id = e.cohort_id "
    "WHERE c.course_id = {course}"
)

# name -> (timing and event, optional WHEN condition, statements)
_SQLITE_TRIGGERS: dict[str, tuple[str, str, list[str]]] = {
    "report_dirty_enrollment_ins": (
        "AFTER INSERT ON courses_enrollment",
        "",
        [_mark("VALUES (NEW.person_id)")],
    ),
    "report_dirty_enrollment_upd": (
        "AFTER UPDATE ON courses_enrollment",
        "",
        [
            _mark("VALUES (NEW.person_id)"),
            _mark("SELECT OLD.person_id WHERE OLD.person_id <> NEW.person_id"),
        ],
    ),
    "report_dirty_enrollment_del": (
        "AFTER DELETE ON courses_enrollment",
        "",
        [_mark("VALUES (OLD.person_id)")],
    ),
    "report_dirty_person_upd": (
        "AFTER UPDATE OF sex, status, document_type, document_number ON participants_person",
        "OLD.sex IS NOT NEW.sex OR OLD.status IS NOT NEW.status "
        "OR OLD.document_type IS NOT NEW.document_type "
        "OR OLD.document_number IS NOT NEW.document_number",
        [_mark("VALUES (NEW.id)")],
    ),
    "report_dirty_score_ins": (
        "AFTER INSERT ON assessments_score",
        "",
        [_mark("SELECT person_id FROM courses_enrollment WHERE id = NEW.enrollment_id")],
    ),
    "report_dirty_score_upd": (
        "AFTER UPDATE ON assessments_score",
        "",
        [
            _mark("SELECT person_id FROM courses_enrollment WHERE id = NEW.enrollment_id"),
            _mark("SELECT person_id FROM courses_enrollment WHERE id = OLD.enrollment_id"),
        ],
    ),
    "report_dirty_score_del": (
        "AFTER DELETE ON assessments_score",
        "",
        [_mark("SELECT person_id FROM courses_enrollment WHERE id = OLD.enrollment_id")],
    ),
    "report_dirty_cohort_upd": (
        "AFTER UPDATE OF start_date, course_id ON courses_cohort",
        "OLD.start_date IS NOT NEW.start_date OR OLD.course_id IS NOT NEW.course_id",
        [_mark("SELECT person_id FROM courses_enrollment WHERE cohort_id = NEW.id")],
    ),
    "report_dirty_course_upd": (
        "AFTER UPDATE OF component, provider, knowledge_indicator_id ON courses_course",
        "OLD.component IS NOT NEW.component OR OLD.provider IS NOT NEW.provider "
        "OR OLD.knowledge_indicator_id IS NOT NEW.knowledge_indicator_id",
        [_mark(_ENROLLMENTS_OF_COURSE.format(course="NEW.id"))],
    ),
    "report_dirty_course_indicator_ins": (
        "AFTER INSERT ON courses_course_indicators",
        "",
        [_mark(_ENROLLMENTS_OF_COURSE.format(course="NEW.course_id"))],
    ),
    "report_dirty_course_indicator_del": (
        "AFTER DELETE ON courses_course_indicators",
        "",
        [_mark(_ENROLLMENTS_OF_COURSE.format(course="OLD.course_id"))],
    ),
}


def _sqlite_create() -> list[str]:
    statements = []
    for name, (event, condition, body) in _SQLITE_TRIGGERS.items():
        when = f" WHEN {condition}" if condition else ""
        statements.append(
            f"CREATE TRIGGER IF NOT EXISTS {name} {event} FOR EACH ROW{when} "
            f"BEGIN {' '.join(body)} END;"
        )
    return statements


def _sqlite_drop() -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {name};" for name in _SQLITE_TRIGGERS]


def _statements(vendor: str, *, create: bool) -> list[str]:
    if vendor == "postgresql":
        return _postgres_create() if create else _postgres_drop()
    if vendor == "sqlite":
        return _sqlite_create() if create else _sqlite_drop()
    raise NotImplementedError(
        f"report triggers are written for PostgreSQL and SQLite, not {vendor}"
    )


def create_triggers(connection: BaseDatabaseWrapper) -> None:
    execute_statements(connection, _statements(connection.vendor, create=True))


def drop_triggers(connection: BaseDatabaseWrapper) -> None:
    execute_statements(connection, _statements(connection.vendor, create=False))
