"""Name cells whose order the roster does not say: given names first, or swapped cells."""

from __future__ import annotations

import pytest

from participants.name_order import split_given_first, swapped_name_cells


@pytest.mark.parametrize(
    ("cell", "parts"),
    [
        ("Juan Carlos Quispe Mamani", ("Juan Carlos", "Quispe", "Mamani")),
        ("José Díaz Pari", ("José", "Díaz", "Pari")),
        # One surname: the middle word is a given name, so it stays with the given names.
        ("José Alberto Díaz", ("José Alberto", "Díaz", "")),
        ("Yesenia Milagros Huamán", ("Yesenia Milagros", "Huamán", "")),
        # A married name at the end belongs with her surname.
        ("Vanessa Yarque Churcota de Espinoza", ("Vanessa", "Yarque", "Churcota de Espinoza")),
        # Particles inside given names and surnames.
        ("María del Carmen Quispe", ("María del Carmen", "Quispe", "")),
        ("María de los Ángeles Quispe Mamani", ("María de los Ángeles", "Quispe", "Mamani")),
        ("Rosa De la Cruz Flores", ("Rosa", "De la Cruz", "Flores")),
        # Surnames first after all: the given name is the last word.
        ("Aguilar Mendoza Mayra", ("Mayra", "Aguilar", "Mendoza")),
        ("Juan Carlos, Quispe Mamani", ("Juan Carlos", "Quispe", "Mamani")),
        ("Wilber Ccahuana", ("Wilber", "Ccahuana", "")),
    ],
)
def test_a_given_names_first_cell(cell: str, parts: tuple[str, str, str]) -> None:
    assert split_given_first(cell) == parts


def test_swapped_cells_are_recognised_only_when_the_words_say_so() -> None:
    assert swapped_name_cells("Ccallo Qunhuonccori", "Alex Rafael")
    assert not swapped_name_cells("Alex Rafael", "Ccallo Qunhuonccori")
    # A surname that is also a given name decides nothing.
    assert not swapped_name_cells("Quispe", "Rosa Cruz")
