"""Microsoft Forms quiz responses: the account's columns, and the points beside each question."""

from __future__ import annotations

import pytest

from tests.factories import CohortFactory
from tests.roster_import.real_tools.conftest import (
    OFFICIALS,
    assert_identity,
    columns,
    enrollment_of,
    import_fixture,
    score,
    scores_of,
)

pytestmark = pytest.mark.django_db

ENTRY_ES = "microsoft_forms/Evaluación de entrada - Curso de trata de personas(1-5).xlsx"
EXIT_EN = "microsoft_forms/Exit test - Trafficking in persons course(1-6).xlsx"


def test_the_spanish_entry_test_imports_the_questions_and_the_total_points() -> None:
    cohort = CohortFactory()
    report = import_fixture(ENTRY_ES, cohort)
    assert report.status == "committed"
    taken = {dni: official for dni, official in OFFICIALS.items() if official.pre}
    for dni, official in taken.items():
        enrollment = enrollment_of(cohort, dni)
        assert_identity(enrollment, dni)
        assert enrollment.role_text == official.role
        # "Total de puntos", and the file's name says it is the entry test.
        assert scores_of(enrollment) == {"pre": score(official.pre)}
        # An anonymous response's e-mail ("anonymous") is no e-mail, and no problem.
        assert enrollment.person.email == ""
    assert report.problem_count == 0
    aside = columns(report, "set_aside")
    assert "«Puntos: DNI» (P)" in aside
    assert "«Comentarios: Entidad en la que trabaja» (T)" in aside
    assert "«Hora de inicio» (B)" in aside
    assert "«Nombre» (E)" in aside  # the account's name: the form asks for the names


def test_the_english_exit_test_takes_the_account_email_and_the_question_names() -> None:
    cohort = CohortFactory()
    report = import_fixture(EXIT_EN, cohort)
    assert report.status == "committed"
    lucia = enrollment_of(cohort, "47100011")
    assert_identity(lucia, "47100011")
    assert lucia.person.email == "lhuaman@mpfn.example"
    assert lucia.role_text == "Fiscal Adjunta"
    assert scores_of(lucia) == {"post": score("17")}
    assert "«Points - Institution where you work» (S)" in columns(report, "set_aside")
    assert "«Name» (E)" in columns(report, "set_aside")
