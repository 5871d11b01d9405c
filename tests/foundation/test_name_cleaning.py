"""Names keep only what a reader sees: at the import, in the registration and admin forms."""

from __future__ import annotations

import pytest
from django.urls import reverse

from intake.registration.forms import RegistrationForm
from intake.roster_import.reading import read_table
from intake.roster_import.staging import stage_rows
from participants.names import clean_text, display_name, fold
from tests.factories import PersonFactory
from tests.registration.test_views import _form
from tests.roster_import.files import csv_bytes

HOSTILE = [
    ("\x1b[31mQuispe\x1b[0m", "Quispe"),  # ANSI colour
    ("\x1b[2JMamani", "Mamani"),  # clear screen
    ("\x1b]8;;https://example.org\x07Flores\x1b]8;;\x07", "Flores"),  # terminal hyperlink
    ("Ana\u202e", "Ana"),  # right-to-left override
    ("\u2067Rosa\u2069", "Rosa"),  # bidi isolate
    ("Ro\u200bsa", "Rosa"),  # zero-width space
    ("\ufeffJuan", "Juan"),  # byte-order mark
    ("Juan\x00\x07", "Juan"),  # NUL, bell
    ("María\tJosé\r\nLuz", "María José Luz"),  # breaks become spaces
    ("Juan\x9b31m", "Juan"),  # C1 escape
    ("Ana\u3164", "Ana"),  # Hangul filler: a letter that draws a blank
    ("\u115fRosa", "Rosa"),  # Hangul choseong filler
    ("Rosa\uffa0María", "Rosa María"),  # halfwidth Hangul filler, seen as a space
    ("Ro\u034fsa", "Rosa"),  # combining grapheme joiner
    ("\u3164", ""),  # a name of fillers only is no name
]


@pytest.mark.parametrize(("raw", "clean"), HOSTILE)
def test_clean_text_drops_controls_escapes_and_invisibles(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean
    assert fold(raw) == fold(clean)
    assert display_name(raw) == display_name(clean)


@pytest.mark.parametrize(
    "name", ["Ñahui", "O'Higgins", "De la Cruz", "Mary-Luz", "李 小龍", "김민수", "Zoë"]
)
def test_clean_text_keeps_real_names(name: str) -> None:
    assert clean_text(name) == name


def test_the_import_stores_clean_names() -> None:
    header = ["Apellido paterno", "Apellido materno", "Nombres", "Institución"]
    rows = [["\x1b[31mQuispe\x1b[0m", "Ma\u200bmani", "\u202eJuan Carlos", "PNP\x1b[5m"]]
    rows += [["Apaza\u3164", "Ti\u034fcona", "\u115fRosa\uffa0Luz", "MINSA"]]
    rows += [["Apaza", "Ticona", f"Persona {n}", "MINSA"] for n in range(10)]
    row, filled, *_ = stage_rows(read_table(csv_bytes(rows, header=header), file_name="l.csv"))
    assert (row.paternal_surname, row.maternal_surname, row.given_names) == (
        "Quispe",
        "Mamani",
        "Juan Carlos",
    )
    assert row.institution == "PNP"
    assert (filled.paternal_surname, filled.maternal_surname, filled.given_names) == (
        "Apaza",
        "Ticona",
        "Rosa Luz",
    )
    # The raw cells stay as received, for the record of what the partner sent.
    assert row.raw["Apellido paterno"] == "\x1b[31mQuispe\x1b[0m"


@pytest.mark.django_db
def test_the_registration_form_cleans_names() -> None:
    form = RegistrationForm(
        data=_form(given_names="\u202eRosa\u200b", paternal_surname="\x1b[1mQuispe")
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["given_names"] == "Rosa"
    assert form.cleaned_data["paternal_surname"] == "Quispe"


@pytest.mark.django_db
def test_the_registration_form_refuses_a_name_of_invisibles_only() -> None:
    form = RegistrationForm(data=_form(given_names="\u200b\u202e"))
    assert not form.is_valid()
    assert "given_names" in form.errors


@pytest.mark.django_db
def test_the_admin_form_cleans_names(admin_client) -> None:  # type: ignore[no-untyped-def]
    person = PersonFactory()
    url = reverse("admin:participants_person_change", args=[person.pk])
    page = admin_client.get(url)
    form = page.context["adminform"].form
    data = {
        name: (value if value is not None else "")
        for name, value in form.initial.items()
        if name in form.fields
    }
    data.update(
        {
            "given_names": "Ana\u202e",
            "paternal_surname": "\x1b[31mFlores\x1b[0m",
            "maternal_surname": "Dí\u200baz",
        }
    )
    for prefix, management in page.context["inline_admin_formsets"] and [
        (formset.formset.prefix, formset.formset.management_form)
        for formset in page.context["inline_admin_formsets"]
    ]:
        data.update({f"{prefix}-{key}": value for key, value in management.initial.items()})
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    person.refresh_from_db()
    assert (person.given_names, person.paternal_surname, person.maternal_surname) == (
        "Ana",
        "Flores",
        "Díaz",
    )
