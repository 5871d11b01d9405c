from __future__ import annotations

import io
import re
from datetime import date

import pytest
from django.core.management import call_command

from participants.models import (
    Decision,
    DuplicateCandidate,
    MergeRecord,
    Person,
    PersonStatus,
    RecordSource,
)
from review.dedupe import registry_dedupe
from tests.factories import (
    CohortFactory,
    EnrollmentFactory,
    PersonFactory,
    SourceRecordFactory,
    identity_record_of_row,
)

pytestmark = pytest.mark.django_db


def _twins(**overrides: object) -> tuple[Person, Person]:
    first = PersonFactory(
        given_names="Rosa Elena",
        paternal_surname="Chuquimamani",
        maternal_surname="Huillca",
        birth_date=date(1990, 11, 5),
        email="rosa.chm@example.org",
        document_number="",
    )
    fields = {
        "given_names": "Rosa",
        "paternal_surname": "Chuquimamani",
        "maternal_surname": "Huillca",
        "birth_date": date(1990, 11, 5),
        "email": "rosa.chm@example.org",
        "document_number": "",
    }
    fields.update(overrides)
    return first, PersonFactory(**fields)


def _background(n: int = 30) -> None:
    # Other people, so that the registry is not just the pair under test.
    PersonFactory.create_batch(n)


def test_dry_run_reports_the_group_and_changes_nothing() -> None:
    _background()
    first, second = _twins()
    report = registry_dedupe(dry_run=True)
    assert report.groups == [[first.pk, second.pk]]
    assert report.persons_to_merge == 1
    assert Person.objects.filter(status=PersonStatus.MERGED).count() == 0


def test_dedupe_merges_into_the_oldest_record_reversibly() -> None:
    _background()
    first, second = _twins()
    out = io.StringIO()
    call_command("dedupe", stdout=out)
    second.refresh_from_db()
    assert second.status == PersonStatus.MERGED
    assert second.merged_into_id == first.pk
    record = MergeRecord.objects.get()
    assert record.rule == "dedupe: automatic link"
    assert "1 fusiones hechas" in out.getvalue()
    # A second run finds nothing more to do.
    assert registry_dedupe(dry_run=True).groups == []


def test_different_valid_dnis_are_never_merged() -> None:
    _background()
    first, second = _twins()
    # By primary key: a background person may be called Rosa too.
    Person.objects.filter(pk=first.pk).update(document_number="71234561")
    Person.objects.filter(pk=second.pk).update(document_number="81234569")
    report = registry_dedupe(dry_run=False)
    assert report.groups == []
    assert Person.objects.filter(status=PersonStatus.MERGED).count() == 0


def test_a_dni_typo_the_names_explain_is_merged_but_siblings_are_not() -> None:
    _background()
    first, second = _twins()
    Person.objects.filter(pk=first.pk).update(document_number="71234561")
    Person.objects.filter(pk=second.pk).update(document_number="71234562")
    # Siblings registered together: consecutive DNIs, the same surnames, other given names.
    siblings = [
        PersonFactory(
            given_names=given,
            paternal_surname="Ticona",
            maternal_surname="Apaza",
            email="familia.ticona@example.org",
            document_number=dni,
        )
        for given, dni in (("Juana Luz", "70011221"), ("Rosa María", "70011222"))
    ]
    registry_dedupe(dry_run=False)
    merged = set(Person.objects.filter(status=PersonStatus.MERGED).values_list("pk", flat=True))
    # One typo apart, names in full agreement, same birth date and address: one person.
    assert merged == {second.pk} or merged == {first.pk}
    assert not merged & {sibling.pk for sibling in siblings}


def test_a_pair_declared_different_is_never_merged() -> None:
    _background()
    first, second = _twins()
    DuplicateCandidate.objects.create(
        person_a=first, person_b=second, score=0.9, decision=Decision.DIFFERENT
    )
    report = registry_dedupe(dry_run=False)
    assert report.groups == []
    assert Person.objects.filter(status=PersonStatus.MERGED).count() == 0


def _split_suspect() -> Person:
    """A person whose records carry two DNIs that are not one typo apart."""
    person = PersonFactory(
        given_names="Nilton",
        paternal_surname="Mollohuanca",
        maternal_surname="Anccasi",
        document_number="41234567",
    )
    for dni in ("41234567", "70011223"):
        enrollment = EnrollmentFactory(person=person, cohort=CohortFactory())
        identity_record_of_row(
            person=person,
            source=RecordSource.ROSTER_ROW,
            row=SourceRecordFactory(person=person, enrollment=enrollment),
            given_names="Nilton",
            paternal_surname="Mollohuanca",
            dni=dni,
            document_type="dni",
            document_number=dni,
        )
    return person


def test_dry_run_lists_each_merge_review_pair_and_split() -> None:
    _background()
    first, second = _twins()
    # Same names and a birth date one part apart, no DNI: probable, not certain.
    kept = PersonFactory(
        given_names="Teodoro Elmer",
        paternal_surname="Pumacahua",
        maternal_surname="Ccorimanya",
        birth_date=date(1980, 4, 5),
        email="tpumacahua@example.org",
        document_number="",
    )
    maybe = PersonFactory(
        given_names="Teodoro Elmer",
        paternal_surname="Pumacahua",
        maternal_surname="Ccorimanya",
        birth_date=date(1980, 5, 4),
        email="",
        document_number="",
    )
    suspect = _split_suspect()

    out = io.StringIO()
    call_command("dedupe", "--dry-run", stdout=out)
    text = out.getvalue()

    # The summary line stays.
    assert "1 pares para revisión" in text
    assert "1 personas a separar" in text
    lines = text.splitlines()
    # The merge: into the oldest record, with the names an administrator sees, the
    # probability as es-PE writes it and the engine's reasons.
    assert f"  en {first.code} (Chuquimamani Huillca, Rosa Elena):" in lines
    [merge] = [line for line in lines if line.startswith(f"    <- {second.code}")]
    assert "(Chuquimamani Huillca, Rosa)" in merge
    assert re.search(rf": probabilidad (0\.9\d\d|1\.000) con {first.code}; ", merge)
    assert "apellido paterno coincide" in merge
    # The review pair.
    [review] = [line for line in lines if kept.code in line]
    assert review.startswith(
        f"  {kept.code} (Pumacahua Ccorimanya, Teodoro Elmer) ~ "
        f"{maybe.code} (Pumacahua Ccorimanya, Teodoro Elmer): probabilidad 0."
    )
    assert re.search(r"probabilidad 0\.\d{3}; apellido paterno coincide", review)
    # The split, with the DNIs masked.
    [split] = [line for line in lines if suspect.code in line]
    assert split == f"  {suspect.code} (Mollohuanca Anccasi, Nilton): DNI ••••4567, ••••1223"
    assert "41234567" not in text
    assert not re.search(r"\d,\d{3}\b(?!,)|probabilidad \d,", text)
    assert Person.objects.filter(status=PersonStatus.MERGED).count() == 0
