from __future__ import annotations

import pytest

from participants.documents import normalise_dni
from participants.names import display_name, fold, split_full_name, split_surnames
from participants.phonetic import spanish_phonetic_key


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  María   José ", "MARIA JOSE"),
        ("PEÑA", "PENA"),
        ("D'Ángelo-Ruíz", "DANGELO RUIZ"),
        ("", ""),
    ],
)
def test_fold(raw: str, expected: str) -> None:
    assert fold(raw) == expected


def test_fold_answers_by_the_text_whatever_was_asked_before() -> None:
    # Folded spellings are remembered: 1 and True are equal as keys, not as texts.
    assert [fold(1), fold(True), fold(1.0), fold(True)] == ["", "TRUE", "", "TRUE"]  # type: ignore[arg-type]
    assert fold("Peña") == fold("Peña") == "PENA"
    assert spanish_phonetic_key("Ccahuana") == spanish_phonetic_key("CCAHUANA") == "KAWANA"


def test_display_name_keeps_accents_and_lowers_particles() -> None:
    assert display_name("JUAN DE LA CRUZ") == "Juan de la Cruz"
    assert display_name("huamán") == "Huamán"


@pytest.mark.parametrize(
    ("raw", "given", "paternal", "maternal"),
    [
        ("QUISPE MAMANI, Juan Carlos", "Juan Carlos", "QUISPE", "MAMANI"),
        ("DE LA CRUZ FLORES, MARIA", "MARIA", "DE LA CRUZ", "FLORES"),
        ("QUISPE MAMANI JUAN CARLOS", "JUAN CARLOS", "QUISPE", "MAMANI"),
        ("ROJAS JUAN", "JUAN", "ROJAS", ""),
        ("DEL AGUILA RIOS ROSA", "ROSA", "DEL AGUILA", "RIOS"),
    ],
)
def test_split_full_name(raw: str, given: str, paternal: str, maternal: str) -> None:
    parts = split_full_name(raw)
    assert (parts.given_names, parts.paternal_surname, parts.maternal_surname) == (
        given,
        paternal,
        maternal,
    )


def test_split_surnames_with_particles() -> None:
    assert split_surnames("De la Cruz Flores") == ("De la Cruz", "Flores")
    assert split_surnames("Quispe") == ("Quispe", "")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Quispe", "QUISPI"),
        ("Huamán", "Guaman"),
        ("Ccahuana", "Cahuana"),
        ("Valle", "Baye"),
        ("Ximena", "Jimena"),
        ("Gutiérrez", "Gutierres"),
        ("Huillca", "Willca"),
        ("Condori", "Cunduri"),
    ],
)
def test_spanish_phonetic_key_merges_spelling_variants(a: str, b: str) -> None:
    assert spanish_phonetic_key(a) == spanish_phonetic_key(b)


@pytest.mark.parametrize(("a", "b"), [("Quispe", "Mamani"), ("Rojas", "Ramos"), ("Luna", "Lima")])
def test_spanish_phonetic_key_keeps_different_names_apart(a: str, b: str) -> None:
    assert spanish_phonetic_key(a) != spanish_phonetic_key(b)


@pytest.mark.parametrize(
    ("raw", "value", "restored"),
    [
        ("04567123", "04567123", False),
        (4567123, "04567123", True),
        (4567123.0, "04567123", True),
        ("4567123.0", "04567123", True),
        (" 4567-8912 ", "45678912", False),
        ("", "", False),
        (None, "", False),
    ],
)
def test_normalise_dni(raw: object, value: str, restored: bool) -> None:
    result = normalise_dni(raw)
    assert (result.value, result.restored_zero, result.problem) == (value, restored, "")


@pytest.mark.parametrize(
    ("raw", "problem"),
    [("12345", "tiene 5 dígitos"), ("12AB5678", "caracteres que no son dígitos")],
)
def test_invalid_dni_is_flagged_not_kept(raw: str, problem: str) -> None:
    result = normalise_dni(raw)
    assert result.value == ""
    assert problem in result.problem
