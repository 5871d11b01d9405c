"""Moodle's grade export: the DNI from "Número de ID", the quizzes as pre- and post-test."""

from __future__ import annotations

import pytest

from assessments.models import Score
from courses.models import Enrollment
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

SPANISH = ["moodle/TdP-CUSCO-2026 Calificaciones.csv", "moodle/TdP-CUSCO-2026 Calificaciones.xlsx"]


@pytest.mark.parametrize("export", SPANISH, ids=["csv", "xlsx"])
def test_the_spanish_export_imports_dni_names_institution_and_both_quizzes(export: str) -> None:
    cohort = CohortFactory()
    report = import_fixture(export, cohort)
    assert report.status == "committed"
    assert Enrollment.objects.filter(cohort=cohort).count() == len(OFFICIALS)
    for dni, official in OFFICIALS.items():
        enrollment = enrollment_of(cohort, dni)
        assert_identity(enrollment, dni)
        expected = {"post": score(official.post)}
        if official.pre:
            expected["pre"] = score(official.pre)
        # Decimal commas read as decimals; "-" (no grade) is no score, not a zero.
        assert scores_of(enrollment) == expected
    assert report.pre_scale == report.post_scale == 20


def test_the_dni_keeps_its_leading_zero() -> None:
    cohort = CohortFactory()
    import_fixture(SPANISH[0], cohort)
    assert enrollment_of(cohort, "04512378").person.given_names == "Rosa Elena"


def test_the_course_total_is_not_a_test_when_the_course_has_quizzes() -> None:
    cohort = CohortFactory()
    report = import_fixture(SPANISH[0], cohort)
    # Two scores per person at most, none of them the course total (14.25 for Lucía).
    assert not Score.objects.filter(enrollment__cohort=cohort, raw_score="14.25").exists()
    assert columns(report, "unread") == ["«Total del curso (Real)» (I)"]
    assert "«Última descarga de este curso» (J)" in columns(report, "set_aside")
    read = {item["column"]: item["field"] for item in report.columns["read"]}
    assert read["«Número de ID» (C)"] == "dni"
    assert read["«Cuestionario:Evaluación de entrada (Real)» (G)"] == "pre_score"
    assert read["«Cuestionario:Prueba de salida (Real)» (H)"] == "post_score"
    assert any("total del curso, no se lee como prueba" in note for note in report.columns["notes"])
    assert report.column_warnings == []


def test_the_english_export_reads_the_percentage_display_on_0_100() -> None:
    cohort = CohortFactory()
    report = import_fixture("moodle/TIP-CUSCO-2026 Grades.csv", cohort)
    assert report.status == "committed"
    lucia = enrollment_of(cohort, "47100011")
    assert_identity(lucia, "47100011")
    # "57.50 %" is 57.5 of 100: the scale is the file's, not a guess from the scores.
    assert scores_of(lucia) == {"pre": score("11.5", scale=100), "post": score("17", scale=100)}
    assert report.scale_from_file == {"pre": True, "post": True}
    assert report.pre_scale_inferred is False
    # The real display of the same quizzes is set aside, named, not silently dropped.
    assert "«Quiz: Entry test (Real)» (G)" in columns(report, "set_aside")
    assert "«Quiz: Exit test (Real)» (I)" in columns(report, "set_aside")
    assert "Escala del pre-test: 0-100 (indicada en el archivo)." in report.render_text()
