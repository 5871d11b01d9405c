"""Benchmark: import a generated back-fill of roster files with `import_rosters`.

    DATABASE_URL=... python -m benchmarks.import_rosters --files 500 --rows 100

Generates synthetic rosters (mixed XLSX with title rows, UTF-8-BOM CSV and Windows-1252 CSV
with ';', Spanish headers, some people in several files) into a temporary folder with a
manifest, runs the command once on the configured (freshly migrated) database and prints rows
per second. Synthetic names only.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import shutil
import tempfile
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings")

GIVEN = (
    "Juan",
    "Carlos",
    "José",
    "Luis",
    "Jorge",
    "Miguel",
    "Pedro",
    "Víctor",
    "Raúl",
    "Edwin",
    "María",
    "Rosa",
    "Ana",
    "Carmen",
    "Julia",
    "Elena",
    "Lucía",
    "Sonia",
    "Ruth",
    "Gladys",
    "Yesenia",
    "Milagros",
    "Nélida",
    "Wilber",
    "Percy",
    "Hilda",
    "Flor",
    "Iván",
    "Teófilo",
)
SURNAMES = (
    "Quispe",
    "Mamani",
    "Flores",
    "Huamán",
    "Condori",
    "Rojas",
    "Chávez",
    "Torres",
    "Ramos",
    "Vargas",
    "Díaz",
    "Mendoza",
    "Castillo",
    "Ccahuana",
    "Apaza",
    "Ticona",
    "Sánchez",
    "Cruz",
    "De la Cruz",
    "Gutiérrez",
    "Espinoza",
    "Huanca",
    "Yupanqui",
    "Paucar",
    "Ñahui",
    "Cárdenas",
)
INSTITUTIONS = ("PNP", "Fiscalía", "MIMP", "Poder Judicial", "DEMUNA", "Migraciones", "ONG Sur")
ROLES = ("Fiscal", "Policía", "Psicóloga", "Trabajadora social", "Juez", "Asistente", "Comisario")
REGIONS = ("Lima", "Cusco", "Puno", "Loreto", "Madre de Dios", "Arequipa", "Tumbes", "Cuzco")
HEADER = (
    "N°",
    "Apellido paterno",
    "Apellido materno",
    "Nombres",
    "DNI",
    "Sexo",
    "Institución",
    "Cargo",
    "Región",
    "Celular",
    "Pre-test",
    "Post-test",
)


def _person(rng: random.Random, number: int) -> list[object]:
    has_dni = rng.random() < 0.85
    return [
        rng.choice(SURNAMES),
        rng.choice(SURNAMES),
        " ".join(rng.sample(GIVEN, rng.choice((1, 2)))),
        f"{number:08d}" if has_dni else "",
        rng.choice(("F", "M", "Femenino", "Masculino", "")),
    ]


def generate(folder: Path, *, files: int, rows: int, seed: int) -> tuple[Path, int]:
    """Write the rosters and their manifest; returns (manifest, number of data rows)."""
    from openpyxl import Workbook

    rng = random.Random(seed)
    returning: list[list[object]] = []
    next_dni = 10_000_000
    manifest_rows = []
    total = 0
    for index in range(files):
        table = []
        for line in range(1, rows + 1):
            if returning and rng.random() < 0.25:
                person = rng.choice(returning)  # took another course before
            else:
                next_dni += rng.randint(1, 50)
                person = _person(rng, next_dni)
                if rng.random() < 0.3:
                    returning.append(person)
            table.append(
                [
                    line,
                    *person,
                    rng.choice(INSTITUTIONS),
                    rng.choice(ROLES),
                    rng.choice(REGIONS),
                    f"9{rng.randint(10_000_000, 99_999_999)}",
                    rng.randint(4, 16),
                    rng.randint(10, 20),
                ]
            )
        total += len(table)
        kind = index % 10
        if kind < 4:
            name = f"lista_{index:04d}.xlsx"
            workbook = Workbook()
            sheet = workbook.active
            sheet.append(["LISTA DE PARTICIPANTES"])
            sheet.append([f"Curso: Curso {index % 25}", None, "Sede:", "Lima"])
            sheet.append([])
            sheet.append(list(HEADER))
            for record in table:
                # Excel keeps DNIs typed as numbers: leading zeros are lost there.
                sheet.append([int(c) if i == 4 and c else c for i, c in enumerate(record)])
            workbook.save(folder / name)
        else:
            name = f"lista_{index:04d}.csv"
            encoding, delimiter = ("utf-8-sig", ",") if kind < 7 else ("cp1252", ";")
            buffer = io.StringIO(newline="")
            writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
            writer.writerow(HEADER)
            writer.writerows(table)
            (folder / name).write_bytes(buffer.getvalue().encode(encoding))
        year = 2019 + index % 6
        manifest_rows.append(
            [name, f"Curso {index % 25}", f"{year}-{index:04d}", f"{year}-03-01", "", ""]
        )
    manifest = folder / "manifest.csv"
    with manifest.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "course", "cohort", "start_date", "region", "notes"])
        writer.writerows(manifest_rows)
    return manifest, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--rows", type=int, default=100)
    parser.add_argument("--seed", type=int, default=20261127)
    parser.add_argument("--keep", action="store_true", help="Keep the generated files.")
    args = parser.parse_args()

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from courses.models import ImportBatch
    from participants.models import Person

    call_command("migrate", verbosity=0)
    if ImportBatch.objects.exists():
        print("warning: the database already holds imports; use a freshly migrated one")
    folder = Path(tempfile.mkdtemp(prefix="roster_bench_"))
    try:
        started = time.perf_counter()
        manifest, total = generate(folder, files=args.files, rows=args.rows, seed=args.seed)
        generated = time.perf_counter() - started
        persons_before = Person.objects.count()
        output = io.StringIO()
        started = time.perf_counter()
        call_command("import_rosters", manifest=str(manifest), stdout=output)
        elapsed = time.perf_counter() - started
        print(f"database: {connection.vendor}")
        print(f"generated {args.files} files, {total} rows in {generated:.1f} s ({folder})")
        print(output.getvalue().strip())
        print(f"persons created: {Person.objects.count() - persons_before}")
        print(
            f"import_rosters: {elapsed:.1f} s, {total / elapsed:.0f} rows/s, "
            f"{1000 * elapsed / args.files:.0f} ms per file"
        )
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
