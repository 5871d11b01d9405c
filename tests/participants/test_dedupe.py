from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.management import call_command

from participants.dedupe import registry_dedupe
from participants.models import Decision, DuplicateCandidate, MergeRecord, Person, PersonStatus
from tests.factories import PersonFactory

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
    Person.objects.filter(pk=second.pk).update(document_number="71234562")
    report = registry_dedupe(dry_run=False)
    assert report.groups == []
    assert Person.objects.filter(status=PersonStatus.MERGED).count() == 0


def test_a_pair_declared_different_is_never_merged() -> None:
    _background()
    first, second = _twins()
    DuplicateCandidate.objects.create(
        person_a=first, person_b=second, score=0.9, decision=Decision.DIFFERENT
    )
    report = registry_dedupe(dry_run=False)
    assert report.groups == []
    assert Person.objects.filter(status=PersonStatus.MERGED).count() == 0
