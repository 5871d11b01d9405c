"""The benchmark's reading of which person each roster row became."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command

from benchmarks.registry_quality.row_persons import write
from participants.models import Person, PersonStatus
from review.merging import person_merge
from tests.roster_import.files import ROWS, csv_bytes

pytestmark = pytest.mark.django_db


def test_each_committed_row_names_the_person_it_is_now(tmp_path: Path, admin_user) -> None:  # type: ignore[no-untyped-def]
    rejected = [4, "", "", "", "40000004", "F", *[""] * 6]
    roster = tmp_path / "lista.csv"
    roster.write_bytes(csv_bytes([*ROWS, rejected]))
    call_command(
        "import_roster",
        str(roster),
        "--course=Curso A",
        "--cohort=C1",
        "--commit-valid",
        stdout=io.StringIO(),
    )
    first, second, third = (Person.objects.get(document_number=f"4000000{n}") for n in (1, 2, 3))
    person_merge(survivor=first, merged=second, actor=admin_user, force=True)
    Person.objects.filter(pk=third.pk).update(status=PersonStatus.CANCELLED)
    output = tmp_path / "filas.csv"
    assert write(str(output)) == 2
    with output.open(encoding="utf-8", newline="") as handle:
        rows = [
            (row["archivo"], row["fila"], row["codigo_participante"])
            for row in csv.DictReader(handle)
        ]
    # Rows 2 and 3 are one person after the merge; rows 4 (cancelled) and 5 (rejected) are left.
    assert rows == [("lista.csv", "2", first.code), ("lista.csv", "3", first.code)]
