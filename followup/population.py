"""A wave's population: the persons whose participations the wave's filters count, each with
the attributes a stratum is made of.

The filters are the reports' (`courses.participation_filters.ReportFilters`, the person's
sex among them) plus two a survey needs: a participant output indicator the course counts
toward, and the cohort's start years. A person's institution and region are those of their latest
participation *in the population* (the post they were trained in most recently, as far as
this wave is concerned), not of some other course the filters leave out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from django.db.models import F, Q, QuerySet

from courses.filter_names import COMPONENT_LABELS
from courses.models import Course, Enrollment, Indicator, IndicatorLevel
from courses.participation_filters import FilterError, ReportFilters
from courses.sensitivity import sensitive_course_q
from participants.models import Institution, PersonStatus, Region, Sex, sex_labels

# What a missing attribute is called in a stratum's key (never an id).
MISSING_KEY = "-"
DIMENSION_LABELS = {"institution": "Institución", "sex": "Sexo", "region": "Región"}
# The wave-specific filters, beside ReportFilters' own, as the population JSON holds them.
# "sex" is ReportFilters' own; it is stored under the same name as before it was.
WAVE_FILTER_NAMES = ("indicator", "year_from", "year_to")


@dataclass(frozen=True)
class WavePopulation:
    """The filters that define a wave's population (see the module docstring)."""

    filters: ReportFilters = field(default_factory=ReportFilters)
    indicator: str = ""  # a participant output indicator's code
    year_from: int | None = None
    year_to: int | None = None

    @classmethod
    def from_params(cls, params: Mapping[str, object]) -> WavePopulation:
        """Parse the wave's stored filters (or a form's); a bad value raises FilterError."""

        def text(name: str) -> str:
            value = params.get(name)
            return "" if value is None else str(value).strip()

        filters = ReportFilters.from_params(
            {key: value for key, value in params.items() if key not in WAVE_FILTER_NAMES}
        )
        indicator = text("indicator")
        if indicator and not _output_indicators().filter(code=indicator).exists():
            raise FilterError(
                f"indicator: '{indicator}' no es un indicador de producto al que cuenten cursos."
            )
        year_from = _parse_year("year_from", text("year_from"))
        year_to = _parse_year("year_to", text("year_to"))
        if year_from and year_to and year_to < year_from:
            raise FilterError(f"year_to ({year_to}) es anterior a year_from ({year_from}).")
        return cls(filters=filters, indicator=indicator, year_from=year_from, year_to=year_to)

    def as_params(self) -> dict[str, str]:
        """The non-empty filters as the wave's `population` JSON stores them."""
        out = self.filters.as_params()
        for name in WAVE_FILTER_NAMES:
            value = getattr(self, name)
            if value not in (None, ""):
                out[name] = str(value)
        return out

    def q(self) -> Q:
        """The condition on Enrollment rows."""
        condition = self.filters.q()
        if self.indicator:
            # Through a subquery on courses: a join over the indicators would repeat an
            # enrollment once per indicator of its course.
            courses = Course.objects.filter(
                indicators__in=_output_indicators().filter(code=self.indicator)
            ).values("pk")
            condition &= Q(cohort__course_id__in=courses)
        if self.year_from:
            condition &= Q(cohort__start_date__year__gte=self.year_from)
        if self.year_to:
            condition &= Q(cohort__start_date__year__lte=self.year_to)
        return condition

    @property
    def targets_sensitive(self) -> bool:
        """Whether the filters name a sensitive course or indicator: being on such a wave's
        list says that the person took a course for survivors or groups at risk."""
        if (
            self.filters.course
            and Course.objects.filter(sensitive_course_q(), pk=self.filters.course).exists()
        ):
            return True
        return bool(
            self.indicator
            and _output_indicators().filter(code=self.indicator, sensitive=True).exists()
        )

    def described(self) -> list[tuple[str, str]]:
        """The filters that are set, in Spanish, with names rather than ids."""
        f = self.filters
        described = [
            ("Desde", f.date_from.isoformat() if f.date_from else ""),
            ("Hasta", f.date_to.isoformat() if f.date_to else ""),
            ("Región", _name(Region, f.region, "name")),
            ("Institución", _name(Institution, f.institution, "name")),
            ("Curso", _name(Course, f.course, "title")),
            ("Componente", COMPONENT_LABELS.get(f.component, f.component) if f.component else ""),
            ("Proveedor", f.provider),
            ("Sexo", sex_labels().get(f.sex, f.sex)),
            ("Indicador", self.indicator),
            ("Año de inicio desde", str(self.year_from or "")),
            ("Año de inicio hasta", str(self.year_to or "")),
        ]
        return [(label, value) for label, value in described if value]


@dataclass(frozen=True)
class PopulationPerson:
    """A person of the population and what the draw needs to know of them."""

    person_id: int
    sex: str
    institution_id: int | None
    region_id: int | None
    status: str
    birth_date: date | None

    def attribute(self, dimension: str) -> object:
        return {
            "institution": self.institution_id,
            "sex": self.sex,
            "region": self.region_id,
        }[dimension]


def population_persons(population: WavePopulation) -> list[PopulationPerson]:
    """Every person with a participation the filters count, in person-id order.

    Merged tombstones are left out (a merge moved their enrollments to the survivor);
    cancelled persons stay, so the wave can say how many it left out for that reason.
    """
    enrollments = Enrollment.objects.filter(population.q())
    if not population.targets_sensitive:
        # Only a wave that names a sensitive course reaches its participants through it (and
        # only a holder of the permission may make one, followup.waves): elsewhere those
        # participations neither bring a person in nor give them a stratum.
        enrollments = enrollments.exclude(
            cohort__course_id__in=Course.objects.filter(sensitive_course_q()).values("pk")
        )
    rows = (
        enrollments.exclude(person__status=PersonStatus.MERGED)
        .order_by("person_id", F("cohort__start_date").asc(nulls_first=True), "pk")
        .values_list(
            "person_id",
            "person__sex",
            "institution_id",
            "region_id",
            "person__status",
            "person__birth_date",
        )
    )
    latest: dict[int, PopulationPerson] = {}
    for person_id, sex, institution_id, region_id, status, birth_date in rows.iterator(
        chunk_size=5000
    ):
        # Ordered oldest first, so each later participation replaces the one before.
        latest[person_id] = PopulationPerson(
            person_id=person_id,
            sex=sex or Sex.NOT_RECORDED,
            institution_id=institution_id,
            region_id=region_id,
            status=status,
            birth_date=birth_date,
        )
    return list(latest.values())


def stratum_key(person: PopulationPerson, dimensions: list[str]) -> str:
    """ "institution=12|sex=F" (the dimensions in the wave's order); "" for no strata."""
    parts = []
    for dimension in dimensions:
        value = person.attribute(dimension)
        parts.append(f"{dimension}={MISSING_KEY if value in (None, '') else value}")
    return "|".join(parts)


def stratum_labels(keys: list[str]) -> dict[str, str]:
    """Each stratum key in Spanish, with names instead of ids ("PNP · Mujer · Cusco")."""
    parts = stratum_parts(keys)
    return {key: " · ".join(parts[key].values()) or "Toda la población" for key in keys}


def stratum_parts(keys: list[str]) -> dict[str, dict[str, str]]:
    """Each stratum key's dimensions with their values in Spanish:
    {"institution=12|sex=F": {"institution": "PNP", "sex": "Mujer"}}."""
    institutions = dict(Institution.objects.values_list("pk", "acronym"))
    regions = dict(Region.objects.values_list("pk", "name"))
    parts: dict[str, dict[str, str]] = {}
    for key in keys:
        parts[key] = {}
        for part in key.split("|") if key else []:
            dimension, value = part.split("=", 1)
            parts[key][dimension] = _value_label(dimension, value, institutions, regions)
    return parts


def _value_label(
    dimension: str, value: str, institutions: dict[int, str], regions: dict[int, str]
) -> str:
    if dimension == "sex":
        # "Sexo no registrado", not a bare "No registrado", beside a region in a stratum.
        return "Sexo no registrado" if value == Sex.NOT_RECORDED else sex_labels().get(value, value)
    if value == MISSING_KEY:
        return "Sin institución" if dimension == "institution" else "Sin región"
    names = institutions if dimension == "institution" else regions
    return names.get(int(value), f"#{value}")


def _output_indicators() -> QuerySet[Indicator]:
    return Indicator.objects.filter(level=IndicatorLevel.OUTPUT)


def _parse_year(name: str, value: str) -> int | None:
    if not value:
        return None
    if not value.isdigit() or not 1900 <= int(value) <= 2100:
        raise FilterError(f"{name}: '{value}' no es un año de cuatro cifras.")
    return int(value)


def _name(model: type[Region | Institution | Course], pk: int | None, attribute: str) -> str:
    if not pk:
        return ""
    found = model.objects.filter(pk=pk).values_list(attribute, flat=True).first()
    return str(found) if found is not None else f"#{pk}"
