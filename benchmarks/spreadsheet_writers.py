"""Cost of the shared spreadsheet writers against writing the same rows straight.

    python -m benchmarks.spreadsheet_writers --rows 50000

Writes --rows participation-like rows (a code, texts, a date, two percentages; one text in
fifty a formula payload) as CSV and as XLSX, once through the `spreadsheets` package
(escaping, widths fitted to the first rows, frozen header, typed dates) and once with bare
csv.writer / openpyxl write-only appends, and prints seconds, rows per second and the
file's size. No database is used.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from itertools import chain
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings")

import django

django.setup()

from openpyxl import Workbook  # noqa: E402

from spreadsheets import csv_bytes, sheet_table, workbook_bytes, workbook_new  # noqa: E402

HEADER = ["Código", "Curso", "Cohorte", "Inicio", "Institución", "Pre %", "Post %"]


def _rows(count: int) -> Iterator[list[Any]]:
    start = date(2020, 1, 1)
    for n in range(count):
        text = '=HYPERLINK("http://x")' if n % 50 == 0 else "Fiscalía Provincial de Cusco"
        yield [
            f"PE-{n:07d}X",
            "Investigación y persecución del delito de trata de personas",
            f"2024-LIM-{n % 40:02d}",
            start + timedelta(days=n % 1500),
            text,
            float(n % 100),
            float((n * 7) % 100),
        ]


def _bare_csv(count: int) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(_rows(count))
    return buffer.getvalue().encode("utf-8")


def _bare_xlsx(count: int) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Participaciones")
    sheet.append(HEADER)
    for row in _rows(count):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _shared_csv(count: int) -> bytes:
    return csv_bytes(chain([HEADER], _rows(count)))


def _shared_xlsx(count: int) -> bytes:
    workbook = workbook_new()
    sheet_table(workbook, title="Participaciones", header=HEADER, rows=_rows(count))
    return workbook_bytes(workbook)


def _measure(name: str, write: Callable[[int], bytes], count: int) -> None:
    started = time.perf_counter()
    body = write(count)
    seconds = time.perf_counter() - started
    print(
        f"{name:<14} {seconds:8.2f} s {count / seconds:12,.0f} filas/s "
        f"archivo {len(body) / 2**20:7.1f} MiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    count = parser.parse_args().rows
    print(f"{count:,} filas")
    for name, write in (
        ("csv directo", _bare_csv),
        ("csv común", _shared_csv),
        ("xlsx directo", _bare_xlsx),
        ("xlsx común", _shared_xlsx),
    ):
        _measure(name, write, count)


if __name__ == "__main__":
    main()
