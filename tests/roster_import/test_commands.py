"""import_roster and import_rosters as scripts use them."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from courses.models import Cohort, Course, Enrollment, ImportBatch
from participants.models import Person
from tests.roster_import.files import ROWS, csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

REJECTED_ROW = [4, "", "", "", "40000004", "F", "", "", "", "", "", ""]


def _run(*args: str, **options: object) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_import_roster_creates_course_and_cohort(tmp_path: Path) -> None:
    path = _write(tmp_path, "lista.xlsx", xlsx_bytes(ROWS, above=[["Curso: Trata"], []]))
    out = _run(
        "import_roster",
        str(path),
        "--course",
        "Trata de personas",
        "--cohort",
        "2024-01",
        "--start-date",
        "2024-03-04",
        "--region",
        "Cuzco",
    )
    cohort = Cohort.objects.get(course__title="Trata de personas", label="2024-01")
    assert cohort.start_date.isoformat() == "2024-03-04"
    assert cohort.region.name == "Cusco"
    assert Enrollment.objects.filter(cohort=cohort).count() == 3
    assert "lista.xlsx: importado (3 filas: 3 persona nueva)" in out


def test_import_roster_again_exits_zero_and_creates_nothing(tmp_path: Path) -> None:
    path = _write(tmp_path, "lista.csv", csv_bytes(ROWS))
    _run("import_roster", str(path), "--course", "Curso A", "--cohort", "C1")
    out = _run("import_roster", str(path), "--course", "Curso A", "--cohort", "C1")
    assert "ya importado" in out
    assert "no se creó nada nuevo" in out
    assert Person.objects.count() == 3
    assert ImportBatch.objects.count() == 1


def test_dry_run_leaves_no_course_cohort_or_person(tmp_path: Path) -> None:
    path = _write(tmp_path, "lista.csv", csv_bytes(ROWS, encoding="cp1252", delimiter=";"))
    out = _run("import_roster", str(path), "--course", "Nuevo", "--cohort", "X", "--dry-run")
    assert out.startswith("[simulación] lista.csv: se importaría")
    assert "fila 2: persona nueva" in out
    assert "Escala del pre-test: 0-20 (inferida" in out
    assert not Course.objects.filter(title="Nuevo").exists()
    assert Person.objects.count() == 0


def test_rejected_rows_exit_non_zero_unless_commit_valid(tmp_path: Path) -> None:
    path = _write(tmp_path, "lista.csv", csv_bytes([*ROWS, REJECTED_ROW]))
    with pytest.raises(CommandError, match="filas rechazadas: 1; corrija el archivo"):
        _run("import_roster", str(path), "--course", "Curso A", "--cohort", "C1")
    assert Person.objects.count() == 0
    out = _run(
        "import_roster", str(path), "--course", "Curso A", "--cohort", "C1", "--commit-valid"
    )
    assert "importadas las filas válidas" in out
    assert "lista.csv, fila 5" not in out or "rechazada" in out
    assert Person.objects.count() == 3


def test_bad_file_is_a_one_line_error_and_leaves_nothing(tmp_path: Path) -> None:
    path = _write(tmp_path, "lista.xlsx", b"%PDF-1.4\x00\x00\x00binary")
    with pytest.raises(CommandError) as error:
        _run("import_roster", str(path), "--course", "Curso B", "--cohort", "C1")
    assert "\n" not in str(error.value)
    assert str(error.value).startswith("lista.xlsx: ")
    assert not Course.objects.filter(title="Curso B").exists()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--start-date", "03/04/2024"], "AAAA-MM-DD"),
        (["--region", "Atlántida"], "región 'Atlántida' desconocida"),
    ],
)
def test_bad_options_are_refused(tmp_path: Path, options: list[str], message: str) -> None:
    path = _write(tmp_path, "lista.csv", csv_bytes(ROWS))
    with pytest.raises(CommandError, match=message):
        _run("import_roster", str(path), "--course", "Curso A", "--cohort", "C1", *options)


def _manifest(tmp_path: Path, lines: list[list[str]], delimiter: str = ",") -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(["file", "course", "cohort", "start_date", "region", "notes"])
    writer.writerows(lines)
    path = tmp_path / "manifest.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def test_import_rosters_imports_each_file_as_a_batch(tmp_path: Path) -> None:
    (tmp_path / "2019").mkdir()
    _write(tmp_path, "2019/a.csv", csv_bytes(ROWS[:2], encoding="cp1252", delimiter=";"))
    _write(tmp_path, "b.xlsx", xlsx_bytes(ROWS[1:], above=[["LISTA"], []]))
    _write(tmp_path, "malo.csv", b"no es una lista\n")
    manifest = _manifest(
        tmp_path,
        [
            ["2019/a.csv", "Curso A", "2019-1", "2019-05-01", "Lima", "x"],
            ["b.xlsx", "Curso A", "2020-1", "", "", ""],
            ["malo.csv", "Curso B", "2020-1", "", "", ""],
        ],
        delimiter=";",
    )
    out = _run("import_rosters", "--manifest", str(manifest))
    assert ImportBatch.objects.count() == 2
    assert Person.objects.count() == 3  # Flores appears in both files: linked the second time
    assert "3 archivos: 2 importados" in out
    assert "1 no importados" in out
    assert "malo.csv: no se encontró la fila de encabezados" in out
    assert "filas/s" in out
    assert Cohort.objects.get(label="2019-1").region.name == "Lima"


def test_import_rosters_again_creates_nothing(tmp_path: Path) -> None:
    _write(tmp_path, "a.csv", csv_bytes(ROWS))
    manifest = _manifest(tmp_path, [["a.csv", "Curso A", "1", "", "", ""]])
    _run("import_rosters", "--manifest", str(manifest))
    out = _run("import_rosters", "--manifest", str(manifest))
    assert "1 ya importados antes" in out
    assert ImportBatch.objects.count() == 1


def test_import_rosters_refuses_a_bad_manifest_before_importing(tmp_path: Path) -> None:
    _write(tmp_path, "a.csv", csv_bytes(ROWS))
    manifest = _manifest(
        tmp_path,
        [["a.csv", "Curso A", "1", "", "", ""], ["falta.csv", "Curso A", "2", "", "", ""]],
    )
    with pytest.raises(
        CommandError, match=r"manifest\.csv, fila 3: archivo 'falta\.csv' no encontrado"
    ):
        _run("import_rosters", "--manifest", str(manifest))
    assert ImportBatch.objects.count() == 0


def test_import_rosters_fails_when_nothing_could_be_imported(tmp_path: Path) -> None:
    _write(tmp_path, "a.csv", b"nada que ver\n")
    manifest = _manifest(tmp_path, [["a.csv", "Curso A", "1", "", "", ""]])
    with pytest.raises(CommandError, match="no se pudo importar ningún archivo"):
        _run("import_rosters", "--manifest", str(manifest))


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("terminal", [True, False])
def test_progress_bar_only_on_a_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], terminal: bool
) -> None:
    _write(tmp_path, "a.csv", csv_bytes(ROWS))
    manifest = _manifest(tmp_path, [["a.csv", "Curso A", "1", "", "", ""]])
    out = _Terminal() if terminal else io.StringIO()
    call_command("import_rosters", "--manifest", str(manifest), stdout=out)
    progress = capsys.readouterr().err
    assert ("1/1" in progress) is terminal
    assert "1 archivos: 1 importados" in out.getvalue()


def test_dry_run_tells_a_linked_person_is_already_in_the_cohort(tmp_path: Path) -> None:
    _run(
        "import_roster",
        str(_write(tmp_path, "a.csv", csv_bytes(ROWS[:1]))),
        "--course",
        "Curso A",
        "--cohort",
        "C1",
    )
    other = [[9, "Quispe", "Mamani", "Juan Carlos", "40000001", "M", "", "", "", "", "", ""]]
    out = _run(
        "import_roster",
        str(_write(tmp_path, "b.csv", csv_bytes(other))),
        "--course",
        "Curso A",
        "--cohort",
        "C1",
        "--dry-run",
    )
    assert "ya estaba inscrita en esta cohorte" in out


FORM_HEADER = ["Marca temporal", "Puntuación", "Nombres y apellidos", "DNI", "Pregunta 1"]
FORM_ROWS = [["14/05/2026 17:10:33", "17 / 20", "Lucía Huamán Rojas", "47100011", "La captación"]]


def test_import_roster_says_which_columns_it_read_and_which_it_left_unread(
    tmp_path: Path,
) -> None:
    path = _write(tmp_path, "respuestas.csv", csv_bytes(FORM_ROWS, header=FORM_HEADER))
    out = _run("import_roster", str(path), "--course", "Curso A", "--cohort", "C1")
    assert "Exportación de Google Forms." in out
    assert "«Nombres y apellidos» (C) como nombres y apellidos, en una celda" in out
    assert (
        "Columnas que no se importan, datos de la herramienta sobre la respuesta: "
        "«Marca temporal» (A)." in out
    )
    assert "Columnas sin leer (sus celdas se guardan solo en la fila tal como llegó): " in out
    assert "«Puntuación» (B), «Pregunta 1» (E)." in out
    # The score column says neither test, nor does the file's name: a warning, not a guess.
    assert "Atención: El archivo tiene columnas que parecen notas de una prueba" in out


def test_import_rosters_lists_each_files_unread_columns_and_warnings(tmp_path: Path) -> None:
    _write(tmp_path, "respuestas.csv", csv_bytes(FORM_ROWS, header=FORM_HEADER))
    _write(tmp_path, "a.csv", csv_bytes(ROWS))
    manifest = _manifest(
        tmp_path,
        [["respuestas.csv", "Curso A", "1", "", "", ""], ["a.csv", "Curso A", "2", "", "", ""]],
    )
    out = _run("import_rosters", "--manifest", str(manifest))
    assert "! respuestas.csv: columnas sin leer: «Puntuación» (B), «Pregunta 1» (E)." in out
    assert "! respuestas.csv: Atención: El archivo tiene columnas que parecen notas" in out
    assert "! a.csv" not in out  # every column of the standard list is read
