"""Rows -> staged rows: names, rejected rows, raw cells kept verbatim."""

from __future__ import annotations

from intake.roster_import.reading import read_table
from intake.roster_import.staging import row_hash, stage_rows
from tests.roster_import.files import HEADER, ROWS, csv_bytes, xlsx_bytes


def _stage(data: bytes, name: str = "lista.csv"):  # type: ignore[no-untyped-def]
    return stage_rows(read_table(data, file_name=name))


def test_separate_name_columns() -> None:
    row = _stage(csv_bytes(ROWS))[0]
    assert (row.given_names, row.paternal_surname, row.maternal_surname) == (
        "Juan Carlos",
        "Quispe",
        "Mamani",
    )
    assert row.dni == "40000001"
    assert row.sex == "M"
    assert row.phone == "+51 987 654 321"
    assert row.row_number == 2


def test_one_column_with_surnames_comma_given_names() -> None:
    data = csv_bytes(
        [["QUISPE MAMANI, Juan Carlos", "40000001"], ["DE LA CRUZ FLORES, María", ""]],
        header=["APELLIDOS Y NOMBRES", "DNI"],
    )
    first, second = _stage(data)
    assert (first.given_names, first.paternal_surname, first.maternal_surname) == (
        "Juan Carlos",
        "QUISPE",
        "MAMANI",
    )
    assert (second.paternal_surname, second.maternal_surname) == ("DE LA CRUZ", "FLORES")


def test_english_headers_with_last_name_column() -> None:
    data = csv_bytes(
        [["Ana", "Flores Díaz", "Female", "40000002"]],
        header=["First name", "Last name", "Gender", "ID number"],
    )
    row = _stage(data)[0]
    assert (row.given_names, row.paternal_surname, row.maternal_surname) == (
        "Ana",
        "Flores",
        "Díaz",
    )
    assert row.sex == "F"
    assert row.dni == "40000002"


def test_given_names_first_full_name() -> None:
    data = csv_bytes([["Juan Carlos Quispe Mamani"]], header=["Nombres y apellidos", "Sexo"])
    row = _stage(data)[0]
    assert (row.given_names, row.paternal_surname, row.maternal_surname) == (
        "Juan Carlos",
        "Quispe",
        "Mamani",
    )


def test_row_without_any_name_is_rejected_with_its_reason() -> None:
    data = csv_bytes([["", "", "", "", "40000009", "F"] + [""] * 6])
    row = _stage(data)[0]
    assert row.rejected == "fila sin nombre ni apellidos: no identifica a una persona"


def test_given_names_without_surnames_is_rejected() -> None:
    data = csv_bytes([["1", "", "", "Rosa", "", "F"] + [""] * 6])
    assert "sin apellidos" in _stage(data)[0].rejected


def test_bad_non_key_values_keep_the_row_and_are_flagged_with_column() -> None:
    data = csv_bytes([["1", "Quispe", "", "Juan", "123", "Z"] + [""] * 6])
    row = _stage(data)[0]
    assert row.rejected == ""
    assert row.dni == ""
    assert row.sex == "U"
    columns = {problem.column: problem.problem for problem in row.problems}
    assert "DNI (E)" in columns
    assert "'123'" in columns["DNI (E)"]
    assert "Sexo (F)" in columns


def test_unknown_columns_and_id_are_kept_in_the_raw_row() -> None:
    data = csv_bytes(
        [["Quispe", "Juan", "17", "asistió 2 días"]],
        header=["Apellidos", "Nombres", "id", "Observaciones"],
    )
    row = _stage(data)[0]
    assert row.raw == {
        "Apellidos": "Quispe",
        "Nombres": "Juan",
        "id": "17",
        "Observaciones": "asistió 2 días",
    }
    assert row.row_hash == row_hash(row.raw)


def test_raw_keeps_cells_as_text_not_floats() -> None:
    rows = [[1, "Quispe", "Mamani", "Juan", 4567123, "M", "", "", "", 987654321, 12.5, 18]]
    row = _stage(xlsx_bytes(rows), "lista.xlsx")[0]
    assert row.raw["DNI"] == "4567123"
    assert row.raw["Celular"] == "987654321"
    assert row.raw["Pre-test"] == "12.5"
    assert row.dni == "04567123"


def test_numbered_template_rows_without_data_are_not_rows() -> None:
    empty_numbered = [[n] + [""] * (len(HEADER) - 1) for n in (4, 5, 6)]
    staged = _stage(csv_bytes([*ROWS, *empty_numbered]))
    assert len(staged) == 3


def test_same_row_hashes_the_same_in_csv_and_xlsx() -> None:
    from_csv = _stage(csv_bytes(ROWS))
    from_xlsx = _stage(xlsx_bytes(ROWS), "lista.xlsx")
    assert [row.row_hash for row in from_csv] == [row.row_hash for row in from_xlsx]
