"""Identity resolution over every record a person has: the failure modes seen on real rosters.

Each case imports small hand-made rosters through the import service, as a user would.
"""

from __future__ import annotations

import pytest

from courses.models import Enrollment
from intake.roster_import import roster_import
from participants.models import (
    Decision,
    IdentityRecord,
    Person,
    PersonStatus,
    RecordSource,
    SplitCandidate,
)
from review.merging import person_merge
from review.splits import person_split
from tests.factories import CohortFactory
from tests.roster_import.files import csv_bytes

pytestmark = pytest.mark.django_db

HEADER = ["N°", "Apellido paterno", "Apellido materno", "Nombres", "DNI", "Sexo", "Correo"]


def _import(*rows: list[object], name: str = "lista.csv") -> list[str]:
    report = roster_import(
        file=csv_bytes(list(rows), header=HEADER),
        file_name=name,
        cohort=CohortFactory(),
        commit_valid=True,
    )
    return [row.outcome for row in report.rows]


def _active() -> int:
    return Person.objects.filter(status=PersonStatus.ACTIVE).count()


def test_a_dni_learned_from_a_later_roster_links_the_next_one() -> None:
    # First roster: no DNI. Second: the same person by name and address, now with a DNI.
    assert _import([1, "Chuquimamani", "Huillca", "Rosa Elena", "", "F", "rosa.ch@gmail.com"]) == [
        "new"
    ]
    assert _import(
        [1, "Chuquimamani", "Huillca", "Rosa Elena", "41234567", "", "rosa.ch@gmail.com"]
    ) == ["linked"]
    person = Person.objects.get()
    assert person.document_number == "41234567"  # learned from its records
    assert IdentityRecord.objects.filter(person=person, source=RecordSource.ROSTER_ROW).count() == 2
    # Third: only the DNI and a shortened name. It reaches the same person, not a second one.
    assert _import([1, "Chuquimamani", "H.", "Rosa", "41234567", "F", ""]) == ["linked"]
    assert _active() == 1
    assert Enrollment.objects.filter(person=person).count() == 3


def test_a_dni_shown_only_on_a_record_links() -> None:
    _import([1, "Ticona", "Apaza", "Wilber", "", "M", "wticona@policia.gob.pe"])
    person = Person.objects.get()
    # A record (not the person's displayed values) carries the DNI: another person shows it.
    IdentityRecord.objects.create(
        person=person, source=RecordSource.CORRECTION, dni="45678123", paternal_surname="Ticona"
    )
    assert _import([1, "Ticona", "Apaza", "Wilber", "45678123", "M", ""]) == ["linked"]
    assert _active() == 1


def test_a_second_address_is_no_evidence_against_a_match() -> None:
    _import([1, "Chuquimamani", "Huillca", "Rosa Elena", "", "F", "rosa.ch@gmail.com"])
    outcomes = _import(
        [1, "Chuquimamani", "Huillca", "Rosa Elena", "", "F", "rchuquimamani@mimp.gob.pe"]
    )
    assert outcomes == ["linked"]
    assert _active() == 1


def test_a_shared_inbox_with_different_given_names_never_links_automatically() -> None:
    _import([1, "Quispe", "Mamani", "Juan", "", "M", "cem.cusco@mimp.gob.pe"])
    outcomes = _import([1, "Quispe", "Mamani", "Pedro", "", "M", "cem.cusco@mimp.gob.pe"])
    assert outcomes != ["linked"]
    assert _active() == 2


def test_a_dni_the_person_never_showed_never_links_automatically() -> None:
    _import([1, "Chuquimamani", "Huillca", "Rosa Elena", "41234567", "F", "rosa.ch@gmail.com"])
    # Same names and address, but a valid DNI far from the person's: never an automatic link.
    outcomes = _import(
        [1, "Chuquimamani", "Huillca", "Rosa Elena", "70011223", "F", "rosa.ch@gmail.com"]
    )
    assert outcomes in (["review"], ["new"])
    assert _active() == 2
    assert Person.objects.filter(document_number="70011223").exists()


def test_two_rows_of_one_roster_without_dni_are_one_person() -> None:
    outcomes = _import(
        [1, "Chuquimamani", "Huillca", "Rosa Elena", "", "F", "rosa.ch@gmail.com"],
        [2, "Mamani", "Apaza", "Luis", "", "M", ""],
        [3, "CHUQUIMAMANI", "HUILLCA", "ROSA ELENA", "", "", "rosa.ch@gmail.com"],
    )
    assert outcomes == ["new", "new", "repeated"]
    assert _active() == 2
    assert Enrollment.objects.filter(repeated_in_roster=True).count() == 1


ROSTERS_OF_ONE_PERSON = [
    [[1, "Chuquimamani", "Huillca", "Rosa Elena", "", "F", "rosa.ch@gmail.com"]],
    [[1, "Chuquimamani", "Huillca", "Rosa", "41234567", "", ""]],
    [[1, "Chuquimamani", "Huillca", "Rosa Elena", "41234567", "F", "rosa.ch@gmail.com"]],
    [[1, "Chuquimamani", "H", "Rosa E.", "", "", "rchuquimamani@mimp.gob.pe"]],
]


@pytest.mark.parametrize("order", [(0, 1, 2, 3), (3, 2, 1, 0), (1, 3, 0, 2)])
def test_the_result_does_not_depend_on_import_order(order: tuple[int, ...]) -> None:
    for index in order:
        _import(*ROSTERS_OF_ONE_PERSON[index])
    assert _active() == 1
    assert Person.objects.get().document_number == "41234567"


def test_conflicting_dnis_on_one_person_are_queued_and_can_be_split_and_joined_again(
    admin_user,  # type: ignore[no-untyped-def]
) -> None:
    _import([1, "Chuquimamani", "Huillca", "Rosa Elena", "41234567", "F", "rosa.ch@gmail.com"])
    person = Person.objects.get()
    # A wrong link: a row of another person, with another valid DNI, was attached to her.
    _import([1, "Chuquimamani", "Huillca", "Rosa Elena", "41234567", "F", ""])
    record = IdentityRecord.objects.filter(person=person).order_by("pk").last()
    IdentityRecord.objects.filter(pk=record.pk).update(dni="70011223", document_number="70011223")
    from review.splits import split_suspects_queue

    [candidate] = split_suspects_queue([person.pk])
    assert candidate.dnis == ["41234567", "70011223"]
    assert split_suspects_queue([person.pk]) == []  # asked once

    new_person = person_split(candidate=candidate, dni="70011223", actor=admin_user)
    assert new_person.document_number == "70011223"
    assert IdentityRecord.objects.get(pk=record.pk).person == new_person
    enrollment = Enrollment.objects.get(source_records=record.source_record)
    assert enrollment.person == new_person
    candidate.refresh_from_db()
    assert candidate.decision == Decision.DIFFERENT
    assert candidate.split_into == new_person

    # Undone by merging them back, which is itself reversible.
    person_merge(survivor=person, merged=new_person, actor=admin_user, force=True)
    assert Person.objects.get(pk=new_person.pk).status == PersonStatus.MERGED
    assert Enrollment.objects.filter(person=person).count() == 2


def test_a_kept_person_is_not_asked_again() -> None:
    _import([1, "Chuquimamani", "Huillca", "Rosa Elena", "41234567", "F", ""])
    person = Person.objects.get()
    IdentityRecord.objects.create(
        person=person, source=RecordSource.CORRECTION, dni="70011223", paternal_surname="X"
    )
    from review.splits import split_keep, split_suspects_queue

    [candidate] = split_suspects_queue([person.pk])
    split_keep(candidate=candidate, actor=None)
    assert split_suspects_queue([person.pk]) == []
    assert SplitCandidate.objects.get().decision == Decision.SAME


def test_a_cancellation_blanks_every_record_of_the_person(admin_user) -> None:  # type: ignore[no-untyped-def]
    from data_requests.cancellation import person_cancel

    _import([1, "Chuquimamani", "Huillca", "Rosa Elena", "", "F", "rosa.ch@gmail.com"])
    _import([1, "Chuquimamani", "Huillca", "Rosa", "41234567", "F", "rchuquimamani@mimp.gob.pe"])
    person = Person.objects.get()
    person_cancel(person=person, actor=admin_user, reason="solicitud 12")
    for record in IdentityRecord.objects.all():
        assert (record.given_names, record.paternal_surname, record.dni, record.email) == (
            "",
            "",
            "",
            "",
        )
        assert record.paternal_key == ""


def test_the_reasons_say_how_widely_an_address_is_shared() -> None:
    _import([1, "Quispe", "Mamani", "Juan", "", "M", "cem.cusco@mimp.gob.pe"])
    _import([1, "Condori", "Apaza", "Lucía", "", "F", "cem.cusco@mimp.gob.pe"])
    report = roster_import(
        file=csv_bytes(
            [[1, "Quispe", "Mamani", "Juan", "", "M", "cem.cusco@mimp.gob.pe"]], header=HEADER
        ),
        file_name="lista.csv",
        cohort=CohortFactory(),
        dry_run=True,
    )
    assert "correo compartido por 2 personas del registro" in report.rows[0].reason
