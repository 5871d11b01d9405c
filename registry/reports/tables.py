"""The report's tables: their columns and rows, shared by the dashboard and the downloads."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from registry.reports.coverage import DIMENSIONS


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    numeric: bool = True


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    columns: tuple[Column, ...]
    rows: Callable[[dict[str, Any]], list[dict[str, Any]]]
    section: str  # the report section (selectors.SECTIONS) the rows come from


COVERAGE_COLUMNS = (
    Column("label", "Valor", numeric=False),
    Column("participations", "Participaciones"),
    Column("unique_persons", "Personas únicas"),
    Column("double_counting_factor", "Participaciones por persona"),
)
PRE_POST_COLUMNS = (
    Column("enrollments", "Inscripciones"),
    Column("with_pre", "Con pre-test"),
    Column("with_post", "Con post-test"),
    Column("with_both", "Con ambos (pares)"),
    Column("paired_coverage_pct", "Cobertura de pares %"),
    Column("mean_pre_pct", "Media pre %"),
    Column("mean_post_pct", "Media post %"),
    Column("knowledge_increase_pct", "Incremento de conocimientos %"),
    Column("mean_gain_points", "Ganancia media (puntos)"),
    Column("improved_pct", "Mejoraron %"),
    Column("normalised_gain", "Ganancia normalizada"),
)


def _summary(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"label": "Participaciones (personas activas)", "value": report["participations"]},
        {
            "label": "Participaciones incluidas personas canceladas (total anonimizado)",
            "value": report["participations_including_cancelled"],
        },
        {"label": "Personas únicas (enlaces automáticos)", "value": report["unique_persons"]},
        {
            "label": "Personas únicas si se confirmaran todos los pares pendientes",
            "value": report["unique_persons_if_reviews_confirmed"],
        },
        {"label": "Participaciones por persona", "value": report["double_counting_factor"]},
    ]


def _build() -> dict[str, Table]:
    tables = [
        Table(
            "summary",
            "Resumen",
            (Column("label", "Cifra", numeric=False), Column("value", "Valor")),
            _summary,
            "totals",
        )
    ]
    tables += [
        Table(
            f"by_{name}",
            f"Por {dimension.title.lower()}",
            (Column("label", dimension.title, numeric=False), *COVERAGE_COLUMNS[1:]),
            lambda report, name=name: report[f"by_{name}"],
            f"by_{name}",
        )
        for name, dimension in DIMENSIONS.items()
    ]
    tables += [
        Table(
            "repeat_participation",
            "Participación repetida",
            (
                Column("courses", "Cursos distintos", numeric=False),
                Column("persons", "Personas"),
                Column("share_pct", "% de personas"),
            ),
            lambda report: report["repeat_participation"],
            "repeat_participation",
        ),
        Table(
            "course_sequences",
            "Secuencias de cursos más comunes",
            (Column("sequence", "Secuencia", numeric=False), Column("persons", "Personas")),
            lambda report: report["course_sequences"],
            "course_sequences",
        ),
        Table(
            "pre_post_overall",
            "Pre/post-test: total",
            PRE_POST_COLUMNS,
            lambda report: [report["pre_post"]["overall"]],
            "pre_post",
        ),
    ]
    for group, title in (("course", "Curso"), ("cohort", "Cohorte"), ("indicator", "Indicador")):
        tables.append(
            Table(
                f"pre_post_by_{group}",
                f"Pre/post-test por {title.lower()}",
                (Column("label", title, numeric=False), *PRE_POST_COLUMNS),
                lambda report, group=group: report["pre_post"][f"by_{group}"],
                "pre_post",
            )
        )
    tables += [
        Table(
            "indicators",
            "Indicadores del marco lógico",
            (
                Column("code", "Indicador", numeric=False),
                Column("description", "Descripción", numeric=False),
                Column("participations", "Participaciones (como se reportaba)"),
                Column("unique_persons", "Personas únicas"),
                Column("target", "Meta (personas)"),
                Column("participations_pct_of_target", "% de la meta (participaciones)"),
                Column("unique_pct_of_target", "% de la meta (personas únicas)"),
            ),
            lambda report: report["indicators"],
            "indicators",
        ),
        Table(
            "completeness",
            "Completitud de los datos",
            (
                Column("label", "Dato", numeric=False),
                Column("persons_pct", "% de personas"),
                Column("enrollments_pct", "% de inscripciones (mapeado)"),
                Column("enrollments_unmapped_pct", "% de inscripciones (escrito, sin mapear)"),
            ),
            lambda report: report["completeness"]["fields"],
            "completeness",
        ),
        Table(
            "unmapped_spellings",
            "Grafías sin mapear (para un administrador)",
            (
                Column("label", "Vocabulario", numeric=False),
                Column("spelling", "Grafía", numeric=False),
                Column("enrollments", "Inscripciones"),
            ),
            lambda report: report["completeness"]["unmapped_spellings"],
            "completeness",
        ),
    ]
    return {table.name: table for table in tables}


TABLES: dict[str, Table] = _build()
