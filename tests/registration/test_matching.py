from __future__ import annotations

import pytest

from courses.registration.matching import (
    REASON_DNI,
    REASON_EXACT_NAME,
    REASON_NAME,
    registration_candidates,
)
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_visible_person_comes_back_with_code_name_and_reason(world, staff_a) -> None:  # type: ignore[no-untyped-def]
    found = registration_candidates(
        user=staff_a, given_names="alicia", paternal_surname="HUAMAN", dni="42345678"
    )
    assert [m.code for m in found.visible] == [world["alicia"].code]
    assert REASON_DNI in found.visible[0].reasons
    assert REASON_EXACT_NAME in found.visible[0].reasons
    assert found.registered_elsewhere is False


def test_spelling_variants_match_phonetically(world, staff_a) -> None:  # type: ignore[no-untyped-def]
    found = registration_candidates(user=staff_a, given_names="Alisia", paternal_surname="Guaman")
    assert [m.code for m in found.visible] == [world["alicia"].code]
    assert found.visible[0].reasons == (REASON_NAME,)


def test_another_schools_person_is_only_a_hint(world, staff_a) -> None:  # type: ignore[no-untyped-def]
    found = registration_candidates(
        user=staff_a, given_names="Bruno", paternal_surname="Quispe", dni="41234567"
    )
    assert found.visible == ()
    assert found.registered_elsewhere is True
    assert found.as_json() == {"matches": [], "registered_elsewhere": True}


def test_dni_alone_is_enough_for_the_hint(world, staff_a) -> None:  # type: ignore[no-untyped-def]
    found = registration_candidates(
        user=staff_a, given_names="", paternal_surname="", dni="41234567"
    )
    assert found.registered_elsewhere is True


def test_different_dnis_or_maternal_surnames_are_different_people(world, staff_a) -> None:  # type: ignore[no-untyped-def]
    assert not registration_candidates(
        user=staff_a, given_names="Bruno", paternal_surname="Quispe", dni="49999999"
    ).registered_elsewhere
    assert not registration_candidates(
        user=staff_a, given_names="Bruno", paternal_surname="Quispe", maternal_surname="Flores"
    ).registered_elsewhere
    assert registration_candidates(
        user=staff_a, given_names="Bruno", paternal_surname="Quispe", maternal_surname="Mamani"
    ).registered_elsewhere


def test_too_little_input_matches_nothing(world, staff_a) -> None:  # type: ignore[no-untyped-def]
    assert registration_candidates(user=staff_a, given_names="B", paternal_surname="Q") == (
        registration_candidates(user=staff_a, given_names="", paternal_surname="")
    )
    assert not registration_candidates(
        user=staff_a, given_names="B", paternal_surname="Q"
    ).registered_elsewhere


def test_inactive_persons_are_not_candidates(world, staff_a) -> None:  # type: ignore[no-untyped-def]
    from participants.models import PersonStatus

    PersonFactory(
        given_names="Carla",
        paternal_surname="Rojas",
        document_number="",
        status=PersonStatus.CANCELLED,
    )
    found = registration_candidates(user=staff_a, given_names="Carla", paternal_surname="Rojas")
    assert found.visible == ()
    assert not found.registered_elsewhere
