"""Google Forms quiz responses: each question's title as header, "14 / 20" scores."""

from __future__ import annotations

import pytest

from courses.models import Enrollment
from participants.models import Person
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

EXIT_ES = (
    "google_forms/Prueba de salida - Curso de trata de personas (respuestas)"
    " - Respuestas de formulario 1.csv"
)
ENTRY_EN = (
    "google_forms/Entry test - Trafficking in persons course (Responses) - Form Responses 1.csv"
)


def test_the_spanish_exit_test_imports_names_given_first_institution_role_and_score() -> None:
    cohort = CohortFactory()
    report = import_fixture(EXIT_ES, cohort)
    assert report.status == "committed"
    for dni, official in OFFICIALS.items():
        enrollment = enrollment_of(cohort, dni)
        # "Miguel Ángel Flores Chávez" in one cell: given names first, two surnames last.
        assert_identity(enrollment, dni)
        assert enrollment.role_text == official.role
        assert enrollment.role is not None
        assert enrollment.person.sex == official.sex
        # "17 / 20": the score and its scale; the file's name says it is the exit test.
        assert scores_of(enrollment) == {"post": score(official.post)}
    assert report.post_scale == 20
    assert report.scale_from_file["post"] is True
    assert columns(report, "set_aside") == ["«Marca temporal» (A)"]
    # The quiz's questions are listed as unread: their answers are not fields.
    assert len(columns(report, "unread")) == 2


def test_the_english_entry_test_is_the_pre_test() -> None:
    cohort = CohortFactory()
    report = import_fixture(ENTRY_EN, cohort)
    assert report.status == "committed"
    lucia = enrollment_of(cohort, "47100011")
    assert_identity(lucia, "47100011")
    assert lucia.role_text == "Fiscal Adjunta"
    assert scores_of(lucia) == {"pre": score("11.5")}
    assert (
        "«Score» (C) se lee como pre-test: así lo dice el nombre del archivo."
        in (report.columns["notes"])
    )


def test_both_files_give_each_person_a_pre_and_a_post_test() -> None:
    cohort = CohortFactory()
    import_fixture(ENTRY_EN, cohort)
    import_fixture(EXIT_ES, cohort)
    # Linked by DNI: six people, not eleven.
    assert Person.objects.count() == len(OFFICIALS)
    assert Enrollment.objects.filter(cohort=cohort).count() == len(OFFICIALS)
    carmen = enrollment_of(cohort, "41928374")
    assert scores_of(carmen) == {"pre": score("8.5"), "post": score("15")}
    assert scores_of(enrollment_of(cohort, "45263718")) == {"post": score("14")}


def test_a_score_column_that_no_name_places_is_not_read_and_the_user_is_warned() -> None:
    cohort = CohortFactory()
    report = import_fixture(EXIT_ES, cohort, dry_run=True, file_name="respuestas.csv")
    assert report.pre_scale is None
    assert report.post_scale is None
    assert "«Puntuación» (C)" in columns(report, "unread")
    assert len(report.column_warnings) == 1
    warning = report.column_warnings[0]
    assert "«Puntuación» (C)" in warning
    assert "no se leyó ninguna nota" in warning
    assert "Atención: El archivo tiene columnas que parecen notas" in report.render_text()
