"""The indicator report: the logframe's indicators beside what the registry counts.

- participant output indicators: the participations the project reported beside the
  registry's participations, unique persons and double-counting factor, in total and by
  sex, institution and region (which the evaluation could not give);
- knowledge indicators: target and published measurements beside the registry's value
  from paired tests (mean post over mean pre), its paired coverage and the persons behind it;
- survey indicators: listed as measured by survey until follow-up surveys exist.

The registry's figures come from the report cells, like every other section; the
published ones from the indicators' reference data (`registry.logframe`).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import Count, Q

from courses.models import (
    Indicator,
    IndicatorKind,
    IndicatorLevel,
    ParticipantGroup,
)
from followup.indicator_estimates import SurveyIndicatorEstimate, survey_indicator_estimates
from followup.results import threshold as suppression_threshold
from registry.reports import labels
from registry.reports.cell_sql import INDICATOR_BREAKDOWNS, KEY_SEPARATOR
from registry.reports.cellset import ReportCells, report_cells
from registry.reports.coverage import DIMENSIONS, code_order, double_counting
from registry.reports.filters import ReportFilters
from registry.reports.pre_post import pre_post_figures

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

# Keyed by an indicator's `participant_group`, a plain string on a loaded row.
GROUP_LABELS: dict[str, str] = {
    ParticipantGroup.STATE_OPERATORS: "Operadores del Estado",
    ParticipantGroup.OTHER_PARTICIPANTS: "Otros participantes",
    ParticipantGroup.WORKSHOP_PARTICIPANTS: "Talleres y conferencias (reportados aparte)",
}
SURVEY_STATUS = "Medido por encuesta: ninguna ola de seguimiento del registro lo mide todavía."
TOTAL_CODE = "Total"
TOTAL_NAME = "Indicadores de cursos (operadores del Estado y otros participantes)"
METHOD = (
    "Cifra reportada: participaciones que el proyecto reportó por indicador (evaluación "
    "final, julio de 2024). Cuenta participaciones, no personas distintas, y no cambia con "
    "los filtros.",
    "Participaciones en el registro: inscripciones de personas activas en los cursos "
    "vinculados al indicador. Un curso vinculado a varios indicadores cuenta para cada uno.",
    "Personas únicas: personas distintas del registro (tras la deduplicación) con al menos "
    "una de esas participaciones. Participaciones por persona = participaciones / personas "
    "únicas: cuánto infla contar participaciones.",
    "Personas estimadas en la cifra reportada = cifra reportada / participaciones por "
    "persona. Supone que los participantes del registro representan a los del indicador "
    "(compárese el % de lo reportado que está en el registro); solo sin filtros, porque la "
    "cifra reportada es la de todo el proyecto.",
    "Sexo, institución y región: los de la persona a la fecha de la capacitación.",
    "Incremento de conocimientos = (media del post-test / media del pre-test - 1) x 100, solo "
    "sobre inscripciones con pre-test y post-test (pares), como lo define el marco lógico. "
    "Cobertura de pares = pares / inscripciones de los cursos que miden el indicador.",
    "Los talleres y conferencias se reportaron aparte; ningún curso cuenta para ellos. Los "
    "indicadores medidos por encuesta se listan hasta que existan encuestas de seguimiento.",
)


def _number(value: Decimal | None) -> int | float | None:
    """A published value as JSON reads it: 25, 24.8."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _pct(value: float | int | None, of: float | int | None) -> float | None:
    return round(value * 100 / of, 1) if value is not None and of else None


def _estimate(reported: int | None, participations: int | None, persons: int | None) -> int | None:
    """The persons the reported figure holds if it doubles up as the registry does."""
    if not reported or not participations or persons is None:
        return None
    return round(reported * persons / participations)


class _CourseCounts(TypedDict):
    """What `_indicators` counts on each indicator."""

    n_courses: int
    n_measuring: int


def _indicators() -> list[WithAnnotations[Indicator, _CourseCounts]]:
    """The indicators this report covers, each with the number of courses linked to it."""
    covered = Q(level=IndicatorLevel.OUTPUT, participant_group__in=ParticipantGroup.values) | Q(
        level=IndicatorLevel.OUTCOME, kind__in=[IndicatorKind.KNOWLEDGE, IndicatorKind.SURVEY]
    )
    found = Indicator.objects.filter(covered).annotate(
        n_courses=Count("courses", distinct=True),
        n_measuring=Count("measuring_courses", distinct=True),
    )
    groups = ["", *ParticipantGroup.values]
    return sorted(found, key=lambda i: (groups.index(i.participant_group), code_order(i.code)))


def _described(indicator: Indicator) -> dict[str, Any]:
    return {
        "code": indicator.code,
        "name": indicator.name,
        "text": indicator.text,
        "component": labels.COMPONENT_LABELS[indicator.component],
    }


def _against_reported(
    reported: int | None, participations: int | None, persons: int | None, *, estimate: bool
) -> dict[str, Any]:
    """The reported figure beside the registry's (None where no course can count)."""
    return {
        "reported_participations": reported,
        "participations": participations,
        "unique_persons": persons,
        "double_counting_factor": double_counting(participations or 0, persons or 0),
        "registry_pct_of_reported": _pct(participations, reported),
        "estimated_persons_in_reported": (
            _estimate(reported, participations, persons) if estimate else None
        ),
    }


def _output(
    indicator: WithAnnotations[Indicator, _CourseCounts], cell: dict[str, Any], *, estimate: bool
) -> dict[str, Any]:
    counted = indicator.counts_courses
    return {
        **_described(indicator),
        "group": indicator.participant_group,
        "group_label": GROUP_LABELS[indicator.participant_group],
        "courses": indicator.n_courses,
        "reported_period": indicator.reported_period,
        **_against_reported(
            indicator.reported_participations,
            cell["participations"] if counted else None,
            cell["persons"] if counted else None,
            estimate=estimate,
        ),
    }


def _outputs_total(
    rows: list[dict[str, Any]], cells: ReportCells, *, estimate: bool
) -> dict[str, Any]:
    """The course indicators together: reported and registry participations summed as the
    evaluation summed them; persons counted once however many indicators they reach."""
    counted = [r for r in rows if r["group"] != ParticipantGroup.WORKSHOP_PARTICIPANTS]
    return {
        "code": TOTAL_CODE,
        "name": TOTAL_NAME,
        "indicators": len(counted),
        **_against_reported(
            sum(r["reported_participations"] or 0 for r in counted),
            sum(r["participations"] for r in counted),
            cells.cell("indicator_any")["persons"],
            estimate=estimate,
        ),
    }


def _breakdown(name: str, outputs: Sequence[Indicator], cells: ReportCells) -> list[dict[str, Any]]:
    """Each course indicator's participations and persons by one dimension, in indicator
    order and the largest value first."""
    position = {str(indicator.pk): n for n, indicator in enumerate(outputs)}
    codes = {str(indicator.pk): indicator.code for indicator in outputs}
    section = cells.section(f"indicator_{name}")
    split = {
        key: (indicator, value)
        for key in section
        for indicator, value in [key.split(KEY_SEPARATOR, 1)]
        if indicator in position
    }
    resolved = DIMENSIONS[name].resolve(sorted({value for _, value in split.values()}), cells)
    ranked = []
    for key, (indicator, value) in split.items():
        cell = section[key]
        shown_key, label = resolved[value]
        row = {
            "code": codes[indicator],
            "key": shown_key,
            "label": label,
            "participations": cell["participations"],
            "unique_persons": cell["persons"],
            "double_counting_factor": double_counting(cell["participations"], cell["persons"]),
        }
        ranked.append(((position[indicator], -cell["participations"], label), row))
    return [row for _, row in sorted(ranked, key=lambda item: item[0])]


def _published(indicator: Indicator) -> dict[str, Any]:
    return {
        "unit": indicator.unit,
        "baseline": _number(indicator.baseline),
        "target": _number(indicator.target),
        "mid_term": _number(indicator.mid_term),
        **{f"measurement_{n}": _number(v) for n, v in enumerate(indicator.measurements(), 1)},
        "latest_measurement": _number(indicator.latest_measurement()),
        "reference_period": indicator.reference_period,
        "achievement_pct": _number(indicator.achievement_pct),
    }


def _knowledge(
    indicator: WithAnnotations[Indicator, _CourseCounts], cells: ReportCells
) -> dict[str, Any]:
    key = str(indicator.pk)
    cell = cells.cell("knowledge", key)
    figures = pre_post_figures(cell)
    published = _published(indicator)
    return {
        **_described(indicator),
        **published,
        "courses": indicator.n_measuring,
        "registry_value": figures["knowledge_increase_pct"],
        "registry_pct_of_target": _pct(figures["knowledge_increase_pct"], published["target"]),
        "mean_pre_pct": figures["mean_pre_pct"],
        "mean_post_pct": figures["mean_post_pct"],
        "enrollments": figures["enrollments"],
        "with_both": figures["with_both"],
        "paired_coverage_pct": figures["paired_coverage_pct"],
        "persons": cell["persons"],
        "persons_paired": cells.cell("knowledge_paired", key)["persons"],
    }


def _survey_figure(value: float | None, kind: str) -> float | None:
    """A survey estimate on the indicator's own scale: a proportion in percent."""
    if value is None:
        return None
    return round(100 * value, 1) if kind == "proportion" else round(value, 2)


def _survey(indicator: Indicator, found: SurveyIndicatorEstimate | None) -> dict[str, Any]:
    """The published figures beside the registry's latest follow-up estimate, if any."""
    row = {**_described(indicator), **_published(indicator)}
    if found is None:
        return {
            **row,
            "status": SURVEY_STATUS,
            "survey_estimate": None,
            "survey_ci_lower": None,
            "survey_ci_upper": None,
            "survey_responses": None,
            "survey_wave": "",
        }
    if found.withheld:
        status = (
            f"Ola «{found.wave}»: menos de {suppression_threshold()} respuestas, "
            "la estimación no se muestra."
        )
    else:
        status = f"Ola «{found.wave}»: {found.n} respuestas" + (
            f" ({'; '.join(found.flags)})" if found.flags else ""
        )
    return {
        **row,
        "status": status,
        "survey_estimate": _survey_figure(found.estimate, found.kind),
        "survey_ci_lower": _survey_figure(found.ci_lower, found.kind),
        "survey_ci_upper": _survey_figure(found.ci_upper, found.kind),
        "survey_responses": None if found.withheld else found.n,
        "survey_wave": found.wave,
    }


def indicator_report(*, filters: ReportFilters, cells: ReportCells | None = None) -> dict[str, Any]:
    """Every participant output, knowledge and survey indicator of the logframe."""
    cells = cells or report_cells(filters)
    indicators = _indicators()
    outputs = [i for i in indicators if i.level == IndicatorLevel.OUTPUT]
    # The reported figures are the whole project's: estimated persons only without filters.
    estimate = filters.is_empty
    output_rows = [
        _output(i, cells.cell("indicator", str(i.pk)), estimate=estimate) for i in outputs
    ]
    course_outputs = [i for i in outputs if i.counts_courses]
    outcomes = [i for i in indicators if i.level == IndicatorLevel.OUTCOME]
    # The follow-up waves' estimates: the whole registry's, not the filters' (a wave has its
    # own population).
    surveyed = survey_indicator_estimates()
    return {
        "method": list(METHOD),
        "outputs": output_rows,
        "outputs_total": _outputs_total(output_rows, cells, estimate=estimate),
        **{
            f"outputs_by_{name}": _breakdown(name, course_outputs, cells)
            for name in INDICATOR_BREAKDOWNS
        },
        "knowledge": [_knowledge(i, cells) for i in outcomes if i.kind == IndicatorKind.KNOWLEDGE],
        "survey": [
            _survey(i, surveyed.get(i.pk)) for i in outcomes if i.kind == IndicatorKind.SURVEY
        ],
    }
