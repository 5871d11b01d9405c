"""How one roster row writes a person: the defects partners' spreadsheets really have.

Names: surnames swapped, the maternal surname missing or reduced to an initial (and both at
once: "Ccahuana P." for Pérez Ccahuana), a second given name dropped or the first one (María
Elena signs "Elena"), accents dropped, upper / lower case, small typos; Quechua and Aymara
surnames in another of their spellings (Huamán, Guamán, Waman); a married woman's "de" and
her husband's surname ("Sánchez de Apaza" in the maternal cell, or "de Apaza" instead of
it); compound surnames joined or cut ("Delacruz", "Cruz"). Rows people type themselves
(Moodle accounts, form responses) vary in case from row to row, and lose or mix up more.

DNI: missing, one digit wrong, two adjacent digits transposed, a placeholder (12345678,
00000000 ...), and written the way people write it: with the card's check digit
("41234567-8"), with dots ("41.234.567"), with spaces, after the word "DNI"; a foreigner's
carné de extranjería or passport in the DNI column. The lost leading zero happens where a
spreadsheet stores the DNI as a number (see `layouts`). Contacts: the personal or the
institutional e-mail (or none), a shared office inbox, now and then a colleague's address
or a made-up one; one of the person's phones, or none.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

from unidecode import unidecode

from .catalog import MADE_UP_EMAILS, PLACEHOLDER_DNIS
from .names import particle_form, respell
from .people import Job, Person

COORDINATOR, SELF = "coordinator", "self"  # who typed the rows


@dataclass(frozen=True)
class RosterStyle:
    """What one partner's roster does, the same for all its rows."""

    case: str  # "upper" | "title" | "lower", or "mixed": each row as its writer typed it
    accents: bool  # keeps accents (a partner typing in capitals usually drops them)
    has_dni: bool
    dni_missing: float
    has_sex: bool
    sex_words: tuple[str, str]  # (female, male)
    has_email: bool
    has_phone: bool
    scale: int  # 20 or 100 (a Moodle quiz may be out of 10, a form of 10 points)
    score_missing: float
    dni_as_number: bool  # typed as numbers (XLSX) or saved from Excel (CSV): zeros lost
    decimal_comma: bool  # "12,5"
    full_name_comma: bool  # "QUISPE MAMANI, Juan" rather than "QUISPE MAMANI JUAN"
    sorted_by_name: bool  # rows in alphabetical order rather than as people registered
    typed_by: str = COORDINATOR  # SELF: each person typed their own row (Moodle, forms)
    timestamps: str = ""  # form responses: "forms" (2021/03/12 10:35:12 a. m. GMT-5), "sheets"


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


def row_style(style: RosterStyle, rng: random.Random) -> RosterStyle:
    """The style of one row: in a "mixed" roster each writer picks their own case."""
    if style.case != "mixed":
        return style
    case = str(rng.choices(("title", "upper", "lower"), weights=(0.55, 0.3, 0.15))[0])
    return replace(style, case=case, accents=rng.random() < (0.3 if case == "upper" else 0.6))


def _second_only(second: str) -> str:
    """The second given name alone, as its bearer signs: "del Carmen" -> "Carmen"."""
    words = second.split(" ")
    return words[-1] if words[0] in ("del", "de") and len(words) > 1 else second


def _given(person: Person, style: RosterStyle, rng: random.Random) -> str:
    parts = person.given_parts or tuple(person.given.split(" "))
    self_typed = style.typed_by == SELF
    if len(parts) > 1:
        if person.goes_by_second and rng.random() < (0.6 if self_typed else 0.45):
            parts = (_second_only(parts[1]),)
        elif rng.random() < (0.3 if self_typed else 0.25):
            parts = parts[:1]
    factor = 0.4 if self_typed else 1.0
    return " ".join(respell(part, rng, given=True, factor=factor) for part in parts)


def spell_names(person: Person, style: RosterStyle, rng: random.Random) -> Names:
    """The names as this row writes them (in the row's case: see `row_style`)."""
    self_typed = style.typed_by == SELF
    factor = 0.4 if self_typed else 1.0  # people rarely misspell their own surname
    given = _given(person, style, rng)
    paternal = particle_form(respell(person.paternal, rng, given=False, factor=factor), rng)
    maternal = particle_form(respell(person.maternal, rng, given=False, factor=factor), rng)
    if person.husband and rng.random() < 0.5:
        husband = particle_form(person.husband, rng)
        maternal = f"{maternal} de {husband}" if rng.random() < 0.65 else f"de {husband}"
    else:
        draw = rng.random()
        if draw < 0.012:  # "Ccahuana P.": swapped, and the paternal one cut to an initial
            paternal, maternal = maternal, paternal[:1] + "."
        elif draw < 0.037:
            paternal, maternal = maternal, paternal
        draw = rng.random()
        missing = 0.07 + (0.08 if self_typed else 0.0)
        if draw < missing:
            maternal = "-" if rng.random() < 0.1 and not self_typed else ""
        elif draw < missing + 0.04 and len(maternal) > 2:
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


def check_digit(dni: str) -> str:
    """The digit RENIEC prints after the DNI on the card ("41234567 - 8")."""
    weights = (3, 2, 7, 6, 5, 4, 3, 2)
    total = sum(weight * int(digit) for weight, digit in zip(weights, dni, strict=True))
    return "65432110987"[total % 11]


def _typed(number: str, check: str, style: RosterStyle, rng: random.Random) -> str:
    """A DNI as someone types it: mostly bare, now and then dressed up."""
    self_typed = style.typed_by == SELF
    odds = {
        "check": 0.06 if self_typed else 0.02,  # the check digit printed on the card
        "spaces": 0.03 if self_typed else 0.015,
        "word": 0.025 if self_typed else 0.01,
        "dots": 0.01,
    }
    form = rng.choices([*odds, "bare"], weights=[*odds.values(), 1 - sum(odds.values())])[0]
    if form == "check":
        return rng.choice((f"{number}-{check}", f"{number} - {check}", f"{number}{check}"))
    if form == "spaces":
        return rng.choice((f" {number} ", f"{number} ", f"{number[:4]} {number[4:]}"))
    if form == "word":
        return rng.choice((f"DNI {number}", f"DNI: {number}", f"DNI N° {number}"))
    if form == "dots":
        return f"{number[:2]}.{number[2:5]}.{number[5:]}"
    return number


def _foreign_document(person: Person, rng: random.Random) -> str:
    """A carné de extranjería or a passport, written in the DNI column."""
    number = person.dni
    if person.document_type == "ce":
        forms = (number, f"CE {number}", f"C.E. {number}", f"CE N° {number}", number[2:])
    else:
        forms = (number, f"PAS {number}", f"Pasaporte {number}", f"PASAPORTE N° {number}")
    return rng.choice(forms)


def spell_dni(person: Person, style: RosterStyle, rng: random.Random) -> str:
    """The DNI as typed ("" when missing); the leading zero is lost later, by the layout."""
    if not style.has_dni or rng.random() < style.dni_missing:
        return ""
    if person.document_type != "dni":
        return _foreign_document(person, rng)
    dni = typed = person.dni
    draw = rng.random()
    if draw < 0.006:
        return rng.choice(PLACEHOLDER_DNIS)
    if draw < 0.026:
        i = rng.randrange(8)
        digit = str((int(dni[i]) + rng.randint(1, 9)) % 10)
        typed = dni[:i] + digit + dni[i + 1 :]
    elif draw < 0.036:
        i = rng.randrange(7)
        if dni[i] != dni[i + 1]:
            typed = dni[:i] + dni[i + 1] + dni[i] + dni[i + 2 :]
    return _typed(typed, check_digit(dni), style, rng)


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


def spell_account_email(
    person: Person, job: Job, institutional: str, rng: random.Random, *, shared: bool
) -> str:
    """The address of a Moodle account or of the account that answered a form: never empty,
    mostly personal; with `shared`, now and then the office's own account (Moodle refuses an
    address another account has)."""
    draw = rng.random()
    if shared and draw < 0.05 and job.inbox:
        return job.inbox
    if draw < 0.2 and institutional:
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
    if style.scale != 20:  # a test marked out of 100 (or of 10, as Moodle's quizzes are)
        pre, post = pre * style.scale / 20, post * style.scale / 20
    return (
        None if rng.random() < style.score_missing else pre,
        None if rng.random() < style.score_missing else post,
    )
