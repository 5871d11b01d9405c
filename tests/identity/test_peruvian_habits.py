"""Names and DNIs as Peruvian rosters write them: each habit seen on real rosters, by hand.

Every case imports small rosters through the import service, as a user would, and asserts
how many persons the registry then holds. None of these people is real.
"""

from __future__ import annotations

import pytest

from intake.roster_import import roster_import
from participants.models import IdentityRecord, Person, PersonStatus
from participants.names import maternal_core, surname_core
from participants.phonetic import given_key, name_keys, spanish_phonetic_key, surname_key
from participants.services import person_create
from tests.factories import CohortFactory
from tests.roster_import.files import csv_bytes

pytestmark = pytest.mark.django_db

HEADER = ["N°", "Apellido paterno", "Apellido materno", "Nombres", "DNI", "Sexo", "Correo"]


def _import(*rows: list[object], header: list[str] = HEADER) -> list[str]:
    report = roster_import(
        file=csv_bytes(list(rows), header=header),
        file_name="lista.csv",
        cohort=CohortFactory(),
        commit_valid=True,
    )
    return [row.outcome for row in report.rows]


def _active() -> int:
    return Person.objects.filter(status=PersonStatus.ACTIVE).count()


# --- DNIs as people type them ------------------------------------------------------------


@pytest.mark.parametrize(
    "typed", ["41234567-9", "41.234.567", " 41234567 ", "DNI 41234567", "D.N.I. N° 41234567"]
)
def test_a_dni_typed_with_its_habits_is_the_persons_dni(typed: str) -> None:
    assert _import([1, "Ccahuana", "Rojas", "Nancy", typed, "F", ""]) == ["new"]
    assert Person.objects.get().document_number == "41234567"
    # The next roster writes it plainly, with another spelling of her name: the same person.
    assert _import([1, "Ccahuana", "R.", "Nancy Yolanda", "41234567", "F", ""]) == ["linked"]
    assert _active() == 1


def test_a_foreigners_card_in_the_dni_column_is_kept_as_such() -> None:
    _import([1, "Pérez", "Gómez", "Luisa", "CE 001234567", "F", ""])
    person = Person.objects.get()
    assert (person.document_type, person.document_number) == ("ce", "001234567")


# --- One key rule ------------------------------------------------------------------------


def test_a_hyphenated_given_name_reimported_is_the_same_person() -> None:
    row = [1, "Quispe", "Mamani", "Mary-Luz", "", "F", "maryluz.qm@gmail.com"]
    assert _import(row) == ["new"]
    assert _import(row) == ["linked"]
    assert _active() == 1


def test_stored_and_looked_up_keys_are_one_rule() -> None:
    person = person_create(given_names="Mary-Luz", paternal_surname="Quispe")
    record = IdentityRecord.objects.create(
        person=person, given_names="Mary-Luz", paternal_surname="Quispe"
    )
    # What the import looks up: the first given name of the folded name.
    assert person.given_key == given_key("MARY LUZ") == spanish_phonetic_key("MARY")
    assert record.given_key in ("", person.given_key)


# --- Names as Peru writes them -----------------------------------------------------------


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Huamán", "Guamán"),
        ("Huamán", "Waman"),
        ("Quispe", "Qhispe"),
        ("Ccori", "Qori"),
        ("Huillca", "Willka"),
        ("Huillca", "Huilca"),
        ("Yupanqui", "Yupanki"),
        ("Ttito", "Tito"),
        ("Condori", "Kunturi"),
    ],
)
def test_quechua_and_aymara_orthographies_share_a_key(one: str, other: str) -> None:
    assert surname_key(one) == surname_key(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [("Huamán", "Guamán"), ("Quispe", "Qhispe"), ("Huillca", "Willka"), ("Ccori", "Qori")],
)
def test_orthographic_variants_of_a_surname_link_with_other_evidence(one: str, other: str) -> None:
    _import([1, one, "Ttito", "Wilber", "", "M", "wilber.t@gmail.com"])
    assert _import([1, other, "Tito", "Wilber", "", "M", "wilber.t@gmail.com"]) == ["linked"]
    assert _active() == 1


def test_a_married_name_is_kept_and_not_counted_against_the_match() -> None:
    _import([1, "Córdova", "Sánchez", "María", "", "F", "mcordova@mimp.gob.pe"])
    assert _import(
        [1, "Córdova", "Sánchez de Apaza", "María", "", "F", "mcordova@mimp.gob.pe"]
    ) == ["linked"]
    assert _import([1, "Córdova", "de Apaza", "María", "", "F", "mcordova@mimp.gob.pe"]) == [
        "linked"
    ]
    assert _active() == 1
    married = IdentityRecord.objects.filter(maternal_surname="Sánchez de Apaza")
    assert married.exists()  # what she wrote is kept


def test_married_names_in_one_full_name_cell() -> None:
    header = ["N°", "Apellidos y nombres", "Correo"]
    _import([1, "CORDOVA SANCHEZ DE APAZA MARIA", "mcordova@mimp.gob.pe"], header=header)
    person = Person.objects.get()
    assert (person.paternal_surname, person.maternal_surname, person.given_names) == (
        "Cordova",
        "Sanchez de Apaza",
        "Maria",
    )


def test_the_married_suffix_and_particles_are_left_out_of_the_matching_form() -> None:
    assert surname_core("SANCHEZ DE APAZA") == "SANCHEZ"
    assert surname_core("DE LA CRUZ") == surname_core("DELACRUZ") == surname_core("CRUZ")
    assert surname_core("DELGADO") == "DELGADO"  # "DEL" is no particle inside a surname
    assert maternal_core("DE APAZA") == ""  # her husband's name instead of her mother's
    assert maternal_core("DE LA CRUZ") == "CRUZ"  # a surname of its own


@pytest.mark.parametrize("written", ["De la Cruz", "Delacruz", "Cruz"])
def test_particles_written_or_left_out(written: str) -> None:
    _import([1, "De la Cruz", "Flores", "Rosa", "", "F", "rosa.dlc@gmail.com"])
    assert _import([1, written, "Flores", "Rosa", "", "F", "rosa.dlc@gmail.com"]) == ["linked"]
    assert _active() == 1


@pytest.mark.parametrize(("full", "signed"), [("María Elena", "Elena"), ("José Luis", "Luis")])
def test_a_person_who_signs_with_the_second_given_name(full: str, signed: str) -> None:
    _import([1, "Chuquimamani", "Huillca", full, "", "", "chuqui.h@gmail.com"])
    assert _import([1, "Chuquimamani", "Huillca", signed, "", "", "chuqui.h@gmail.com"]) == [
        "linked"
    ]
    assert _active() == 1


def test_name_keys_of_a_married_name() -> None:
    keys = name_keys(
        given_names="María", paternal_surname="Córdova", maternal_surname="Sánchez de Apaza"
    )
    assert keys["maternal_key"] == surname_key("Sánchez")


# Without a DNI or an address in common: the names alone, written another way. Each row
# joins the person (or waits for a reviewer), never becomes a second person unnoticed.
NAME_HABITS = [
    (["Quispe", "Mamani", "Mary-Luz"], ["Quispe", "Mamani", "Mary-Luz"]),
    (["Huillca", "Ccori", "Wilber"], ["Huilca", "Qori", "Wilber"]),
    (["Córdova", "Sánchez", "María"], ["Córdova", "Sánchez de Apaza", "María"]),
    (["Córdova", "Sánchez", "María"], ["Córdova", "de Apaza", "María"]),
    (["De la Cruz", "Flores", "Rosa"], ["Cruz", "Flores", "Rosa"]),
    (["Chuquimamani", "Huillca", "María Elena"], ["Chuquimamani", "Huillca", "Elena"]),
    (["Chuquimamani", "Huillca", "Elena"], ["Chuquimamani", "Huillca", "María Elena"]),
    (["Pérez", "Ccahuana", "Wilber"], ["Ccahuana", "P.", "Wilber"]),
    (["Gonzales", "Sapuma", "María del Carmen"], ["Gonzales", "Sapuma", "Carmen"]),
]


@pytest.mark.parametrize(("first", "then"), NAME_HABITS)
def test_a_name_written_another_way_is_not_a_new_person(first: list[str], then: list[str]) -> None:
    assert _import([1, *first, "", "", ""]) == ["new"]
    assert _import([1, *then, "", "", ""]) in (["linked"], ["review"])


def test_the_migration_recomputes_keys_stored_with_the_old_rule() -> None:
    import importlib

    from django.apps import apps

    migration = importlib.import_module("participants.migrations.0008_recompute_name_keys")
    person = person_create(given_names="Mary-Luz", paternal_surname="De la Cruz")
    record = IdentityRecord.objects.create(
        person=person, given_names="Mary-Luz", paternal_surname="De la Cruz"
    )
    # As the old rule stored them: the given names split before folding, particles kept.
    stale = {"given_key": "MARILUS", "paternal_key": "DILAKRUS"}
    Person.objects.filter(pk=person.pk).update(**stale)
    IdentityRecord.objects.filter(pk=record.pk).update(**stale)
    migration.recompute_keys(apps, None)
    for row in (Person.objects.get(pk=person.pk), IdentityRecord.objects.get(pk=record.pk)):
        assert (row.given_key, row.paternal_key) == ("MARI", "KRUS")
    # ... and the re-imported row now finds her.
    assert _import([1, "Delacruz", "", "Mary Luz", "", "F", ""]) in (["linked"], ["review"])


def test_a_platforms_name_fields_answered_the_wrong_way_round() -> None:
    header = ["Nombre", "Apellido(s)", "Dirección Email"]
    _import(["Alex Rafael", "Ccallo Qunhuonccori", "accallo@mimp.gob.pe"], header=header)
    assert _import(["Ccallo Qunhuonccori", "Alex Rafael", ""], header=header) in (
        ["linked"],
        ["review"],
    )
    person = Person.objects.order_by("pk").first()
    assert (person.given_names, person.paternal_surname) == ("Alex Rafael", "Ccallo")
