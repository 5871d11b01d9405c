"""Benchmark of a cancellation in a large registry: how long `person_cancel` takes when it
must search every roster row, rejected row and admin log entry for the person's data.

    DATABASE_URL=sqlite:////tmp/h_cancel_bench.sqlite3 python -m benchmarks.cancellation
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_cancel_bench \\
        python -m benchmarks.cancellation --rows 1000000

The database must be a dedicated one (its name must contain "bench"); it is migrated and
its roster rows are generated once per size (--regenerate forces a new set). Each run
creates one person with rows in three files and cancels them; prints the time of each
cancellation (median of --runs) and the rows searched.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings")

import django

django.setup()

from django.contrib.admin.models import ADDITION, LogEntry  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from courses.models import ImportBatch, RowOutcome, SourceRecord  # noqa: E402
from data_requests.cancellation import person_cancel  # noqa: E402
from participants.models import Person  # noqa: E402
from participants.services import person_keys  # noqa: E402
from tests.factories import CohortFactory  # noqa: E402

SURNAMES = ["Quispe", "Mamani", "Flores", "Huaman", "Condori", "Rojas", "Torres", "Vargas"]
GIVEN = ["Juan", "Rosa", "Ana", "Luis", "Maria", "Carlos", "Elena", "Jorge"]
CHUNK = 5000
MARK = "cancel-bench"


def _raw(rng: random.Random, n: int) -> dict[str, Any]:
    return {
        "N°": str(n),
        "Apellido paterno": rng.choice(SURNAMES).upper(),
        "Apellido materno": rng.choice(SURNAMES).upper(),
        "Nombres": rng.choice(GIVEN).upper(),
        "DNI": f"{rng.randrange(10**7, 10**8)}",
        "Institución": "Fiscalía",
        "Cargo": "Asistente",
        "Celular": f"9{rng.randrange(10**8):08d}",
        "Correo": f"p{n}@example.org",
        "Observaciones": "",
        "Pre-test": str(rng.randrange(21)),
    }


def _generate(rows: int) -> None:
    rng = random.Random(20261202)
    cohort = CohortFactory()
    per_batch = 100
    for start in range(0, rows, per_batch):
        batch = ImportBatch.objects.create(
            cohort=cohort,
            file_name=f"{MARK}-{start}.csv",
            sha256=f"{start:064x}",
            status="partial",
            rejected_rows=[
                {"row": 2, "reason": "fila sin apellidos", "problems": [], "raw": _raw(rng, 0)}
            ],
        )
        SourceRecord.objects.bulk_create(
            [
                SourceRecord(
                    batch=batch,
                    row_number=n + 2,
                    raw=_raw(rng, start + n),
                    row_hash=f"{start + n:064x}",
                    outcome=RowOutcome.REJECTED if n == 0 else RowOutcome.NEW,
                )
                for n in range(min(per_batch, rows - start))
            ],
            batch_size=CHUNK,
        )
    user = _admin()
    person_type = ContentType.objects.get_for_model(Person)
    LogEntry.objects.bulk_create(
        [
            LogEntry(
                user=user,
                content_type=person_type,
                object_id=str(n),
                object_repr=f"PE-{n:08d} {rng.choice(SURNAMES)}, {rng.choice(GIVEN)}",
                action_flag=ADDITION,
                change_message="[]",
            )
            for n in range(rows // 100)
        ],
        batch_size=CHUNK,
    )


def _admin() -> Any:
    user, _ = get_user_model().objects.get_or_create(
        username="cancel-bench", defaults={"is_staff": True, "is_superuser": True}
    )
    return user


def _subject(run: int) -> Person:
    person = Person(
        given_names="Zoraida",
        paternal_surname="Ccahuana",
        maternal_surname="Huillca",
        document_number=f"{43000000 + run}",
        email=f"zoraida{run}@example.org",
        phone="956123456",
    )
    person_keys(person)
    person.save()
    batch = ImportBatch.objects.filter(file_name__startswith=MARK).order_by("pk").last()
    if batch is None:
        sys.exit("no generated batch: run with --regenerate")
    raw = {"Nombres": "ZORAIDA", "DNI": person.document_number, "Celular": "956123456"}
    SourceRecord.objects.create(
        batch=batch, row_number=10_000 + run, raw=raw, row_hash="f" * 64, person=person
    )
    return person


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=200_000, help="roster rows to search")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--regenerate", action="store_true")
    options = parser.parse_args(argv)
    name = str(connection.settings_dict["NAME"])
    if "bench" not in name:
        sys.exit(f"{name}: use a dedicated database whose name contains 'bench'.")
    call_command("migrate", verbosity=0)
    existing = SourceRecord.objects.filter(batch__file_name__startswith=MARK).count()
    if options.regenerate or existing < options.rows:
        started = time.perf_counter()
        _generate(options.rows - existing if not options.regenerate else options.rows)
        print(f"generated {options.rows} rows in {time.perf_counter() - started:.1f} s")
    rows = SourceRecord.objects.count()
    entries = LogEntry.objects.count()
    timings = []
    for run in range(options.runs):
        person = _subject(run + int(time.time()) % 100_000)
        started = time.perf_counter()
        person_cancel(person=person, actor=_admin(), reason="benchmark")
        timings.append(time.perf_counter() - started)
    print(
        f"{connection.vendor}: {rows} roster rows, {entries} admin log entries; "
        f"person_cancel median {statistics.median(timings):.2f} s "
        f"(runs: {', '.join(f'{t:.2f}' for t in timings)})"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
