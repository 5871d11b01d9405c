"""How one roster row writes a person: the defects partners' spreadsheets really have.

Names: surnames swapped, the maternal surname missing or reduced to an initial, a second given
name dropped, accents dropped, upper / lower case, small typos. DNI: missing, one digit wrong,
two adjacent digits transposed, a placeholder (12345678, 00000000 ...); the lost leading zero
happens where a spreadsheet stores the DNI as a number (see `layouts`). Contacts: the
personal or the institutional e-mail (or none), a shared office inbox, now and then a
colleague's address or a made-up one; one of the person's phones, or none.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from unidecode import unidecode

from .catalog import MADE_UP_EMAILS, PLACEHOLDER_DNIS
from .people import Job, Person


@dataclass(frozen=True)
class RosterStyle:
    """What one partner's roster does, the same for all its rows."""

    case: str  # "upper" | "title" | "lower"
    accents: bool  # keeps accents (a partner typing in capitals usually drops them)
    has_dni: bool
    dni_missing: float
    has_sex: bool
    sex_words: tuple[str, str]  # (female, male)
    has_email: bool
    has_phone: bool
    scale: int  # 20 or 100
    score_missing: float
    dni_as_number: bool  # typed as numbers (XLSX) or saved from Excel (CSV): zeros lost
    decimal_comma: bool  # "12,5"
    full_name_comma: bool  # "QUISPE MAMANI, Juan" rather than "QUISPE MAMANI JUAN"
    sorted_by_name: bool  # rows in alphabetical order rather than as people registered


@dataclass(frozen=True)
class Names:
    given: str
    paternal: str
    maternal: str


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.random()
    if kind < 0.3:
        return word[:i] + rng.choice("AEIOURSNLTCM").lower() + word[i + 1 :]
    if kind < 0.55:
        return word[:i] + word[i + 1 :]
    if kind < 0.75:
        return word[:i] + word[i] + word[i:]
    if kind < 0.9 and i < len(word) - 1:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    for a, b in (("v", "b"), ("b", "v"), ("z", "s"), ("s", "z"), ("ll", "y"), ("y", "i")):
        if a in word:
            return word.replace(a, b, 1)
    return word


def _case(text: str, style: RosterStyle, rng: random.Random) -> str:
    if not style.accents or rng.random() < 0.15:
        text = unidecode(text)
    if style.case == "upper":
        return text.upper()
    if style.case == "lower":
        return text.lower()
    return text


def spell_names(person: Person, style: RosterStyle, rng: random.Random) -> Names:
    given, paternal, maternal = person.given, person.paternal, person.maternal
    if " " in given and rng.random() < 0.25:
        given = given.split(" ")[0]
    if rng.random() < 0.025:
        paternal, maternal = maternal, paternal
    draw = rng.random()
    if draw < 0.07:
        maternal = "-" if rng.random() < 0.1 else ""
    elif draw < 0.11:
        maternal = maternal[:1] + ("." if rng.random() < 0.5 else "")
    if rng.random() < 0.05:
        which = rng.randrange(3)
        if which == 0:
            given = _typo(given, rng)
        elif which == 1:
            paternal = _typo(paternal, rng)
        else:
            maternal = _typo(maternal, rng)
    return Names(_case(given, style, rng), _case(paternal, style, rng), _case(maternal, style, rng))


def spell_dni(person: Person, style: RosterStyle, rng: random.Random) -> str:
    """The DNI as typed ("" when missing); the leading zero is lost later, by the layout."""
    if not style.has_dni or rng.random() < style.dni_missing:
        return ""
    dni = person.dni
    draw = rng.random()
    if draw < 0.006:
        return rng.choice(PLACEHOLDER_DNIS)
    if draw < 0.026:
        i = rng.randrange(8)
        digit = str((int(dni[i]) + rng.randint(1, 9)) % 10)
        return dni[:i] + digit + dni[i + 1 :]
    if draw < 0.036:
        i = rng.randrange(7)
        if dni[i] != dni[i + 1]:
            return dni[:i] + dni[i + 1] + dni[i] + dni[i + 2 :]
    return dni


def spell_sex(person: Person, style: RosterStyle, rng: random.Random) -> str:
    if rng.random() < 0.04:
        return ""
    return style.sex_words[0] if person.sex == "F" else style.sex_words[1]


def spell_email(
    person: Person, job: Job, institutional: str, colleague: str, rng: random.Random
) -> str:
    draw = rng.random()
    if draw < 0.12:
        return ""
    if draw < 0.135 and colleague:
        return colleague
    if draw < 0.145:
        return rng.choice(MADE_UP_EMAILS)
    if job.inbox and rng.random() < 0.45:
        return job.inbox
    if institutional and rng.random() < 0.45:
        return institutional
    return person.personal_email


def spell_phone(person: Person, colleague: str, rng: random.Random) -> str:
    draw = rng.random()
    if draw < 0.2:
        return ""
    if draw < 0.21 and colleague:
        return colleague
    number = person.phones[0] if len(person.phones) == 1 or rng.random() < 0.7 else person.phones[1]
    form = rng.random()
    if form < 0.6:
        return number
    if form < 0.8:
        return f"{number[:3]} {number[3:6]} {number[6:]}"
    if form < 0.9:
        return f"+51 {number}"
    return f"51{number}"


def spell_scores(style: RosterStyle, rng: random.Random) -> tuple[float | None, float | None]:
    pre = min(max(rng.gauss(10.5, 3.0), 0.0), 20.0)
    post = min(max(pre + rng.gauss(4.0, 2.0), 0.0), 20.0)
    pre, post = round(pre * 2) / 2, round(post * 2) / 2
    if style.scale == 100:
        pre, post = pre * 5, post * 5
    return (
        None if rng.random() < style.score_missing else pre,
        None if rng.random() < style.score_missing else post,
    )
