"""What the dashboard says beside its tables and charts, in Spanish: the notes under tables
whose persons column adds up to more than the persons, and the labels of the indicator
charts. Kept apart from the views so that each note is written, and tested, once."""

from __future__ import annotations

from typing import Any

from formats.numbers import number_shown

# The tables whose rows are what a person was *at each training*: someone trained in two
# regions is one person in each row, so the persons column adds up to more than the people.
SEVERAL_VALUES = {
    "by_institution": (
        "Quien se capacitó desde varias instituciones cuenta como una persona en cada una"
    ),
    "by_role": "Quien se capacitó con varios cargos cuenta como una persona en cada uno",
    "by_region": "Quien se capacitó en varias regiones cuenta como una persona en cada una",
}

MONTHS = (
    "enero", "febrero", "marzo", "abril", "mayo", "junio",
    "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre",
)  # fmt: skip


def several_values_note(name: str, report: dict[str, Any]) -> str:
    """The note under a table where a person counts once per value they trained with; ""
    for the other tables."""
    if name not in SEVERAL_VALUES:
        return ""
    note = SEVERAL_VALUES[name]
    column = [row["unique_persons"] or 0 for row in report[name]]
    unique = report["unique_persons"]
    # With a withheld figure ("< 5", "x") in the column or the total, a sum would give the
    # withheld ones away: only the general sentence is said.
    if all(isinstance(n, int) for n in [*column, unique]) and sum(column) > unique:
        summed = sum(column)
        return (
            f"{note}: la columna de personas suma {number_shown(summed)}, más que las "
            f"{number_shown(unique)} personas distintas."
        )
    return f"{note}; la columna de personas puede sumar más que las personas distintas."


def period_label(period: str) -> str:
    """ "2024-07" as a reader says it ("julio de 2024"); anything else as written."""
    year, _, month = period.partition("-")
    if year.isdigit() and month.isdigit() and 1 <= int(month) <= 12:
        return f"{MONTHS[int(month) - 1]} de {year}"
    return period


def reported_label(rows: list[dict[str, Any]]) -> str:
    """The legend of the project's reported figures, with their period when they share one."""
    periods = {row["reported_period"] for row in rows if row.get("reported_period")}
    if len(periods) == 1:
        return f"Reportado por el proyecto ({period_label(periods.pop())})"
    return "Reportado por el proyecto"


def indicators_named(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows with a chart label of code and name: a code alone means nothing to a reader
    without the logframe at hand."""
    return [{**row, "chart_label": f"{row['code']} {row['name']}"} for row in rows]
