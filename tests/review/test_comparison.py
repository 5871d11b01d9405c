"""Field agreement shown on the review page."""

from __future__ import annotations

import datetime as dt

from participants.models import Decision, Person
from review.comparison import (
    AGREE,
    DISAGREE,
    PARTIAL,
    agreement,
    choices_from_sides,
    compare_persons,
)
from review.selectors import candidate_queue
from tests.factories import DuplicateCandidateFactory, PersonFactory


def _person(**fields) -> Person:
    defaults = {"given_names": "Ana", "paternal_surname": "Flores", "document_number": ""}
    return Person(**{**defaults, **fields})


def test_agreement_levels():
    assert agreement(_person(), _person(given_names="ANA"), "given_names") == AGREE
    assert agreement(_person(), _person(given_names="Ana María"), "given_names") == PARTIAL
    assert agreement(_person(), _person(given_names="Luisa"), "given_names") == DISAGREE
    assert agreement(_person(), _person(given_names=""), "given_names") == ""
    dni = _person(document_number="12345678")
    assert agreement(dni, _person(document_number="12345678"), "document") == AGREE
    assert agreement(dni, _person(document_number="12345679"), "document") == PARTIAL
    assert agreement(dni, _person(document_number="21345678"), "document") == PARTIAL
    assert agreement(dni, _person(document_number="87654321"), "document") == DISAGREE
    born = _person(birth_date=dt.date(1980, 4, 7))
    assert agreement(born, _person(birth_date=dt.date(1980, 7, 4)), "birth_date") == PARTIAL
    assert agreement(born, _person(birth_date=dt.date(1975, 1, 1)), "birth_date") == DISAGREE
    assert agreement(_person(sex="F"), _person(sex="U"), "sex") == ""
    assert agreement(_person(sex="F"), _person(sex="M"), "sex") == DISAGREE
    phone = _person(phone="+51 987 654 321")
    assert agreement(phone, _person(phone="987654321"), "phone") == AGREE


def test_rows_say_which_value_the_rule_keeps_for_either_survivor():
    a = _person(maternal_surname="")
    b = _person(maternal_surname="Quispe", document_number="12345678")
    rows = {row.field: row for row in compare_persons(a, b)}
    assert rows["maternal_surname"].rule_side_if_a == "b"
    assert rows["maternal_surname"].rule_side_if_b == "b"
    assert rows["document"].value_b == "DNI 12345678"
    assert not rows["document"].choosable  # only one side has a document


def test_page_sides_become_merge_choices():
    sides = {"given_names": "b", "email": "rule", "colour": "a", "sex": "a"}
    assert choices_from_sides(sides=sides, survivor_is_a=True) == {
        "given_names": "merged",
        "sex": "survivor",
    }
    assert choices_from_sides(sides=sides, survivor_is_a=False) == {
        "given_names": "survivor",
        "sex": "merged",
    }


def test_queue_leaves_out_pairs_with_a_person_no_longer_active(db):
    open_pair = DuplicateCandidateFactory()
    stale = DuplicateCandidateFactory()
    survivor = PersonFactory(document_number="")
    Person.objects.filter(pk=stale.person_b_id).update(status="merged", merged_into=survivor)
    DuplicateCandidateFactory(decision=Decision.SAME)

    assert list(candidate_queue()) == [open_pair]
