"""Free text in aggregate reports: what could identify a person is masked."""

from __future__ import annotations

import pytest

from participants.masking import MASK, free_text_mask, known_words, spellings_masked

CELL = "DNI 41999999 Quispe Ccori Juana"


@pytest.fixture
def words(db) -> frozenset[str]:  # type: ignore[no-untyped-def]
    return known_words()


def test_the_typed_identity_is_masked(words) -> None:  # type: ignore[no-untyped-def]
    assert free_text_mask(CELL, words=words) == f"DNI {MASK}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Fiscalía Provincial de Cusco", "Fiscalía Provincial de Cusco"),  # vocabulary words
        ("Comisaría PNP Wanchaq", f"Comisaría PNP {MASK}"),
        ("juana.quispe@gmail.com", MASK),
        ("Cel. 987 654 321", f"Cel. {MASK}"),
        ("+51 (84) 23-4567", MASK),
        ("Juzgado 2 Penal", "Juzgado 2 Penal"),  # a short number is not an identifier
        ("Sede 2024", f"Sede {MASK}"),
        ("Fiscalía X", "Fiscalía X"),  # one letter says nothing about anyone
        ("", ""),
    ],
)
def test_mask(words, text: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    assert free_text_mask(text, words=words) == expected


def test_masking_twice_changes_nothing(words) -> None:  # type: ignore[no-untyped-def]
    once = free_text_mask(CELL, words=words)
    assert free_text_mask(once, words=words) == once


def test_spelling_rows_keep_their_counts(db) -> None:  # type: ignore[no-untyped-def]
    rows = [{"label": "Institución", "spelling": CELL, "enrollments": 3}]
    assert spellings_masked(rows) == [
        {"label": "Institución", "spelling": f"DNI {MASK}", "enrollments": 3}
    ]


@pytest.mark.django_db
def test_ordinary_institution_words_stay_readable(words) -> None:  # type: ignore[no-untyped-def]
    assert free_text_mask("Red de Salud Norte", words=words) == "Red de Salud Norte"
    assert free_text_mask("Comisaría Sectorial", words=words) == "Comisaría Sectorial"
