"""Value rules: DNI, sex, phone, dates, scores and the scale."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from intake.roster_import.values import (
    cell_text,
    parse_birth_date,
    parse_document,
    parse_email,
    parse_phone,
    parse_score,
    parse_score_stated,
    parse_sex,
)


@pytest.mark.parametrize(
    ("cell", "dni"),
    [
        ("40000001", "40000001"),
        (4567123, "04567123"),  # Excel number that lost its leading zero
        (4567123.0, "04567123"),
        ("4567123.0", "04567123"),
        ("04567123", "04567123"),
        (None, ""),
        ("", ""),
        (" 40000001 ", "40000001"),
    ],
)
def test_dni_values(cell: object, dni: str) -> None:
    assert parse_document(cell) == ("dni", dni, "")


@pytest.mark.parametrize(
    ("cell", "dni", "cleaned"),
    [
        (" 4000 0001 ", "40000001", "sin puntos, guiones ni espacios"),
        ("40.000.001", "40000001", "sin puntos, guiones ni espacios"),
        ("41.234.567", "41234567", "sin puntos, guiones ni espacios"),
        ("DNI 41234567", "41234567", "sin el texto antes del número"),
        ("D.N.I. N° 41234567", "41234567", "sin el texto antes del número"),
        ("Nº 41234567", "41234567", "sin el texto antes del número"),
        # 9 and C are the check characters of 41234567 (stdnum.pe.cui).
        ("41234567-9", "41234567", "sin el dígito de verificación"),
        ("41234567 - C", "41234567", "sin el dígito de verificación"),
        ("412345679", "41234567", "sin el dígito de verificación"),
    ],
)
def test_dni_as_people_type_it_is_read_and_the_cleaning_recorded(
    cell: str, dni: str, cleaned: str
) -> None:
    document_type, number, note = parse_document(cell)
    assert (document_type, number) == ("dni", dni)
    assert note == f"DNI '{cell.strip()}' leído como {dni} ({cleaned})"


def test_a_check_digit_that_is_not_the_numbers_own_keeps_the_dni_and_asks_for_a_look() -> None:
    document_type, number, note = parse_document("41234567-8")
    assert (document_type, number) == ("dni", "41234567")
    assert "el dígito de verificación no corresponde a este número, revise el DNI" in note


def test_nine_digits_without_the_numbers_check_digit_are_not_a_dni() -> None:
    assert parse_document("412345678")[:2] == ("dni", "")


@pytest.mark.parametrize(
    ("cell", "document_type", "number"),
    [
        ("CE 001234567", "ce", "001234567"),
        ("C.E. N° 001234567", "ce", "001234567"),
        ("Carné de extranjería 001234567", "ce", "001234567"),
        ("Pasaporte AB123456", "passport", "AB123456"),
        ("PAS: 123456789", "passport", "123456789"),
    ],
)
def test_another_document_named_in_the_dni_column_keeps_its_type(
    cell: str, document_type: str, number: str
) -> None:
    assert parse_document(cell) == (document_type, number, "")


@pytest.mark.parametrize("cell", ["123", "4000000112", "4000000A", 12.5])
def test_invalid_dni_is_flagged_and_dropped(cell: object) -> None:
    _document_type, number, problem = parse_document(cell)
    assert number == ""
    assert "no válido" in problem
    assert str(cell) in problem or cell_text(cell) in problem


def test_foreign_document_types() -> None:
    assert parse_document("x-12345", "Carné de extranjería") == ("ce", "X12345", "")
    assert parse_document("AB123456", "Pasaporte") == ("passport", "AB123456", "")


def test_dni_never_becomes_a_float_text() -> None:
    assert cell_text(1234567.0) == "1234567"
    assert cell_text(40000001) == "40000001"


@pytest.mark.parametrize(
    ("cell", "sex"),
    [
        ("F", "F"),
        ("f", "F"),
        ("Femenino", "F"),
        ("FEMENINO", "F"),
        ("Mujer", "F"),
        ("Female", "F"),
        ("M", "M"),
        ("Masculino", "M"),
        ("Hombre", "M"),
        ("male", "M"),
        ("Varón", "M"),
        ("", "U"),
        (None, "U"),
    ],
)
def test_sex_values(cell: object, sex: str) -> None:
    assert parse_sex(cell) == (sex, "")


def test_unknown_sex_is_flagged_and_not_recorded() -> None:
    sex, problem = parse_sex("Z")
    assert sex == "U"
    assert "'Z'" in problem


@pytest.mark.parametrize(
    ("cell", "phone"),
    [
        ("987654321", "+51 987 654 321"),
        (987654321, "+51 987 654 321"),
        (987654321.0, "+51 987 654 321"),
        ("987 654 321", "+51 987 654 321"),
        ("+51 987-654-321", "+51 987 654 321"),
        ("51987654321", "+51 987 654 321"),
        ("0051 987654321", "+51 987 654 321"),
        ("(01) 456-7890", "+51 14567890"),
        ("+34 612 345 678", "+34612345678"),
        ("", ""),
    ],
)
def test_phone_values(cell: object, phone: str) -> None:
    assert parse_phone(cell) == (phone, "")


@pytest.mark.parametrize("cell", ["123", "no tiene", "98765432109876543"])
def test_invalid_phone_is_flagged(cell: str) -> None:
    phone, problem = parse_phone(cell)
    assert phone == ""
    assert cell in problem


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (datetime(1985, 3, 9), date(1985, 3, 9)),
        (date(1985, 3, 9), date(1985, 3, 9)),
        ("09/03/1985", date(1985, 3, 9)),
        ("9-3-1985", date(1985, 3, 9)),
        ("1985-03-09", date(1985, 3, 9)),
        ("09/03/85", date(1985, 3, 9)),
        (31115, date(1985, 3, 9)),  # Excel serial number
        ("", None),
    ],
)
def test_birth_dates(cell: object, expected: date | None) -> None:
    assert parse_birth_date(cell, today=date(2026, 11, 27)) == (expected, "")


@pytest.mark.parametrize("cell", ["31/02/1985", "ayer", "01/01/2030", "01/01/1850"])
def test_invalid_birth_dates_are_flagged(cell: str) -> None:
    value, problem = parse_birth_date(cell, today=date(2026, 11, 27))
    assert value is None
    assert cell in problem


@pytest.mark.parametrize(
    ("cell", "score"),
    [
        (12, Decimal("12.00")),
        ("14,5", Decimal("14.50")),
        (17.25, Decimal("17.25")),
        ("85", Decimal("85.00")),
        ("", None),
        (None, None),
        ("-", None),
    ],
)
def test_scores(cell: object, score: Decimal | None) -> None:
    assert parse_score(cell) == (score, "")


@pytest.mark.parametrize("cell", ["quince", "-3", "NaN"])
def test_invalid_scores_are_flagged(cell: str) -> None:
    score, problem = parse_score(cell)
    assert score is None
    assert problem


@pytest.mark.parametrize(("cell", "email"), [(" Ana.Diaz@Example.ORG ", "ana.diaz@example.org")])
def test_email_is_normalised(cell: str, email: str) -> None:
    assert parse_email(cell) == (email, "")


def test_invalid_email_is_flagged() -> None:
    assert parse_email("ana@")[0] == ""
    assert "ana@" in parse_email("ana@")[1]


@pytest.mark.parametrize(
    ("cell", "score", "maximum"),
    [
        # Google Forms' quiz score as Sheets downloads it, either decimal mark.
        ("14 / 20", Decimal("14.00"), Decimal(20)),
        ("13,5 / 15", Decimal("13.50"), Decimal(15)),
        ("28.00 / 30", Decimal("28.00"), Decimal(30)),
        ("0 / 1", Decimal("0.00"), Decimal(1)),
        # Moodle's percentage display.
        ("57,50 %", Decimal("57.50"), Decimal(100)),
        ("85%", Decimal("85.00"), Decimal(100)),
        # A bare score states no maximum; Moodle's "-" is no grade.
        ("11,50", Decimal("11.50"), None),
        (17.5, Decimal("17.50"), None),
        ("-", None, None),
        ("", None, None),
    ],
)
def test_a_score_written_with_its_maximum(
    cell: object, score: Decimal | None, maximum: Decimal | None
) -> None:
    assert parse_score_stated(cell) == (score, maximum, "")


@pytest.mark.parametrize("cell", ["15 / 10", "3 / 0", "quince / 20", "catorce"])
def test_an_impossible_stated_score_is_flagged(cell: str) -> None:
    score, maximum, problem = parse_score_stated(cell)
    assert score is None
    assert maximum is None
    assert problem


@pytest.mark.parametrize("cell", ["anonymous", "Anónimo"])
def test_an_anonymous_response_has_no_email(cell: str) -> None:
    """Microsoft Forms writes "anonymous" as the e-mail of a response without an account."""
    assert parse_email(cell) == ("", "")
