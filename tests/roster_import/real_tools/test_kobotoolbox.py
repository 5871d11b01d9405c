"""KoboToolbox's XLSX export: labels or XML names (with group paths), and its own columns."""

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

EXPORTS = {
    "labels-es": "kobotoolbox/Registro y evaluación - Curso TdP Cusco - latest version - labels"
    " - 2026-05-22-21-30-02.xlsx",
    "labels-en": "kobotoolbox/Registration and tests - TIP course Cusco - latest version -"
    " English (en) - 2026-05-22-21-31-40.xlsx",
    "xml": "kobotoolbox/Registro y evaluación - Curso TdP Cusco - latest version - False"
    " - 2026-05-22-21-32-18.xlsx",
}


@pytest.mark.parametrize("export", EXPORTS.values(), ids=EXPORTS.keys())
def test_each_export_imports_every_field_and_both_scores(export: str) -> None:
    cohort = CohortFactory()
    report = import_fixture(export, cohort)
    assert report.status == "committed"
    for dni, official in OFFICIALS.items():
        enrollment = enrollment_of(cohort, dni)
        assert_identity(enrollment, dni)
        assert enrollment.role is not None
        assert enrollment.person.sex == official.sex
        expected = {"post": score(official.post)}
        if official.pre:
            expected["pre"] = score(official.pre)
        assert scores_of(enrollment) == expected
    aside = columns(report, "set_aside")
    for metadata in ("start", "end", "_id", "_uuid", "_submission_time", "_index"):
        assert any(column.startswith(f"«{metadata}» (") for column in aside), metadata
    assert columns(report, "unread") == []
    assert report.column_warnings == []


def test_the_xml_names_are_read_by_their_question() -> None:
    cohort = CohortFactory()
    report = import_fixture(EXPORTS["xml"], cohort)
    read = {item["column"]: item["field"] for item in report.columns["read"]}
    assert read["«datos_personales/dni» (F)"] == "dni"
    assert read["«datos_laborales/institucion_donde_labora» (G)"] == "institution"
    assert read["«evaluacion/puntaje_entrada» (K)"] == "pre_score"
    # Written "cusco", as an XML value: still the region Cusco.
    assert enrollment_of(cohort, "47100011").region_text == "cusco"
