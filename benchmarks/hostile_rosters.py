"""Benchmark: hostile roster files through the import preview, each in a fresh process.

    python -m benchmarks.hostile_rosters                 # the admin preview (a dry run)
    python -m benchmarks.hostile_rosters --path read     # reading and staging only, no database
    python -m benchmarks.hostile_rosters --only wide_header_csv --timeout 30

Generates small files built to exhaust memory or time (a CSV header with 100,000 separators,
an XLSX with one cell in column XFD, a sheet of styled empty cells, a zip bomb, very long
cells, millions of short rows) and normal rosters up to the upload limit. Each file is read
in a child process that runs what the admin preview runs (`roster_import(dry_run=True)`, on a
freshly migrated SQLite database) or, with `--path read`, `read_table` and `stage_rows`. For
each file it prints the child's peak RSS (`ru_maxrss` from `wait4`), wall time, and whether
the file was refused, with the message. A child that exceeds `--timeout` is killed. The first
line ("baseline") is a child that imports the same modules and reads nothing.
Synthetic names only.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UPLOAD_LIMIT = 10 * 1024 * 1024
HEADER = ["N°", "Apellido paterno", "Apellido materno", "Nombres", "DNI", "Sexo"]
HEADER += ["Institución", "Cargo", "Región", "Celular", "Pre-test", "Post-test"]
SURNAMES = ("Quispe", "Mamani", "Flores", "Huamán", "Condori", "Rojas", "Chávez", "Apaza")
GIVEN = ("Juan", "María", "Rosa", "Luis", "Ana", "Percy", "Nélida", "Wilber", "Flor")


def _row(number: int, rng: random.Random) -> list[str]:
    return [
        str(number),
        rng.choice(SURNAMES),
        rng.choice(SURNAMES),
        f"{rng.choice(GIVEN)} {rng.choice(GIVEN)}",
        f"{rng.randrange(10**7, 10**8)}",
        rng.choice("FM"),
        rng.choice(("PNP", "Ministerio Público", "MINSA", "Poder Judicial")),
        rng.choice(("Fiscal", "Comisario", "Psicóloga", "Juez")),
        rng.choice(("Cusco", "Lima", "Puno", "Loreto")),
        f"9{rng.randrange(10**7, 10**8)}",
        str(rng.randrange(0, 21)),
        str(rng.randrange(0, 21)),
    ]


def _csv(rows: list[list[str]], header: list[str] = HEADER) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _rows(count: int, seed: int = 1) -> list[list[str]]:
    rng = random.Random(seed)
    return [_row(number, rng) for number in range(1, count + 1)]


def normal_small() -> bytes:
    return _csv(_rows(300))


def normal_10mb_csv() -> bytes:
    """A plausible roster just under the upload limit (about 90,000 people)."""
    data = _csv(_rows(130_000))
    return data[: data.rindex(b"\r\n", 0, UPLOAD_LIMIT - 1024) + 2]


def largest_accepted_csv() -> bytes:
    """A genuine roster just under the cell limit: the most a preview is ever asked to plan."""
    cells = int(os.environ.get("ROSTER_MAX_CELLS", "0") or 0) or _default_max_cells()
    return _csv(_rows(cells // len(HEADER) - 1))


def _default_max_cells() -> int:
    from registry.settings import ROSTER_MAX_CELLS

    return ROSTER_MAX_CELLS


def wide_header_csv() -> bytes:
    return _csv(_rows(20), header=[*HEADER, *([""] * 100_000)])


def long_cell_200k_csv() -> bytes:
    rows = _rows(20)
    rows[5][7] = "x" * 200_000
    return _csv(rows)


def long_cells_10mb_csv() -> bytes:
    rows = _rows(50)
    for position in range(5):
        rows[position * 10][7] = "Observación larga " * (UPLOAD_LIMIT // 5 // 20)
    return _csv(rows)[: UPLOAD_LIMIT - 1]


def many_short_rows_csv() -> bytes:
    line = b"Quispe,Juan\r\n"
    return b"Apellidos,Nombres\r\n" + line * ((UPLOAD_LIMIT - 100) // len(line))


def _xlsx(build: Callable[[object], None]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in _rows(1000):
        sheet.append(row)
    build(sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xfd_cell_xlsx() -> bytes:
    return _xlsx(lambda sheet: sheet.cell(row=1001, column=16384, value="x"))  # type: ignore[attr-defined]


def _replace_sheet(data: bytes, sheet_xml: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            payload = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                payload = sheet_xml
            target.writestr(info.filename, payload)
    return buffer.getvalue()


def styled_empty_cells_xlsx() -> bytes:
    """Rows of 16,384 styled empty cells: compresses well, but not a thousand times."""
    from openpyxl.utils import get_column_letter

    letters = [get_column_letter(column) for column in range(1, 16385)]
    parts = [
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Apellidos</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>Nombres</t></is></c></row>'
    ]
    for row in range(2, 62):
        cells = "".join(
            f'<c r="{letter}{row}" s="{column % 7}"/>' for column, letter in enumerate(letters)
        )
        parts.append(f'<row r="{row}">{cells}</row>')
    parts.append("</sheetData></worksheet>")
    return _replace_sheet(_xlsx(lambda sheet: None), "".join(parts).encode())


def shared_strings_xlsx() -> bytes:
    """Two million distinct shared strings: openpyxl would load them all on opening."""
    data = _xlsx(lambda sheet: None)
    strings = "".join(f"<si><t>{number:x}</t></si>" for number in range(2_000_000))
    xml = (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="2000000" uniqueCount="2000000">{strings}</sst>'
    ).encode()
    override = (
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    )
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            payload = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                payload = payload.replace(b"</Types>", override.encode())
            target.writestr(info.filename, payload)
        target.writestr("xl/sharedStrings.xml", xml)
    return buffer.getvalue()


def zip_bomb_xlsx() -> bytes:
    return _replace_sheet(_xlsx(lambda sheet: None), b"<a>" + b"0" * 200_000_000 + b"</a>")


CASES: dict[str, Callable[[], bytes]] = {
    "normal_small_csv": normal_small,
    "normal_10mb_csv": normal_10mb_csv,
    "largest_accepted_csv": largest_accepted_csv,
    "wide_header_csv": wide_header_csv,
    "xfd_cell_xlsx": xfd_cell_xlsx,
    "styled_empty_cells_xlsx": styled_empty_cells_xlsx,
    "shared_strings_xlsx": shared_strings_xlsx,
    "zip_bomb_xlsx": zip_bomb_xlsx,
    "long_cell_200k_csv": long_cell_200k_csv,
    "long_cells_10mb_csv": long_cells_10mb_csv,
    "many_short_rows_csv": many_short_rows_csv,
}


# --- child --------------------------------------------------------------------------------


def _child(path: str, *, mode: str, cohort_id: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings")
    import django

    django.setup()
    from courses.models import Cohort
    from intake.roster_import import RosterFileError, roster_import
    from intake.roster_import.planning import plan_import  # noqa: F401  (import cost in baseline)
    from intake.roster_import.reading import read_table
    from intake.roster_import.staging import stage_rows

    if mode == "preview":
        # A running server has fitted the cold-start linkage model once, at its first import;
        # loading it here first keeps that one-off cost (about 100 MB) out of each file's figure.
        from participants.linkage_store import linkage_model_in_use

        linkage_model_in_use()
    if not path:
        print(json.dumps({"refused": False, "message": "", "rows": 0}))
        return
    data = Path(path).read_bytes()
    try:
        if mode == "read":
            rows = len(stage_rows(read_table(data, file_name=Path(path).name)))
        else:
            cohort = Cohort.objects.get(pk=cohort_id)
            report = roster_import(
                file=data, file_name=Path(path).name, cohort=cohort, dry_run=True
            )
            rows = len(report.rows)
    except RosterFileError as error:
        print(json.dumps({"refused": True, "message": str(error), "rows": 0}))
        return
    print(json.dumps({"refused": False, "message": "", "rows": rows}))


# --- parent -------------------------------------------------------------------------------


def _run_child(
    args: list[str], *, env: dict[str, str], timeout: float
) -> tuple[dict, float, float]:
    """(child's JSON answer, its peak RSS in MB, wall seconds); killed at `timeout` seconds."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(  # noqa: S603 - this interpreter running this module
            [sys.executable, "-m", "benchmarks.hostile_rosters", *args],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=err,
            start_new_session=True,
        )
        timer = threading.Timer(timeout, os.killpg, (process.pid, signal.SIGKILL))
        timer.start()
        # wait4, not wait: the rusage of this child alone (RUSAGE_CHILDREN is a running max).
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        timer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        lines = out.read().decode(errors="replace").strip().splitlines()
        error = err.read().decode(errors="replace").strip().splitlines()
    if process.returncode == -signal.SIGKILL:
        answer: dict = {"killed": f"killed after {timeout:.0f} s"}
    else:
        try:
            answer = json.loads(lines[-1])
        except (IndexError, json.JSONDecodeError):
            answer = {"error": " ".join(error[-1:])}
    return answer, usage.ru_maxrss / 1024, wall


def _file_name(case: str) -> str:
    return case.replace("_csv", ".csv").replace("_xlsx", ".xlsx")


def _generate(folder: Path, names: list[str]) -> None:
    for name in names:
        (folder / _file_name(name)).write_bytes(CASES[name]())


def _prepare_database(folder: Path, env: dict[str, str], timeout: float) -> int:
    """Migrate a new SQLite database in `folder` and create a cohort; its id."""
    env["DATABASE_URL"] = f"sqlite:///{folder / 'registry.sqlite3'}"
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=timeout * 5,
    )
    script = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'registry.settings');"
        "django.setup();"
        "from intake.roster_import.targets import cohort_get_or_create;"
        "print(cohort_get_or_create(course_title='Curso de prueba', cohort_label='2024-01')[0].pk)"
    )
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], cwd=ROOT, env=env, check=True, capture_output=True
    )
    return int(done.stdout.decode().strip().splitlines()[-1])


def _parent(args: argparse.Namespace) -> None:
    names = args.only or list(CASES)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "registry.settings"}
    with tempfile.TemporaryDirectory(prefix="hostile-rosters-") as temp:
        folder = Path(temp)
        cohort = _prepare_database(folder, env, args.timeout) if args.path == "preview" else 0
        print(f"path: {args.path}; timeout {args.timeout:.0f} s; one fresh process per file")
        if args.path == "preview":
            print("each process loads the linkage model first, as a running server has done")
        print(f"{'file':<26} {'size':>10} {'peak RSS':>10} {'wall':>8}  outcome")
        # Generated by a child: a parent grown by the generation would pass its peak RSS to
        # every child it forks (ru_maxrss counts the pages held before exec).
        subprocess.run(  # noqa: S603
            [sys.executable, "-m", "benchmarks.hostile_rosters", "--generate", temp, *names],
            cwd=ROOT,
            env=env,
            check=True,
        )
        jobs = [("baseline", ""), *((name, str(folder / _file_name(name))) for name in names)]
        for name, path in jobs:
            size = Path(path).stat().st_size if path else 0
            answer, rss, wall = _run_child(
                ["--child", path, "--path", args.path, "--cohort", str(cohort)],
                env=env,
                timeout=args.timeout,
            )
            if "killed" in answer or "error" in answer:
                outcome = answer.get("killed") or f"error: {answer['error']}"
            elif answer["refused"]:
                outcome = f"refused: {answer['message'][:150]}"
            else:
                outcome = f"read {answer['rows']:,} rows"
            print(f"{name:<26} {size / 1024:>8,.0f}KB {rss:>8,.0f}MB {wall:>7.1f}s  {outcome}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--path", choices=("preview", "read"), default="preview")
    parser.add_argument("--only", nargs="*", choices=sorted(CASES), default=None)
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--cohort", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--generate", nargs="+", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate is not None:
        _generate(Path(args.generate[0]), args.generate[1:])
        return
    if args.child is not None:
        _child(args.child, mode=args.path, cohort_id=args.cohort)
        return
    _parent(args)


if __name__ == "__main__":
    main()
