"""The filters every report accepts, parsed from a query string or the command line.

What a filter means (`ReportFilters`, `enrollments`) is `courses.participation_filters`, shared
with the follow-up waves; this module adds what only the reports need: the filters described
in Spanish for a report's readers and as a command's options.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.management.base import CommandError
from django.utils.formats import date_format

from courses.models import Course
from courses.participation_filters import FilterError, ReportFilters, enrollments
from participants.models import Institution, Region, sex_labels
from registry.reports.labels import COMPONENT_LABELS

__all__ = [
    "FilterError",
    "ReportFilters",
    "add_filter_arguments",
    "enrollments",
    "filters_described",
    "filters_from_options",
]


def filters_described(filters: ReportFilters) -> list[tuple[str, str]]:
    """The filters that are set, in Spanish, with names rather than ids (for a report's
    readers): [("Región", "Cusco"), ...]; dates as Peru writes them (31/12/2024)."""

    def name(model: type[Region | Institution | Course], pk: int, field: str) -> str:
        found = model.objects.filter(pk=pk).values_list(field, flat=True).first()
        return str(found) if found is not None else f"#{pk}"

    described = [
        ("Desde", filters.date_from and date_format(filters.date_from, "SHORT_DATE_FORMAT")),
        ("Hasta", filters.date_to and date_format(filters.date_to, "SHORT_DATE_FORMAT")),
        ("Región", filters.region and name(Region, filters.region, "name")),
        ("Institución", filters.institution and name(Institution, filters.institution, "name")),
        ("Curso", filters.course and name(Course, filters.course, "title")),
        ("Componente", filters.component and COMPONENT_LABELS[filters.component]),
        ("Proveedor", filters.provider),
        ("Sexo", filters.sex and sex_labels().get(filters.sex, filters.sex)),
    ]
    return [(label, value) for label, value in described if value]


def filters_from_options(options: Mapping[str, object]) -> ReportFilters:
    """The filters a report command was given (`add_filter_arguments`); a value that
    cannot be understood ends the command with the filter's message."""
    try:
        return ReportFilters.from_params(options, by_code=True)
    except FilterError as error:
        raise CommandError(str(error)) from error


def add_filter_arguments(parser: Any) -> None:
    """The dashboard's filters as command-line options (shared by the report commands)."""
    parser.add_argument("--date-from", dest="date_from", metavar="AAAA-MM-DD")
    parser.add_argument("--date-to", dest="date_to", metavar="AAAA-MM-DD")
    parser.add_argument(
        "--year", metavar="AAAA", help="el año calendario entero (no con --date-from/--date-to)"
    )
    parser.add_argument("--region", help="código, nombre o alias de la región (p. ej. Cuzco)")
    parser.add_argument("--institution", help="sigla, nombre o alias de la institución")
    parser.add_argument("--course", help="título o id del curso")
    parser.add_argument(
        "--component", help="prosecution, protection o prevention (o Persecución, ...)"
    )
    parser.add_argument("--provider")
    parser.add_argument("--sex", help="F, M, X o U (o Mujer, Hombre, Otro, No registrado)")
