"""Which participations count: the filters every report and every follow-up wave accept.

Parsed from a query string or the command line (`ReportFilters.from_params`), applied to
enrollments (`ReportFilters.q`, `enrollments`). They live here, below the reports and the
follow-up, because both ask the same question of the same rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date
from urllib.parse import urlencode

from django.db.models import Q, QuerySet

from courses.filter_names import component_code, filter_choices, filter_value_id
from courses.models import Component, Course, Enrollment
from participants.models import Institution, Person, PersonStatus, Region, Sex, sex_labels


class FilterError(ValueError):
    """A filter value that cannot be understood; the message names the filter and the value."""


@dataclass(frozen=True)
class ReportFilters:
    """Which participations a report counts.

    Dates apply to the cohort's start date (a participation belongs to the year its course
    started). Region and institution are those of the participant *as at the training*
    (the enrollment's), not where the course was held. Sex is the person's (a Person.sex
    code, "U" for not recorded).

    A year is not a filter of its own: `year` in the parameters means its whole calendar
    year as dates, which is the stored "year" slice of the report cells.
    """

    date_from: date | None = None
    date_to: date | None = None
    region: int | None = None
    institution: int | None = None
    course: int | None = None
    component: str = ""
    provider: str = ""
    sex: str = ""

    @classmethod
    def from_params(cls, params: Mapping[str, object], *, by_code: bool = False) -> ReportFilters:
        """Parse GET parameters (vocabulary ids) or, with `by_code`, command-line options.

        On the command line a region is named by its code or name, an institution by its
        acronym and a course by its title (or any of them by id). Empty values mean "no
        filter".
        """

        def text(name: str) -> str:
            value = params.get(name)
            return "" if value is None else str(value).strip()

        date_from = _parse_date("date_from", text("date_from"))
        date_to = _parse_date("date_to", text("date_to"))
        year = _parse_year("year", text("year"))
        if year is not None:
            if date_from or date_to:
                raise FilterError(
                    f"year: el año {year} no se puede combinar con date_from ni date_to; "
                    "use el año o las fechas."
                )
            date_from, date_to = date(year, 1, 1), date(year, 12, 31)
        if date_from and date_to and date_to < date_from:
            raise FilterError(
                f"date_to ({date_to.isoformat()}) es anterior a "
                f"date_from ({date_from.isoformat()})."
            )
        component = text("component")
        if by_code and component:
            component = component_code(component)  # "Protección" or "proteccion" too
        if component and component not in Component.values:
            raise FilterError(
                f"component: '{component}' no es un componente; use uno de "
                f"{', '.join(Component.values)}."
            )
        return cls(
            sex=_parse_sex(text("sex"), by_code),
            date_from=date_from,
            date_to=date_to,
            region=_lookup("region", text("region"), Region, by_code, "code", "name"),
            institution=_lookup(
                "institution", text("institution"), Institution, by_code, "acronym"
            ),
            course=_lookup("course", text("course"), Course, by_code, "title"),
            component=component,
            provider=text("provider"),
        )

    @property
    def is_empty(self) -> bool:
        return self == ReportFilters()

    def as_params(self) -> dict[str, str]:
        """The non-empty filters as query-string values (ids for the vocabularies)."""
        out: dict[str, str] = {}
        for field in fields(self):
            value = getattr(self, field.name)
            if value in (None, ""):
                continue
            out[field.name] = value.isoformat() if isinstance(value, date) else str(value)
        return out

    def querystring(self) -> str:
        return urlencode(self.as_params())

    def q(self) -> Q:
        """The condition on Enrollment rows."""
        condition = Q()
        if self.date_from:
            condition &= Q(cohort__start_date__gte=self.date_from)
        if self.date_to:
            condition &= Q(cohort__start_date__lte=self.date_to)
        if self.region:
            condition &= Q(region_id=self.region)
        if self.institution:
            condition &= Q(institution_id=self.institution)
        if self.course:
            condition &= Q(cohort__course_id=self.course)
        if self.component:
            condition &= Q(cohort__course__component=self.component)
        if self.provider:
            condition &= Q(cohort__course__provider=self.provider)
        if self.sex:
            condition &= Q(person__sex=self.sex)
        return condition


def enrollments(filters: ReportFilters) -> QuerySet[Enrollment]:
    """Participations of persons who count: active ones.

    Merged persons' enrollments were moved to the survivor by the merge, and cancelled
    persons vanish from every person-level figure, so only active persons remain.
    """
    # "Not one of the few inactive persons" rather than a join to every person: the inactive
    # ones are a short list read through the status index, so the database checks each
    # enrollment against a small hashed set instead of joining a million persons.
    # Listing the inactive statuses (not "!= active") lets the status index find them.
    inactive_statuses = [status for status in PersonStatus.values if status != PersonStatus.ACTIVE]
    inactive = Person.objects.filter(status__in=inactive_statuses).values("pk")
    return Enrollment.objects.filter(filters.q()).exclude(person_id__in=inactive)


def _parse_date(name: str, value: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise FilterError(f"{name}: '{value}' no es una fecha AAAA-MM-DD.") from None


def _parse_year(name: str, value: str) -> int | None:
    if not value:
        return None
    if not value.isdigit() or not 1900 <= int(value) <= 2100:
        raise FilterError(f"{name}: '{value}' no es un año de cuatro cifras.")
    return int(value)


def _parse_sex(value: str, by_code: bool) -> str:
    """A Person.sex code; on the command line its label ("mujer") too."""
    if not value:
        return ""
    if by_code:
        by_label = {label.casefold(): code for code, label in sex_labels().items()}
        value = by_label.get(value.casefold(), value)
    code = value.upper()
    if code not in Sex.values:
        raise FilterError(f"sex: '{value}' no es un sexo; use uno de {', '.join(Sex.values)}.")
    return code


def _lookup(
    name: str,
    value: str,
    model: type[Region | Institution | Course],
    by_code: bool,
    *text_fields: str,
) -> int | None:
    """The id of the entry named by `value`.

    Codes are tried before ids on the command line because region codes are digits too;
    there any name, code or alias is accepted in any case, with or without accents.
    """
    if not value:
        return None
    if by_code:
        found = filter_value_id(name=name, value=value)
        if found is not None:
            return found
    if value.isdigit() and model.objects.filter(pk=int(value)).exists():
        return int(value)
    if by_code:
        raise FilterError(
            f"{name}: no se encontró '{value}'. Valores válidos: {filter_choices(name)}."
        )
    raise FilterError(f"{name}: no se encontró '{value}'.")
