"""The report's tables: their columns and rows, shared by the dashboard and the downloads."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.text import slugify

from courses.models import ParticipantGroup
from participants.masking import spellings_masked
from registry.reports.coverage import DIMENSIONS
from spreadsheets import sheet_title


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    numeric: bool = True
    on_page: bool = True  # False: in the downloads only (a long text the page leaves out)
    css: str = ""  # a class for the page's cells: "code" (kept on one line), "long-text"


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    columns: tuple[Column, ...]
    rows: Callable[[dict[str, Any]], list[dict[str, Any]]]
    section: str  # the report section (selectors.SECTIONS) the rows come from
    # Spanish names for the downloads; by default derived from the title.
    slug: str = ""
    sheet: str = ""

    @property
    def file_slug(self) -> str:
        """The download's name: informe-<file_slug>-<date>.csv."""
        # "ñ" spelt "ni" as Peruvians do without the letter: "año" must not become "ano".
        return self.slug or slugify(self.title.replace("ñ", "ni"))

    @property
    def sheet_name(self) -> str:
        return sheet_title(self.sheet or self.title)


def _rows_at(*keys: str) -> Callable[[dict[str, Any]], list[dict[str, Any]]]:
    """A table's `rows`: the report's rows under these keys (one per level), for tables
    built in a loop, where each must keep its own keys."""

    def rows(report: dict[str, Any]) -> list[dict[str, Any]]:
        found: Any = report
        for key in keys:
            found = found[key]
        return found

    return rows


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


def _output_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The course indicators, their total, then the workshops reported apart."""
    section = report["indicators"]
    workshops = ParticipantGroup.WORKSHOP_PARTICIPANTS
    return [
        *(row for row in section["outputs"] if row["group"] != workshops),
        section["outputs_total"],
        *(row for row in section["outputs"] if row["group"] == workshops),
    ]


CODE = Column("code", "Código", numeric=False, css="code")
NAME = Column("name", "Indicador", numeric=False, css="long-text")
TEXT = Column("text", "Texto original (inglés)", numeric=False, on_page=False)
REGISTRY_COLUMNS = (
    Column("participations", "Participaciones en el registro"),
    Column("unique_persons", "Personas únicas en el registro"),
    Column("double_counting_factor", "Participaciones por persona"),
)
PUBLISHED_COLUMNS = (
    Column("baseline", "Línea de base"),
    Column("mid_term", "Medio término"),
    *(Column(f"measurement_{n}", f"Medición {n}") for n in range(1, 5)),
    Column("reference_period", "Periodo de la última medición", numeric=False),
    Column("achievement_pct", "Logro publicado (% de la meta)"),
)
INDICATOR_TABLES = [
    Table(
        "indicators",
        "Indicadores de producto: participaciones reportadas y personas únicas",
        (
            CODE,
            NAME,
            TEXT,
            Column("reported_participations", "Participaciones reportadas (jul. 2024)"),
            *REGISTRY_COLUMNS,
            Column("registry_pct_of_reported", "% de lo reportado que está en el registro"),
            Column("estimated_persons_in_reported", "Personas estimadas en lo reportado"),
            Column("group_label", "Grupo", numeric=False),
            Column("courses", "Cursos vinculados"),
        ),
        _output_rows,
        "indicators",
        slug="indicadores-producto",
        sheet="Producto",
    ),
    *(
        Table(
            f"indicators_by_{name}",
            f"Indicadores de producto por {title.lower()}",
            (
                Column("code", "Indicador", numeric=False, css="code"),
                Column("label", title, numeric=False),
                *REGISTRY_COLUMNS,
            ),
            _rows_at("indicators", f"outputs_by_{name}"),
            "indicators",
            slug=f"indicadores-producto-por-{slugify(title)}",
            sheet=f"Producto por {title.lower()}",
        )
        for name, title in (("sex", "Sexo"), ("institution", "Institución"), ("region", "Región"))
    ),
    Table(
        "indicators_knowledge",
        "Indicadores de incremento de conocimientos (pre-test y post-test)",
        (
            CODE,
            NAME,
            TEXT,
            Column("target", "Meta %"),
            Column("latest_measurement", "Última medición publicada %"),
            Column("registry_value", "Registro: incremento de conocimientos %"),
            Column("paired_coverage_pct", "Cobertura de pares %"),
            Column("with_both", "Pares (pre y post)"),
            Column("persons_paired", "Personas con pares"),
            Column("registry_pct_of_target", "Registro: % de la meta"),
            Column("mean_pre_pct", "Media pre %"),
            Column("mean_post_pct", "Media post %"),
            Column("enrollments", "Inscripciones"),
            Column("courses", "Cursos que lo miden"),
            *PUBLISHED_COLUMNS,
        ),
        lambda report: report["indicators"]["knowledge"],
        "indicators",
        slug="indicadores-conocimiento",
        sheet="Conocimiento",
    ),
    Table(
        "indicators_survey",
        "Indicadores medidos por encuesta",
        (
            CODE,
            NAME,
            TEXT,
            Column("baseline", "Línea de base"),
            Column("target", "Meta"),
            Column("latest_measurement", "Última medición publicada"),
            Column("reference_period", "Periodo de la última medición", numeric=False),
            Column("survey_estimate", "Estimación del registro"),
            Column("survey_ci_lower", "IC 95 %: desde"),
            Column("survey_ci_upper", "IC 95 %: hasta"),
            Column("survey_responses", "Respuestas"),
            Column("status", "En el registro", numeric=False, css="long-text"),
        ),
        lambda report: report["indicators"]["survey"],
        "indicators",
        slug="indicadores-encuesta",
        sheet="Encuesta",
    ),
]


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
            slug="resumen",
        )
    ]
    tables += [
        Table(
            f"by_{name}",
            f"Por {dimension.title.lower()}",
            (Column("label", dimension.title, numeric=False), *COVERAGE_COLUMNS[1:]),
            _rows_at(f"by_{name}"),
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
            slug="secuencias-de-cursos",
            sheet="Secuencias de cursos",
        ),
        Table(
            "pre_post_overall",
            "Pre/post-test: total",
            PRE_POST_COLUMNS,
            lambda report: [report["pre_post"]["overall"]],
            "pre_post",
            slug="pre-post-total",
            sheet="Pre-post total",
        ),
    ]
    pre_post_groups = (
        ("course", "Curso"),
        ("cohort", "Cohorte"),
        ("knowledge", "Indicador de conocimiento"),
    )
    for group, title in pre_post_groups:
        short = title.split()[0].lower()  # "indicador": the sheet name stays short
        tables.append(
            Table(
                f"pre_post_by_{group}",
                f"Pre/post-test por {title.lower()}",
                (Column("label", title, numeric=False), *PRE_POST_COLUMNS),
                _rows_at("pre_post", f"by_{group}"),
                "pre_post",
                slug=f"pre-post-por-{slugify(short)}",
                sheet=f"Pre-post por {short}",
            )
        )
    tables += [
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
            slug="completitud",
        ),
        Table(
            "unmapped_spellings",
            "Grafías sin mapear (para un administrador)",
            (
                Column("label", "Vocabulario", numeric=False),
                Column("spelling", "Grafía", numeric=False),
                Column("enrollments", "Inscripciones"),
            ),
            # Masked: a partner may have typed a person's name or DNI into the cell.
            lambda report: spellings_masked(report["completeness"]["unmapped_spellings"]),
            "completeness",
            slug="grafias-sin-mapear",
            sheet="Grafías sin mapear",
        ),
    ]
    tables += INDICATOR_TABLES
    return {table.name: table for table in tables}


TABLES: dict[str, Table] = _build()
