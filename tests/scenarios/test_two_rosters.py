"""The whole story: two rosters that share people, the engine links them, a reviewer resolves
the possible duplicate, and the unique-person count follows."""

from __future__ import annotations

import io
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import TestCase

from courses.models import Enrollment
from participants.models import Decision, DuplicateCandidate, Person, PersonStatus
from registry.reports.coverage import coverage_totals
from registry.reports.filters import ReportFilters
from review.services import candidate_decide

pytestmark = pytest.mark.django_db

HEADER = (
    "Apellido paterno;Apellido materno;Nombres;DNI;Sexo;Fecha de nacimiento;Correo;Institución\n"
)
FIRST = HEADER + (
    "Quispe;Mamani;Juan Carlos;40000001;M;12/03/1985;;PNP\n"
    "Chuquimamani;Huillca;Rosa Elena;;F;05/11/1990;rosa.chm@example.org;CEM\n"
    "Flores;Rojas;Ana María;40000003;F;;;Fiscalía\n"
    "Pumacahua;Ccahuana;Wilber;;M;21/07/1979;;MINSA\n"
)
SECOND = HEADER + (
    # Same DNI, name typed differently: the DNI links it.
    "QUISPE;MAMANI;JUAN;40000001;;;;Ministerio Público\n"
    # No DNI, second given name dropped, accents and case lost, same birth date and e-mail.
    "CHUQUIMAMANI;HUILLCA;ROSA;;;05/11/1990;rosa.chm@example.org;CEM\n"
    # A namesake with another valid DNI: never the same person automatically.
    "Flores;Rojas;Ana María;40000099;F;;;PJ\n"
    # The same names, but another birth date and sex: evidence both ways, a reviewer decides.
    "Pumacahua;Ccahuana;Wilber;;F;03/02/1985;;Hospital\n"
    # Somebody new.
    "Huamán;Torres;Percy;40000005;M;;;PNP\n"
)


def _import(tmp_path: Path, name: str, text: str, cohort: str) -> str:
    path = tmp_path / name
    path.write_bytes(text.encode("cp1252"))
    out = io.StringIO()
    with committed():
        call_command(
            "import_roster", str(path), "--course", "Curso de trata", "--cohort", cohort, stdout=out
        )
    return out.getvalue()


def committed() -> AbstractContextManager[list[Callable[[], Any]]]:
    """Run the on-commit callbacks of the writes inside: what their commit does (the test's
    transaction never commits), so the report figures catch up as they would."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def _unique_persons() -> tuple[int, int]:
    totals = coverage_totals(filters=ReportFilters())
    return totals["unique_persons"], totals["participations"]


def test_two_rosters_sharing_people(tmp_path: Path) -> None:
    _import(tmp_path, "curso1.csv", FIRST, "2023-01")
    assert _unique_persons() == (4, 4)

    out = _import(tmp_path, "curso2.csv", SECOND, "2024-01")
    # The namesake's far DNI makes her a new person, not a question for a reviewer.
    assert "2 persona nueva, 2 vinculada a una persona existente, 1 posible duplicado" in out

    juan = Person.objects.get(document_number="40000001")
    rosa = Person.objects.get(email="rosa.chm@example.org")
    assert juan.enrollments.count() == 2  # linked on the DNI
    assert rosa.enrollments.count() == 2  # linked by the engine, no DNI at all
    namesakes = Person.objects.filter(paternal_surname="Flores", given_names="Ana María")
    assert namesakes.count() == 2  # different valid DNIs stay two people
    assert Person.objects.filter(document_number="40000005").exists()

    # The swapped-surname Wilber is a possible duplicate, not a silent merge.
    pair = DuplicateCandidate.objects.get(decision=Decision.PENDING)
    names = {pair.person_a.given_names, pair.person_b.given_names}
    assert names == {"Wilber"}
    persons, participations = _unique_persons()
    assert (persons, participations) == (7, 9)
    assert coverage_totals(filters=ReportFilters())["unique_persons_if_reviews_confirmed"] == 6

    with committed():
        candidate_decide(candidate=pair, decision="same", actor=None)

    assert _unique_persons() == (6, 9)
    merged = Person.objects.get(status=PersonStatus.MERGED)
    assert Enrollment.objects.filter(person=merged).count() == 0
