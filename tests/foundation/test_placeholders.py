"""Placeholder DNIs and names: fillers that name no one are never taken as identity."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from participants.documents import normalise_dni, validate_document
from participants.linkage import prepare
from participants.linkage.placeholders import is_placeholder_dni
from participants.names import is_placeholder_name
from tests.factories import PersonFactory
from tests.linkage.helpers import frame

PLACEHOLDER_DNIS = [
    *(digit * 8 for digit in "0123456789"),
    "12345678",
    "23456789",
    "34567890",
    "01234567",
    "87654321",
    "98765432",
    "76543210",
    "09876543",
    # 7 digits, as a spreadsheet keeps them, and their padded forms.
    "1234567",
    "7654321",
    "1111111",
    "01111111",
    "02345678",
]
REAL_DNIS = ["41234567", "01234568", "45678901", "40000001", "70011122", "4567123", "04567123"]


@pytest.mark.parametrize("digits", PLACEHOLDER_DNIS)
def test_placeholder_dnis_are_detected(digits: str) -> None:
    assert is_placeholder_dni(digits)


@pytest.mark.parametrize("digits", [*REAL_DNIS, "", "123", "123456789", "1234567A"])
def test_real_or_malformed_dnis_are_not_placeholders(digits: str) -> None:
    assert not is_placeholder_dni(digits)


@pytest.mark.parametrize("raw", ["12345678", 12345678, 1234567, "1234567.0", "12.345.678"])
def test_normalise_dni_drops_a_placeholder_with_a_spanish_problem(raw: object) -> None:
    result = normalise_dni(raw)
    assert result.value == ""
    assert result.placeholder
    assert result.problem == f"DNI '{raw}' es un número de relleno, no un DNI: no se usa"
    assert not result.restored_zero


def test_normalise_dni_keeps_real_dnis() -> None:
    assert normalise_dni("01234568").value == "01234568"
    assert normalise_dni(4567123).value == "04567123"
    assert not normalise_dni("41234567").placeholder


def test_validate_document_refuses_a_placeholder_dni_in_spanish() -> None:
    with pytest.raises(ValidationError) as raised:
        validate_document("dni", "12345678")
    assert raised.value.message_dict["document_number"] == [
        "12345678 es un número de relleno, no un DNI: escriba el DNI real o déjelo vacío."
    ]
    validate_document("dni", "41234567")  # a real DNI passes
    validate_document("passport", "12345678")  # only DNIs have placeholders


@pytest.mark.django_db
def test_a_person_with_a_placeholder_dni_does_not_validate() -> None:
    person = PersonFactory.build(document_number="00000000")
    with pytest.raises(ValidationError, match="número de relleno"):
        person.full_clean()


def test_the_engine_never_uses_a_placeholder_dni_as_evidence() -> None:
    prepared = prepare(frame({"dni": "12345678"}, {"dni": "1234567"}, {"dni": "41234567"}))
    assert prepared["dni_valid"].tolist() == [False, False, True]
    assert prepared["dni_padded"].tolist() == [False, False, False]
    assert prepared["dni_norm"].tolist() == ["", "", "41234567"]
    assert prepared["k_dni"].tolist()[:2] == [0, 0]
    assert prepared["k_dni"].iloc[2] != 0
    assert (prepared.loc[[1, 2], [f"k_dni_del{i}" for i in range(8)]] == 0).all().all()


@pytest.mark.parametrize(
    "value",
    ["###", "--", "-", "...", "0", "S/N", "s/n", "SN", "N/A", "NN", "XXX", "Sin nombre", "NINGUNO"],
)
def test_placeholder_names_are_detected(value: str) -> None:
    assert is_placeholder_name(value)


@pytest.mark.parametrize("value", ["", "  ", "Quispe", "X", "Na", "Ñahui", "O'Brien", "De la Cruz"])
def test_real_or_empty_names_are_not_placeholders(value: str) -> None:
    assert not is_placeholder_name(value)
