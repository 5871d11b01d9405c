"""The cells of one roster row: a person as this partner writes them, in this file type."""

from __future__ import annotations

import random
from typing import Any

from unidecode import unidecode

from .catalog import REGIONS
from .layouts import Layout
from .people import Job, Person, institutional_email
from .spelling import (
    RosterStyle,
    spell_dni,
    spell_email,
    spell_names,
    spell_phone,
    spell_scores,
    spell_sex,
)


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
    if value is None:
        return ""
    number: float | int = int(value) if float(value).is_integer() else value
    if layout.extension == "xlsx":
        return number
    text = str(number)
    return text.replace(".", ",") if style.decimal_comma else text


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
    """Field -> cell of one person's row (a repeated row more often lacks the DNI)."""
    names = spell_names(person, style, rng)
    dni = "" if duplicate and rng.random() < 0.5 else spell_dni(person, style, rng)
    institutional = institutional_email(person, job.institution, emails)
    colleague_email = colleague.personal_email if colleague is not person else ""
    maternal = "" if names.maternal == "-" else names.maternal
    surnames = f"{names.paternal} {maternal}".strip()
    full = f"{surnames}, {names.given}" if style.full_name_comma else f"{surnames} {names.given}"
    pre, post = spell_scores(style, rng)
    return {
        "paternal": names.paternal,
        "maternal": names.maternal,
        "given": names.given,
        "surnames": surnames,
        "full_name": full,
        "dni": _number_cell(dni, layout, style),
        "sex": spell_sex(person, style, rng),
        "institution": _cased(rng.choice(job.institution.labels), style),
        "role": _cased(job.role, style),
        "region": _cased(_region_text(job.region, rng), style),
        "email": spell_email(person, job, institutional, colleague_email, rng),
        "phone": _number_cell(
            spell_phone(person, colleague.phones[0] if colleague is not person else "", rng),
            layout,
            style,
        ),
        "pre": _score_cell(pre, layout, style),
        "post": _score_cell(post, layout, style),
    }
