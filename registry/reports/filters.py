"""The filters every report accepts, parsed from a query string or the command line.

What a filter means (`ReportFilters`, `enrollments`) is `courses.participation_filters`, shared
with the follow-up waves; this module adds what only the reports need: the filters described
in Spanish for a report's readers and as a command's options.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from django.core.management.base import CommandError
from django.utils.formats import date_format
from django.utils.text import slugify

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
    "filters_slug",
]

# The sexes as a file name says them ("informe-por-region-mujeres-...").
SEX_SLUGS = {"F": "mujeres", "M": "hombres", "X": "sexo-otro", "U": "sexo-no-registrado"}
# A file name stays short enough for every system and for a reader to take in; the file's
# first lines say the filters in full.
SLUG_MAX = 60
SLUG_PART_MAX = 24


def filters_described(filters: ReportFilters) -> list[tuple[str, str]]:
    """The filters that are set, in Spanish, with names rather than ids (for a report's
    readers): [("Región", "Cusco"), ...]; dates as Peru writes them (31/12/2024)."""

    def name(model: type[Region | Institution | Course], pk: int, field: str) -> str:
        found = model.objects.filter(pk=pk).values_list(field, flat=True).first()
        return str(found) if found is not None else f"#{pk}"

    year = whole_year(filters)
    if year is not None:
        # "Año 2024" rather than two dates: how the reader chose it.
        return [
            ("Año", str(year)),
            *filters_described(replace(filters, date_from=None, date_to=None)),
        ]
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


def whole_year(filters: ReportFilters) -> int | None:
    """The calendar year the dates cover exactly (1 January to 31 December), if they do."""
    start, end = filters.date_from, filters.date_to
    if start is None or end is None or start.year != end.year:
        return None
    if (start.month, start.day, end.month, end.day) != (1, 1, 12, 31):
        return None
    return start.year


def filters_slug(filters: ReportFilters) -> str:
    """The filters in a file name: "2024-mujeres-cusco", "" for none. ASCII letters, digits
    and hyphens only, each value cut short and the whole at most SLUG_MAX characters (cut
    between two values or words)."""

    def short(text: str) -> str:
        # "ñ" spelt "ni" as in the tables' names (Table.file_slug).
        slug = slugify(text.replace("ñ", "ni").replace("Ñ", "Ni"))
        return slug[:SLUG_PART_MAX].rsplit("-", 1)[0] if len(slug) > SLUG_PART_MAX else slug

    def value(model: type[Region | Institution | Course], pk: int | None, field: str) -> str:
        if not pk:
            return ""
        found = model.objects.filter(pk=pk).values_list(field, flat=True).first()
        return short(str(found)) if found is not None else str(pk)

    year = whole_year(filters)
    parts = [
        str(year) if year is not None else "",
        f"desde-{filters.date_from.isoformat()}" if filters.date_from and year is None else "",
        f"hasta-{filters.date_to.isoformat()}" if filters.date_to and year is None else "",
        SEX_SLUGS.get(filters.sex, ""),
        value(Region, filters.region, "name"),
        value(Institution, filters.institution, "acronym"),
        value(Course, filters.course, "title"),
        short(COMPONENT_LABELS[filters.component]) if filters.component else "",
        short(filters.provider),
    ]
    slug = "-".join(part for part in parts if part)
    if len(slug) > SLUG_MAX:
        slug = slug[:SLUG_MAX].rsplit("-", 1)[0]
    return slug


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
