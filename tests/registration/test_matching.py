from __future__ import annotations

import pytest

from formats.numbers import probability_shown
from intake.registration.matching.live_hint import registration_candidates
from intake.registration.matching.scoring import REASON_DNI
from participants.models import Person
from tests.factories import EnrollmentFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_visible_person_comes_back_with_code_name_and_reason(world, staff_a) -> None:  # type: ignore[no-untyped-def]
    found = registration_candidates(
        user=staff_a, given_names="alicia", paternal_surname="HUAMAN", dni="42345678"
    )
    assert [m.code for m in found.visible] == [world["alicia"].code]
    assert found.visible[0].reasons == (REASON_DNI,)
    assert found.visible[0].name == "Huamán Torres, Alicia"
    assert found.visible[0].probability == "1.00"
    assert found.registered_elsewhere is False


@pytest.fixture
def ana(world):  # type: ignore[no-untyped-def]
    """Ana Fiorella Huamán Huamán, brought to the registry by school A, without a DNI."""
    person = PersonFactory(
        given_names="Ana Fiorella",
        paternal_surname="Huamán",
        maternal_surname="Huamán",
        document_number="",
        sex="F",
    )
    EnrollmentFactory(person=person, cohort=world["cohort_a"])
    return person


def test_a_misspelt_name_is_found_by_the_linkage_engine(world, staff_a, ana) -> None:  # type: ignore[no-untyped-def]
    found = registration_candidates(
        user=staff_a,
        given_names="Ana Fiorela",
        paternal_surname="Huaman",
        maternal_surname="Huaman",
        sex="F",
    )
    assert [m.code for m in found.visible] == [ana.code]
    match = found.visible[0]
    assert match.name == "Huamán Huamán, Ana Fiorella"
    assert "nombres parecidos (error de tipeo)" in match.reasons
    assert "apellido materno coincide" in match.reasons
    # Above the auto-link threshold (0.996), shown with two decimals and a point (es-PE).
    assert match.probability == "0.99"
    assert found.as_json()["matches"][0]["probability"] == "0.99"


def test_a_clearly_different_person_is_no_candidate(world, staff_a, ana) -> None:  # type: ignore[no-untyped-def]
    found = registration_candidates(
        user=staff_a, given_names="Rosa Elena", paternal_surname="Condori", maternal_surname="Apaza"
    )
    assert not found
    assert found.as_json() == {"matches": [], "registered_elsewhere": False}


def test_a_person_another_school_brought_is_a_code_only(world, staff_a, ana) -> None:  # type: ignore[no-untyped-def]
    # Bruno was brought by school B; a roster of school A enrolled him too: school A sees
    # his code, never his data - nor the reasons, which would tell what school B wrote.
    EnrollmentFactory(person=world["bruno"], cohort=world["cohort_a"])
    found = registration_candidates(
        user=staff_a,
        given_names="Bruno Alonso",
        paternal_surname="Quispe",
        maternal_surname="Mamani",
        email="bruno@example.org",
    )
    assert [(m.code, m.name, m.reasons, m.probability) for m in found.visible] == [
        (world["bruno"].code, "ya registrada", (), "")
    ]


def test_probability_is_rounded_down() -> None:
    assert probability_shown(0.9964) == "0.99"
    assert probability_shown(0.97) == "0.97"
    assert probability_shown(1.0) == "1.00"
    assert probability_shown(0.29) == "0.29"  # not 0.28, as flooring 0.29 * 100 gives


def test_another_schools_person_is_only_a_hint(world, staff_a) -> None:  # type: ignore[no-untyped-def]
    found = registration_candidates(
        user=staff_a, given_names="Bruno", paternal_surname="Quispe", dni="41234567"
    )
    assert found.visible == ()
    assert found.registered_elsewhere is True
    assert found.as_json() == {"matches": [], "registered_elsewhere": True}


def test_dni_alone_tells_nothing(world, staff_a) -> None:  # type: ignore[no-untyped-def]
    # A school may learn that a person is registered, never that a DNI is.
    found = registration_candidates(
        user=staff_a, given_names="", paternal_surname="", dni="41234567"
    )
    assert found == registration_candidates(
        user=staff_a, given_names="", paternal_surname="", dni="49999999"
    )
    assert not found.registered_elsewhere


def test_another_schools_dni_under_invented_names_tells_nothing(world, staff_a) -> None:  # type: ignore[no-untyped-def]
    registered = registration_candidates(
        user=staff_a, given_names="Pedro", paternal_surname="Salas", dni="41234567"
    )
    unknown = registration_candidates(
        user=staff_a, given_names="Pedro", paternal_surname="Salas", dni="49999999"
    )
    assert (
        registered.as_json() == unknown.as_json() == {"matches": [], "registered_elsewhere": False}
    )


def test_an_email_only_another_school_supplied_is_not_confirmed(world, staff_a) -> None:  # type: ignore[no-untyped-def]
    from participants.identity.records import IdentityValues, identity_record_add
    from participants.models import RecordSource

    alicia = world["alicia"]
    Person.objects.filter(pk=alicia.pk).update(email="alicia@example.org", phone="987 000 111")
    alicia.refresh_from_db()
    # School B taught the registry a second address of Alicia, a person of school A.
    identity_record_add(
        person=alicia,
        source=RecordSource.REGISTRATION,
        values=IdentityValues(
            **{
                **IdentityValues.of_person(alicia).__dict__,
                "email": "alicia.privado@example.org",
                "phone": "999 111 222",
            }
        ),
        actor=None,
    )
    found = registration_candidates(
        user=staff_a,
        given_names="Alicia",
        paternal_surname="Huaman",
        email="alicia.privado@example.org",
        phone="999 111 222",
    )
    assert found.visible[0].code == alicia.code
    assert not any("correo" in reason for reason in found.visible[0].reasons)
    assert not any("teléfono" in reason for reason in found.visible[0].reasons)
    # Her address as school A supplied it is confirmed.
    own = registration_candidates(
        user=staff_a, given_names="Alicia", paternal_surname="Huaman", email="alicia@example.org"
    )
    assert "correo igual" in own.visible[0].reasons


def test_different_dnis_or_maternal_surnames_are_different_people(world, staff_a) -> None:  # type: ignore[no-untyped-def]
    assert not registration_candidates(
        user=staff_a, given_names="Bruno", paternal_surname="Quispe", dni="49999999"
    ).registered_elsewhere
    assert not registration_candidates(
        user=staff_a, given_names="Bruno", paternal_surname="Quispe", maternal_surname="Flores"
    ).registered_elsewhere
    assert registration_candidates(
        user=staff_a,
        given_names="Bruno Alonso",
        paternal_surname="Quispe",
        maternal_surname="Mamani",
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
