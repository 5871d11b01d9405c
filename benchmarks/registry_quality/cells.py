"""The cells of one roster row: a person as this partner (or tool) writes them, in this file
type. A tool's export writes what its users typed: a Moodle account's names, a form's
answers; scores as the tool formats them."""

from __future__ import annotations

import random
from typing import Any

from unidecode import unidecode

from .catalog import REGIONS
from .layouts import Layout
from .people import Job, Person, institutional_email
from .spelling import (
    Names,
    RosterStyle,
    row_style,
    spell_account_email,
    spell_dni,
    spell_email,
    spell_names,
    spell_phone,
    spell_scores,
    spell_sex,
)

# Moodle users put all sorts of things in their profile's "Departamento".
_MOODLE_DEPARTMENTS = ("Área de Trata", "Unidad de Protección", "Oficina Regional", "Sede Central")


def _region_text(region: str, rng: random.Random) -> str:
    forms = next((forms for name, _, forms in REGIONS if name == region), (region,))
    return rng.choice(forms)


def _cased(text: str, style: RosterStyle) -> str:
    if style.case == "upper":
        return (text if style.accents else unidecode(text)).upper()
    return text if style.accents else unidecode(text)


def _number_cell(value: str, layout: Layout, style: RosterStyle) -> Any:
    """A DNI or phone as the file holds it: spreadsheets typed as numbers drop leading zeros."""
    if not (style.dni_as_number and value.isdigit()):
        return value
    return int(value) if layout.extension == "xlsx" else value.lstrip("0") or "0"


def _score_cell(value: float | None, layout: Layout, style: RosterStyle) -> Any:
    if layout.tool == "moodle":  # "14,50"; "-" when there is no grade
        return "-" if value is None else f"{value:.2f}".replace(".", ",")
    if layout.tool == "forms":  # a quiz's points: "14 / 20"
        return "" if value is None else f"{round(value)} / {style.scale}"
    if value is None:
        return ""
    number: float | int = int(value) if float(value).is_integer() else value
    if layout.extension == "xlsx":
        return number
    text = str(number)
    return text.replace(".", ",") if style.decimal_comma else text


def _moodle_total(pre: float | None, post: float | None) -> Any:
    """The course total of a "Natural" aggregation: the sum of the grades there are."""
    grades = [grade for grade in (pre, post) if grade is not None]
    return "-" if not grades else f"{sum(grades):.2f}".replace(".", ",")


def _department(region: str, style: RosterStyle, rng: random.Random) -> str:
    """What a Moodle user wrote as "Departamento": Peru's department (the region), mostly."""
    draw = rng.random()
    if draw < 0.7:
        return region
    return "" if draw < 0.9 else _cased(rng.choice(_MOODLE_DEPARTMENTS), style)


def _tool_names(names: Names, surnames: str, layout: Layout, rng: random.Random) -> dict[str, str]:
    """The name cells people fill in themselves: Moodle's two fields, a form's one answer."""
    if layout.tool == "moodle":
        if rng.random() < 0.02:  # the two fields filled the wrong way round
            return {"given": surnames, "surnames": names.given}
        return {"given": names.given, "surnames": surnames}
    draw = rng.random()
    if draw < 0.04:  # surnames first all the same, the roster habit
        return {"given_first": f"{surnames} {names.given}"}
    if draw < 0.05:
        return {"given_first": f"{surnames}, {names.given}"}
    return {"given_first": f"{names.given} {surnames}"}


def row_values(
    rng: random.Random,
    *,
    layout: Layout,
    style: RosterStyle,
    person: Person,
    job: Job,
    duplicate: bool,
    colleague: Person,
    emails: set[str],
) -> dict[str, Any]:
    """Field -> cell of one person's row (a repeated row more often lacks the DNI), and
    "spelled": the (given, paternal, maternal) names the row means."""
    style = row_style(style, rng)
    names = spell_names(person, style, rng)
    dni = "" if duplicate and rng.random() < 0.5 else spell_dni(person, style, rng)
    institutional = institutional_email(person, job.institution, emails)
    colleague_email = colleague.personal_email if colleague is not person else ""
    maternal = "" if names.maternal == "-" else names.maternal
    surnames = f"{names.paternal} {maternal}".strip()
    full = f"{surnames}, {names.given}" if style.full_name_comma else f"{surnames} {names.given}"
    pre, post = spell_scores(style, rng)
    if layout.tool:
        email = spell_account_email(person, job, institutional, rng, shared=layout.tool == "forms")
    else:
        email = spell_email(person, job, institutional, colleague_email, rng)
    region = _cased(_region_text(job.region, rng), style)
    values = {
        "paternal": names.paternal,
        "maternal": names.maternal,
        "given": names.given,
        "surnames": surnames,
        "full_name": full,
        "dni": _number_cell(dni, layout, style),
        "sex": spell_sex(person, style, rng),
        "institution": _cased(rng.choice(job.institution.labels), style),
        "role": _cased(job.role, style),
        "region": region,
        "department": _department(region, style, rng) if layout.tool == "moodle" else "",
        "email": email,
        "phone": _number_cell(
            spell_phone(person, colleague.phones[0] if colleague is not person else "", rng),
            layout,
            style,
        ),
        "pre": _score_cell(pre, layout, style),
        "post": _score_cell(post, layout, style),
        "total": _moodle_total(pre, post),
        "spelled": (names.given, names.paternal, maternal),
    }
    if layout.tool:
        values |= _tool_names(names, surnames, layout, rng)
    return values
