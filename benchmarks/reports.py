"""Benchmark of the reports: bulk-generate a large synthetic registry, time the dashboard.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_reports_bench \\
        python -m benchmarks.reports --persons 1000000 --enrollments 3000000
    DATABASE_URL=sqlite:////tmp/h_reports_bench.sqlite3 \\
        python -m benchmarks.reports --persons 100000 --enrollments 300000

The database must be a dedicated one (its name must contain "bench"): the registry's
persons, enrollments and scores in it are replaced. Data already generated at the same size is
reused (--regenerate forces a new set). Prints the time of a full rebuild of the report
facts and cells (after generating), then, for the full dashboard and each filtered view,
through the Django test client:

- cold: the first render after a write that changed --change enrollments (their role and
  a score), committed like a service commits: the triggers mark those persons and, after
  the commit, the writer brings the cells up to date (timed separately); the render then
  computes the report from the cells and stores it (median of --cold-runs);
- warm: the stored snapshot is served (median of --runs).

It also times bringing the cells up to date after a write that bypassed the services (raw
SQL), which `manage.py report_cells_rebuild --pending` does; a render never does it itself.

Views whose filters are one stored slice read maintained cells; the last two views
(a quarter of a year, and region with course) compute their cells from the facts.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Permission  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from courses.models import Cohort, Course, Enrollment, School  # noqa: E402
from participants.changes import counted_data_changed  # noqa: E402
from participants.models import Institution, Person, Region, Role  # noqa: E402
from registry.models import ReportCell, ReportDirtyPerson  # noqa: E402
from registry.reports.cellset import report_cells  # noqa: E402
from registry.reports.filters import ReportFilters  # noqa: E402
from registry.reports.maintenance import report_cells_rebuild, report_cells_refresh  # noqa: E402
from registry.reports.selectors import SECTIONS  # noqa: E402

NOW = datetime(2026, 11, 1, tzinfo=UTC)
PERSON_COLUMNS = (
    "id", "code", "given_names", "paternal_surname", "maternal_surname", "sex", "document_type",
    "document_number", "email", "phone", "paternal_key", "maternal_key", "given_key", "status",
    "created_at", "updated_at",
)  # fmt: skip
ENROLLMENT_COLUMNS = (
    "id", "person_id", "cohort_id", "institution_id", "institution_text", "role_id", "role_text",
    "region_id", "region_text", "repeated_in_roster", "created_at",
)  # fmt: skip
SCORE_COLUMNS = (
    "id", "enrollment_id", "phase", "raw_score", "scale_max", "percent", "created_at",
)  # fmt: skip
CANDIDATE_COLUMNS = ("person_a_id", "person_b_id", "score", "reasons", "decision", "created_at")


def _write(table: str, columns: Sequence[str], rows: Iterator[tuple[Any, ...]]) -> int:
    """COPY on PostgreSQL, executemany in large chunks on SQLite."""
    count = 0
    if connection.vendor == "postgresql":
        raw = connection.connection
        with raw.cursor() as cursor:
            sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
            with cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
        return count
    placeholders = ", ".join("%s" for _ in columns)
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"  # noqa: S608
    chunk: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for row in rows:
            chunk.append(row)
            if len(chunk) == 50_000:
                cursor.executemany(sql, chunk)
                count += len(chunk)
                chunk = []
        if chunk:
            cursor.executemany(sql, chunk)
            count += len(chunk)
    return count


def _persons(n: int, rng: random.Random) -> Iterator[tuple[Any, ...]]:
    for i in range(1, n + 1):
        roll = rng.random()
        sex = "F" if roll < 0.45 else "M" if roll < 0.85 else "U"
        document = f"{i:08d}" if rng.random() < 0.85 else ""
        status = "cancelled" if i % 1000 == 0 else "active"
        yield (
            i, f"PE-{i:08X}", f"Nombre{i % 3000}", f"Apellido{i % 7000}",
            f"Materno{i % 5000}", sex, "dni", document, "", "", "", "", "", status, NOW, NOW,
        )  # fmt: skip


def _enrollment_counts(persons: int, enrollments: int, rng: random.Random) -> list[int]:
    # Everyone took one course; the extra participations go mostly to a minority of persons,
    # as in the evaluation (a few officials take many courses).
    counts = [1] * persons
    extra = enrollments - persons
    while extra > 0:
        person = int(persons * rng.random() ** 2)
        if counts[person] < 8:
            counts[person] += 1
            extra -= 1
    return counts


def _enrollments(
    counts: list[int],
    cohorts: list[int],
    institutions: list[int],
    roles: list[int],
    regions: list[int],
    rng: random.Random,
) -> Iterator[tuple[Any, ...]]:
    enrollment_id = 0
    for person_index, count in enumerate(counts):
        for cohort in rng.sample(cohorts, count):
            enrollment_id += 1
            mapped = rng.random() < 0.92
            institution = rng.choice(institutions) if mapped else None
            role = rng.choice(roles) if rng.random() < 0.85 else None
            region = rng.choice(regions) if rng.random() < 0.95 else None
            yield (
                enrollment_id, person_index + 1, cohort, institution,
                "" if mapped else f"Entidad {enrollment_id % 40}", role, "", region, "",
                False, NOW,
            )  # fmt: skip


def _scores(enrollments: int, rng: random.Random) -> Iterator[tuple[Any, ...]]:
    score_id = 0
    for enrollment in range(1, enrollments + 1):
        pre = rng.randint(4, 18)
        if rng.random() < 0.75:
            score_id += 1
            yield (score_id, enrollment, "pre", pre, 20, pre * 5, NOW)
        if rng.random() < 0.65:
            post = min(20, pre + rng.randint(-1, 6))
            score_id += 1
            yield (score_id, enrollment, "post", post, 20, post * 5, NOW)


def _cohorts(count: int, rng: random.Random) -> list[int]:
    courses = list(Course.objects.values_list("pk", flat=True))
    regions = list(Region.objects.values_list("pk", flat=True))
    school, _ = School.objects.get_or_create(acronym="BENCH", defaults={"name": "Benchmark"})
    start = date(2019, 1, 1)
    made = Cohort.objects.bulk_create(
        Cohort(
            course_id=courses[i % len(courses)],
            label=f"B-{i:05d}",
            start_date=(day := start + timedelta(days=rng.randint(0, 6 * 365))),
            end_date=day + timedelta(days=5),
            region_id=rng.choice(regions),
            school=school,
        )
        for i in range(count)
    )
    return [cohort.pk for cohort in made]


def generate(persons: int, enrollments: int, cohorts: int, seed: int) -> None:
    rng = random.Random(seed)
    tables = ["assessments_score", "participants_duplicatecandidate"]
    tables += ["participants_mergerecord", "participants_sourcerecord", "courses_enrollment"]
    with transaction.atomic(), connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608
        cursor.execute("DELETE FROM participants_importbatch")
        cursor.execute("DELETE FROM courses_cohort")
        cursor.execute("UPDATE participants_person SET merged_into_id = NULL")
        cursor.execute("DELETE FROM participants_person")
    started = time.perf_counter()
    with transaction.atomic():
        cohort_ids = _cohorts(cohorts, rng)
        _write("participants_person", PERSON_COLUMNS, _persons(persons, rng))
        counts = _enrollment_counts(persons, enrollments, rng)
        _write(
            "courses_enrollment",
            ENROLLMENT_COLUMNS,
            _enrollments(
                counts,
                cohort_ids,
                list(Institution.objects.values_list("pk", flat=True)),
                list(Role.objects.values_list("pk", flat=True)),
                list(Region.objects.values_list("pk", flat=True)),
                rng,
            ),
        )
        _write("assessments_score", SCORE_COLUMNS, _scores(enrollments, rng))
        pairs = ((i, i + 1, 0.7, "[]", "pending", NOW) for i in range(1, persons, 500))
        _write("participants_duplicatecandidate", CANDIDATE_COLUMNS, pairs)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in ("participants_person", "courses_enrollment", "assessments_score"):
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                               f"(SELECT MAX(id) FROM {table}))")  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"generated in {time.perf_counter() - started:.1f} s")


def change_enrollments(count: int, rng: random.Random, *, service: bool = True) -> None:
    """Commit a write of `count` enrollments (role and pre-test), as a roster import would.

    With `service`, the write says so like the services do, so the cells are brought up to
    date once it commits; without, only the triggers know (a raw SQL fix).
    """
    last = Enrollment.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    ids = sorted(rng.sample(range(1, last + 1), count))
    roles = list(Role.objects.values_list("pk", flat=True))
    with transaction.atomic(), connection.cursor() as cursor:
        marks = ", ".join(["%s"] * len(ids))
        cursor.execute(
            f"UPDATE courses_enrollment SET role_id = %s WHERE id IN ({marks})",  # noqa: S608
            [rng.choice(roles), *ids],
        )
        cursor.execute(
            f"UPDATE assessments_score SET raw_score = 20 - raw_score, percent = 100 - percent "  # noqa: S608
            f"WHERE phase = 'pre' AND enrollment_id IN ({marks})",
            ids,
        )
        if service:
            counted_data_changed()


def time_view(client: Client, url: str, runs: int) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - started)
        if response.status_code != 200:
            sys.exit(f"{url} answered {response.status_code}")
    return statistics.median(samples) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--enrollments", type=int, default=300_000)
    parser.add_argument("--cohorts", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=5, help="warm renders per view")
    parser.add_argument("--cold-runs", type=int, default=1, help="cold renders per view")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--sections", action="store_true", help="also time each section")
    parser.add_argument(
        "--change", type=int, default=100, help="enrollments written before a cold render"
    )
    parser.add_argument("--rebuild", action="store_true", help="rebuild the facts and cells first")
    args = parser.parse_args()
    if args.enrollments < args.persons:
        sys.exit("--enrollments must be at least --persons (everyone took a course)")
    name = str(settings.DATABASES["default"]["NAME"])
    if "bench" not in name:
        sys.exit(f"refusing to replace the data of '{name}': use a database named *bench*")
    call_command("migrate", verbosity=0)
    have = (Person.objects.count(), Enrollment.objects.count())
    if args.regenerate or have != (args.persons, args.enrollments):
        generate(args.persons, args.enrollments, args.cohorts, args.seed)
        args.rebuild = True
    if args.rebuild or not ReportCell.objects.exists():
        started = time.perf_counter()
        report_cells_rebuild()
        print(f"full rebuild of the report facts and cells: {time.perf_counter() - started:.1f} s")
    report_cells_refresh()
    print(f"report cells stored: {ReportCell.objects.count():,}")
    print(f"{connection.vendor}: {Person.objects.count():,} persons, "
          f"{Enrollment.objects.count():,} enrollments")  # fmt: skip

    user, _ = get_user_model().objects.get_or_create(
        username="bench-analyst", defaults={"is_staff": True}
    )
    user.user_permissions.add(Permission.objects.get(codename="view_reports"))
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    region = Enrollment.objects.values_list("region_id", flat=True).first()
    institution = Institution.objects.values_list("pk", flat=True).first()
    course = Course.objects.values_list("pk", flat=True).first()
    provider = Course.objects.exclude(provider="").values_list("provider", flat=True).first()
    views = {
        "full dashboard": "",
        "year 2024": "?date_from=2024-01-01&date_to=2024-12-31",
        "region": f"?region={region}",
        "institution": f"?institution={institution}",
        "course": f"?course={course}",
        "component": "?component=protection",
        "provider": f"?provider={provider}",
        "Q1 2024 *": "?date_from=2024-01-01&date_to=2024-03-31",
        "region+course *": f"?region={region}&course={course}",
    }
    rng = random.Random(args.seed)
    samples = []
    for _ in range(5):
        change_enrollments(args.change, rng, service=False)
        pending = ReportDirtyPerson.objects.values("person_id").distinct().count()
        started = time.perf_counter()
        report_cells_refresh()
        samples.append(time.perf_counter() - started)
    print(
        f"bringing the cells up to date after a write of {args.change} enrollments "
        f"({pending} persons; paid by the writer after its commit, or by "
        f"report_cells_rebuild --pending after a raw SQL write): "
        f"median {statistics.median(samples) * 1000:.0f} ms of 5"
    )
    if args.sections:
        # One pass per report section, to show where the time of a full render goes.
        print("one pass per section of the unfiltered report (ms):")
        cells = report_cells(ReportFilters())
        for name, build in SECTIONS.items():
            started = time.perf_counter()
            build(ReportFilters(), cells)
            print(f"  {name:<22} {(time.perf_counter() - started) * 1000:9.0f} ms")
    client.get("/reports/")  # warm the database's caches once, as a running server would be
    print(
        f"/reports/ renders (ms): cold = first render after a write of {args.change} "
        f"enrollments (median of {args.cold_runs}); warm = stored snapshot served "
        f"(median of {args.runs}); * = filters that are not one stored slice"
    )
    full_cold = full_warm = None
    for label, query in views.items():
        url = f"/reports/{query}"
        cold_samples = []
        for _ in range(args.cold_runs):
            # Committed outside any other transaction, so the data version moves at once
            # and every stored snapshot is stale.
            change_enrollments(args.change, rng)
            cold_samples.append(time_view(client, url, 1))
        cold = statistics.median(cold_samples)
        warm = time_view(client, url, args.runs)
        full_cold, full_warm = full_cold or cold, full_warm or warm
        print(
            f"  {label:<16} cold {cold:9.0f} ms (ratio to full {cold / full_cold:5.2f})"
            f"   warm {warm:7.1f} ms (ratio to full {warm / full_warm:5.2f})"
        )


if __name__ == "__main__":
    main()
