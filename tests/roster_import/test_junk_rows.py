"""Rows whose name cells are fillers ("###", "--", "S/N") are rejected, even with a DNI."""

from __future__ import annotations

import pytest

from intake.roster_import import roster_import
from intake.roster_import.reading import read_table
from intake.roster_import.staging import stage_rows
from participants.models import Person
from tests.roster_import.files import ROWS, csv_bytes

SHORT_HEADER = "N°;Apellido paterno;Apellido materno;Nombres;DNI;Sexo;Pre-test;Post-test"


def _stage(*lines: str):  # type: ignore[no-untyped-def]
    data = "\r\n".join([SHORT_HEADER, *lines]).encode("utf-8")
    return stage_rows(read_table(data, file_name="lista.csv"))


def test_a_surname_without_letters_rejects_the_row_naming_its_column() -> None:
    row = _stage("7;###;abc;X;;;veinte;--")[0]
    assert row.rejected == (
        "columna Apellido paterno (B): '###' no es un apellido: la fila no identifica a una persona"
    )


@pytest.mark.parametrize("surname", ["S/N", "--", "0", "XXX"])
def test_a_filler_surname_rejects_the_row_even_with_a_real_dni(surname: str) -> None:
    row = _stage(f"1;{surname};Mamani;Juan;41234567;M;;")[0]
    assert "no es un apellido" in row.rejected
    assert "Apellido paterno (B)" in row.rejected


def test_a_row_with_only_fillers_and_a_dni_has_no_name() -> None:
    row = _stage("3;-;-;---;12345678;F;;")[0]
    assert row.rejected
    assert (row.given_names, row.paternal_surname, row.maternal_surname, row.dni) == (
        "",
        "",
        "",
        "",
    )


def test_a_filler_maternal_surname_is_left_empty_and_flagged() -> None:
    row = _stage("1;Quispe;--;Juan;41234567;M;;")[0]
    assert row.rejected == ""
    assert (row.paternal_surname, row.maternal_surname) == ("Quispe", "")
    problems = [(problem.column, problem.problem) for problem in row.problems]
    assert ("Apellido materno (C)", "'--' no es un apellido: se deja vacío") in problems


def test_a_filler_given_name_is_left_empty_and_the_surnames_kept() -> None:
    row = _stage("1;Quispe;Mamani;S/N;41234567;M;;")[0]
    assert row.rejected == ""
    assert (row.given_names, row.paternal_surname) == ("", "Quispe")


def test_a_filler_full_name_is_no_name() -> None:
    data = csv_bytes([["###", "41234567"]], header=["Apellidos y nombres", "DNI"])
    row = stage_rows(read_table(data, file_name="lista.csv"))[0]
    assert row.rejected == "fila sin nombre ni apellidos: no identifica a una persona"


def test_a_placeholder_dni_is_dropped_with_a_spanish_problem() -> None:
    row = _stage("1;Quispe;Mamani;Juan;12345678;M;;")[0]
    assert row.rejected == ""
    assert row.dni == ""
    problems = [(problem.column, problem.problem) for problem in row.problems]
    assert (
        "DNI (E)",
        "DNI '12345678' es un número de relleno, no un DNI: no se usa",
    ) in problems


@pytest.mark.django_db
def test_import_rejects_a_nameless_row_with_a_placeholder_dni_and_names_the_row(cohort) -> None:  # type: ignore[no-untyped-def]
    nameless = [4, "", "", "", "12345678", "F", "", "", "", "", "", ""]
    junk = [5, "###", "abc", "X", "", "", "", "", "", "", "veinte", "--"]
    report = roster_import(
        file=csv_bytes([*ROWS, nameless, junk]), file_name="l.csv", cohort=cohort, dry_run=True
    )
    assert [row.outcome for row in report.rows] == ["new", "new", "new", "rejected", "rejected"]
    assert report.rows[3].describe().startswith("fila 5: ")
    assert "sin nombre ni apellidos" in report.rows[3].reason
    assert report.rows[4].describe().startswith("fila 6: ")
    assert "'###' no es un apellido" in report.rows[4].reason
    assert not Person.objects.exists()
