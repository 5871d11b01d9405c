"""Importing the real tools' exports of fixtures/rosters/real_tools through `roster_import`.

The expected values are written here by hand, from the people the exports describe (the
same six officials in every file), not taken from the script that wrote the files.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings

from courses.models import Cohort, Enrollment
from intake.roster_import import roster_import
from intake.roster_import.report import ImportReport

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "rosters" / "real_tools"


@dataclass(frozen=True)
class Official:
    given: str
    paternal: str
    maternal: str
    institution: str  # as written, and the vocabulary's acronym it maps to
    institution_acronym: str
    role: str
    region: str
    sex: str
    pre: str  # out of 20; "" when the official did not take the entry test
    post: str


OFFICIALS = {
    "47100011": Official(
        "Lucía",
        "Huamán",
        "Rojas",
        "Ministerio Público - Fiscalía de la Nación",
        "MP",
        "Fiscal Adjunta",
        "Cusco",
        "F",
        "11.5",
        "17",
    ),
    "40781234": Official(
        "Juan Carlos",
        "Quispe",
        "Mamani",
        "Policía Nacional del Perú",
        "PNP",
        "Suboficial PNP",
        "Puno",
        "M",
        "9",
        "15.5",
    ),
    "04512378": Official(
        "Rosa Elena",
        "Condori",
        "Flores",
        "Centro Emergencia Mujer",
        "CEM",
        "Psicóloga",
        "Puno",
        "F",
        "12",
        "16",
    ),
    "45263718": Official(
        "Miguel Ángel",
        "Flores",
        "Chávez",
        "Poder Judicial",
        "PJ",
        "Especialista Judicial",
        "Cusco",
        "M",
        "",
        "14",
    ),
    "41928374": Official(
        "Carmen Rosa",
        "Torres",
        "Vargas",
        "Ministerio de la Mujer y Poblaciones Vulnerables",
        "MIMP",
        "Trabajadora Social",
        "Cusco",
        "F",
        "8.5",
        "15",
    ),
    "43817265": Official(
        "Percy",
        "Mamani",
        "Ticona",
        "Superintendencia Nacional de Migraciones",
        "MIGRACIONES",
        "Inspector de Migraciones",
        "Puno",
        "M",
        "10",
        "18",
    ),
}


def import_fixture(
    relative: str, cohort: Cohort, *, file_name: str = "", **options: object
) -> ImportReport:
    """Import one export of the folder (under another `file_name`, if given)."""
    path = FIXTURES / relative
    return roster_import(
        file=path.read_bytes(),
        file_name=file_name or path.name,
        cohort=cohort,
        **options,  # type: ignore[arg-type]
    )


def enrollment_of(cohort: Cohort, dni: str) -> Enrollment:
    return Enrollment.objects.select_related("person", "institution", "role", "region").get(
        cohort=cohort, person__document_number=dni
    )


def scores_of(enrollment: Enrollment) -> dict[str, tuple[Decimal, Decimal]]:
    """Phase -> (score as stored, maximum of its scale)."""
    return {score.phase: (score.raw_score, score.scale_max) for score in enrollment.scores.all()}


def score(value: str, *, scale: int = 20) -> tuple[Decimal, Decimal]:
    """An official's score (out of 20) as stored on `scale`."""
    return (Decimal(value) * scale / 20).quantize(Decimal("0.01")), Decimal(scale)


def assert_identity(enrollment: Enrollment, dni: str, *, names: bool = True) -> None:
    """DNI, names and the institution, role and region at the training, as the export says."""
    expected = OFFICIALS[dni]
    person = enrollment.person
    assert person.document_number == dni
    if names:
        assert (person.given_names, person.paternal_surname, person.maternal_surname) == (
            expected.given,
            expected.paternal,
            expected.maternal,
        )
    assert enrollment.institution_text == expected.institution
    assert enrollment.institution is not None
    assert enrollment.institution.acronym == expected.institution_acronym
    assert enrollment.region is not None
    assert enrollment.region.name == expected.region


def columns(report: ImportReport, kind: str) -> list[str]:
    """The columns of the report's `kind` ("read", "unread"), or all set aside."""
    if kind == "set_aside":
        return [column for group in report.columns["set_aside"] for column in group["columns"]]
    return [item["column"] for item in report.columns[kind]]
